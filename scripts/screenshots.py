"""Screenshots of the practitioner's page and the staff tools for docs/screenshots/, in Debian's headless Chromium.

One run writes, on a laptop (1366x768, `-desktop`) and a phone (390x844, `-phone`):
start (the start screen), answer (an ordinary question: the bottom line and the quotes), questions (the same answer
with the questions under it), rules, facts, source (after tapping a citation), record (prepared, with reasons) and
danger (an answer under the danger banner, to what a practitioner types: what they were told, then their question);
and, on the laptop only, staff-review (the guardian signed in to /staff/, the Review tab's queue shown: both
questions, the ordinary one and the danger one, from both viewports).

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
ORDINARY = "A 15-year-old told me in confidence her stepdad hits her. Do I need her consent to refer?"
# A statement and the question, as a practitioner types it (the statement alone asks nothing: "No grounded answer").
DANGER = "She said her stepdad will kill her when she gets home tonight. Can I tell social care without asking mum?"
REASONS = ("She is at risk of significant harm at home; a referral protects her and asking dad first could put her "
           "at risk.")
GUARDIAN = "screenshots only " + os.urandom(6).hex()  # a throwaway password for this run's server
BOX = "#question textarea"
ANSWERS = "document.querySelectorAll('#chat .message-row.bot-row').length >= {n}"


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
        return Sharewise.open(replace(Settings.from_env(), data_dir=work / "data")).with_audit()
    from tests.conftest import hashing_embedder

    s = replace(Settings(), index_dir=work / "index", data_dir=work / "data", min_relevance=0.0, min_quote_score=0.0)
    corpus, embedder = load_corpus(s.corpus_dir), hashing_embedder()
    build_index(corpus, embedder, s, s.index_dir, progress=False)
    return Sharewise(s, corpus, embedder, load_index(s.index_dir, corpus, embedder, s)).with_audit()


def settle(page, ms: int = 900) -> None:
    page.wait_for_timeout(ms)  # the page script's scrolling and Gradio's transitions


def top_of(page, selector: str) -> None:
    """Bring an element's top to the top of the window (below the pinned banner, if any)."""
    page.evaluate("""(s) => { const e = document.querySelector(s);
      const pin = document.querySelector('#danger-banner .sw-pin');
      const off = pin && pin.getClientRects().length ? pin.getBoundingClientRect().height + 8 : 8;
      window.scrollTo(0, e.getBoundingClientRect().top + window.scrollY - off); }""", selector)
    settle(page, 500)


def tab(page, name: str) -> None:
    """Open a tab and bring its row of tab names to the top of the window."""
    button = page.get_by_role("tab", name=name, exact=True)
    button.click()
    settle(page, 600)
    page.evaluate("""(b) => { const list = b.closest('[role=tablist]') || b;
      window.scrollTo(0, list.getBoundingClientRect().top + window.scrollY - 8); }""", button.element_handle())
    settle(page, 500)


def open_source(page) -> str:
    """Tap the first citation number in the answer; if its passage does not come, choose it in the Citation list."""
    links = page.locator("#chat a[href^='#sw-cite-']")
    links.first.wait_for(timeout=30_000)
    links.first.click()
    try:
        page.wait_for_selector("#source-view mark", timeout=15_000)
        how = "tapped citation [1] in the answer"
    except Exception:  # noqa: BLE001 - Playwright's TimeoutError: fall back to the picker
        tab(page, "Source")
        page.click("#citation input")
        page.get_by_role("option").first.click()
        page.wait_for_selector("#source-view mark", timeout=30_000)
        how = "tapping [1] did not open it; chose the first citation in the Citation list"
    tab(page, "Source")
    page.locator("#source-view mark").first.scroll_into_view_if_needed()
    settle(page, 800)
    return how


