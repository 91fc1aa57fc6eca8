"""The chat: asking (with the identifiers check), the reply, thumbs feedback, "New case", and the `ask` API.

Every question goes through the orchestrator (`sw.answer` with the session's earlier questions and edits), which
records it before it is shown; nothing here orders stages or writes an answer to the audit trail. Each answer's
chat message carries its audit sequence number in its metadata (`{"id": "<seq>"}`; no `title`, so Gradio shows it
as an ordinary message, not a "thought"), and feedback reads the rated message's number from the message itself,
never from its position. A failed turn leaves the question in the chat with the reason and no number. The plain
functions take and return plain values; `ChatTab` builds the components and turns results into updates by component.

"New case" starts afresh: the conversation, the facts panel and the practitioner's edits, the questions under the
answer, the record and the source view are cleared and the tab gets a fresh `Session` (a new audit session id),
so the next question is read on its own words. The audit trail keeps everything (it is append-only). An answer
that was still being worked out for the closed case is not shown in the new one.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ..audit import new_session_id
from ..errors import SharewiseError
from ..pii import NAME, find_identifiers, redact, strong
from ..prompts import render
from ..render import answer_markdown
from ..rules.facts import Edits
from ..types import Turn
from .questions import QuestionsBox
from .state import GENERIC_ERROR, Panel, Session, session_of, shown

log = logging.getLogger(__name__)

EXAMPLES = [
    "Can I tell children's social care without asking mum?",
    "A 15-year-old told me in confidence her stepdad hits her. Do I need her consent to refer?",
    "Mum has refused consent for an early help referral and there are no safeguarding concerns. Can I still share?",
    "What is Clare's Law and who can ask for a disclosure?",
    "The police have asked for a pupil's attendance record without citing any law. Do we have to give it?",
    "What should I record if I decide not to share?",
]
NOTHING_TO_RATE = "Nothing was recorded for that message, so there is nothing to rate."
NEW_CASE_DONE = ("**New case.** The conversation, the facts and your edits are cleared: your next question is read on "
                 "its own. What was asked before stays in the audit trail.")
CASE_CLOSED = ("An answer to a question from the case you closed arrived after you chose *New case*, so it is not "
               "shown here. Ask it again if it belongs to this case. If a child is in immediate danger, call 999.")
THANKS = "Thank you: your feedback goes to the Caldicott guardian's review queue."
THANKS_ASK_COMMENT = THANKS + " Add a comment below if you like (optional)."
COMMENT_ADDED = "Thank you: your comment was added to your feedback."
NO_COMMENT = "Type a comment first, or leave it: your thumbs were already recorded."
PLACEHOLDER = ("e.g. A Year 10 pupil told me her stepdad hits her and she doesn't want me to tell anyone. "
               "Can I tell social care?")


@dataclass(frozen=True)
class Reply:
    """What asking did: the chat after it, and the turn (None when it failed; `error` says why)."""

    chat: list[dict]
    turn: Turn | None
    error: str = ""
    stale: bool = False  # the case was closed ("New case") while this was being answered: show nothing of it


# ---- plain handlers -------------------------------------------------------------------------------------------

MAX_CHARS = 8000  # the default question limit (settings.max_question_chars); the tab passes the running one
NAMES_NOTE = ("**Names are not needed.** Your question was answered on the words you typed, but the name in it was "
              "kept only as \"[name]\" in the audit trail. Next time describe people by their role: \"the child\", "
              "\"mum's partner\".")


def _within_limit(message: str | None, max_chars: int) -> str | None:
    """The text to scan, or None when it is over the question limit: such a question is refused by the length
    check before any work, so it is not scanned (a pasted 5 MB page cost seconds here)."""
    text = message or ""
    return text if len(text.strip()) <= max_chars else None


def pii_warning(message: str, max_chars: int = MAX_CHARS) -> str:
    """The warning that holds a question back when it seems to hold a strong identifier (NHS or NI number, postcode,
    phone number, date of birth, email, ID number); "" when it does not. Names alone never hold it back."""
    text = _within_limit(message, max_chars)
    found = find_identifiers(text, names=False) if text else []
    if not found:
        return ""
    kinds = sorted({f.kind for f in found})
    return ("**Your question seems to contain identifying details (" + ", ".join(kinds) + ").** Sharewise does not "
            "need them. Choose *Remove them and ask* to send it with those details replaced, or edit your question.")


def names_note(message: str, max_chars: int = MAX_CHARS) -> str:
    """What is shown with the answer when the question held a person's name ("" when it did not)."""
    text = _within_limit(message, max_chars)
    return NAMES_NOTE if text and any(f.kind == NAME for f in find_identifiers(text)) else ""


