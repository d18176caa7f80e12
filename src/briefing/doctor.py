"""`briefing doctor`: is everything a run needs in place? One line per check, with the fix."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from briefing.config import Config
from briefing.errors import ModelError


@dataclass(frozen=True)
class Check:
    """One line of `briefing doctor`: what was checked, how it went, how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""


def run_checks(config: Config) -> Iterator[Check]:
    """Every check, one at a time, so the CLI can print each as it comes."""
    for check in (
        _inbox,
        _output,
        _database,
        _embedding_model,
        _embedding_server,
        _summary_model,
        _parser,
        _pdf,
        _smtp,
        _feeds,
        _service,
    ):
        yield _guarded(check, config)


def _guarded(check: Callable[[Config], Check], config: Config) -> Check:
    name = check.__name__.strip("_").replace("_", " ")
    try:
        return check(config)
    except Exception as exc:  # a check must report, never stop the others
        return Check(name, False, f"{type(exc).__name__}: {str(exc).splitlines()[0]}")


def _inbox(config: Config) -> Check:
    inbox = config.inbox
    if not inbox.is_dir():
        return Check("inbox", False, f"{inbox} does not exist", f"mkdir -p {inbox}")
    files = sum(1 for p in inbox.rglob("*") if p.is_file() and not p.name.startswith("."))
    return Check("inbox", True, f"{inbox} ({files} files)")


def _writable(folder: Path) -> str | None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except OSError as exc:
        return exc.strerror or str(exc)
    return None


def _output(config: Config) -> Check:
    out = config.output_dir
    problem = _writable(out)
    if problem:
        return Check("output folder", False, f"{out}: {problem}", "make it writable: output_dir")
    return Check("output folder", True, f"{out} is writable")


def _database(config: Config) -> Check:
    path = config.database
    problem = _writable(path.parent)
    if problem:
        return Check("store", False, f"{path.parent}: {problem}", "make it writable: database")
    if not path.exists():
        return Check("store", True, f"{path} (created on the first run)")
    rebuild = "briefing rebuild (a new store from the inbox; written briefings are kept)"
    try:
        with contextlib.closing(sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)) as db:
            result = db.execute("PRAGMA quick_check").fetchone()[0]
    except sqlite3.DatabaseError as exc:
        return Check("store", False, f"{path}: {exc}", rebuild)
    if result != "ok":
        return Check("store", False, f"{path}: {result}", rebuild)
    if not os.access(path, os.W_OK):
        return Check("store", False, f"{path} is read-only", "make it writable: database")
    return Check("store", True, f"{path} passes its integrity check")


def _timed(load: Callable[[], object]) -> float:
    started = time.perf_counter()
    load()
    return time.perf_counter() - started


def _embedding_model(config: Config) -> Check:
    from briefing.embedding import INT8_SUFFIX, configured_encoder

    spec = config.grouping.embedding_model
    started = time.perf_counter()
    encoder = configured_encoder(config)
    encoder.encode(["a test sentence"])
    seconds = time.perf_counter() - started
    precision = "int8" if encoder.name.endswith(INT8_SUFFIX) else "float32"
    detail = f"{spec} loads and encodes, {precision} ({seconds:.1f} s)"
    return Check("embedding model", True, detail)


def _embedding_server(config: Config) -> Check:
    servers = config.grouping.embedding_server
    if not servers.endpoints:
        return Check("embedding server", True, "not used (articles are embedded here)")
    from briefing.embedding import run_encoder
    from briefing.embedding.server_encoder import ServerEncoder
    from briefing.endpoint_pool import Unanswered, endpoints_down

    fix = (
        "start the server or fix grouping.embedding_server.endpoints in config.yaml; "
        "until then articles are embedded here, more slowly"
    )
    down = endpoints_down(servers)
    if down:
        return Check("embedding server", False, "not answering: " + ", ".join(down), fix)
    encoder = run_encoder(config)
    assert isinstance(encoder, ServerEncoder)  # endpoints are configured
    try:
        cosine = encoder.check()
    except Unanswered as exc:
        return Check("embedding server", False, str(exc), fix)
    except ModelError as exc:
        return Check("embedding server", False, str(exc), f"serve {encoder.name} itself")
    detail = (
        f"{len(servers.endpoints)} server(s) serve {encoder.name} "
        f"(cosine {cosine:.4f} to the local model's vectors)"
    )
    return Check("embedding server", True, detail)


