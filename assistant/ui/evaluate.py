"""The Evaluate tab of the staff app: an evaluator (or the guardian) uploads a question file and reads the report.

Only in the staff app, behind its own sign-in; the handler checks the role itself (guardian or evaluator). The
upload must be one this login made (the gate records the uploads of each staff login): a path typed into the
request is refused. The file is read, deleted, and run by `assistant.eval_runs.run_upload` within its size and
question caps; the run is audited under the account; what is kept (the report and `results.json`) is redacted,
offered to this login only, once, and deleted within the hour.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from pathlib import Path
from typing import Any

import gradio as gr

from ..errors import SharewiseError
from ..web.guard import NotAllowed, Web
from .review import download_link
from .state import GENERIC_ERROR

log = logging.getLogger(__name__)
NOT_YOURS = "That upload is not one you made in this sign-in: upload the file again."


def _upload_path(upload: object) -> str:
    return str(upload if isinstance(upload, str) else getattr(upload, "name", None) or getattr(upload, "path", ""))


def run_evaluation(sw, web: Web, request: Any, upload: object,
                   progress: Callable[[int, int], object] | None = None) -> tuple[str, list[str]]:
    """Evaluate an upload this login made; (report body HTML, download URL paths)."""
    from ..eval_runs import EvalLimits, run_upload

    who = web.require(request, "guardian", "evaluator")
    path = _upload_path(upload)
    mine = web.uploads.get(who.token, set())
    if not path or path not in mine:
        raise NotAllowed(NOT_YOURS)
    mine.discard(path)
    limits = EvalLimits()
    file = Path(path)
    try:
        with open(file, "rb") as f:
            data = f.read(limits.max_bytes + 1)
    except OSError:
        raise SharewiseError("The upload could not be read: upload the file again.") from None
    finally:
        file.unlink(missing_ok=True)
    run = run_upload(sw, data, file.name, who.name, web.downloads.folder("eval"), limits, progress=progress)
    return run.report_body_html, [web.downloads.offer(p, who.owner, once=True) for p in run.files]


class EvaluateTab:
    """The upload, the run button, the report and the result files."""

    def __init__(self, sw, web: Web):
        self.sw, self.web = sw, web
        with gr.Tab("Evaluate", id="evaluate"):
            gr.Markdown("**For evaluators.** Upload a question file (JSON Lines: `id`, `question`, `gold_spans`, "
                        "`kind`; at most 200 questions and 256 KB), run it, read the report and download "
                        "`results.json`. Runs are audited; what is kept is redacted and deleted within the hour.")
            self.upload = gr.File(label="Question file (.jsonl)", file_types=[".jsonl"], elem_id="eval-upload")
            self.run = gr.Button("Run the evaluation")
            self.report = gr.HTML(elem_id="eval-report")
            self.files = gr.Markdown(elem_id="eval-files")

    def wire(self) -> None:
        self.run.click(self.on_run, [self.upload], [self.report, self.files], api_visibility="private",
                       concurrency_limit=1)  # one run at a time: the caps bound a click, this bounds the clicks

    def on_run(self, upload: object, request: gr.Request, progress=gr.Progress()) -> dict:  # noqa: B008
        try:
            if not upload:
                self.web.require(request, "guardian", "evaluator")
                return {self.report: "<p>Choose a question file first.</p>", self.files: ""}
            report, urls = run_evaluation(self.sw, self.web, request, upload,
                                          lambda i, n: progress((i, n), desc="Questions"))
        except NotAllowed as e:
            raise gr.Error(str(e)) from None
        except SharewiseError as e:
            return {self.report: f"<p><b>That file cannot be evaluated:</b> {html.escape(str(e))}</p>",
                    self.files: ""}
        except Exception:  # noqa: BLE001 - the UI edge
            log.exception("evaluation failed")
            return {self.report: f"<p>{GENERIC_ERROR}</p>", self.files: ""}
        return {self.report: report, self.files: "\n\n".join(download_link(u) for u in urls)}
