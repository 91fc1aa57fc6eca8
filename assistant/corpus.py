"""corpus/ -> Documents with their section structure, the sources registry and the glossary."""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from .errors import CorpusError
from .types import Document, Section, Source

HEADING = re.compile(r"^(#{1,6}) (.+)$", re.MULTILINE)


@dataclass(frozen=True)
class GlossaryTerm:
    aliases: tuple[str, ...]
    expansion: str
    pattern: re.Pattern


_WS = re.compile(r"\s+")


def _plain(text: str) -> str:
    return _WS.sub(" ", text).strip().casefold()


@dataclass(frozen=True)
class CurrencyNote:
    """A registry note shown beside every quote it covers: the source or passage is superseded, not (shown to
    be) in force, or the guidance's gloss rather than the law's words. One plain sentence."""

    note: str
    section: str = ""  # a heading the passage sits under, at any level ("" = anywhere in the source)
    match: tuple[str, ...] = ()  # the quote holds one of these, case and spacing ignored (() = any quote)

    def covers(self, section: tuple[str, ...], text: str) -> bool:
        if self.section and not any(h.startswith(self.section) for h in section):
            return False
        return not self.match or any(_plain(m) in _plain(text) for m in self.match)


@dataclass(frozen=True)
class Corpus:
    documents: dict[str, Document]
    glossary: tuple[GlossaryTerm, ...]
    currency_notes: Mapping[str, tuple[CurrencyNote, ...]] = field(default_factory=dict)  # by document id

    def document(self, doc_id: str) -> Document | None:
        return self.documents.get(doc_id)

    def successors(self, doc_id: str) -> tuple[Document, ...]:
        """The sources that say they supersede this one (registry order)."""
        return tuple(d for d in self.documents.values() if doc_id in d.source.supersedes)

    def superseded(self) -> dict[str, tuple[str, ...]]:
        """Each superseded source's id -> the ids of the sources that replace it."""
        out: dict[str, tuple[str, ...]] = {}
        for doc in self.documents.values():
            for old in doc.source.supersedes:
                out[old] = out.get(old, ()) + (doc.id,)
        return out

    def currency(self, doc_id: str, section: tuple[str, ...], text: str) -> str:
        """What the registry says against this passage of this source ("" when nothing is known against it):
        its successor first, when another source supersedes it, then the passage's own notes."""
        notes = [successor_note(d) for d in self.successors(doc_id)]
        notes += [n.note for n in self.currency_notes.get(doc_id, ()) if n.covers(section, text)]
        return " ".join(dict.fromkeys(notes))

    def hashes(self) -> dict[str, str]:
        return {d.id: d.sha256 for d in self.documents.values()}


def successor_note(successor: Document) -> str:
    """The currency warning on a quote from a source that `successor` replaces."""
    s = successor.source
    when = f", {s.date}" if s.date else ""
    return f"Superseded by {s.title} ({s.publisher}{when}): check the current wording there before relying on this."


def parse_sections(text: str) -> tuple[Section, ...]:
    """Body text between headings, each with the heading path above it (document title dropped)."""
    sections: list[Section] = []
    stack: list[tuple[int, str]] = []
    heads = list(HEADING.finditer(text))
    body_start = 0
    path: tuple[str, ...] = ()
    for m in heads + [None]:
        body_end = m.start() if m else len(text)
        if text[body_start:body_end].strip():
            lead = len(text[body_start:body_end]) - len(text[body_start:body_end].lstrip())
            trail = len(text[body_start:body_end].rstrip())
            sections.append(Section(path=path, start=body_start + lead, end=body_start + trail))
        if m is None:
            break
        level = len(m.group(1))
        stack = [(lv, t) for lv, t in stack if lv < level] + [(level, m.group(2).strip())]
        path = tuple(t for lv, t in stack if lv > 1) or (m.group(2).strip(),)
        body_start = m.end() + 1
    return tuple(sections)


def _read_text(path: Path) -> str:
    try:
        raw = path.read_bytes()
    except OSError as e:
        raise CorpusError(f"cannot read corpus file {path}: {e.strerror}; restore it from git") from None
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise CorpusError(
            f"corpus file {path} is not UTF-8 (bad byte at position {e.start}); "
            "convert it to UTF-8 before indexing") from None


def load_corpus(corpus_dir: Path, local_dir: Path | None = None) -> Corpus:
    """The bundled corpus (corpus_dir, read-only) and, when local_dir is given, the documents `sharewise ingest`
    put there."""
    bundled = _load_bundled(corpus_dir)
    if local_dir is None:
        return bundled
    documents = dict(bundled.documents)
    for doc in _load_local(local_dir, set(documents)):
        documents[doc.id] = doc
    for doc in documents.values():
        unknown = [old for old in doc.source.supersedes if old not in documents]
        if unknown:
            raise CorpusError(f"source {doc.id!r} says it supersedes {', '.join(map(repr, unknown))}, which is not "
                              "in the corpus: fix it with `sharewise ingest --remove` and ingest it again")
    return Corpus(documents=documents, glossary=bundled.glossary, currency_notes=bundled.currency_notes)


def load_corpus_for(settings) -> Corpus:
    """What Sharewise answers from: the bundled corpus and the local documents of these settings."""
    return load_corpus(settings.corpus_dir, settings.local_corpus_dir)


