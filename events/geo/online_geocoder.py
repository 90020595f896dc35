"""Optional online fallback geocoder (Nominatim) for names the gazetteer lacks.

Off by default: extraction must be reproducible and work offline, so this
is built only when the user names a server (`--online-geocoder URL`) and is
handed to the resolver like any other service.

Three things keep it a polite and repeatable client:

- a persistent cache (SQLite, one file under the cache folder passed in):
  a name asked once is never asked again, across runs, and "not found" is
  cached too; transport errors are not, so a flaky network heals itself;
- geopy's RateLimiter, at least one second between calls by default, which
  is the public Nominatim usage policy (refused below that for
  nominatim.openstreetmap.org);
- an identifying user agent and a timeout.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path
from types import MappingProxyType, TracebackType
from typing import Any
from urllib.parse import urlsplit

from geopy.exc import GeopyError
from geopy.extra.rate_limiter import RateLimiter
from geopy.geocoders import Nominatim

from events.models import Place

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "event-atlas/0.1 (news event geocoding; offline gazetteer fallback)"
PUBLIC_NOMINATIM_HOST = "nominatim.openstreetmap.org"
CACHE_FILE = "nominatim-cache.sqlite"

# Nominatim's addresstype (or type) -> our feature classes (models.Place.feature).
_FEATURES = MappingProxyType(
    {
        "country": "country",
        "state": "admin1",
        "province": "admin1",
        "region": "admin1",
        "city": "city",
        "town": "city",
        "village": "city",
        "hamlet": "city",
        "municipality": "city",
        "suburb": "city",
        "quarter": "city",
        "neighbourhood": "city",
        "continent": "region",
        "island": "region",
        "archipelago": "region",
    }
)
_ADMIN1_KEYS = ("state", "province", "region")


class _RateLimiter(RateLimiter):
    """geopy's RateLimiter with its clock and sleep passed in.

    Tests check the spacing of calls from the recorded sleeps instead of
    waiting on the wall clock. geopy's own tests replace the same two hooks.
    """

    def __init__(
        self,
        func: Callable[..., Any],
        *,
        sleep: Callable[[float], None],
        clock: Callable[[], float],
        **kwargs: Any,
    ) -> None:
        self._sleep_fn = sleep
        self._clock_fn = clock
        super().__init__(func, **kwargs)

    def _clock(self) -> float:
        return self._clock_fn()

    def _sleep(self, seconds: float) -> None:
        self._sleep_fn(seconds)


class OnlineGeocoder:
    """Name (+ optional country hint) -> Place through a Nominatim server, cached."""

    def __init__(
        self,
        url: str,
        cache_dir: str | Path,
        *,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout: float = 10.0,
        min_delay_seconds: float = 1.0,
        max_retries: int = 2,
        error_wait_seconds: float = 5.0,
        language: str = "en",
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        parts = urlsplit(url if "://" in url else f"https://{url}")
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"online geocoder URL must be http(s)://host[:port][/path], got {url!r}")
        if parts.hostname == PUBLIC_NOMINATIM_HOST and min_delay_seconds < 1.0:
            raise ValueError("the public Nominatim server allows at most one request per second")
        if not user_agent.strip():
            raise ValueError("a user agent that identifies the application is required by Nominatim")
        self.url = url
        self.cache_path = Path(cache_dir) / CACHE_FILE
        self.language = language
        self._nominatim = Nominatim(
            user_agent=user_agent,
            timeout=timeout,
            domain=parts.netloc + parts.path.rstrip("/"),
            scheme=parts.scheme,
        )
        self._geocode = _RateLimiter(
            self._nominatim.geocode,
            sleep=sleep,
            clock=clock,
            min_delay_seconds=min_delay_seconds,
            max_retries=max_retries,
            error_wait_seconds=error_wait_seconds,
            swallow_exceptions=False,
        )
        self._db: sqlite3.Connection | None = None

    # -- public

    def lookup(self, name: str, country: str | None = None) -> Place | None:
        """The best match for `name` (in `country`, ISO alpha-2, when given).

        None when the server knows no such place or cannot be reached; only
        the first is cached.
        """
        query = " ".join(name.split())
        if not query:
            return None
        key = f"{query.casefold()}|{(country or '').lower()}"
        hit, raw = self._cached(key)
        if hit:
            return _to_place(raw) if raw else None
        try:
            location = self._geocode(
                query,
                exactly_one=True,
                addressdetails=True,
                language=self.language,
                country_codes=country.lower() if country else None,
            )
        except GeopyError as err:
            log.warning("online geocoder %s failed for %r: %s", self.url, query, err)
            return None
        raw = location.raw if location is not None else None
        self._store(key, raw)
        return _to_place(raw) if raw else None

    def close(self) -> None:
        if self._db is not None:
            self._db.close()
            self._db = None

    def __enter__(self) -> OnlineGeocoder:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    # -- cache

    def _connection(self) -> sqlite3.Connection:
        # opened on first use, so building the object touches no disk
        if self._db is None:
            self.cache_path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(self.cache_path)
            self._db.execute(
                "CREATE TABLE IF NOT EXISTS nominatim ("
                " server TEXT NOT NULL, key TEXT NOT NULL, raw TEXT, fetched REAL NOT NULL,"
                " PRIMARY KEY (server, key))"
            )
        return self._db

    def _cached(self, key: str) -> tuple[bool, dict[str, Any] | None]:
        row = (
            self._connection()
            .execute("SELECT raw FROM nominatim WHERE key = ? AND server = ?", (key, self.url))
            .fetchone()
        )
        if row is None:
            return False, None
        return True, json.loads(row[0]) if row[0] is not None else None

    def _store(self, key: str, raw: dict[str, Any] | None) -> None:
        db = self._connection()
        with db:
            db.execute(
                "INSERT OR REPLACE INTO nominatim (key, server, raw, fetched) VALUES (?, ?, ?, ?)",
                (key, self.url, json.dumps(raw, ensure_ascii=False) if raw is not None else None, time.time()),
            )


def _to_place(raw: dict[str, Any]) -> Place | None:
    """A Nominatim result (JSON with addressdetails) -> Place."""
    try:
        lat, lon = float(raw["lat"]), float(raw["lon"])
    except (KeyError, TypeError, ValueError):
        return None
    address = raw.get("address") or {}
    kind = raw.get("addresstype") or raw.get("type") or ""
    feature = _FEATURES.get(kind, "other")
    if raw.get("class") == "boundary" and raw.get("type") == "administrative" and feature == "other":
        feature = "admin1" if raw.get("place_rank") in (8, "8") else "other"
    code = address.get("country_code")
    name = raw.get("name") or str(raw.get("display_name", "")).split(",")[0].strip()
    if not name:
        return None
    admin1 = None
    if feature not in ("country", "region"):
        admin1 = next((address[k] for k in _ADMIN1_KEYS if address.get(k)), None)
    return Place(
        name=name,
        country=code.upper() if isinstance(code, str) and code else None,
        lat=lat,
        lon=lon,
        feature=feature,
        admin1=admin1,
    )
