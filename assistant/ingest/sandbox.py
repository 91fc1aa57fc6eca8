"""The one way into a local document: `extract(path)`. Cheap checks here (the path, the size, the kind from the
file's first bytes); the parsing itself in a subprocess (`assistant.ingest.worker`) with limits on memory, processor
time, file writes and wall-clock time, no network, a minimal environment and no stdin. Whatever happens in there,
the caller gets an `Extracted` or a one-line `DocumentRefused` that starts with the file's name: never a traceback,
never the worker's stderr."""

from __future__ import annotations

import json
import math
import os
import resource
import selectors
import signal
import stat
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path

from ..errors import DocumentRefused
from .extracted import KINDS, Extracted

MB = 1024 * 1024
ROOT = Path(__file__).resolve().parents[2]  # holds the assistant package, for a worker started with -I
ACCEPTED = "it reads PDF, Word .docx, HTML, Markdown (.md) and plain text (.txt) files"
STDERR_CAP = 64 * 1024  # kept only to tell a MemoryError from other failures; never shown
WALL_GRACE = 1.0  # seconds
FILE_WRITE_CAP = 1 * MB  # RLIMIT_FSIZE: the worker has no file to write
# `python -I` ignores PYTHONPATH and the working folder: the package's folder is appended to sys.path (after the
# installed packages, so nothing in it can shadow the standard library) and the worker's main() called.
_BOOT = "import sys; sys.path.append(sys.argv.pop(1)); from assistant.ingest.worker import main; sys.exit(main())"


