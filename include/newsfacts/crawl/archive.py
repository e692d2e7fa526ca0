"""Raw archive stage: every response kept as gzip WARC (warcio), written once, never rewritten."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import BinaryIO
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsfacts.crawl.policy import FetchResult

# WARC extension field: the URL discovery found, when redirects led elsewhere.
REQUESTED_URI = "Newsfacts-Requested-URI"
# The body we store is already decoded by requests, so these would lie about it.
_DROPPED_HEADERS = {"content-encoding", "transfer-encoding", "content-length"}


@dataclass(frozen=True, slots=True)
class ArchivedPage:
    """A response as read back from the archive, with where it lives."""

    url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at_utc: str
    warc_file: str
    warc_offset: int
    requested_url: str | None = None

    @property
    def content_type(self) -> str | None:
        return self.headers.get("Content-Type")


class ArchiveWriter:
    """Appends request/response record pairs to a new gzip WARC file; refuses to overwrite.

    Safe to share between fetch threads: records are written one pair at a time.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        # "x" fails if the file exists: the archive is immutable.
        self._file: BinaryIO = path.open("xb")
        self._writer = WARCWriter(self._file, gzip=True)
        self._lock = threading.Lock()
        self.records = 0

    def write(self, result: FetchResult) -> int | None:
        """Archive one fetch that got a response; returns the response record's offset.

        Nothing is written when no response arrived, or when we stopped reading it (too
        large, wrong type): its body would not be the page.
        """
        if result.status is None or result.refused:
            return None
        parts = urlsplit(result.final_url)
        target = parts.path + (f"?{parts.query}" if parts.query else "")
        date = result.fetched_at_utc.replace("+00:00", "Z")
        request = self._writer.create_warc_record(
            result.final_url,
            "request",
            http_headers=StatusAndHeaders(
                f"GET {target or '/'} HTTP/1.1",
                [("Host", parts.netloc), *result.request_headers.items()],
                is_http_request=True,
            ),
            warc_headers_dict={"WARC-Date": date},
        )
        headers = [(k, v) for k, v in result.headers.items() if k.lower() not in _DROPPED_HEADERS]
        headers.append(("Content-Length", str(len(result.body))))
        warc_headers = {"WARC-Date": date}
        if result.final_url != result.url:
            # Where discovery pointed before redirects: the frontier's key for this page.
            warc_headers[REQUESTED_URI] = result.url
        response = self._writer.create_warc_record(
            result.final_url,
            "response",
            payload=io.BytesIO(result.body),
            length=len(result.body),
            http_headers=StatusAndHeaders(f"{result.status} -", headers, protocol="HTTP/1.1"),
            warc_headers_dict=warc_headers,
        )
        with self._lock:
            self._writer.write_record(request)
            offset = self._file.tell()
            self._writer.write_record(response)
            self.records += 1
        return offset

    def close(self) -> None:
        with self._lock:
            self._file.flush()
            self._file.close()

    def __enter__(self) -> ArchiveWriter:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


def read_responses(path: Path) -> Iterator[ArchivedPage]:
    """Every response record of a WARC file, in order."""
    with path.open("rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            if record.rec_type != "response" or record.http_headers is None:
                continue
            body = record.content_stream().read()
            yield ArchivedPage(
                url=record.rec_headers.get_header("WARC-Target-URI"),
                status=int(record.http_headers.get_statuscode()),
                headers=dict(record.http_headers.headers),
                body=body,
                fetched_at_utc=record.rec_headers.get_header("WARC-Date"),
                warc_file=str(path),
                warc_offset=iterator.get_record_offset(),
                requested_url=record.rec_headers.get_header(REQUESTED_URI),
            )
