"""Command line: parse arguments, call the library, print. Nothing else lives here."""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from events.ingest.limits import DEFAULT_ARTICLE_TIMEOUT, DEFAULT_MAX_ARTICLE_BYTES, MAX_UPLOAD_MB, ArticleLimits

if TYPE_CHECKING:
    from events.pipeline import PipelineConfig

DEFAULT_DB = Path("data/events.duckdb")
DASHBOARD_APP = "events_dashboard.app"  # the repository's dashboard/ folder, installed under this name
DB_OPTION = click.option(
    "--db",
    type=click.Path(path_type=Path),
    default=lambda: os.environ.get("EVENTS_DB", str(DEFAULT_DB)),
    show_default="data/events.duckdb or $EVENTS_DB",
    help="DuckDB database file (or a Parquet dataset folder).",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="event-atlas")
def main() -> None:
    """Event Atlas: news articles in, dated and geocoded PLOVER event records out."""


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path(path_type=Path))
@DB_OPTION
@click.option("--out", type=click.File("w", encoding="utf-8"), help="Also write the events as JSON Lines here ('-' for stdout).")
@click.option("--no-db", is_flag=True, help="Do not touch the database (with --out).")
@click.option("--workers", type=click.IntRange(min=1), default=None,
              help="Worker processes (default: one per core, up to 4, for 64 articles or more).")
@click.option("--online-geocoder", "geocoder_url", metavar="URL",
              help="Ask this Nominatim server about place names the offline gazetteer lacks (off by default; "
                   "cached, at most one request a second, runs in one process).")
@click.option("--geocoder-cache", type=click.Path(file_okay=False, path_type=Path), default=Path("data/cache"),
              show_default=True, help="Where the online geocoder keeps its answers.")
@click.option("--ner", type=click.Choice(["rules", "spacy"]), default="rules", show_default=True,
              help="Actor recognition: dictionary and rules only, or with spaCy's statistical NER added "
                   "(needs pip install 'event-atlas[ner]').")
@click.option("--max-article-bytes", type=click.IntRange(min=1), default=DEFAULT_MAX_ARTICLE_BYTES, show_default=True,
              help="Refuse (report and skip) an article with more UTF-8 text than this.")
@click.option("--article-timeout", type=click.FloatRange(min=0), default=DEFAULT_ARTICLE_TIMEOUT, show_default=True,
              help="Seconds one article may take to extract; past it the article is reported and skipped "
                   "(0: no limit).")
@click.option("--out-parquet", "out_parquet", metavar="DIR",
              help="Store into a month-partitioned Parquet dataset (a folder or fsspec URL such as s3://bucket/events) "
                   "instead of the database.")
@click.option("--cluster", metavar="ADDRESS",
              help="Extract on a Dask cluster: a scheduler address (tcp://host:8786) or local:N for N local worker "
                   "processes (needs pip install 'event-atlas[cluster]').")
@click.option("--min-confidence", type=click.FloatRange(0, 1), default=None,
              help="Keep only records of at least this confidence (default: the packaged confidence model's "
                   "keep_from; 0 keeps every record).")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar.")
