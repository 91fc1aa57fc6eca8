"""The Gradio app: layout and events. Handlers live in handlers.py; rendering in compose.py."""

from __future__ import annotations

import logging
import os

import gradio as gr

from ..errors import SharewiseError
from ..prompts import render
from ..rules.facts import FACTS
from . import handlers as h

log = logging.getLogger(__name__)

EXAMPLES = [
    "Can I tell children's social care without asking mum?",
    "A 15-year-old told me in confidence her stepdad hits her. Do I need her consent to refer?",
    "Mum has refused consent for an early help referral and there are no safeguarding concerns. Can I still share?",
    "What is Clare's Law and who can ask for a disclosure?",
    "The police have asked for a pupil's attendance record without citing any law. Do we have to give it?",
    "What should I record if I decide not to share?",
]
CSS = """
.sw-banner{background:#b3261e;color:#fff;padding:.75rem 1rem;border-radius:.5rem;font-weight:600}
.sw-status{color:#fff;padding:.1rem .5rem;border-radius:.4rem;font-size:.95em}
.sw-flag{border:1px solid #ccc;border-radius:.5rem;padding:.5rem .9rem;margin:.5rem 0}
.sw-source{max-height:24rem;overflow:auto;border-left:4px solid #888;padding-left:.8rem}
.sw-source mark{background:#ffe58a}
.sw-rules,.sw-note{color:#555;font-size:.9em}
"""


def _control(name: str):
    spec = FACTS[name]
    label = name.replace("_", " ").capitalize()
    if spec.kind == "bool":
        return gr.Radio(h.BOOL_CHOICES, value="unknown", label=label, info=spec.ask)
    if spec.kind == "set":
        return gr.CheckboxGroup(list(spec.values), label="What the information reveals", info=spec.ask)
    if spec.kind == "age":
        return gr.Number(value=None, label="Age of the person to protect (years)", precision=0, minimum=0, maximum=120,
                         info="Leave empty if not known.")
    return gr.Dropdown(["unknown", *spec.values], value="unknown", label=label, info=spec.ask)


