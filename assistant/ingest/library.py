"""Add documents to the local corpus folder, take them out, list every source: the one place that writes the local
registry. Each file is parsed in the sandbox first; nothing is written until every file given has been read."""

from __future__ import annotations

import hashlib
import re
import shutil
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime
from pathlib import Path

from ..corpus import Corpus, load_corpus_for, parse_sections
from ..embedding import file_sha256
from ..errors import DocumentRefused
from ..settings import Settings
from .extracted import Extracted
from .registry import LocalSource, locked, read_registry, slug, valid_id, write_atomic, write_registry

Extract = Callable[[Path], Extracted]
STALE_AFTER_DAYS = 365
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


@dataclass(frozen=True)
class Provenance:
    """What the person ingesting says about the document (`sharewise ingest` options, the staff upload form)."""

    title: str = ""
    publisher: str = ""
    id: str = ""  # default: from the title and the year
    date: str = ""
    licence: str = ""
    url: str = ""
    supersedes: tuple[str, ...] = ()
    checked_on: str = ""  # default: today (whoever loads it is taken to have the current edition in hand)


@dataclass(frozen=True)
class Added:
    id: str
    title: str
    kind: str
    pages: int
    characters: int
    status: str  # "added"; "updated" (the same file was there: its provenance is now what was given); "unchanged"
    note: str = ""  # e.g. that another document has the same title


@dataclass(frozen=True)
class SourceLine:
    """One row of `sharewise sources`."""

    id: str
    title: str
    publisher: str
    date: str
    licence: str
    local: bool
    supersedes: tuple[str, ...]
    superseded_by: tuple[str, ...]
    checked_on: str
    check_due: bool  # not checked for 12 months (or never)
    note: str = ""  # what the registry says of the source's currency in words (bundled sources)

    @property
    def currency(self) -> str:
        if self.superseded_by:
            return "superseded by " + ", ".join(self.superseded_by)
        return "current (as far as the registry knows)"

    def to_json(self) -> dict:
        return {"id": self.id, "title": self.title, "publisher": self.publisher, "date": self.date,
                "licence": self.licence, "local": self.local, "supersedes": list(self.supersedes),
                "superseded_by": list(self.superseded_by), "currency": self.currency,
                "checked_on": self.checked_on, "check_due": self.check_due, "note": self.note}


def _check_date(value: str, what: str) -> str:
    value = value.strip()
    if not value:
        return ""
    try:
        if not _DATE.match(value):
            raise ValueError(value)
        date.fromisoformat(value)
    except ValueError:
        raise DocumentRefused(f"{what} must be a date written YYYY-MM-DD (e.g. 2024-05-28), not {value!r}") from None
    return value


def _check(meta: Provenance, paths: Sequence[Path], corpus: Corpus) -> Provenance:
    if (meta.title or meta.id) and len(paths) > 1:
        raise DocumentRefused("--title and --id name one document: ingest the files one at a time")
    if meta.id and not valid_id(meta.id):
        raise DocumentRefused(f"--id {meta.id!r}: an id is lower-case letters, digits and hyphens (at most 80), "
                              "starting with a letter or digit")
    if not meta.publisher.strip():
        raise DocumentRefused("say who issued the document with --publisher (e.g. --publisher \"Leeds Safeguarding "
                              "Children Partnership\"): every quote from it is labelled with its publisher")
    if meta.url and not re.match(r"^https?://\S+$", meta.url.strip()):
        raise DocumentRefused(f"--url must be a web address starting http:// or https://, not {meta.url!r} "
                              "(it is recorded, never fetched)")
    for old in meta.supersedes:
        if old not in corpus.documents:
            known = ", ".join(sorted(corpus.documents))
            raise DocumentRefused(f"--supersedes {old!r}: there is no such source (the sources are: {known}); "
                                  "`sharewise sources` lists them")
    fields = [(meta.title, "--title"), (meta.publisher, "--publisher"), (meta.licence, "--licence")]
    for value, name in fields:
        if len(value) > 300 or "\n" in value:
            raise DocumentRefused(f"{name} must be one line of at most 300 characters")
    return replace(meta, title=meta.title.strip(), publisher=meta.publisher.strip(), licence=meta.licence.strip(),
                   url=meta.url.strip(), date=_check_date(meta.date, "--date"),
                   checked_on=_check_date(meta.checked_on, "--checked-on") or date.today().isoformat())


def _title_of(meta: Provenance, extracted: Extracted, path: Path) -> str:
    title = meta.title or extracted.title.strip() or path.stem.replace("_", " ").replace("-", " ")
    return re.sub(r"\s+", " ", title)[:300]


