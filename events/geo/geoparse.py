"""Geoparsing: text -> resolved toponyms (finder, then resolver).

The `events geoparse` command and the LGL benchmark both call this one class,
so what is measured is what users run.
"""

from __future__ import annotations

from events.geo.gazetteer import Gazetteer
from events.geo.resolve import Resolver
from events.geo.toponyms import ToponymFinder
from events.models import Article, Toponym


class Geoparser:
    """Find and resolve the toponyms of a whole document at once.

    Resolution needs the document as context (the countries and regions it
    names), so `parse` takes the full text, not a sentence.
    """

    def __init__(self, gazetteer: Gazetteer) -> None:
        self.gazetteer = gazetteer
        self.finder = ToponymFinder(gazetteer)
        self.resolver = Resolver(gazetteer)

    def parse(self, text: str) -> list[Toponym]:
        """Toponyms in text order; unresolved ones keep `place=None`."""
        return self.resolver.resolve(self.finder.find(text))

    def geoparse_record(self, article: Article) -> dict:
        """The `events geoparse` output line for one article (EVENTS.md section 7)."""
        toponyms = []
        for t in self.parse(article.text):
            p = t.place
            toponyms.append({
                "start": t.start,
                "end": t.end,
                "text": t.text,
                "name": p.name if p else None,
                "lat": p.lat if p else None,
                "lon": p.lon if p else None,
                "country": p.country if p else None,
                "geonames_id": p.geonames_id if p else None,
                "feature": p.feature if p else None,
            })
        return {"doc_id": article.doc_id, "toponyms": toponyms}
