"""Online fallback geocoder, against a local fake Nominatim (no test reaches the network)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from events.models import Place
from events.geo.online_geocoder import OnlineGeocoder

# Nominatim-shaped answers (format=json, addressdetails=1), keyed by the q parameter.
RESULTS = {
    "Kok-Tash": [
        {
            "place_id": 1, "lat": "39.9301", "lon": "70.6392", "class": "place", "type": "village",
            "addresstype": "village", "name": "Kok-Tash", "display_name": "Kok-Tash, Batken Region, Kyrgyzstan",
            "place_rank": 19,
            "address": {"village": "Kok-Tash", "state": "Batken Region", "country": "Kyrgyzstan", "country_code": "kg"},
        }
    ],
    "Karakalpakstan": [
        {
            "place_id": 2, "lat": "43.0", "lon": "58.9", "class": "boundary", "type": "administrative",
            "addresstype": "state", "name": "Karakalpakstan", "display_name": "Karakalpakstan, Uzbekistan",
            "place_rank": 8, "address": {"state": "Karakalpakstan", "country": "Uzbekistan", "country_code": "uz"},
        }
    ],
    "Tajikistan": [
        {
            "place_id": 3, "lat": "38.6", "lon": "71.2", "class": "boundary", "type": "administrative",
            "addresstype": "country", "name": "Tajikistan", "display_name": "Tajikistan",
            "place_rank": 4, "address": {"country": "Tajikistan", "country_code": "tj"},
        }
    ],
}


@dataclass
class FakeNominatim:
    url: str
    requests: list[dict] = field(default_factory=list)
    fail: set[str] = field(default_factory=set)

    def searches(self) -> list[str]:
        return [r["q"] for r in self.requests if r["path"] == "/search"]


@pytest.fixture
def server() -> Iterator[FakeNominatim]:
    fake = FakeNominatim(url="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 (http.server's name)
            parts = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            fake.requests.append({"path": parts.path, "user_agent": self.headers.get("User-Agent"), **query})
            if parts.path != "/search":
                self.send_error(404)
                return
            if query.get("q") in fake.fail:
                self.send_error(500, "boom")
                return
            hits = RESULTS.get(query.get("q", ""), [])
            if "countrycodes" in query:
                codes = query["countrycodes"].split(",")
                hits = [h for h in hits if h["address"]["country_code"] in codes]
            body = json.dumps(hits).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    fake.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    try:
        yield fake
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)


class FakeTime:
    """A clock that only moves when slept on, recording every sleep."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def clock(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


@pytest.fixture
def fake_time() -> FakeTime:
    return FakeTime()


def make(server: FakeNominatim, cache: Path, fake_time: FakeTime, **kwargs: object) -> OnlineGeocoder:
    return OnlineGeocoder(server.url, cache, sleep=fake_time.sleep, clock=fake_time.clock, **kwargs)


def test_village_with_country_and_admin1(server: FakeNominatim, tmp_path: Path, fake_time: FakeTime) -> None:
    with make(server, tmp_path, fake_time) as geocoder:
        place = geocoder.lookup("Kok-Tash")
    assert place == Place(name="Kok-Tash", country="KG", lat=39.9301, lon=70.6392, feature="city",
                          admin1="Batken Region")
    (request,) = server.requests
    assert request["q"] == "Kok-Tash"
    assert request["format"] == "json" and request["addressdetails"] == "1"
    assert request["user_agent"].startswith("event-atlas/")


@pytest.mark.parametrize(
    ("name", "feature", "country", "admin1"),
    [
        ("Karakalpakstan", "admin1", "UZ", "Karakalpakstan"),
        ("Tajikistan", "country", "TJ", None),
    ],
)
def test_feature_from_nominatim_addresstype(
    server: FakeNominatim, tmp_path: Path, fake_time: FakeTime, name: str, feature: str, country: str,
    admin1: str | None,
) -> None:
    with make(server, tmp_path, fake_time) as geocoder:
        place = geocoder.lookup(name)
    assert place is not None
    assert (place.feature, place.country, place.admin1) == (feature, country, admin1)


def test_cache_prevents_a_second_request_even_after_restart(
    server: FakeNominatim, tmp_path: Path, fake_time: FakeTime
) -> None:
    with make(server, tmp_path, fake_time) as geocoder:
        first = geocoder.lookup("Kok-Tash")
        again = geocoder.lookup("  kok-tash ")
        missing = geocoder.lookup("Atlantis")
        missing_again = geocoder.lookup("Atlantis")
    with make(server, tmp_path, fake_time) as reopened:
        from_disk = reopened.lookup("Kok-Tash")
    assert first == again == from_disk
    assert missing is missing_again is None
    assert server.searches() == ["Kok-Tash", "Atlantis"]
    assert (tmp_path / "nominatim-cache.sqlite").is_file()


