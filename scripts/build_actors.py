"""Build events/data/actors_phoenix.tsv and events/data/agents.tsv from the Phoenix dictionaries.

The Phoenix actor and agent dictionaries of PETRARCH2 (Open Event Data
Alliance, MIT licence; its notice is kept in events/data/PHOENIX_LICENSE) are
large, upper case and partly dated. The actor finder needs only a compact
slice, in normal case:

- demonyms the gazetteer lacks ("Burkinabe"), as `demonym` rows;
- state bodies of one country ("Afghan National Security Forces"), with
  their sector;
- persons who held a state office that ran into 2005 or later (the data end
  around 2016: actors_extra.tsv, kept by hand, adds later office holders);
- international organisations and armed non-state groups.

Agents ("border guards", "police", "court") become a word -> sector table
with the sector values of EVENTS.md section 3.

Usage: python scripts/build_actors.py [--phoenix ../shared/actors/phoenix] [--out events/data]
A test rebuilds both tables and compares them with the committed ones.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PHOENIX = ROOT.parent / "shared" / "actors" / "phoenix"

# CAMEO role codes -> EVENTS.md section 3 sectors
SECTORS = {
    "GOV": "government", "SPY": "government", "MIL": "military", "COP": "police", "JUD": "judiciary",
    "LEG": "legislature", "REB": "armed_group", "UAF": "armed_group", "INS": "armed_group",
    "OPP": "opposition", "PTY": "opposition", "IGO": "igo", "BUS": "business", "MED": "media",
    "CVL": "civilian",
}
STATE_SECTORS = frozenset({"government", "military", "police", "judiciary", "legislature"})
# CAMEO country codes that are not ISO 3166-1 alpha-3
CAMEO_EXTRA = {"KNT": "KN", "ROM": "RO", "ZAR": "CD", "TMP": "TL", "YUG": "RS", "KOS": "XK"}
OFFICE_SINCE = 20050101  # keep persons whose state office ran into this date or later
# lower case inside a name; "van", "de" are left capitalised (Nguyen Van An, Vietnamese)
PARTICLES = frozenset({"al", "bin", "ibn", "el", "of", "the", "and", "for", "on", "in", "ul", "bint", "wal"})
TITLE_WORDS = frozenset({"president", "prime", "minister", "premier", "king", "general", "gen.", "secretary",
                         "chairman", "foreign", "defense", "defence", "russian", "us", "u.s.", "leader", "mr.",
                         "mr", "sheikh", "chancellor", "senator", "governor", "ambassador", "deputy", "vice"})
NOT_DEMONYMS = frozenset({"Artois", "Outaouais", "Dodecanese", "Taian", "Aombe", "Austurriki", "Brunai", "Mahorais"})
ORG_WORDS = frozenset({
    "organization", "organisation", "union", "council", "agency", "court", "fund", "bank", "commission",
    "community", "assembly", "league", "alliance", "committee", "forces", "force", "army", "front", "movement",
    "brigade", "brigades", "group", "party", "police", "ministry", "office", "program", "programme", "tribunal",
    "parliament", "secretariat", "cooperation", "association", "federation", "network", "guard", "guards",
    "service", "services", "corps", "battalion", "jihad", "mujahideen", "militia", "taliban", "hezbollah",
    "hamas", "shabaab", "qaeda", "qaida", "state", "emirate", "jamaat", "legion", "resistance", "tigers",
    "partisans", "command", "authority", "administration", "government", "republic", "board", "institute",
})
DEMONYM_ENDINGS = ("ian", "ean", "ese", "be", "ois", "ais")

_CODE = re.compile(r"\[([^\]]*)\]")
_DATE = re.compile(r"(>|<)?\s*(\d{6,8})(?:\s*-\s*(\d{6,8}))?")


@dataclass
class Entry:
    """One dictionary entry: its head name, synonyms and role codes."""

    name: str
    synonyms: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)
    person_hint: bool = False  # "# CountryInfo.txt": the CountryInfo rulers list, all persons


def parse_actors(lines: Iterable[str]) -> Iterator[Entry]:
    """Entries of a PETRARCH actor file; `+` lines are synonyms, `[...]` lines or tails are codes."""
    entry: Entry | None = None
    for raw in lines:
        comment = raw.find("#")
        text = raw if comment == -1 else raw[:comment]
        hint = "CountryInfo.txt" in raw
        if not text.strip():
            if comment == -1 and entry is not None:
                yield entry
                entry = None
            continue
        if text.startswith("+"):
            if entry is not None:
                entry.synonyms.append(_CODE.sub("", text[1:]).strip())
            continue
        if text[0].isspace() and text.strip().startswith("["):
            if entry is not None:
                entry.codes.extend(c.strip() for c in _CODE.findall(text))
            continue
        if entry is not None:
            yield entry
        head = text.split("[", 1)[0].strip()
        entry = Entry(head, codes=[c.strip() for c in _CODE.findall(text)], person_hint=hint)
    if entry is not None:
        yield entry


_PAREN = re.compile(r"\s*\(([^)]*)\)")


def normal_case(raw: str) -> str:
    """'KASYMZHOMART_TOKAYEV_' -> 'Kasymzhomart Tokayev', 'MUQTADA_AL-SADR' -> 'Muqtada al-Sadr';
    a word of four letters or fewer alone is an acronym ('AQAP', 'HSM')."""
    words = [w for w in _PAREN.sub("", raw.replace("_", " ")).split() if w]  # "(AAIA)", "(UZBEKISTAN)"
    if len(words) == 1 and len(words[0]) <= 4 and words[0].isalpha():
        return words[0].upper()
    out = []
    for i, word in enumerate(words):
        out.append("-".join(_case_part(p, i == 0 and j == 0) for j, p in enumerate(word.split("-"))))
    return " ".join(out)


def _case_part(part: str, first: bool) -> str:
    lower = part.lower()
    if not first and lower in PARTICLES:
        return lower
    if "." in part and len(part) <= 5:
        return part.upper()  # "U.N.", "V."
    if "'" in part:
        return "'".join(p[:1].upper() + p[1:].lower() for p in part.split("'"))
    return part[:1].upper() + part[1:].lower()


def _date(text: str) -> int:
    """YYMMDD (two-digit years: 30 and later are 19xx) or YYYYMMDD as YYYYMMDD."""
    if len(text) == 8:
        return int(text)
    year = int(text[:2])
    return (1900 + year if year >= 30 else 2000 + year) * 10000 + int(text[2:6])


@dataclass(frozen=True)
class Role:
    country: str | None  # ISO alpha-2
    sector: str | None
    start: int | None
    end: int | None  # None: open


def parse_role(code: str, iso: dict[str, str]) -> Role | None:
    """'KAZGOV 991001-020128' -> Role(KZ, government, 19991001, 20020128); '>041014' is open-ended."""
    parts = code.split(None, 1)
    if not parts or len(parts[0]) < 3:
        return None
    tag = parts[0]
    country = None if tag[:3] in ("IGO", "NGO", "IMG", "INT", "---") else iso.get(tag[:3])
    rest = tag[3:] if tag[:3] not in ("IGO",) else tag
    sector = SECTORS.get(rest[:3]) if rest else None
    start = end = None
    if len(parts) > 1:
        m = _DATE.search(parts[1])
        if m:
            if m.group(1) == ">":
                start = _date(m.group(2))
            elif m.group(1) == "<":
                end = _date(m.group(2))
            else:
                start = _date(m.group(2))
                end = _date(m.group(3)) if m.group(3) else None
    return Role(country, sector, start, end)


@dataclass(frozen=True)
class Row:
    name: str
    kind: str
    country: str | None
    sector: str | None
    start: int | None
    end: int | None
    aliases: tuple[str, ...]

    def to_tsv(self) -> str:
        def cell(v: object) -> str:
            return "-" if v is None else str(v)
        return "\t".join([self.name, self.kind, cell(self.country), cell(self.sector), cell(self.start),
                          cell(self.end), "|".join(self.aliases) or "-"])


HEADER = "name\tkind\tcountry\tsector\tfrom\tto\taliases"


def iso_codes() -> dict[str, str]:
    """CAMEO/ISO alpha-3 -> alpha-2, from the countryinfo package (the build-data extra)."""
    from countryinfo import CountryInfo

    table: dict[str, str] = {}
    for info in CountryInfo.all().values():
        codes = info.get("ISO") or {}
        if codes.get("alpha3") and codes.get("alpha2"):
            table[codes["alpha3"].upper()] = codes["alpha2"].upper()
    table.update(CAMEO_EXTRA)
    return table


def _aliases(entry: Entry, name: str, known_word=lambda word: False) -> tuple[str, ...]:
    """Synonyms in normal case, less those that open with a title (the finder reads titles itself)
    and one-word ones that are also place names or demonyms ("Georgia" for a person)."""
    seen = {name}
    out = []
    for syn in entry.synonyms:
        alias = normal_case(syn)
        first = alias.split(" ", 1)[0].lower() if alias else ""
        if " " not in alias and known_word(alias):
            continue
        if alias and alias not in seen and first not in TITLE_WORDS and not alias.startswith(("The ", "Ex-", "Former ")):
            seen.add(alias)
            out.append(alias)
    return tuple(out)


def _group_like(name: str) -> bool:
    """A group's own name, not a leader's ('Abu Sayyaf' is kept by its org word elsewhere) or a date."""
    words = name.split()
    if not name[:1].isalpha() or words[0] in ("Abu", "Sheikh", "Mullah", "Dr."):
        return _is_org(name)
    return _is_org(name) or len(words) <= 2 and name[:1].isupper()


def _same_group(alias: str, name: str) -> bool:
    """A synonym that spells the group's name (or its acronym), not a leader listed as the group."""
    from rapidfuzz import fuzz

    if " " not in alias and alias.lower() in ORG_WORDS:
        return False  # "Organization" alone names no group
    return alias.isupper() or _is_org(alias) or fuzz.token_set_ratio(alias.lower(), name.lower()) >= 60


