"""Shared fixtures: the slow-to-build services are built once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"


@pytest.fixture(scope="session")
def gazetteer():
    from events.geo.gazetteer import Gazetteer

    return Gazetteer.load()


@pytest.fixture(scope="session")
def pipeline(gazetteer):
    from events.pipeline import Pipeline

    return Pipeline(gazetteer)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS
