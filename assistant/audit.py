"""The audit trail: every answer recorded, redacted, hash-chained, retained only as long as needed.

SQLite in WAL mode under SHAREWISE_DATA_DIR, in a folder only its owner can open (the store refuses a folder
that group or others can read; a folder it creates itself is created 0700). Each record keeps its content
(deletable at the end of the retention period) and a SHA-256 digest of it; each record's link is an
HMAC-SHA256, with the key kept beside the database (audit.key), over the previous link and the record's
number, time, kind, session and digest. So a purge leaves the chain verifiable, and someone who can write
the database but not read the key cannot edit a record and re-link the chain after it.

Everything the guardian decides lives in chained records and nowhere else: reviews (kind "review": the
answer's seq, state, comment, gold spans), feedback ("feedback": seq, liked, comment), retention reviews
("retention_review") and purges ("purge", with the cutoff). `assistant.review` reads the queue and the
exports from them, and `status` reads the last purge and retention review from them; a record whose digest
or link does not match is not believed. There are no side tables to edit (format 1 had them).

Missing content is allowed only under a purge: a record without content (or marked purged) must be older
than the cutoff of a later purge record, otherwise `verify` names it.

Checkpoint rules (audit.checkpoint.json, HMAC-SHA256 with audit.key):
- It is written before a brand-new store's first record (count 0, genesis head), and advanced only after a
  record commits, never backwards. So it may lag the store (a writer killed between its commit and its
  checkpoint) but never runs ahead of it, and a store that holds records always has one.
- It is wrong, and `verify` names why, when it is damaged (not JSON, keys or types missing), missing while the
  store holds records, signed with another key (forged or the key changed), counts more records than the store
  holds (the newest were removed), or the record at its count does not have its head hash.
- The writer checks it inside the write transaction, before inserting, and checks that the records after it
  (the tail, usually none or one) chain from its head: when either is wrong the write is refused with
  AuditError (the answer is not shown) and nothing is written, so the evidence stays for `verify`.
  The writer never overwrites a checkpoint it cannot read and trust.

The witness (`witness()`, `sharewise audit witness`): one line of JSON (count, head hash, UTC time, store
format, and an HMAC over those) for the data protection officer to keep outside the store. `verify` given
witness lines checks that the trail only grew since each: it holds at least `count` records and record `count`
has that hash. That catches even someone holding the key who rewrites and re-links earlier records.

Store format (PRAGMA user_version): 2, described here. Format 1 (plain SHA-256 links, and `reviews`,
`feedback` and `meta` side tables) is verified under its own rules when opened and, only if it verifies,
migrated in one transaction: re-linked with HMAC, side-table rows with no chained equivalent carried into the
chain (gold spans that format 1 kept only in the table are carried in the "migrate" record), the side tables
dropped, a "migrate" record appended and the checkpoint rewritten.
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
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from .errors import SharewiseError
from .pii import redact
from .types import Turn

FORMAT = 2  # the store format, kept in PRAGMA user_version, the checkpoint, the witness and "migrate" records
SCHEMA = ("CREATE TABLE audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, kind TEXT NOT NULL, session TEXT NOT NULL, "
          "content TEXT, digest TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, purged INTEGER DEFAULT 0)")
GENESIS = "0" * 64
KINDS = ("answer", "recheck", "record", "review", "feedback", "export", "purge", "view", "login", "login_failed",
         "logout", "queue", "eval", "retention_review", "migrate", "ingest", "ingest_remove")
_COLUMNS = "seq, ts, kind, session, content, digest, prev, hash, purged"
Row = tuple[Any, ...]  # one audit row, in _COLUMNS order


class AuditError(SharewiseError):
    """The audit trail could not be written: the answer must not be shown (fail closed)."""

    exit_code = 7


def _refusal(problem: str) -> str:
    return (f"the audit trail's checkpoint is damaged, missing or forged ({problem}), so Sharewise will not "
            "overwrite it and the answer is not shown: run `sharewise audit verify` and tell whoever "
            "runs Sharewise")


def _tail_refusal(problem: str) -> str:
    return (f"the audit trail was altered after its last checkpoint ({problem}), so Sharewise will not add to "
            "it and the answer is not shown: run `sharewise audit verify` and tell whoever runs Sharewise")


@dataclass(frozen=True)
class Problem:
    seq: int
    what: str


def _now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")


def _sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _mac(key: bytes, text: str) -> str:
    return hmac.new(key, text.encode("utf-8", "surrogatepass"), hashlib.sha256).hexdigest()


def _link(key: bytes, prev: str, seq: int, ts: str, kind: str, session: str, digest: str) -> str:
    """Format 2: the keyed link."""
    return _mac(key, f"{prev}|{seq}|{ts}|{kind}|{session}|{digest}")


def _link_v1(prev: str, seq: int, ts: str, kind: str, session: str, digest: str) -> str:
    """Format 1: the plain SHA-256 link, only to verify a store before migrating it."""
    return _sha(f"{prev}|{seq}|{ts}|{kind}|{session}|{digest}")


def _chain_problems(rows: Iterable[Row], link: Callable[..., str], first_seq: int = 1,
                    prev: str = GENESIS) -> list[Problem]:
    """Records out of order or missing, edited (content against digest) or not chaining (link)."""
    problems, expect = [], first_seq
    for seq, ts, kind, session, content, digest, prev_stored, h, _purged in rows:
        if seq != expect:
            problems.append(Problem(expect, f"record {expect} is missing or out of order (found {seq})"))
        if content is not None and _sha(content) != digest:
            problems.append(Problem(seq, f"record {seq} was edited (its content no longer matches its digest)"))
        if prev_stored != prev or link(prev_stored, seq, ts, kind, session, digest) != h:
            problems.append(Problem(seq, f"record {seq} does not chain to the one before it"))
        prev, expect = h, seq + 1
    return problems


def _side_table(db: sqlite3.Connection, table: str, fields: tuple[str, ...]) -> list[dict]:
    """A format-1 reviews or feedback table: each row as its chained record would say it."""
    extra = ", gold_spans" if table == "reviews" else ""
    out = []
    for audit_seq, ts, *values in db.execute(f"SELECT audit_seq, ts, {', '.join(fields)}{extra} FROM {table} "
                                             "ORDER BY id"):
        content: dict[str, Any] = {"seq": audit_seq}
        for f, v in zip(fields, values, strict=False):
            content[f] = bool(v) if f == "liked" else v
        if extra:
            spans = _loads(values[-1])
            content["gold_spans"] = spans if isinstance(spans, list) else []
        out.append({"seq": audit_seq, "ts": ts, "content": content, "gold_spans": content.get("gold_spans", []),
                    "key": (audit_seq, *(content[f] for f in fields))})
    return out


def _loads(text: str | None) -> Any:
    try:
        return json.loads(text) if text is not None else None
    except (ValueError, RecursionError):
        return None


class AuditStore:
    def __init__(self, data_dir: Path, retention_days: int = 180, busy_ms: int = 5000):
        self.dir = Path(data_dir)
        self.path = self.dir / "audit.sqlite3"
        self.retention_days = retention_days
        self.busy_ms = busy_ms
        try:
            self._private_folder()
            self._key = self._load_key()
            db = self._connect()
            try:
                self._migrate(db)
            finally:
                db.close()
            os.chmod(self.path, 0o600)
        except (OSError, sqlite3.Error) as e:
            raise AuditError(f"the audit store in {self.dir} cannot be opened ({e}); Sharewise will not answer "
                             "without it. Check the folder is writable (SHAREWISE_DATA_DIR)") from None

    # ---- plumbing ---------------------------------------------------------------------------
    def _private_folder(self) -> None:
        """Create the folder 0700, or accept an existing one only if group and others have no access to it."""
        try:
            self.dir.mkdir(parents=True, mode=0o700)
            os.chmod(self.dir, 0o700)  # ours: the umask may have taken the owner's bits too
            return
        except FileExistsError:
            pass
        if not self.dir.is_dir():
            raise NotADirectoryError(f"{self.dir} is not a folder")
        mode = self.dir.stat().st_mode & 0o777
        if mode & 0o077:
            raise AuditError(f"the audit folder {self.dir} can be opened by other users (mode {mode:o}), so "
                             "Sharewise will not keep its audit trail there and will not answer: make it private "
                             f"with `chmod 700 {self.dir}` (or set SHAREWISE_DATA_DIR to a private folder)")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=self.busy_ms / 1000, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute(f"PRAGMA busy_timeout={self.busy_ms}")
        db.execute("PRAGMA secure_delete=ON")  # purged content and dropped tables are overwritten, not left free
        return db

    def _migrate(self, db: sqlite3.Connection) -> None:
        if db.execute("PRAGMA user_version").fetchone()[0] == FORMAT:
            return  # the usual case: no write lock taken just to open
        db.execute("BEGIN IMMEDIATE")  # one opener at a time creates or migrates (and re-reads the version)
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            head: tuple[int, str] | None = None
            if version == 0:
                db.execute(SCHEMA)
                db.execute(f"PRAGMA user_version={FORMAT}")
            elif version == 1:
                head = self._migrate_v1(db)
            elif version != FORMAT:
                raise AuditError(f"the audit store in {self.dir} has format {version}, newer than this Sharewise "
                                 f"reads ({FORMAT}): run the Sharewise that wrote it")
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise
        if head is not None:
            with self._checkpoint_lock():
                current = self._read_checkpoint()
                if not (isinstance(current, tuple) and current[0] > head[0]):  # a writer may have advanced it
                    self._write_checkpoint(*head)
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # the dropped side tables leave the WAL too

    def _migrate_v1(self, db: sqlite3.Connection) -> tuple[int, str]:
        """Format 1 to 2, inside the caller's write transaction; the new (count, head) for the checkpoint."""
        rows = db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY rowid").fetchall()
        checkpoint = self._read_checkpoint()
        problems = _chain_problems(rows, _link_v1)
        cp_problem = self._checkpoint_problem(checkpoint, len(rows), lambda n: rows[n - 1][7] if n <= len(rows)
                                              else None)
        if problems or cp_problem:
            first = problems[0].what if problems else cp_problem
            raise AuditError(f"the audit store in {self.dir} is in the old format (1) and does not verify under "
                             f"its own rules ({first}), so Sharewise will not migrate it and will not answer: keep a "
                             "copy of the folder as evidence and tell whoever runs Sharewise")
        prev = GENESIS
        for seq, ts, kind, session, _content, digest, _prev, _h, _purged in rows:
            h = _link(self._key, prev, seq, ts, kind, session, digest)
            db.execute("UPDATE audit SET prev=?, hash=? WHERE seq=?", (prev, h, seq))
            prev = h
        cutoffs = [c["cutoff"] for c in (_loads(r[4]) for r in rows if r[2] == "purge")
                   if isinstance(c, dict) and isinstance(c.get("cutoff"), str)]
        gold: dict[str, list] = {}
        carried: list[tuple[str, dict]] = []
        skipped = {"superseded": 0, "past_retention": 0}
        for kind, table, fields in (("review", "reviews", ("state", "comment")),
                                    ("feedback", "feedback", ("liked", "comment"))):
            said = _side_table(db, table, fields)
            chained = {r[0]: c for r in rows if r[2] == kind and isinstance(c := _loads(r[4]), dict)}
            matched: dict[int, int] = {}  # table row index -> the chained record saying the same
            for rec_seq, c in chained.items():  # each to the earliest unmatched row (concurrent writers interleave)
                key = (c.get("seq"), *(c.get(f) for f in fields))
                i = next((i for i, t in enumerate(said) if i not in matched and t["key"] == key), None)
                if i is not None:
                    matched[i] = rec_seq
                    if kind == "review" and "gold_spans" not in c:  # format 1 kept them only in the table
                        gold[str(rec_seq)] = said[i]["gold_spans"]
            last_matched: dict[int, int] = {}
            for i in matched:
                last_matched[said[i]["seq"]] = max(i, last_matched.get(said[i]["seq"], -1))
            for i, t in enumerate(said):  # rows whose chained record was never written (the append failed)
                if i in matched:
                    continue
                if cutoffs and t["ts"] < max(cutoffs):  # past retention: format 1 forgot to purge the tables
                    skipped["past_retention"] += 1
                elif last_matched.get(t["seq"], -1) > i:  # a later, chained decision on the same answer stands
                    skipped["superseded"] += 1
                else:
                    carried.append((kind, {**t["content"], "migrated_from": f"the {table} table (not chained in "
                                           "format 1)", "table_ts": t["ts"]}))
        reviewed = db.execute("SELECT value FROM meta WHERE key='retention_reviewed'").fetchone()
        if reviewed:
            carried.append(("retention_review", {"reviewed_at": reviewed[0], "migrated_from": "the meta table"}))
        seq, head = len(rows), prev
        for kind, content in carried:
            seq += 1
            head = self._insert(db, seq, head, kind, content, "")
        seq += 1
        head = self._insert(db, seq, head, "migrate", {
            "from_format": 1, "to_format": FORMAT, "records_relinked": len(rows),
            "v1_head": [len(rows), rows[-1][7] if rows else GENESIS],
            "v1_checkpoint": list(checkpoint) if isinstance(checkpoint, tuple) else None,
            "review_gold_spans": gold, "carried": {k: sum(1 for c in carried if c[0] == k)
                                                   for k in ("review", "feedback", "retention_review")},
            "not_carried": skipped}, "")
        for table in ("reviews", "feedback", "meta"):
            db.execute(f"DROP TABLE {table}")
        db.execute(f"PRAGMA user_version={FORMAT}")
        return seq, head

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
        """Why the checkpoint does not fit a store holding `records` records (hash_at(n): the hash of record n)."""
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

    def _migrated_checkpoint(self, checkpoint: tuple[int, str] | str | None, last: Row | None) -> bool:
        """A format-1 checkpoint left by a migration killed before it rewrote the checkpoint: it is exactly the
        one the last record (kind "migrate", chained and intact) says it replaced."""
        if last is None or last[2] != "migrate" or not self._intact(last):
            return False
        c = _loads(last[4])
        was = c.get("v1_checkpoint") if isinstance(c, dict) else None
        return (list(checkpoint) if isinstance(checkpoint, tuple) else checkpoint) == was

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
        body = json.dumps({"count": count, "head": head, "format": FORMAT})
        mac = hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()
        tmp = self._checkpoint_path().with_suffix(".tmp")
        tmp.write_text(json.dumps({"body": body, "mac": mac}))
        os.replace(tmp, self._checkpoint_path())

    def _intact(self, row: Row) -> bool:
        """The record on its own: content (if any) matches its digest, and its keyed link is right."""
        seq, ts, kind, session, content, digest, prev, h, _purged = row
        return (content is None or _sha(content) == digest) and hmac.compare_digest(
            _link(self._key, prev, seq, ts, kind, session, digest), h)

    # ---- writing ----------------------------------------------------------------------------
    def _insert(self, db: sqlite3.Connection, seq: int, prev: str, kind: str, content: dict, session: str) -> str:
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        ts, digest = _now(), _sha(text)
        h = _link(self._key, prev, seq, ts, kind, session, digest)
        db.execute(f"INSERT INTO audit ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,0)",
                   (seq, ts, kind, session, text, digest, prev, h))
        return h

    def append(self, kind: str, content: dict, session: str = "") -> int:
        """Add a record (callers redact first: record_turn, review, feedback). Fails closed with AuditError."""
        return self._append(kind, lambda: content, session)

    def _append(self, kind: str, content: Callable[[], dict], session: str = "",
                before: Callable[[sqlite3.Connection], None] | None = None) -> int:
        """`before(db)` runs in the same write transaction, after the checks and before the insert (a purge)."""
        if kind not in KINDS:
            raise ValueError(kind)
        try:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                # Under the write lock, before inserting: a refused write leaves the store as it was.
                checkpoint = self._read_checkpoint()
                records = db.execute("SELECT COUNT(*) FROM audit").fetchone()[0]
                last = db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
                if self._migrated_checkpoint(checkpoint, last):
                    checkpoint = (last[0], last[7])  # vouched for by the chained "migrate" record
                    with self._checkpoint_lock():
                        self._write_checkpoint(*checkpoint)
                problem = self._checkpoint_problem(checkpoint, records, lambda n: self._hash_at(db, n))
                if problem:
                    raise AuditError(_refusal(problem))
                count, head = checkpoint if isinstance(checkpoint, tuple) else (0, GENESIS)
                tail = db.execute(f"SELECT {_COLUMNS} FROM audit WHERE seq>? ORDER BY seq", (count,)).fetchall()
                broken = _chain_problems(tail, lambda *a: _link(self._key, *a), count + 1, head)
                if broken:
                    raise AuditError(_tail_refusal(broken[0].what))
                if checkpoint is None:  # a brand-new store: sign its empty state before the first record
                    with self._checkpoint_lock():
                        if self._read_checkpoint() is None:
                            self._write_checkpoint(0, GENESIS)
                seq, prev = (tail[-1][0] + 1, tail[-1][7]) if tail else (count + 1, head)
                if before is not None:
                    before(db)
                h = self._insert(db, seq, prev, kind, content(), session)
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

    @staticmethod
    def _hash_at(db: sqlite3.Connection, seq: int) -> str | None:
        row = db.execute("SELECT hash FROM audit WHERE seq=?", (seq,)).fetchone()
        return row[0] if row else None

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
    def record_of(self, seq: int) -> tuple[str, str] | None:
        """(kind, session) of record `seq`, or None if there is no such record."""
        with self._connect() as db:
            row = db.execute("SELECT kind, session FROM audit WHERE seq=?", (int(seq),)).fetchone()
        return (row[0], row[1]) if row else None

    def rows(self, kind: str | None = None, since: str | None = None, until: str | None = None) -> list[dict]:
        """Records in order. `intact`: the record's content matches its digest and its keyed link is right (a
        record failing that was altered; readers of reviews and feedback ignore it, `verify` names it)."""
        q, args = f"SELECT {_COLUMNS} FROM audit WHERE 1=1", list[str]()
        if kind:
            q, args = q + " AND kind=?", args + [kind]
        if since:
            q, args = q + " AND ts>=?", args + [since]
        if until:
            q, args = q + " AND ts<=?", args + [until]
        with self._connect() as db:
            out = db.execute(q + " ORDER BY seq", args).fetchall()
        return [{"seq": r[0], "ts": r[1], "kind": r[2], "session": r[3], "content": _loads(r[4]),
                 "purged": bool(r[8]) or r[4] is None, "intact": self._intact(r)} for r in out]

    def head(self) -> tuple[int, str]:
        """The newest record's number and hash: (0, genesis) for an empty trail."""
        with self._connect() as db:
            row = db.execute("SELECT seq, hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else (0, GENESIS)

    def witness(self) -> str:
        """One line of JSON, signed, for the data protection officer to keep: the head as it is now."""
        count, h = self.head()
        body = {"count": count, "hash": h, "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
                "format": FORMAT}
        return json.dumps({**body, "mac": _mac(self._key, json.dumps(body, sort_keys=True))}, sort_keys=True)

    def _witness_problems(self, lines: Iterable[str], rows: list[Row]) -> list[Problem]:
        problems = []
        for n, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            w = _loads(line)
            body = {k: w.get(k) for k in ("count", "hash", "time", "format")} if isinstance(w, dict) else {}
            count, h = body.get("count"), body.get("hash")
            if not isinstance(count, int) or isinstance(count, bool) or count < 0 or not isinstance(h, str):
                problems.append(Problem(0, f"witness line {n} is damaged (not JSON with a count and a hash)"))
                continue
            if not isinstance(w.get("mac"), str) or not hmac.compare_digest(
                    _mac(self._key, json.dumps(body, sort_keys=True)), w["mac"]):
                problems.append(Problem(count, f"witness line {n} is not signed with this store's key (edited, or "
                                               "the key was replaced); its count and hash are still checked"))
            seen = f"witness line {n} ({body.get('time')}) saw {count} records"
            if count > len(rows):
                problems.append(Problem(count, f"{seen} but the trail holds {len(rows)}: records were removed"))
            elif (rows[count - 1][7] if count else GENESIS) != h:
                problems.append(Problem(count, f"{seen} and record {count} no longer has the hash it saw: the "
                                               "trail was rewritten since"))
        return problems

    def verify(self, witnesses: Iterable[str] = ()) -> list[Problem]:
        """Every problem found, first first: edited, deleted, reordered or truncated records, content missing
        outside a purge, a checkpoint that is damaged, missing, forged, ahead of the store or not matching the
        record at its position, and (given witness lines) a trail that did not only grow since each witness."""
        problems: list[Problem] = []
        checkpoint = self._read_checkpoint()  # before the records: a concurrent writer only makes it lag
        with self._connect() as db:
            rows = db.execute(f"SELECT {_COLUMNS} FROM audit ORDER BY rowid").fetchall()
        problems += _chain_problems(rows, lambda *a: _link(self._key, *a))
        purges = []
        for r in rows:
            c = _loads(r[4]) if r[2] == "purge" and self._intact(r) else None
            if isinstance(c, dict) and isinstance(c.get("cutoff"), str):
                purges.append((r[0], c["cutoff"]))
        for seq, ts, _kind, _session, content, _digest, _prev, _h, purged in rows:
            if (content is None or purged) and not any(p > seq and cutoff > ts for p, cutoff in purges):
                problems.append(Problem(seq, f"record {seq} has no content (or is marked purged) but no purge "
                                             "covers it: it is inside the retention period of every purge"))
        if self._migrated_checkpoint(checkpoint, rows[-1] if rows else None):
            checkpoint = (len(rows), rows[-1][7])
        problem = self._checkpoint_problem(checkpoint, len(rows), lambda n: rows[n - 1][7])
        if problem:
            problems.append(Problem(len(rows) + 1 if problem.startswith("the newest") else len(rows), problem))
        problems += self._witness_problems(witnesses, rows)
        return sorted(problems, key=lambda p: p.seq)

    # ---- retention ------------------------------------------------------------------------------
    def purge(self, now: dt.datetime | None = None) -> int:
        """Delete the content of records older than the retention period (answers, reviews and feedback with
        their comments, everything but the purge records); digests and chain stay. The deletion and its
        "purge" record are one transaction, and the deleted text is overwritten on disk."""
        now = now or dt.datetime.now(dt.UTC)
        cutoff = (now - dt.timedelta(days=self.retention_days)).isoformat(timespec="microseconds")
        purged = [0]

        def delete(db: sqlite3.Connection) -> None:
            purged[0] = db.execute("UPDATE audit SET content=NULL, purged=1 "
                                   "WHERE ts<? AND content IS NOT NULL AND kind!='purge'", (cutoff,)).rowcount

        self._append("purge", lambda: {"records_purged": purged[0], "cutoff": cutoff,
                                       "retention_days": self.retention_days,
                                       "at": now.isoformat(timespec="seconds")}, before=delete)
        with self._connect() as db:  # old page images in the WAL hold the text until it is checkpointed
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return purged[0]

    def mark_retention_reviewed(self) -> int:
        """Record (chained) that the retention period was reviewed now."""
        return self.append("retention_review", {"retention_days": self.retention_days})

    def _latest(self, kind: str) -> dict | None:
        for r in reversed(self.rows(kind)):
            if r["intact"]:
                return r
        return None

    def status(self) -> dict:
        with self._connect() as db:
            counts = dict(db.execute("SELECT kind, COUNT(*) FROM audit GROUP BY kind").fetchall())
            oldest = db.execute("SELECT MIN(ts) FROM audit WHERE content IS NOT NULL").fetchone()[0]
        due = None
        if oldest:
            due_at = dt.datetime.fromisoformat(oldest) + dt.timedelta(days=self.retention_days)
            due = due_at.isoformat(timespec="seconds")
        purge, reviewed = self._latest("purge"), self._latest("retention_review")
        return {"store": str(self.path), "format": FORMAT, "records": sum(counts.values()), "by_kind": counts,
                "oldest_content": oldest, "retention_days": self.retention_days, "next_purge_due": due,
                "last_purge": _when(purge, "at"), "retention_last_reviewed": _when(reviewed, "reviewed_at")}


def _when(row: dict | None, key: str) -> str | None:
    if row is None:
        return None
    c = row["content"]
    return str(c[key]) if isinstance(c, dict) and c.get(key) else row["ts"][:19]


def new_session_id() -> str:
    """Pseudonymous: random, not derived from anything about the user."""
    return uuid.uuid4().hex[:16]
