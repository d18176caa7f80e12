"""The sample briefing on paper and on screen: WeasyPrint PDF, and real headless Chromium."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from briefing.cli import cli

pytestmark = pytest.mark.slow

NAME = "2022-03-28_2022-03-30"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--enable-logging=stderr",
    "--v=0",
]


@pytest.fixture(scope="module")
def sample_briefing(
    tmp_path_factory,
) -> Path:
    """The sample inbox's briefing with the real default models, as HTML and PDF."""
    from tests.conftest import REPO, SAMPLE_INBOX

    root = tmp_path_factory.mktemp("print")
    shutil.copytree(SAMPLE_INBOX, root / "inbox")
    shutil.copytree(REPO / "templates", root / "templates")
    (root / "config.yaml").write_text("render:\n  formats: [html, json, pdf]\n", encoding="utf-8")
    result = CliRunner().invoke(
        cli,
        [
            "--config",
            str(root / "config.yaml"),
            "run",
            "--from",
            "2022-03-28",
            "--to",
            "2022-03-30",
        ],
    )
    assert result.exit_code == 0, result.output
    return root / "briefings"


def test_weasyprint_pdf_is_one_a4_page(sample_briefing: Path) -> None:
    reader = PdfReader(sample_briefing / f"{NAME}.pdf")
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = reader.pages[0].extract_text()
    assert "Daily briefing" in text and "Caldmouth" in text and "Faithfulness guard" in text


def chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if path is None:
        if os.environ.get("CI"):
            pytest.fail("chromium is not installed; .ci/run installs Debian's chromium package")
        pytest.skip("chromium is not installed (apt-get install chromium)")
    return path


def run_chromium(args: list[str], profile: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [chromium(), *CHROMIUM_FLAGS, f"--user-data-dir={profile}", *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_chromium_renders_the_page_without_console_errors(
    sample_briefing: Path, tmp_path: Path
) -> None:
    shot = tmp_path / "briefing.png"
    html = (sample_briefing / f"{NAME}.html").as_uri()
    result = run_chromium(
        [f"--screenshot={shot}", "--window-size=1280,1800", html], tmp_path / "profile"
    )
    assert shot.exists(), result.stderr[-2000:]
    width, height = struct.unpack(">II", shot.read_bytes()[16:24])  # PNG IHDR
    assert (width, height) == (1280, 1800)
    assert shot.stat().st_size > 50_000, "the screenshot is blank"
    console = [line for line in result.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console


def test_chromium_prints_the_page_on_one_letter_page(sample_briefing: Path, tmp_path: Path) -> None:
    pdf = tmp_path / "printed.pdf"
    html = (sample_briefing / f"{NAME}.html").as_uri()
    result = run_chromium(
        [f"--print-to-pdf={pdf}", "--no-pdf-header-footer", html], tmp_path / "profile"
    )
    assert pdf.exists(), result.stderr[-2000:]
    reader = PdfReader(pdf)
    assert len(reader.pages) == 1, "the briefing must fit one printed page"
