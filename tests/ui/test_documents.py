"""The staff app's Local documents tab (issue 15, in the browser): the guardian adds, lists and removes local
documents with the command line's fields and limits; nobody else can; a refused file changes nothing; every action
is one audit record with no document text; the gate admits a document-sized staff upload and no chat upload."""

from __future__ import annotations

import asyncio
import json
import shutil
import time
from dataclasses import replace
from pathlib import Path

import gradio as gr
import pytest

from assistant.corpus import load_corpus_for
from assistant.errors import DocumentRefused
from assistant.index import build_index, load_index
from assistant.ingest.extracted import Extracted
from assistant.ingest.library import Provenance
from assistant.ingest.registry import read_registry
from assistant.pipeline import Sharewise
from assistant.settings import Settings
from assistant.ui import documents
from assistant.ui.documents import DocumentsTab, add_document, list_sources, remove_document, sources_html
from assistant.web import gate
from assistant.web.guard import LOGIN_COOKIE, NotAllowed, Web

from ..conftest import hashing_embedder
from .live import request_as

TEXT = "# T\n\n## Part\n\nSome sentence here.\n"
SENTENCE = "Some sentence here."
META = Provenance(title="Northmoor information sharing procedure", publisher="Northmoor Safeguarding Partnership",
                  date="2025-03-01", licence="OGL v3.0", url="https://example.org/northmoor")
NEW_ID = "northmoor-information-sharing-procedure-2025"  # title and year


def fake_extract(path: Path) -> Extracted:  # noqa: ARG001 - the sandbox's signature
    return Extracted(text=TEXT, kind="markdown", title="T")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """An index of the bundled corpus with the hashing embedder, built once; each test works on a copy."""
    root = tmp_path_factory.mktemp("documents-template")
    s = replace(Settings(), index_dir=root / "index", data_dir=root / "data", local_dir=root / "local")
    build_index(load_corpus_for(s), hashing_embedder(), s, s.index_dir, progress=False)
    return s.index_dir


@pytest.fixture
def sw(built, tmp_path):
    """A Sharewise with its own index, local folder and audit trail, in tmp_path."""
    shutil.copytree(built, tmp_path / "index", symlinks=True)
    s = replace(Settings(), index_dir=tmp_path / "index", data_dir=tmp_path / "data", local_dir=tmp_path / "local",
                min_relevance=0.0, min_quote_score=0.0)
    corpus, embedder = load_corpus_for(s), hashing_embedder()
    return Sharewise(s, corpus, embedder, load_index(s.index_dir, corpus, embedder, s)).with_audit()


@pytest.fixture
def web(tmp_path):
    return Web(root=tmp_path / "web")


def uploaded(web: Web, request, tmp_path: Path, name: str = "northmoor.md", data: bytes = b"# T\n\nwords\n") -> str:
    """A file as Gradio's upload leaves it, recorded (as the gate does) as this login's upload."""
    folder = tmp_path / "gradio" / str(time.monotonic_ns())
    folder.mkdir(parents=True)
    path = folder / name
    path.write_bytes(data)
    web.uploads.setdefault(web.caller(request).token, set()).add(str(path))
    return str(path)


def records(sw, kind: str) -> list[dict]:
    return [r["content"] for r in sw.audit.rows(kind)]


def test_the_guardian_adds_a_document_and_the_chat_answers_from_it(sw, web, tmp_path):
    guardian = request_as(web, "guardian", "guardian")
    path = uploaded(web, guardian, tmp_path)
    steps: list[str] = []
    t0 = time.perf_counter()
    message = add_document(sw, web, guardian, path, META, extract=fake_extract, progress=lambda f, d: steps.append(d))
    took = time.perf_counter() - t0
    assert f"**Added:** `{NEW_ID}`: Northmoor information sharing procedure (markdown" in message, message
    assert "The chat answers from it now" in message and "1 of 6 documents embedded" in message
    assert took < 60, took
    assert steps and "index" in steps[-2].lower()
    doc = sw.corpus.documents[NEW_ID]  # the running Sharewise answers from the new index
    assert doc.source.publisher == META.publisher and doc.source.local and SENTENCE in doc.text
    assert any(c.doc_id == NEW_ID for c in sw.index.chunks)
    [entry] = read_registry(sw.settings.local_corpus_dir)
    assert entry.id == NEW_ID and entry.added_by == "guardian" and entry.original_name == "northmoor.md"
    assert not Path(path).exists() and path not in web.uploads[web.caller(guardian).token]  # the upload is gone
    lines = list_sources(sw, web, guardian)
    assert [s.id for s in lines if s.local] == [NEW_ID]
    table = sources_html(lines)
    assert NEW_ID in table and "Northmoor Safeguarding Partnership" in table and "OGL v3.0" in table


