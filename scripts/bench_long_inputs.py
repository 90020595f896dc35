"""Time `Pipeline.extract_text` on long articles of several shapes, to check time grows linearly with size.

    .venv/bin/python scripts/bench_long_inputs.py
    .venv/bin/python scripts/bench_long_inputs.py --sizes 5.6 11 22 --shapes placelist

Shapes (each built by repeating real news wording to the size asked):
- placelist: "Protesters rallied in Paris, London, Berlin, ..." (one sentence of
  comma-separated places; this was quadratic: 16 s at 22 KB);
- sentences: a news sentence with an arrest, a place and a date, repeated;
- oneline: the same with "; " for ". ", so one sentence of any length;
- dates: a list of absolute and relative dates;
- words: one trigger word repeated.
Prints seconds and milliseconds per KB for each; the per-KB figure should
stay about flat as the size grows.
"""

from __future__ import annotations

import argparse
import time

PLACES = ("Paris, London, Berlin, Madrid, Rome, Vienna, Warsaw, Prague, Lisbon, Dublin, Athens, Oslo, Kyiv, "
          "Almaty, Tashkent, Bishkek, Moscow, Ankara, Cairo, Tunis, ")
SENTENCE = ("Police arrested 12 protesters in Almaty on Monday after clashes with Kazakh troops near the "
            "parliament, officials said. ")
DATES = "March 3, 2024, 5 May 2023, last Tuesday, 2021, the next day, "


def build(shape: str, size: int) -> str:
    unit, head = {
        "placelist": (PLACES, "Protesters rallied in "),
        "sentences": (SENTENCE, ""),
        "oneline": (SENTENCE.replace(". ", "; "), ""),
        "dates": (DATES, "Talks were held on "),
        "words": ("attack ", ""),
    }[shape]
    return head + (unit * (size // len(unit) + 1))[: size - len(head)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[5.6, 11, 22, 64, 256, 900], help="KB")
    parser.add_argument("--shapes", nargs="+", default=["placelist", "sentences", "oneline", "dates", "words"])
    args = parser.parse_args()
    from events.pipeline import Pipeline

    pipeline = Pipeline()
    for shape in args.shapes:
        for kb in args.sizes:
            text = build(shape, int(kb * 1024))
            started = time.perf_counter()
            events = pipeline.extract_text(text, published="2024-03-01")
            seconds = time.perf_counter() - started
            print(f"{shape:10} {kb:6g} KB  {seconds:7.2f} s  {seconds * 1000 / kb:6.1f} ms/KB  {len(events)} events",
                  flush=True)


if __name__ == "__main__":
    main()
