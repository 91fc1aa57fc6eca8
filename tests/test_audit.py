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
