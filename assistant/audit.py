"""The audit trail: every answer recorded, redacted, hash-chained, retained only as long as needed.

SQLite in WAL mode under SHAREWISE_DATA_DIR. Each record keeps its content (deletable at the end of
the retention period) and a digest of it; the chain links digests, so a purge leaves it verifiable.
A checkpoint (count and head hash, signed with a key kept beside the database) catches truncation.

Checkpoint rules (audit.checkpoint.json, HMAC-SHA256 with audit.key):
- It is written before a brand-new store's first record (count 0, genesis head), and advanced only after a
  record commits, never backwards. So it may lag the store (a writer killed between its commit and its
  checkpoint) but never runs ahead of it, and a store that holds records always has one.
- It is wrong, and `verify` names why, when it is damaged (not JSON, keys or types missing), missing while the
  store holds records, signed with another key (forged or the key changed), counts more records than the store
  holds (the newest were removed), or the record at its count does not have its head hash.
- The writer checks it inside the write transaction, before inserting: when it is wrong the write is refused
  with AuditError (the answer is not shown) and nothing is written, so the evidence stays for `verify`.
  The writer never overwrites a checkpoint it cannot read and trust.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import os
import secrets
import sqlite3
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

from .errors import SharewiseError
from .pii import redact
from .types import Turn

MIGRATIONS = [
    """CREATE TABLE audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, kind TEXT NOT NULL, session TEXT NOT NULL,
           content TEXT, digest TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, purged INTEGER DEFAULT 0);
       CREATE TABLE reviews (id INTEGER PRIMARY KEY, audit_seq INTEGER NOT NULL, ts TEXT NOT NULL, state TEXT NOT NULL,
           comment TEXT NOT NULL DEFAULT '', corrected_question TEXT, gold_spans TEXT);
       CREATE TABLE feedback (id INTEGER PRIMARY KEY, audit_seq INTEGER NOT NULL, ts TEXT NOT NULL,
           liked INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '');
       CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);""",
]
GENESIS = "0" * 64
KINDS = ("answer", "recheck", "record", "review", "feedback", "export", "purge", "view")


class AuditError(SharewiseError):
    """The audit trail could not be written: the answer must not be shown (fail closed)."""

    exit_code = 7


def _refusal(problem: str) -> str:
    return (f"the audit trail's checkpoint is damaged, missing or forged ({problem}), so Sharewise will not "
            "overwrite it and the answer is not shown: run `sharewise audit verify` and tell whoever "
            "runs Sharewise")


def _hash_at(db: sqlite3.Connection, seq: int) -> str | None:
    row = db.execute("SELECT hash FROM audit WHERE seq=?", (seq,)).fetchone()
    return row[0] if row else None


@dataclass(frozen=True)
class Problem:
    seq: int
    what: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _link(prev: str, seq: int, ts: str, kind: str, session: str, digest: str) -> str:
    return _sha(f"{prev}|{seq}|{ts}|{kind}|{session}|{digest}")


class AuditStore:
    def __init__(self, data_dir: Path, retention_days: int = 180, busy_ms: int = 5000):
        self.dir = Path(data_dir)
        self.path = self.dir / "audit.sqlite3"
        self.retention_days = retention_days
        self.busy_ms = busy_ms
        try:
            self.dir.mkdir(parents=True, exist_ok=True)
            os.chmod(self.dir, 0o700)
            self._key = self._load_key()
            with self._connect() as db:
                self._migrate(db)
            os.chmod(self.path, 0o600)
        except (OSError, sqlite3.Error) as e:
            raise AuditError(f"the audit store in {self.dir} cannot be opened ({e}); Sharewise will not answer "
                             "without it. Check the folder is writable (SHAREWISE_DATA_DIR)") from None

    # ---- plumbing ---------------------------------------------------------------------------
    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.busy_ms / 1000, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA busy_timeout={self.busy_ms}")
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        version = db.execute("PRAGMA user_version").fetchone()[0]
        for n, script in enumerate(MIGRATIONS[version:], start=version + 1):
            db.executescript("BEGIN;" + script + f"; PRAGMA user_version={n}; COMMIT;")

    def _load_key(self) -> bytes:
        key_path = self.dir / "audit.key"
        if not key_path.exists():
            fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
        return bytes.fromhex(key_path.read_text().strip())

    def _checkpoint_path(self) -> Path:
        return self.dir / "audit.checkpoint.json"

    def _checkpoint_lock(self) -> IO[str]:
        import fcntl

        lock = open(self.dir / "audit.checkpoint.lock", "w")
        fcntl.flock(lock, fcntl.LOCK_EX)
        return lock  # closing it releases the lock

    def _read_checkpoint(self) -> tuple[int, str] | str | None:
        """The signed (count, head); None if there is no checkpoint file; a sentence naming the damage otherwise."""
        try:
            text = self._checkpoint_path().read_bytes()
        except FileNotFoundError:
            return None
        except OSError as e:
            return f"the checkpoint cannot be read ({type(e).__name__}: {e})"
        try:
            cp = json.loads(text)
        except (ValueError, RecursionError):
            return "the checkpoint is damaged (not valid JSON)"
        if not isinstance(cp, dict) or not isinstance(cp.get("body"), str) or not isinstance(cp.get("mac"), str):
            return "the checkpoint is damaged (its body or signature is missing)"
        body_bytes, mac_bytes = (cp[k].encode("utf-8", "surrogatepass") for k in ("body", "mac"))
        if not hmac.compare_digest(hmac.new(self._key, body_bytes, hashlib.sha256).hexdigest().encode(), mac_bytes):
            return "the checkpoint's signature does not match (forged or the key changed)"
        try:
            body = json.loads(cp["body"])
        except (ValueError, RecursionError):
            return "the checkpoint is damaged (its body is not valid JSON)"
        count, head = (body.get("count"), body.get("head")) if isinstance(body, dict) else (None, None)
        if not isinstance(count, int) or isinstance(count, bool) or count < 0 or not isinstance(head, str):
            return "the checkpoint is damaged (its count or head is missing or malformed)"
        return count, head

    def _checkpoint_problem(self, checkpoint: tuple[int, str] | str | None, records: int,
                            hash_at: Callable[[int], str | None]) -> str | None:
        """Why the checkpoint does not fit a store holding `records` records (hash_at(seq): that record's hash)."""
        if isinstance(checkpoint, str):
            return checkpoint
        if checkpoint is None:
            return f"the checkpoint is missing but the store holds {records} records" if records else None
        count, head = checkpoint
        if count > records:
            return f"the newest records were removed: the checkpoint counts {count}, the store holds {records}"
        if (hash_at(count) if count else GENESIS) != head:
            return (f"record {count} does not have the checkpoint's head hash (the checkpoint counts {count}): "
                    "the checkpoint or the records were altered")
        return None  # the checkpoint may lag: records committed after it are checked by the chain

    def _advance_checkpoint(self, count: int, head: str) -> None:
        with self._checkpoint_lock():
            current = self._read_checkpoint()
            if current is None:  # it existed when this write checked it (or was created then): now deleted
                current = f"the checkpoint is missing but the store holds {count} records"
            if isinstance(current, str):  # damaged, forged or deleted since this write checked it: keep the evidence
                raise AuditError(_refusal(current))
            if count > current[0]:
                self._write_checkpoint(count, head)

    def _write_checkpoint(self, count: int, head: str) -> None:
        body = json.dumps({"count": count, "head": head})
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        tmp = self._checkpoint_path().with_suffix(".tmp")
        tmp.write_text(json.dumps({"body": body, "mac": mac}))
        os.replace(tmp, self._checkpoint_path())

    # ---- writing ----------------------------------------------------------------------------
    def append(self, kind: str, content: dict, session: str = "") -> int:
        """Add a record (callers redact first: record_turn, review, feedback). Fails closed with AuditError."""
        if kind not in KINDS:
            raise ValueError(kind)
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        digest = _sha(text)
        try:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                seq, prev = (row[0] + 1, row[1]) if row else (1, GENESIS)
                # Under the write lock, before inserting: a refused write leaves the store as it was.
                checkpoint = self._read_checkpoint()
                records = db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
                problem = self._checkpoint_problem(checkpoint, records, lambda n: _hash_at(db, n))
                if problem:
                    raise AuditError(_refusal(problem))
                if checkpoint is None:  # a brand-new store: sign its empty state before the first record
                    with self._checkpoint_lock():
                        if self._read_checkpoint() is None:
                            self._write_checkpoint(0, GENESIS)
                ts = _now()
                h = _link(prev, seq, ts, kind, session, digest)
                db.execute("INSERT INTO audit (seq, ts, kind, session, content, digest, prev, hash) "
                           "VALUES (?,?,?,?,?,?,?,?)", (seq, ts, kind, session, text, digest, prev, h))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            finally:
                db.close()
            # After the commit, never before: a checkpoint may lag the store but never runs ahead of it,
            # so a writer killed mid-write cannot make a complete trail look truncated.
            self._advance_checkpoint(seq, h)
        except (sqlite3.Error, OSError) as e:
            raise AuditError(f"the answer could not be recorded in the audit trail ({type(e).__name__}: {e}), so "
                             "it is not shown. Tell whoever runs Sharewise (disk full, read-only or locked store)"
                             ) from None
        return seq

    def record_turn(self, session: str, turn: Turn, manifest_hash: str, version: str,
                    answer_seq: int | None = None) -> int:
        """A turn as the audit keeps it: the redacted question, the practitioner's edits, the facts in force,
        the flags with their rules, the emergency banner and the quotes (offsets and hashes, not text).
        An answer is kind "answer"; a re-check after an edit is kind "recheck" and names its answer."""
        d = turn.determination
        content: dict = {
            "question": redact(turn.question),
            "grounded": turn.answer.grounded,
            "edits": turn.edits.to_json(),
            "facts": {k: v.get("value") for k, v in turn.facts.to_json().items()},
            "flags": {f.name: {"status": f.status, "rule_ids": list(f.rule_ids)} for f in d.flags},
            "emergency": d.emergency is not None,
            "rules_fired": list(d.rules_fired),
            "quotes": [{"doc_id": q.doc_id, "section": q.section, "start": q.start, "end": q.end,
                        "sha256": _sha(q.text)} for q in turn.answer.quotes],
            "index_manifest_sha256": manifest_hash, "version": version,
            "timings_ms": {k: round(v, 2) for k, v in turn.answer.timings_ms.items()},
        }
        if turn.kind == "recheck":
            content["answer_seq"] = answer_seq
            return self.append("recheck", content, session)
        return self.append("answer", content, session)

    # ---- reading and checking -----------------------------------------------------------------
    def rows(self, kind: str | None = None, since: str | None = None, until: str | None = None) -> list[dict]:
        q, args = "SELECT seq, ts, kind, session, content, purged FROM audit WHERE 1=1", list[str]()
        if kind:
            q, args = q + " AND kind=?", args + [kind]
        if since:
            q, args = q + " AND ts>=?", args + [since]
        if until:
            q, args = q + " AND ts<=?", args + [until]
        with self._connect() as db:
            out = db.execute(q + " ORDER BY seq", args).fetchall()
        return [{"seq": s, "ts": t, "kind": k, "session": ses, "content": json.loads(c) if c else None,
                 "purged": bool(p)} for s, t, k, ses, c, p in out]

    def verify(self) -> list[Problem]:
        """Every problem found, first first: edited, deleted, reordered or truncated records, and a checkpoint
        that is damaged, missing, forged, ahead of the store or not matching the record at its count."""
        problems: list[Problem] = []
        checkpoint = self._read_checkpoint()  # before the records: a concurrent writer only makes it lag
        with self._connect() as db:
            rows = db.execute("SELECT seq, ts, kind, session, content, digest, prev, hash FROM audit "
                              "ORDER BY rowid").fetchall()
        prev, expect = GENESIS, 1
        for seq, ts, kind, session, content, digest, prev_stored, h in rows:
            if seq != expect:
                problems.append(Problem(expect, f"record {expect} is missing or out of order (found {seq})"))
            if content is not None and _sha(content) != digest:
                problems.append(Problem(seq, f"record {seq} was edited (its content no longer matches its digest)"))
            if prev_stored != prev or _link(prev_stored, seq, ts, kind, session, digest) != h:
                problems.append(Problem(seq, f"record {seq} does not chain to the one before it"))
            prev, expect = h, seq + 1
        hashes = {r[0]: r[7] for r in rows}
        problem = self._checkpoint_problem(checkpoint, len(rows), hashes.get)
        if problem:
            problems.append(Problem(len(rows) + 1 if problem.startswith("the newest") else len(rows), problem))
        return sorted(problems, key=lambda p: p.seq)

    # ---- retention ------------------------------------------------------------------------------
    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete the content of records older than the retention period; digests and chain stay."""
        now = now or dt.datetime.now(dt.UTC)
        cutoff = (now - dt.timedelta(days=self.retention_days)).isoformat(timespec="microseconds")
        with self._connect() as db:
            n = db.execute("UPDATE audit SET content=NULL, purged=1 "
                           "WHERE ts<? AND content IS NOT NULL AND kind!='purge'", (cutoff,)).rowcount
        self.append("purge", {"records_purged": n, "cutoff": cutoff, "retention_days": self.retention_days})
        self._set_meta("last_purge", now.isoformat(timespec="seconds"))
        return n

    def _set_meta(self, key: str, value: str) -> None:
        with self._connect() as db:
            db.execute("INSERT INTO meta (key, value) VALUES (?, ?) "
                       "ON CONFLICT(key) DO UPDATE SET value=excluded.value", (key, value))

    def _meta(self, key: str) -> str | None:
        with self._connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def mark_retention_reviewed(self) -> None:
        self._set_meta("retention_reviewed", _now())

    def status(self) -> dict:
        with self._connect() as db:
            counts = dict(db.execute("SELECT kind, COUNT(*) FROM audit GROUP BY kind").fetchall())
            oldest = db.execute("SELECT MIN(ts) FROM audit WHERE content IS NOT NULL").fetchone()[0]
        due = None
        if oldest:
            due_at = dt.datetime.fromisoformat(oldest) + dt.timedelta(days=self.retention_days)
            due = due_at.isoformat(timespec="seconds")
        return {"store": str(self.path), "records": sum(counts.values()), "by_kind": counts,
                "oldest_content": oldest, "retention_days": self.retention_days, "next_purge_due": due,
                "last_purge": self._meta("last_purge"), "retention_last_reviewed": self._meta("retention_reviewed")}


def new_session_id() -> str:
    """Pseudonymous: random, not derived from anything about the user."""
    return uuid.uuid4().hex[:16]
