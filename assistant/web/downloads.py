"""Files made for one person to download: a private folder, bound to who asked, gone after an hour.

Records, exports and evaluation reports are written under one private temporary root (mode 0700, so no other
user on the machine can read them; Gradio's own cache is kept inside it too). Each file is offered at
`/download/<random id>/<name>`, and only to the browser or login that made it: anyone else gets 404, as does
anyone after it expired. A file marked `once` is deleted when it has been downloaded. A sweep removes files older
than the time-to-live; the whole root is removed when the server stops.
"""

from __future__ import annotations

import atexit
import os
import secrets
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

TTL_S = 3600.0


def private_root(parent: Path | None = None) -> Path:
    """A fresh folder only this user can enter (0700), removed at exit."""
    root = Path(tempfile.mkdtemp(prefix="sharewise-", dir=parent))
    os.chmod(root, 0o700)
    atexit.register(shutil.rmtree, root, True)
    return root


@dataclass(frozen=True)
class Offer:
    id: str
    path: Path
    owner: str
    made: float
    once: bool


class Downloads:
    """Files offered to their owner only; thread-safe."""

    def __init__(self, root: Path, ttl_s: float = TTL_S, clock: Callable[[], float] = time.time):
        self.root, self.ttl_s, self.clock = Path(root), ttl_s, clock
        self._offers: dict[str, Offer] = {}
        self._lock = threading.Lock()

    def folder(self, kind: str) -> Path:
        """A new private folder for one set of files (records, exports, eval)."""
        (self.root / kind).mkdir(mode=0o700, parents=True, exist_ok=True)
        return Path(tempfile.mkdtemp(prefix=f"{kind}-", dir=self.root / kind))

    def offer(self, path: Path, owner: str, once: bool = False) -> str:
        """The URL path at which `owner` (and only they) can fetch the file."""
        if not owner:
            raise ValueError("a download needs an owner")
        offer = Offer(secrets.token_urlsafe(18), Path(path), owner, self.clock(), once)
        with self._lock:
            self._offers[offer.id] = offer
        return f"/download/{offer.id}/{Path(path).name}"

    def take(self, offer_id: str, owner: str) -> Offer | None:
        """The file for this owner, or None (unknown, someone else's, expired or gone)."""
        with self._lock:
            offer = self._offers.get(offer_id)
            if offer is None or not secrets.compare_digest(offer.owner, owner or ""):
                return None
            if self.clock() - offer.made > self.ttl_s or not offer.path.is_file():
                self._offers.pop(offer_id, None)
                offer.path.unlink(missing_ok=True)
                return None
            if offer.once:
                self._offers.pop(offer_id, None)
            return offer

    def sweep(self) -> int:
        """Remove expired offers and files older than the time-to-live under the root; how many files went."""
        now, gone = self.clock(), 0
        with self._lock:
            for oid in [k for k, o in self._offers.items() if now - o.made > self.ttl_s]:
                del self._offers[oid]
        for path in sorted(self.root.rglob("*"), reverse=True):
            try:
                if path.is_file() and now - path.stat().st_mtime > self.ttl_s:
                    path.unlink()
                    gone += 1
                elif path.is_dir() and path.parent != self.root and not any(path.iterdir()):
                    path.rmdir()
            except OSError:
                continue
        return gone

    def start_sweeping(self, every_s: float = 300.0) -> threading.Event:
        """A daemon thread sweeping every `every_s` seconds; set the returned event to stop it."""
        stop = threading.Event()

        def loop() -> None:
            while not stop.wait(every_s):
                self.sweep()

        threading.Thread(target=loop, name="sharewise-sweep", daemon=True).start()
        return stop
