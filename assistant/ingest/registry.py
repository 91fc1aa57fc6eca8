"""The local corpus folder's registry (registry.json): what each ingested document is, where it came from, and
its currency. Written only by `sharewise ingest` (and the staff page), under a lock, replaced atomically.

Folder layout (SHAREWISE_LOCAL_DIR, default <data_dir>/local, mode 0700):
  registry.json          {"format": 1, "sources": [LocalSource, ...]}
  docs/<id>.md           the text of record: what quotes are verified against, at their offsets
  originals/<id>.<ext>   the file as it was given, kept so anyone can check the text against it (its sha256 is
                         in the registry)
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import re
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path

from ..errors import CorpusError
from ..types import Source

FORMAT = 1
REGISTRY = "registry.json"
_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,79}$")


@dataclass(frozen=True)
class LocalSource:
    """One ingested document's provenance, as the registry keeps it."""

    id: str
    title: str
    publisher: str
    kind: str  # the file's kind: pdf, docx, html, markdown, text
    date: str = ""  # the edition's date, YYYY-MM-DD
    licence: str = ""
    url: str = ""
    supersedes: tuple[str, ...] = ()
    checked_on: str = ""  # YYYY-MM-DD: when someone last confirmed this is the current edition
    original_name: str = ""  # the file's base name when it was ingested
    original_sha256: str = ""
    original_bytes: int = 0
    text_sha256: str = ""  # of docs/<id>.md: a text edited outside `sharewise ingest` is refused at load
    pages: tuple[int, ...] = ()
    added_at: str = ""  # ISO time of ingest (UTC)
    added_by: str = ""  # "cli" or the staff account that uploaded it
    editorial: tuple[str, ...] = field(default_factory=tuple)

    @property
    def file(self) -> str:
        return f"docs/{self.id}.md"

    @property
    def original_file(self) -> str:
        return f"originals/{self.id}{_EXTENSIONS.get(self.kind, '')}"

    def to_json(self) -> dict:
        d = asdict(self)
        d["supersedes"], d["pages"], d["editorial"] = list(self.supersedes), list(self.pages), list(self.editorial)
        return d

    @classmethod
    def from_json(cls, data: dict) -> LocalSource:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        for name in ("supersedes", "pages", "editorial"):
            values[name] = tuple(values.get(name, ()))
        return cls(**values)

    def to_source(self) -> Source:
        edition = self.date or "date not given"
        return Source(
            id=self.id, title=self.title, kind="local guidance", publisher=self.publisher, url=self.url,
            version=f"{edition}; ingested from {self.original_name or 'a local file'} on {self.added_at[:10]}",
            licence=self.licence or "Not given when it was ingested: check reuse terms with the publisher.",
            attribution=f"{self.publisher}, {self.title}" + (f" ({self.date})" if self.date else "") + ".",
            currency="", editorial=self.editorial or _EDITORIAL.get(self.kind, ()), date=self.date,
            checked_on=self.checked_on, supersedes=self.supersedes, local=True, pages=self.pages,
            original_sha256=self.original_sha256)


_EXTENSIONS = {"pdf": ".pdf", "docx": ".docx", "html": ".html", "markdown": ".md", "text": ".txt"}
_EDITORIAL = {
    "pdf": ("The text of record was extracted from the PDF by Sharewise (pypdfium2): line wraps within a paragraph "
            "are joined and headings are marked with #; the words are the file's, in reading order.",),
    "docx": ("The text of record was extracted from the Word file by Sharewise (python-docx): headings come from "
             "the file's heading styles and are marked with #; the words are the file's.",),
    "html": ("The text of record was extracted from the web page by Sharewise: menus, headers, footers and scripts "
             "are left out, headings are marked with #; the words are the page's.",),
}


def valid_id(doc_id: str) -> bool:
    return bool(_ID.match(doc_id))


_SMALL = {"a", "an", "and", "for", "in", "of", "on", "the", "to", "with"}


def slug(title: str, year: str = "") -> str:
    """An id from a title: its words in lower case joined by hyphens (small words left out), cut at a word to at most
    48 characters, then the edition's year when it is not already there: "northmoor-safeguarding-children-2019"."""
    words = [w for w in re.findall(r"[a-z0-9]+", title.casefold()) if w not in _SMALL]
    out = ""
    for w in words:
        if len(out) + len(w) + 1 > 48:
            break
        out = f"{out}-{w}" if out else w
    out = out or (words[0][:48] if words else "document")
    return f"{out}-{year}" if year and year not in out.split("-") else out


def read_registry(local_dir: Path) -> tuple[LocalSource, ...]:
    """The registered local documents, in the order they were added (() when there is no local folder yet)."""
    path = local_dir / REGISTRY
    if not path.exists():
        return ()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("format") != FORMAT:
            raise CorpusError(f"{path} is in format {data.get('format')!r}; this Sharewise reads format {FORMAT}")
        return tuple(LocalSource.from_json(d) for d in data["sources"])
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as e:
        raise CorpusError(f"the local registry {path} cannot be read ({type(e).__name__}): restore it from a backup, "
                          "or move the local folder aside and ingest the documents again") from None


def write_registry(local_dir: Path, sources: tuple[LocalSource, ...]) -> None:
    """Replace registry.json in one step: a reader sees the old registry or the new one, never half of one."""
    data = {"format": FORMAT, "sources": [s.to_json() for s in sources]}
    write_atomic(local_dir / REGISTRY, json.dumps(data, indent=2, ensure_ascii=False).encode("utf-8"))


def write_atomic(path: Path, data: bytes) -> None:
    """Write beside the target, flush to disk, then rename over it."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


@contextlib.contextmanager
def locked(local_dir: Path) -> Iterator[None]:
    """One ingest at a time on a local folder (another waits): the registry and the index stay one story."""
    local_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    os.chmod(local_dir, 0o700)
    with open(local_dir / ".lock", "a+b") as f:
        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(f.fileno(), fcntl.LOCK_UN)
