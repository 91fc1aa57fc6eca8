"""The guardian's path in the browser: feedback from the chat lands in the review queue."""

import pytest

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


def test_thumbs_down_reaches_the_guardians_queue(audited_server, browser):  # noqa: F811
    url, sw = audited_server
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(url)
    page.fill("#question textarea", "What is Clare's Law?")
    page.click("#ask-button")
    page.wait_for_selector("#rules-panel .sw-flag", timeout=60_000)
    page.fill("#feedback-comment textarea", "quoted the wrong scheme")
    page.get_by_label("Dislike").last.click()
    page.wait_for_function("document.querySelector('#feedback-note').innerText.includes('review queue')",
                           timeout=20_000)
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