def _is_org(name: str) -> bool:
    words = {w.lower() for w in re.split(r"[\s\-]+", name)}
    return bool(words & ORG_WORDS)


def _demonym_like(word: str, country: str) -> bool:
    """An adjective of the country ('Burkinabe', 'Ivorian'), not a misspelt name or a district ('Baitadi')."""
    if " " in word or len(word) < 5 or "'" in word or not word.isalpha():
        return False
    if word in NOT_DEMONYMS:
        return False
    if word.endswith(DEMONYM_ENDINGS):
        return True
    return word.endswith("i") and word[:3].lower() == country[:3].lower() and not word.lower().startswith(
        country.lower()[:-1])


def country_rows(entries: Iterable[Entry], iso: dict[str, str], known_word) -> list[Row]:
    """Demonyms the gazetteer lacks, state bodies, and office holders since OFFICE_SINCE."""
    rows: list[Row] = []
    for entry in entries:
        name = normal_case(entry.name)
        if not name or not entry.codes:
            continue
        roles = [r for r in (parse_role(c, iso) for c in entry.codes) if r is not None]
        if len(entry.codes) == 1 and len(entry.codes[0]) == 3 and roles and roles[0].country:
            for syn in entry.synonyms:  # the country entry: its demonyms
                word = normal_case(syn)
                if _demonym_like(word, name) and not known_word(word):
                    rows.append(Row(word, "demonym", roles[0].country, None, None, None, ()))
            continue
        state = [r for r in roles if r.country and r.sector in STATE_SECTORS]
        if not state:
            continue
        dated = any(r.start or r.end for r in roles)
        if entry.person_hint or dated:
            current = [r for r in state if r.end is None or r.end >= OFFICE_SINCE]
            if not current:
                continue
            latest = max(current, key=lambda r: (r.end is None, r.end or 0, r.start or 0))
            rows.append(Row(name, "person", latest.country, latest.sector, latest.start, latest.end,
                            _aliases(entry, name, known_word)))
        elif _is_org(name):
            rows.append(Row(name, "org", state[0].country, state[0].sector, None, None, _aliases(entry, name)))
    return rows


