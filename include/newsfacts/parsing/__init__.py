"""Helpers of the parse stage (HTML page -> Article); the entry point is `newsfacts.parse`."""
