"""The Review tab: the Caldicott guardian's workspace (login, queue, one answer in detail, decisions, exports).

A separate guardian login (`SHAREWISE_GUARDIAN_PASSWORD`) marks this tab's server-side `Session` as the
guardian's; every privileged handler checks `session.guardian` on the server, never anything the browser says.
Every view, decision and export is itself audited (by `assistant.review`).
"""

from __future__ import annotations

import hmac
import os
import tempfile
from pathlib import Path
from typing import Any

import gradio as gr

from ..errors import SharewiseError
from ..review import decide, detail, export_eval_questions, export_rows, queue
from .state import Session, session_of

WRONG_PASSWORD = "That password is not right (or `SHAREWISE_GUARDIAN_PASSWORD` is not set)."
NO_AUDIT = "The audit store is not open."
OPEN = "Review queue open."
Seq = int | float | str | None  # an answer number as a form gives it


class NotGuardian(SharewiseError):
    """A privileged action from a tab where the guardian has not logged in."""


def guardian_login(password: str) -> bool:
    expected = os.environ.get("SHAREWISE_GUARDIAN_PASSWORD", "")
    return bool(expected) and hmac.compare_digest(expected.encode(), (password or "").encode())


def open_review(sw, session: Session, password: str) -> str:
    """Log this tab in as the guardian (or out, on a wrong password); what to tell them."""
    session.guardian = guardian_login(password)
    if not session.guardian:
        return WRONG_PASSWORD
    return NO_AUDIT if sw.audit is None else OPEN


def _guardian(sw, session: Session) -> None:
    if not session.guardian:
        raise NotGuardian("Log in as the guardian first.")
    if sw.audit is None:
        raise NotGuardian(NO_AUDIT)


def review_queue(sw, session: Session, since: str = "", until: str = "", flag: str = "", state: str = "",
                 feedback: str = "") -> list[dict]:
    _guardian(sw, session)
    return queue(sw.audit, since or None, until or None, flag or None, state or None, feedback or None)


def review_detail(sw, session: Session, seq: Seq) -> str:
    """One answer as the audit trail keeps it (Markdown); viewing it is recorded."""
    _guardian(sw, session)
    if seq in (None, ""):
        return "Choose an answer by its number."
    d = detail(sw.audit, sw.corpus, int(seq))
    if d is None:
        return "No such answer (or its content has been purged under the retention period)."
    lines = [f"**Question (redacted):** {d['question']}", "",
             "**Flags:** " + "; ".join(f"{k}: {v['status']} ({', '.join(v['rule_ids'])})"
                                      for k, v in d["flags"].items()),
             "", "**Rules fired:** " + ", ".join(d.get("rules_fired", [])), "", "**Quotes:**"]
    lines += [f"> {q['text']}\n\n— {q['doc_title']}, {q['section']} (characters {q['start']}-{q['end']})\n"
              for q in d["quotes"]] or ["(none: no grounded answer)"]
    return "\n".join(lines)


def save_review(sw, session: Session, seq: Seq, state: str | None, comment: str = "", gold: str = "") -> str:
    _guardian(sw, session)
    if seq in (None, "") or not state:
        return "Choose an answer and a review decision."
    spans = [g.strip() for g in (gold or "").splitlines() if g.strip()]
    decide(sw.audit, int(seq), state, comment, spans)
    return f"Saved: answer {int(seq)} {state.replace('_', ' ')}."


def export(sw, session: Session, kind: str, since: str = "", until: str = "", folder: Path | None = None) -> str:
    """An export file (csv, json, or the reviewed answers as eval questions); the export is recorded."""
    _guardian(sw, session)
    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="sharewise-export-"))
    if kind == "eval":
        path = out / "reviewed-questions.jsonl"
        path.write_text(export_eval_questions(sw.audit, sw.corpus), encoding="utf-8")
    else:
        path = out / f"audit-export.{kind}"
        path.write_text(export_rows(sw.audit, since or None, until or None, kind), encoding="utf-8")
    return str(path)


def _privileged(step):
    try:
        return step()
    except NotGuardian as e:
        raise gr.Error(str(e)) from None