def test_each_action_leaves_one_audit_record_of_its_kind_without_the_documents_text(sw, web, tmp_path):
    guardian = request_as(web, "guardian", "guardian")
    data = b"# T\n\nthe original file's own words\n"
    add_document(sw, web, guardian, uploaded(web, guardian, tmp_path, data=data), META, extract=fake_extract)
    [added] = records(sw, "ingest")
    import hashlib

    assert added["account"] == "guardian" and added["outcome"] == "added" and added["file"] == "northmoor.md"
    assert added["sha256"] == hashlib.sha256(data).hexdigest() and added["bytes"] == len(data)
    assert added["publisher"] == META.publisher and added["documents"][0]["id"] == NEW_ID
    assert added["documents"][0]["title"] == META.title
    remove_document(sw, web, guardian, NEW_ID, True)
    [removed] = records(sw, "ingest_remove")
    assert removed["account"] == "guardian" and removed["outcome"] == "removed" and removed["id"] == NEW_ID
    assert removed["sha256"] == added["sha256"] and removed["file"] == "northmoor.md"
    assert removed["title"] == META.title and removed["publisher"] == META.publisher
    trail = json.dumps([r for r in sw.audit.rows()])
    assert SENTENCE not in trail and "original file's own words" not in trail
    assert len(records(sw, "ingest")) == 1 and sw.audit.verify() == []


def test_a_refused_document_shows_its_reason_and_changes_nothing(sw, web, tmp_path):
    guardian = request_as(web, "guardian")
    reason = "northmoor.pdf is encrypted (it needs a password to open): save an unprotected copy and add that"

    def refuse(path: Path) -> Extracted:
        raise DocumentRefused(reason)

    library = sw.library
    path = uploaded(web, guardian, tmp_path, "northmoor.pdf", b"%PDF-1.7 encrypted")
    message = add_document(sw, web, guardian, path, META, extract=refuse)
    assert message.startswith("**Not added:**") and "encrypted" in message and "Nothing was changed" in message
    assert "Traceback" not in message
    assert read_registry(sw.settings.local_corpus_dir) == () and sw.library is library
    assert not (sw.settings.local_corpus_dir / "docs").exists()
    assert not Path(path).exists()
    [refused] = records(sw, "ingest")
    assert refused["outcome"] == "refused" and refused["message"] == reason and refused["file"] == "northmoor.pdf"


def test_an_addition_the_audit_trail_cannot_record_is_taken_back(sw, web, tmp_path, monkeypatch):
    from assistant.audit import AuditError

    guardian = request_as(web, "guardian")
    real = sw.audit.append

    def failing(kind, content, session=""):
        if content.get("outcome") == "added":
            raise AuditError("the audit trail could not be written")
        return real(kind, content, session)

    monkeypatch.setattr(sw.audit, "append", failing)
    library = sw.library
    with pytest.raises(AuditError):
        add_document(sw, web, guardian, uploaded(web, guardian, tmp_path), META, extract=fake_extract)
    assert read_registry(sw.settings.local_corpus_dir) == () and sw.library is library
    assert not list((sw.settings.local_corpus_dir / "docs").iterdir())


def test_the_fields_are_checked_as_the_command_line_checks_them(sw, web, tmp_path):
    guardian = request_as(web, "guardian")
    for meta, words in [(replace(META, publisher=""), "Publisher"), (replace(META, date="1 March 2025"), "YYYY-MM-DD"),
                        (replace(META, supersedes=("no-such-source",)), "Supersedes 'no-such-source': there is no such "
                                                                        "source"),
                        (replace(META, url="file:///etc/passwd"), "Web address must")]:
        message = add_document(sw, web, guardian, uploaded(web, guardian, tmp_path), meta, extract=fake_extract)
        assert message.startswith("**Not added:**") and words in message.replace("\\", ""), message
        assert "--" not in message.replace("\\", ""), message  # the form's fields, not the command's options
    assert read_registry(sw.settings.local_corpus_dir) == ()
    assert [r["outcome"] for r in records(sw, "ingest")] == ["refused"] * 4
    message = add_document(sw, web, guardian, uploaded(web, guardian, tmp_path), replace(META, id="northmoor-isp"),
                           extract=fake_extract)
    assert "**Added:** `northmoor-isp`" in message and "northmoor-isp" in sw.corpus.documents


