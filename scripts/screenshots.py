"""Screenshots of the practitioner's page and the staff tools for docs/screenshots/, in Debian's headless Chromium.

One run writes, on a laptop (1366x768, `-desktop`) and a phone (390x844, `-phone`):
start (the start screen), answer (an ordinary question: the bottom line and the quotes), questions (the same answer
with the questions under it), rules, facts, source (after tapping a citation), record (prepared, with reasons) and
danger (an answer under the danger banner, to what a practitioner types: what they were told, then their question);
and, on the laptop only, staff-review (the guardian signed in to /staff/, the Review tab's queue shown: both
questions, the ordinary one and the danger one, from both viewports) and staff-documents (the guardian's Local
documents tab after adding the fictional test documents of evals/local/docs/: three through
`assistant.ingest.library.ingest` and `update_index`, the 2019 Northmoor procedure superseded by the current one and
the Hartley protocol last checked over 12 months ago, and the Eastvale policy through the tab's own form).

    .venv/bin/python scripts/screenshots.py            # the fake Sharewise (real corpus, tiny hashing embedder)
    .venv/bin/python scripts/screenshots.py --real     # the real model and index (`sharewise index` first)
    .venv/bin/python scripts/screenshots.py --real --staff --out /tmp/shots   # only the two staff screenshots

The server runs on 127.0.0.1 only, with its audit trail, local documents folder (SHAREWISE_LOCAL_DIR) and index
(SHAREWISE_INDEX_DIR; with --real, a copy of the real one) in a temporary folder: the local documents are added
only after the practitioner's screenshots, so those answer from the bundled sources alone, and nothing is written to
the repository's index/ or the default local folder. Nothing leaves this computer.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
from dataclasses import replace
from datetime import date, timedelta
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
LOCAL_DOCS = REPO / "evals" / "local" / "docs"  # fictional test documents
NORTHMOOR = "Northmoor Safeguarding Children Partnership"
ANSWERS = "document.querySelectorAll('#chat .message-row.bot-row').length >= {n}"


def sharewise(real: bool, work: Path):
    offline = {"HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    for name, value in offline.items():
        os.environ.setdefault(name, value)
    sys.path.insert(0, str(REPO))
    from assistant.corpus import load_corpus
    from assistant.index import build_index, live_dir, load_index
    from assistant.pipeline import Sharewise
    from assistant.settings import Settings

    built = live_dir(Settings.from_env().index_dir)  # the real index (read, never written)
    paths = {"SHAREWISE_DATA_DIR": work / "data", "SHAREWISE_LOCAL_DIR": work / "local",
             "SHAREWISE_INDEX_DIR": work / "index"}
    os.environ.update({name: str(path) for name, path in paths.items()})  # for anything that reads them later
    where = {"data_dir": work / "data", "local_dir": work / "local", "index_dir": work / "index"}
    if real:  # a copy of the real index, so that adding local documents builds beside the copy, not in index/
        shutil.copytree(built, work / "index", ignore=shutil.ignore_patterns("builds", "current", ".*"))
        return Sharewise.open(replace(Settings.from_env(), **where)).with_audit()
    from tests.conftest import hashing_embedder

    s = replace(Settings(), **where, min_relevance=0.0, min_quote_score=0.0)
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


def dislike(page) -> None:
    page.get_by_label("Dislike").last.click()
    page.wait_for_selector("#feedback-comment textarea", timeout=20_000)
    page.fill("#feedback-comment textarea", "The second quote is about adults, not children.")
    page.click("#feedback-send")
    settle(page)


def fill_the_queue(browser, url: str) -> None:
    """With --staff: the two questions asked on the laptop, and the thumbs-down, without screenshots."""
    width, height = VIEWPORTS["desktop"]
    for question in (ORDINARY, DANGER):
        page = browser.new_page(viewport={"width": width, "height": height})
        page.goto(url)
        page.wait_for_selector(BOX)
        ask(page, question, 1)
        if question == ORDINARY:
            dislike(page)
        page.close()


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
        dislike(page)
    page.close()

    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(BOX)
    ask(page, DANGER, 1)
    page.wait_for_selector("#danger-banner .sw-pin", timeout=30_000)
    page.screenshot(path=str(out / f"danger-{name}.png"))
    page.close()


def add_local_documents(sw) -> None:
    """Three of the fictional test documents into the temporary local folder, as `sharewise ingest` adds them (parsed
    in the sandbox), then the index updated and swapped in: the 2019 Northmoor procedure superseded by the current
    one, and the Hartley protocol last checked 400 days ago (the sources list flags it)."""
    from assistant.ingest.commands import update_index
    from assistant.ingest.library import Provenance, ingest

    stale = (date.today() - timedelta(days=400)).isoformat()
    for name, meta in [
        ("northmoor-scp-info-sharing-procedure-2019.md",
         Provenance(publisher=NORTHMOOR, id="northmoor-procedure-2019", date="2019-10-01")),
        ("northmoor-scp-info-sharing-procedure.md",
         Provenance(publisher=NORTHMOOR, id="northmoor-procedure-2025", date="2025-09-01",
                    supersedes=("northmoor-procedure-2019",))),
        ("hartley-schools-dsl-protocol.md",
         Provenance(publisher="Hartley Borough Council", id="hartley-dsl-protocol", date="2025-01-01",
                    checked_on=stale))]:
        ingest([LOCAL_DOCS / name], meta, sw.settings, added_by="guardian")
    update_index(sw.settings, progress=False, embedder=sw.embedder, second=sw.second)
    sw.refresh()


def documents(page, sw, out: Path) -> None:
    """The Local documents tab: one more document added through its form, then the sources list."""
    width, _ = VIEWPORTS["desktop"]
    add_local_documents(sw)
    tab(page, "Local documents")
    page.wait_for_function("document.querySelector('#sources-list')?.innerText.includes('superseded by')",
                           timeout=60_000)
    eastvale = LOCAL_DOCS / "eastvale-health-safeguarding-policy.md"
    page.set_input_files("#document-upload input[type=file]", str(eastvale))
    page.wait_for_function("document.querySelector('#document-upload')?.innerText.includes('eastvale')",
                           timeout=30_000)
    page.get_by_label("Publisher (required)").fill("Eastvale Community and Hospitals NHS Foundation Trust")
    page.get_by_label("Id (optional: else from the title and the year)").fill("eastvale-policy")
    page.get_by_label("Date of this edition (YYYY-MM-DD, optional)").fill("2025-05-01")
    page.get_by_role("button", name="Add document").click()
    page.wait_for_function("document.querySelector('#sources-list')?.innerText.includes('eastvale-policy') && "
                           "document.querySelector('#document-result')?.innerText.trim().length > 0", timeout=600_000)
    settle(page)
    result = page.inner_text("#document-result").strip()
    print(f"staff-documents: {result.splitlines()[0]}")
    # From the row of tab names (Local documents open) to the Remove button: taller than the window, at its width.
    top, bottom = page.evaluate("""() => { const y = (e) => e.getBoundingClientRect();
      const tabs = document.querySelector('[role=tablist]');
      const last = [...document.querySelectorAll('button')].find(b => b.innerText.trim() === 'Remove');
      return [y(tabs).top + window.scrollY - 12, y(last).bottom + window.scrollY + 12]; }""")
    page.screenshot(path=str(out / "staff-documents-desktop.png"), full_page=True,
                    clip={"x": 0, "y": top, "width": width, "height": bottom - top})


def staff(browser, url: str, out: Path, sw) -> None:
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
    documents(page, sw, out)
    page.close()


def shoot(url: str, out: Path, sw, only_staff: bool = False) -> None:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        if only_staff:
            fill_the_queue(browser, url)
        else:
            for name, size in VIEWPORTS.items():
                practitioner(browser, url, out, name, size)
        staff(browser, url, out, sw)
        browser.close()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--real", action="store_true", help="the real model and index, not the fake Sharewise")
    ap.add_argument("--out", type=Path, default=OUT, help=f"where the PNGs go (default {OUT})")
    ap.add_argument("--staff", action="store_true",
                    help="only the staff screenshots (the two questions are asked once, on the laptop, unphotographed, "
                         "so the Review queue has them from one viewport, not two)")
    args = ap.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        sw = sharewise(args.real, Path(tmp))
        from tests.ui.live import accounts, start_server

        running = start_server(sw, accounts(guardian=GUARDIAN))
        try:
            shoot(running.url + "/", args.out, sw, only_staff=args.staff)
        finally:
            running.close()
    print("\n".join(str(p) for p in sorted(args.out.glob("*.png"))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
