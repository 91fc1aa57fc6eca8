"""The Local documents tab of the staff app: the Caldicott guardian adds the partnership's own documents (and the
current national advice) to the local corpus, sees every source with its currency, and takes a local one out.

What `sharewise ingest` does, in the browser, with the same fields and the same limits: the file is parsed in the
sandbox (`assistant.ingest.library.ingest`), a refused file changes nothing and its one-line reason is shown, then
the index is updated (only the new document is embedded) and swapped in, and the running server answers from it.
Every handler's first step is `web.require(request, "guardian")`: an evaluator sees the tab's explanation, and
nothing else works for them. The upload must be one this login made (the gate records each staff login's
uploads): a path typed into the request is refused. The uploaded copy is deleted once read (the original is kept
in the local folder by ingest). Each addition and removal, added or refused, is one audit record ("ingest",
"ingest_remove") under the account: the file's name, size and sha256 and what was said about it; never its text.
One change at a time: the events run at concurrency 1, and a lock keeps two changes in this process apart.
"""

from __future__ import annotations

import html
import logging
import re
import threading
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import gradio as gr

from ..audit import AuditError
from ..embedding import file_sha256
from ..errors import DocumentRefused, SharewiseError
from ..ingest.commands import update_index
from ..ingest.library import Added, Extract, Provenance, SourceLine, ingest, remove, source_lines
from ..ingest.registry import LocalSource, locked, read_registry, valid_id, write_registry
from ..ingest.sandbox import human_size
from ..web.gate import DOCUMENT_LIMIT
from ..web.guard import Caller, NotAllowed, Web
from .evaluate import NOT_YOURS, _upload_path
from .review import NO_AUDIT
from .state import GENERIC_ERROR, shown

log = logging.getLogger(__name__)
FILE_TYPES = [".pdf", ".docx", ".html", ".htm", ".md", ".txt"]
Progress = Callable[[float, str], object]
_CHANGING = threading.Lock()  # one addition or removal at a time (with the index update after it)
EXPLANATION = (
    "**For the Caldicott guardian.** Add your partnership's own procedures and the current national advice as "
    "local documents: PDF, Word (.docx), HTML, Markdown (.md) or plain text (.txt), up to "
    f"{DOCUMENT_LIMIT // (1024 * 1024)} MB each. Sharewise quotes them word for word, labelled with their "
    "publisher. Say who published it; if it replaces an older source, choose that under *Supersedes*, and its "
    "quotes will then name this one as its successor. A scanned PDF without a text layer is refused (Sharewise does "
    "not offer OCR). Each addition and removal is recorded in the audit trail under your account. Evaluators can "
    "read this, but only the guardian can use it.")


def _guardian(sw, web: Web, request: Any) -> Caller:
    who = web.require(request, "guardian")
    if sw.audit is None:
        raise NotAllowed(NO_AUDIT)
    return who


def _no_progress(_fraction: float, _desc: str) -> None:
    return None


_FIELDS = {"--title": "Title", "--publisher": "Publisher", "--id": "Id", "--date": "Date", "--licence": "Licence",
           "--url": "Web address", "--supersedes": "Supersedes", "--checked-on": "Checked on"}
_FLAG = re.compile(r"--[a-z][a-z-]*")


def for_the_page(message: str) -> str:
    """A refusal worded for `sharewise ingest`, in the page's words: its options named as the form's fields."""
    message = message.replace("`sharewise sources` lists them", "the sources list shows them")
    message = re.sub(r"`sharewise ingest --remove ([a-z0-9-]+)`", r"Remove (below)", message)
    return _FLAG.sub(lambda m: _FIELDS.get(m.group(0), m.group(0)), message)


def _code(doc_id: str) -> str:
    """A document id as code (an id is lower-case letters, digits and hyphens; anything else is shown as text)."""
    return f"`{doc_id}`" if valid_id(doc_id) else shown(doc_id)


# ---- what the tab does, without Gradio (the tests call these) --------------------------------------------------

