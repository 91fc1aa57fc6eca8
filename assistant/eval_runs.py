"""An evaluation run on an uploaded question file (the Evaluate tab), without Gradio.

The uploaded bytes are checked before any work: size, UTF-8, the JSON Lines shape of `sharewise eval` and the
number of questions, each refused with an EvalFileError that names the file by its base name only. The questions
stand in a file inside the run's folder only while `run_eval` reads them; what is written afterwards
(results.json, report.md, report.html and the charts) has every text from the upload redacted. The run is
recorded in the audit trail (who, the file's hash and size, the figures; never a question) before anything is
shown, and when that fails the outputs are deleted: an unaudited run shows nothing.
Old runs are swept by the server's downloads (`assistant.web.downloads.Downloads.sweep`).

`sharewise eval FILE` does not come here: the operator's own file on their own disk has no caps.
"""

from __future__ import annotations

import hashlib
import os
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

from . import evaluate
from .eval_report import redacted, write
from .evaluate import EvalFileError
from .metrics import Question
from .pii import redact

REPORT_FILES = ("results.json", "report.md", "report.html")


@dataclass(frozen=True)
class EvalLimits:
    """What one uploaded file may ask for: each question (and each earlier question in its history) is a
    retrieval, so the size and the counts bound the work one click costs."""

    max_bytes: int = 256 * 1024
    max_questions: int = 200
    max_history: int = 20  # earlier questions per question
    max_gold_spans: int = 20  # per question


@dataclass(frozen=True)
class EvalRun:
    """A finished, audited run: the report's HTML body and the files to offer for download."""

    report_body_html: str
    files: tuple[Path, ...]
    questions: int
    folder: Path


def display_name(filename: str) -> str:
    """How messages and reports name an upload: its base name (never the server folder), redacted."""
    base = PureWindowsPath(str(filename or "")).name  # splits on both / and \
    base = "".join(ch for ch in base if ch.isprintable())[:80].strip()
    return redact(base) if base else "the uploaded file"


def check_upload(data: bytes, name: str, limits: EvalLimits = EvalLimits(),
                 max_question_chars: int | None = None) -> list[Question]:
    """The questions in an uploaded file, or an EvalFileError saying what is wrong (the limit and what was
    found); cheap, and done before any retrieval."""
    if not isinstance(data, bytes | bytearray):
        raise EvalFileError(f"{name} could not be read as a file")
    if len(data) > limits.max_bytes:
        raise EvalFileError(f"{name} is {len(data):,} bytes; the limit is {limits.max_bytes:,} bytes "
                            f"({limits.max_bytes / 1024:,.0f} KB). Split it into smaller files")
    text = evaluate.decode_questions(bytes(data), name)
    rows = sum(1 for line in text.splitlines() if line.strip())
    if rows > limits.max_questions:
        raise EvalFileError(f"{name} holds {rows} questions; the limit is {limits.max_questions} per file. "
                            "Split it into smaller files")
    questions = evaluate.parse_questions(text, name)
    for n, q in enumerate(questions, start=1):
        where = f"{name} question {n}"
        if len(q.history) > limits.max_history:
            raise EvalFileError(f"{where}: history holds {len(q.history)} earlier questions; the limit is "
                                f"{limits.max_history}")
        if len(q.gold_spans) > limits.max_gold_spans:
            raise EvalFileError(f"{where}: gold_spans holds {len(q.gold_spans)} spans; the limit is "
                                f"{limits.max_gold_spans}")
        if max_question_chars is not None:
            longest = max(len(t) for t in (q.question, *q.history))
            if longest > max_question_chars:
                raise EvalFileError(f"{where}: a question is {longest:,} characters long; the limit is "
                                    f"{max_question_chars:,}")
    return questions


def run_upload(sw, data: bytes, filename: str, who: str, folder: Path, limits: EvalLimits = EvalLimits(),
               progress: Callable[[int, int], object] | None = None) -> EvalRun:
    """Evaluate an uploaded question file into `folder` (created if need be) and record the run.

    Raises EvalFileError before any work when the file cannot be used, AuditError (with nothing left in
    `folder`) when the run cannot be recorded, and whatever the run itself raises (likewise leaving nothing)."""
    name = display_name(filename)
    questions = check_upload(data, name, limits, getattr(sw.settings, "max_question_chars", None))
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    written: list[Path] = []
    upload = folder / f".upload-{uuid.uuid4().hex}.jsonl"
    try:
        try:
            fd = os.open(upload, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "wb") as f:
                f.write(bytes(data))
            results = evaluate.run_eval(sw, upload, progress=progress)
        finally:
            upload.unlink(missing_ok=True)
        results["questions_file"] = name
        written = write(redacted(results, redact), folder)
        if sw.audit is not None:
            m = results["metrics"]
            sw.audit.append("eval", {
                "who": who, "file_sha256": hashlib.sha256(bytes(data)).hexdigest(), "bytes": len(data),
                "questions": len(questions),
                "metrics": {k: v for k, v in m.items() if isinstance(v, int | float) or v is None},
                "unlocatable_spans": len(results["unlocatable_spans"]),
            }, session=who)
    except BaseException:
        for p in written:  # an unaudited (or unfinished) run shows nothing and keeps nothing
            p.unlink(missing_ok=True)
        raise
    page = (folder / "report.html").read_text(encoding="utf-8")
    body = re.search(r"<body>(.*)</body>", page, re.S)
    return EvalRun(report_body_html=body.group(1) if body else page,
                   files=tuple(folder / n for n in REPORT_FILES), questions=len(questions), folder=folder)

