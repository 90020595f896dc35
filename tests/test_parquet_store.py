"""The Parquet dataset store: layout, idempotence, crash recovery, clustering, and the read side over it.

Every case extracts the repository's seed articles (real news) and compares
the dataset with what the DuckDB store holds for the same input.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from events.store import parquet as parquet_store
from events.store.convert import export_dataset, import_dataset
from events.models import RECORD_FIELDS
from events.store.parquet import ParquetStore
from events.store.queries import Filters, count_summary, read_connection
from events.runner import extract_paths
from events.store.database import StoreError

COLUMNS = ", ".join((*RECORD_FIELDS, "day"))


def seed_lines(seeds_dir: Path) -> list[dict]:
    return [json.loads(line) for line in (seeds_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()]


def write_jsonl(path: Path, items: list[dict]) -> Path:
    path.write_text("".join(json.dumps(item) + "\n" for item in items), encoding="utf-8")
    return path


def events_of(source: Path | str) -> list[tuple]:
    with read_connection(source) as con:
        return con.execute(f"SELECT {COLUMNS} FROM events ORDER BY event_id").fetchall()


def doc_ids_of_articles(source: Path | str) -> list[str]:
    with read_connection(source) as con:
        return [row[0] for row in con.execute("SELECT doc_id FROM articles ORDER BY doc_id").fetchall()]


def into_dataset(pipeline, paths: list[Path], dataset: Path):  # noqa: ANN201 - an ExtractSummary
    """`events extract PATHS --out-parquet DATASET`, in this process with the session's pipeline."""
    return extract_paths(paths, None, parquet=str(dataset), workers=1, pipeline=pipeline)