def add_document(sw, web: Web, request: Any, upload: object, meta: Provenance, extract: Extract | None = None,
                 progress: Progress | None = None) -> str:
    """Add an upload this login made to the local corpus, then update the index and answer from it. Returns the
    message to show (Markdown). A refused file changes nothing; either way the upload's copy is deleted and the
    attempt is one audit record."""
    who = _guardian(sw, web, request)
    path = _upload_path(upload)
    if not path:
        return "Choose a file first."
    mine = web.uploads.get(who.token, set())
    if path not in mine:
        raise NotAllowed(NOT_YOURS)
    mine.discard(path)
    file = Path(path)
    try:
        with _CHANGING:
            return _add(sw, who, file, meta, extract, progress or _no_progress)
    finally:
        file.unlink(missing_ok=True)


def _add(sw, who: Caller, file: Path, meta: Provenance, extract: Extract | None, progress: Progress) -> str:
    name = file.name[:200]
    try:
        size, sha = file.stat().st_size, file_sha256(file)
    except OSError:
        raise SharewiseError("The upload could not be read: upload the file again.") from None
    record: dict[str, Any] = {
        "account": who.name, "file": name, "bytes": size, "sha256": sha, "id": meta.id, "title": meta.title,
        "publisher": meta.publisher, "date": meta.date, "licence": meta.licence, "url": meta.url,
        "supersedes": list(meta.supersedes), "checked_on": meta.checked_on}
    before = read_registry(sw.settings.local_corpus_dir)
    try:
        if size > DOCUMENT_LIMIT:
            raise DocumentRefused(f"{name} is {human_size(size)}, more than the {human_size(DOCUMENT_LIMIT)} Sharewise "
                                  "reads from one file: split it into smaller files and add each")
        progress(0.05, "Reading the document (in the sandbox)")
        added = ingest([file], meta, sw.settings, extract=extract, added_by=who.name)
    except DocumentRefused as e:
        sw.audit.append("ingest", {**record, "outcome": "refused", "message": str(e)}, who.name)
        return f"**Not added:** {shown(for_the_page(str(e)))}\n\nNothing was changed."
    except Exception as e:
        sw.audit.append("ingest", {**record, "outcome": "failed", "error": type(e).__name__}, who.name)
        raise
    documents = [{"id": a.id, "title": a.title, "kind": a.kind, "pages": a.pages, "status": a.status}
                 for a in added]
    try:
        sw.audit.append("ingest", {**record, "outcome": added[0].status, "documents": documents}, who.name)
    except AuditError:
        _undo(sw, added, before)
        raise
    lines = [_added_line(a) for a in added]
    if all(a.status == "unchanged" for a in added) and all(a.id in sw.corpus.documents for a in added):
        return "\n\n".join([*lines, "Nothing changed: the chat already answers from it."])
    return "\n\n".join([*lines, _update(sw, progress, "The chat answers from it now")])


def _added_line(a: Added) -> str:
    pages = f", {a.pages} pages" if a.pages else ""
    line = (f"**{a.status.capitalize()}:** {_code(a.id)}: {shown(a.title)} ({a.kind}{pages}, "
            f"{a.characters:,} characters).")
    return line + (f" Note: {shown(for_the_page(a.note))}" if a.note else "")


def _undo(sw, added: list[Added], before: tuple[LocalSource, ...]) -> None:
    """The audit trail refused the record of an addition: take the addition back (fail closed)."""
    local = sw.settings.local_corpus_dir
    for a in added:
        if a.status == "added":
            remove(a.id, sw.settings)
    was = {e.id: e for e in before}
    with locked(local):
        now = read_registry(local)
        write_registry(local, tuple(was.get(e.id, e) for e in now))  # "updated" entries back as they were


