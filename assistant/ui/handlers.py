"""What each UI event does, as plain functions (no Gradio types), so they can be tested directly."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from ..compose import (RECORD_FIELDS, answer_markdown, record_html, record_json, record_markdown, record_prefill,
                       rules_html, source_html, to_json_text)  # noqa: F401 - rules_html is used through this module
from ..pii import find_identifiers, redact
from ..rules import check_facts
from ..rules.extract import extract_facts
from ..audit import new_session_id
from ..rules.facts import FACTS, Facts, merge_facts

log = logging.getLogger(__name__)
GENERIC_ERROR = ("Something went wrong on the server, so this question was not answered. Try again; if it keeps "
                 "happening, tell whoever runs Sharewise (the details are in the server log, not shown here).")

# The facts panel: the facts the three flags turn on most, editable with ordinary controls.
PANEL = ("protected_person_age", "consent_status", "child_harm_level", "data_categories", "given_in_confidence",
         "already_public_or_readily_available", "emergency", "informing_would_increase_risk_or_prejudice_investigation",
         "purpose", "recipient", "sharer_type", "apd_in_place")
BOOL_CHOICES = ["unknown", "yes", "no"]


@dataclass
class Session:
    """One browser tab's conversation; kept in server memory only, never in the browser."""

    questions: list[str] = field(default_factory=list)
    extracted: Facts = field(default_factory=Facts)
    overrides: dict = field(default_factory=dict)
    result: dict | None = None
    id: str = field(default_factory=new_session_id)
    audit_seqs: list[int] = field(default_factory=list)  # audit record of each answer, in order
    guardian: bool = False


def text_of(content) -> str:
    """History content is a string from gradio_client but a list of text blocks from the browser."""
    if isinstance(content, str):
        return content
    if isinstance(content, dict):
        return str(content.get("text", ""))
    if isinstance(content, (list, tuple)):
        return " ".join(text_of(c) for c in content)
    return ""


def user_turns(history: list) -> list[str]:
    """The practitioner's earlier questions, skipping the assistant's messages and panels."""
    return [text_of(m.get("content")) for m in history or [] if isinstance(m, dict) and m.get("role") == "user"]


def pii_warning(message: str) -> str:
    found = find_identifiers(message or "")
    if not found:
        return ""
    kinds = sorted({f.kind for f in found})
    return ("**Your question seems to contain identifying details (" + ", ".join(kinds) + ").** Sharewise does not "
            "need them. Choose *Remove them and ask* to send it with those details replaced, or edit your question.")


def redacted(message: str) -> str:
    return redact(message or "")


def panel_values(facts_json: dict) -> list:
    """Control values for the facts panel from a rules result's `facts`."""
    out = []
    for name in PANEL:
        value = facts_json.get(name, {}).get("value")
        spec = FACTS[name]
        if spec.kind == "bool":
            out.append("unknown" if value is None else ("yes" if value else "no"))
        elif spec.kind == "set":
            out.append(list(value or []))
        elif spec.kind == "age":
            out.append(value if isinstance(value, int) else None)
        else:
            out.append(value or "unknown")
    return out


def panel_sources(facts_json: dict) -> str:
    lines = [f"- **{n.replace('_', ' ')}** read from “{f['from']}”" for n, f in facts_json.items() if "from" in f]
    return "Facts read from your words (check them):\n" + "\n".join(lines) if lines else \
        "No facts were read from your words yet: set them here."


def overrides_from_panel(values: list) -> dict:
    out = {}
    for name, value in zip(PANEL, values):
        spec = FACTS[name]
        if spec.kind == "bool":
            out[name] = None if value in (None, "unknown") else value == "yes"
        elif spec.kind == "set":
            out[name] = list(value) if value else None
        elif spec.kind == "age":
            out[name] = int(value) if value not in (None, "") else None
        else:
            out[name] = None if value in (None, "unknown") else value
    return out


def current_facts(session: Session) -> Facts:
    return merge_facts(session.extracted, session.overrides)


def ask(sw, session: Session, message: str) -> dict:
    """Answer a question in this conversation: retrieval with the earlier turns, rules on all the words."""
    history = tuple(session.questions)
    answer = sw.ask(message, history)
    session.questions.append(answer.question)
    session.extracted = extract_facts("\n".join(session.questions))
    result = answer.to_json()
    result["rules"] = check_facts(current_facts(session), sw.settings.corpus_dir)
    # Fails closed: if the audit trail cannot record the answer, AuditError stops it being shown.
    if sw.audit is not None:
        from .. import __version__

        session.audit_seqs.append(sw.audit.record_answer(session.id, result, sw.manifest_sha256, __version__))
    session.result = result
    return result