def first_half(item: dict) -> dict:
    """The same article cut to the sentences of its first half: a changed text under the same id."""
    text = item["text"][: len(item["text"]) // 2].rsplit(". ", 1)[0] + "."
    return dict(item, text=text)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture(scope="module")
def reference(pipeline, tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """The seed articles in a DuckDB file, one process."""
    db = tmp_path_factory.mktemp("reference") / "events.duckdb"
    extract_paths([seeds_dir / "articles.jsonl"], db, workers=1, pipeline=pipeline)
    return db


def test_layout_is_hive_by_event_month_with_an_undated_partition(
    pipeline, reference: Path, seeds_dir: Path, tmp_path: Path,
) -> None:
    dataset = tmp_path / "ds"
    into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    assert events_of(dataset) == events_of(reference)
    files = [str(p.relative_to(dataset)) for p in dataset.rglob("*.parquet")]
    undated = "__HIVE_DEFAULT_PARTITION__/month=__HIVE_DEFAULT_PARTITION__"
    name = r"part-[0-9a-f]{20}\.parquet"
    layout = rf"articles/{name}|events/year=(\d{{4}}/month=\d\d|{undated})/{name}"
    assert all(re.fullmatch(layout, f) for f in files), files
    with read_connection(dataset) as con:  # each file holds exactly its month's events
        wrong = con.execute(
            """SELECT count(*) FROM _event_files
               WHERE year IS DISTINCT FROM year(day) OR month IS DISTINCT FROM month(day)"""
        ).fetchall()
    assert wrong == [(0,)]
    assert json.loads((dataset / "_manifest.json").read_text())["events"] == len(events_of(reference))


def test_same_input_twice_leaves_the_dataset_byte_for_byte(pipeline, seeds_dir: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    before = snapshot(dataset)
    again = into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    assert again.skipped_unchanged == again.articles == 9
    assert snapshot(dataset) == before


def test_a_changed_article_replaces_its_events(pipeline, seeds_dir: Path, tmp_path: Path) -> None:
    items = seed_lines(seeds_dir)
    dataset = tmp_path / "ds"
    into_dataset(pipeline, [write_jsonl(tmp_path / "v1.jsonl", items)], dataset)
    before = events_of(dataset)
    changed = first_half(items[0])
    into_dataset(pipeline, [write_jsonl(tmp_path / "v2.jsonl", [changed])], dataset)
    assert len(events_of(dataset)) < len(before)
    clean = tmp_path / "clean"  # what the final inputs give from scratch
    into_dataset(pipeline, [write_jsonl(tmp_path / "final.jsonl", [changed, *items[1:]])], clean)
    assert events_of(dataset) == events_of(clean)
    assert doc_ids_of_articles(dataset) == sorted(i["id"] for i in items)  # each article once


def test_a_crash_before_the_commit_is_redone_without_duplicates(
    pipeline, seeds_dir: Path, tmp_path: Path, monkeypatch,
) -> None:
    dataset = tmp_path / "ds"
    real_put = parquet_store._put

    def crash_on_articles(fs, root: str, name: str, table) -> None:
        if "/articles/" in name:
            raise StoreError("simulated crash after the events files")
        real_put(fs, root, name, table)

    monkeypatch.setattr(parquet_store, "_put", crash_on_articles)
    with pytest.raises(StoreError):
        into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    assert list(dataset.glob("events/*/*/*.parquet")) and not list(dataset.glob("articles/*"))
    (dataset / "events" / "left.parquet.tmp").write_bytes(b"half a file")
    monkeypatch.setattr(parquet_store, "_put", real_put)
    rerun = into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    assert rerun.skipped_unchanged == 0
    clean = tmp_path / "clean"
    into_dataset(pipeline, [seeds_dir / "articles.jsonl"], clean)
    assert events_of(dataset) == events_of(clean)
    assert not list(dataset.rglob("*.tmp"))


def test_a_crash_between_new_and_old_version_keeps_the_newer(
    pipeline, seeds_dir: Path, tmp_path: Path, monkeypatch,
) -> None:
    items = seed_lines(seeds_dir)
    dataset = tmp_path / "ds"
    into_dataset(pipeline, [write_jsonl(tmp_path / "v1.jsonl", items)], dataset)
    changed = first_half(items[0])
    monkeypatch.setattr(ParquetStore, "_drop_docs", lambda self, key, doc_ids: (_ for _ in ()).throw(OSError("crash")))
    with pytest.raises(OSError):
        into_dataset(pipeline, [write_jsonl(tmp_path / "v2.jsonl", [changed])], dataset)
    monkeypatch.undo()
    with read_connection(dataset) as con:  # the crash left both versions
        assert con.execute("SELECT count(*) FROM articles WHERE doc_id = ?", [changed["id"]]).fetchall() == [(2,)]
    ParquetStore(str(dataset)).close()  # opening finishes the job
    clean = tmp_path / "clean"
    into_dataset(pipeline, [write_jsonl(tmp_path / "final.jsonl", [changed, *items[1:]])], clean)
    assert events_of(dataset) == events_of(clean)


def test_cluster_ids_match_the_duckdb_store(pipeline, seeds_dir: Path, tmp_path: Path) -> None:
    """Two copies of each seed article report the same events: every placed, dated one with an actor is linked."""
    items = seed_lines(seeds_dir)
    both = write_jsonl(tmp_path / "twice.jsonl", items + [dict(i, id=i["id"] + "-copy") for i in items])
    db, dataset = tmp_path / "events.duckdb", tmp_path / "ds"
    extract_paths([both], db, workers=1, pipeline=pipeline)
    into_dataset(pipeline, [both], dataset)
    with read_connection(dataset) as con:
        linked = con.execute("SELECT count(*) FROM events WHERE cluster_id IS NOT NULL").fetchall()[0][0]
    assert linked > 20
    assert events_of(dataset) == events_of(db)


def test_a_date_filter_reads_only_its_months(pipeline, seeds_dir: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    with read_connection(dataset) as con:
        month = con.execute("SELECT min(day) FROM events WHERE day >= DATE '2022-07-01'").fetchall()[0][0]
        plan = con.execute(
            "EXPLAIN ANALYZE SELECT count(*) FROM events WHERE day >= ? AND day < ? + INTERVAL 1 MONTH", [month, month]
        ).fetchall()[0][1]
    scanned, total = map(int, re.search(r"Row Groups Scanned: (\d+) / (\d+)", plan).groups())
    assert total > 3 and scanned == 1


def test_export_then_import_round_trips(reference: Path, tmp_path: Path) -> None:
    dataset = tmp_path / "ds"
    assert export_dataset(reference, dataset)[1] == len(events_of(reference))
    assert events_of(dataset) == events_of(reference)
    back = tmp_path / "back.duckdb"
    import_dataset(str(dataset), back)
    import_dataset(str(dataset), back)  # an upsert: twice is once
    assert events_of(back) == events_of(reference)
    assert doc_ids_of_articles(back) == doc_ids_of_articles(reference)


def test_extraction_goes_on_into_an_exported_dataset(
    pipeline, reference: Path, seeds_dir: Path, tmp_path: Path,
) -> None:
    dataset = tmp_path / "ds"
    export_dataset(reference, dataset)
    again = into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    assert again.skipped_unchanged == 9
    assert events_of(dataset) == events_of(reference)


def test_dashboard_upload_into_a_dataset_folder(reference: Path, tmp_path: Path) -> None:
    from events_dashboard import data

    dataset = tmp_path / "ds"
    export_dataset(reference, dataset)
    before = len(events_of(dataset))
    article = tmp_path / "article.txt"
    article.write_text("MOSCOW, July 6, 2022. Russia halted the flow of oil through the CPC pipeline on Tuesday.\n")
    summary = data.extract_uploads([article], dataset, lambda done, total: None)
    assert summary.errors == [] and summary.events >= 1
    with read_connection(dataset) as con:
        assert count_summary(con, Filters()).matching == before + summary.events


def test_fsspec_urls_write_and_read(pipeline, seeds_dir: Path, reference: Path) -> None:
    """memory:// stands for s3:// and the like: the same code goes through fsspec, offline."""
    url = "memory://event-atlas-test/ds"
    extract_paths([seeds_dir / "articles.jsonl"], None, parquet=url, workers=1, pipeline=pipeline)
    assert events_of(url) == events_of(reference)


def test_a_file_where_the_dataset_should_be_is_one_line(tmp_path: Path) -> None:
    blocker = tmp_path / "ds"
    blocker.write_text("not a folder")
    with pytest.raises(StoreError, match=r"ds: cannot create the dataset folder"):
        ParquetStore(str(blocker))



def test_the_dashboard_stamp_of_a_dataset_changes_when_a_batch_commits(
    pipeline, reference: Path, seeds_dir: Path, tmp_path: Path
) -> None:
    from events.store.queries import db_stamp

    dataset = tmp_path / "ds"
    export_dataset(reference, dataset)
    before = db_stamp(dataset)
    items = seed_lines(seeds_dir)
    into_dataset(pipeline, [write_jsonl(tmp_path / "v2.jsonl", [first_half(items[0])])], dataset)
    assert db_stamp(dataset) != before


def test_new_cluster_ids_rewrite_only_the_files_whose_ids_change(pipeline, seeds_dir: Path, tmp_path: Path) -> None:
    """A cluster id given, then taken away: each time exactly the files holding those events are rewritten,
    with every event's new id and the rows in their order (by day)."""
    import pyarrow.parquet as pq

    dataset = tmp_path / "ds"
    into_dataset(pipeline, [seeds_dir / "articles.jsonl"], dataset)
    files = sorted((dataset / "events").rglob("*.parquet"), key=lambda p: (-pq.read_metadata(p).num_rows, str(p)))
    big, other = files[0], files[1]
    order = pq.read_table(big).column("event_id").to_pylist()
    lone = pq.read_table(other).column("event_id").to_pylist()[0]
    clustered = "SELECT event_id, cluster_id FROM events WHERE cluster_id IS NOT NULL"
    with read_connection(dataset) as con:
        current = dict(con.execute(clustered).fetchall())
    given = {**current, order[0]: "c-test", order[1]: "c-test", lone: "c-lone"}
    taken = {k: v for k, v in given.items() if k != lone}

    for assignments, changed in ((given, {big, other}), (taken, {other})):
        before = snapshot(dataset)
        with ParquetStore(str(dataset)) as store:
            store.set_clusters(assignments)
        after = snapshot(dataset)
        rewritten = {dataset / n for n in before if n.endswith(".parquet") and before[n] != after.get(n)}
        assert rewritten == changed
        with read_connection(dataset) as con:
            stored = dict(con.execute(clustered).fetchall())
        assert stored == assignments
        assert pq.read_table(big).column("event_id").to_pylist() == order
