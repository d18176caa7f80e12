"""Print the one-page HTML briefing to PDF with WeasyPrint (an optional dependency)."""

from __future__ import annotations

from pathlib import Path

from briefing.errors import DeliveryError


def write_pdf(html: str, target: Path, base_url: Path) -> Path:
    try:
        from weasyprint import HTML
    except (ImportError, OSError) as exc:  # OSError: Pango/Cairo system libraries missing
        raise DeliveryError(
            "PDF output needs WeasyPrint and its system libraries (Pango): "
            "`pip install 'briefing[pdf]'` and, on Debian, `apt-get install libpango-1.0-0 "
            f"libpangoft2-1.0-0` ({exc})"
        ) from exc
    tmp = target.with_name(f".{target.name}.tmp")
    HTML(string=html, base_url=str(base_url)).write_pdf(tmp)
    tmp.replace(target)
    return target
