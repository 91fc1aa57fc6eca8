"""The Record tab: the record of the decision (golden rule 7), prefilled from the rules check, for download.

The form is the one `DecisionRecord` schema, prefilled in plain English from the case on screen (this turn's facts
and rules check, `render.record_prefill`) with today's date; the decision is left unset, as it is the
practitioner's, and the reasons must be written before the record is prepared (golden rule 7). Preparing it also
fills "Copy for case notes", the same record as plain text. Preparing the record removes identifiers typed into the form
(`assistant.pii.redact`) before anything is written, keeps it in the audit trail (`sw.keep_record`), and writes
Markdown, JSON and printable HTML into a fresh private folder, offered for an hour to this browser (or login) only,
at `/download/...`. Preparing the same record for the same answer again writes no second audit row (a form
clicked a hundred times floods nothing); a record needs an answer recorded in the audit trail.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import gradio as gr

from ..errors import SharewiseError
from ..pii import redact
from ..render import (
    RECORD_LABELS,
    record_html,
    record_json,
    record_markdown,
    record_prefill,
    record_text,
    to_json_text,
)
from ..types import RECORD_FIELDS, DecisionRecord, Turn
from ..web.guard import Web
from .state import GENERIC_ERROR, Session, session_of, shown

log = logging.getLogger(__name__)

DECISIONS = ["share", "not share", "share in part"]
MULTILINE = ("condition", "consent", "public_interest", "reasons", "family_informed")
ASK_FIRST = "Ask a question first: the record is prefilled from the rules check of an answer."
REASONS_FIRST = "Write your reasons before you download the record: golden rule 7 asks you to record why."
COPY_PLACEHOLDER = "The record appears here as plain text, to copy into your case notes, once you prepare it."


def record_values(turn: Turn | None, today: dt.date | None = None) -> dict[str, Any]:
    """The form's values: the plain-English prefill from the case on screen, today's date, and no decision (the
    practitioner's to make)."""
    record = record_prefill(turn)
    values: dict[str, Any] = record.to_json()
    values["decision"] = None
    values["date"] = values.get("date") or (today or dt.date.today()).isoformat()
    return values


def form_record(values: Mapping[str, Any]) -> DecisionRecord:
    """The form as a `DecisionRecord`, with identifiers typed into it removed."""
    return DecisionRecord(**{k: redact(str(values.get(k) or "")) for k in RECORD_FIELDS})


def case_notes(values: Mapping[str, Any], turn: Turn | None) -> str:
    """The form as plain text for case notes, identifiers removed as in the downloads."""
    return record_text(form_record(values), turn)


def prepare_record(sw, session: Session, values: Mapping[str, Any], folder: Path) -> list[str]:
    """Redact the form, keep the record in the audit trail (once per answer and content), then write it as
    Markdown, JSON and printable HTML into `folder`. No reasons, no record: golden rule 7 asks why."""
    if session.turn is None or (sw.audit is not None and session.turn.audit_seq is None):
        raise SharewiseError(ASK_FIRST)
    if not str(values.get("reasons") or "").strip():
        raise SharewiseError(REASONS_FIRST)
    record = form_record(values)
    key = hashlib.sha256(json.dumps([session.turn.audit_seq, record.to_json()], sort_keys=True,
                                    default=str).encode()).hexdigest()
    if key not in session.records_kept:
        sw.keep_record(record, session.turn, session.id)
        session.records_kept.add(key)
    out = Path(folder)
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

    def __init__(self, sw, session: gr.State, web: Web | None = None):
        self.sw, self.session, self.web = sw, session, web or Web()
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
            self.files = gr.Markdown(elem_id="record-files")
            self.copy = gr.Textbox(COPY_PLACEHOLDER, label="Copy for case notes", lines=10, interactive=False,
                                   buttons=["copy"], elem_id="record-copy")

    def outputs(self) -> list[Any]:
        return [*self.fields.values(), self.copy]

    def show(self, turn: Turn | None) -> dict[Any, Any]:
        values = record_values(turn)
        return {**{self.fields[k]: values[k] for k in RECORD_FIELDS}, self.copy: COPY_PLACEHOLDER}

    def wire(self) -> None:
        self.make.click(self.on_prepare, [self.session, *self.fields.values()], [self.files, self.note, self.copy],
                        api_visibility="private")

    def on_prepare(self, request: gr.Request, state: object, *values: Any) -> dict:
        session = session_of(state)
        owner = self.web.caller(request).owner
        try:
            if not owner:
                raise SharewiseError("Your browser sent no session cookie, so the record cannot be offered to you "
                                     "alone: allow cookies for this site and try again.")
            form = dict(zip(RECORD_FIELDS, values, strict=True))
            paths = prepare_record(self.sw, session, form, self.web.downloads.folder("records"))
            links = [(Path(p).name, self.web.downloads.offer(Path(p), owner)) for p in paths]
        except SharewiseError as e:
            return {self.files: "", self.note: f"**{shown(e)}**", self.copy: COPY_PLACEHOLDER}
        except Exception:  # noqa: BLE001 - the UI edge
            log.exception("preparing the record failed")
            return {self.files: "", self.note: shown(GENERIC_ERROR), self.copy: COPY_PLACEHOLDER}
        return {self.files: "Download (for this browser only, within an hour): " +
                " · ".join(f"[{shown(name)}]({url})" for name, url in links), self.note: "",
                self.copy: case_notes(form, session.turn)}