def extract(paths: tuple[Path, ...], db: Path, out, no_db: bool, workers: int | None, geocoder_url: str | None,
            geocoder_cache: Path, ner: str, max_article_bytes: int, article_timeout: float, out_parquet: str | None,
            cluster: str | None, min_confidence: float | None, quiet: bool) -> None:
    """Extract events from text, HTML and JSON Lines files or folders (recursively).

    Articles and events are upserted into the database (or the Parquet dataset):
    the same input twice adds nothing, and a changed article replaces its old
    events. Unreadable inputs and articles that fail are reported one per line
    on stderr and skipped; the exit code is 1 if any was. The database stays
    readable (dashboard, export) during the run; a second extraction into it
    waits for this one to finish.
    """
    from tqdm import tqdm

    from events.dask_runner import ClusterError
    from events.runner import extract_paths
    from events.store.database import StoreError

    bar = None if quiet or not sys.stderr.isatty() else tqdm(unit="article", file=sys.stderr)

    def progress(done: int, total: int | None) -> None:
        if bar is not None:  # a count and a rate while the input streams in; the total only at the end
            bar.total = total
            bar.n = done
            bar.refresh()

    def report(message: str) -> None:
        (bar.write if bar is not None else _err)(message)

    from events.pipeline import Pipeline, PipelineConfig
    from events.text.ner import NerUnavailable, require_model

    ner_name = None if ner == "rules" else ner
    if ner_name:
        try:
            require_model()
        except NerUnavailable as err:
            raise click.ClickException(str(err)) from err
    config = PipelineConfig(ner=ner_name, min_confidence=min_confidence, geocoder_url=geocoder_url,
                            geocoder_cache=str(geocoder_cache) if geocoder_url else None)
    geocoder = pipeline = None
    if geocoder_url:
        from events.geo.online_geocoder import OnlineGeocoder

        geocoder = OnlineGeocoder(geocoder_url, geocoder_cache)
        pipeline, workers = Pipeline(geocoder=geocoder, ner=ner_name, config=config), 1  # one process keeps the rate limit honest
    if cluster and geocoder_url:
        raise click.ClickException("--online-geocoder runs in one process; it cannot be used with --cluster")
    target = None if no_db or out_parquet else db
    try:
        limits = ArticleLimits(max_bytes=max_article_bytes, timeout=article_timeout or None)
        with _executor(cluster, config, report, limits) as executor:
            summary = extract_paths(paths, target, progress, out, pipeline, report, workers, ner_name, config=config,
                                    limits=limits, parquet=None if no_db else out_parquet, executor=executor)
    except (StoreError, ClusterError) as err:
        raise click.ClickException(str(err)) from err
    finally:
        if bar is not None:
            bar.close()
        if geocoder is not None:
            geocoder.close()
    click.echo(summary.line(), err=out is not None and getattr(out, "name", "") == "<stdout>")
    if summary.errors:
        sys.exit(1)


@contextmanager
def _executor(
    cluster: str | None, config: PipelineConfig, report: Callable[[str], None], limits: ArticleLimits | None = None
) -> Iterator[object | None]:
    """The Dask executor for --cluster (its dashboard link reported first), else None: the local runner."""
    if not cluster:
        yield None
        return
    from events.dask_runner import DaskExecutor, cluster_client

    with cluster_client(cluster) as client:
        report(f"Dask dashboard: {client.dashboard_link}")
        yield DaskExecutor(client, config, limits=limits)


@main.command()
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--pred", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--clusters", type=click.Path(exists=True, dir_okay=False, path_type=Path),
              help="Which real-world event each gold line reports ({\"line\", \"cluster\"} a line, gold's order): "
                   "adds pairwise cluster precision and recall of the predictions' cluster_id.")
def evaluate(gold: Path, pred: Path, clusters: Path | None) -> None:
    """Score predicted events against gold events (EVENTS.md section 6), one 'name: value' per line."""
    from events.evaluate import GoldFormatError, evaluate_files

    try:
        figures = evaluate_files(gold, pred, clusters)
    except GoldFormatError as err:
        raise click.ClickException(str(err)) from err
    _print_figures(figures)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def geoparse(path: Path) -> None:
    """Toponyms of each article, resolved to places: one JSON line per article on stdout."""
    from events.geo.gazetteer import Gazetteer
    from events.geo.geoparse import Geoparser

    geoparser = Geoparser(Gazetteer.load())
    _per_article(path, geoparser.geoparse_record)


@main.command()
@click.argument("path", type=click.Path(exists=True, path_type=Path))
def timex(path: Path) -> None:
    """TimeML temporal expressions of each article: one JSON line per article on stdout."""
    from events.time.timex import TimexTagger, timex_record

    tagger = TimexTagger()
    _per_article(path, lambda article: timex_record(article, tagger))


@main.group()
def benchmark() -> None:
    """Run a component over a public corpus in its own format and print its standard figures."""


