"""The sandboxed half of `sandbox.extract`: `python -m assistant.ingest.worker PATH KIND LIMITS_JSON`.

Before it imports a parser it applies the limits to itself (again: the parent set them before exec), cuts itself off
the network, forbids starting programs and opening files for writing, and points fd 1 at stderr so that nothing a
library prints can spoil its answer. Then it parses and writes one JSON object to the saved stdout:
{"ok": true, "extracted": {...}} or {"ok": false, "message": "<one line>"}. Exit status 0 either way.

Test hooks, in place of PATH KIND: --selftest-network PORT (try to connect to 127.0.0.1:PORT and report how it was
refused), --selftest-sleep SECONDS, --selftest-spin (burn processor time), --selftest-memory (allocate until
refused) and --selftest-exit (die with a traceback on stderr and no answer), each under the same limits."""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

from ..errors import DocumentRefused
from .extracted import Extracted
from .sandbox import Limits, human_size, one_line

_BLOCKED_EVENTS = ("socket.__new__", "socket.connect", "socket.bind", "socket.getaddrinfo", "socket.gethostbyname",
                   "socket.sendto", "socket.sendmsg", "urllib.Request", "subprocess.Popen", "os.system", "os.exec",
                   "os.posix_spawn", "os.spawn", "os.fork", "os.forkpty", "pty.spawn")
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


class SandboxViolation(OSError):
    """What the worker raises when a parser (or a file crafted to steer one) reaches for the network, a program
    or a file to write."""


def _apply_limits(limits: Limits) -> None:
    cpu = max(1, int(limits.max_seconds + 0.999))
    for res, soft, hard in ((resource.RLIMIT_AS, limits.max_memory_bytes, limits.max_memory_bytes),
                            (resource.RLIMIT_CPU, cpu, cpu + 2), (resource.RLIMIT_CORE, 0, 0)):
        _, current = resource.getrlimit(res)
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        try:
            resource.setrlimit(res, (min(soft, hard), hard))
        except (ValueError, OSError):
            pass  # already lower: the parent's limits stand


def _audit(event: str, args: tuple) -> None:
    if event in _BLOCKED_EVENTS:
        raise SandboxViolation(f"{event} is not allowed while reading a document")
    if event == "open" and len(args) >= 3 and not isinstance(args[0], int):  # an int: a descriptor already open
        mode, flags = args[1], args[2]
        writing = (isinstance(mode, str) and any(c in mode for c in "wax+")) or (
            mode is None and isinstance(flags, int) and flags & _WRITE_FLAGS)
        if writing and args[0] not in ("/dev/null",):
            raise SandboxViolation("opening a file for writing is not allowed while reading a document")


def disable_network() -> None:
    """Replace the socket module's ways out with ones that raise, and add an audit hook that refuses any socket
    (also one made with _socket directly), any program started and any file opened for writing."""
    import socket

    def refuse(*_args: object, **_kwargs: object) -> None:
        raise SandboxViolation("network access is disabled while reading a document")

    class NoSocket(socket.socket):
        def __init__(self, *_args: object, **_kwargs: object) -> None:
            refuse()

    socket.socket = NoSocket  # type: ignore[misc]  # a class still, so that modules subclassing it import
    socket.create_connection = refuse  # type: ignore[assignment]
    socket.getaddrinfo = refuse  # type: ignore[assignment]
    socket.gethostbyname = refuse  # type: ignore[assignment]
    socket.socketpair = refuse  # type: ignore[assignment]
    socket.fromfd = refuse  # type: ignore[assignment]
    sys.addaudithook(_audit)


def _parse(path: Path, kind: str, limits: Limits) -> Extracted:
    if path.stat().st_size > limits.max_file_bytes:  # it may have grown since the parent looked
        raise DocumentRefused(f"{path.name} is more than {human_size(limits.max_file_bytes)}: split it into "
                              "smaller files and ingest each")
    if kind == "pdf":
        from .parse_pdf import parse_pdf

        return parse_pdf(path, limits)
    if kind == "docx":
        from .parse_docx import parse_docx

        return parse_docx(path, limits)
    if kind == "html":
        from .parse_html import parse_html

        return parse_html(path, limits)
    if kind in ("markdown", "text"):
        from .parse_text import parse_text

        return parse_text(path, limits, markdown=kind == "markdown")
    raise DocumentRefused(f"{path.name} is of an unknown kind ({kind}): Sharewise reads PDF, Word .docx, HTML, "
                          "Markdown and plain text files")


def _selftest(hook: str, arg: str, limits: Limits) -> dict:
    if hook == "--selftest-network":
        import _socket
        import socket

        report = {}
        for label, attempt in (("create_connection", lambda: socket.create_connection(("127.0.0.1", int(arg)), 2)),
                               ("raw_socket", lambda: _socket.socket().connect(("127.0.0.1", int(arg))))):
            try:
                attempt()
                report[label] = "connected"
            except OSError as e:
                report[label] = f"refused: {e}"
        return {"ok": True, "network": report}
    if hook == "--selftest-sleep":
        time.sleep(float(arg))
    elif hook == "--selftest-spin":
        end = time.monotonic() + 3600
        while time.monotonic() < end:
            pass
    elif hook == "--selftest-exit":
        os.write(2, b"Traceback (most recent call last):\n  File \"secret/path.py\"\nRuntimeError: boom\n")
        os._exit(3)
    elif hook == "--selftest-memory":
        hoard = []
        while True:
            hoard.append(bytearray(64 * 1024 * 1024))
    return {"ok": True}


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if len(argv) != 3:
        print("usage: python -m assistant.ingest.worker PATH KIND LIMITS_JSON", file=sys.stderr)
        return 64
    limits = Limits.from_json(argv[2])
    _apply_limits(limits)
    out = os.dup(1)
    os.dup2(2, 1)  # a library's stray print goes to stderr, not into the answer
    sys.stdout = sys.stderr
    disable_network()
    name = "" if argv[0].startswith("--selftest-") else Path(argv[0]).name  # the parent puts a hook's name first
    payload: dict
    try:
        if argv[0].startswith("--selftest-"):
            payload = _selftest(argv[0], argv[1], limits)
        else:
            extracted = _parse(Path(argv[0]), argv[1], limits)
            payload = {"ok": True, "extracted": extracted.to_json()}
    except DocumentRefused as e:
        payload = {"ok": False, "message": one_line(str(e), name)}
    except MemoryError:
        payload = {"ok": False, "message": f"{name} needs more than the {human_size(limits.max_memory_bytes)} of "
                                           "memory Sharewise allows one file: split it into smaller files and "
                                           "ingest each"}
    except SandboxViolation as e:
        payload = {"ok": False, "message": f"{name} made the reader try something it may not ({e}): the file may "
                                           "be crafted to attack the reader; do not use it"}
    except Exception as e:  # noqa: BLE001 - any other failure is the file's damage as far as the user can act on it
        payload = {"ok": False, "message": f"{name} could not be read ({type(e).__name__}): it may be damaged; "
                                           "download it again or save it again from the program that made it"}
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8", "surrogatepass")
    with os.fdopen(out, "wb") as stdout:
        stdout.write(data)
    return 0


if __name__ == "__main__":
    sys.exit(main())