def test_country_hint_is_sent_and_is_part_of_the_cache_key(
    server: FakeNominatim, tmp_path: Path, fake_time: FakeTime
) -> None:
    with make(server, tmp_path, fake_time) as geocoder:
        assert geocoder.lookup("Kok-Tash", country="KZ") is None
        assert geocoder.lookup("Kok-Tash", country="KG") is not None
    assert [r.get("countrycodes") for r in server.requests] == ["kz", "kg"]


def test_rate_limiter_spaces_calls_by_at_least_one_second(
    server: FakeNominatim, tmp_path: Path, fake_time: FakeTime
) -> None:
    with make(server, tmp_path, fake_time) as geocoder:
        for name in ("Kok-Tash", "Karakalpakstan", "Tajikistan", "Kok-Tash"):
            geocoder.lookup(name)
    assert len(server.searches()) == 3  # the fourth came from the cache
    # the clock does not move between calls, so each later call waits the full second
    assert fake_time.sleeps == [pytest.approx(1.0), pytest.approx(1.0)]


def test_custom_delay(server: FakeNominatim, tmp_path: Path, fake_time: FakeTime) -> None:
    with make(server, tmp_path, fake_time, min_delay_seconds=2.5) as geocoder:
        geocoder.lookup("Kok-Tash")
        geocoder.lookup("Tajikistan")
    assert fake_time.sleeps == [pytest.approx(2.5)]


def test_server_errors_are_retried_then_give_none_and_are_not_cached(
    server: FakeNominatim, tmp_path: Path, fake_time: FakeTime
) -> None:
    server.fail.add("Kok-Tash")
    with make(server, tmp_path, fake_time, max_retries=1, error_wait_seconds=3.0) as geocoder:
        assert geocoder.lookup("Kok-Tash") is None
        assert len(server.searches()) == 2  # first try and one retry
        assert 3.0 in fake_time.sleeps
        server.fail.clear()
        assert geocoder.lookup("Kok-Tash") is not None
    assert len(server.searches()) == 3


def test_unreachable_server_gives_none(tmp_path: Path, fake_time: FakeTime) -> None:
    # a port nothing listens on: bound, then closed
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    geocoder = OnlineGeocoder(f"http://127.0.0.1:{port}", tmp_path, sleep=fake_time.sleep, clock=fake_time.clock,
                              max_retries=0, timeout=2)
    with geocoder:
        assert geocoder.lookup("Kok-Tash") is None


def test_construction_touches_no_disk_and_no_network(tmp_path: Path) -> None:
    OnlineGeocoder("http://127.0.0.1:9", tmp_path / "cache")
    assert not (tmp_path / "cache").exists()


@pytest.mark.parametrize(
    ("url", "kwargs", "message"),
    [
        ("ftp://example.org", {}, "http"),
        ("https://nominatim.openstreetmap.org", {"min_delay_seconds": 0.2}, "one request per second"),
        ("http://127.0.0.1:9", {"user_agent": " "}, "user agent"),
    ],
)
def test_bad_settings_are_refused(tmp_path: Path, url: str, kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        OnlineGeocoder(url, tmp_path, **kwargs)


def test_blank_name_asks_nothing(server: FakeNominatim, tmp_path: Path, fake_time: FakeTime) -> None:
    with make(server, tmp_path, fake_time) as geocoder:
        assert geocoder.lookup("   ") is None
    assert server.requests == []


def test_extract_asks_the_online_geocoder_only_for_names_the_gazetteer_lacks(
    server: FakeNominatim, tmp_path: Path
) -> None:
    from click.testing import CliRunner

    from events.cli import main

    article = tmp_path / "clash.jsonl"
    article.write_text(json.dumps({
        "id": "kg1", "published": "2022-09-17",
        "text": "Border guards clashed near Kok-Tash on Saturday. Police detained two men in Bishkek.",
    }) + "\n", encoding="utf-8")
    out = tmp_path / "events.jsonl"
    result = CliRunner().invoke(main, ["extract", str(article), "--no-db", "--out", str(out),
                                       "--online-geocoder", server.url, "--geocoder-cache", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    events = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    clash = next(e for e in events if e["type"] == "ASSAULT")
    assert (clash["place"], clash["country"]) == ("Kok-Tash", "KG")
    assert server.searches() == ["Kok-Tash"]  # Bishkek came from the offline gazetteer
