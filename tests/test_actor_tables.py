"""The packaged actor tables: built from the Phoenix dictionaries, readable, and shipped by a plain install."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from events.actors.dictionary import ActorDataError, ActorLexicon, _read_table

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "events" / "data"
PHOENIX = ROOT.parent / "shared" / "actors" / "phoenix"


def _load_builder():
    spec = importlib.util.spec_from_file_location("build_actors", ROOT / "scripts" / "build_actors.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_actors"] = module  # dataclasses look their module up there
    assert spec.loader is not None
    spec.loader.exec_module(module)
    return module


@pytest.mark.skipif(not PHOENIX.is_dir(), reason=f"{PHOENIX}: the Phoenix dictionaries the tables are built from are "
                    "not beside this clone, so the build cannot be repeated here (it runs where ../shared is)")
def test_committed_tables_are_what_the_builder_makes() -> None:
    builder = _load_builder()
    rows, agents = builder.build(PHOENIX, builder.gazetteer_knows())
    actors_text, agents_text = builder.render(rows, agents)
    assert (DATA / "actors_phoenix.tsv").read_text(encoding="utf-8") == actors_text
    assert (DATA / "agents.tsv").read_text(encoding="utf-8") == agents_text


def test_builder_reads_dated_roles_and_normal_case() -> None:
    builder = _load_builder()
    iso = {"KAZ": "KZ"}
    assert builder.parse_role("KAZGOV 991001-020128", iso) == builder.Role("KZ", "government", 19991001, 20020128)
    assert builder.parse_role("KAZMIL >041014", iso) == builder.Role("KZ", "military", 20041014, None)
    assert builder.normal_case("KASYMZHOMART_TOKAYEV_") == "Kasymzhomart Tokayev"
    assert builder.normal_case("MUQTADA_AL-SADR") == "Muqtada al-Sadr"
    assert builder.normal_case("ADEN_ABYAN_ISLAMIC_ARMY_(AAIA)_") == "Aden Abyan Islamic Army"


def test_builder_keeps_office_holders_since_2005_only() -> None:
    builder = _load_builder()
    lines = [
        "OLD_RULER_  # CountryInfo.txt", "\t[KAZGOV 910101-991001]", "",
        "NEW_MINISTER_  # CountryInfo.txt", "\t[KAZELI 710101-991001]", "\t[KAZGOV 030101-070131]", "",
    ]
    rows = builder.country_rows(builder.parse_actors(lines), {"KAZ": "KZ"}, lambda word: False)
    assert [(r.name, r.country, r.sector, r.start, r.end) for r in rows] == [
        ("New Minister", "KZ", "government", 20030101, 20070131)]


def test_the_phoenix_licence_ships_beside_its_data() -> None:
    assert "MIT License" in (DATA / "PHOENIX_LICENSE").read_text(encoding="utf-8")
    assert "PHOENIX_LICENSE" in (DATA / "actors_phoenix.tsv").read_text(encoding="utf-8").splitlines()[0]


def test_a_row_with_the_wrong_number_of_columns_names_the_file() -> None:
    with pytest.raises(ActorDataError, match=r"actors_extra.tsv: row 3 has 2 columns"):
        _read_table("name\tkind\tcountry\nA\tperson\tKZ\nB\tperson\n", "actors_extra.tsv")


def test_a_plain_install_ships_the_actor_tables_and_reads_them(tmp_path: Path) -> None:
    """build_py (what `pip install .` runs) on a copy of the tree, then the lexicon loaded from the build."""
    src, out = tmp_path / "src", tmp_path / "lib"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("events", "dashboard"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, src / name)
    build = subprocess.run(
        [sys.executable, "-c", "from setuptools import setup; setup()", "-q", "build_py", "--build-lib", str(out)],
        cwd=src, capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert build.returncode == 0, build.stderr
    for name in ("actors.tsv", "actors_extra.tsv", "actors_phoenix.tsv", "agents.tsv", "PHOENIX_LICENSE"):
        assert (out / "events" / "data" / name).is_file(), name
    probe = ("import events.actors.dictionary as a; lex = a.ActorLexicon.load(); print(a.__file__); "
             "print(lex.aliases['Al-Shabaab'].country, lex.aliases['Nguyen Tan Dung'].sector, lex.agents[('police',)])")
    run = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=60,
                         env={"PYTHONPATH": str(out), "PATH": "/usr/bin:/bin"})
    assert run.returncode == 0, run.stderr
    where, found = run.stdout.splitlines()
    assert where.startswith(str(out))
    assert found == "SO government police"


def test_the_packaged_lexicon_knows_the_three_sources() -> None:
    lex = ActorLexicon.load()
    assert lex.aliases["Hezbollah"].kind == "group"  # actors.tsv
    assert lex.aliases["RSF"].name == "Rapid Support Forces"  # actors_extra.tsv
    assert lex.aliases["Nguyen Tan Dung"].country == "VN"  # actors_phoenix.tsv
    assert lex.demonyms["bahamian"] == "BS"  # a demonym the gazetteer lacks
    assert lex.agents[("border", "guards")] == "military"