def test_a_file_over_the_limit_is_refused_in_the_handler(sw, web, tmp_path, monkeypatch):
    monkeypatch.setattr(documents, "DOCUMENT_LIMIT", 10)
    guardian = request_as(web, "guardian")
    path = uploaded(web, guardian, tmp_path, data=b"x" * 11)
    message = add_document(sw, web, guardian, path, META, extract=fake_extract)
    assert "more than the" in message and "split it" in message and read_registry(sw.settings.local_corpus_dir) == ()
    assert not Path(path).exists() and records(sw, "ingest")[0]["outcome"] == "refused"


def test_a_superseded_source_is_listed_as_such(sw, web, tmp_path):
    guardian = request_as(web, "guardian")
    add_document(sw, web, guardian, uploaded(web, guardian, tmp_path, "old.md", b"old"), META, extract=fake_extract)
    newer = replace(META, title="Northmoor procedure", date="2026-01-05", supersedes=(NEW_ID,))
    message = add_document(sw, web, guardian, uploaded(web, guardian, tmp_path, "new.md", b"new"), newer,
                           extract=fake_extract)
    assert "**Added:**" in message
    lines = {s.id: s for s in list_sources(sw, web, guardian)}
    assert lines[NEW_ID].superseded_by == ("northmoor-procedure-2026",)
    assert lines["northmoor-procedure-2026"].supersedes == (NEW_ID,)
    assert "superseded by northmoor-procedure-2026" in sources_html(list(lines.values()))


def test_a_source_not_checked_for_a_year_is_flagged(sw, web, tmp_path):
    guardian = request_as(web, "guardian")
    add_document(sw, web, guardian, uploaded(web, guardian, tmp_path), replace(META, checked_on="2020-01-01"),
                 extract=fake_extract)
    line = next(s for s in list_sources(sw, web, guardian) if s.id == NEW_ID)
    assert line.check_due and "Not checked for 12 months" in sources_html([line])


def test_remove_takes_a_local_document_out_and_a_bundled_one_cannot_be_removed(sw, web, tmp_path):
    guardian = request_as(web, "guardian")
    add_document(sw, web, guardian, uploaded(web, guardian, tmp_path), META, extract=fake_extract)
    assert NEW_ID in sw.corpus.documents
    assert "Tick" in remove_document(sw, web, guardian, NEW_ID, False)  # not confirmed: nothing happens
    assert NEW_ID in sw.corpus.documents and records(sw, "ingest_remove") == []
    message = remove_document(sw, web, guardian, NEW_ID, True)
    assert "**Removed:**" in message and "no longer quotes it" in message
    assert NEW_ID not in sw.corpus.documents and read_registry(sw.settings.local_corpus_dir) == ()
    assert not any(c.doc_id == NEW_ID for c in sw.index.chunks)
    bundled = next(iter(sw.corpus.documents))
    library = sw.library
    message = remove_document(sw, web, guardian, bundled, True)
    assert message.startswith("**Not removed:**") and "bundled source" in message and sw.library is library
    assert [r["outcome"] for r in records(sw, "ingest_remove")] == ["removed", "refused"]


