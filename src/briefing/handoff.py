"""`briefing run` handed to a running `briefing serve`, which has its models loaded already.

The service listens on a Unix socket beside the store (`<state>/service.sock`, owner only).
A `briefing run` whose settings are the service's sends it the run and prints what comes
back: the files ingested, the progress, the briefing's report, the log lines. The run is
queued on the service's one worker, so it never competes with the daily briefing for the
cores. With no service (no socket, or no one listening), other settings, or a service that
stops mid-run, the command builds the briefing itself, as it always could.

One JSON object per line each way. Request: `{"protocol", "config", "first", "last",
"ingest", "pdf", "send", "log_level"}`; answers: `accepted`, `refused`, `file`, `total`,
`story`, `log`, `built`, `delivered`, `error`, and `end`.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import os
import queue
import socket
import socketserver
import threading
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from briefing.config import Config, load_config
from briefing.daterange import DateRange
from briefing.errors import BriefingError
from briefing.ondemand import DeliveryLine, FileLine, RunListener, RunRequest, carry_out

log = logging.getLogger(__name__)

PROTOCOL = 1
SOCKET_NAME = "service.sock"
CONNECT_SECONDS = 10.0  # to connect and be answered; a loaded machine can be slow
JOBSTORE = "handoff"  # in memory: a run handed over is the caller's, not the schedule's


def socket_path(config: Config) -> Path:
    """Where the service of this store listens."""
    return config.database.parent / SOCKET_NAME


def settings_of(config: Config) -> Any:
    """The settings a run depends on, comparable across processes."""
    return json.loads(config.model_dump_json())


class ServiceError(BriefingError):
    """The service's run failed; carries the exit code the service's error had."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# --- the command line's side -------------------------------------------------------------


@dataclass(frozen=True)
class ServiceAnswer:
    """A listening service's first answer: it takes the run (its pid), or says why not."""

    pid: int | None
    reason: str = ""


def probe(config: Config) -> ServiceAnswer | None:
    """Would this store's service take a run with these settings? None if none listens."""
    message = {"protocol": PROTOCOL, "config": settings_of(config), "probe": True}
    opened = _open(config, message)
    if opened is None:
        return None
    connection, answer, _ = opened
    connection.close()
    return answer


def run_in_service(config: Config, request: RunRequest, listener: RunListener) -> int | None:
    """Hand the run to this store's service. Returns the service's pid once the briefing is
    built and delivered; None if no service took it (build it here). Raises ServiceError
    if the service's run failed."""
    opened = _open(config, _request_message(config, request))
    if opened is None:
        return None
    connection, answer, lines = opened
    try:
        if answer.pid is None:
            log.info("the service did not take the run (%s): building here", answer.reason)
            return None
        connection.settimeout(None)  # a briefing takes as long as it takes
        if _follow(lines, listener):
            return answer.pid
    finally:
        connection.close()
    log.warning("the service (pid %d) stopped before the run ended: building here", answer.pid)
    return None


def _open(
    config: Config, message: dict[str, Any]
) -> tuple[socket.socket, ServiceAnswer, Iterator[dict[str, Any]]] | None:
    """Connect, send `message` and read the first answer; None if no service listens."""
    path = socket_path(config)
    if not path.exists():
        return None
    connection = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    connection.settimeout(CONNECT_SECONDS)
    try:
        connection.connect(str(path))
        _send(connection, message)
        lines = _lines(connection)
        first = next(lines, {"event": "refused", "reason": "it closed the connection"})
    except (OSError, ValueError) as exc:  # refused, stale, path too long, timed out
        log.info("no service at %s (%s): building here", path, exc)
        connection.close()
        return None
    if first.get("event") == "accepted":
        return connection, ServiceAnswer(int(first["pid"])), lines
    return connection, ServiceAnswer(None, str(first.get("reason", "no reason given"))), lines


def _request_message(config: Config, request: RunRequest) -> dict[str, Any]:
    return {
        "protocol": PROTOCOL,
        "config": settings_of(config),
        "first": request.dates.first.isoformat(),
        "last": request.dates.last.isoformat(),
        "ingest": request.ingest,
        "pdf": request.pdf,
        "send": request.send,
        "log_level": logging.getLogger().getEffectiveLevel(),
    }


def _follow(lines: Iterator[dict[str, Any]], listener: RunListener) -> bool:
    """Replay the service's answers; True once it said the run ended."""
    for message in lines:
        event = message["event"]
        if event == "file":
            listener.on_file(FileLine(**message["outcome"]))
        elif event == "total":
            listener.on_total(message["total"])
        elif event == "story":
            listener.on_story()
        elif event == "phase":
            listener.on_phase(message["phase"])
        elif event == "log":
            logging.getLogger(message["name"]).log(message["level"], "%s", message["message"])
        elif event == "built":
            listener.on_built(message["report"], message["files"])
        elif event == "delivered":
            listener.on_delivered([DeliveryLine(**d) for d in message["deliveries"]])
        elif event == "error":
            raise ServiceError(message["message"], message["exit_code"])
        elif event == "end":
            return True
    return False


def _send(connection: socket.socket, message: dict[str, Any]) -> None:
    connection.sendall(json.dumps(message).encode() + b"\n")