@dataclass(frozen=True)
class Limits:
    """What one document may cost. Sizes in bytes; `max_seconds` bounds both wall-clock and processor time."""

    max_file_bytes: int = 50 * MB
    max_pages: int = 2000
    max_unpacked_bytes: int = 200 * MB  # a .docx's members, uncompressed
    max_seconds: float = 120
    max_memory_bytes: int = 2048 * MB  # address space of the worker
    max_text_chars: int = 20_000_000

    def to_json(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_json(cls, text: str) -> Limits:
        data = json.loads(text)
        return cls(**{k: data[k] for k in cls.__dataclass_fields__ if k in data})


DEFAULT_LIMITS = Limits()


def human_size(n: float) -> str:
    if n >= MB:
        return f"{n / MB:.1f}".removesuffix(".0") + " MB"
    if n >= 1024:
        return f"{n / 1024:.1f}".removesuffix(".0") + " KB"
    return f"{int(n)} bytes"


def _refuse(name: str, problem: str) -> DocumentRefused:
    return DocumentRefused(f"{name} {problem}")


def _check_file(path: Path, name: str, limits: Limits) -> bytes:
    """The file's first 8 KB, once it is known to be a readable, non-empty regular file within the size limit."""
    try:
        info = path.stat()
    except FileNotFoundError:
        raise _refuse(name, "does not exist: check the path and the file name") from None
    except PermissionError:
        raise _refuse(name, "cannot be read (permission denied): copy it somewhere you can read and try again") \
            from None
    except OSError as e:
        raise _refuse(name, f"cannot be read ({e.strerror or 'error'}): check the path") from None
    if stat.S_ISDIR(info.st_mode):
        raise _refuse(name, "is a folder, not a file: give the path of one document in it")
    if not stat.S_ISREG(info.st_mode):
        raise _refuse(name, "is not an ordinary file (a device, pipe or socket): give the path of a saved document")
    if info.st_size == 0:
        raise _refuse(name, "is empty (0 bytes): save the document again and ingest the saved copy")
    if info.st_size > limits.max_file_bytes:
        raise _refuse(name, f"is {human_size(info.st_size)}, more than the {human_size(limits.max_file_bytes)} "
                            "Sharewise reads from one file: split it into smaller files and ingest each")
    try:
        with path.open("rb") as f:
            return f.read(8192)
    except PermissionError:
        raise _refuse(name, "cannot be read (permission denied): copy it somewhere you can read and try again") \
            from None
    except OSError as e:
        raise _refuse(name, f"cannot be read ({e.strerror or 'error'}): check the path") from None


def detect_kind(path: Path, head: bytes) -> str:
    """The kind from the bytes first (PDF, zip, old Word, HTML), then for text from the extension; else refused.
    A zip is handed to the Word parser, which says so if it is not a Word file (zips are not opened here)."""
    name, suffix = path.name, path.suffix.lower()
    lead = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    lower = lead[:2048].lower()
    if lead.startswith(b"%PDF-") or (suffix == ".pdf" and b"%PDF-" in head[:1024]):
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        return "docx"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        if suffix in (".docx", ".docm") or "EncryptedPackage".encode("utf-16-le") in head:
            raise _refuse(name, "is password-protected (Word keeps an encrypted document in this form): save an "
                                "unprotected copy as .docx and ingest that")
        raise _refuse(name, "is an old binary Word (.doc) or Office file, which Sharewise does not read: open it in "
                            "Word or LibreOffice, save it as .docx and ingest that")
    if lower.startswith((b"<!doctype html", b"<html")) or (
            lower.startswith((b"<?xml", b"<!--", b"<!doctype")) and b"<html" in lower):
        return "html"
    binary = b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff"))
    if not binary:
        if suffix in (".html", ".htm", ".xhtml"):
            return "html"
        if suffix in (".md", ".markdown"):
            return "markdown"
        if suffix in (".txt", ".text"):
            return "text"
    if suffix in (".pdf", ".docx", ".docm"):
        what = "a PDF" if suffix == ".pdf" else "a Word file"
        raise _refuse(name, f"is named like {what} but its contents are not one (it may be damaged, or another "
                            "kind of file renamed): download it again or save it again from the program that made it")
    raise _refuse(name, f"is not a kind of file Sharewise reads: {ACCEPTED}; save it as one of those and ingest that")


def _rlimits(limits: Limits) -> list[tuple[int, int, int]]:
    """(resource, soft, hard) for the worker, each within the hard limit this process already has."""
    cpu = max(1, math.ceil(limits.max_seconds))
    wanted = [(resource.RLIMIT_AS, limits.max_memory_bytes, limits.max_memory_bytes),
              (resource.RLIMIT_CPU, cpu, cpu + 2),  # SIGXCPU at the soft limit, SIGKILL at the hard one
              (resource.RLIMIT_FSIZE, FILE_WRITE_CAP, FILE_WRITE_CAP),
              (resource.RLIMIT_CORE, 0, 0)]
    out = []
    for res, soft, hard in wanted:
        _, current = resource.getrlimit(res)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        out.append((res, soft, hard))
    return out


def _preexec(rlimits: list[tuple[int, int, int]]) -> Callable[[], None]:
    def apply() -> None:
        for res, soft, hard in rlimits:
            resource.setrlimit(res, (soft, hard))
    return apply


def _environment(home: str) -> dict[str, str]:
    """Only what Python needs: no proxies, no credentials, no PYTHON* variables (-I ignores them anyway)."""
    return {"PATH": os.defpath, "HOME": home, "TMPDIR": home, "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8",
            "PYTHONDONTWRITEBYTECODE": "1"}


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    proc.wait()


def _collect(proc: subprocess.Popen, deadline: float, cap: int) -> tuple[bytes, bytes, str]:
    """The worker's stdout (at most `cap` bytes) and the first STDERR_CAP bytes of its stderr, read until both
    close; "timeout" or "overflow" when it had to be killed, else ""."""
    assert proc.stdout is not None and proc.stderr is not None
    out, err = bytearray(), bytearray()
    with selectors.DefaultSelector() as sel:
        sel.register(proc.stdout, selectors.EVENT_READ, out)
        sel.register(proc.stderr, selectors.EVENT_READ, err)
        while sel.get_map():
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                _kill(proc)
                return bytes(out), bytes(err), "timeout"
            for key, _ in sel.select(timeout=remaining):
                chunk = os.read(key.fd, 65536)
                if not chunk:
                    sel.unregister(key.fileobj)
                    continue
                buffer = key.data
                if buffer is out:
                    out += chunk
                    if len(out) > cap:
                        _kill(proc)
                        return bytes(out), bytes(err), "overflow"
                elif len(err) < STDERR_CAP:
                    err += chunk[: STDERR_CAP - len(err)]
    try:
        proc.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        _kill(proc)
        return bytes(out), bytes(err), "timeout"
    return bytes(out), bytes(err), ""


def one_line(message: str, name: str) -> str:
    """A worker's message as shown: one line, starting with the file's name, not endless."""
    text = " ".join(message.split())
    if not text.startswith(name):
        text = f"{name} {text}" if text[:1].islower() else f"{name}: {text}"
    return text if len(text) <= 400 else text[:397] + "..."


def _failure(name: str, limits: Limits, returncode: int, stderr: bytes) -> DocumentRefused:
    """A worker that stopped without its JSON: say which limit stopped it, or that it failed."""
    seconds, memory = f"{limits.max_seconds:g} s", human_size(limits.max_memory_bytes)
    if returncode < 0:
        sig = -returncode
        if sig == signal.SIGXCPU:
            return _refuse(name, f"needed more than the {seconds} of processor time Sharewise allows one file: "
                                 "split it into smaller files and ingest each")
        if sig == signal.SIGKILL:
            return _refuse(name, f"was stopped by the limits on reading one file ({seconds} of processor time, "
                                 f"{memory} of memory): split it into smaller files and ingest each")
        if sig == signal.SIGXFSZ:
            return _refuse(name, "made the reader try to write a file, which is not allowed: it may be crafted to "
                                 "attack the reader; do not use it")
        return _refuse(name, f"made the reader crash ({signal.Signals(sig).name}; it may be damaged, or need more "
                             f"than the {memory} of memory allowed): download it again or save it again")
    if b"MemoryError" in stderr:
        return _refuse(name, f"needs more than the {memory} of memory Sharewise allows one file: split it into "
                             "smaller files and ingest each")
    return _refuse(name, f"could not be read (the reader stopped with exit code {returncode}): it may be damaged; "
                         "download it again or save it again from the program that made it")


def run_worker(args: Sequence[str], name: str, limits: Limits) -> dict:
    """Run the worker with `args` (before the limits) under the limits; its JSON object when it says ok, else
    DocumentRefused with its one-line message or one naming what stopped it."""
    with tempfile.TemporaryDirectory(prefix="sharewise-ingest-") as home:
        argv = [sys.executable, "-I", "-B", "-c", _BOOT, str(ROOT), *args, limits.to_json()]
        started = time.monotonic()
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                env=_environment(home), cwd=home, close_fds=True, start_new_session=True,
                                preexec_fn=_preexec(_rlimits(limits)))  # noqa: PLW1509 (no thread-unsafe work)
        try:
            # A second's grace on the wall clock: a busy worker meets its processor-time limit first (SIGXCPU),
            # one that waits (or is starved) meets this one.
            deadline = started + limits.max_seconds + WALL_GRACE
            out, err, stopped = _collect(proc, deadline, limits.max_text_chars * 4 + MB)
        finally:
            if proc.poll() is None:
                _kill(proc)
            for pipe in (proc.stdout, proc.stderr):
                if pipe is not None:
                    pipe.close()
    if stopped == "timeout":
        raise _refuse(name, f"took longer than {limits.max_seconds:g} s to read, the limit for one file: split it "
                            "into smaller files (or save it again as a simpler PDF or Word file) and try again")
    if stopped == "overflow":
        raise _refuse(name, "made the reader produce more text than Sharewise accepts from one file: split it "
                            "into smaller files and ingest each")
    try:
        payload = json.loads(out.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        payload = None
    if not isinstance(payload, dict):
        raise _failure(name, limits, proc.returncode, err)
    if not payload.get("ok"):
        raise DocumentRefused(one_line(str(payload.get("message") or "could not be read"), name))
    return payload


def _valid(extracted: Extracted, kind: str) -> bool:
    pages = extracted.pages
    return (extracted.kind == kind and (not pages or pages[0] == 0)
            and all(0 <= a <= b <= len(extracted.text) for a, b in zip(pages, pages[1:] + (len(extracted.text),))))


def extract(path: Path, limits: Limits = DEFAULT_LIMITS) -> Extracted:
    """The text of record of the PDF, Word, HTML, Markdown or text file at `path`, parsed in the sandboxed worker.
    Raises DocumentRefused (exit code 2) with one line that starts with the file's name and says what to do."""
    path = Path(path)
    name = path.name or str(path)
    head = _check_file(path, name, limits)
    kind = detect_kind(path, head)
    payload = run_worker([str(path.resolve()), kind], name, limits)
    try:
        extracted = Extracted.from_json(payload["extracted"])
    except (KeyError, TypeError, ValueError):
        extracted = None
    if extracted is None or kind not in KINDS or not _valid(extracted, kind):
        raise _refuse(name, "could not be read (the reader returned something malformed): download it again or "
                            "save it again from the program that made it")
    return extracted
