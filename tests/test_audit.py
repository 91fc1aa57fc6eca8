"""The audit trail: tamper evidence, truncation, concurrent writers, failing closed, retention."""

import datetime as dt
import json
import sqlite3
import subprocess
import sys
import threading

import pytest

from assistant.audit import AuditError, AuditStore


def filled(tmp_path, n=6):
    store = AuditStore(tmp_path / "data")
    for i in range(n):
        store.append("answer", {"question": f"question {i}", "grounded": True, "flags": {}, "quotes": []}, "s1")
    return store


def raw(store, sql, args=()):
    db = sqlite3.connect(store.path)
    db.execute(sql, args)
    db.commit()
    db.close()


def test_an_untouched_trail_verifies(tmp_path):
    assert filled(tmp_path).verify() == []


def test_an_edited_record_is_named(tmp_path):
    store = filled(tmp_path)
    raw(store, "UPDATE audit SET content=replace(content, 'question 2', 'question X') WHERE seq=3")
    assert store.verify()[0].seq == 3 and "edited" in store.verify()[0].what


def test_an_edit_that_also_rewrites_the_digest_breaks_the_chain(tmp_path):
    import hashlib

    store = filled(tmp_path)
    new = json.dumps({"question": "forged"}, sort_keys=True)
    raw(store, "UPDATE audit SET content=?, digest=? WHERE seq=4", (new, hashlib.sha256(new.encode()).hexdigest()))
    assert store.verify()[0].seq == 4


def test_a_deleted_middle_record_is_named(tmp_path):
    store = filled(tmp_path)
    raw(store, "DELETE FROM audit WHERE seq=3")
    assert store.verify()[0].seq == 3


def test_reordered_records_are_caught(tmp_path):
    store = filled(tmp_path)
    raw(store, "UPDATE audit SET seq=seq+100 WHERE seq IN (2, 3)")
    raw(store, "UPDATE audit SET seq=3 WHERE seq=102")
    raw(store, "UPDATE audit SET seq=2 WHERE seq=103")
    assert store.verify() and store.verify()[0].seq == 2


def test_truncating_the_newest_records_is_caught_by_the_checkpoint(tmp_path):
    store = filled(tmp_path)
    raw(store, "DELETE FROM audit WHERE seq>=5")
    problems = store.verify()
    assert problems and "newest records were removed" in problems[-1].what


def test_a_forged_checkpoint_is_caught(tmp_path):
    store = filled(tmp_path)
    raw(store, "DELETE FROM audit WHERE seq>=5")
    cp = store.dir / "audit.checkpoint.json"
    data = json.loads(cp.read_text())
    data["body"] = json.dumps({"count": 4, "head": "x" * 64})
    cp.write_text(json.dumps(data))
    assert any("signature" in p.what for p in store.verify())


def test_concurrent_writers_keep_the_chain_valid(tmp_path):
    store = AuditStore(tmp_path / "data")

    def work(n):
        s = AuditStore(tmp_path / "data")
        for i in range(40):
            s.append("answer", {"question": f"t{n}-{i}", "flags": {}, "quotes": []}, f"s{n}")

    threads = [threading.Thread(target=work, args=(n,)) for n in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    procs = [subprocess.Popen([sys.executable, "-c", (
        "import sys; from assistant.audit import AuditStore; s = AuditStore(sys.argv[1])\n"
        "for i in range(40): s.append('answer', {'question': f'p{i}'}, 'proc')"), str(tmp_path / "data")])
        for _ in range(2)]
    assert all(p.wait(timeout=120) == 0 for p in procs)
    assert store.verify() == []
    assert store.status()["records"] == 6 * 40 + 2 * 40
    seqs = [r["seq"] for r in store.rows()]
    assert seqs == list(range(1, len(seqs) + 1))


def test_a_full_disk_refuses_the_write_and_says_why(tmp_path):
    code = (
        "import resource, sys\n"
        "from assistant.audit import AuditStore, AuditError\n"
        "s = AuditStore(sys.argv[1])\n"
        "resource.setrlimit(resource.RLIMIT_FSIZE, (200_000, 200_000))\n"
        "import signal; signal.signal(signal.SIGXFSZ, signal.SIG_IGN)\n"
        "try:\n"
        "    for i in range(100000): s.append('answer', {'question': 'x' * 2000}, 's')\n"
        "except AuditError as e:\n"
        "    print('REFUSED', e)\n")
    r = subprocess.run([sys.executable, "-c", code, str(tmp_path / "data")], capture_output=True, text=True,
                       timeout=120)
    assert "REFUSED the answer could not be recorded" in r.stdout, r.stdout + r.stderr


def test_an_unwritable_store_refuses_to_start(tmp_path):
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "data").write_text("not a folder")
    with pytest.raises(AuditError, match="cannot be opened"):
        AuditStore(ro / "data")