def _lines(connection: socket.socket) -> Iterator[dict[str, Any]]:
    with connection.makefile("r", encoding="utf-8") as stream:
        for line in stream:
            yield json.loads(line)


# --- the service's side ------------------------------------------------------------------


class HandoffServer:
    """The service's socket: takes runs from `briefing run` and queues them on the
    scheduler's worker. Only `briefing serve` opens one."""

    def __init__(self, config: Config, config_path: str | None, submit: Submit) -> None:
        self.path = socket_path(config)
        self.config_path = config_path
        self.submit = submit
        self._server: socketserver.ThreadingUnixStreamServer | None = None

    def open(self) -> bool:
        """Listen; False (and a warning: runs are then built by the command) if it cannot."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if _someone_listens(self.path):
            log.warning("another service listens at %s: on-demand runs go to it", self.path)
            return False
        self.path.unlink(missing_ok=True)  # left by a service that was killed
        handler = type("Handler", (_Handler,), {"owner": self})
        try:
            self._server = socketserver.ThreadingUnixStreamServer(str(self.path), handler)
            os.chmod(self.path, 0o600)
        except OSError as exc:
            log.warning("cannot listen at %s (%s): `briefing run` builds by itself", self.path, exc)
            return False
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, name="handoff", daemon=True).start()
        log.info("on-demand runs: `briefing run` hands its runs to this service (%s)", self.path)
        return True

    def close(self) -> None:
        """Stop taking runs (those taken are still built and answered)."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self.path.unlink(missing_ok=True)
            self._server = None


Submit = Callable[[Callable[[], None]], None]


def _someone_listens(path: Path) -> bool:
    probe = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    try:
        probe.settimeout(CONNECT_SECONDS)
        probe.connect(str(path))
    except OSError:
        return False
    finally:
        probe.close()
    return True


class _Handler(socketserver.StreamRequestHandler):
    owner: HandoffServer

    def handle(self) -> None:
        try:
            request = json.loads(self.rfile.readline() or b"{}")
        except ValueError:
            return
        reason = self._refusal(request)
        if reason:
            self._answer({"event": "refused", "reason": reason})
            return
        self._answer({"event": "accepted", "pid": os.getpid()})
        if request.get("probe"):
            return
        answers: queue.Queue[dict[str, Any] | None] = queue.Queue()
        self.owner.submit(lambda: _run(self.owner.config_path, request, answers))
        while (answer := answers.get()) is not None:
            self._answer(answer)

    def _refusal(self, request: dict[str, Any]) -> str:
        if request.get("protocol") != PROTOCOL:
            return f"protocol {request.get('protocol')!r}, the service speaks {PROTOCOL}"
        try:
            settings = settings_of(load_config(self.owner.config_path))
        except BriefingError as exc:
            return f"the service cannot read its config: {exc}"
        if request.get("config") != settings:
            return "the command's settings are not the service's"
        return ""

    def _answer(self, message: dict[str, Any]) -> None:
        try:
            self.wfile.write(json.dumps(message).encode() + b"\n")
            self.wfile.flush()
        except OSError:
            pass  # the command went away (Ctrl-C): the run still completes and is written


class _Forward(logging.Handler):
    """The run's log lines, from the worker thread only, to the command."""

    def __init__(self, answers: queue.Queue[dict[str, Any] | None], level: int) -> None:
        super().__init__(level)
        self.answers = answers
        self.thread = threading.get_ident()

    def emit(self, record: logging.LogRecord) -> None:
        if record.thread == self.thread:
            self.answers.put(
                {
                    "event": "log",
                    "name": record.name,
                    "level": record.levelno,
                    "message": record.getMessage(),
                }
            )


def _run(
    config_path: str | None, request: dict[str, Any], answers: queue.Queue[dict[str, Any] | None]
) -> None:
    """The run itself, on the scheduler's worker; every outcome becomes an answer."""
    forward = _Forward(answers, int(request.get("log_level", logging.WARNING)))
    logging.getLogger().addHandler(forward)
    listener = RunListener(
        lambda line: answers.put({"event": "file", "outcome": asdict(line)}),
        lambda total: answers.put({"event": "total", "total": total}),
        lambda: answers.put({"event": "story"}),
        lambda report, files: answers.put({"event": "built", "report": report, "files": files}),
        lambda lines: answers.put({"event": "delivered", "deliveries": [asdict(d) for d in lines]}),
        lambda phase: answers.put({"event": "phase", "phase": phase}),
    )
    try:
        first, last = (dt.date.fromisoformat(request[key]) for key in ("first", "last"))
        wanted = RunRequest(
            DateRange(first, last), request["ingest"], request["pdf"], request["send"]
        )
        carry_out(load_config(config_path), wanted, listener)
        log.info("on-demand briefing %s built for `briefing run`", wanted.dates.name)
        answers.put({"event": "end"})
    except BriefingError as exc:
        answers.put({"event": "error", "message": str(exc), "exit_code": exc.exit_code})
    except Exception as exc:  # a bug: the command says so in one line, the service logs it
        log.exception("on-demand run failed")
        message = f"internal error in the service: {type(exc).__name__}: {exc} (see its log)"
        answers.put({"event": "error", "message": message, "exit_code": 1})
    finally:
        logging.getLogger().removeHandler(forward)
        answers.put(None)
