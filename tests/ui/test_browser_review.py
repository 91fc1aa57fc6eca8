"""The guardian's path in the browser: feedback from the chat lands on the rated answer's own audit record."""

import pytest

from assistant.review import queue
from assistant.ui.app import build_app, launch_settings

from .test_browser import browser  # noqa: F401
from .test_server import free_port

pytestmark = pytest.mark.slow


@pytest.fixture
def audited_server(audited_sw, monkeypatch):
    monkeypatch.setenv("SHAREWISE_GUARDIAN_PASSWORD", "correct horse battery")
    port = free_port()
    demo = build_app(audited_sw)
    demo.queue()
    demo.launch(prevent_thread_lock=True, **launch_settings("127.0.0.1", port))
    yield f"http://127.0.0.1:{port}/", audited_sw
    demo.close()


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
    page.fill("#feedback-comment textarea", "quoted the wrong scheme")
    dislike = page.get_by_label("Dislike")
    assert dislike.count() == 3  # the refusal, then the two answers
    dislike.nth(1).click()  # the first answer: by position it would be the second answer's number
    page.wait_for_function("document.querySelector('#feedback-note').innerText.includes('review queue')",
                           timeout=20_000)
    assert [r["seq"] for r in queue(sw.audit, feedback="down")] == [answers[0]]
    dislike.nth(0).click()  # the refusal carries no number: nothing was recorded to rate
    page.wait_for_function("document.querySelector('#feedback-note').innerText.includes('nothing to rate')",
                           timeout=20_000)
    assert [r["seq"] for r in queue(sw.audit, feedback="down")] == [answers[0]]

    page.get_by_role("tab", name="Review").click()
    page.fill("#guardian-password input", "wrong")
    page.get_by_role("button", name="Open the review queue").click()
    page.wait_for_selector("text=That password is not right", timeout=10_000)
    page.fill("#guardian-password input", "correct horse battery")
    page.get_by_role("button", name="Open the review queue").click()
    page.get_by_role("button", name="Show the queue").click()
    page.wait_for_function("document.querySelector('#review-queue').innerText.includes('quoted the wrong scheme')",
                           timeout=20_000)
    assert "What is Clare's Law?" in page.inner_text("#review-queue")
    assert sw.audit.verify() == []
