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
    """Every record, however low its confidence: the stage tests check what the rules find, and the default
    drop of unlikely records (`PipelineConfig.min_confidence`) has its own tests."""
    from events.pipeline import Pipeline, PipelineConfig

    return Pipeline(gazetteer, config=PipelineConfig(min_confidence=0.0))


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS
