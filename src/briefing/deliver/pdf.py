"""Print the one-page HTML briefing to PDF with WeasyPrint (an optional dependency)."""

from __future__ import annotations

from pathlib import Path

from briefing.config import Config
from briefing.deliver.channel import Delivered, View
from briefing.errors import DeliveryError
from briefing.files import write_atomic
from briefing.render import render_view


def deliver(view: View, config: Config) -> Delivered:
    """The `pdf` channel: the one-page HTML briefing printed to <name>.pdf in output_dir."""
    templates = config.render.templates
    html = render_view(view, "html", templates)
    return Delivered(
        "pdf", (write_pdf(html, config.output_dir / f"{view['name']}.pdf", templates),)
    )


def write_pdf(html: str, target: Path, base_url: Path) -> Path:
    """Print `html` (its relative links read from `base_url`) to the PDF file `target`."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/Cairo system libraries missing
        raise DeliveryError(
            "PDF output needs WeasyPrint and its system libraries (Pango): "
            "`pip install 'briefing[pdf]'` and, on Debian, `apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0` ({exc})"
        ) from exc
    write_atomic(target, HTML(string=html, base_url=str(base_url)).write_pdf())
    return target
