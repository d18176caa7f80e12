"""Print the one-page HTML briefing to PDF with WeasyPrint (an optional dependency)."""

from __future__ import annotations

from pathlib import Path

from briefing.config import Config
from briefing.deliver.channel import Delivered, View
from briefing.errors import DeliveryError
from briefing.files import write_atomic
from briefing.render import render_view


def deliver(view: View, config: Config) -> Delivered:
    """The `pdf` channel: the one-page HTML briefing printed to <name>.pdf in output_dir; its
    detail says when the briefing did not fit one page."""
    templates = config.render.templates
    html = render_view(view, "html", templates)
    target = config.output_dir / f"{view['name']}.pdf"
    pages = write_pdf(html, target, templates)
    detail = ""
    if pages > 1:
        detail = f"{target.name} is {pages} pages: the briefing does not fit one page" + (
            " (render.one_page is off)" if not config.render.one_page else ""
        )
    return Delivered("pdf", (target,), detail)


def write_pdf(html: str, target: Path, base_url: Path) -> int:
    """Print `html` (its relative links read from `base_url`) to the PDF file `target`;
    returns its number of pages."""
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/Cairo system libraries missing
        raise DeliveryError(
            "PDF output needs WeasyPrint and its system libraries (Pango): "
            "`pip install 'briefing[pdf]'` and, on Debian, `apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0` ({exc})"
        ) from exc
    document = HTML(string=html, base_url=str(base_url)).render()
    write_atomic(target, document.write_pdf())
    return len(document.pages)
