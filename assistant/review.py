"""The Caldicott guardian's workspace: the review queue, decisions, feedback and exports.

Decisions and feedback are chained audit records and nothing else (kind "review": the answer's seq, state,
comment and gold spans; kind "feedback": seq, liked, comment). The queue and the exports read them back from
the chain, latest per answer, and ignore a record that is not intact (its content or keyed link altered), so
there is no side table whose editing would change what is shown or exported.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

from .audit import AuditStore
from .pii import redact

STATES = ("unreviewed", "approved", "needs_correction")


def _day_end(day: str | None) -> str | None:
    return f"{day}T23:59:59.999999+00:00" if day and len(day) == 10 else day


def _latest(store: AuditStore, kind: str) -> dict[int, tuple[int, dict]]:
    """Answer seq -> (record seq, content) of the latest intact chained record of `kind` about it."""
    out: dict[int, tuple[int, dict]] = {}
    for r in store.rows(kind):
        c = r["content"]
        if r["intact"] and isinstance(c, dict) and isinstance(c.get("seq"), int):
            out[c["seq"]] = (r["seq"], c)
    return out


def _reviews(store: AuditStore) -> dict[int, tuple[str, str, list[str]]]:
    """Answer seq -> (state, comment, gold spans) of its latest review. A format-1 review record lacks its gold
    spans: the migration carried them from the old table into the chained "migrate" record."""
    carried: dict[int, list] = {}
    for r in store.rows("migrate"):
        spans = r["content"].get("review_gold_spans") if r["intact"] and isinstance(r["content"], dict) else None
        for k, v in (spans.items() if isinstance(spans, dict) else ()):
            carried[int(k)] = v if isinstance(v, list) else []
    out = {}
    for seq, (record, c) in _latest(store, "review").items():
        spans = c["gold_spans"] if "gold_spans" in c else carried.get(record, [])
        out[seq] = (str(c.get("state", "unreviewed")), str(c.get("comment", "")),
                    [s for s in spans if isinstance(s, str)] if isinstance(spans, list) else [])
    return out


def queue(store: AuditStore, since: str | None = None, until: str | None = None, flag_status: str | None = None,
          review_state: str | None = None, feedback: str | None = None) -> list[dict]:
    """Answers with their latest review and feedback (from the chained records), newest first, filtered."""
    reviews = {seq: (state, comment) for seq, (state, comment, _spans) in _reviews(store).items()}
    likes = {seq: ("up" if c.get("liked") else "down", str(c.get("comment", "")))
             for seq, (_record, c) in _latest(store, "feedback").items()}
    out = []
    for r in store.rows("answer", since, _day_end(until)):
        c = r["content"]
        if not isinstance(c, dict) or not r["intact"]:
            continue  # purged, or altered (`sharewise audit verify` names it)
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


def detail(store: AuditStore, corpus, seq: int, who: str = "") -> dict | None:
    rows = [r for r in store.rows("answer") if r["seq"] == int(seq)]
    if not rows or not isinstance(rows[0]["content"], dict) or not rows[0]["intact"]:
        return None
    c = dict(rows[0]["content"])
    quotes = []
    for q in c.get("quotes", []):
        doc = corpus.documents.get(q["doc_id"])
        text = doc.text[q["start"]:q["end"]] if doc else ""
        quotes.append({**q, "text": text, "doc_title": doc.source.title if doc else q["doc_id"]})
    c["quotes"] = quotes
    store.append("view", {"seq": int(seq)}, who)  # reading an answer in the review workspace is itself recorded
    return c


def decide(store: AuditStore, seq: int, state: str, comment: str = "", gold_spans: list[str] | None = None,
           who: str = "") -> int:
    """The guardian's decision on answer `seq`, as one chained record (the only place it is kept)."""
    if state not in STATES[1:]:
        raise ValueError(f"state must be one of {STATES[1:]}")
    return store.append("review", {"seq": int(seq), "state": state, "comment": redact(comment or ""),
                                   "gold_spans": [str(s) for s in gold_spans or []]}, who)


def add_feedback(store: AuditStore, seq: int, liked: bool, comment: str = "") -> int:
    """A practitioner's thumbs on answer `seq`, as one chained record (the only place it is kept)."""
    return store.append("feedback", {"seq": int(seq), "liked": bool(liked), "comment": redact(comment or "")})


def export_rows(store: AuditStore, since: str | None, until: str | None, fmt: str = "json", who: str = "") -> str:
    rows = queue(store, since, until)
    store.append("export", {"since": since, "until": until, "format": fmt, "rows": len(rows)}, who)
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2)
    buf = io.StringIO()
    fields = sorted({k for r in rows for k in r}) or ["seq"]
    writer = csv.DictWriter(buf, fieldnames=fields)
    writer.writeheader()
    writer.writerows(rows)
    return buf.getvalue()


def export_eval_questions(store: AuditStore, corpus, who: str = "") -> str:
    """Approved and corrected answers as a `sharewise eval` question file: the guardian's work becomes
    regression tests. Approved: the quotes shown are the gold. Corrected: the guardian's gold spans."""
    latest = _reviews(store)
    lines = []
    for r in store.rows("answer"):
        if r["seq"] not in latest or r["content"] is None or not r["intact"]:
            continue
        state, _comment, spans = latest[r["seq"]]
        if state not in STATES[1:]:
            continue
        c = r["content"]
        if state == "approved":
            spans = [corpus.documents[q["doc_id"]].text[q["start"]:q["end"]] for q in c.get("quotes", [])
                     if q["doc_id"] in corpus.documents] if c.get("grounded") else []
        spans = [s for s in spans if any(s in d.text for d in corpus.documents.values())]
        lines.append(json.dumps({"id": f"review-{r['seq']}", "question": c["question"], "gold_spans": spans,
                                 "kind": "guardian-" + state, "notes": f"reviewed {dt.date.today().isoformat()}"},
                                ensure_ascii=False))
    store.append("export", {"what": "eval questions", "rows": len(lines)}, who)
    return "\n".join(lines) + ("\n" if lines else "")