def group_rows(entries: Iterable[Entry], iso: dict[str, str], kind: str) -> list[Row]:
    """International organisations (kind org, sector igo) or armed non-state groups (kind group)."""
    rows: list[Row] = []
    for entry in entries:
        name = normal_case(entry.name)
        if not name or not entry.codes:
            continue
        code = entry.codes[0].split()[0] if entry.codes[0].split() else ""
        if kind == "org":
            if not code.startswith("IGO") or not _is_org(name) or any(c.split()[1:] for c in entry.codes[:1]):
                continue
            rows.append(Row(name, "org", None, "igo", None, None, _aliases(entry, name)))
        else:
            if not _group_like(name):
                continue
            country = iso.get(code[:3])
            aliases = tuple(a for a in _aliases(entry, name) if _same_group(a, name))
            rows.append(Row(name, "group", country, "armed_group", None, None, aliases))
    return rows


def _expand_agent(phrase: str, macros: dict[str, list[str]]) -> list[str]:
    for key, values in macros.items():
        if key in phrase:
            return [p for v in values for p in _expand_agent(phrase.replace(key, v), macros)]
    return [phrase]


def _plural(word: str) -> str:
    if word.endswith("y") and word[-2:-1] not in "aeiou":
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "ch", "sh")):
        return word + "es"
    return word + "s"


