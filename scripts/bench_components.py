"""Print the speed of the components that must stay fast on their own.

Speed is measured here and not asserted in tests, where a loaded machine would
make a timing fail for no fault of the code. Targets (EVENTS.md and the
issues): the gazetteer loads in well under a second; a 600-word article is
tagged and geoparsed in a few milliseconds each.

Run: .venv/bin/python scripts/bench_components.py
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from datetime import date

from events.geo.gazetteer import Gazetteer
from events.geo.geoparse import Geoparser
from events.pipeline import Pipeline
from events.time.timex import TimexTagger

# about 600 words each, far denser in dates, numbers and places than news
TIMEX_TEXT = ("On March 3, 2024, officials said 2,700 people fled after shelling last week, "
              "and the ministry expects 11 more convoys by Friday, up 15% from a year ago. ") * 24
PLACE_TEXT = ("Officials in Almaty and Bishkek said on Monday that trade across the "
              "Kazakhstan border had resumed after talks in Tashkent with Uzbek delegates. ") * 25


def timed(run: Callable[[], object], repeat: int) -> tuple[float, float]:
    """Median and best wall time of `repeat` runs, in milliseconds."""
    runs = []
    for _ in range(repeat):
        began = time.perf_counter()
        run()
        runs.append((time.perf_counter() - began) * 1000)
    return statistics.median(runs), min(runs)


def main() -> None:
    gazetteer = Gazetteer.load()
    pipeline = Pipeline(gazetteer)
    tagger, geoparser = TimexTagger(), Geoparser(gazetteer)
    rows = [
        ("gazetteer load", timed(Gazetteer.load, 5)),
        ("timex, 600-word article", timed(lambda: tagger.tag(TIMEX_TEXT, date(2024, 3, 5)), 20)),
        ("geoparse, 600-word article", timed(lambda: geoparser.parse(PLACE_TEXT), 20)),
        ("whole pipeline, 600-word article", timed(lambda: pipeline.extract_text(PLACE_TEXT, "2024-03-05"), 10)),
    ]
    width = max(len(name) for name, _ in rows)
    for name, (median, best) in rows:
        print(f"{name:<{width}}  median {median:8.1f} ms  best {best:8.1f} ms")


if __name__ == "__main__":
    main()