def test_only_the_guardian_may_use_the_tab(sw, web, tmp_path):
    """An evaluator (admitted to /staff), a practitioner and someone not signed in are refused by every handler,
    and nothing they send is read, deleted or recorded."""
    guardian = request_as(web, "guardian")
    add_document(sw, web, guardian, uploaded(web, guardian, tmp_path), META, extract=fake_extract)
    before = read_registry(sw.settings.local_corpus_dir)
    with gr.Blocks():
        tab = DocumentsTab(sw, web)
        tab.wire()
    for who in (request_as(web, "evaluator"), request_as(web, "practitioner"), request_as(web, None)):
        path = uploaded(web, who, tmp_path) if who.cookies.get(LOGIN_COOKIE) else str(tmp_path / "x.md")
        with pytest.raises(NotAllowed):
            add_document(sw, web, who, path, META, extract=fake_extract)
        with pytest.raises(NotAllowed):
            remove_document(sw, web, who, NEW_ID, True)
        with pytest.raises(NotAllowed):
            list_sources(sw, web, who)
        with pytest.raises(gr.Error):
            tab.on_add(path, "", META.publisher, "", "", "", "", [], "", who)
        with pytest.raises(gr.Error):
            tab.on_remove(NEW_ID, True, who)
        for handler in (tab.on_show, tab.on_open):
            with pytest.raises(gr.Error):
                handler(who)
        assert Path(path).exists() or not who.cookies.get(LOGIN_COOKIE)
    assert read_registry(sw.settings.local_corpus_dir) == before
    assert len(records(sw, "ingest")) == 1 and records(sw, "ingest_remove") == []


def test_a_path_this_login_did_not_upload_is_refused(sw, web, tmp_path):
    guardian, other = request_as(web, "guardian"), request_as(web, "guardian")  # two sign-ins of the guardian
    theirs = uploaded(web, other, tmp_path)
    typed = tmp_path / "typed.md"
    typed.write_text("# T\n")
    for path in (theirs, str(typed)):
        with pytest.raises(NotAllowed, match="not one you made"):
            add_document(sw, web, guardian, path, META, extract=fake_extract)
        assert Path(path).exists()
    assert read_registry(sw.settings.local_corpus_dir) == () and records(sw, "ingest") == []


def test_the_tab_updates_run_one_at_a_time_and_privately(sw, web):
    from assistant.ui.staff import build_staff_app

    staff = build_staff_app(sw, web)
    fns = {fn.name: fn for fn in staff.fns.values()}
    add, rm = fns["on_add"], fns["on_remove"]
    assert add.concurrency_limit == 1 and rm.concurrency_limit == 1 and add.concurrency_id == rm.concurrency_id
    assert all(fn.api_visibility == "private" for fn in (add, rm, fns["on_show"], fns["on_open"]))


def test_the_tab_handler_shows_the_result_and_refreshes_the_lists(sw, web, tmp_path, monkeypatch):
    guardian = request_as(web, "guardian")
    with gr.Blocks():
        tab = DocumentsTab(sw, web)
        tab.wire()
    shown = tab.on_open(guardian)
    assert NEW_ID not in shown[tab.sources] and len(shown[tab.checked_on]) == 10
    real = documents.ingest

    def ingest_faked(paths, meta, settings, extract=None, added_by="cli"):  # noqa: ARG001
        return real(paths, meta, settings, extract=fake_extract, added_by=added_by)

    monkeypatch.setattr(documents, "ingest", ingest_faked)
    refused = tab.on_add(uploaded(web, guardian, tmp_path), META.title, "", "", "", "", "", [], "", guardian,
                         progress=lambda *a, **k: None)
    assert "**Not added:**" in refused[tab.result] and "publisher" in refused[tab.result]
    assert tab.checked_on not in refused  # nothing changed: what was typed stays
    path = uploaded(web, guardian, tmp_path)
    out = tab.on_add(path, META.title, META.publisher, "", META.date, "", "", [], "", guardian,
                     progress=lambda *a, **k: None)
    assert "**Added:**" in out[tab.result] and out[tab.upload] is None and NEW_ID in out[tab.sources]
    assert (f"{NEW_ID}: {META.title}", NEW_ID) in out[tab.remove_id].choices
    out = tab.on_remove(NEW_ID, True, guardian, progress=lambda *a, **k: None)
    assert "**Removed:**" in out[tab.removed] and out[tab.confirm] is False and NEW_ID not in out[tab.sources]


@pytest.mark.slow
def test_a_markdown_file_through_the_real_sandbox(sw, web, tmp_path):
    pytest.importorskip("assistant.ingest.sandbox")
    pytest.importorskip("assistant.ingest.worker")
    guardian = request_as(web, "guardian")
    text = "# Hartley schools protocol\n\n## Sharing with the DSL\n\nTell the safeguarding lead the same day.\n"
    path = uploaded(web, guardian, tmp_path, "hartley.md", text.encode())
    message = add_document(sw, web, guardian, path, replace(META, title="", date=""))
    assert "**Added:**" in message and "The chat answers from it now" in message, message
    doc = sw.corpus.documents["hartley-schools-protocol"]
    assert "Tell the safeguarding lead the same day." in doc.text and doc.source.title == "Hartley schools protocol"


