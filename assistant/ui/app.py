"""The Gradio app: assembling the tabs, wiring their events, and the hardened launch.

`build_app(sw)` lays the chat out on the left and the Rules, Facts, Source, Record, Review and Evaluate tabs on
the right, each built by its own module, then wires each tab's events and the one public endpoint, `ask`.
What each event does lives in the tab modules; `launch_settings` and `serve` keep the server hardened
(loopback, no SSR, sharing, analytics or monitoring, bounded queue and session memory, audit opened first).
"""

from __future__ import annotations

import logging
import os

import gradio as gr

from ..prompts import render
from .chat import AskEndpoint, ChatTab
from .evaluate import EvaluateTab
from .facts import FactsTab
from .record import RecordTab
from .review import ReviewTab
from .source import SourceTab

log = logging.getLogger(__name__)

CSS = """
.sw-banner{background:#b3261e;color:#fff;padding:.75rem 1rem;border-radius:.5rem;font-weight:600}
.sw-status{color:#fff;padding:.1rem .5rem;border-radius:.4rem;font-size:.95em}
.sw-flag{border:1px solid #ccc;border-radius:.5rem;padding:.5rem .9rem;margin:.5rem 0}
.sw-source{max-height:24rem;overflow:auto;border-left:4px solid #888;padding-left:.8rem}
.sw-source mark{background:#ffe58a}
.sw-rules,.sw-note{color:#555;font-size:.9em}
.sw-plain{font-size:1.05em}
.sw-rests{border-left:4px solid #8a5a00;padding-left:.6rem}
.sw-details summary{cursor:pointer;color:#333}
"""

# Gradio 6 draws a radio as a <fieldset> with no legend and gives each choice its own `name`, so a screen reader
# hears neither one question nor one group. On every redraw this names each radio fieldset by its label (the
# question), describes it by its info line, and gives its choices one shared name: one radio group, one question.
RADIO_GROUPS_JS = """
() => {
  let count = 0;
  const fix = () => {
    document.querySelectorAll('fieldset').forEach((set) => {
      const radios = set.querySelectorAll('input[type=radio]');
      if (!radios.length) return;
      if (!set.dataset.swGroup) set.dataset.swGroup = set.id || `sw-radio-${++count}`;
      const group = set.dataset.swGroup;
      set.setAttribute('role', 'radiogroup');
      const title = set.querySelector('[data-testid="block-info"]');
      if (title) { title.id = `${group}-label`; set.setAttribute('aria-labelledby', title.id); }
      const info = set.querySelector('.info-text');
      if (info) { info.id = `${group}-info`; set.setAttribute('aria-describedby', info.id); }
      radios.forEach((r) => { if (r.name !== group) r.name = group; });
    });
  };
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
}
"""


def build_app(sw) -> gr.Blocks:
    """The whole screen: chat on the left; rules, facts, source, record, review and evaluation on the right."""
    with gr.Blocks(title="Sharewise: information sharing guidance", analytics_enabled=False,
                   delete_cache=(3600, 3600)) as demo:
        session = gr.State(None)  # a Session, created on first use (a callable default adds a public event)
        gr.Markdown("# Sharewise\nSafeguarding information sharing: the guidance in its own words, and a rules check.")
        gr.Markdown(render("privacy_note"), elem_id="privacy-note")
        with gr.Row():
            with gr.Column(scale=3):
                chat = ChatTab(sw, session)
            with gr.Column(scale=2), gr.Tabs():
                facts = FactsTab(sw, session)
                source = SourceTab(sw, session)
                record = RecordTab(sw, session)
                review = ReviewTab(sw, session)
                evaluate = EvaluateTab(sw)
        chat.wire(panels=[facts, source, record, chat.questions])
        facts.wire(panels=[record, chat.questions])
        chat.questions.wire(panels=[facts, record])
        source.wire()
        record.wire()
        review.wire()
        evaluate.wire()
        gr.api(AskEndpoint(sw).ask, api_name="ask", api_description="Answer a practitioner's question with verified "
               "quotes and the rules check (same JSON as `sharewise ask --json`); optional `history` (earlier "
               "questions) and `facts` (the practitioner's edits as {fact: value}).")
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
                css=CSS, js=RADIO_GROUPS_JS)


def serve(sw, host: str, port: int, auth: tuple[str, str] | None = None, block: bool = True, on_ready=None):
    """Open the audit store (refusing to start without it), then serve the app until stopped."""
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