def _summary_model(config: Config) -> Check:
    if config.summary.mode == "extract":
        return Check("summary model", True, "not used (summary.mode: extract)")
    from briefing.summarise.backends import (
        backend_named,
        get_model,
        llamacpp_installed,
        resolve_backend,
    )

    settings = config.summary
    name = resolve_backend(settings)
    backend = backend_named(name)
    if not backend.capabilities.in_process:
        health = backend.check(settings.backend_settings(name)) if backend.check else None
        if health is None:
            return Check("summary model", True, f"served ({name}); not checked")
        return Check("summary model", health.ok, health.detail, health.fix)
    cache = settings.model_cache_dir
    seconds = _timed(lambda: get_model(settings, cache))
    fix = ""
    if settings.backend == "auto" and not llamacpp_installed():
        fix = "llama.cpp runs it faster: scripts/setup.sh installs llama-cpp-python"
    return Check("summary model", True, f"{settings.model} loads via {name} ({seconds:.1f} s)", fix)


def _parser(config: Config) -> Check:
    if config.summary.mode != "compress":
        return Check("sentence parser", True, f"not used (summary.mode: {config.summary.mode})")
    from briefing.summarise import protected_words
    from briefing.summarise.parser import get_parser

    spec = config.summary.parser
    seconds = _timed(lambda: get_parser(spec, protected_words(config)).plans(["It works."]))
    return Check("sentence parser", True, f"{spec} loads ({seconds:.1f} s)")


def _pdf(config: Config) -> Check:
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return Check(
            "PDF (WeasyPrint, Pango)",
            "pdf" not in config.render.formats,
            f"not available ({str(exc).splitlines()[0]})",
            "pip install 'briefing[pdf]'; apt-get install libpango-1.0-0 libpangoft2-1.0-0",
        )
    return Check("PDF (WeasyPrint, Pango)", True, "available")


def _smtp(config: Config) -> Check:
    settings = config.delivery.email
    if not settings.enabled:
        return Check("e-mail (SMTP)", True, "not enabled (delivery.email.enabled)")
    from briefing.deliver.smtp import check_connection

    where = f"{settings.host}:{settings.port} ({settings.security})"
    try:
        greeting = check_connection(settings)
    except OSError as exc:
        return Check(
            "e-mail (SMTP)",
            False,
            f"cannot connect to {where}: {exc}",
            "check delivery.email.host, port and security",
        )
    return Check("e-mail (SMTP)", True, f"{where} answers {greeting}; no mail sent")


def _feeds(config: Config) -> Check:
    count = len(config.fetch.feeds) + len(config.fetch.opml)
    missing = [str(p) for p in config.fetch.opml if not p.exists()]
    if missing:
        return Check("feeds", False, f"OPML file(s) not found: {', '.join(missing)}", "fetch.opml")
    return Check(
        "feeds", True, f"{count} feed source(s) configured" if count else "none configured"
    )


def _service(config: Config) -> Check:
    from briefing.handoff import probe, socket_path

    answer = probe(config)
    if answer is None:
        return Check("service", True, "not running: `briefing run` builds in its own process")
    if answer.pid is None:
        return Check(
            "service",
            True,
            f"listening at {socket_path(config)}, but it will not take runs: {answer.reason}; "
            "`briefing run` builds in its own process",
        )
    return Check("service", True, f"pid {answer.pid} takes `briefing run`'s runs")