def build_app(sw) -> gr.Blocks:
    """The whole screen: chat on the left; rules, facts, source and record on the right."""
    with gr.Blocks(title="Sharewise: information sharing guidance", analytics_enabled=False,
                   delete_cache=(3600, 3600)) as demo:
        session = gr.State(None)  # a Session, created on the first question (a callable default adds a public event)
        gr.Markdown("# Sharewise\nSafeguarding information sharing: the guidance in its own words, and a rules check.")
        gr.Markdown(render("privacy_note"), elem_id="privacy-note")
        with gr.Row():
            with gr.Column(scale=3):
                chat = gr.Chatbot(label="Conversation", height=520, elem_id="chat", buttons=[], feedback_options=("Like", "Dislike"))
                fb_comment = gr.Textbox(label="Comment on an answer (optional, then use the thumbs)", lines=1,
                                        elem_id="feedback-comment")
                fb_note = gr.Markdown(elem_id="feedback-note")
                warning = gr.Markdown(visible=False, elem_id="pii-warning")
                with gr.Row(visible=False) as pii_row:
                    redact_btn = gr.Button("Remove them and ask", variant="primary")
                    cancel_btn = gr.Button("Edit my question")
                box = gr.Textbox(label="Your question", placeholder="Describe the situation without names...",
                                 lines=2, max_lines=8, elem_id="question")
                with gr.Row():
                    send = gr.Button("Ask", variant="primary", elem_id="ask-button")
                    clear = gr.Button("New conversation")
                gr.Examples(EXAMPLES, inputs=box, label="Example questions", api_visibility="private")
            with gr.Column(scale=2):
                with gr.Tabs():
                    with gr.Tab("Rules", id="rules"):
                        rules = gr.HTML("<p>Ask a question to see the rules check.</p>", elem_id="rules-panel")
                    with gr.Tab("Facts", id="facts"):
                        facts_note = gr.Markdown("Facts read from your words appear here; change any of them and "
                                                 "the rules check runs again at once.", elem_id="facts-note")
                        controls = [_control(n) for n in h.PANEL]
                    with gr.Tab("Source", id="source"):
                        citation = gr.Dropdown([], label="Citation", elem_id="citation")
                        source = gr.HTML("<p>Choose a citation to see the passage in its section.</p>",
                                         elem_id="source-view")
                    with gr.Tab("Record", id="record"):
                        gr.Markdown("**Record of the decision (golden rule 7).** No identifying details are needed to "
                                    "complete it.")
                        record = [gr.Radio(["share", "not share", "share in part"], label="Decision")] + [
                            gr.Textbox(label=lbl, lines=2 if multi else 1) for lbl, multi in (
                                ("What information", False), ("With whom", False), ("For what purpose", False),
                                ("Lawful basis (Article 6)", False), ("Condition (Article 9 / Schedule 1 / Article 10)", True),
                                ("Consent: sought, refused or not sought, and why", True),
                                ("Reasons, including necessity and proportionality", True),
                                ("Who was consulted", False), ("Date", False))]
                        make = gr.Button("Prepare the record for download")
                        files = gr.File(label="Download (Markdown, JSON, printable HTML)", file_count="multiple",
                                        interactive=False, elem_id="record-files")
                    with gr.Tab("Review", id="review"):
                        gr.Markdown("**Caldicott guardian review.** A separate guardian login "
                                    "(`SHAREWISE_GUARDIAN_PASSWORD`); every view, decision and export is audited.")
                        with gr.Row():
                            gpass = gr.Textbox(label="Guardian password", type="password", elem_id="guardian-password")
                            glogin = gr.Button("Open the review queue")
                        gmsg = gr.Markdown()
                        with gr.Group(visible=False) as gpanel:
                            with gr.Row():
                                f_since = gr.Textbox(label="From (YYYY-MM-DD)")
                                f_until = gr.Textbox(label="To (YYYY-MM-DD)")
                                f_flag = gr.Dropdown(["", "applies", "does_not_apply", "not_needed", "undetermined"],
                                                     value="", label="Any flag is")
                                f_state = gr.Dropdown(["", "unreviewed", "approved", "needs_correction"], value="",
                                                      label="Review state")
                                f_fb = gr.Dropdown(["", "up", "down", "none"], value="", label="Feedback")
                            refresh = gr.Button("Show the queue")
                            table = gr.Dataframe(interactive=False, wrap=True, elem_id="review-queue")
                            with gr.Row():
                                pick = gr.Number(label="Answer number", precision=0)
                                show = gr.Button("Show this answer")
                            rdetail = gr.Markdown(elem_id="review-detail")
                            decision = gr.Radio(["approved", "needs_correction"], label="Review")
                            rcomment = gr.Textbox(label="Comment", lines=2)
                            rgold = gr.Textbox(label="If it needs correction: the passages that should have been quoted "
                                                     "(one per line, verbatim)", lines=3)
                            save = gr.Button("Save the review")
                            rsaved = gr.Markdown()
                            with gr.Row():
                                exp_csv = gr.Button("Export CSV")
                                exp_json = gr.Button("Export JSON")
                                exp_eval = gr.Button("Export reviewed answers as eval questions")
                            exp_files = gr.File(label="Exports", interactive=False)
                    with gr.Tab("Evaluate", id="evaluate"):
                        gr.Markdown("**For evaluators.** Upload a question file (JSON Lines: `id`, `question`, "
                                    "`gold_spans`, `kind`), run it, read the report and download `results.json`.")
                        qfile = gr.File(label="Question file (.jsonl)", file_types=[".jsonl"], elem_id="eval-upload")
                        run_eval_btn = gr.Button("Run the evaluation")
                        eval_report = gr.HTML(elem_id="eval-report")
                        eval_files = gr.File(label="Results", file_count="multiple", interactive=False,
                                             elem_id="eval-files")

        def answer(message, history, state: h.Session | None):
            history = list(history or [])
            state = state or h.Session()
            def failed(text):  # the question stays in the chat with the reason; nothing else changes
                return (history + [{"role": "user", "content": str(message)[:500]}, {"role": "assistant", "content": text}],
                        state, gr.update(), *[gr.update()] * len(controls), gr.update(), gr.update(), gr.update(),
                        *[gr.update()] * len(record), "")

            try:
                result = h.ask(sw, state, message)
                reply = h.chat_reply(result)
            except SharewiseError as e:
                return failed(str(e))
            except Exception:  # noqa: BLE001 - the UI edge: detail to the log, a generic message to the user
                log.exception("answering failed")
                return failed(h.GENERIC_ERROR)
            facts_json = result["rules"]["facts"]
            choices = h.citation_choices(result)
            return (history + [{"role": "user", "content": result["question"]}, {"role": "assistant", "content": reply}],
                    state, h.rules_html(result["rules"]), *h.panel_values(facts_json), h.panel_sources(facts_json),
                    gr.update(choices=choices, value=choices[0][1] if choices else None),
                    h.source_view(sw, result, 0 if choices else None), *h.record_fields(result), "")

        outputs = [chat, session, rules, *controls, facts_note, citation, source, *record, box]

        def submit(message, history, state):
            warn = h.pii_warning(message)
            if warn:
                return (gr.update(value=warn, visible=True), gr.update(visible=True), *[gr.update()] * len(outputs))
            return (gr.update(visible=False), gr.update(visible=False), *answer(message, history, state))

        gated = [warning, pii_row, *outputs]
        send.click(submit, [box, chat, session], gated, api_visibility="private")
        box.submit(submit, [box, chat, session], gated, api_visibility="private")
        redact_btn.click(lambda m, hist, st: (gr.update(visible=False), gr.update(visible=False),
                                              *answer(h.redacted(m), hist, st)),
                         [box, chat, session], gated, api_visibility="private")
        cancel_btn.click(lambda: (gr.update(visible=False), gr.update(visible=False)), None, [warning, pii_row],
                         api_visibility="private")
        clear.click(lambda: ([], None, "<p>Ask a question to see the rules check.</p>", ""),
                    None, [chat, session, rules, box], api_visibility="private")

        def facts_changed(state: h.Session | None, *panel):
            state = state or h.Session()
            try:
                result = h.rerun_rules(sw, state, list(panel))
            except SharewiseError as e:
                return state, f"<p>{e}</p>", *[gr.update()] * len(record)
            return state, h.rules_html(result["rules"]), *h.record_fields(result)

        for control in controls:
            # .input, not .change: only the practitioner's own edits count, never the panel being refilled.
            control.input(facts_changed, [session, *controls], [session, rules, *record], api_visibility="private")
        citation.change(lambda state, idx: h.source_view(sw, state.result if state else None, idx), [session, citation], source,
                        api_visibility="private")
        make.click(lambda state, *vals: h.write_record(state.result if state else None, list(vals), sw=sw, session=state),
                   [session, *record], files, api_visibility="private")

        def liked(state, comment, data: gr.LikeData):
            return h.feedback(sw, state, data.index[0] if isinstance(data.index, (list, tuple)) else data.index,
                              bool(data.liked), comment), ""

        chat.like(liked, [session, fb_comment], [fb_note, fb_comment], api_visibility="private")

        def open_review(state, password):
            state = state or h.Session()
            state.guardian = h.guardian_login(password)
            if not state.guardian:
                return state, "That password is not right (or `SHAREWISE_GUARDIAN_PASSWORD` is not set).", gr.update(visible=False)
            if sw.audit is None:
                return state, "The audit store is not open.", gr.update(visible=False)
            return state, "Review queue open.", gr.update(visible=True)

        glogin.click(open_review, [session, gpass], [session, gmsg, gpanel], api_visibility="private")

        def guarded(fn):
            def run(state, *args):
                if not (state and state.guardian):
                    raise gr.Error("Log in as the guardian first.")
                return fn(*args)
            return run

        from ..review import decide, export_eval_questions, export_rows, queue

        def show_queue(since, until, flag, state_f, fb):
            rows = queue(sw.audit, since or None, until or None, flag or None, state_f or None, fb or None)
            import pandas as pd
            return pd.DataFrame(rows) if rows else pd.DataFrame({"seq": []})

        refresh.click(guarded(show_queue), [session, f_since, f_until, f_flag, f_state, f_fb], table, api_visibility="private")
        show.click(guarded(lambda seq: h.review_detail_markdown(sw, seq)), [session, pick], rdetail, api_visibility="private")

        def save_review(seq, state_v, comment, gold):
            if seq in (None, "") or not state_v:
                return "Choose an answer and a review decision."
            spans = [g.strip() for g in (gold or "").splitlines() if g.strip()]
            decide(sw.audit, int(seq), state_v, comment, spans)
            return f"Saved: answer {int(seq)} {state_v.replace('_', ' ')}."

        save.click(guarded(save_review), [session, pick, decision, rcomment, rgold], rsaved, api_visibility="private")

        def export(kind, since, until):
            import tempfile as tf
            from pathlib import Path as P
            folder = P(tf.mkdtemp(prefix="sharewise-export-"))
            if kind == "eval":
                path = folder / "reviewed-questions.jsonl"
                path.write_text(export_eval_questions(sw.audit, sw.corpus), encoding="utf-8")
            else:
                path = folder / f"audit-export.{kind}"
                path.write_text(export_rows(sw.audit, since or None, until or None, kind), encoding="utf-8")
            return str(path)

        exp_csv.click(guarded(lambda a, b: export("csv", a, b)), [session, f_since, f_until], exp_files, api_visibility="private")
        exp_json.click(guarded(lambda a, b: export("json", a, b)), [session, f_since, f_until], exp_files, api_visibility="private")
        exp_eval.click(guarded(lambda a, b: export("eval", a, b)), [session, f_since, f_until], exp_files, api_visibility="private")

        def evaluate(upload, progress=gr.Progress()):
            if not upload:
                return "<p>Choose a question file first.</p>", None
            try:
                html_text, paths = h.run_evaluation(sw, upload, lambda i, n: progress((i, n), desc="Questions"))
            except SharewiseError as e:
                return f"<p><b>That file cannot be evaluated:</b> {e}</p>", None
            except Exception:  # noqa: BLE001 - the UI edge
                log.exception("evaluation failed")
                return f"<p>{h.GENERIC_ERROR}</p>", None
            return html_text, paths

        run_eval_btn.click(evaluate, qfile, [eval_report, eval_files], api_visibility="private")

        def ask_api(question: str) -> dict:
            """Answer one question: the JSON of `sharewise ask --json`, with the rules check under `rules`."""
            try:
                result = sw.ask_with_rules(question)
                from ..audit import new_session_id
                sw.record(new_session_id(), result)  # fails closed: an unrecorded answer is not returned
                return result
            except SharewiseError as e:
                return {"error": str(e)}

        gr.api(ask_api, api_name="ask", api_description="Answer a practitioner's question with verified quotes "
               "and the rules check (same JSON as `sharewise ask --json`, plus `rules`).")
    return demo


