"""Quality: Great Expectations gates with quarantine per batch, and checks over the warehouse."""
