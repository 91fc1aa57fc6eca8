"""The Caldicott guardian's workspace: the review queue, decisions, feedback and exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from .audit import AuditStore, _now
from .pii import redact

STATES = ("unreviewed", "approved", "needs_correction")


def _day_end(day: str | None) -> str | None:
    return f"{day}T23:59:59.999999+00:00" if day and len(day) == 10 else day


def queue(store: AuditStore, since: str | None = None, until: str | None = None, flag_status: str | None = None,
          review_state: str | None = None, feedback: str | None = None) -> list[dict]:
    """Answers with their latest review and feedback, newest first, filtered."""
    reviews, likes = {}, {}
    with store._connect() as db:
        for seq, state, comment in db.execute("SELECT audit_seq, state, comment FROM reviews ORDER BY id"):
            reviews[seq] = (state, comment)
        for seq, liked, comment in db.execute("SELECT audit_seq, liked, comment FROM feedback ORDER BY id"):
            likes[seq] = ("up" if liked else "down", comment)
    out = []
    for r in store.rows("answer", since, _day_end(until)):
        c = r["content"]
        if c is None:
            continue  # purged
        state = reviews.get(r["seq"], ("unreviewed", ""))
        fb = likes.get(r["seq"])
        flags = {k: v["status"] for k, v in c.get("flags", {}).items()}
        if flag_status and flag_status not in flags.values():
            continue
        if review_state and state[0] != review_state:
            continue
        if feedback and (fb[0] if fb else "none") != feedback:
            continue
        out.append({"seq": r["seq"], "ts": r["ts"][:19], "question": c["question"], "grounded": c["grounded"],
                    **{f"flag_{k}": v for k, v in flags.items()}, "review": state[0], "review_comment": state[1],
                    "feedback": fb[0] if fb else "", "feedback_comment": fb[1] if fb else ""})
    return list(reversed(out))


def detail(store: AuditStore, corpus, seq: int) -> dict | None:
    rows = [r for r in store.rows("answer") if r["seq"] == int(seq)]
    if not rows or rows[0]["content"] is None:
        return None
    c = dict(rows[0]["content"])
    quotes = []
    for q in c.get("quotes", []):
        doc = corpus.documents.get(q["doc_id"])
        text = doc.text[q["start"]:q["end"]] if doc else ""
        quotes.append({**q, "text": text, "doc_title": doc.source.title if doc else q["doc_id"]})
    c["quotes"] = quotes
    store.append("view", {"seq": int(seq)})  # reading an answer in the review workspace is itself recorded
    return c


def decide(store: AuditStore, seq: int, state: str, comment: str = "", gold_spans: list[str] | None = None) -> int:
    if state not in STATES[1:]:
        raise ValueError(f"state must be one of {STATES[1:]}")
    comment = redact(comment or "")
    with store._connect() as db:
        db.execute("INSERT INTO reviews (audit_seq, ts, state, comment, gold_spans) VALUES (?,?,?,?,?)",
                   (int(seq), _now(), state, comment, json.dumps(gold_spans or [])))
    return store.append("review", {"seq": int(seq), "state": state, "comment": comment})


def add_feedback(store: AuditStore, seq: int, liked: bool, comment: str = "") -> int:
    comment = redact(comment or "")
    with store._connect() as db:
        db.execute("INSERT INTO feedback (audit_seq, ts, liked, comment) VALUES (?,?,?,?)",
                   (int(seq), _now(), int(bool(liked)), comment))
    return store.append("feedback", {"seq": int(seq), "liked": bool(liked), "comment": comment})


def export_rows(store: AuditStore, since: str | None, until: str | None, fmt: str = "json") -> str:
    rows = queue(store, since, until)
    store.append("export", {"since": since, "until": until, "format": fmt, "rows": len(rows)})
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    buf = io.StringIO()
    fields = sorted({k for r in rows for k in r}) or ["seq"]
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def export_eval_questions(store: AuditStore, corpus) -> str:
    """Approved and corrected answers as a `sharewise eval` question file: the guardian's work becomes
    regression tests. Approved: the quotes shown are the gold. Corrected: the guardian's gold spans."""
    with store._connect() as db:
        latest = {}
        for seq, state, spans in db.execute("SELECT audit_seq, state, gold_spans FROM reviews ORDER BY id"):
            latest[seq] = (state, json.loads(spans or "[]"))
    lines = []
    for r in store.rows("answer"):
        if r["seq"] not in latest or r["content"] is None:
            continue
        state, spans = latest[r["seq"]]
        c = r["content"]
        if state == "approved":
            spans = [corpus.documents[q["doc_id"]].text[q["start"]:q["end"]] for q in c.get("quotes", [])
                     if q["doc_id"] in corpus.documents] if c.get("grounded") else []
        spans = [s for s in spans if any(s in d.text for d in corpus.documents.values())]
        lines.append(json.dumps({"id": f"review-{r['seq']}", "question": c["question"], "gold_spans": spans,
                                 "kind": "guardian-" + state, "notes": f"reviewed {dt.date.today().isoformat()}"},
                                ensure_ascii=False))
    store.append("export", {"what": "eval questions", "rows": len(lines)})
    return "\n".join(lines) + ("\n" if lines else "")
