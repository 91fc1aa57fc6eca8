"""The Review tab of the staff app: the Caldicott guardian's queue, one answer in detail, decisions, exports.

Only in the staff app (`/staff`), behind its own sign-in. Every handler's first step is `web.require(request,
"guardian")`: the role is checked on the server from the login cookie, never taken from the page, so calling a
handler directly (through `/gradio_api/queue/join` or `/run/<name>`) as anyone else is refused. Every listing,
view, decision and export is itself audited under the guardian's account; exports are offered for an hour, to
this login only (`/download/...`).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import gradio as gr

from ..review import decide, detail, export_eval_questions, export_rows, queue
from ..web.guard import NotAllowed, Web
from .state import shown

NO_AUDIT = "The audit store is not open."
Seq = int | float | str | None  # an answer number as a form gives it


def _guardian(sw, web: Web, request: Any):
    who = web.require(request, "guardian")
    if sw.audit is None:
        raise NotAllowed(NO_AUDIT)
    return who


def review_queue(sw, web: Web, request: Any, since: str = "", until: str = "", flag: str = "", state: str = "",
                 feedback: str = "") -> list[dict]:
    who = _guardian(sw, web, request)
    rows = queue(sw.audit, since or None, until or None, flag or None, state or None, feedback or None)
    sw.audit.append("queue", {"since": since, "until": until, "flag": flag, "state": state, "feedback": feedback,
                              "rows": len(rows)}, who.name)
    return rows


def review_detail(sw, web: Web, request: Any, seq: Seq) -> str:
    """One answer as the audit trail keeps it (Markdown, the question shown as text); viewing it is recorded."""
    who = _guardian(sw, web, request)
    if seq in (None, ""):
        return "Choose an answer by its number."
    d = detail(sw.audit, sw.corpus, int(seq), who.name)
    if d is None:
        return "No such answer (or its content has been purged under the retention period)."
    lines = [f"**Question (redacted):** {shown(d['question'])}", "",
             "**Flags:** " + "; ".join(f"{k}: {v['status']} ({', '.join(v['rule_ids'])})"
                                      for k, v in d["flags"].items()),
             "", "**Rules fired:** " + ", ".join(d.get("rules_fired", [])), "", "**Quotes:**"]
    lines += [f"> {shown(q['text'])}\n\n— {shown(q['doc_title'])}, {shown(q['section'])} "
              f"(characters {q['start']}-{q['end']})\n" for q in d["quotes"]] or ["(none: no grounded answer)"]
    return "\n".join(lines)


def save_review(sw, web: Web, request: Any, seq: Seq, state: str | None, comment: str = "", gold: str = "") -> str:
    who = _guardian(sw, web, request)
    if seq in (None, "") or not state:
        return "Choose an answer and a review decision."
    spans = [g.strip() for g in (gold or "").splitlines() if g.strip()]
    # Gold passages are the guidance's own words, so they are kept verbatim; anything else could be a name or a
    # number, and is refused rather than stored.
    missing = [g for g in spans if not any(g in d.text for d in sw.corpus.documents.values())]
    if missing:
        return (f"Not saved: {len(missing)} of the passages is not word for word in the guidance. Paste each "
                "passage exactly as it stands in the Source tab, one per line.")
    decide(sw.audit, int(seq), state, comment, spans, who.name)
    return f"Saved: answer {int(seq)} {state.replace('_', ' ')}."


def export(sw, web: Web, request: Any, kind: str, since: str = "", until: str = "") -> str:
    """An export (csv, json, or the reviewed answers as eval questions), offered to this login for an hour, once;
    the export is recorded. Returns the download's URL path."""
    who = _guardian(sw, web, request)
    out = web.downloads.folder("exports")
    if kind == "eval":
        path = out / "reviewed-questions.jsonl"
        path.write_text(export_eval_questions(sw.audit, sw.corpus, who.name), encoding="utf-8")
    else:
        path = out / f"audit-export.{kind}"
        path.write_text(export_rows(sw.audit, since or None, until or None, kind, who.name), encoding="utf-8")
    path.chmod(0o600)
    return web.downloads.offer(Path(path), who.owner, once=True)


def _privileged(step):
    try:
        return step()
    except NotAllowed as e:
        raise gr.Error(str(e)) from None


def download_link(url: str) -> str:
    name = url.rsplit("/", 1)[-1]
    return f"[Download {shown(name)}]({url}) (for you only, once, within an hour)"


class ReviewTab:
    """The guardian's workspace (the sign-in is the staff app's own page)."""

    def __init__(self, sw, web: Web):
        self.sw, self.web = sw, web
        with gr.Tab("Review", id="review"):
            gr.Markdown("**Caldicott guardian review.** Every listing, view, decision and export is audited under "
                        "your account.")
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
            self.exports = gr.Markdown(elem_id="review-exports")

    def wire(self) -> None:
        private: dict[str, Any] = {"api_visibility": "private"}
        self.refresh.click(self.on_queue, [self.since, self.until, self.flag, self.state, self.feedback],
                           [self.table], **private)
        self.show_button.click(self.on_detail, [self.pick], [self.detail], **private)
        self.save.click(self.on_save, [self.pick, self.decision, self.comment, self.gold], [self.saved], **private)
        filters = [self.since, self.until]
        self.export_csv.click(self.on_export_csv, filters, [self.exports], **private)
        self.export_json.click(self.on_export_json, filters, [self.exports], **private)
        self.export_eval.click(self.on_export_eval, filters, [self.exports], **private)

    def on_queue(self, since: str, until: str, flag: str, review_state: str, feedback: str,
                 request: gr.Request) -> dict:
        import pandas as pd

        rows = _privileged(lambda: review_queue(self.sw, self.web, request, since, until, flag, review_state,
                                                feedback))
        return {self.table: pd.DataFrame(rows) if rows else pd.DataFrame({"seq": []})}

    def on_detail(self, seq: Seq, request: gr.Request) -> dict:
        return {self.detail: _privileged(lambda: review_detail(self.sw, self.web, request, seq))}

    def on_save(self, seq: Seq, decision: str | None, comment: str, gold: str, request: gr.Request) -> dict:
        return {self.saved: _privileged(lambda: save_review(self.sw, self.web, request, seq, decision, comment,
                                                            gold))}

    def _export(self, kind: str, since: str, until: str, request: gr.Request) -> dict:
        url = _privileged(lambda: export(self.sw, self.web, request, kind, since, until))
        return {self.exports: download_link(url)}

    def on_export_csv(self, since: str, until: str, request: gr.Request) -> dict:
        return self._export("csv", since, until, request)

    def on_export_json(self, since: str, until: str, request: gr.Request) -> dict:
        return self._export("json", since, until, request)

    def on_export_eval(self, since: str, until: str, request: gr.Request) -> dict:
        return self._export("eval", since, until, request)
