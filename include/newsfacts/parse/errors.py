"""The one error the parse stage raises: a page that cannot become an Article, with its reason."""

from __future__ import annotations


class ParseError(ValueError):
    """A page that cannot be parsed; `reason` is short and stable enough to count by."""

    def __init__(self, reason: str, detail: str = "") -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason
        self.detail = detail
