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
    assert (
        "Daily briefing" in text and "Caldmouth" in text and "checked against the sources" in text
    )
    assert "point at one" not in text  # the screen-only hint is not printed


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


# Screenshots of every page and width are kept here for a reader of the CI run (gitignored).
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"

# A page that loads a briefing in a frame and writes how wide its content is, read back with
# --dump-dom (the briefing's own CSP forbids scripts; this wrapper is not the briefing).
MEASURE = """<!doctype html><html><body><iframe id="f" src="{src}"
  style="width:{width}px;height:900px;border:0"></iframe><pre id="out">pending</pre>
<script>
document.getElementById("f").onload = function () {{
  var d = this.contentDocument.documentElement;
  document.getElementById("out").textContent =
    "scroll " + d.scrollWidth + " client " + d.clientWidth;
}};
</script></body></html>"""


def email_page(sample_briefing: Path) -> Path:
    from tests.conftest import REPO

    from briefing.render import load_view, render_view

    page = sample_briefing / "email-preview.html"
    view = load_view(sample_briefing / f"{NAME}.json")
    page.write_text(render_view(view, "email.html", REPO / "templates"), encoding="utf-8")
    return page


@pytest.mark.parametrize("width", [1280, 400])
@pytest.mark.parametrize("page", ["briefing", "email"])
def test_every_page_fits_its_width_in_chromium(
    sample_briefing: Path, tmp_path: Path, page: str, width: int
) -> None:
    source = sample_briefing / f"{NAME}.html" if page == "briefing" else email_page(sample_briefing)
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / f"{page}-{width}px.png"
    run_chromium(
        [f"--screenshot={shot}", f"--window-size={width},1400", source.as_uri()], tmp_path / "p1"
    )
    assert shot.exists() and shot.stat().st_size > 10_000, "no screenshot, or a blank one"
    wrapper = tmp_path / "measure.html"
    wrapper.write_text(MEASURE.format(src=source.as_uri(), width=width), encoding="utf-8")
    result = run_chromium(
        [
            "--allow-file-access-from-files",
            "--virtual-time-budget=5000",
            "--dump-dom",
            wrapper.as_uri(),
        ],
        tmp_path / "p2",
    )
    measured = result.stdout.split('<pre id="out">', 1)[1].split("<", 1)[0]
    scroll, client = (int(n) for n in measured.split()[1::2])
    assert scroll <= client, f"{page} at {width} px scrolls sideways: {measured}"
