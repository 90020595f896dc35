"""Event Atlas: news articles in, dated and geocoded PLOVER event records out.

    from events import Pipeline
    pipeline = Pipeline()                      # loads the gazetteer and lexicons once
    for event in pipeline.extract_text("Police detained two activists in Almaty on Monday.", published="2024-03-27"):
        print(event.type, event.date, event.place, event.sentence)

Names are imported lazily so that `import events` stays cheap.
"""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["Article", "Event", "Pipeline", "extract_paths"]


def __getattr__(name: str) -> Any:
    if name == "Pipeline":
        from events import pipeline

        return pipeline.Pipeline
    if name == "extract_paths":
        from events import runner

        return runner.extract_paths
    if name in ("Article", "Event"):
        from events import models

        return getattr(models, name)
    raise AttributeError(f"module 'events' has no attribute {name!r}")
