"""The keyboard alone, counted as a practitioner would count it: key presses from the question box to the answer,
its thumbs and the Rules tab, through the skip links (GOV.UK's habit), on a laptop and a phone, with and without
the pinned danger banner.

Before the skip links, after an answer it took 16 Tab presses from the question box to the Dislike button and
23-25 to the Rules tab. Now: Shift+Tab reaches "Skip to the answer" (the first thing on the page once there is an
answer; one more Shift+Tab past the banner's Dismiss when the banner is up), Enter moves the focus to the answer,
and in the answer the first Tab reaches "Go to the rules check", whose Enter opens the Rules tab with the focus on
it. On a fresh page there is nothing to skip to: the link is hidden and the first Tab still lands in the box.
"""

import pytest

from .test_browser import BOX, DANGER_Q, IN_VIEW, VIEWPORTS, browser  # noqa: F401 - Debian's Chromium
from .test_server import server  # noqa: F401 - the live server fixture

pytestmark = pytest.mark.slow

QUESTION = "A 15-year-old told me in confidence her stepdad hits her. Do I need her consent to refer?"
MOST_TO_THUMBS = 9  # key presses from the box to the Dislike button: Shift+Tab, Enter, then the answer's own stops
MOST_TO_RULES = 4  # Shift+Tab, Enter, Tab, Enter

FOCUSED = """() => { const e = document.activeElement; if (!e || e === document.body) return null;
  const r = e.getBoundingClientRect();
  const rows = [...document.querySelectorAll('#chat .message-row.bot-row')];
  return {name: (e.getAttribute('aria-label') || e.innerText || '').trim().slice(0, 60), role: e.getAttribute('role'),
          tag: e.tagName, box: e === document.querySelector('#question textarea'), skip: e.id === 'skip-to-answer',
          selected: e.getAttribute('aria-selected'), in_answer: rows.length > 0 && rows[rows.length - 1].contains(e),
          in_chat: Boolean(e.closest('#chat')),
          top: r.top, bottom: r.bottom, width: r.width, height: r.height}; }"""
PIN_BOTTOM = """() => { const pin = document.querySelector('#danger-banner .sw-pin');
  return pin && pin.getClientRects().length ? pin.getBoundingClientRect().bottom : 0; }"""


def _open(browser, url, size):  # noqa: F811
    page = browser.new_page(viewport={"width": size[0], "height": size[1]})
    page.goto(url)
    page.wait_for_selector(BOX)
    page.wait_for_timeout(300)
    return page


def _ask(page, question):
    page.click(BOX)
    page.fill(BOX, question)
    page.press(BOX, "Enter")
    page.wait_for_function("document.querySelectorAll('#chat .message-row.bot-row').length >= 1", timeout=60_000)
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    page.wait_for_timeout(700)  # the page script brings the answer into view


class Keys:
    """Key presses counted, with where the focus went after each."""

    def __init__(self, page):
        self.page, self.count, self.trail = page, 0, []

    def press(self, key):
        self.page.keyboard.press(key)
        self.count += 1
        self.page.wait_for_timeout(120)
        focused = self.page.evaluate(FOCUSED)
        self.trail.append((key, focused and (focused["name"] or focused["tag"])))
        return focused

    def to_skip_link(self):
        """From the box, Shift+Tab back to "Skip to the answer" (past the banner's Dismiss, if it is up)."""
        focused = self.press("Shift+Tab")
        if focused and focused["name"] == "Dismiss":
            focused = self.press("Shift+Tab")
        assert focused and focused["skip"], self.trail
        return focused


def _shown(page, focused, size):
    """Drawn where it can be seen: more than the 1 px a hidden skip link has, within the window, not under the
    pinned banner."""
    assert focused["width"] > 40 and focused["height"] > 12, focused
    assert page.evaluate(PIN_BOTTOM) - 1 <= focused["top"] and focused["bottom"] <= size[1], focused


