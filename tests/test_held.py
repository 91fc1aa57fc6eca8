"""Protections a security probe found holding, each pinned by a test that fails if it breaks.

The probe's list, and where each is held (tests/ui/* start the Gradio server; those are not repeated here):
(1) file routes refuse traversal: tests/ui/test_security.py::test_file_routes_serve_nothing_outside_the_app
(2) the eval report escapes HTML: here, end to end through eval_report.write (test_render tests page_html alone)
(3) 100,000-character questions are refused: tests/test_inputs.py (the CLI); here, the orchestrator and the chat
(4) disk full fails closed: tests/test_audit.py (the store); here, a real full disk under answering questions
(5) kill -9 recovers: tests/test_audit.py (a bare writer); here, a process answering questions killed with SIGKILL
(6) a flipped FAISS bit is refused: tests/test_index.py::test_damaged_files_are_refused_with_a_clear_error
(7) two servers on one store keep a clean chain: here, two processes started together, interleaving their writes
(8) 30 concurrent sessions show no cross-talk: here, at the chat handler (tests/ui/test_load.py runs 16 over HTTP)
(9) cross-origin POSTs get 403: tests/ui/test_security.py::test_cross_origin_writes_are_refused_even_when_logged_in

None of these start the web server.
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import pytest

from assistant.audit import AuditStore
from assistant.errors import InputError

from .conftest import REPO

# ---- helpers ----------------------------------------------------------------------------------------------------

# A child process with a Sharewise on the fake index the `fake_sw` fixture built (no model, no rebuild), recording
# into the audit store in argv[2]. It prints one JSON line per answer returned, then what stopped it.
ANSWERING = r"""
import json, sys
from dataclasses import replace
from pathlib import Path
from assistant.corpus import load_corpus
from assistant.index import load_index
from assistant.pipeline import Sharewise
from assistant.render import answer_markdown
from assistant.settings import Settings
from tests.conftest import hashing_embedder

index_dir, data_dir, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
s = replace(Settings(), index_dir=Path(index_dir), data_dir=Path(data_dir), min_relevance=0.0, min_quote_score=0.0)
c = load_corpus(s.corpus_dir)
e = hashing_embedder()
sw = Sharewise(s, c, e, load_index(s.index_dir, c, e, s)).with_audit()
print(json.dumps({"ready": True}), flush=True)
if limit:
    import resource, signal
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails (EFBIG) rather than killing us
    size = sum(p.stat().st_size for p in sw.audit.dir.iterdir())
    resource.setrlimit(resource.RLIMIT_FSIZE, (size + limit, size + limit))
i = 0
while i < 400:  # a cap: if nothing ever stops it, the test says so rather than hanging
    q = f"Case nonce{i:05d}z: a 15-year-old told me in confidence her stepdad hits her. Can I share?"
    try:
        turn = sw.answer(q, session=f"child-{i}")
    except Exception as err:
        print(json.dumps({"stopped": type(err).__name__, "message": str(err), "question": q}), flush=True)
        break
    shown = "What the guidance says" in answer_markdown(turn)
    print(json.dumps({"question": turn.question, "seq": turn.audit_seq, "shown": shown}), flush=True)
    i += 1
else:
    print(json.dumps({"stopped": "never", "message": "", "question": ""}), flush=True)
"""


def answering(fake_sw, data: Path, limit: int = 0) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", ANSWERING, str(fake_sw.settings.index_dir), str(data), str(limit)],
                            cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


class Tags(HTMLParser):
    """Every element and attribute a browser would build from a page."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    handle_startendtag = handle_starttag


def live_markup(page: str) -> list[str]:
    """What in a page could run or load something: script-like elements, event handlers, javascript: links."""
    parser = Tags()
    parser.feed(page)
    bad = []
    for tag, attrs in parser.tags:
        if tag in {"script", "img", "iframe", "object", "embed", "link", "meta", "base", "form", "input",
                   "foreignobject", "animate", "set", "use", "image"}:
            if not (tag == "meta" and set(attrs) <= {"charset", "name", "content"}):
                bad.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or (value and re.match(r"\s*(javascript|data|vbscript):", value, re.I)):
                bad.append(f"<{tag} {name}={value!r}>")
    return bad