def _update(sw, progress: Progress, done: str) -> str:
    """Build the index for what the folders now hold (embedding only what is new), swap it in and answer from it."""
    progress(0.4, "Updating the index (only new or changed documents are embedded)")
    t0 = time.perf_counter()
    try:
        stats = update_index(sw.settings, progress=False, embedder=sw.embedder, second=sw.second)
    except Exception:  # noqa: BLE001 - the registry is written; the index can be updated again
        log.exception("the index update after a change to the local documents failed")
        return ("**The index could not be updated**, so the chat does not answer from this change yet (the details "
                "are in the server log). Add the same file again to retry: it is not read again, only the index is "
                "updated. If it keeps failing, tell whoever runs Sharewise.")
    progress(0.9, "Answering from the new index")
    sw.refresh()
    took = time.perf_counter() - t0
    if sw.index.folder != _live(sw):
        return ("**The index was updated, but this server has not taken it up yet** (the details are in the server "
                "log): a running Sharewise checks for a new index every few seconds.")
    return (f"**{done}** (index updated in {took:.1f} s: {stats['documents_embedded']} of {stats['documents']} "
            f"documents embedded, {stats['chunks']} chunks in all).")


def _live(sw) -> Path:
    from ..index import live_dir

    return live_dir(sw.settings.index_dir)


def remove_document(sw, web: Web, request: Any, doc_id: str | None, confirmed: bool,
                    progress: Progress | None = None) -> str:
    """Take a local document out, then update the index. Returns the message to show (Markdown)."""
    who = _guardian(sw, web, request)
    if not doc_id:
        return "Choose the local document to remove."
    if not confirmed:
        return "Tick *Yes, remove it* first: removing a document cannot be undone here (add the file again instead)."
    doc_id = str(doc_id)
    with _CHANGING:
        entry = next((e for e in read_registry(sw.settings.local_corpus_dir) if e.id == doc_id), None)
        record: dict[str, Any] = {"account": who.name, "id": doc_id}
        if entry is not None:
            record |= {"title": entry.title, "publisher": entry.publisher, "file": entry.original_name,
                       "sha256": entry.original_sha256}
        try:
            _, unlinked = remove(doc_id, sw.settings)
        except DocumentRefused as e:
            sw.audit.append("ingest_remove", {**record, "outcome": "refused", "message": str(e)}, who.name)
            return f"**Not removed:** {shown(for_the_page(str(e)))}\n\nNothing was changed."
        sw.audit.append("ingest_remove", {**record, "outcome": "removed", "unlinked": list(unlinked)}, who.name)
        line = f"**Removed:** {_code(doc_id)}" + (f": {shown(entry.title)}." if entry else ".")
        if unlinked:
            line += f" It was marked as superseded by {shown(', '.join(unlinked))}; that link is gone too."
        return line + "\n\n" + _update(sw, progress or _no_progress, "The chat no longer quotes it")


def list_sources(sw, web: Web, request: Any) -> list[SourceLine]:
    _guardian(sw, web, request)
    return source_lines(sw.corpus)


def sources_html(lines: list[SourceLine]) -> str:
    """Every source as a table: provenance, currency, and a plain flag on any not checked for 12 months."""
    esc = html.escape
    head = ("Id", "Title", "Publisher", "Date", "Licence", "Where", "Currency", "Supersedes", "Checked on")
    rows = []
    for s in lines:
        check = esc(s.checked_on or "never")
        if s.check_due:
            check += ' <strong class="sw-check-due">Not checked for 12 months: confirm it is current</strong>'
        cells = [f"<code>{esc(s.id)}</code>", esc(s.title), esc(s.publisher), esc(s.date or "not given"),
                 esc(s.licence or "not given"), "local" if s.local else "bundled", esc(s.currency),
                 esc(", ".join(s.supersedes) or "nothing"), check]
        rows.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    due = [s.id for s in lines if s.check_due]
    summary = (f"<p>{len(lines)} sources ({sum(s.local for s in lines)} local); {len(due)} not checked for 12 months"
               + (f": {esc(', '.join(due))}" if due else "") + ".</p>")
    header = "".join(f'<th scope="col">{h}</th>' for h in head)
    # Fixed column widths: left to the browser, the page's overflow-wrap:anywhere (so that nothing pushes a phone
    # sideways) squeezed the short columns to a few letters ("202/6-04-/09", "bu/ndl/ed") even on a laptop. As shares
    # of the width, the table still never grows wider than its box at 200% zoom or on a phone.
    cols = "".join(f'<col style="width:{w}%">' for w in _WIDTHS)
    return (summary + '<table id="sources-table" style="table-layout:fixed;width:100%">'
            f"<caption>The sources Sharewise answers from</caption><colgroup>{cols}</colgroup>"
            f"<thead><tr>{header}</tr></thead><tbody>" + "".join(rows) + "</tbody></table>")