def test_on_a_fresh_page_the_first_tab_lands_in_the_box_and_the_skip_link_is_hidden(server, browser):  # noqa: F811
    page = _open(browser, server[1], (1366, 768))
    try:
        assert page.locator("#skip-to-answer").is_hidden()  # nothing to skip to yet
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED)["box"]
    finally:
        page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_from_the_box_the_skip_links_reach_the_answer_its_thumbs_and_the_rules_tab(server, browser, size):  # noqa: F811
    page = _open(browser, server[1], size)
    try:
        _ask(page, QUESTION)
        page.focus(BOX)  # where the focus is after Enter sent the question
        keys = Keys(page)
        _shown(page, keys.to_skip_link(), size)
        assert keys.count == 1  # the skip link is the first thing on the page: one Shift+Tab from the box
        focused = keys.press("Enter")
        assert focused["in_answer"], keys.trail  # the focus is on the answer, its top in view
        assert page.evaluate(PIN_BOTTOM) - 2 <= focused["top"] <= size[1] * 0.6, focused
        while not (focused and focused["name"] == "Dislike") and keys.count < 30:
            focused = keys.press("Tab")
            assert focused and focused["in_chat"], keys.trail  # Tab goes on through the answer to its thumbs
        print(f"\n[keys] {size}: box to Dislike in {keys.count} presses: {keys.trail}")
        assert keys.count <= MOST_TO_THUMBS, keys.trail

        page.focus(BOX)
        keys = Keys(page)
        keys.to_skip_link()
        keys.press("Enter")
        focused = keys.press("Tab")
        assert focused["name"] == "Go to the rules check" and focused["in_answer"], keys.trail
        _shown(page, focused, size)
        keys.press("Enter")
        page.wait_for_function("document.activeElement?.getAttribute('role') === 'tab'"
                               " && document.activeElement.innerText.trim() === 'Rules'"
                               " && document.activeElement.getAttribute('aria-selected') === 'true'", timeout=5_000)
        page.wait_for_timeout(200)
        focused = page.evaluate(FOCUSED)
        print(f"[keys] {size}: box to the Rules tab in {keys.count} presses: {keys.trail}")
        assert keys.count <= MOST_TO_RULES, keys.trail
        _shown(page, focused, size)  # the row of tab names brought to the top of the window
        top = page.evaluate("document.querySelector('#rules-panel').getBoundingClientRect().top")
        assert focused["bottom"] <= top < size[1] * 0.5, (focused, top)  # and the rules check under it

        page.click("#new-case")  # a new case has no answer: nothing to skip to again
        page.wait_for_function("document.querySelectorAll('#chat .message-row').length === 0", timeout=20_000)
        page.wait_for_timeout(300)
        assert page.locator("#skip-to-answer").is_hidden()
    finally:
        page.close()


@pytest.mark.parametrize("size", VIEWPORTS)
def test_the_skip_links_keep_the_danger_banner_pinned_and_in_view(server, browser, size):  # noqa: F811
    page = _open(browser, server[1], size)
    try:
        _ask(page, DANGER_Q)
        assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin")
        page.focus(BOX)
        keys = Keys(page)
        _shown(page, keys.to_skip_link(), size)  # shown below the banner, not over it
        assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin")
        focused = keys.press("Enter")
        assert focused["in_answer"] and page.evaluate(IN_VIEW, "#danger-banner .sw-pin"), keys.trail
        assert page.inner_text("#chat .message-row.bot-row").startswith("A child may be in immediate danger")
        keys.press("Tab")
        keys.press("Enter")
        page.wait_for_function("document.activeElement?.innerText.trim() === 'Rules'", timeout=5_000)
        page.wait_for_timeout(200)
        _shown(page, page.evaluate(FOCUSED), size)  # the Rules tab just below the banner
        assert page.evaluate(IN_VIEW, "#danger-banner .sw-pin")
        assert keys.count <= MOST_TO_RULES + 1, keys.trail  # one more: past the banner's Dismiss
    finally:
        page.close()
