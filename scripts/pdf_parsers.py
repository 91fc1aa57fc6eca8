"""Why Sharewise reads PDFs with pypdfium2, measured: how many of the twelve known sentences of the test suite's
two-column PDF each parser gives back verbatim (both sides' whitespace collapsed to single spaces, nothing else
forgiven), and how long Sharewise's parse_pdf takes per page of a 50-page version.

Run: .venv/bin/python scripts/pdf_parsers.py"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # the generator lives in tests/ingest/make_docs.py

from assistant.ingest.parse_pdf import parse_pdf  # noqa: E402
from assistant.ingest.sandbox import Limits  # noqa: E402
from tests.ingest import make_docs  # noqa: E402

TIMING_PAGES = 50


def _pdfium_raw(path: Path) -> str:
    import pypdfium2 as pdfium

    pdf = pdfium.PdfDocument(path)
    try:
        return "\n".join(pdf[i].get_textpage().get_text_range() for i in range(len(pdf)))
    finally:
        pdf.close()


def _sharewise(path: Path) -> str:
    return parse_pdf(path, Limits()).text


def _pypdf(path: Path) -> str:
    from pypdf import PdfReader

    return "\n".join(page.extract_text() or "" for page in PdfReader(path).pages)


def _pdfminer(path: Path) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(str(path))


PARSERS: dict[str, Callable[[Path], str]] = {
    "pypdfium2 get_text_range (raw)": _pdfium_raw,
    "Sharewise parse_pdf (pypdfium2)": _sharewise,
    "pypdf extract_text": _pypdf,
    "pdfminer.six extract_text": _pdfminer,
}


def _collapsed(text: str) -> str:
    return " ".join(text.split())


def recovery(folder: Path) -> dict[str, tuple[int, ...]]:
    """Parser -> the numbers (1-based) of the make_docs.SENTENCES its text does not hold verbatim (whitespace
    collapsed); () when it recovers all of them."""
    pdf = make_docs.two_column_pdf(folder)
    out = {}
    for name, parse in PARSERS.items():
        text = _collapsed(parse(pdf))
        out[name] = tuple(n for n, s in enumerate(make_docs.SENTENCES, 1) if _collapsed(s) not in text)
    return out


def seconds_per_page(folder: Path, pages: int = TIMING_PAGES, sandboxed: bool = False) -> float:
    """Time per page (best of three) on the two-column content repeated `pages` times: parse_pdf in this process,
    or (`sandboxed`) the whole of extract(), worker start-up included."""
    from assistant.ingest.sandbox import extract

    pdf = make_docs.two_column_pdf(folder, "long.pdf", repeat=pages)
    run = extract if sandboxed else (lambda path: parse_pdf(path, Limits()))
    best = float("inf")
    for _ in range(3):
        started = time.perf_counter()
        extracted = run(pdf)
        best = min(best, time.perf_counter() - started)
    assert len(extracted.pages) == pages
    return best / pages


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        total = len(make_docs.SENTENCES)
        print(f"Verbatim sentences recovered from the two-column PDF (of {total}):")
        for name, missed in recovery(folder).items():
            note = f"  (missed: sentence {', '.join(map(str, missed))})" if missed else ""
            print(f"  {name:34} {total - len(missed):2d}/{total}{note}")
        inside, whole = seconds_per_page(folder), seconds_per_page(folder, sandboxed=True)
        print(f"Sharewise, {TIMING_PAGES}-page PDF: parse_pdf {inside * 1000:.1f} ms per page in process; "
              f"extract() {whole * 1000:.1f} ms per page with the sandboxed worker's start-up")


if __name__ == "__main__":
    main()