def agent_rows(lines: Iterable[str]) -> list[tuple[str, str]]:
    """(lower-case phrase, sector) from Phoenix.agents.txt, with the regular and listed plurals."""
    macros: dict[str, list[str]] = {}
    out: dict[str, str] = {}
    for raw in lines:
        text = raw.split("#", 1)[0].strip()
        if not text:
            continue
        if text.startswith("!") and "=" in text:
            key, values = text.split("=", 1)
            macros[key.strip()] = [v.strip() for v in values.split(",") if v.strip()]
            continue
        m = re.match(r"([^\[{]+?)\s*(?:\{([^}]*)\})?\s*\[~([A-Z]+)\]", text)
        if not m:
            continue
        sector = SECTORS.get(m.group(3)[:3])
        if sector is None:
            continue
        head = m.group(1).strip()
        stopped = head.endswith("_")
        plurals = m.group(2)
        for phrase in _expand_agent(head, macros):
            words = phrase.strip("_").lower().replace("_", " ")
            if not words or len(words.split()) > 4:
                continue
            out.setdefault(words, sector)
            if plurals is not None:
                for p in plurals.split():
                    out.setdefault(p.strip("_").lower().replace("_", " "), sector)
            elif not stopped and not words.endswith("s"):
                parts = words.split()
                out.setdefault(" ".join([*parts[:-1], _plural(parts[-1])]), sector)
    return sorted(out.items())


def build(phoenix: Path, known_word) -> tuple[list[Row], list[tuple[str, str]]]:
    """Both tables from the Phoenix files; `known_word` says whether the gazetteer already knows a word."""
    iso = iso_codes()

    def read(name: str) -> list[str]:
        return (phoenix / name).read_text(encoding="utf-8", errors="replace").splitlines()

    rows = country_rows(parse_actors(read("Phoenix.Countries.actors.txt")), iso, known_word)
    rows += group_rows(parse_actors(read("Phoenix.International.actors.txt")), iso, "org")
    rows += group_rows(parse_actors(read("Phoenix.MilNonState.actors.txt")), iso, "group")
    unique: dict[tuple[str, str], Row] = {}
    for row in rows:
        unique.setdefault((row.name, row.kind), row)
    agents = agent_rows(read("Phoenix.agents.txt"))
    return sorted(unique.values(), key=lambda r: (r.kind, r.name)), agents


def gazetteer_knows():
    """A `known_word` over the packaged gazetteer: a demonym or any place name."""
    sys.path.insert(0, str(ROOT))
    from events.geo.gazetteer import Gazetteer

    gaz = Gazetteer.load()
    return lambda word: gaz.demonym(word) is not None or bool(gaz.rows_for(word))


def render(rows: list[Row], agents: list[tuple[str, str]]) -> tuple[str, str]:
    note = ("# Built by scripts/build_actors.py from the Phoenix dictionaries of PETRARCH2 (MIT, see PHOENIX_LICENSE).\n"
            "# Do not edit: change actors_extra.tsv or the builder. Dates are YYYYMMDD of the office kept.\n")
    actors = note + HEADER + "\n" + "".join(r.to_tsv() + "\n" for r in rows)
    agent_text = (note.replace("Dates are YYYYMMDD of the office kept.", "phrase -> EVENTS.md section 3 sector.")
                  + "phrase\tsector\n" + "".join(f"{p}\t{s}\n" for p, s in agents))
    return actors, agent_text


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--phoenix", type=Path, default=PHOENIX)
    parser.add_argument("--out", type=Path, default=ROOT / "events" / "data")
    args = parser.parse_args(argv)
    if not (args.phoenix / "Phoenix.Countries.actors.txt").exists():
        print(f"{args.phoenix}: no Phoenix.Countries.actors.txt here", file=sys.stderr)
        return 1
    rows, agents = build(args.phoenix, gazetteer_knows())
    actors, agent_text = render(rows, agents)
    (args.out / "actors_phoenix.tsv").write_text(actors, encoding="utf-8")
    (args.out / "agents.tsv").write_text(agent_text, encoding="utf-8")
    print(f"{len(rows)} actors, {len(agents)} agent phrases -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