# ---- (2) the eval report escapes HTML -----------------------------------------------------------------------------

HOSTILE = "<script>alert('q')</script><img src=x onerror=alert(1)>"


def test_markup_in_eval_questions_kinds_and_configurations_shows_as_text_in_the_report(fake_sw, tmp_path):
    """A question file (anyone's upload in the Evaluate tab) whose questions, ids, kinds and gold spans carry HTML,
    and configuration names too: report.html and its charts show all of it as text and build no element from it."""
    from assistant.eval_report import write
    from assistant.evaluate import run_eval

    qfile = tmp_path / "q.jsonl"
    real = json.loads((REPO / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[0])
    rows = [
        {**real, "id": "h0" + HOSTILE, "question": real["question"] + " " + HOSTILE, "kind": "<b>k</b>" + HOSTILE},
        {"id": "h1" + HOSTILE, "question": "Do I need consent to share? " + HOSTILE, "kind": "factual" + HOSTILE,
         "gold_spans": ["Not in any document " + HOSTILE]},
        {"id": "h2" + HOSTILE, "question": "Bake bread? " + HOSTILE, "kind": "out-of-scope" + HOSTILE,
         "gold_spans": []},
    ]
    qfile.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    results = run_eval(fake_sw, qfile)
    results["configuration"] = "cfg " + HOSTILE
    scores = {"hit_at_5": 0.5, "hit_at_1500c": 0.5, "mrr": 0.5}
    results["compare"] = {"<svg onload=alert(3)>" + HOSTILE: scores, "plain": scores}
    write(results, tmp_path / "out", command="sharewise eval " + HOSTILE)

    page = (tmp_path / "out" / "report.html").read_text(encoding="utf-8")
    md = (tmp_path / "out" / "report.md").read_text(encoding="utf-8")
    assert HOSTILE in md  # the hostile text really went into the report...
    assert live_markup(page) == [], live_markup(page)  # ...and nothing in it became an element or a handler
    assert "<script" not in page.lower() and not re.search(r"<[^>]*\bon\w+\s*=", page)
    assert "&lt;script&gt;" in page and "&lt;img src=x onerror=alert(1)&gt;" in page  # shown, as text
    for svg in (tmp_path / "out").glob("*.svg"):
        text = svg.read_text(encoding="utf-8")
        assert live_markup(text) == [] and "<script" not in text, svg.name
    assert isinstance(results["by_kind"]["<b>k</b>" + HOSTILE]["hit_at_5"], float)  # so its chart has the kind
    assert "&lt;b&gt;k&lt;/b&gt;&lt;script&gt;" in page and "&lt;svg onload" in page  # chart labels, as text
    assert "<svg" in page and "<table>" in page  # the report is still drawn


# ---- (3) 100,000-character questions are refused ----------------------------------------------------------------

LONG = ("A 15-year-old told me in confidence her stepdad hits her. " * 2000)[:100_000]


def test_a_100000_character_question_is_refused_before_any_search_and_nothing_is_recorded(audited_sw, monkeypatch):
    assert len(LONG) == 100_000

    def searched(*a, **k):
        raise AssertionError("a 100,000-character question reached retrieval")

    monkeypatch.setattr(audited_sw, "find_guidance", searched)
    with pytest.raises(InputError, match="100,000 characters long; the limit is 8,000"):
        audited_sw.answer(LONG, session="s")
    with pytest.raises(InputError, match="100,000 characters long; the limit is 8,000"):  # as an earlier question
        audited_sw.answer("Can I share?", history=(LONG,), session="s")
    assert audited_sw.audit.status()["records"] == 0


@pytest.mark.slow  # imports Gradio
def test_a_100000_character_question_in_the_chat_gets_the_limit_and_no_answer(audited_sw):
    from assistant.ui import chat
    from assistant.ui.state import Session

    session = Session()
    reply = chat.ask(audited_sw, session, LONG, [])
    assert reply.turn is None and "100,000 characters long; the limit is 8,000" in reply.error
    assert session.questions == [] and session.turn is None and "metadata" not in reply.chat[-1]
    assert len(reply.chat[-2]["content"]) < 1000  # the chat echoes a stub of it, not 100,000 characters
    assert audited_sw.audit.status()["records"] == 0


# ---- (4) disk full fails closed -----------------------------------------------------------------------------------

@pytest.mark.slow
def test_when_the_disk_fills_while_answering_no_unrecorded_answer_is_shown_and_the_trail_still_verifies(
        fake_sw, tmp_path):
    """A real full disk (a file-size limit on the answering process): answers go out while they can be recorded;
    the first that cannot is refused with the reason, never returned; the trail up to it verifies; once there is
    room again the next answer is recorded."""
    data = tmp_path / "data"
    proc = answering(fake_sw, data, limit=60_000)
    out, err = proc.communicate(timeout=300)
    lines = [json.loads(x) for x in out.splitlines()]
    assert lines and lines[0] == {"ready": True}, err
    answered, stop = lines[1:-1], lines[-1]
    assert len(answered) >= 3, (answered, stop, err)  # it answered for a while before the disk filled
    assert stop.get("stopped") == "AuditError", (stop, err)
    assert "could not be recorded" in stop["message"] and "not shown" in stop["message"]

    store = AuditStore(data)
    assert store.verify() == []
    rows = {r["seq"]: r for r in store.rows("answer")}
    for a in answered:  # every answer shown was recorded first, as its own question
        assert a["shown"] and rows[a["seq"]]["content"]["question"] == a["question"]
    refused_nonce = stop["question"].split()[1]
    assert not any(refused_nonce in r["content"]["question"] for r in rows.values())  # the refused one: no record
    seq = store.append("answer", {"question": "after the disk was cleared"}, "s")
    assert seq == max(rows) + 1 and store.verify() == []


# ---- (5) kill -9 recovers -----------------------------------------------------------------------------------------

def answer_then_kill(fake_sw, data: Path, fraction: float) -> list[dict]:
    """Start an answering process, let it answer 4 questions, then SIGKILL it `fraction` of the way through the
    next one (by the pace it kept): the answers it showed."""
    proc = answering(fake_sw, data)
    shown, times = [], []
    try:
        assert json.loads(proc.stdout.readline()) == {"ready": True}, proc.stderr.read()
        while len(shown) < 4:
            shown.append(json.loads(proc.stdout.readline()))
            times.append(time.monotonic())
        pace = sorted(b - a for a, b in zip(times, times[1:]))[len(times) // 2 - 1]
        time.sleep(fraction * pace)
    finally:
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    return shown


@pytest.mark.slow
def test_a_sharewise_killed_with_sigkill_mid_answering_restarts_with_a_clean_trail(fake_sw, tmp_path):
    """The process answering questions is killed with SIGKILL at points spread through a turn (retrieval, the
    rules, the audit write), four times on one store: after each kill the trail verifies and every answer that was
    shown is recorded as its own question; a restarted Sharewise then records its next answer."""
    import copy
    from dataclasses import replace

    data = tmp_path / "data"
    shown = []
    for fraction in (0.2, 0.45, 0.7, 0.95):
        shown += answer_then_kill(fake_sw, data, fraction)
        store = AuditStore(data)
        assert store.verify() == [], (fraction, store.verify())
        rows = {r["seq"]: r for r in store.rows("answer")}
        assert all(rows[a["seq"]]["content"]["question"] == a["question"] for a in shown)

    restarted = copy.copy(fake_sw)
    restarted.settings = replace(fake_sw.settings, data_dir=data)
    restarted = restarted.with_audit()
    assert restarted.audit.verify() == []
    before = restarted.audit.status()["records"]
    turn = restarted.answer("After the restart: do I need consent to share?", session="after")
    assert turn.audit_seq == before + 1 and restarted.audit.verify() == []


# ---- (7) two servers on one store keep a clean chain --------------------------------------------------------------

WRITER = r"""
import os, sys, time
from pathlib import Path
from assistant.audit import AuditStore
data, go, name, n = sys.argv[1], Path(sys.argv[2]), sys.argv[3], int(sys.argv[4])
s = AuditStore(data)
print("ready", flush=True)
while not go.exists():
    time.sleep(0.001)
for i in range(n):
    s.append("answer", {"question": f"{name}-{i}"}, name)
"""


def test_two_processes_writing_one_audit_store_at_once_leave_one_clean_chain(tmp_path):
    """Two separate processes (as two servers on one data folder would be), each with its own AuditStore, released
    together so their writes interleave: no record lost or duplicated, one unbroken numbering, verify() clean."""
    data, go, n = tmp_path / "data", tmp_path / "go", 150
    AuditStore(data)
    procs = [subprocess.Popen([sys.executable, "-c", WRITER, str(data), str(go), name, str(n)], cwd=REPO,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for name in ("A", "B")]
    try:
        assert all(p.stdout.readline().strip() == "ready" for p in procs)
        go.touch()
        for p in procs:
            _, err = p.communicate(timeout=300)
            assert p.returncode == 0, err
    finally:
        for p in procs:
            if p.poll() is None:
                p.kill()
    store = AuditStore(data)
    assert store.verify() == []
    rows = store.rows()
    assert [r["seq"] for r in rows] == list(range(1, 2 * n + 1))
    assert sorted(r["content"]["question"] for r in rows) == sorted(f"{w}-{i}" for w in "AB" for i in range(n))
    for w in "AB":  # each process's own records are in its own order
        assert [r["content"]["question"] for r in rows if r["session"] == w] == [f"{w}-{i}" for i in range(n)]
    writers = [r["session"] for r in rows]
    switches = sum(a != b for a, b in zip(writers, writers[1:]))
    assert switches >= 2, "the two writers did not overlap, so this did not test concurrent writing"


# ---- (8) 30 concurrent sessions show no cross-talk ----------------------------------------------------------------

@pytest.mark.slow
def test_thirty_practitioners_asking_at_once_each_see_only_their_own_case(audited_sw):
    """30 chat sessions ask at the same moment, then each asks a follow-up at the same moment: every reply, chat,
    session and audit record carries only that session's own question, under that session's own id."""
    from assistant.ui import chat
    from assistant.ui.state import Session

    n = 30
    sessions = [Session() for _ in range(n)]
    first = [f"Case nonce{i:03d}q: a 15-year-old told me in confidence her stepdad hits her. Can I share?"
             for i in range(n)]
    follow = [f"And if she refuses, nonce{i:03d}f?" for i in range(n)]
    nonces = [f"nonce{i:03d}" for i in range(n)]
    replies: dict[tuple[int, int], chat.Reply] = {}
    errors: list[BaseException] = []
    barrier = threading.Barrier(n)

    def converse(i):
        try:
            barrier.wait(timeout=60)
            replies[(i, 0)] = chat.ask(audited_sw, sessions[i], first[i], [])
            barrier.wait(timeout=120)
            replies[(i, 1)] = chat.ask(audited_sw, sessions[i], follow[i], replies[(i, 0)].chat)
        except BaseException as e:  # noqa: BLE001 - reported below
            errors.append(e)
            barrier.abort()

    threads = [threading.Thread(target=converse, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert errors == [] and not any(t.is_alive() for t in threads), errors

    rows = {r["seq"]: r for r in audited_sw.audit.rows("answer")}
    assert len(rows) == 2 * n
    for i, session in enumerate(sessions):
        a, b = replies[(i, 0)], replies[(i, 1)]
        assert a.turn is not None and b.turn is not None, (a.error, b.error)
        assert a.turn.question == first[i] and b.turn.question == follow[i] and b.turn.history == (first[i],)
        assert session.questions == [first[i], follow[i]] and session.turn is b.turn
        others = [x for x in nonces if x != nonces[i]]
        blob = json.dumps(b.chat) + json.dumps(a.turn.to_json()) + json.dumps(b.turn.to_json(), default=str)
        assert nonces[i] in blob and not [o for o in others if o in blob], i
        for turn, question in ((a.turn, first[i]), (b.turn, follow[i])):
            record = rows[turn.audit_seq]
            assert record["content"]["question"] == question and record["session"] == session.id
    assert len({s.id for s in sessions}) == n
    assert audited_sw.audit.verify() == []
