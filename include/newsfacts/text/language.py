"""Language of a text, from its script: Arabic letters against Latin letters."""

from __future__ import annotations

import re

_ARABIC = re.compile("[\u0600-\u06ff]")
_LATIN = re.compile("[A-Za-z]")


def detect_language(text: str) -> str:
    """Return "ar" when Arabic letters outnumber Latin ones, else "en"."""
    sample = text[:5000]
    return "ar" if len(_ARABIC.findall(sample)) > len(_LATIN.findall(sample)) else "en"