# ---- the gate: a document-sized staff upload passes, the chat has no upload -----------------------------------

def test_the_gates_document_limit_is_the_sandboxs():
    sandbox = pytest.importorskip("assistant.ingest.sandbox")
    assert gate.DOCUMENT_LIMIT == sandbox.Limits().max_file_bytes == documents.DOCUMENT_LIMIT
    assert gate.UPLOAD_LIMIT > gate.DOCUMENT_LIMIT


def _through_gate(web: Web, path: str, size: int, cookie: str = "", declared: bool = True) -> tuple[int, int]:
    """POST `size` bytes to `path` through the gate in front of a stub app: (status, bytes the app received)."""
    got = {"bytes": 0}

    async def app(scope, receive, send):
        message = await receive()
        got["bytes"] = len(message.get("body", b""))
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"application/json")]})
        await send({"type": "http.response.body", "body": b"[]"})

    chunk = 1024 * 1024
    pieces = [b"x" * min(chunk, size - i) for i in range(0, size, chunk)]

    async def receive():
        body = pieces.pop(0) if pieces else b""
        return {"type": "http.request", "body": body, "more_body": bool(pieces)}

    status: list[int] = []

    async def send(message):
        if message["type"] == "http.response.start":
            status.append(message["status"])

    headers = [(b"host", b"127.0.0.1:7860"), (b"content-type", b"multipart/form-data; boundary=x")]
    if declared:
        headers.append((b"content-length", str(size).encode()))
    if cookie:
        headers.append((b"cookie", f"{LOGIN_COOKIE}={cookie}".encode()))
    scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    asyncio.run(gate.Gate(app, web)(scope, receive, send))
    return status[0], got["bytes"]


def test_the_staff_upload_admits_a_5_mb_document_and_the_chat_no_upload(web):
    from assistant.web.accounts import Account

    token = web.logins.start(Account("guardian", "guardian"))
    five = 5 * 1024 * 1024
    assert _through_gate(web, "/staff/gradio_api/upload", five, token) == (200, five)
    assert _through_gate(web, "/staff/gradio_api/upload", five, token, declared=False) == (200, five)
    assert _through_gate(web, "/gradio_api/upload", 1000, token)[0] == 404  # the chat has no upload
    assert _through_gate(web, "/staff/gradio_api/upload", gate.UPLOAD_LIMIT + 1, token, declared=False)[0] == 413
    assert _through_gate(web, "/staff/gradio_api/upload", gate.UPLOAD_LIMIT + 1, token)[0] == 413
    assert _through_gate(web, "/staff/gradio_api/queue/join", gate.BODY_LIMIT + 1, token)[0] == 413


def test_a_live_server_takes_a_document_larger_than_the_chat_limit_on_the_staff_upload(fake_sw, tmp_path):
    """Gradio enforces its own max_file_size after the gate: the staff mount must allow a whole document."""
    import copy
    from dataclasses import replace

    from .live import accounts, call, signed_in, start_server

    sw = copy.copy(fake_sw)
    sw.settings = replace(fake_sw.settings, data_dir=tmp_path / "data")
    running = start_server(sw, accounts(guardian="guardian-pass"))
    try:
        opener = signed_in(running.url, "guardian", "guardian-pass")
        body = b"x" * (2 * 1024 * 1024)
        boundary = "sharewiseboundary"
        data = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"big.txt\"\r\n"
                "Content-Type: text/plain\r\n\r\n").encode() + body + f"\r\n--{boundary}--\r\n".encode()
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}", "Origin": running.url}
        status, reply, _ = call(running.url + "/staff/gradio_api/upload", "POST", data, headers, opener)
        assert status == 200, reply[:300]
        small = data.replace(body, b"x" * 100)  # the server answers before reading a large body: keep it small
        status, _, _ = call(running.url + "/gradio_api/upload", "POST", small, headers, opener)
        assert status in (401, 403, 404)  # the chat takes no uploads at all
    finally:
        running.close()
