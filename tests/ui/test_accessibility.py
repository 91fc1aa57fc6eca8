"""WCAG 2.2 AA in the browser: axe-core on every screen, radio groups as one question, tabs by arrow keys, and the
page usable at 200% zoom and on a 390 px phone without sideways scrolling.

axe-core comes from npm (pinned below) into a cache folder outside the repository the first time it is needed; it is
injected with Playwright into Debian's Chromium on a context that bypasses the page's Content-Security-Policy (only
for this page: the app's CSP is tested elsewhere).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from .live import accounts, start_server
from .test_browser import browser  # noqa: F401 - Debian's Chromium

pytestmark = pytest.mark.slow

AXE_VERSION = "4.14.1"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING = ("serious", "critical")
GUARDIAN = "correct horse battery staple"
QUESTION = "A 15-year-old told me in confidence her stepdad hits her. Do I need her consent to refer?"
CHAT_TABS = ("Rules", "Facts", "Source", "Record")


def _need(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what}: `make test` should have installed it")
    pytest.skip(f"{what} (make test installs it) to run the accessibility test")


@pytest.fixture(scope="session")
def axe_js() -> Path:
    """The path of axe.min.js, installed from npm into a cache folder when it is not there yet."""
    cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "sharewise" / f"axe-core-{AXE_VERSION}"
    script = cache / "node_modules" / "axe-core" / "axe.min.js"
    if script.exists():
        return script
    npm = shutil.which("npm")
    if npm is None:
        _need("npm is missing")
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefix", str(cache),
                           f"axe-core@{AXE_VERSION}"], capture_output=True, text=True, timeout=300)
    if done.returncode != 0 or not script.exists():
        _need(f"npm could not install axe-core@{AXE_VERSION}: {done.stderr.strip()[-500:]}")
    return script


@pytest.fixture(scope="module")
def site(fake_sw):
    running = start_server(fake_sw, accounts(guardian=GUARDIAN))
    yield running.url
    running.close()


def axe(page, axe_js: Path) -> list[dict]:
    """The violations axe-core finds on the page as it is now (WCAG 2.0, 2.1 and 2.2, levels A and AA)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(axe_js))
    return page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})"
                         ".then(r => r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, "
                         "nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary}))})))",
                         AXE_TAGS)


def counts(violations: list[dict]) -> dict[str, int]:
    """Nodes failing, by impact."""
    c: Counter = Counter()
    for v in violations:
        c[v["impact"]] += len(v["nodes"])
    return dict(c)


def report(screen: str, violations: list[dict]) -> str:
    lines = [f"[axe] {screen}: {counts(violations) or 'no violations'}"]
    for v in violations:
        lines.append(f"  {v['impact']:<8} {v['id']}: {v['help']}")
        for n in v["nodes"][:25]:
            lines.append(f"           {n['target']}  -- {n['summary'].splitlines()[-1].strip()[:160]}")
    return "\n".join(lines)


def open_chat(browser, url: str, **viewport):  # noqa: F811
    context = browser.new_context(bypass_csp=True, viewport=viewport.pop("viewport", {"width": 1400, "height": 1000}),
                                  **viewport)
    page = context.new_page()
    page.goto(url + "/")
    page.wait_for_selector("#ask-button", timeout=30_000)
    return context, page


def ask(page) -> None:
    page.fill("#question textarea", QUESTION)
    page.click("#ask-button")
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    page.wait_for_timeout(300)


def prepare_the_record(page) -> None:
    """A decision and reasons in every box the record asks for, then "Prepare the record for download"."""
    page.locator("[id^=record-] input[type=radio]").first.check()
    for box in page.locator("[id^=record-] textarea:not([disabled]):not([readonly])").all():
        if box.is_visible() and not box.input_value().strip():
            box.fill("Reasons given for the test of the page.")
    page.get_by_role("button", name="Prepare the record for download").click()
    page.wait_for_selector("#record-files a", timeout=20_000)
    page.wait_for_timeout(300)


def check(results: dict[str, list[dict]]) -> None:
    print("\n" + "\n".join(report(screen, found) for screen, found in results.items()))
    blocking = {screen: [v for v in found if v["impact"] in BLOCKING] for screen, found in results.items()}
    assert not any(blocking.values()), "\n".join(report(s, v) for s, v in blocking.items() if v)


def test_no_serious_or_critical_axe_violations_on_the_chat(site, browser, axe_js):  # noqa: F811
    """The start screen, after an answer, each tab, and the Record tab with the record prepared."""
    results: dict[str, list[dict]] = {}
    context, page = open_chat(browser, site)
    try:
        results["start screen"] = axe(page, axe_js)
        ask(page)
        results["after an answer"] = axe(page, axe_js)
        for tab in CHAT_TABS:
            page.get_by_role("tab", name=tab, exact=True).click()
            page.wait_for_timeout(400)
            if tab == "Record":  # and again with the record prepared, its files offered for download
                results["tab Record"] = axe(page, axe_js)
                tab = "Record, prepared"
                prepare_the_record(page)
            results[f"tab {tab}"] = axe(page, axe_js)
    finally:
        context.close()
    check(results)


