"""The Evaluate tab: an evaluator uploads a question file, runs it and reads the report.

The run is `assistant.evaluate.run_eval` (retrieval and quotes only, never recorded in the audit trail); the
upload is deleted afterwards, and the report and `results.json` are written to a fresh temporary folder.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

import gradio as gr

from ..errors import SharewiseError
from .state import GENERIC_ERROR

log = logging.getLogger(__name__)


def run_evaluation(sw, upload: object, progress: Callable[[int, int], object] | None = None) -> tuple[str, list[str]]:
    """Evaluate an uploaded question file; the upload is deleted afterwards (nothing kept). (report body, files)"""
    from ..eval_report import write
    from ..evaluate import run_eval

    path = Path(upload if isinstance(upload, str) else getattr(upload, "name", str(upload)))
    try:
        results = run_eval(sw, path, progress=progress)
    finally:
        path.unlink(missing_ok=True)
    out = Path(tempfile.mkdtemp(prefix="sharewise-eval-"))
    write(results, out)
    page = (out / "report.html").read_text(encoding="utf-8")
    body = re.search(r"<body>(.*)</body>", page, re.S)
    return (body.group(1) if body else page), [str(out / n) for n in ("results.json", "report.md", "report.html")]


class EvaluateTab:
    """The upload, the run button, the report and the result files."""

    def __init__(self, sw):
        self.sw = sw
        with gr.Tab("Evaluate", id="evaluate"):
            gr.Markdown("**For evaluators.** Upload a question file (JSON Lines: `id`, `question`, "
                        "`gold_spans`, `kind`), run it, read the report and download `results.json`.")
            self.upload = gr.File(label="Question file (.jsonl)", file_types=[".jsonl"], elem_id="eval-upload")
            self.run = gr.Button("Run the evaluation")
            self.report = gr.HTML(elem_id="eval-report")
            self.files = gr.File(label="Results", file_count="multiple", interactive=False, elem_id="eval-files")

    def wire(self) -> None:
        self.run.click(self.on_run, [self.upload], [self.report, self.files], api_visibility="private")

    def on_run(self, upload: object, progress=gr.Progress()) -> dict:  # noqa: B008 - Gradio's progress idiom
        if not upload:
            return {self.report: "<p>Choose a question file first.</p>", self.files: None}
        try:
            report, paths = run_evaluation(self.sw, upload, lambda i, n: progress((i, n), desc="Questions"))
        except SharewiseError as e:
            import html

            return {self.report: f"<p><b>That file cannot be evaluated:</b> {html.escape(str(e))}</p>",
                    self.files: None}
        except Exception:  # noqa: BLE001 - the UI edge
            log.exception("evaluation failed")
            return {self.report: f"<p>{GENERIC_ERROR}</p>", self.files: None}
        return {self.report: report, self.files: paths}