# The sources table's columns (Id, Title, Publisher, Date, Licence, Where, Currency, Supersedes, Checked on), in %:
# at 1366 px a date, "bundled", "Supersedes" and "legislation.gov.uk" each fit on one line.
_WIDTHS = (10.5, 14.5, 13.5, 9.5, 13.5, 7.5, 9.5, 11, 10.5)


def choices(lines: list[SourceLine]) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """(every source, the local ones) as dropdown choices: (label, id)."""
    every = [(f"{s.id}: {s.title}", s.id) for s in lines]
    return every, [c for c, s in zip(every, lines, strict=True) if s.local]


def _outcome(change: Callable[[], str], refused: str, doing: str) -> str:
    """The message a change leaves on the page: its own, a refusal in its words, or the generic one (never a
    traceback); a caller who may not make it gets Gradio's error."""
    try:
        return change()
    except NotAllowed as e:
        raise gr.Error(str(e)) from None
    except SharewiseError as e:
        return f"**{refused}:** {shown(e)}"
    except Exception:  # noqa: BLE001 - the UI edge
        log.exception("%s a local document failed", doing)
        return GENERIC_ERROR


def provenance(title: str | None, publisher: str | None, doc_id: str | None, when: str | None, licence: str | None,
               url: str | None, supersedes: list[str] | str | None, checked_on: str | None) -> Provenance:
    """The form's fields as `sharewise ingest` takes them (the checks are ingest's own)."""
    old = [supersedes] if isinstance(supersedes, str) else list(supersedes or [])
    return Provenance(title=(title or "").strip(), publisher=(publisher or "").strip(), id=(doc_id or "").strip(),
                      date=(when or "").strip(), licence=(licence or "").strip(), url=(url or "").strip(),
                      supersedes=tuple(str(s) for s in old if s), checked_on=(checked_on or "").strip())


# ---- the tab --------------------------------------------------------------------------------------------------