def test_no_serious_or_critical_axe_violations_on_the_staff_app(site, browser, axe_js):  # noqa: F811
    """The staff app after the guardian signs in, and each of its tabs."""
    results: dict[str, list[dict]] = {}
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(site + "/staff/")
        page.fill("#username", "guardian")
        page.fill("#password", GUARDIAN)
        page.locator("[type=submit]").first.click()
        page.wait_for_function("document.querySelector('#signed-in') && "
                               "document.querySelector('#signed-in').innerText.includes('Signed in')", timeout=30_000)
        results["staff (guardian)"] = axe(page, axe_js)
        for tab in ("Review", "Evaluate"):
            page.get_by_role("tab", name=tab, exact=True).click()
            page.wait_for_timeout(400)
            results[f"staff tab {tab}"] = axe(page, axe_js)
    finally:
        context.close()
    check(results)


LOCAL_DOCS = Path(__file__).resolve().parents[2] / "evals" / "local" / "docs"
NORTHMOOR = "Northmoor Safeguarding Children Partnership"


@pytest.fixture(scope="module")
def documents_site(tmp_path_factory):
    """A server whose guardian has local documents: the fictional test documents, the 2019 Northmoor procedure
    superseded by the current one, and one not checked for more than 12 months (the flag shown). Its index, local
    folder and audit trail are in a temporary folder."""
    from dataclasses import replace
    from datetime import date, timedelta

    from assistant.corpus import load_corpus_for
    from assistant.index import load_index
    from assistant.ingest.commands import update_index
    from assistant.ingest.library import Provenance, ingest
    from assistant.ingest.parse_text import parse_text
    from assistant.ingest.sandbox import DEFAULT_LIMITS
    from assistant.pipeline import Sharewise
    from assistant.settings import Settings

    from ..conftest import hashing_embedder

    root = tmp_path_factory.mktemp("documents-site")
    s = replace(Settings(), index_dir=root / "index", data_dir=root / "data", local_dir=root / "local",
                min_relevance=0.0, min_quote_score=0.0)
    stale = (date.today() - timedelta(days=400)).isoformat()
    for name, meta in [
        ("northmoor-scp-info-sharing-procedure-2019.md", Provenance(publisher=NORTHMOOR, id="northmoor-procedure-2019",
                                                                    date="2019-10-01")),
        ("northmoor-scp-info-sharing-procedure.md", Provenance(publisher=NORTHMOOR, id="northmoor-procedure-2025",
                                                               date="2025-09-01",
                                                               supersedes=("northmoor-procedure-2019",))),
        ("hartley-schools-dsl-protocol.md", Provenance(publisher="Hartley Borough Council", id="hartley-dsl-protocol",
                                                       date="2025-01-01", checked_on=stale))]:
        ingest([LOCAL_DOCS / name], meta, s, extract=lambda path: parse_text(path, DEFAULT_LIMITS), added_by="guardian")
    embedder = hashing_embedder()
    update_index(s, progress=False, embedder=embedder)
    corpus = load_corpus_for(s)
    sw = Sharewise(s, corpus, embedder, load_index(s.index_dir, corpus, embedder, s)).with_audit()
    running = start_server(sw, accounts(guardian=GUARDIAN))
    yield running.url
    running.close()


def test_no_serious_or_critical_axe_violations_on_the_local_documents_tab(documents_site, browser, axe_js):  # noqa: F811
    """The guardian's Local documents tab, opened: its form, and the sources list with local sources in it (one
    superseded, one flagged as not checked for 12 months)."""
    results: dict[str, list[dict]] = {}
    context = browser.new_context(bypass_csp=True, viewport={"width": 1400, "height": 1000})
    try:
        page = context.new_page()
        page.goto(documents_site + "/staff/")
        page.fill("#username", "guardian")
        page.fill("#password", GUARDIAN)
        page.locator("[type=submit]").first.click()
        page.wait_for_function("document.querySelector('#signed-in') && "
                               "document.querySelector('#signed-in').innerText.includes('Signed in')", timeout=30_000)
        page.get_by_role("tab", name="Local documents", exact=True).click()
        page.wait_for_function("document.querySelector('#sources-table') && "
                               "document.querySelector('#sources-list').innerText.includes('superseded by') && "
                               "document.querySelector('#sources-list .sw-check-due')", timeout=30_000)
        page.wait_for_timeout(400)
        results["staff tab Local documents, sources listed"] = axe(page, axe_js)
    finally:
        context.close()
    check(results)