def launch_settings(host: str = "127.0.0.1", port: int = 7860, auth: tuple[str, str] | None = None,
                    blocked: list[str] | None = None) -> dict:
    """Hardened launch: loopback by default, no SSR, no run history, no sharing, no analytics or monitoring."""
    from starlette.middleware import Middleware

    from .security import Hardening

    return dict(app_kwargs={"middleware": [Middleware(Hardening)]},
                server_name=host, server_port=port, share=False, ssr_mode=False, run_history=False, show_error=False,
                enable_monitoring=False, strict_cors=True, allowed_paths=[], blocked_paths=blocked or [],
                mcp_server=False, max_file_size="1mb", auth=auth, quiet=True, footer_links=[],
                # Per-session state is kept for this many sessions at most: bounds memory under many users.
                state_session_capacity=500,
                theme=gr.themes.Default(font=["system-ui", "sans-serif"], font_mono=["ui-monospace", "monospace"]),
                css=CSS)


def serve(sw, host: str, port: int, auth: tuple[str, str] | None = None, block: bool = True, on_ready=None):
    # Dangerous environment switches are overridden by the explicit launch arguments above.
    for var in ("GRADIO_SHARE", "GRADIO_SSR_MODE", "GRADIO_MCP_SERVER", "GRADIO_RUN_HISTORY"):
        os.environ.pop(var, None)
    if sw.audit is None:
        sw.with_audit()  # every answer through the app is recorded; refuses to start if it cannot be
    demo = build_app(sw)
    demo.queue(default_concurrency_limit=2, max_size=64)
    settings = sw.settings
    blocked = [str(p) for p in (settings.index_dir, settings.model_dir, settings.data_dir)]
    demo.launch(prevent_thread_lock=True, **launch_settings(host, port, auth, blocked))
    if on_ready:
        on_ready()
    if block:
        demo.block_thread()
    return demo
