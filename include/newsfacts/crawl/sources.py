"""Sources stage: read include/sources.yaml and validate each entry on its own."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

log = logging.getLogger(__name__)

_HOST_NAME = re.compile(r"^(?=.{1,253}$)([A-Za-z0-9-]{1,63}\.)*[A-Za-z0-9-]{1,63}$")
_CRON_FIELD = re.compile(r"^[0-9A-Za-z*/,?#-]+$")
_PRESETS = ("@once", "@hourly", "@daily", "@weekly", "@monthly", "@quarterly", "@yearly")


class Source(BaseModel):
    """One news site: where to discover its articles and how politely to fetch them."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$", max_length=64)
    site: str
    language: str = Field(pattern=r"^(ar|en|fr|auto)$")
    feeds: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    allowed_domains: tuple[str, ...] = ()
    requests_per_second: float = Field(default=1.0, gt=0, le=50)
    max_pages_per_run: int = Field(default=50, ge=1, le=100_000)
    schedule: str = "@hourly"
    allow_private_addresses: bool = False
    # Hours within which the source should bring a new article (quality checks); None: the
    # NEWSFACTS_QUALITY_MAX_AGE_HOURS setting. A weekly outlet needs more than a wire service.
    expected_article_hours: float | None = Field(default=None, gt=0)

    @field_validator("site", "feeds", "sitemaps", mode="after")
    @classmethod
    def _http_urls(cls, value: Any) -> Any:
        for url in (value,) if isinstance(value, str) else value:
            if "{{base_url}}" in url:
                raise ValueError(f"{url!r} needs a base URL (--base-url) to fill {{{{base_url}}}}")
            if urlsplit(url).scheme not in {"http", "https"} or not urlsplit(url).netloc:
                raise ValueError(f"not an http(s) URL: {url!r}")
        return value

    @field_validator("allowed_domains", mode="after")
    @classmethod
    def _host_names(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        for host in value:
            if not _HOST_NAME.match(host):
                raise ValueError(f"not a host name (no scheme, port or path): {host!r}")
        return tuple(h.lower() for h in value)

    @field_validator("schedule", mode="after")
    @classmethod
    def _schedule(cls, value: str) -> str:
        fields = value.split()
        if value in _PRESETS or (len(fields) == 5 and all(_CRON_FIELD.match(f) for f in fields)):
            return value
        raise ValueError(f"not a cron expression or preset ({', '.join(_PRESETS)}): {value!r}")

    def domains(self) -> set[str]:
        """Hosts this source may fetch from: its site's host plus allowed_domains."""
        host = urlsplit(self.site).hostname or ""
        return {host, *self.allowed_domains}


@dataclass(frozen=True, slots=True)
class SourceError:
    """A source entry that failed validation: which one, which field, what is wrong."""

    source: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"source {self.source!r}: field {self.field!r}: {self.message}"


@dataclass(slots=True)
class SourceList:
    sources: list[Source] = field(default_factory=list)
    errors: list[SourceError] = field(default_factory=list)


def _substitute(value: Any, base_url: str | None) -> Any:
    if base_url is None:
        return value
    if isinstance(value, str):
        return value.replace("{{base_url}}", base_url.rstrip("/"))
    if isinstance(value, list):
        return [_substitute(v, base_url) for v in value]
    if isinstance(value, dict):
        return {k: _substitute(v, base_url) for k, v in value.items()}
    return value


def load_sources(path: Path | str, *, base_url: str | None = None) -> SourceList:
    """Validate every entry of a sources file; bad entries are reported, good ones kept.

    `base_url` replaces the `{{base_url}}` placeholder (used for sites served locally).
    Raises ValueError only when the file as a whole is unreadable.
    """
    path = Path(path)
    try:
        document = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValueError(f"cannot read sources file {path}: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("sources"), list):
        raise ValueError(f"{path}: expected a mapping with a 'sources' list")
    result = SourceList()
    seen: set[str] = set()
    for position, entry in enumerate(document["sources"], start=1):
        name = str(entry.get("name", f"#{position}")) if isinstance(entry, dict) else f"#{position}"
        if not isinstance(entry, dict):
            result.errors.append(SourceError(name, "-", "entry is not a mapping"))
            continue
        try:
            source = Source.model_validate(_substitute(entry, base_url))
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or "-"
                result.errors.append(SourceError(name, where, err["msg"]))
            continue
        if not source.feeds and not source.sitemaps:
            log.warning("source %r lists no feeds and no sitemaps: nothing to discover", name)
        if source.name in seen:
            result.errors.append(SourceError(name, "name", "duplicate source name"))
            continue
        seen.add(source.name)
        result.sources.append(source)
    for error in result.errors:
        log.error("invalid source skipped: %s", error)
    return result