def test_radio_groups_are_announced_as_one_question_each(site, browser):  # noqa: F811
    """Every yes/no/unknown fieldset is a radiogroup named by its question, and its choices share one name."""
    context, page = open_chat(browser, site)
    try:
        ask(page)
        page.get_by_role("tab", name="Facts", exact=True).click()
        page.wait_for_timeout(500)
        groups = page.evaluate("""() => [...document.querySelectorAll('fieldset')]
            .filter(f => f.querySelector('input[type=radio]'))
            .map(f => ({role: f.getAttribute('role'), visible: f.offsetParent !== null,
                        name: (document.getElementById(f.getAttribute('aria-labelledby') || '') || {}).textContent
                              || f.getAttribute('aria-label') || '',
                        names: new Set([...f.querySelectorAll('input[type=radio]')].map(i => i.name)).size}))""")
        assert groups, "no radio fieldsets on the page"
        bad = [g for g in groups if g["role"] != "radiogroup" or not g["name"].strip() or g["names"] != 1]
        assert not bad, bad
        # and the accessibility tree agrees: a visible group is found by its question
        first = next(g for g in groups if g["visible"])
        assert page.get_by_role("radiogroup", name=first["name"].strip()).first.is_visible()
    finally:
        context.close()


def test_arrow_keys_move_between_tabs(site, browser):  # noqa: F811
    """ARIA tabs: Right/Left move to the next/previous tab (wrapping), Home/End to the first/last, and select it."""
    context, page = open_chat(browser, site)
    try:
        tab = lambda name: page.get_by_role("tab", name=name, exact=True)  # noqa: E731
        selected = lambda: page.evaluate(  # noqa: E731
            "() => document.activeElement && document.activeElement.getAttribute('role') === 'tab' && "
            "document.activeElement.getAttribute('aria-selected') === 'true' ? document.activeElement.innerText.trim()"
            " : null")
        tab("Rules").focus()
        for key, want in (("ArrowRight", "Facts"), ("ArrowRight", "Source"), ("ArrowLeft", "Facts"),
                          ("End", "Record"), ("ArrowRight", "Rules"), ("ArrowLeft", "Record"), ("Home", "Rules")):
            page.keyboard.press(key)
            page.wait_for_function(f"document.activeElement && document.activeElement.innerText.trim() === {want!r}",
                                   timeout=5_000)
            page.wait_for_timeout(150)
            assert selected() == want, (key, want, selected())
    finally:
        context.close()


ZOOMED = {"viewport": {"width": 683, "height": 384}, "device_scale_factor": 2}  # 1366x768 at 200%
PHONE = {"viewport": {"width": 390, "height": 844}, "device_scale_factor": 3, "is_mobile": True, "has_touch": True}
SCREENS = [pytest.param(ZOOMED, id="1366x768-at-200%"), pytest.param(PHONE, id="phone-390px")]
WIDE = """() => [...document.querySelectorAll('body *')].filter(e => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.right > window.innerWidth + 1 && getComputedStyle(e).position !== 'fixed'; })
    .slice(0, 8).map(e => e.tagName + '#' + e.id + '.' + [...e.classList].join('.'))"""


@pytest.mark.parametrize("screen", SCREENS)
def test_no_sideways_scrolling_on_any_tab(site, browser, screen):  # noqa: F811
    """WCAG 1.4.10 reflow: at 200% zoom and on a 390 px phone the page never scrolls sideways, before or after an
    answer, on any tab."""
    context, page = open_chat(browser, site, **screen)
    try:
        where = ["start screen"]
        seen = [page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")]
        ask(page)
        for tab in ("answer", *CHAT_TABS):
            if tab != "answer":
                page.get_by_role("tab", name=tab, exact=True).click()
                page.wait_for_timeout(400)
            where.append(tab)
            seen.append(page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]"))
            if seen[-1][0] > seen[-1][1]:
                pytest.fail(f"sideways scrolling on {tab}: {seen[-1]}, too wide: {page.evaluate(WIDE)}")
        assert all(w <= inner for w, inner in seen), list(zip(where, seen))
    finally:
        context.close()


@pytest.mark.parametrize("screen", SCREENS)
def test_the_rules_check_is_within_two_screens_of_the_top_after_an_answer(site, browser, screen):  # noqa: F811
    """Where the rules check (its questions under the answer, or the Rules panel) starts, in screens down the page."""
    context, page = open_chat(browser, site, **screen)
    try:
        ask(page)
        screens = page.evaluate("""() => Math.min(...['#check-questions fieldset', '#rules-panel']
            .flatMap(s => [...document.querySelectorAll(s)]).filter(e => e.offsetParent !== null)
            .map(e => e.getBoundingClientRect().top + window.scrollY)) / window.innerHeight""")
        print(f"\n[layout] {screen['viewport']}: the rules check starts {screens:.1f} screens down")
        assert screens <= 2.0, f"the rules check starts {screens:.1f} screens down"
    finally:
        context.close()


def test_the_keyboard_focus_is_shown_by_a_ring(site, browser):  # noqa: F811
    """WCAG 2.4.7: the Ask button, a tab and a text box each show a 3 px focus ring when reached by the keyboard."""
    context, page = open_chat(browser, site)
    try:
        page.keyboard.press("Tab")  # the keyboard, not the mouse: :focus-visible
        rings = {}
        for where in ("#ask-button", "[role=tab][aria-selected=true]", "#question textarea"):
            page.locator(where).first.focus()
            rings[where] = page.evaluate("() => { const s = getComputedStyle(document.activeElement); "
                                         "return [s.outlineStyle, s.outlineWidth]; }")
        assert all(r == ["solid", "3px"] for r in rings.values()), rings
    finally:
        context.close()