def redacted(message: str) -> str:
    """The question with its strong identifiers replaced ("[NHS number]"). Names stay: the question is answered on
    the words as typed, and names are kept out of what is stored (the audit trail redacts them)."""
    text = message or ""
    return redact(text, strong(find_identifiers(text, names=False)))


def user_message(text: object) -> dict:
    """The practitioner's words as a chat message: shown as text, never rendered as HTML or Markdown."""
    return {"role": "user", "content": shown(text)}


def answer_message(turn: Turn) -> dict:
    """The reply, carrying the answer's audit sequence number (when it was recorded) for feedback."""
    message: dict[str, Any] = {"role": "assistant", "content": answer_markdown(turn)}
    if turn.audit_seq is not None:
        message["metadata"] = {"id": str(turn.audit_seq)}
    return message


def failed_message(reason: str) -> dict:
    """Why a question was not answered; no sequence number: nothing was recorded to rate."""
    return {"role": "assistant", "content": shown(reason)}


def ask(sw, session: Session, message: str, chat: Sequence[dict] | None = None) -> Reply:
    """Answer a question in this conversation through the orchestrator, with the earlier questions and the
    practitioner's edits; the session then holds the new turn. On failure the session is unchanged; if the case was
    closed ("New case") while this was being answered, the closed case is left as it was and nothing is shown."""
    before = list(chat or [])
    failed: Reply | None = None
    try:
        turn = sw.answer(message, tuple(session.questions), session.edits, session.id)
    except SharewiseError as e:
        failed = Reply(before + [user_message(str(message)[:500]), failed_message(str(e))], None, str(e))
    except Exception:  # noqa: BLE001 - the UI edge: detail to the log, a generic message to the user
        log.exception("answering failed")
        failed = Reply(before + [user_message(str(message)[:500]), failed_message(GENERIC_ERROR)], None, GENERIC_ERROR)
    if session.closed:
        return Reply(before, None, CASE_CLOSED, stale=True)
    if failed is not None:
        return failed
    session.questions.append(turn.question)
    session.turn = turn
    return Reply(before + [user_message(turn.question), answer_message(turn)], turn)


def message_seq(message: object) -> int | None:
    """The audit sequence number a chat message carries (None: a question, a failure, or not recorded)."""
    if not isinstance(message, dict) or message.get("role") != "assistant":
        return None
    seq = (message.get("metadata") or {}).get("id")
    try:
        return int(seq) if seq not in (None, "") else None
    except (TypeError, ValueError):
        return None


def rate(sw, chat: Sequence[dict] | None, index: object, liked: bool, comment: str = "",
         session: str | None = None) -> str:
    """A thumbs up or down on the message at `index` of the chat, attached to that message's own audit record; with
    `session`, only to an answer given in that session (the chat the browser sends back is not to be believed)."""
    at = index[0] if isinstance(index, (list, tuple)) and index else index
    messages = list(chat or [])
    if not isinstance(at, int) or not 0 <= at < len(messages):
        return NOTHING_TO_RATE
    seq = message_seq(messages[at])
    if seq is None or sw.feedback(seq, bool(liked), comment or "", session=session) is None:
        return NOTHING_TO_RATE
    return THANKS


def ask_api(sw, question: str, history: list[str] | None = None, facts: dict | None = None) -> dict:
    """The `ask` endpoint: one question (with earlier questions and the practitioner's edits as {fact: value}),
    answered and recorded by the orchestrator; the turn's JSON, or {"error": message}."""
    try:
        if history is not None and not isinstance(history, (list, tuple)):
            raise SharewiseError("history must be a list of the earlier questions")
        edits = Edits.of(facts, where="facts")
        return sw.answer(question, tuple(history or ()), edits, new_session_id()).to_json()
    except SharewiseError as e:
        return {"error": str(e)}