def rerun_rules(sw, session: Session, panel: list) -> dict | None:
    """A fact changed in the panel: re-run the rules check only, without asking again."""
    session.overrides = overrides_from_panel(panel)
    if session.result is None:
        session.result = {"question": "", "grounded": False, "quotes": [], "passages": []}
    session.result["rules"] = check_facts(current_facts(session), sw.settings.corpus_dir)
    return session.result


def chat_reply(result: dict) -> str:
    return answer_markdown(result)


def citation_choices(result: dict | None) -> list[tuple[str, int]]:
    if not result:
        return []
    return [(f"[{n}] {q['doc_title']} — {q['section']}", n - 1) for n, q in enumerate(result.get("quotes", []), start=1)]


def source_view(sw, result: dict | None, index) -> str:
    if not result or index is None or not (0 <= int(index) < len(result.get("quotes", []))):
        return "<p>Choose a citation to see the passage in its section.</p>"
    return source_html(sw.corpus, result["quotes"][int(index)])


def record_fields(result: dict | None) -> list:
    """Form values; the decision itself starts unset: it is the practitioner's to make."""
    if not result or "rules" not in result:
        return [None] + [""] * (len(RECORD_FIELDS) - 1)
    pre = record_prefill(result)
    return [pre[k] or None if k == "decision" else pre[k] for k in RECORD_FIELDS]


def write_record(result: dict | None, values: list, folder: Path | None = None, sw=None,
                 session: "Session | None" = None) -> list[str]:
    """The record as Markdown, JSON and printable HTML files, for download; identifiers typed into the
    form are removed first, and the record is kept in the audit trail."""
    fields = {k: redact(str(v)) if v else v for k, v in zip(RECORD_FIELDS, values)}
    if sw is not None and sw.audit is not None:
        sw.audit.append("record", {"record": fields, "answer_seq": (session.audit_seqs or [None])[-1] if session else None},
                        session.id if session else "")
    folder = Path(folder or tempfile.mkdtemp(prefix="sharewise-record-"))
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for name, text in (("record.md", record_markdown(fields, result)),
                       ("record.json", to_json_text(record_json(fields, result))),
                       ("record.html", record_html(fields, result))):
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    return paths


def run_evaluation(sw, upload, progress=None) -> tuple[str, list[str]]:
    """Evaluate an uploaded question file; the upload is deleted afterwards (nothing kept)."""
    import re

    from ..eval_report import write
    from ..evaluate import run_eval

    path = Path(upload if isinstance(upload, str) else getattr(upload, "name", upload))
    try:
        results = run_eval(sw, path, progress=progress)
    finally:
        path.unlink(missing_ok=True)
    out = Path(tempfile.mkdtemp(prefix="sharewise-eval-"))
    write(results, out)
    page = (out / "report.html").read_text(encoding="utf-8")
    body = re.search(r"<body>(.*)</body>", page, re.S)
    return (body.group(1) if body else page), [str(out / "results.json"), str(out / "report.md"), str(out / "report.html")]


def feedback(sw, session: "Session | None", message_index: int, liked: bool, comment: str = "") -> str:
    """A thumbs up or down on an answer lands in the guardian's review queue."""
    from ..review import add_feedback

    if sw.audit is None or session is None or not session.audit_seqs:
        return "Feedback is recorded once an answer has been given."
    answer_no = min(max(int(message_index) // 2, 0), len(session.audit_seqs) - 1)
    add_feedback(sw.audit, session.audit_seqs[answer_no], liked, comment)
    return "Thank you: your feedback goes to the Caldicott guardian's review queue."


def guardian_login(password: str) -> bool:
    import hmac
    import os

    expected = os.environ.get("SHAREWISE_GUARDIAN_PASSWORD", "")
    return bool(expected) and hmac.compare_digest(expected.encode(), (password or "").encode())


def review_detail_markdown(sw, seq) -> str:
    from ..review import detail

    if seq in (None, ""):
        return "Choose an answer by its number."
    d = detail(sw.audit, sw.corpus, int(seq))
    if d is None:
        return "No such answer (or its content has been purged under the retention period)."
    lines = [f"**Question (redacted):** {d['question']}", "",
             "**Flags:** " + "; ".join(f"{k}: {v['status']} ({', '.join(v['rule_ids'])})" for k, v in d["flags"].items()),
             "", "**Rules fired:** " + ", ".join(d.get("rules_fired", [])), "", "**Quotes:**"]
    lines += [f"> {q['text']}\n\n— {q['doc_title']}, {q['section']} (characters {q['start']}-{q['end']})\n"
              for q in d["quotes"]] or ["(none: no grounded answer)"]
    return "\n".join(lines)