def ingest(paths: Sequence[Path], meta: Provenance, settings: Settings, extract: Extract | None = None,
           added_by: str = "cli") -> list[Added]:
    """Parse each file (in the sandbox), then write the texts of record, the originals and the registry. A file that
    is refused raises DocumentRefused before anything is written. The index is not touched: `update_index` next."""
    if extract is None:
        from .sandbox import extract as sandbox_extract

        extract = sandbox_extract
    paths = [Path(p) for p in paths]
    if not paths:
        raise DocumentRefused("name at least one file to ingest (PDF, Word .docx, HTML, Markdown or plain text)")
    local = settings.local_corpus_dir
    with locked(local):
        corpus = load_corpus_for(settings)
        meta = _check(meta, paths, corpus)
        entries = list(read_registry(local))
        by_original = {e.original_sha256: e for e in entries}
        planned: list[tuple[Path, str, Extracted | None, LocalSource | None]] = []
        for path in paths:
            try:
                sha = file_sha256(path)
            except OSError as e:
                raise DocumentRefused(f"{path.name}: cannot be read ({e.strerror}): check the name and that you "
                                      "may read it") from None
            same = by_original.get(sha)
            if same is not None:
                planned.append((path, sha, None, same))  # already there: not parsed or embedded again
                continue
            parsed = extract(path)
            if not any(parsed.text[s.start:s.end].strip() for s in parse_sections(parsed.text)):
                raise DocumentRefused(f"{path.name}: no text was found in it to quote; if it is a scan, Sharewise "
                                      "does not offer OCR: ask the publisher for a text version")
            planned.append((path, sha, parsed, None))
        results: list[Added] = []
        taken = set(corpus.documents)
        now = datetime.now(UTC).isoformat(timespec="seconds")
        for path, sha, extracted, same in planned:
            if extracted is None:
                assert same is not None
                # What was given replaces what was recorded; what was not given stays (checked: today, by default).
                again = replace(same, title=meta.title or same.title, publisher=meta.publisher,
                                date=meta.date or same.date, licence=meta.licence or same.licence,
                                url=meta.url or same.url, checked_on=meta.checked_on,
                                supersedes=tuple(s for s in meta.supersedes if s != same.id) or same.supersedes)
                entries = [again if e.id == same.id else e for e in entries]
                results.append(Added(same.id, again.title, same.kind, len(same.pages), 0,
                                     "unchanged" if again == same else "updated",
                                     "the same file was already there: it was not read or embedded again"))
                continue
            title = _title_of(meta, extracted, path)
            if meta.id and meta.id in taken:
                raise DocumentRefused(f"--id {meta.id}: a source already has that id; choose another, or take the "
                                      f"old one out first with `sharewise ingest --remove {meta.id}`")
            base = meta.id or slug(title, meta.date[:4])
            doc_id = _unused_id(base, taken)
            taken.add(doc_id)
            note = (f"another source already has the id {base}: if this replaces it, say so with --supersedes "
                    f"{base}, or take the old one out with --remove {base}") \
                if doc_id != base and base not in meta.supersedes else ""
            text = extracted.text
            entry = LocalSource(
                id=doc_id, title=title, publisher=meta.publisher, kind=extracted.kind, date=meta.date,
                licence=meta.licence, url=meta.url, supersedes=tuple(s for s in meta.supersedes if s != doc_id),
                checked_on=meta.checked_on, original_name=path.name[:200], original_sha256=sha,
                original_bytes=path.stat().st_size, text_sha256=hashlib.sha256(text.encode("utf-8")).hexdigest(),
                pages=extracted.pages, added_at=now, added_by=added_by)
            write_atomic(local / entry.file, text.encode("utf-8"))
            _copy_original(path, local / entry.original_file)
            entries = [e for e in entries if e.id != doc_id] + [entry]
            results.append(Added(doc_id, title, entry.kind, len(entry.pages), len(text), "added", note))
        write_registry(local, tuple(entries))
    return results


def _unused_id(base: str, taken: set[str]) -> str:
    """A new document's id from its title, never one in use: ingesting never replaces a document (to replace one,
    supersede it or remove it)."""
    base = base if valid_id(base) else "document"
    if base not in taken:
        return base
    n = 2
    while f"{base}-{n}" in taken:
        n += 1
    return f"{base}-{n}"


def _copy_original(src: Path, dst: Path) -> None:
    dst.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dst.with_name(f".{dst.name}.tmp")
    shutil.copyfile(src, tmp)
    tmp.replace(dst)


def remove(doc_id: str, settings: Settings) -> tuple[LocalSource, tuple[str, ...]]:
    """Take a local document out (its text of record and original too). Returns it and the ids of the sources that
    said they superseded it (that link is dropped with it). A bundled source cannot be removed."""
    local = settings.local_corpus_dir
    with locked(local):
        entries = list(read_registry(local))
        found = next((e for e in entries if e.id == doc_id), None)
        if found is None:
            bundled = load_corpus_for(settings).documents
            if doc_id in bundled:
                raise DocumentRefused(f"{doc_id!r} is a bundled source, which is read-only: to stop relying on it, "
                                      f"ingest its replacement with --supersedes {doc_id}")
            known = ", ".join(e.id for e in entries) or "none yet"
            raise DocumentRefused(f"there is no local document {doc_id!r} (local documents: {known})")
        unlinked = tuple(e.id for e in entries if doc_id in e.supersedes)
        kept = tuple(replace(e, supersedes=tuple(s for s in e.supersedes if s != doc_id))
                     for e in entries if e.id != doc_id)
        write_registry(local, kept)
        (local / found.file).unlink(missing_ok=True)
        (local / found.original_file).unlink(missing_ok=True)
    return found, unlinked


def source_lines(corpus: Corpus, today: date | None = None) -> list[SourceLine]:
    """Every source, bundled then local, with its currency and whether its check is due."""
    today = today or date.today()
    superseded = corpus.superseded()
    out = []
    for doc in sorted(corpus.documents.values(), key=lambda d: (d.source.local, d.id)):
        s = doc.source
        try:
            due = (today - date.fromisoformat(s.checked_on)).days > STALE_AFTER_DAYS
        except ValueError:
            due = True
        out.append(SourceLine(id=s.id, title=s.title, publisher=s.publisher, date=s.date, licence=s.licence,
                              local=s.local, supersedes=s.supersedes, superseded_by=superseded.get(s.id, ()),
                              checked_on=s.checked_on, check_due=due, note=" ".join(s.currency.split())))
    return out
