"""The Record tab: the record of the decision (golden rule 7), prefilled from the rules check, for download.

The form is the one `DecisionRecord` schema, prefilled from `turn.determination.record` with today's date; the
decision is left unset, as it is the practitioner's. Preparing the record removes identifiers typed into the form
(`assistant.pii.redact`) before anything is written, keeps it in the audit trail (`sw.keep_record`), and writes
Markdown, JSON and printable HTML into a fresh temporary folder for download.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gradio as gr

from ..errors import SharewiseError
from ..pii import redact
from ..render import RECORD_LABELS, record_html, record_json, record_markdown, to_json_text
from ..types import RECORD_FIELDS, DecisionRecord, Turn
from .state import GENERIC_ERROR, Session, session_of, shown

log = logging.getLogger(__name__)

DECISIONS = ["share", "not share", "share in part"]
MULTILINE = ("condition", "consent", "public_interest", "reasons", "family_informed")
ASK_FIRST = "Ask a question first: the record is prefilled from the rules check of an answer."


def record_values(turn: Turn | None, today: dt.date | None = None) -> dict[str, Any]:
    """The form's values: the rules check's prefill, today's date, and no decision (the practitioner's to make)."""
    record = turn.determination.record if turn else DecisionRecord()
    values: dict[str, Any] = record.to_json()
    values["decision"] = None
    values["date"] = values.get("date") or (today or dt.date.today()).isoformat()
    return values


def form_record(values: Mapping[str, Any]) -> DecisionRecord:
    """The form as a `DecisionRecord`, with identifiers typed into it removed."""
    return DecisionRecord(**{k: redact(str(values.get(k) or "")) for k in RECORD_FIELDS})


def prepare_record(sw, session: Session, values: Mapping[str, Any], folder: Path | None = None) -> list[str]:
    """Redact the form, keep the record in the audit trail, then write it as Markdown, JSON and printable HTML."""
    if session.turn is None:
        raise SharewiseError(ASK_FIRST)
    record = form_record(values)
    sw.keep_record(record, session.turn, session.id)
    out = Path(folder) if folder else Path(tempfile.mkdtemp(prefix="sharewise-record-"))
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (("record.md", record_markdown(record, session.turn)),
                       ("record.json", to_json_text(record_json(record, session.turn))),
                       ("record.html", record_html(record, session.turn))):
        path = out / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


class RecordTab:
    """The record form and its downloads."""

    def __init__(self, sw, session: gr.State):
        self.sw, self.session = sw, session
        with gr.Tab("Record", id="record"):
            gr.Markdown("**Record of the decision (golden rule 7).** No identifying details are needed to "
                        "complete it.")
            self.fields: dict[str, Any] = {}
            for name in RECORD_FIELDS:
                elem = f"record-{name.replace('_', '-')}"
                if name == "decision":
                    self.fields[name] = gr.Radio(DECISIONS, value=None, label=RECORD_LABELS[name], elem_id=elem)
                else:
                    self.fields[name] = gr.Textbox(label=RECORD_LABELS[name], lines=2 if name in MULTILINE else 1,
                                                   elem_id=elem)
            self.make = gr.Button("Prepare the record for download", elem_id="record-prepare")
            self.note = gr.Markdown(elem_id="record-note")
            self.files = gr.File(label="Download (Markdown, JSON, printable HTML)", file_count="multiple",
                                 interactive=False, elem_id="record-files")

    def outputs(self) -> list[Any]:
        return list(self.fields.values())

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        values = record_values(turn)
        return {self.fields[k]: values[k] for k in RECORD_FIELDS}

    def wire(self) -> None:
        self.make.click(self.on_prepare, [self.session, *self.fields.values()], [self.files, self.note],
                        api_visibility="private")

    def on_prepare(self, state: object, *values: Any) -> dict:
        session = session_of(state)
        try:
            paths = prepare_record(self.sw, session, dict(zip(RECORD_FIELDS, values, strict=True)))
        except SharewiseError as e:
            return {self.files: None, self.note: shown(e)}
        except Exception:  # noqa: BLE001 - the UI edge
            log.exception("preparing the record failed")
            return {self.files: None, self.note: shown(GENERIC_ERROR)}
        return {self.files: paths, self.note: ""}
