"""Screenshots of the practitioner's page for docs/screenshots/: the start screen and an answer with the danger banner,
on a laptop (1366x768) and a phone (390x844), in Debian's headless Chromium.

    .venv/bin/python scripts/screenshots.py            # the fake Sharewise (real corpus, tiny hashing embedder)
    .venv/bin/python scripts/screenshots.py --real     # the real model and index (`sharewise index` first)

The server runs on 127.0.0.1 only, with its audit trail in a temporary folder; nothing leaves this computer.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
OUT = REPO / "docs" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
VIEWPORTS = {"desktop": (1366, 768), "phone": (390, 844)}
DANGER = "A Year 10 pupil told me her stepdad will kill her when she gets home. Can I tell social care?"


def sharewise(real: bool, work: Path):
    offline = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    for name, value in offline.items():
        os.environ.setdefault(name, value)
    os.environ["SHAREWISE_DATA_DIR"] = str(work / "data")
    sys.path.insert(0, str(REPO))
    from assistant.corpus import load_corpus
    from assistant.index import build_index, load_index
    from assistant.pipeline import Sharewise
    from assistant.settings import Settings

    if real:
        return Sharewise.open(replace(Settings.from_env(), data_dir=work / "data"))
    from tests.conftest import hashing_embedder

    s = replace(Settings(), index_dir=work / "index", data_dir=work / "data", min_relevance=0.0, min_quote_score=0.0)
    corpus, embedder = load_corpus(s.corpus_dir), hashing_embedder()
    build_index(corpus, embedder, s, s.index_dir, progress=False)
    return Sharewise(s, corpus, embedder, load_index(s.index_dir, corpus, embedder, s))


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=["--headless", "--no-sandbox", "--disable-gpu"])
        for name, (width, height) in VIEWPORTS.items():
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(url)
            page.wait_for_selector("#question textarea")
            page.wait_for_timeout(800)
            page.screenshot(path=str(out / f"start-{name}.png"))
            page.fill("#question textarea", DANGER)
            page.press("#question textarea", "Enter")
            page.wait_for_selector("#danger-banner .sw-pin", timeout=120_000)
            page.wait_for_selector("#rules-panel .sw-flag", timeout=120_000)
            page.wait_for_timeout(1200)  # the answer brought into view at its top
            page.screenshot(path=str(out / f"danger-{name}.png"))
            page.close()
        browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", action="store_true", help="the real model and index, not the fake Sharewise")
    ap.add_argument("--out", type=Path, default=OUT, help=f"where the PNGs go (default {OUT})")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sw = sharewise(args.real, Path(tmp))
        from tests.ui.live import start_server

        running = start_server(sw)
        try:
            shoot(running.url + "/", args.out)
        finally:
            running.close()
    print("\n".join(str(p) for p in sorted(args.out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
