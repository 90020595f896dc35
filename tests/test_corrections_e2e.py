"""End-to-end: an analyst corrects an event in the dashboard in Debian's Chromium, reloads, exports gold.

Its own Streamlit server runs on its own writable copy of the fixture
database (the other browser tests share a read-only one). Skipped, with a
reason, when Chromium or Playwright is missing.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest_dashboard import build_fixture_db
from events.store import queries
from events.cli import main
from test_dashboard_e2e import CHROMIUM, CHROMIUM_ARGS, VIEWPORT, streamlit_app

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def writable_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_fixture_db(tmp_path_factory.mktemp("corrections") / "events.duckdb")


@pytest.fixture(scope="module")
def server(writable_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with streamlit_app(writable_db, tmp_path_factory.mktemp("streamlit") / "server.log") as url:
        yield url


def _idle(page) -> None:  # noqa: ANN001
    """Wait for the rerun an interaction starts to finish (a short settle first: the rerun may not have begun)."""
    page.wait_for_timeout(400)
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=60_000)


def _choose(page, select, option: str, until) -> None:  # noqa: ANN001
    """Pick `option` in a select, again if a rerun under load swallowed the pick, until `until` shows."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for _ in range(4):
        try:
            select.click(timeout=10_000)
            page.get_by_role("option", name=option, exact=True).click(timeout=10_000)
            _idle(page)
            until.wait_for(timeout=10_000)
            return
        except PlaywrightTimeout:
            page.keyboard.press("Escape")
            _idle(page)
    until.wait_for(timeout=10_000)  # fails with Playwright's own message


def test_correct_reload_and_export_gold(server: str, writable_db: Path, tmp_path: Path) -> None:
    from playwright.sync_api import sync_playwright

    with queries.read_connection(writable_db) as con:
        lavrov = queries.table(con, queries.Filters(text="lavrov", modes=("visit",))).iloc[0]["event_id"]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT)
            page.goto(f"{server}/?event={lavrov}")
            _idle(page)
            body = page.get_by_test_id("stMainBlockContainer")  # the sidebar has a Status filter too
            body.get_by_text("Correct this event").click()
            _idle(page)  # under load the expander's widgets may not take a click yet
            status = body.get_by_role("combobox", name="Status")
            _choose(page, body.get_by_role("combobox", name="Field"), "Status", until=status)
            status.click()
            status.fill("occurred")
            status.press("Enter")
            _idle(page)
            body.get_by_label("Your name").fill("Ana Analyst")
            body.get_by_label("Your name").press("Enter")
            _idle(page)
            body.get_by_role("button", name="Save correction").click()
            page.wait_for_selector('[data-testid="event-corrected"]', timeout=60_000)

            page.goto(f"{server}/?event={lavrov}")  # a reload: the correction is stored, not session state
            _idle(page)
            page.wait_for_selector('[data-testid="event-corrected"]', timeout=60_000)
            assert "corrected: status" in page.locator('[data-testid="event-corrected"]').inner_text()
        finally:
            browser.close()
    gold = tmp_path / "gold.jsonl"
    result = CliRunner().invoke(main, ["export", "--db", str(writable_db), "--format", "gold", "--corrected-only",
                                       "--out", str(gold)])  # fmt: skip
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert "Sergei Lavrov is set for an official visit" in record["evidence"]
    assert (record["status"], record["note"]) == ("occurred", "corrected: status")