def test_purge_removes_old_content_and_the_chain_still_verifies(tmp_path):
    store = filled(tmp_path)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=store.retention_days + 1)
    assert store.purge(now=later) == 6
    assert all(r["content"] is None for r in store.rows("answer"))
    assert store.verify() == []
    status = store.status()
    assert status["by_kind"]["purge"] == 1 and status["last_purge"]


def test_the_store_and_key_are_private(tmp_path):
    store = filled(tmp_path, 1)
    assert (store.dir.stat().st_mode & 0o777) == 0o700
    assert (store.path.stat().st_mode & 0o077) == 0 and ((store.dir / "audit.key").stat().st_mode & 0o077) == 0


def test_cli_verify_fails_and_names_the_record(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "data"))
    store = filled(tmp_path)
    ok = subprocess.run([sys.executable, "-m", "assistant.cli", "audit", "verify"], capture_output=True, text=True)
    assert ok.returncode == 0 and "verifies" in ok.stdout
    raw(store, "UPDATE audit SET content='{}' WHERE seq=2")
    bad = subprocess.run([sys.executable, "-m", "assistant.cli", "audit", "verify"], capture_output=True, text=True)
    assert bad.returncode == 1 and "record 2 was edited" in bad.stderr


def test_a_writer_killed_mid_write_leaves_a_chain_that_verifies(tmp_path):
    import os
    import signal
    import time

    data = tmp_path / "data"
    AuditStore(data)
    proc = subprocess.Popen([sys.executable, "-c", (
        "import sys; from assistant.audit import AuditStore; s = AuditStore(sys.argv[1])\n"
        "i = 0\n"
        "while True:\n"
        "    s.append('answer', {'question': 'q' * 500, 'i': i}, 'k'); i += 1\n"), str(data)])
    time.sleep(1.5)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    store = AuditStore(data)
    n = store.status()["records"]
    assert n > 10
    assert store.verify() == []  # valid up to the last complete record
    store.append("answer", {"question": "after restart"}, "k2")
    assert store.verify() == [] and store.status()["records"] == n + 1


# ---- a wrong checkpoint is reported and never overwritten ----------------------------------------
def checkpoint(store):
    return store.dir / "audit.checkpoint.json"


def assert_refused_and_kept(store, reason):
    """verify names the reason; the writer refuses, writes nothing, and leaves the checkpoint as it found it."""
    before = checkpoint(store).read_bytes() if checkpoint(store).exists() else None
    n = store.status()["records"]
    assert any(reason in p.what for p in store.verify()), store.verify()
    with pytest.raises(AuditError, match="checkpoint is damaged, missing or forged") as e:
        store.append("answer", {"question": "after the damage"}, "s2")
    assert reason in str(e.value) and "sharewise audit verify" in str(e.value)
    assert store.status()["records"] == n
    assert (checkpoint(store).read_bytes() if checkpoint(store).exists() else None) == before
    assert [p.what for p in store.verify() if "checkpoint" not in p.what] == []  # the chain itself is intact