class ReviewTab:
    """The guardian's login and workspace."""

    def __init__(self, sw, session: gr.State):
        self.sw, self.session = sw, session
        with gr.Tab("Review", id="review"):
            gr.Markdown("**Caldicott guardian review.** A separate guardian login "
                        "(`SHAREWISE_GUARDIAN_PASSWORD`); every view, decision and export is audited.")
            with gr.Row():
                self.password = gr.Textbox(label="Guardian password", type="password", elem_id="guardian-password")
                self.login = gr.Button("Open the review queue")
            self.message = gr.Markdown()
            with gr.Group(visible=False) as self.panel:
                with gr.Row():
                    self.since = gr.Textbox(label="From (YYYY-MM-DD)")
                    self.until = gr.Textbox(label="To (YYYY-MM-DD)")
                    self.flag = gr.Dropdown(["", "applies", "does_not_apply", "not_needed", "undetermined"],
                                            value="", label="Any flag is")
                    self.state = gr.Dropdown(["", "unreviewed", "approved", "needs_correction"], value="",
                                             label="Review state")
                    self.feedback = gr.Dropdown(["", "up", "down", "none"], value="", label="Feedback")
                self.refresh = gr.Button("Show the queue")
                self.table = gr.Dataframe(interactive=False, wrap=True, elem_id="review-queue")
                with gr.Row():
                    self.pick = gr.Number(label="Answer number", precision=0)
                    self.show_button = gr.Button("Show this answer")
                self.detail = gr.Markdown(elem_id="review-detail")
                self.decision = gr.Radio(["approved", "needs_correction"], label="Review")
                self.comment = gr.Textbox(label="Comment", lines=2)
                self.gold = gr.Textbox(label="If it needs correction: the passages that should have been quoted "
                                             "(one per line, verbatim)", lines=3)
                self.save = gr.Button("Save the review")
                self.saved = gr.Markdown()
                with gr.Row():
                    self.export_csv = gr.Button("Export CSV")
                    self.export_json = gr.Button("Export JSON")
                    self.export_eval = gr.Button("Export reviewed answers as eval questions")
                self.exports = gr.File(label="Exports", interactive=False)

    def wire(self) -> None:
        private: dict[str, Any] = {"api_visibility": "private"}
        self.login.click(self.on_login, [self.session, self.password], [self.session, self.message, self.panel],
                         **private)
        self.refresh.click(self.on_queue, [self.session, self.since, self.until, self.flag, self.state,
                                           self.feedback], [self.table], **private)
        self.show_button.click(self.on_detail, [self.session, self.pick], [self.detail], **private)
        self.save.click(self.on_save, [self.session, self.pick, self.decision, self.comment, self.gold],
                        [self.saved], **private)
        filters = [self.session, self.since, self.until]
        self.export_csv.click(self.on_export_csv, filters, [self.exports], **private)
        self.export_json.click(self.on_export_json, filters, [self.exports], **private)
        self.export_eval.click(self.on_export_eval, filters, [self.exports], **private)

    def on_login(self, state: object, password: str) -> dict:
        session = session_of(state)
        message = open_review(self.sw, session, password)
        return {self.session: session, self.message: message, self.panel: gr.update(visible=message == OPEN)}

    def on_queue(self, state: object, since: str, until: str, flag: str, review_state: str, feedback: str) -> dict:
        import pandas as pd

        rows = _privileged(lambda: review_queue(self.sw, session_of(state), since, until, flag, review_state,
                                                feedback))
        return {self.table: pd.DataFrame(rows) if rows else pd.DataFrame({"seq": []})}

    def on_detail(self, state: object, seq: Seq) -> dict:
        return {self.detail: _privileged(lambda: review_detail(self.sw, session_of(state), seq))}

    def on_save(self, state: object, seq: Seq, decision: str | None, comment: str, gold: str) -> dict:
        return {self.saved: _privileged(lambda: save_review(self.sw, session_of(state), seq, decision, comment,
                                                            gold))}

    def _export(self, kind: str, state: object, since: str, until: str) -> dict:
        return {self.exports: _privileged(lambda: export(self.sw, session_of(state), kind, since, until))}

    def on_export_csv(self, state: object, since: str, until: str) -> dict:
        return self._export("csv", state, since, until)

    def on_export_json(self, state: object, since: str, until: str) -> dict:
        return self._export("json", state, since, until)

    def on_export_eval(self, state: object, since: str, until: str) -> dict:
        return self._export("eval", state, since, until)
