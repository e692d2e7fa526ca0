"""Bytes to HTML text: refuse what is not a page, then decode by HTTP charset, meta, detection."""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from newsfacts.parse.errors import ParseError

# Magic numbers of formats a fetcher may hand us instead of a page.
_BINARY_MAGIC = (
    b"%PDF",
    b"\x89PNG",
    b"GIF8",
    b"\xff\xd8\xff",
    b"PK\x03\x04",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"RIFF",
    b"OggS",
    b"ID3",
    b"\x00\x00\x01\x00",
    b"wOFF",
    b"wOF2",
)
_HTML_TYPES = ("html", "xml", "text/plain")
_CT_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)
_TAG = re.compile(r"<\s*(!doctype|html|head|body|meta|title|div|p|article|script|!--)", re.I)
_SNIFF_BYTES = 4096
# Labels that browsers map to a wider encoding (WHATWG); decoding with the narrow one loses text.
_WIDER = {"iso-8859-1": "cp1252", "latin-1": "cp1252", "ascii": "cp1252", "iso-8859-9": "cp1254"}


def _codec(label: str | None) -> str | None:
    """Python's name for an encoding label, or None when Python does not know it."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    return _WIDER.get(name, name)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The charset parameter of an HTTP Content-Type header, as a Python codec name."""
    if not content_type:
        return None
    match = _CT_CHARSET.search(content_type)
    return _codec(match.group(1)) if match else None


def _meta_charset(data: bytes) -> str | None:
    match = _META_CHARSET.search(data[:_SNIFF_BYTES])
    return _codec(match.group(1).decode("ascii", "ignore")) if match else None


def check_content_type(content_type: str | None) -> None:
    """Refuse a Content-Type that is not an HTML or XML page."""
    if not content_type:
        return
    mime = content_type.split(";", 1)[0].strip().lower()
    if mime and not any(kind in mime for kind in _HTML_TYPES):
        raise ParseError("not html", f"content type {mime}")


def decode_html(data: bytes, content_type: str | None = None) -> tuple[str, str]:
    """Decode page bytes; return the text and the codec used.

    Order: BOM, the HTTP charset, the page's meta charset, strict UTF-8, then charset-normalizer.
    A declared charset that fails on the bytes is skipped rather than trusted.
    """
    if data.startswith(codecs.BOM_UTF8):
        return data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace"), "utf-8"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    for codec in (charset_from_content_type(content_type), _meta_charset(data), "utf-8"):
        if codec is None:
            continue
        try:
            return data.decode(codec), codec
        except UnicodeDecodeError:
            continue
    best = from_bytes(data[: 1024 * 1024]).best()
    codec = _codec(best.encoding) if best is not None else None
    codec = codec or "cp1252"
    return data.decode(codec, "replace"), codec


def check_bytes(data: bytes, max_bytes: int) -> None:
    """Refuse empty, oversized and binary input before any parsing work."""
    if len(data) > max_bytes:
        raise ParseError("too large", f"{len(data)} bytes > {max_bytes}")
    if not data.strip():
        raise ParseError("empty")
    head = data[:_SNIFF_BYTES]
    if head.startswith(_BINARY_MAGIC):
        raise ParseError("binary", "file signature")
    # UTF-16 pages carry NULs legitimately; anything else with NULs is not text.
    is_utf16 = head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE))
    if not is_utf16 and head.count(b"\x00") > 0:
        raise ParseError("binary", "NUL bytes")


def check_text(text: str, max_bytes: int) -> None:
    """Refuse empty, oversized (counted in characters) and non-HTML text."""
    if len(text) > max_bytes:
        raise ParseError("too large", f"{len(text)} characters > {max_bytes}")
    if not text.strip():
        raise ParseError("empty")
    if "\x00" in text[:_SNIFF_BYTES]:
        raise ParseError("binary", "NUL characters")
    if not _TAG.search(text[: _SNIFF_BYTES * 4]):
        raise ParseError("not html", "no HTML tag near the start")