@benchmark.command("geoparse")
@click.argument("corpus", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def benchmark_geoparse(corpus: Path) -> None:
    """LGL-format XML (e.g. ../shared/benchmarks/geoparsing/lgl.xml)."""
    from events.benchmarks.lgl import evaluate_lgl
    from events.geo.gazetteer import Gazetteer
    from events.geo.geoparse import Geoparser

    _print_figures(evaluate_lgl(corpus, Geoparser(Gazetteer.load())))


@benchmark.command("timex")
@click.argument("folders", nargs=-1, required=True, type=click.Path(exists=True, file_okay=False, path_type=Path))
def benchmark_timex(folders: tuple[Path, ...]) -> None:
    """TempEval-3 TimeML folders (e.g. ../shared/benchmarks/tempeval3/TimeBank)."""
    from events.benchmarks.tempeval import evaluate_tempeval
    from events.time.timex import TimexTagger

    tagger = TimexTagger()
    for folder in folders:
        if len(folders) > 1:
            click.echo(f"# {folder}")
        _print_figures(evaluate_tempeval(folder, tagger))


@benchmark.command("events")
@click.option("--gold", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.argument("articles", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
def benchmark_events(gold: Path, articles: tuple[Path, ...]) -> None:
    """Extract ARTICLES (no database) and score them against GOLD events."""
    import io
    import time

    from events.evaluate import GoldFormatError, gazetteer_state_code, read_jsonl, score
    from events.runner import extract_paths

    buffer = io.StringIO()
    started = time.perf_counter()
    summary = extract_paths(articles, None, out=buffer, on_error=_err)
    seconds = time.perf_counter() - started
    pred = [json.loads(line) for line in buffer.getvalue().splitlines()]
    try:
        figures = score(read_jsonl(gold), pred, gazetteer_state_code())
    except GoldFormatError as err:
        raise click.ClickException(str(err)) from err
    figures.update({"articles": summary.articles, "seconds": round(seconds, 2)})
    _print_figures(figures)


DATA_OPTION = click.option(
    "--data", type=click.Path(file_okay=False, path_type=Path),
    help="A Parquet event dataset folder (from --out-parquet) to use instead of --db.",
)


@main.command()
@DB_OPTION
@DATA_OPTION
@click.option("--format", "fmt", type=click.Choice(["csv", "geojson", "parquet", "jsonl", "gold"]), default="jsonl",
              show_default=True, help="gold: the events with analysts' corrections as a gold file for 'events evaluate'.")
@click.option("--out", type=click.Path(dir_okay=False, path_type=Path), help="Output file (default: stdout; required for parquet).")
@click.option("--partitioned", type=click.Path(file_okay=False, path_type=Path), metavar="DIR",
              help="With --format parquet: write a month-partitioned dataset (articles too) into this new folder.")
@click.option("--corrected-only", is_flag=True, help="With --format gold: only the events an analyst corrected.")
def export(db: Path, data: Path | None, fmt: str, out: Path | None, partitioned: Path | None, corrected_only: bool) -> None:
    """Write every stored event (analysts' corrections applied) as CSV, GeoJSON, Parquet, JSON Lines or gold,
    from the database or a dataset."""
    from events.store.convert import ConvertError, export_dataset
    from events.store.database import StoreError
    from events.store.exports import export_events

    source = data or db
    if not source.exists():
        raise click.ClickException(f"{source}: no such database or dataset (run 'events extract' first)")
    if partitioned is not None:
        if fmt != "parquet":
            raise click.ClickException("--partitioned needs --format parquet")
        try:
            articles, events = export_dataset(source, partitioned)
        except (StoreError, ConvertError) as err:
            raise click.ClickException(str(err)) from err
        click.echo(f"{articles} articles, {events} events written to {partitioned}")
        return
    if fmt == "parquet" and out is None:
        raise click.ClickException("--format parquet needs --out FILE or --partitioned DIR")
    try:
        data_bytes = export_events(source, fmt, corrected_only)
    except StoreError as err:
        raise click.ClickException(str(err)) from err
    if out is None:
        sys.stdout.buffer.write(data_bytes)
    else:
        out.write_bytes(data_bytes)


@main.command("import")
@click.argument("dataset", type=click.Path(exists=True, file_okay=False, path_type=Path))
@DB_OPTION
def import_(dataset: Path, db: Path) -> None:
    """Upsert a Parquet event dataset (from --out-parquet) into the DuckDB database, then re-cluster."""
    from events.store.convert import ConvertError, import_dataset
    from events.store.database import StoreError

    try:
        articles, events = import_dataset(str(dataset), db)
    except (StoreError, ConvertError) as err:
        raise click.ClickException(str(err)) from err
    click.echo(f"{db}: {articles} articles, {events} events")


@main.group()
def correction() -> None:
    """Analysts' corrections of stored events: add, undo, list (kept across re-extraction)."""


@correction.command("add")
@DB_OPTION
@click.argument("event_id")
@click.argument("field", type=click.Choice(["type", "mode", "actors", "targets", "date", "place", "status", "not_event"]))
@click.argument("value")
@click.option("--author", required=True, help="Who corrects (kept in the audit trail).")
@click.option("--note", help="Why.")
def correction_add(db: Path, event_id: str, field: str, value: str, author: str, note: str | None) -> None:
    """Correct FIELD of EVENT_ID to VALUE ("Russia; Ukraine" for actors, "2022-07" or "2022-07-28..2022-07-29"
    for a date, a gazetteer name for a place, "none" for no value, "true" for not_event); prints its id."""
    from events.store.corrections import CorrectionError, correct, parse_value

    find_place = None
    if field == "place":
        from events.geo.gazetteer import Gazetteer

        find_place = Gazetteer.load().candidates
    try:
        with _store(db) as store:
            click.echo(correct(store.connection, event_id, field, parse_value(field, value, find_place), author, note))
    except CorrectionError as err:
        raise click.ClickException(str(err)) from err


@correction.command("undo")
@DB_OPTION
@click.argument("correction_id", type=int)
@click.option("--author", required=True, help="Who undoes it (kept in the audit trail).")
def correction_undo(db: Path, correction_id: int, author: str) -> None:
    """Undo a correction (it stays in the trail, marked undone)."""
    from events.store.corrections import CorrectionError, undo

    try:
        with _store(db) as store:
            undo(store.connection, correction_id, author)
    except CorrectionError as err:
        raise click.ClickException(str(err)) from err


@correction.command("list")
@DB_OPTION
@click.option("--event", "event_id", help="Only this event's corrections.")
@click.option("--orphaned", is_flag=True, help="Only corrections whose event no longer exists.")
def correction_list(db: Path, event_id: str | None, orphaned: bool) -> None:
    """The audit trail, one JSON line per correction, oldest first."""
    from dataclasses import asdict

    from events.store import corrections

    with _store(db) as store:
        con = store.connection
        if orphaned:
            rows = corrections.orphaned(con)
        elif event_id:
            rows = corrections.history(con, event_id)
        else:
            rows = corrections.history_all(con)
    for row in rows:
        click.echo(json.dumps(asdict(row), ensure_ascii=False, default=str))


def _store(db: Path):  # noqa: ANN202
    from events.store.database import Store, StoreError

    if not db.exists():
        raise click.ClickException(f"{db}: no such database (run 'events extract' first)")
    try:
        return Store(db)
    except StoreError as err:
        raise click.ClickException(str(err)) from err


@main.command(context_settings={"ignore_unknown_options": True})
@DB_OPTION
@DATA_OPTION
@click.option("--port", type=int, default=8501, show_default=True)
@click.argument("streamlit_args", nargs=-1, type=click.UNPROCESSED)
def serve(db: Path, data: Path | None, port: int, streamlit_args: tuple[str, ...]) -> None:
    """Open the dashboard on the database or a Parquet dataset (runs 'streamlit run' on the installed app.py)."""
    app = dashboard_app()
    source = (data or db).resolve()
    env = dict(os.environ, EVENTS_DB=str(source))
    command = [sys.executable, "-m", "streamlit", "run", str(app), "--server.port", str(port),
               "--browser.gatherUsageStats", "false", "--server.maxUploadSize", str(MAX_UPLOAD_MB),
               *streamlit_args, "--", "--db", str(source)]
    sys.exit(subprocess.call(command, env=env))


def dashboard_app() -> Path:
    """The installed dashboard's app.py, found through the import system (without running it)."""
    try:
        spec = importlib.util.find_spec(DASHBOARD_APP)
    except ModuleNotFoundError:
        spec = None
    if spec is None or spec.origin is None or not Path(spec.origin).is_file():
        raise click.ClickException(f"{DASHBOARD_APP}: the dashboard is not installed (reinstall event-atlas)")
    return Path(spec.origin)


def _per_article(path: Path, to_record) -> None:
    from events.ingest.articles import IngestError, IngestWarning, read_paths

    failed = False
    for item in read_paths([path]):
        if isinstance(item, IngestError):
            _err(("warning: " if isinstance(item, IngestWarning) else "error: ") + str(item))
            failed = failed or not isinstance(item, IngestWarning)
            continue
        click.echo(json.dumps(to_record(item), ensure_ascii=False))
    if failed:
        sys.exit(1)


def _print_figures(figures: dict) -> None:
    for name, value in figures.items():
        click.echo(f"{name}: {value}")


def _err(message: str) -> None:
    click.echo(message, err=True)
