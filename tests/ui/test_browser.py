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
    consent = page.get_by_role("combobox", name="Consent", exact=True)
    consent.click()
    page.get_by_role("option", name="Yes: they agreed clearly, naming what would be shared and with whom",
                     exact=True).click()
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
    page.wait_for_function("document.querySelector('#record-note').innerText.includes('Write your reasons')",
                           timeout=20_000)  # golden rule 7: no reasons, no record
    page.fill("#record-reasons textarea", "Dad may harm him if warned; sharing is needed to protect him.")
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


# ---- the start screen, the keys, the examples, the pinned danger banner, the answer's top (laptop and phone) ----

VIEWPORTS = [pytest.param((1366, 768), id="desktop"), pytest.param((390, 844), id="phone")]
DANGER_Q = "A Year 10 pupil told me her stepdad will kill her when she gets home. Can I tell social care?"
BOX = "#question textarea"
IN_VIEW = """(s) => { const e = document.querySelector(s); if (!e || !e.getClientRects().length) return false;
  const b = e.getBoundingClientRect();
  return b.top >= 0 && b.left >= 0 && b.bottom <= innerHeight && b.right <= innerWidth && b.height > 0; }"""
ANSWER_TOP = """() => { const rows = [...document.querySelectorAll('#chat .message-row.bot-row')];
  const last = rows[rows.length - 1]; if (!last) return null;
  const pin = document.querySelector('#danger-banner .sw-pin');
  const below = pin && pin.getClientRects().length ? pin.getBoundingClientRect().bottom : 0;
  return [last.getBoundingClientRect().top, below, innerHeight]; }"""


def _open(browser, url, size):
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(BOX)
    page.wait_for_timeout(300)
    return page


def _answers(page, n, timeout=60_000):
    page.wait_for_function(f"document.querySelectorAll('#chat .message-row.bot-row').length >= {n}", timeout=timeout)
    page.wait_for_timeout(700)  # the page script brings the answer into view


def _assert_answer_top_in_view(page):
    top, below, height = page.evaluate(ANSWER_TOP)
    assert below - 2 <= top <= height * 0.6, (top, below, height)  # its first line, not its closing boilerplate


@pytest.mark.parametrize("size", VIEWPORTS)
def test_start_screen_shows_the_question_box_and_the_999_line_and_tab_lands_on_the_box(server, browser, size):  # noqa: F811
    page = _open(browser, server[1], size)
    assert page.evaluate(IN_VIEW, BOX) and page.evaluate(IN_VIEW, "#ask-button")
    assert page.evaluate(IN_VIEW, "#danger-line")
    assert "If a child is in immediate danger, call 999." in page.inner_text("#danger-line")
    assert "e.g. A Year 10 pupil told me" in page.get_attribute(BOX, "placeholder")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement === document.querySelector('#question textarea')")


def test_enter_sends_and_shift_enter_starts_a_new_line(server, browser):  # noqa: F811
    page = _open(browser, server[1], (1366, 768))
    page.click(BOX)
    page.keyboard.type("A 15-year-old told me her stepdad hits her.")
    page.keyboard.press("Shift+Enter")
    page.keyboard.type("Can I refer?")
    page.wait_for_timeout(300)
    assert page.input_value(BOX) == "A 15-year-old told me her stepdad hits her.\nCan I refer?"
    assert page.locator("#chat .message-row").count() == 0  # nothing sent yet
    page.keyboard.press("Enter")
    _answers(page, 1)
    assert "Can I refer?" in page.inner_text("#chat") and page.input_value(BOX) == ""
    _assert_answer_top_in_view(page)


