"""Text both parse and extract need: one Arabic/English normaliser and language detection."""
