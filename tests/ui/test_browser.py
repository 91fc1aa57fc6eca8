"""A practitioner's path through the page in headless Chromium (Debian's, driven by Playwright)."""

import os
from pathlib import Path

import pytest

from .test_server import server  # noqa: F401 - the live server fixture

pytestmark = pytest.mark.slow
CHROMIUM = Path("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        if os.environ.get("CI"):
            pytest.fail("Debian's chromium is missing: `make test` should have installed it")
        pytest.skip("install Debian's chromium (make test does) to run the browser test")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"])
        yield b
        b.close()


def test_ask_read_open_source_change_a_fact_and_download_the_record(server, browser, tmp_path):  # noqa: F811
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    external = []
    page.on("request", lambda r: external.append(r.url) if not r.url.startswith(("http://127.0.0.1", "data:",
                                                                                  "blob:")) else None)
    page.goto(server[1])
    page.fill("#question textarea", "I'm the DSL. A boy (8) has bruises and says dad hit him with a belt. "
                                    "If I ring his parents first I think dad will take it out on him.")
    page.click("#ask-button")
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    chat = page.inner_text("#chat")
    assert "What the guidance says" in chat and "—" in chat  # a quote with its citation
    assert "Consent: Does not apply" in page.inner_text("#rules-panel")

    page.get_by_role("tab", name="Source").click()
    page.wait_for_selector("#source-view mark", timeout=10_000)
    assert "Licence:" in page.inner_text("#source-view")

    page.get_by_role("tab", name="Facts").click()
    assert "Read from your words" in page.inner_text("#facts-note")
    consent = page.get_by_label("Consent status")
    consent.click()
    page.get_by_role("option", name="given_explicit", exact=True).click()
    page.wait_for_function("document.querySelector('#facts-note').innerText.includes('Your edits')", timeout=20_000)
    page.get_by_role("tab", name="Rules").click()
    page.wait_for_function("!document.querySelector('#rules-panel').innerText.includes('Consent: Does not apply')",
                           timeout=20_000)

    page.get_by_role("tab", name="Facts").click()
    page.get_by_role("button", name="Undo my edits").click()
    page.wait_for_function("!document.querySelector('#facts-note').innerText.includes('Your edits')", timeout=20_000)
    page.get_by_role("tab", name="Rules").click()
    page.wait_for_function("document.querySelector('#rules-panel').innerText.includes('Consent: Does not apply')",
                           timeout=20_000)

    page.get_by_role("tab", name="Record").click()
    page.get_by_role("button", name="Prepare the record for download").click()
    page.wait_for_selector("#record-files a", timeout=20_000)
    names = page.inner_text("#record-files").replace("\n", "")
    assert all(n in names for n in ("record.md", "record.json", "record.html")), names
    with page.expect_download() as dl:
        page.locator("#record-files a").first.click()
    saved = tmp_path / "record.md"
    dl.value.save_as(saved)
    assert "Record of an information sharing decision" in saved.read_text(encoding="utf-8")
    assert external == [], external


def test_html_in_a_question_is_never_rendered(server, browser):  # noqa: F811
    """(e) The question itself goes on the page: it shows as text, and no element or script comes from it."""
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(server[1])
    page.fill("#question textarea", "<img src=x onerror=alert(1)> A 15-year-old told me in confidence "
                                    "<b id=injected>her stepdad</b> hits her.")
    page.click("#ask-button")
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    page.get_by_role("tab", name="Facts").click()
    page.wait_for_timeout(500)
    assert "<img src=x onerror=alert(1)>" in page.inner_text("#chat")  # shown as the words typed
    live = page.evaluate("""() => [...document.querySelectorAll('img')].filter(i => i.getAttribute('src') === 'x'
                             || i.hasAttribute('onerror')).length + document.querySelectorAll('#injected').length""")
    assert live == 0 and dialogs == []


def test_a_tap_on_a_question_under_the_answer_changes_the_rules_panel(server, browser, tmp_path):  # noqa: F811
    """Ask, tap one answer among the questions under the conversation: the rules panel changes, the question goes."""
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    page.goto(server[1])
    page.fill("#question textarea", "a 15 yo told me her stepdad hits her, she begged me not to tell")
    page.click("#ask-button")
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    panel = page.inner_text("#rules-panel")
    assert "Public interest (duty of confidence): Undetermined" in panel and "Assumed (change if not)" in panel
    assert "R-PI10" not in panel  # rule ids stay folded in "Details for your DPO"
    # the radio group is announced as one question: its name is the question
    group = page.get_by_role("radiogroup", name="Who would you be sharing with?")
    group.wait_for(timeout=20_000)
    names = group.evaluate("g => new Set([...g.querySelectorAll('input[type=radio]')].map(i => i.name)).size")
    assert names == 1  # one group of choices, not one group a choice
    page.screenshot(path=str(tmp_path / "questions-before.png"), full_page=True)
    group.get_by_text("Children's social care", exact=True).click()
    page.wait_for_function("!document.querySelector('#rules-panel').innerText"
                           ".includes('Public interest (duty of confidence): Undetermined')", timeout=20_000)
    page.wait_for_function("![...document.querySelectorAll('#check-questions fieldset')].some(f => "
                           "f.offsetParent !== null && f.innerText.includes('Who would you be sharing with?'))",
                           timeout=20_000)
    page.screenshot(path=str(tmp_path / "questions-after.png"), full_page=True)
    page.get_by_role("tab", name="Facts").click()
    assert "Your edits" in page.inner_text("#facts-note")