def test_a_damaged_checkpoint_is_named_and_not_overwritten(tmp_path):
    store = filled(tmp_path)
    checkpoint(store).write_bytes(b"\x00\xffnot json{")
    assert_refused_and_kept(store, "the checkpoint is damaged (not valid JSON)")


def test_a_checkpoint_missing_its_keys_is_damaged(tmp_path):
    store = filled(tmp_path)
    checkpoint(store).write_text(json.dumps({"count": 6}))
    assert_refused_and_kept(store, "the checkpoint is damaged")


def test_a_forged_checkpoint_counting_more_is_named_and_not_overwritten(tmp_path):
    store = filled(tmp_path)
    checkpoint(store).write_text(json.dumps({"body": json.dumps({"count": 60, "head": "f" * 64}), "mac": "0" * 64}))
    assert_refused_and_kept(store, "the checkpoint's signature does not match (forged or the key changed)")


def test_a_deleted_checkpoint_is_named_and_the_writer_refuses(tmp_path):
    store = filled(tmp_path)
    checkpoint(store).unlink()
    assert_refused_and_kept(store, "the checkpoint is missing but the store holds 6 records")
    assert not checkpoint(store).exists()


def test_a_checkpoint_whose_head_is_not_the_record_at_its_count_is_named(tmp_path):
    store = filled(tmp_path)
    store._write_checkpoint(4, "a" * 64)  # signed with the right key, but record 4 has another hash
    assert_refused_and_kept(store, "record 4 does not have the checkpoint's head hash")


def test_a_checkpoint_counting_more_than_the_store_refuses_the_write(tmp_path):
    store = filled(tmp_path)
    raw(store, "DELETE FROM audit WHERE seq>=5")
    assert_refused_and_kept(store, "the newest records were removed: the checkpoint counts 6, the store holds 4")


def test_a_lagging_checkpoint_is_not_damage(tmp_path):
    store = filled(tmp_path)
    rows = sqlite3.connect(store.path).execute("SELECT hash FROM audit WHERE seq=3").fetchone()
    store._write_checkpoint(3, rows[0])  # as if writers were killed between their commits and checkpoints
    assert store.verify() == []
    assert store.append("answer", {"question": "later"}, "s") == 7
    assert json.loads(json.loads(checkpoint(store).read_text())["body"])["count"] == 7


def test_a_fresh_store_takes_its_first_write(tmp_path):
    store = AuditStore(tmp_path / "data")
    assert store.verify() == [] and not checkpoint(store).exists()
    assert store.append("answer", {"question": "first"}, "s") == 1
    assert store.verify() == [] and store.status()["records"] == 1
    assert json.loads(json.loads(checkpoint(store).read_text())["body"])["count"] == 1


def test_cli_verify_names_a_damaged_checkpoint(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "data"))
    store = filled(tmp_path)
    checkpoint(store).write_text("garbage")
    bad = subprocess.run([sys.executable, "-m", "assistant.cli", "audit", "verify"], capture_output=True, text=True)
    assert bad.returncode == 1 and "the checkpoint is damaged (not valid JSON)" in bad.stderr, bad.stderr


@pytest.mark.parametrize("payload", [b"", b"[" * 100_000, b"[1, 2]", b'{"body": 1, "mac": 2}',
                                     json.dumps({"body": "{}", "mac": "\u00e9" * 64}).encode(),
                                     json.dumps({"body": "\ud800", "mac": "0"}).encode()])
def test_any_garbage_checkpoint_is_reported_never_a_crash(tmp_path, payload):
    store = filled(tmp_path, 2)
    checkpoint(store).write_bytes(payload)
    assert_refused_and_kept(store, "the checkpoint")


