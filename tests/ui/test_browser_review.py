"""The guardian's path in the browser: feedback from the chat lands on the rated answer's own audit record, and
the guardian reads it in the staff tools, behind their own sign-in, and logs out."""

import pytest

from assistant.review import queue

from .live import accounts, start_server
from .test_browser import browser  # noqa: F401

pytestmark = pytest.mark.slow


@pytest.fixture
def audited_server(audited_sw):
    running = start_server(audited_sw, accounts(guardian="correct horse battery"))
    yield running.url + "/", audited_sw
    running.close()


def test_thumbs_down_after_a_failed_turn_reaches_the_rated_answer_in_the_guardians_queue(audited_server,
                                                                                          browser):  # noqa: F811
    url, sw = audited_server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.fill("#question textarea", "x" * 9000)  # refused: the question stays in the chat with the reason
    page.click("#ask-button")
    page.wait_for_function("document.querySelector('#chat').innerText.includes('limit is 8,000')", timeout=30_000)
    page.fill("#question textarea", "What is Clare's Law?")
    page.click("#ask-button")
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    page.fill("#question textarea", "Do I need consent to share information about a child at risk?")
    page.click("#ask-button")
    page.wait_for_function("document.querySelector('#chat').innerText.split('What the guidance says').length > 2",
                           timeout=60_000)
    # The audit number in each answer's metadata does not turn it into a collapsible "thought".
    assert page.locator("#chat .thought-group").count() == 0
    answers = [r["seq"] for r in sw.audit.rows("answer")]
    assert len(answers) == 2
    assert not page.locator("#feedback-comment").is_visible()  # the comment comes after the thumbs, beside them
    dislike = page.get_by_label("Dislike")
    assert dislike.count() == 3  # the refusal, then the two answers
    dislike.nth(1).click()  # the first answer: by position it would be the second answer's number
    page.wait_for_function("document.querySelector('#feedback-note').innerText.includes('review queue')",
                           timeout=20_000)
    assert [r["seq"] for r in queue(sw.audit, feedback="down")] == [answers[0]]
    page.fill("#feedback-comment textarea", "quoted the wrong scheme")
    page.click("#feedback-send")
    page.wait_for_function("document.querySelector('#feedback-note').innerText.includes('comment was added')",
                           timeout=20_000)
    dislike.nth(0).click()  # the refusal carries no number: nothing was recorded to rate
    page.wait_for_function("document.querySelector('#feedback-note').innerText.includes('nothing to rate')",
                           timeout=20_000)
    assert [r["seq"] for r in queue(sw.audit, feedback="down")] == [answers[0]]

    assert page.get_by_role("tab", name="Review").count() == 0  # the guardian's tools are not on the chat page
    page.goto(url + "staff/")
    page.wait_for_url("**/login?next=/staff/")
    page.fill("#username", "guardian")
    page.fill("#password", "wrong")
    page.click("button[type=submit]")
    page.wait_for_selector("text=do not match", timeout=10_000)
    page.fill("#username", "guardian")
    page.fill("#password", "correct horse battery")
    page.click("button[type=submit]")
    page.wait_for_function("document.querySelector('#signed-in')?.innerText.includes('guardian')", timeout=30_000)
    page.get_by_role("button", name="Show the queue").click()
    page.wait_for_function("document.querySelector('#review-queue').innerText.includes('quoted the wrong scheme')",
                           timeout=20_000)
    assert "What is Clare's Law?" in page.inner_text("#review-queue")
    page.click("#logout")
    page.wait_for_url("**/login", timeout=10_000)
    page.goto(url + "staff/")
    page.wait_for_url("**/login?next=/staff/")  # logged out on the server: the staff tools need a sign-in again
    kinds = sw.audit.status()["by_kind"]
    assert kinds["login_failed"] == 1 and kinds["login"] == 1 and kinds["logout"] == 1 and kinds["queue"] == 1
    assert sw.audit.verify() == []