def banner_html(turn: Turn | None) -> str:
    """The pinned danger banner for the turn on screen: its words are the answer's own banner (prompts/
    danger_banner), with a Dismiss button; "" when the turn shows no emergency."""
    e = turn.determination.emergency if turn else None
    if not e:
        return ""
    words = " ".join(render("danger_banner", reason=e.banner, plain=True).split())
    head, _, rest = words.partition(". ")
    head = head if rest else words
    now, _, more = rest.partition(". ")  # on a phone the pin keeps to what to do now; the answer has the rest
    now, more = (now + "." if more else now), more
    return ('<div class="sw-pin" role="alert" aria-live="assertive" data-testid="danger-pin">'
            f'<p class="sw-pin-text"><strong>{html.escape(head.rstrip("."))}.</strong> {html.escape(now)}'
            f'<span class="sw-pin-more"> {html.escape(more)}</span></p>'
            '<button type="button" class="sw-pin-dismiss">Dismiss</button></div>')


# The pin's look: fixed to the top of the viewport (it never scrolls away, on any screen) until dismissed.
PIN_CSS = """
.sw-pin{position:fixed;top:0;left:0;right:0;z-index:1000;display:flex;gap:.75rem;align-items:center;
  justify-content:space-between;background:#b3261e;color:#fff;padding:.6rem 1rem;
  box-shadow:0 2px 6px rgba(0,0,0,.35);font-size:1rem;line-height:1.35}
.sw-pin-text{margin:0;color:#fff}
.sw-pin-text strong{color:#fff}
.sw-pin-dismiss{flex:none;background:#fff;color:#b3261e;border:0;border-radius:.4rem;padding:.35rem .8rem;
  font-weight:600;cursor:pointer}
@media (max-width: 640px){.sw-pin{padding:.5rem .75rem;font-size:.95rem}.sw-pin-more{display:none}}
.sw-pin-dismiss:focus-visible{outline:3px solid #ffd54f;outline-offset:2px}
"""
PIN_JS = """
element.addEventListener('click', (event) => {
  if (!event.target.closest('.sw-pin-dismiss')) return;
  const pin = element.querySelector('.sw-pin');
  if (pin) pin.style.display = 'none';
  trigger('click');
});
"""


class DangerBanner:
    """The emergency banner pinned to the top of the screen while the case shows immediate danger. A turn with an
    emergency raises it (every answer and re-check in the case keeps the emergency: `_danger_kept`, `Edits.apply`);
    a turn without one never lowers it: only Dismiss or "New case" does."""

    def __init__(self):
        self.pin = gr.HTML("", elem_id="danger-banner", html_template="${value}", css_template=PIN_CSS,
                           js_on_load=PIN_JS, apply_default_css=False)

    def outputs(self) -> list[Any]:
        return [self.pin]

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        if turn is None:  # a new case
            return {self.pin: ""}
        raised = banner_html(turn)
        return {self.pin: raised} if raised else {}

    def wire(self) -> None:
        self.pin.click(self.on_dismiss, None, self.pin, api_visibility="private")

    def on_dismiss(self) -> str:
        return ""


# ---- the tab ----------------------------------------------------------------------------------------------------