def ask(page, question: str, n: int) -> None:
    page.fill(BOX, question)
    page.press(BOX, "Enter")
    page.wait_for_function(ANSWERS.format(n=n), timeout=180_000)
    page.wait_for_selector("#rules-panel .sw-flag", timeout=180_000)
    settle(page, 1500)  # the answer brought into view at its top


def practitioner(browser, url: str, out: Path, name: str, size: tuple[int, int]) -> None:
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(BOX)
    settle(page)
    page.screenshot(path=str(out / f"start-{name}.png"))

    ask(page, ORDINARY, 1)
    page.screenshot(path=str(out / f"answer-{name}.png"))
    page.wait_for_selector("#check-questions fieldset", state="visible", timeout=30_000)
    top_of(page, "#check-questions")
    page.screenshot(path=str(out / f"questions-{name}.png"))

    tab(page, "Rules")
    page.screenshot(path=str(out / f"rules-{name}.png"))
    tab(page, "Facts")
    page.wait_for_function("document.querySelector('#facts-note')?.innerText.trim().length > 0", timeout=30_000)
    page.screenshot(path=str(out / f"facts-{name}.png"))

    print(f"source-{name}: {open_source(page)}")
    page.screenshot(path=str(out / f"source-{name}.png"))

    tab(page, "Record")
    page.fill("#record-reasons textarea", REASONS)
    page.get_by_role("button", name="Prepare the record for download").click()
    page.wait_for_selector("#record-files a", timeout=30_000)
    settle(page)
    page.screenshot(path=str(out / f"record-{name}.png"))

    if name == "desktop":  # a thumbs-down with a comment, so the guardian's queue has something to show
        page.get_by_label("Dislike").last.click()
        page.wait_for_selector("#feedback-comment textarea", timeout=20_000)
        page.fill("#feedback-comment textarea", "The second quote is about adults, not children.")
        page.click("#feedback-send")
        settle(page)
    page.close()

    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(BOX)
    ask(page, DANGER, 1)
    page.wait_for_selector("#danger-banner .sw-pin", timeout=30_000)
    page.screenshot(path=str(out / f"danger-{name}.png"))
    page.close()


def staff(browser, url: str, out: Path) -> None:
    width, height = VIEWPORTS["desktop"]
    page = browser.new_page(viewport={"width": width, "height": height})
    page.goto(url + "staff/")
    page.wait_for_url("**/login?next=/staff/")
    page.fill("#username", "guardian")
    page.fill("#password", GUARDIAN)
    page.click("button[type=submit]")
    page.wait_for_function("document.querySelector('#signed-in')?.innerText.includes('guardian')", timeout=60_000)
    page.get_by_role("button", name="Show the queue").click()
    page.wait_for_function("document.querySelector('#review-queue').innerText.includes('consent to refer')",
                           timeout=30_000)
    settle(page)
    # From the row of tab names (Review open) to the queue's last row: taller than the window, at its width.
    top, bottom = page.evaluate("""() => { const y = (e) => e.getBoundingClientRect();
      const tabs = document.querySelector('[role=tablist]'), queue = document.querySelector('#review-queue');
      return [y(tabs).top + window.scrollY - 12, y(queue).bottom + window.scrollY + 12]; }""")
    page.screenshot(path=str(out / "staff-review-desktop.png"), full_page=True,
                    clip={"x": 0, "y": top, "width": width, "height": bottom - top})
    page.close()


def shoot(url: str, out: Path) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        for name, size in VIEWPORTS.items():
            practitioner(browser, url, out, name, size)
        staff(browser, url, out)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", action="store_true", help="the real model and index, not the fake Sharewise")
    ap.add_argument("--out", type=Path, default=OUT, help=f"where the PNGs go (default {OUT})")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sw = sharewise(args.real, Path(tmp))
        from tests.ui.live import accounts, start_server

        running = start_server(sw, accounts(guardian=GUARDIAN))
        try:
            shoot(running.url + "/", args.out)
        finally:
            running.close()
    print("\n".join(str(p) for p in sorted(args.out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