def _load_local(local_dir: Path, taken: set[str]) -> list[Document]:
    from .ingest.registry import read_registry

    out = []
    for entry in read_registry(local_dir):
        if entry.id in taken:
            raise CorpusError(f"the local document id {entry.id!r} is also a bundled source's: remove it with "
                              f"`sharewise ingest --remove {entry.id}` and ingest it under another id")
        text = _read_text(local_dir / entry.file)
        sha = hashlib.sha256(text.encode("utf-8")).hexdigest()
        if sha != entry.text_sha256:
            raise CorpusError(f"the text of record of local document {entry.id!r} ({local_dir / entry.file}) was "
                              "changed outside `sharewise ingest`: ingest the original again, or remove it")
        out.append(Document(source=entry.to_source(), text=text, sections=parse_sections(text), sha256=sha))
        taken.add(entry.id)
    return out


def _load_bundled(corpus_dir: Path) -> Corpus:
    registry_path = corpus_dir / "sources.toml"
    try:
        registry = tomllib.loads(_read_text(registry_path))
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"{registry_path} is not valid TOML ({e}); fix it and run `sharewise index`") from None
    documents: dict[str, Document] = {}
    notes: dict[str, tuple[CurrencyNote, ...]] = {}
    for entry in registry.get("source", []):
        try:
            source = Source(
                id=entry["id"], title=entry["title"], kind=entry["kind"], publisher=entry["publisher"],
                url=entry.get("url", ""), version=entry["version"], licence=entry["licence"],
                attribution=entry["attribution"], currency=entry.get("currency", ""),
                editorial=tuple(entry.get("editorial", ())),
                section_urls=tuple(entry.get("section_urls", {}).items()),
                date=str(entry.get("date", "")), checked_on=str(entry.get("checked_on", "")),
                supersedes=tuple(entry.get("supersedes", ())))
            file = corpus_dir / entry["file"]
        except KeyError as e:
            raise CorpusError(f"{registry_path}: source {entry.get('id', '?')!r} lacks the field {e}") from None
        if source.id in documents:
            raise CorpusError(f"{registry_path}: source id {source.id!r} is used twice")
        notes[source.id] = _currency_notes(registry_path, source.id, entry.get("currency_notes", []))
        text = _read_text(file)
        documents[source.id] = Document(
            source=source, text=text, sections=parse_sections(text),
            sha256=hashlib.sha256(text.encode("utf-8")).hexdigest())
    if not documents:
        raise CorpusError(f"{registry_path} lists no [[source]] documents")
    return Corpus(documents=documents, glossary=load_glossary(corpus_dir / "glossary.toml"), currency_notes=notes)


def _currency_notes(registry_path: Path, source_id: str, entries: object) -> tuple[CurrencyNote, ...]:
    """[[source.currency_notes]]: note (one sentence), optional section (a heading) and match (text or list)."""
    where = f"{registry_path}: source {source_id!r}, [[source.currency_notes]]"
    if not isinstance(entries, list):
        raise CorpusError(f"{where} must be a list of tables with a note and an optional section and match")
    out = []
    for n, entry in enumerate(entries, start=1):
        if not isinstance(entry, dict):
            raise CorpusError(f"{where} entry {n} is not a table")
        unknown = sorted(set(entry) - {"note", "section", "match"})
        if unknown:
            raise CorpusError(f"{where} entry {n} has unknown field(s) {', '.join(unknown)}: use note, section, match")
        note, section, match = entry.get("note"), entry.get("section", ""), entry.get("match", ())
        match = (match,) if isinstance(match, str) else match
        if not isinstance(note, str) or not note.strip():
            raise CorpusError(f"{where} entry {n} needs a note: the sentence shown beside the quote")
        if not isinstance(section, str) or not isinstance(match, list | tuple) or \
                not all(isinstance(m, str) and m.strip() for m in match):
            raise CorpusError(f"{where} entry {n}: section must be text and match text or a list of texts")
        out.append(CurrencyNote(note=note.strip(), section=section, match=tuple(match)))
    return tuple(out)


def load_glossary(path: Path) -> tuple[GlossaryTerm, ...]:
    if not path.exists():
        return ()
    try:
        data = tomllib.loads(_read_text(path))
    except tomllib.TOMLDecodeError as e:
        raise CorpusError(f"{path} is not valid TOML ({e})") from None
    terms = []
    for t in data.get("term", []):
        aliases = tuple(t["aliases"])
        alt = "|".join(re.escape(a) for a in sorted(aliases, key=len, reverse=True))
        terms.append(GlossaryTerm(aliases, t["expansion"], re.compile(rf"(?<!\w)(?:{alt})(?!\w)", re.IGNORECASE)))
    return tuple(terms)


def expand_query(question: str, glossary: tuple[GlossaryTerm, ...]) -> tuple[str, tuple[str, ...]]:
    """Append the guidance's own terms for any practitioner alias found (deterministic)."""
    found = [t for t in glossary if t.pattern.search(question)]
    if not found:
        return question, ()
    expansions = tuple(t.expansion for t in found)
    return question + " (" + "; ".join(expansions) + ")", expansions


def section_url(doc: Document, section: tuple[str, ...]) -> str:
    """The legislation.gov.uk address of a provision, where the registry knows it."""
    label = section[-1] if section else ""
    for prefix, url in doc.source.section_urls:
        if label.startswith(prefix):
            m = re.match(re.escape(prefix) + r"\s*(\w+)", label)
            return url.replace("{n}", m.group(1)) if "{n}" in url and m else url
    return doc.source.url
