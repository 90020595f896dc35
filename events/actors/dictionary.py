"""The actor dictionary: known names with their kind, state, sector and dates of office.

Three hand-kept or built tables, first wins (`actors.tsv`, `actors_extra.tsv`,
`actors_phoenix.tsv`, the last built by scripts/build_actors.py from the
Phoenix dictionaries), the body words of `agents.tsv` with their sectors, and
the cue words of `actor_cues.json`. Loaded once per pipeline; `ActorFinder`
(`events.actors.finder`) reads sentences with it.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources

ACTOR_FILES = ("actors.tsv", "actors_extra.tsv", "actors_phoenix.tsv")
MAX_ALIAS_WORDS = 5  # longer dictionary names are spelt out in full too rarely to be worth the lookups
STATE_SECTORS = frozenset({"government", "military", "police", "judiciary", "legislature"})


class ActorDataError(ValueError):
    """A packaged actor table that cannot be read; str() names the file and the problem."""


@dataclass(frozen=True)
class KnownActor:
    name: str
    kind: str
    country: str | None
    sector: str | None = None
    start: int | None = None  # the office's dates (YYYYMMDD) where the table gives them
    end: int | None = None

    def in_office(self, as_of: int | None) -> bool:
        """Whether the office the table gives was held on `as_of` (YYYYMMDD); unknown dates count as held."""
        if as_of is None:
            return True
        return (self.start is None or self.start <= as_of) and (self.end is None or as_of <= self.end)

    @property
    def for_state(self) -> bool:
        """An official or a body of a state acts for it; an armed group or a business based there does not."""
        if self.kind not in ("person", "org") or self.country is None:
            return False
        return self.sector is None or self.sector in STATE_SECTORS


@dataclass(frozen=True)
class ActorLexicon:
    """Known actors by alias, and the cue word lists."""

    aliases: dict[str, KnownActor]
    max_alias_words: int
    titles: frozenset[str]
    org_heads: frozenset[str]
    state_nouns: tuple[tuple[str, ...], ...]
    particles: frozenset[str]
    not_names: frozenset[str]
    title_parts: frozenset[str]
    demonyms: dict[str, str] = field(default_factory=dict)  # demonyms the gazetteer lacks ("Burkinabe")
    agents: dict[tuple[str, ...], str] = field(default_factory=dict)  # body words -> sector
    max_agent_words: int = 1
    agent_first: frozenset[str] = frozenset()  # first words of agent phrases, to skip the rest fast
    state_agent_first: frozenset[str] = frozenset()  # the same for bodies of a state
    collective: frozenset[str] = frozenset()
    not_bare: frozenset[str] = frozenset()
    body_modifies: frozenset[str] = frozenset()
    group_anaphors: frozenset[str] = frozenset()
    group_adjectives: frozenset[str] = frozenset()
    pair_state_re: re.Pattern[str] = re.compile(r"(?!)")  # "both sides", "the two countries"
    pair_person_re: re.Pattern[str] = re.compile(r"(?!)")  # "the two leaders"
    title_before: re.Pattern[str] = re.compile(r"(?!)")  # a title right before a name
    the_title: re.Pattern[str] = re.compile(r"(?!)")  # "the prime minister"
    state_acts: tuple[str, ...] = ()
    state_titles: frozenset[str] = frozenset()
    capital_then: frozenset[str] = frozenset()
    doer_verbs: frozenset[str] = frozenset()
    body_after: frozenset[str] = frozenset()
    media_heads: frozenset[str] = frozenset()
    org_head_sectors: dict[tuple[str, ...], str] = field(default_factory=dict)  # an org's last words -> sector

    @classmethod
    def load(cls) -> "ActorLexicon":
        root = resources.files("events").joinpath("data")
        aliases: dict[str, KnownActor] = {}
        demonyms: dict[str, str] = {}
        for name in ACTOR_FILES:
            for row in _read_table(root.joinpath(name).read_text(encoding="utf-8"), name):
                if row["kind"] == "demonym":
                    demonyms.setdefault(row["name"].lower(), row["country"])
                    continue
                actor = KnownActor(row["name"], row["kind"], _cell(row["country"]), _cell(row.get("sector")),
                                   _date_cell(row.get("from")), _date_cell(row.get("to")))
                for alias in [row["name"], *(row.get("aliases") or "-").split("|")]:
                    if alias and alias != "-" and len(alias.split()) <= MAX_ALIAS_WORDS:
                        aliases.setdefault(alias_key(alias), actor)
        cues = json.loads(root.joinpath("actor_cues.json").read_text(encoding="utf-8"))
        agents: dict[tuple[str, ...], str] = {}
        for row in _read_table(root.joinpath("agents.tsv").read_text(encoding="utf-8"), "agents.tsv"):
            agents.setdefault(tuple(row["phrase"].split()), row["sector"])
        for phrase, sector in cues["state_bodies_extra"].items():
            agents[tuple(phrase.split())] = sector

        def alternation(key: str) -> str:
            phrases = sorted(cues[key], key=lambda p: -len(p))
            return "(" + "|".join(r"\s+".join(re.escape(w) for w in p.split()) for p in phrases) + ")"

        return cls(
            aliases=aliases,
            max_alias_words=max(len(k.split()) for k in aliases),
            titles=frozenset(cues["titles"]),
            org_heads=frozenset(cues["org_heads"]),
            state_nouns=tuple(tuple(s.split()) for s in sorted(cues["state_nouns"], key=lambda s: -len(s))),
            particles=frozenset(cues["name_particles"]),
            not_names=frozenset(cues["not_names"]),
            title_parts=frozenset(cues["title_parts"]),
            demonyms=demonyms,
            agents=agents,
            max_agent_words=max(len(k) for k in agents),
            agent_first=frozenset(k[0] for k in agents),
            state_agent_first=frozenset(k[0] for k, sector in agents.items() if sector in STATE_SECTORS),
            collective=frozenset(cues["collective_bodies"]),
            not_bare=frozenset(cues["not_bare_bodies"]),
            body_modifies=frozenset(cues["body_modifies"]),
            group_anaphors=frozenset(cues["group_anaphors"]),
            group_adjectives=frozenset(cues["group_adjectives"]),
            pair_state_re=re.compile(r"\b" + alternation("pair_states") + r"\b"),
            pair_person_re=re.compile(r"\b" + alternation("pair_persons") + r"\b"),
            title_before=re.compile(r"(?:^|[^\w])" + alternation("person_titles")
                                    + r"(?:\s+of\s+[\w\-]+(?:\s+[\w\-]+)?)?,?\s*$"),
            the_title=re.compile(r"\bthe\s+" + alternation("person_titles") + r"\b"),
            state_acts=tuple(cues["state_acts"]),
            state_titles=frozenset(cues["state_titles"]),
            capital_then=frozenset(cues["capital_then"]),
            doer_verbs=frozenset(cues["attack_doer_verbs"]),
            body_after=frozenset(cues["body_after"]),
            media_heads=frozenset(cues["media_heads"]),
            org_head_sectors={tuple(k.split()): v for k, v in cues["org_head_sectors"].items()},
        )

    def state_act(self, trigger_text: str) -> bool:
        """Whether a trigger names an act only a state does ("detained", "sentenced", "curfew")."""
        lower = trigger_text.lower()
        return any(lower.startswith(act) or lower.endswith(act) for act in self.state_acts)


def _cell(value: str | None) -> str | None:
    return None if value in (None, "", "-") else value


def _date_cell(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


def _read_table(text: str, name: str) -> list[dict[str, str]]:
    """Rows of a packaged tab-separated table with a header line; '#' lines are comments."""
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    if not lines:
        raise ActorDataError(f"{name}: no header line")
    header = lines[0].split("\t")
    rows = []
    for number, line in enumerate(lines[1:], 2):
        cells = line.split("\t")
        if len(cells) != len(header):
            raise ActorDataError(f"{name}: row {number} has {len(cells)} columns, the header {len(header)}: {line[:60]!r}")
        rows.append(dict(zip(header, cells)))
    return rows


def alias_key(text: str) -> str:
    """The form aliases are looked up by: one space between words, straight apostrophes."""
    return " ".join(text.replace("’", "'").split())
