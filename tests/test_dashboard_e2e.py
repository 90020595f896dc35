"""End-to-end: the dashboard in a real headless Chromium, as a user sees it.

Starts `streamlit run dashboard/app.py` on a free localhost port against the
fixture database, opens it with Playwright's Python client driving Debian's
Chromium (`apt-get install chromium`; Playwright's own browser download is not
possible here), applies a filter through the URL and through a widget, clicks
an event on the map, and checks the details panel shows its sentence.
Screenshots go to `artifacts/` (not committed).

Skipped, with a reason that `pytest -rs` prints, when Chromium or Playwright
is missing, never silently.
"""

from __future__ import annotations

import math
import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest_dashboard import events_db  # noqa: F401 - pytest fixture

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "artifacts"
CHROMIUM = Path(os.environ.get("EVENTS_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--use-angle=swiftshader",
    "--enable-unsafe-swiftshader",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1500, "height": 1300}

pytestmark = pytest.mark.e2e


def _require_browser() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"e2e: no Chromium at {CHROMIUM}; install it with `apt-get install -y chromium`")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("e2e: the playwright Python package is not installed (pip install playwright)")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited early with code {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


@contextmanager
def streamlit_app(db: Path, log_path: Path) -> Iterator[str]:
    """The dashboard on `db` in its own Streamlit server on a free port; yields its URL, stops it after."""
    _require_browser()
    port = _free_port()
    log = log_path.open("w")
    process = subprocess.Popen(
        [
            sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard" / "app.py"),
            "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
            "--", "--db", str(db),
        ],  # fmt: skip
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="module")
def server(events_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:  # noqa: F811
    with streamlit_app(events_db, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser(server: str) -> Iterator:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        instance = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            yield instance
        finally:
            instance.close()


def wait_for_app(page, timeout: float = 60_000) -> None:
    """Wait until the app is connected and its script has finished running (no fixed sleeps)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout)
    page.wait_for_function(
        """() => {
            const app = document.querySelector('[data-testid="stApp"]');
            return app && app.getAttribute('data-test-script-state') === 'notRunning'
                && !document.querySelector('[data-testid="stStatusWidget"] button[kind="tertiary"]')
                && document.querySelector('[data-testid="stDeckGlJsonChart"] canvas');
        }""",
        timeout=timeout,
    )


def click_event(page, lon: float, lat: float, view, selector: str, attempts: int = 5) -> None:
    """Hover where (lon, lat) is drawn until deck.gl's tooltip shows the event, then click it once.

    The tooltip proves the map has drawn this rerun's data and the pointer is
    on the point; clicking only then avoids a second click that would toggle
    the selection off again. The map's box is measured on every try because
    the page may still be laying out (the timeline renders asynchronously).
    """
    canvas = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first
    tooltip = page.locator(".deck-tooltip")
    for _ in range(attempts):
        box = canvas.bounding_box()
        assert box is not None, "the map has no canvas"
        x, y = screen_position(lon, lat, view, box["width"], box["height"])
        page.mouse.move(box["x"] + x - 3, box["y"] + y - 3)
        page.mouse.move(box["x"] + x, box["y"] + y)
        try:
            tooltip.filter(has_text="CONSULT").wait_for(state="visible", timeout=3_000)
        except Exception:  # playwright's TimeoutError: not drawn yet, measure and hover again
            continue
        page.wait_for_timeout(500)  # let deck.gl settle its hover state before the click
        page.mouse.click(box["x"] + x, box["y"] + y)
        try:
            page.wait_for_selector(selector, timeout=10_000)
            return
        except Exception:  # the click was not taken as a pick: hover and try again
            page.screenshot(path=str(ARTIFACTS / "dashboard_click_retry.png"), full_page=True)
            page.mouse.move(box["x"] + 5, box["y"] + 5)
    raise AssertionError(f"no event tooltip appeared on the map at {lon}, {lat}")


def screen_position(lon: float, lat: float, view, width: float, height: float) -> tuple[float, float]:
    """Web Mercator projection as deck.gl does it (512-pixel world at zoom 0), relative to the map's box."""
    scale = 512 * 2**view.zoom

    def project(lo: float, la: float) -> tuple[float, float]:
        x = (lo + 180) / 360 * scale
        y = (1 - math.log(math.tan(math.pi / 4 + math.radians(la) / 2)) / math.pi) / 2 * scale
        return x, y

    cx, cy = project(view.longitude, view.latitude)
    px, py = project(lon, lat)
    return width / 2 + (px - cx), height / 2 + (py - cy)


def test_filter_then_click_event_shows_its_sentence(browser, server: str, events_db: Path) -> None:  # noqa: F811
    from events.store import queries
    from events_dashboard.charts import view_for

    shown = queries.Filters(types=("CONSULT",), text="Lavrov")
    with queries.read_connection(events_db) as con:
        bounds = queries.map_bounds(con, shown)  # the map fits the filtered events
        lavrov = queries.map_points(con, queries.Filters(text="lavrov"), 10)
    target = lavrov.iloc[0]  # two events of one sentence share this point; either may be picked
    view = view_for(bounds)

    ARTIFACTS.mkdir(exist_ok=True)
    for stale in ARTIFACTS.glob("dashboard_click_*.png"):
        stale.unlink()
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(server)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stHtml"] >> text=not on the map', timeout=30_000)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    page.screenshot(path=str(ARTIFACTS / "dashboard_overview.png"), full_page=True)

    page.goto(f"{server}/?type=CONSULT")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stHtml"] >> text=not on the map', timeout=30_000)
    counts = page.locator("text=events match").first.inner_text()
    assert "of 87 events match" in counts and "not on the timeline" in counts

    # apply a second filter through a widget: the sentence search box
    search = page.get_by_label("Search sentences")
    search.fill("Lavrov")
    search.press("Enter")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[data-testid=\"stHtml\"]')]"
        ".some(e => /\\b2\\b of 87 events match/.test(e.innerText))",
        timeout=30_000,
    )
    wait_for_app(page)
    assert "q=Lavrov" in page.url and "type=CONSULT" in page.url

    click_event(page, float(target["lon"]), float(target["lat"]), view, '[data-testid="event-sentence"]')
    wait_for_app(page)
    page.screenshot(path=str(ARTIFACTS / "dashboard_details.png"), full_page=True)

    sentence = page.locator('[data-testid="event-sentence"]').inner_text()
    assert "Sergei Lavrov is set for an official visit to Tashkent" in sentence
    assert page.locator('[data-testid="event-sentence"] mark').count() >= 2
    assert any(f"event={event_id}" in page.url for event_id in lavrov["event_id"])


def test_script_in_a_sentence_is_shown_as_text(browser, server: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.on("dialog", lambda dialog: pytest.fail(f"a script ran: {dialog.message}"))
    page.goto(f"{server}/?event=xss0000000000001&q=script")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="event-sentence"]', timeout=30_000)
    text = page.locator('[data-testid="event-sentence"]').inner_text()
    assert "<script>alert(1)</script>" in text and "**bold**" in text
    page.screenshot(path=str(ARTIFACTS / "dashboard_literal_text.png"), full_page=True)


def test_clicking_a_table_row_shows_its_event(browser, server: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{server}/?type=REJECT")
    wait_for_app(page)
    grid = page.locator('[data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    # first data row's selection cell: left margin column, below the 35 px header
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 17)
    page.wait_for_selector('[data-testid="event-sentence"]', timeout=30_000)
    wait_for_app(page)
    assert "event=" in page.url
    page.screenshot(path=str(ARTIFACTS / "dashboard_table_pick.png"), full_page=True)


def test_dragging_a_timeline_brush_filters_the_rest(browser, server: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(server)
    wait_for_app(page)
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    chart.locator("canvas, svg").first.wait_for()
    box = chart.bounding_box()
    assert box is not None
    y = box["y"] + 45  # inside the plot area, above the axis
    page.mouse.move(box["x"] + box["width"] * 0.55, y)  # the type legend takes the chart's right fifth
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] * 0.70, y, steps=8)
    page.mouse.up()
    page.wait_for_selector("text=Timeline selection:", timeout=30_000)
    wait_for_app(page)
    counts = page.locator('[data-testid="stHtml"]', has_text="events match").first.inner_text()
    matching = int(counts.split(" of ")[0].replace(",", ""))
    assert 0 < matching < 87
    assert "0 not on the timeline" in counts  # a date range leaves out undated events, and says so
    page.wait_for_function("() => location.search.includes('brush=')", timeout=10_000)
    page.screenshot(path=str(ARTIFACTS / "dashboard_brush.png"), full_page=True)

    # the brush is in the URL: a reload (or a shared link) shows the same period
    page.reload()
    wait_for_app(page)
    page.wait_for_selector("text=Timeline selection:", timeout=30_000)
    again = page.locator('[data-testid="stHtml"]', has_text="events match").first.inner_text()
    assert again.split(" of ")[0] == counts.split(" of ")[0]


def test_brush_link_opens_on_its_period(browser, server: str) -> None:
    page = browser.new_page(viewport=VIEWPORT)
    page.goto(f"{server}/?brush=2022-07-01,2022-07-31")
    wait_for_app(page)
    page.wait_for_selector("text=Timeline selection: 2022-07-01 – 2022-07-31", timeout=30_000)
    counts = page.locator('[data-testid="stHtml"]', has_text="events match").first.inner_text()
    assert counts.startswith("13 of 87 events match")  # 9 dated in July 2022, 4 by their article's date


# --------------------------------------------------------------------------- map first, at 1280x720

SMALL_SCREEN = {"width": 1280, "height": 720}


def test_map_and_timeline_are_both_above_the_fold_at_1280x720(browser, server: str) -> None:
    page = browser.new_page(viewport=SMALL_SCREEN)
    page.goto(server)
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard_1280x720.png"))
    assert page.evaluate("() => window.scrollY") == 0
    map_box = page.locator('[data-testid="stDeckGlJsonChart"]').first.bounding_box()
    chart_box = page.locator('[data-testid="stVegaLiteChart"]').first.bounding_box()
    counts_box = page.locator('[data-testid="event-counts"]').first.bounding_box()
    assert map_box and chart_box and counts_box
    main_width = 1280 - page.locator('[data-testid="stSidebar"]').first.bounding_box()["width"]
    assert map_box["width"] >= 0.5 * main_width and map_box["height"] >= 350  # the map takes the main space
    assert map_box["y"] >= 0 and map_box["y"] + map_box["height"] <= 720
    assert chart_box["y"] >= map_box["y"] + map_box["height"]  # the timeline sits under the map
    assert chart_box["y"] + chart_box["height"] <= 720  # ... and is on screen without scrolling
    assert counts_box["y"] >= 0 and counts_box["y"] + counts_box["height"] <= map_box["y"]
    # the details open beside the map, where the eye is
    detail = page.locator("text=Click an event on the map").first.bounding_box()
    assert detail and detail["x"] >= map_box["x"] + map_box["width"] and detail["y"] < map_box["y"] + map_box["height"]


def test_no_place_link_filters_to_exactly_those(browser, server: str) -> None:
    page = browser.new_page(viewport=SMALL_SCREEN)
    page.goto(f"{server}/?type=CONSULT")
    wait_for_app(page)
    link = page.locator('[data-testid="link-no-place"]')
    missing = int(link.inner_text().split()[0])
    assert missing > 0
    link.click()
    page.wait_for_function("() => location.search.includes('place=none')", timeout=30_000)
    wait_for_app(page)
    assert "type=CONSULT" in page.url
    counts = page.locator('[data-testid="event-counts"]').inner_text()
    assert counts.startswith(f"{missing} of 87 events match") and f"{missing} not on the map" in counts


def test_no_date_link_filters_to_exactly_those(browser, server: str) -> None:
    page = browser.new_page(viewport=SMALL_SCREEN)
    page.goto(server)
    wait_for_app(page)
    link = page.locator('[data-testid="link-no-date"]')
    missing = int(link.inner_text().split()[0])
    link.click()
    page.wait_for_function("() => location.search.includes('dating=none')", timeout=30_000)
    wait_for_app(page)
    counts = page.locator('[data-testid="event-counts"]').inner_text()
    assert counts.startswith(f"{missing} of 87 events match") and f"{missing} not on the timeline" in counts


# --------------------------------------------------------------------------- offline


def test_the_page_makes_no_request_beyond_the_app(browser, server: str) -> None:
    """Every request the page makes, from load through filtering and hovering the map, goes to the app."""
    page = browser.new_page(viewport=SMALL_SCREEN)
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(f"{server}/?type=CONSULT")
    wait_for_app(page)
    page.wait_for_selector('[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg')
    box = page.locator('[data-testid="stDeckGlJsonChart"] canvas').first.bounding_box()
    for fraction in (0.3, 0.5, 0.7):  # hover and zoom: a basemap would fetch tiles now
        page.mouse.move(box["x"] + box["width"] * fraction, box["y"] + box["height"] * fraction)
        page.mouse.wheel(0, -200)
    page.goto(f"{server}/?place=none")
    wait_for_app(page)
    page.wait_for_timeout(1500)  # late requests (fonts, styles) would be recorded too
    own = (server, f"blob:{server}", "data:")
    outside = sorted({url for url in requests if not url.startswith(own)})
    assert requests and outside == []