class DocumentsTab:
    """The upload and its fields, the result, the sources list, and the removal of a local document."""

    def __init__(self, sw, web: Web):
        self.sw, self.web = sw, web
        with gr.Tab("Local documents", id="documents") as self.tab:
            gr.Markdown(EXPLANATION)
            self.upload = gr.File(label="Document (PDF, .docx, .html, .md or .txt)", file_types=FILE_TYPES,
                                  elem_id="document-upload")
            with gr.Row():
                self.title = gr.Textbox(label="Title (optional: else the document's own)")
                self.publisher = gr.Textbox(label="Publisher (required)",
                                            placeholder="e.g. Leeds Safeguarding Children Partnership")
            with gr.Row():
                self.doc_id = gr.Textbox(label="Id (optional: else from the title and the year)",
                                         placeholder="e.g. northmoor-information-sharing-2025")
                self.date = gr.Textbox(label="Date of this edition (YYYY-MM-DD, optional)")
                self.checked_on = gr.Textbox(label="Checked on (YYYY-MM-DD; empty: today)",
                                             placeholder="today")
                self.licence = gr.Textbox(label="Licence (optional)")
            self.url = gr.Textbox(label="Web address it came from (optional; recorded, never fetched)")
            self.supersedes = gr.Dropdown([], value=[], multiselect=True, label="Supersedes (optional)",
                                          info="The sources this document replaces")
            self.add = gr.Button("Add document", variant="primary")
            self.result = gr.Markdown(elem_id="document-result")
            gr.Markdown("### Sources")
            self.show = gr.Button("Show the sources")
            self.sources = gr.HTML(elem_id="sources-list")
            gr.Markdown("### Remove a local document")
            with gr.Row():
                self.remove_id = gr.Dropdown([], value=None, label="Local document")
                self.confirm = gr.Checkbox(label="Yes, remove it", value=False)
            # Not variant="stop": Gradio draws it white on red-500 (3.8:1, under WCAG's 4.5:1), and the theme does
            # not override it; the confirmation box above, not a colour, is what keeps a removal deliberate.
            self.remove = gr.Button("Remove", variant="secondary")
            self.removed = gr.Markdown(elem_id="document-removed")

    def wire(self) -> None:
        private: dict[str, Any] = {"api_visibility": "private"}
        listed = [self.sources, self.supersedes, self.remove_id]
        # One change at a time, uploads and removals alike (the registry and the index stay one story).
        changing: dict[str, Any] = {**private, "concurrency_limit": 1, "concurrency_id": "local-documents"}
        self.add.click(self.on_add, [self.upload, self.title, self.publisher, self.doc_id, self.date, self.licence,
                                     self.url, self.supersedes, self.checked_on],
                       [self.result, self.upload, self.checked_on, self.title, self.doc_id, self.date, self.url,
                        *listed], **changing)
        self.remove.click(self.on_remove, [self.remove_id, self.confirm], [self.removed, self.confirm, *listed],
                          **changing)
        self.show.click(self.on_show, None, listed, **private)
        self.tab.select(self.on_open, None, [self.checked_on, *listed], **private)

    def _listed(self, changed: bool) -> dict:
        """The sources list and the two id lists, as the corpus is now (after a change, nothing left chosen)."""
        lines = source_lines(self.sw.corpus)
        every, local = choices(lines)
        if not changed:  # what is chosen stays chosen
            return {self.sources: sources_html(lines), self.supersedes: gr.Dropdown(choices=every, multiselect=True),
                    self.remove_id: gr.Dropdown(choices=local)}
        return {self.sources: sources_html(lines),
                self.supersedes: gr.Dropdown(choices=every, value=[], multiselect=True),
                self.remove_id: gr.Dropdown(choices=local, value=None)}

    def on_show(self, request: gr.Request) -> dict:
        try:
            list_sources(self.sw, self.web, request)
        except NotAllowed as e:
            raise gr.Error(str(e)) from None
        return self._listed(changed=False)

    def on_open(self, request: gr.Request) -> dict:
        """The tab is opened: the lists, and today as the date the document was checked."""
        return {**self.on_show(request), self.checked_on: date.today().isoformat()}

    def on_add(self, upload: object, title: str, publisher: str, doc_id: str, when: str, licence: str, url: str,
               supersedes: list[str], checked_on: str, request: gr.Request,
               progress=gr.Progress()) -> dict:  # noqa: B008
        meta = provenance(title, publisher, doc_id, when, licence, url, supersedes, checked_on)
        library = self.sw.library  # a new one once the change is in the index
        message = _outcome(lambda: add_document(self.sw, self.web, request, upload, meta,
                                                progress=lambda f, d: progress(f, desc=d)), "Not added", "adding")
        changed = self.sw.library is not library
        # After an addition, what named that one document is cleared (the next file must not inherit its title, id,
        # date or address); the publisher and licence stay, as the next file is usually from the same body.
        cleared = {self.checked_on: date.today().isoformat(), self.title: "", self.doc_id: "", self.date: "",
                   self.url: ""} if changed else {}
        return {self.result: message, self.upload: None, **self._listed(changed), **cleared}

    def on_remove(self, doc_id: str | None, confirmed: bool, request: gr.Request,
                  progress=gr.Progress()) -> dict:  # noqa: B008
        library = self.sw.library
        message = _outcome(lambda: remove_document(self.sw, self.web, request, doc_id, bool(confirmed),
                                                   lambda f, d: progress(f, desc=d)), "Not removed", "removing")
        return {self.removed: message, self.confirm: False, **self._listed(self.sw.library is not library)}