class ChatTab:
    """The chat column's components, and its events as updates by component."""

    def __init__(self, sw, session: gr.State):
        self.sw, self.session = sw, session
        self.banner = DangerBanner()  # pinned at the top of the screen while the case shows immediate danger
        # The question box comes first (in view at once, the first Tab lands on it): Enter sends, Shift+Enter
        # starts a new line (Gradio sends on Enter when `lines` is 1; the box still grows to `max_lines`).
        self.box = gr.Textbox(label="Your question", placeholder=PLACEHOLDER, lines=1, max_lines=8,
                              elem_id="question", autofocus=False,
                              info="Enter sends; Shift+Enter starts a new line. Describe people by their role, "
                                   "not their name.")
        with gr.Row(elem_id="ask-row"):
            self.send = gr.Button("Ask", variant="primary", elem_id="ask-button", scale=2)
            # Clears the conversation, the facts and edits, the questions and the record: the next question is new.
            self.clear = gr.Button("New case", elem_id="new-case", scale=1)
        self.note = gr.Markdown(elem_id="case-note")
        self.warning = gr.Markdown(visible=False, elem_id="pii-warning")
        with gr.Row(visible=False) as self.pii_row:
            self.redact_button = gr.Button("Remove them and ask", variant="primary", elem_id="redact-button")
            self.cancel_button = gr.Button("Edit my question")
        gr.Markdown("**Or tap an example** (it is asked at once):", elem_id="examples-heading")
        with gr.Column(elem_id="examples"):
            self.examples = [gr.Button(text, size="sm", variant="secondary", elem_classes=["sw-example"])
                             for text in EXAMPLES]
        # No autoscroll: the page script brings a new answer's top into view (not its closing boilerplate).
        self.chat = gr.Chatbot(label="Conversation", min_height=160, max_height=560, height=None, elem_id="chat",
                               buttons=["copy"], feedback_options=("Like", "Dislike"), autoscroll=False,
                               placeholder="Your question and the answer appear here.")
        # Feedback where the answer is: the thumbs on the answer record it; then an optional comment, just here.
        self.rated = gr.State(None)  # (audit seq, liked) of the last thumbs, for the comment that may follow
        self.thanks = gr.Markdown(elem_id="feedback-note")
        with gr.Row(visible=False, elem_id="feedback-row") as self.comment_row:
            self.comment = gr.Textbox(label="Comment on that answer (optional)", lines=1, max_lines=4, scale=4,
                                      elem_id="feedback-comment")
            self.send_comment = gr.Button("Add comment", scale=1, elem_id="feedback-send")
        self.questions = QuestionsBox(sw, session)  # the questions that settle the flags, under the conversation
        self.panels: list[Panel] = []

    def wire(self, panels: Sequence[Panel]) -> None:
        """Events; `panels` are the tabs refreshed from each new turn (the pinned danger banner always is)."""
        self.panels = list(panels) + ([self.banner] if self.banner not in panels else [])
        shown_turn = [c for p in self.panels for c in p.outputs()]
        outputs = [self.chat, self.session, self.box, self.warning, self.pii_row, self.note, self.thanks,
                   self.comment_row, *shown_turn]
        inputs = [self.box, self.chat, self.session]
        self.send.click(self.on_submit, inputs, outputs, api_visibility="private")
        self.box.submit(self.on_submit, inputs, outputs, api_visibility="private")
        for button, text in zip(self.examples, EXAMPLES):
            button.click(self._example(text), [self.chat, self.session], outputs, api_visibility="private")
        self.redact_button.click(self.on_redact, inputs, outputs, api_visibility="private")
        self.cancel_button.click(self.on_cancel, None, [self.warning, self.pii_row], api_visibility="private")
        self.clear.click(self.on_new_case, self.session, [self.chat, self.session, self.box, self.note, self.comment,
                                                          self.thanks, self.comment_row, self.rated, self.warning,
                                                          self.pii_row, *shown_turn],
                         api_visibility="private")
        self.chat.like(self.on_like, [self.chat, self.session],
                       [self.thanks, self.comment, self.comment_row, self.rated], api_visibility="private")
        comment_out = [self.thanks, self.comment, self.comment_row, self.rated]
        comment_in = [self.rated, self.comment, self.session]
        self.send_comment.click(self.on_comment, comment_in, comment_out, api_visibility="private")
        self.comment.submit(self.on_comment, comment_in, comment_out, api_visibility="private")
        self.banner.wire()

    def _example(self, text: str):
        def on_example(chat: list[dict] | None, state: object) -> dict:
            """An example question, asked at once (and left in the box if it could not be answered)."""
            out = self.on_submit(text, chat, state)
            out.setdefault(self.box, text)
            return out

        return on_example

    def _hide_warning(self) -> dict:
        return {self.warning: gr.update(visible=False), self.pii_row: gr.update(visible=False)}

    def _answer(self, message: str, chat: list[dict] | None, state: object) -> dict:
        session = session_of(state)
        reply = ask(self.sw, session, message, chat)
        if reply.stale:  # the new case on screen stays as it is
            return {self.note: CASE_CLOSED}
        out: dict = {self.chat: reply.chat, self.session: session, self.note: "", self.thanks: "",
                     self.comment_row: gr.update(visible=False), **self._hide_warning()}
        if reply.turn is not None:
            out[self.box] = ""
            for panel in self.panels:
                out.update(panel.show(reply.turn))
        return out

    def _limit(self) -> int:
        return int(getattr(getattr(self.sw, "settings", None), "max_question_chars", MAX_CHARS))

    def _answer_with_names_note(self, asked: str, typed: str, chat: list[dict] | None, state: object) -> dict:
        """Answer `asked`; when `typed` held a name, say with the answer that it was kept only as [name]."""
        out = self._answer(asked, chat, state)
        note = names_note(typed, self._limit()) if self.box in out else ""
        if note:
            out[self.warning] = gr.update(value=note, visible=True)
        return out

    def on_submit(self, message: str, chat: list[dict] | None, state: object) -> dict:
        warning = pii_warning(message, self._limit())
        if warning:  # a strong identifier: held back until it is removed or the question is edited
            return {self.warning: gr.update(value=warning, visible=True), self.pii_row: gr.update(visible=True)}
        return self._answer_with_names_note(message, message, chat, state)

    def on_redact(self, message: str, chat: list[dict] | None, state: object) -> dict:
        return self._answer_with_names_note(redacted(message), message, chat, state)

    def on_cancel(self) -> dict:
        return self._hide_warning()

    def on_new_case(self, state: object) -> dict:
        """New case: everything on screen for the case cleared, a fresh session (the audit trail keeps it all)."""
        out: dict = {self.chat: [], self.session: session_of(state).new_case(), self.box: "", self.note: NEW_CASE_DONE,
                     self.comment: "", self.thanks: "", self.comment_row: gr.update(visible=False), self.rated: None,
                     **self._hide_warning()}
        for panel in self.panels:
            out.update(panel.show(None))
        return out

    on_clear = on_new_case

    def on_like(self, chat: list[dict] | None, state: object, data: gr.LikeData) -> dict:
        """Thumbs on an answer of this session: recorded at once against that answer; then a comment may follow."""
        said = rate(self.sw, chat, data.index, bool(data.liked), session=session_of(state).id)
        if said != THANKS:
            return {self.thanks: said, self.comment_row: gr.update(visible=False), self.rated: None}
        at = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
        seq = message_seq(list(chat or [])[at])
        return {self.thanks: THANKS_ASK_COMMENT, self.comment: "", self.comment_row: gr.update(visible=True),
                self.rated: (seq, bool(data.liked))}

    def on_comment(self, rated: object, comment: str, state: object = None) -> dict:
        """The optional comment after the thumbs: added to the feedback on the same answer."""
        if not (isinstance(rated, (list, tuple)) and len(rated) == 2 and isinstance(rated[0], int)):
            return {self.thanks: NOTHING_TO_RATE, self.comment_row: gr.update(visible=False), self.rated: None}
        if not (comment or "").strip():
            return {self.thanks: NO_COMMENT}
        done = self.sw.feedback(rated[0], bool(rated[1]), comment.strip(), session=session_of(state).id) is not None
        return {self.thanks: COMMENT_ADDED if done else NOTHING_TO_RATE, self.comment: "",
                self.comment_row: gr.update(visible=False), self.rated: None}


class AskEndpoint:
    """The one public endpoint, `ask` (a bound method: Gradio reads the API's types from its hints)."""

    def __init__(self, sw):
        self.sw = sw

    def ask(self, question: str, history: list[str] | None = None, facts: dict | None = None) -> dict:
        """Answer a practitioner's question with verified quotes and the rules check: the JSON of `sharewise ask
        --json`. `history`: the earlier questions of the conversation; `facts`: the practitioner's edits as
        {fact: value}. A problem with the question comes back as {"error": message}."""
        return ask_api(self.sw, question, history, facts)
