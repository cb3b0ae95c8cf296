"""Print templates to HTML (the kit's sandbox, autoescaped) and HTML to PDF (WeasyPrint), offline.

The PDF step fetches nothing from the network or the disk: the tenant's images reach the template as data:
URIs, and the URL fetcher refuses every other scheme (http, https, ftp, file), so a template cannot make the
server request an internal address (SSRF) or read a local file. Chinese glyphs come from a CJK font found by
fontconfig and are embedded (subset) in the PDF; the base stylesheet names the fonts explicitly.
"""

from __future__ import annotations

import functools
import glob
import logging
import shutil
import subprocess

from tandem.core.sandbox import SandboxError, render_template

MAX_TEMPLATE_CHARS = 100_000
MAX_OUTPUT_CHARS = 3_000_000
# The CJK families the base stylesheet asks for, in order; Debian ships them as fonts-wqy-microhei and
# fonts-noto-cjk.
CJK_FAMILIES = ("WenQuanYi Micro Hei", "Noto Sans CJK SC", "Noto Serif CJK SC", "Source Han Sans SC")
FONT_STACK = ", ".join(f'"{name}"' for name in CJK_FAMILIES) + ", sans-serif"

BASE_CSS = f"""
@page {{ size: A4; margin: 18mm 16mm 20mm 16mm;
  @bottom-center {{ content: counter(page) " / " counter(pages); font-size: 8pt; color: #666;
    font-family: {FONT_STACK}; }} }}
html {{ font-family: {FONT_STACK}; font-size: 10.5pt; line-height: 1.55; color: #111; }}
h1 {{ font-size: 18pt; text-align: center; letter-spacing: 2pt; margin: 0 0 8pt; }}
h2 {{ font-size: 12pt; margin: 14pt 0 6pt; }}
table {{ width: 100%; border-collapse: collapse; table-layout: fixed; }}
thead {{ display: table-header-group; }}
tr {{ page-break-inside: avoid; }}
th, td {{ border: 0.6pt solid #444; padding: 3pt 5pt; vertical-align: top; }}
th {{ background: #f0f0f0; font-weight: bold; white-space: nowrap; }}
.num {{ text-align: right; white-space: nowrap; }}
.plain td, .plain th {{ border: none; padding: 2pt 0; background: none; }}
.letterhead {{ display: flex; align-items: center; border-bottom: 1.2pt solid #222; padding-bottom: 6pt;
  margin-bottom: 10pt; }}
.letterhead img {{ max-height: 14mm; margin-right: 8pt; }}
.letterhead .company {{ font-size: 13pt; font-weight: bold; }}
.letterhead .lines {{ font-size: 8.5pt; color: #444; }}
.signatures {{ margin-top: 22pt; page-break-inside: avoid; }}
.signatures td {{ border: none; width: 50%; padding: 4pt 8pt 4pt 0; height: 22pt; position: relative; }}
.seal {{ position: absolute; width: 38mm; height: 38mm; opacity: 0.85; right: 10mm; top: -12mm; }}
.sign-image {{ max-height: 14mm; vertical-align: middle; }}
.muted {{ color: #555; font-size: 9pt; }}
"""

log = logging.getLogger(__name__)


class PrintError(ValueError):
    """A template that cannot be printed; `reasons` are shown in the editor (with their line)."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def render_html(body: str, data: dict, *, language: str) -> str:
    """The template rendered in the sandbox (autoescape on) as a full HTML document with the base stylesheet."""
    try:
        content = render_template(
            body,
            data,
            language=language,
            autoescape=True,
            max_chars=MAX_TEMPLATE_CHARS,
            max_output=MAX_OUTPUT_CHARS,
            what="rendered document",
        )
    except SandboxError as exc:
        raise PrintError(exc.reasons) from None
    lang = "zh-Hans" if language.startswith("zh") else "en"
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><style>{BASE_CSS}</style></head>'
        f"<body>{content}</body></html>"
    )


def offline_fetcher():
    """A WeasyPrint URL fetcher that serves data: URIs and refuses everything else."""
    from weasyprint.urls import URLFetcher

    class OfflineFetcher(URLFetcher):
        refused: list[str]

        def fetch(self, url, headers=None):
            if not url.lower().startswith("data:"):
                self.refused.append(url[:200])
                raise ValueError("Print templates may only use data: URIs and the tenant's own images.")
            return super().fetch(url, headers)

    fetcher = OfflineFetcher(allowed_protocols={"data"}, allow_redirects=False, timeout=1)
    fetcher.refused = []
    return fetcher


def html_to_pdf(html: str, *, fetcher=None) -> bytes:
    """The PDF of a rendered document; no network or file access (see `offline_fetcher`)."""
    import weasyprint

    fetcher = fetcher or offline_fetcher()
    # WeasyPrint reports refused resources as warnings and goes on without them.
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    return weasyprint.HTML(string=html, base_url=None, url_fetcher=fetcher).write_pdf()


@functools.cache
def cjk_font() -> str:
    """The first CJK family of the stylesheet installed on this machine, or "" (prints would show boxes)."""
    if shutil.which("fc-list"):
        try:
            listed = subprocess.run(
                ["fc-list", ":lang=zh", "family"], capture_output=True, text=True, timeout=10, check=False
            ).stdout
        except (OSError, subprocess.SubprocessError):
            listed = ""
        for family in CJK_FAMILIES:
            if family in listed:
                return family
    patterns = {"WenQuanYi Micro Hei": "wqy-microhei*", "Noto Sans CJK SC": "NotoSansCJK*"}
    for family, pattern in patterns.items():
        if glob.glob(f"/usr/share/fonts/**/{pattern}", recursive=True):
            return family
    return ""