@pytest.mark.parametrize("size", VIEWPORTS)
def test_an_example_is_asked_when_tapped_and_new_case_clears_it_and_says_so(server, browser, size):  # noqa: F811
    page = _open(browser, server[1], size)
    page.get_by_role("button", name="What is Clare's Law and who can ask for a disclosure?").click()
    _answers(page, 1)
    assert "Clare" in page.inner_text("#chat")
    _assert_answer_top_in_view(page)
    page.click("#new-case")
    page.wait_for_function("document.querySelectorAll('#chat .message-row').length === 0", timeout=20_000)
    assert "New case" in page.inner_text("#case-note")


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_danger_banner_is_pinned_in_view_through_scrolling_and_a_follow_up_until_dismissed(
        server, browser, size, tmp_path):  # noqa: F811
    page = _open(browser, server[1], size)
    page.fill(BOX, DANGER_Q)
    page.press(BOX, "Enter")
    page.wait_for_selector("#danger-banner .sw-pin", timeout=60_000)
    _answers(page, 1)
    pin = page.inner_text("#danger-banner")
    assert "call 999" in pin.lower() and "children's social care" in pin
    assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin")
    assert page.inner_text("#chat .message-row.bot-row").startswith("A child may be in immediate danger")
    _assert_answer_top_in_view(page)
    page.screenshot(path=str(tmp_path / "danger.png"))
    for y in (400, 1200, 100_000):  # the page scrolled down, then the conversation scrolled inside itself
        page.evaluate(f"window.scrollTo(0, {y})")
        page.wait_for_timeout(150)
        assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin"), y
    page.evaluate("document.querySelector('#chat').scrollTop = 100000")
    page.wait_for_timeout(150)
    assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin")
    page.evaluate("window.scrollTo(0, 0)")
    page.fill(BOX, "What if she says she does not want me to tell anyone?")
    page.press(BOX, "Enter")
    _answers(page, 2)
    assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin")  # a follow-up never lowers it
    _assert_answer_top_in_view(page)
    page.get_by_role("button", name="Dismiss").click()
    page.wait_for_function("!document.querySelector('#danger-banner .sw-pin')"
                           " || !document.querySelector('#danger-banner .sw-pin').getClientRects().length",
                           timeout=10_000)


def test_thumbs_on_the_answer_then_a_comment_beside_it_and_a_copy_button(server, browser):  # noqa: F811
    page = _open(browser, server[1], (1366, 768))
    assert not page.locator("#feedback-comment").is_visible()  # no feedback box before there is an answer
    page.fill(BOX, "Can I tell children's social care without asking mum?")
    page.press(BOX, "Enter")
    _answers(page, 1)
    chat = page.locator("#chat")
    assert chat.get_by_role("button", name="Copy message").count() >= 1  # a copy button on the answer
    chat.get_by_role("button", name="Like", exact=True).last.click()
    page.wait_for_function("/Thank you|Nothing was recorded/.test(document.querySelector('#feedback-note').innerText)",
                           timeout=10_000)
    note = page.inner_text("#feedback-note")
    if "Thank you" in note:  # recorded (an audited server): the optional comment comes up just below the answer
        page.wait_for_selector("#feedback-comment textarea", timeout=10_000)
    else:  # this test server keeps no audit trail, so there is nothing to rate and no comment box
        assert "Nothing was recorded" in note and not page.locator("#feedback-comment").is_visible()


def test_a_citation_number_in_the_answer_opens_its_passage_in_the_source_tab(server, browser):  # noqa: F811
    page = browser.new_page(viewport={"width": 1366, "height": 768})
    page.goto(server[1])
    page.fill("#question textarea", "What is Clare's Law and who can ask for a disclosure?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat a[href^='#sw-cite-']", timeout=60_000)
    second = page.locator("#chat a[href='#sw-cite-2']").first  # the Source tab opens on [1] by itself
    second.click()
    page.wait_for_function("document.querySelector('#citation input')?.value.startsWith('[2]')", timeout=20_000)
    assert page.get_by_role("tab", name="Source").get_attribute("aria-selected") == "true"
    mark = page.locator("#source-view mark").first
    mark.wait_for(timeout=10_000)
    page.wait_for_function("(() => { const m = document.querySelector('#source-view mark');"
                           " const r = m && m.getBoundingClientRect(); return r && r.top >= 0 && r.top <= 768; })()",
                           timeout=10_000)  # scrolled to the highlight
