"""The practitioner's Gradio app: assembling the tabs and wiring their events; `serve` starts the server.

`build_app(sw, web)` puts the "Skip to the answer" link first (GOV.UK's skip link, shown when the keyboard reaches
it once there is an answer), then the 999 line at the top, then lays the chat out on the left (the question box
first, so it is in view at once on a laptop and a phone) and the Rules, Facts, Source and Record tabs on the right,
each built by its own module, then wires each tab's events and the one public endpoint, `ask`. The guardian's and
the evaluators' tools are not here: they are the staff app (`assistant.ui.staff`, at `/staff`, with its own
sign-in). What each event does lives in the tab modules; the server around both apps is `assistant.web.server`.
"""

from __future__ import annotations

import logging

import gradio as gr

from ..prompts import render
from ..web.guard import Web
from .chat import AskEndpoint, ChatTab
from .facts import FactsTab
from .record import RecordTab
from .source import SourceTab

log = logging.getLogger(__name__)

DANGER_LINE = "**If a child is in immediate danger, call 999.** Then tell children's social care."
# The first thing the Tab key reaches once there is an answer (hidden until then, so the first Tab from a fresh page
# still lands in the question box); the page script (page_js) shows it, and moves the focus to the latest answer.
SKIP_LINK = '<a href="#chat" class="sw-skip-link" id="skip-to-answer" hidden>Skip to the answer</a>'

def build_app(sw, web: Web | None = None) -> gr.Blocks:
    """The practitioner's screen: the chat on the left; rules, facts, source and record on the right."""
    web = web or Web()
    with gr.Blocks(title="Sharewise: information sharing guidance", analytics_enabled=False,
                   delete_cache=(3600, 3600)) as demo:
        session = gr.State(None)  # a Session, created on first use (a callable default adds a public event)
        gr.HTML(SKIP_LINK, elem_id="skip-links", js_on_load=None, apply_default_css=False)
        gr.Markdown("# Sharewise\nSafeguarding information sharing: the guidance in its own words, and a rules check.",
                    elem_id="masthead")
        gr.Markdown(DANGER_LINE, elem_id="danger-line")  # danger first, on the start screen too
        with gr.Row():
            with gr.Column(scale=3):
                chat = ChatTab(sw, session)  # the question box first: in view at once on a laptop and a phone
                gr.Markdown(render("privacy_note"), elem_id="privacy-note")
            with gr.Column(scale=2), gr.Tabs():
                facts = FactsTab(sw, session)
                source = SourceTab(sw, session)
                record = RecordTab(sw, session, web)
        gr.Markdown("Caldicott guardian or evaluator? Your tools are at [/staff](/staff/), with their own sign-in.",
                    elem_id="staff-link")
        chat.wire(panels=[facts, source, record, chat.questions])
        facts.wire(panels=[record, chat.questions, chat.banner])  # an edit can raise the danger banner, never lower it
        chat.questions.wire(panels=[facts, record, chat.banner])
        source.wire()
        record.wire()
        gr.api(AskEndpoint(sw).ask, api_name="ask", api_description="Answer a practitioner's question with verified "
               "quotes and the rules check (same JSON as `sharewise ask --json`); optional `history` (earlier "
               "questions) and `facts` (the practitioner's edits as {fact: value}).")
    return demo


def serve(sw, host: str, port: int, auth: tuple[str, str] | None = None, block: bool = True, on_ready=None):
    """Open the audit store (refusing to start without it), then serve the chat and the staff tools until stopped
    (`block=False`: return the running server; its `close()` stops it)."""
    from ..names import name_finder
    from ..web.accounts import Accounts
    from ..web.server import start

    if sw.audit is None:
        sw.with_audit()  # every answer through the app is recorded; refuses to start if it cannot be
    running = start(sw, host, port, Accounts.from_env(practitioner=auth))
    # The name recogniser (spaCy, a few seconds) loads beside the serving server rather than before it: a question
    # that comes first waits for it (it is built once, under a lock), so nothing is ever stored unredacted.
    import threading

    threading.Thread(target=name_finder, name="sharewise-names", daemon=True).start()
    if on_ready:
        on_ready()
    if block:
        running.block_thread()
    return running