def test_a_checkpoint_damaged_after_the_check_is_still_not_overwritten(tmp_path, monkeypatch):
    store = filled(tmp_path, 2)

    def damaged_meanwhile(*args):
        checkpoint(store).write_bytes(b"garbage")
        return None

    monkeypatch.setattr(store, "_checkpoint_problem", damaged_meanwhile)
    with pytest.raises(AuditError, match="not valid JSON"):
        store.append("answer", {"question": "racing the damage"}, "s")
    assert checkpoint(store).read_bytes() == b"garbage"


# ---- the folder, the chained reviews and feedback, retention from the chain --------------------------
def test_an_existing_folder_others_can_open_is_refused_not_chmodded(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    shared.chmod(0o755)
    with pytest.raises(AuditError, match=f"can be opened by other users.*chmod 700 {shared}"):
        AuditStore(shared)
    assert (shared.stat().st_mode & 0o777) == 0o755 and not (shared / "audit.sqlite3").exists()
    shared.chmod(0o700)
    assert AuditStore(shared).verify() == []


def test_a_folder_the_store_creates_is_private(tmp_path):
    import os

    old = os.umask(0)
    try:
        store = AuditStore(tmp_path / "new" / "data")
    finally:
        os.umask(old)
    assert (store.dir.stat().st_mode & 0o777) == 0o700


def test_reviews_and_feedback_are_chained_records_with_their_details(tmp_path):
    from assistant.review import add_feedback, decide, queue

    store = filled(tmp_path, 2)
    decide(store, 1, "needs_correction", "quote the DVDS", ["gold one"])
    add_feedback(store, 2, False, "wrong")
    assert [r["content"] for r in store.rows("review")] == [
        {"seq": 1, "state": "needs_correction", "comment": "quote the DVDS", "gold_spans": ["gold one"]}]
    assert [r["content"] for r in store.rows("feedback")] == [{"seq": 2, "liked": False, "comment": "wrong"}]
    names = {n for (n,) in sqlite3.connect(store.path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"audit"}  # nothing kept beside the chain
    rows = {r["seq"]: r for r in queue(store)}
    assert rows[1]["review"] == "needs_correction" and rows[2]["feedback"] == "down"
    assert store.verify() == []


def test_purge_removes_review_and_feedback_comments_everywhere_on_disk(tmp_path):
    from assistant.review import add_feedback, decide

    store = filled(tmp_path, 2)
    decide(store, 1, "needs_correction", "COMMENT-ON-REVIEW-XYZ", ["GOLD-SPAN-XYZ"])
    add_feedback(store, 2, False, "COMMENT-ON-FEEDBACK-XYZ")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=store.retention_days + 1)
    assert store.purge(now=later) == 2 + 2
    assert all(r["content"] is None for r in store.rows() if r["kind"] != "purge")
    blob = b"".join(p.read_bytes() for p in store.dir.iterdir() if p.is_file())
    for text in (b"COMMENT-ON-REVIEW-XYZ", b"GOLD-SPAN-XYZ", b"COMMENT-ON-FEEDBACK-XYZ", b"question 1"):
        assert text not in blob
    assert store.verify() == []


def test_last_purge_and_retention_review_come_from_chained_records(tmp_path):
    store = filled(tmp_path, 2)
    assert store.status()["last_purge"] is None and store.status()["retention_last_reviewed"] is None
    store.mark_retention_reviewed()
    store.purge(now=dt.datetime(2031, 1, 2, tzinfo=dt.UTC))
    status = store.status()
    assert status["last_purge"] == "2031-01-02T00:00:00+00:00"
    assert status["retention_last_reviewed"] == store.rows("retention_review")[0]["ts"][:19]
    assert status["by_kind"]["retention_review"] == 1 and store.verify() == []


def test_a_purge_inside_retention_is_named(tmp_path):
    store = filled(tmp_path)
    raw(store, "UPDATE audit SET content=NULL, purged=1 WHERE seq=3")
    problems = store.verify()
    assert [p.seq for p in problems] == [3] and "no purge covers it" in problems[0].what


def test_a_newer_store_format_is_refused(tmp_path):
    store = filled(tmp_path, 1)
    raw(store, "PRAGMA user_version=9")
    with pytest.raises(AuditError, match="format 9, newer"):
        AuditStore(store.dir)


# ---- the witness ---------------------------------------------------------------------------------
def test_a_witness_is_signed_and_verifies_while_the_trail_only_grows(tmp_path):
    store = filled(tmp_path, 3)
    line = store.witness()
    w = json.loads(line)
    assert (w["count"], w["hash"]) == store.head() and w["format"] == 2 and len(w["mac"]) == 64
    assert w["time"].endswith("+00:00") and "\n" not in line
    store.append("answer", {"question": "later"}, "s")
    assert store.verify([line]) == []
    forged = json.dumps({**w, "count": 2})
    assert any("not signed with this store's key" in p.what for p in store.verify([forged]))
    assert any("line 1 is damaged" in p.what for p in store.verify(["not json"]))


def test_cli_witness_and_verify_with_witness(tmp_path, monkeypatch):
    monkeypatch.setenv("SHAREWISE_DATA_DIR", str(tmp_path / "data"))
    store = filled(tmp_path)
    kept = tmp_path / "dpo-witness.jsonl"

    def cli(*args):
        return subprocess.run([sys.executable, "-m", "assistant.cli", "audit", *args], capture_output=True,
                              text=True)

    first = cli("witness", "--out", str(kept))
    assert first.returncode == 0 and json.loads(first.stdout)["count"] == 6
    store.append("answer", {"question": "later"}, "s")
    assert cli("witness", "--out", str(kept)).returncode == 0
    assert len(kept.read_text().splitlines()) == 2
    ok = cli("verify", "--witness", str(kept))
    assert ok.returncode == 0 and "only grew since the 2 witness lines" in ok.stdout, ok.stderr
    assert cli("verify", "--witness", str(tmp_path / "missing")).returncode == 2
    raw(store, "DELETE FROM audit WHERE seq=7")
    bad = cli("verify", "--witness", str(kept))
    assert bad.returncode == 1 and "records were removed" in bad.stderr
    refused = cli("witness")
    assert refused.returncode == 1 and "no witness is given" in refused.stderr and not refused.stdout


# ---- a format-1 store, as the Sharewise before format 2 wrote it, is verified and migrated ----------
V1_SCHEMA = """CREATE TABLE audit (seq INTEGER PRIMARY KEY, ts TEXT NOT NULL, kind TEXT NOT NULL, session TEXT NOT NULL,
           content TEXT, digest TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL, purged INTEGER DEFAULT 0);
       CREATE TABLE reviews (id INTEGER PRIMARY KEY, audit_seq INTEGER NOT NULL, ts TEXT NOT NULL, state TEXT NOT NULL,
           comment TEXT NOT NULL DEFAULT '', corrected_question TEXT, gold_spans TEXT);
       CREATE TABLE feedback (id INTEGER PRIMARY KEY, audit_seq INTEGER NOT NULL, ts TEXT NOT NULL,
           liked INTEGER NOT NULL, comment TEXT NOT NULL DEFAULT '');
       CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);"""


class V1:
    """A tiny copy of format 1's writer: plain SHA-256 links, side tables, the same signed checkpoint."""

    def __init__(self, folder):
        import hmac
        import os
        import secrets

        self.folder, self.hmac = folder, hmac
        folder.mkdir(mode=0o700)
        (folder / "audit.key").write_text(secrets.token_hex(32))
        os.chmod(folder / "audit.key", 0o600)
        self.key = bytes.fromhex((folder / "audit.key").read_text())
        self.db = sqlite3.connect(folder / "audit.sqlite3", isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript("BEGIN;" + V1_SCHEMA + "; PRAGMA user_version=1; COMMIT;")
        self.prev, self.seq = "0" * 64, 0

    @staticmethod
    def sha(text):
        import hashlib

        return hashlib.sha256(text.encode()).hexdigest()

    def checkpoint(self, count, head):
        import hashlib

        body = json.dumps({"count": count, "head": head})
        mac = self.hmac.new(self.key, body.encode(), hashlib.sha256).hexdigest()
        (self.folder / "audit.checkpoint.json").write_text(json.dumps({"body": body, "mac": mac}))

    def append(self, kind, content, session="", ts=None):
        text = json.dumps(content, ensure_ascii=False, sort_keys=True, default=str)
        self.seq += 1
        ts = ts or dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        digest = self.sha(text)
        h = self.sha(f"{self.prev}|{self.seq}|{ts}|{kind}|{session}|{digest}")
        self.db.execute("INSERT INTO audit (seq, ts, kind, session, content, digest, prev, hash) VALUES "
                        "(?,?,?,?,?,?,?,?)", (self.seq, ts, kind, session, text, digest, self.prev, h))
        self.prev = h
        self.checkpoint(self.seq, h)
        return self.seq

    def decide(self, seq, state, comment, gold, chained=True):
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        self.db.execute("INSERT INTO reviews (audit_seq, ts, state, comment, gold_spans) VALUES (?,?,?,?,?)",
                        (seq, now, state, comment, json.dumps(gold)))
        if chained:  # format 1's decide() chained the state and comment, not the gold spans
            self.append("review", {"seq": seq, "state": state, "comment": comment})

    def feedback(self, seq, liked, comment, chained=True):
        now = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
        self.db.execute("INSERT INTO feedback (audit_seq, ts, liked, comment) VALUES (?,?,?,?)",
                        (seq, now, int(liked), comment))
        if chained:
            self.append("feedback", {"seq": seq, "liked": liked, "comment": comment})


def v1_store(folder):
    old = V1(folder)
    long_ago = (dt.datetime.now(dt.UTC) - dt.timedelta(days=400)).isoformat(timespec="microseconds")
    old.append("answer", {"question": "expired question", "grounded": True, "flags": {}, "quotes": []}, "s0",
               ts=long_ago)
    old.db.execute("INSERT INTO reviews (audit_seq, ts, state, comment, gold_spans) VALUES (1, ?, 'approved', "
                   "'EXPIRED-COMMENT', '[]')", (long_ago,))  # its chained record never written, now expired
    for i in range(4):
        old.append("answer", {"question": f"question {i}", "grounded": True, "flags": {}, "quotes": []}, "s1")
    old.decide(2, "approved", "fine", [])
    old.decide(3, "needs_correction", "quote the DVDS", ["The DVDS commenced on 8 March 2014."])
    old.decide(4, "approved", "first look", [], chained=False)  # the append failed: then a chained decision
    old.decide(4, "needs_correction", "second look", ["gold four"])
    old.decide(5, "needs_correction", "orphan", ["gold five"], chained=False)  # the append failed: latest
    old.feedback(2, False, "wrong scheme")
    old.feedback(3, True, "orphan thumbs", chained=False)
    # format 1's purge: content deleted, a chained purge record, last_purge in the meta table
    cutoff = (dt.datetime.now(dt.UTC) - dt.timedelta(days=180)).isoformat(timespec="microseconds")
    old.db.execute("UPDATE audit SET content=NULL, purged=1 WHERE ts<? AND kind!='purge'", (cutoff,))
    old.append("purge", {"records_purged": 1, "cutoff": cutoff, "retention_days": 180})
    old.db.execute("INSERT INTO meta VALUES ('last_purge', '2020-01-01T00:00:00+00:00')")
    old.db.execute("INSERT INTO meta VALUES ('retention_reviewed', '2024-05-06T07:08:09+00:00')")
    return old


def test_a_format_1_store_is_verified_then_migrated(tmp_path):
    from assistant.review import queue

    folder = tmp_path / "data"
    old = v1_store(folder)
    v1_count, v1_head = old.seq, old.prev
    old.db.close()
    store = AuditStore(folder)
    assert sqlite3.connect(store.path).execute("PRAGMA user_version").fetchone()[0] == 2
    assert store.verify() == []
    rows = store.rows()
    assert all(r["intact"] for r in rows)
    migrate = rows[-1]
    assert migrate["kind"] == "migrate" and migrate["content"]["v1_head"] == [v1_count, v1_head]
    assert migrate["content"]["not_carried"] == {"superseded": 1, "past_retention": 1}
    assert migrate["content"]["carried"] == {"review": 1, "feedback": 1, "retention_review": 1}
    assert json.loads(json.loads(checkpoint(store).read_text())["body"]) == {
        "count": migrate["seq"], "head": migrate_hash(store), "format": 2}
    names = {n for (n,) in sqlite3.connect(store.path).execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert names == {"audit"}
    blob = b"".join(p.read_bytes() for p in folder.iterdir() if p.is_file())
    assert b"EXPIRED-COMMENT" not in blob  # not resurrected from the old table
    q = {r["seq"]: r for r in queue(store)}
    assert [q[n]["review"] for n in (2, 3, 4, 5)] == ["approved", "needs_correction", "needs_correction",
                                                      "needs_correction"]
    assert q[4]["review_comment"] == "second look" and q[5]["review_comment"] == "orphan"
    assert (q[2]["feedback"], q[3]["feedback"], q[3]["feedback_comment"]) == ("down", "up", "orphan thumbs")
    from assistant.review import _reviews

    spans = {seq: s for seq, (_st, _c, s) in _reviews(store).items()}
    assert spans[3] == ["The DVDS commenced on 8 March 2014."] and spans[4] == ["gold four"]
    assert spans[5] == ["gold five"]  # gold spans format 1 kept only in the table
    status = store.status()
    assert status["retention_last_reviewed"] == "2024-05-06T07:08:09+00:00"
    assert status["last_purge"] == rows[[r["kind"] for r in rows].index("purge")]["ts"][:19]
    n = store.append("answer", {"question": "after the migration"}, "s")
    assert n == migrate["seq"] + 1 and store.verify() == []
    assert AuditStore(folder).verify() == []  # opening again migrates nothing


def migrate_hash(store):
    return sqlite3.connect(store.path).execute("SELECT hash FROM audit ORDER BY seq DESC LIMIT 1").fetchone()[0]


@pytest.mark.parametrize("damage", ["edit", "truncate"])
def test_a_broken_format_1_store_is_not_migrated(tmp_path, damage):
    folder = tmp_path / "data"
    old = v1_store(folder)
    if damage == "edit":
        old.db.execute("UPDATE audit SET content='{\"question\": \"forged\"}' WHERE seq=3")
    else:
        old.db.execute("DELETE FROM audit WHERE seq=?", (old.seq,))
    old.db.close()
    with pytest.raises(AuditError, match=r"old format \(1\) and does not verify.*will not migrate"):
        AuditStore(folder)
    assert sqlite3.connect(folder / "audit.sqlite3").execute("PRAGMA user_version").fetchone()[0] == 1


def test_a_migration_killed_before_it_rewrote_the_checkpoint_recovers(tmp_path):
    folder = tmp_path / "data"
    v1_store(folder).db.close()
    before = checkpoint_of(folder)
    store = AuditStore(folder)
    checkpoint(store).write_bytes(before)  # as if killed between the migration's commit and the rewrite
    assert store.verify() == []
    store.append("answer", {"question": "after"}, "s")
    assert store.verify() == []
    checkpoint(store).write_bytes(before)  # but not once records follow the migration
    assert any("does not have the checkpoint's head hash" in p.what for p in store.verify())


def checkpoint_of(folder):
    return (folder / "audit.checkpoint.json").read_bytes()
