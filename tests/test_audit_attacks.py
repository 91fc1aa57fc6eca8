"""Attacks on the audit trail by someone who can write its files (its operator): one table, and for each attack
what `verify` says (without and with the DPO's witness), what the writer does, and what the guardian is shown."""

import hashlib
import hmac
import json
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from types import SimpleNamespace

import pytest

from assistant.audit import AuditError, AuditStore
from assistant.review import add_feedback, decide, export_eval_questions, export_rows, queue

GOLD = "The Domestic Violence Disclosure Scheme commenced on 8 March 2014."
CORPUS = SimpleNamespace(documents={"dvds": SimpleNamespace(text=f"Intro. {GOLD} More.",
                                                            source=SimpleNamespace(title="DVDS"))})


def answer(store, i):
    return store.append("answer", {"question": f"question {i}", "grounded": True, "flags": {}, "quotes": []}, "s1")


def trail(tmp_path):
    """Records 1-4 answers, 5 a review ("needs correction" on answer 2), 6 feedback (down on 3), 7-8 answers."""
    store = AuditStore(tmp_path / "data")
    for i in range(4):
        answer(store, i)
    decide(store, 2, "needs_correction", "should quote the DVDS", [GOLD])
    add_feedback(store, 3, False, "wrong scheme")
    saved = (store.dir / "audit.checkpoint.json").read_bytes()  # a copy an attacker might keep (count 6)
    answer(store, 4)
    answer(store, 5)
    return store, saved


# ---- the attacker's tools: raw SQL on the file, and (for an operator holding it) the key -----------------
def sql(store, *statements):
    db = sqlite3.connect(store.path)
    for s in statements:
        db.execute(*s) if isinstance(s, tuple) else db.execute(s)
    db.commit()
    db.close()


def all_rows(store):
    db = sqlite3.connect(store.path)
    rows = db.execute("SELECT seq, ts, kind, session, content, digest FROM audit ORDER BY seq").fetchall()
    db.close()
    return rows


def relink(store, link):
    """Recompute every record's digest and link, as an attacker would after editing."""
    prev, updates = "0" * 64, []
    for seq, ts, kind, session, content, digest in all_rows(store):
        digest = hashlib.sha256(content.encode()).hexdigest() if content is not None else digest
        h = link(f"{prev}|{seq}|{ts}|{kind}|{session}|{digest}")
        updates.append(("UPDATE audit SET digest=?, prev=?, hash=? WHERE seq=?", (digest, prev, h, seq)))
        prev = h
    sql(store, *updates)
    return len(updates), prev


def plain(text):
    return hashlib.sha256(text.encode()).hexdigest()


def keyed(store):
    key = bytes.fromhex((store.dir / "audit.key").read_text())
    return lambda text: hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def sign_checkpoint(store, count, head):
    """What an attacker holding the key writes (the same format as the store's own)."""
    key = bytes.fromhex((store.dir / "audit.key").read_text())
    body = json.dumps({"count": count, "head": head, "format": 2})
    (store.dir / "audit.checkpoint.json").write_text(json.dumps(
        {"body": body, "mac": hmac.new(key, body.encode(), hashlib.sha256).hexdigest()}))


def set_content(store, seq, change):
    content = json.loads(dict((r[0], r[4]) for r in all_rows(store))[seq])
    change(content)
    sql(store, ("UPDATE audit SET content=? WHERE seq=?", (json.dumps(content, sort_keys=True), seq)))


# ---- the attacks -------------------------------------------------------------------------------------
def edit_and_relink_plain(store):
    set_content(store, 3, lambda c: c.update(question="forged"))
    relink(store, plain)


def edit_and_relink_with_the_key(store):
    set_content(store, 3, lambda c: c.update(question="forged"))
    sign_checkpoint(store, *relink(store, keyed(store)))


def truncate_newest(store):
    sql(store, "DELETE FROM audit WHERE seq>=7")


def truncate_then_answers_follow(store):
    truncate_newest(store)
    for _ in range(3):  # ordinary answers keep coming: none is recorded over the gap
        with pytest.raises(AuditError):
            answer(store, 99)


def truncate_and_restore_a_saved_checkpoint(store, saved):
    sql(store, "DELETE FROM audit WHERE seq>=7")
    (store.dir / "audit.checkpoint.json").write_bytes(saved)


def truncate_and_resign_with_the_key(store):
    sql(store, "DELETE FROM audit WHERE seq>=7")
    sign_checkpoint(store, 6, dict((r[0], r[1]) for r in sqlite3.connect(store.path).execute(
        "SELECT seq, hash FROM audit"))[6])


def delete_the_checkpoint(store):
    (store.dir / "audit.checkpoint.json").unlink()


def replace_the_key(store):
    (store.dir / "audit.key").write_text(secrets.token_hex(32))


def purge_inside_retention(store):
    sql(store, "UPDATE audit SET content=NULL, purged=1 WHERE seq IN (3, 5)")


def flip_the_review_in_a_reviews_table(store):
    sql(store, "CREATE TABLE IF NOT EXISTS reviews (id INTEGER PRIMARY KEY, audit_seq INTEGER NOT NULL, ts TEXT "
               "NOT NULL, state TEXT NOT NULL, comment TEXT NOT NULL DEFAULT '', corrected_question TEXT, "
               "gold_spans TEXT)",
        "INSERT INTO reviews (audit_seq, ts, state, comment, gold_spans) VALUES (2, '2030', 'approved', 'ok', '[]')")


def flip_the_review_record(store):
    set_content(store, 5, lambda c: c.update(state="approved", comment="fine"))
    sql(store, ("UPDATE audit SET digest=? WHERE seq=5", (plain(dict((r[0], r[4]) for r in all_rows(store))[5]),)))


def edit_meta_last_purge(store):
    sql(store, "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        "INSERT INTO meta VALUES ('last_purge', '2030-01-01T00:00:00+00:00'), "
        "('retention_reviewed', '2030-01-01T00:00:00+00:00')")


def delete_a_middle_record(store):
    sql(store, "DELETE FROM audit WHERE seq=4")


def reorder(store):
    sql(store, "UPDATE audit SET seq=seq+100 WHERE seq IN (2, 3)", "UPDATE audit SET seq=3 WHERE seq=102",
        "UPDATE audit SET seq=2 WHERE seq=103")


def edit_after_a_lagging_checkpoint(store):
    store._write_checkpoint(6, dict((r[0], r[1]) for r in sqlite3.connect(store.path).execute(
        "SELECT seq, hash FROM audit"))[6])  # as a writer killed between its commit and its checkpoint leaves it
    set_content(store, 7, lambda c: c.update(question="forged"))
    sql(store, ("UPDATE audit SET digest=? WHERE seq=7", (plain(dict((r[0], r[4]) for r in all_rows(store))[7]),)))


# ---- what the guardian is shown ----------------------------------------------------------------------------
def review_of_2_stands(store):
    """Answer 2 is still "needs correction" in the queue, the JSON export and the eval export."""
    row = next(r for r in queue(store) if r["seq"] == 2)
    assert (row["review"], row["review_comment"]) == ("needs_correction", "should quote the DVDS")
    assert next(r for r in json.loads(export_rows(store, None, None)) if r["seq"] == 2)["review"] == \
        "needs_correction"
    lines = [json.loads(line) for line in export_eval_questions(store, CORPUS).splitlines()]
    assert [(q["id"], q["kind"], q["gold_spans"]) for q in lines] == [("review-2", "guardian-needs_correction",
                                                                       [GOLD])]


def forged_review_is_not_believed(store):
    """The altered record is not intact: the queue and exports ignore it, so "approved" never reaches them."""
    row = next(r for r in queue(store) if r["seq"] == 2)
    assert row["review"] == "unreviewed"
    assert export_eval_questions(store, CORPUS) == ""


def meta_changes_nothing(store):
    status = store.status()
    assert status["last_purge"] is None and status["retention_last_reviewed"] is None


@dataclass
class Attack:
    name: str
    do: Callable[..., None]
    verify_says: str | None  # a problem verify names; None: the trail verifies
    witness_says: str | None  # a problem verify names given the witness taken before; None: it adds nothing
    writer_refuses: bool
    shown: Callable[[AuditStore], None] | None = None  # a check on what the guardian is shown
    needs_saved_checkpoint: bool = False
    refused_because: str = "checkpoint is damaged, missing or forged"  # when the writer refuses


ATTACKS = [
    Attack("edit a record, recompute digest and plain-SHA chain", edit_and_relink_plain,
           "record 3 does not chain", "record 8 no longer has the hash", True),
    Attack("edit a record and re-link with the key", edit_and_relink_with_the_key,
           None, "record 8 no longer has the hash it saw", False),
    Attack("truncate the newest records", truncate_newest,
           "the newest records were removed: the checkpoint counts 8, the store holds 6", "records were removed", True),
    Attack("truncate, then ordinary answers follow", truncate_then_answers_follow,
           "the newest records were removed", "records were removed", True),
    Attack("truncate and restore a saved earlier checkpoint", truncate_and_restore_a_saved_checkpoint,
           None, "saw 8 records but the trail holds 6", False, needs_saved_checkpoint=True),
    Attack("truncate and re-sign the checkpoint with the key", truncate_and_resign_with_the_key,
           None, "saw 8 records but the trail holds 6", False),
    Attack("delete the checkpoint", delete_the_checkpoint,
           "the checkpoint is missing but the store holds 8 records", None, True),
    Attack("replace the key file", replace_the_key,
           "the checkpoint's signature does not match", "not signed with this store's key", True),
    Attack("set records purged inside retention", purge_inside_retention,
           "record 3 has no content (or is marked purged) but no purge covers it", None, False),
    Attack("flip the review in a reviews table", flip_the_review_in_a_reviews_table,
           None, None, False, review_of_2_stands),
    Attack("flip the review record's content (and its digest)", flip_the_review_record,
           "record 5 does not chain", None, False, forged_review_is_not_believed),
    Attack("edit meta last_purge and retention_reviewed", edit_meta_last_purge,
           None, None, False, meta_changes_nothing),
    Attack("delete a middle record", delete_a_middle_record,
           "record 4 is missing or out of order", "saw 8 records but the trail holds 7", True),
    Attack("reorder two records", reorder,
           "record 2 does not chain", None, False),
    Attack("edit a record after a lagging checkpoint", edit_after_a_lagging_checkpoint,
           "record 7 does not chain", None, True, refused_because="altered after its last checkpoint"),
]


@pytest.mark.parametrize("attack", ATTACKS, ids=[a.name for a in ATTACKS])
def test_attack(tmp_path, attack):
    store, saved = trail(tmp_path)
    witness = store.witness()  # the DPO's copy, kept outside the store
    assert store.verify() == [] and store.head()[0] == 8
    attack.do(store, saved) if attack.needs_saved_checkpoint else attack.do(store)
    store = AuditStore(store.dir)  # as the next process opens it (with whatever key is on disk now)

    problems = [p.what for p in store.verify()]
    if attack.verify_says is None:
        assert problems == []
    else:
        assert any(attack.verify_says in p for p in problems), problems
    with_witness = [p.what for p in store.verify([witness])]
    if attack.witness_says is None:
        assert with_witness == problems
    else:
        assert any(attack.witness_says in p for p in with_witness), with_witness

    cp = store.dir / "audit.checkpoint.json"
    before = store.head(), cp.read_bytes() if cp.exists() else None
    if attack.writer_refuses:
        with pytest.raises(AuditError, match="not shown") as refusal:
            answer(store, 99)
        assert attack.refused_because in str(refusal.value)
        assert (store.head(), cp.read_bytes() if cp.exists() else None) == before  # nothing written
    else:
        assert answer(store, 99) == before[0][0] + 1
        assert [p.what for p in store.verify()] == problems  # the new record neither hides nor adds a problem
    if attack.shown:
        attack.shown(store)


def test_the_key_holders_rewrite_passes_the_chain_but_not_the_witness(tmp_path):
    """The limit of the chain, stated: whoever holds audit.key can rewrite and re-link history; the witness the
    DPO kept outside the store is what catches it."""
    store, _saved = trail(tmp_path)
    kept = store.witness()
    edit_and_relink_with_the_key(store)
    assert store.verify() == []
    assert any("no longer has the hash it saw" in p.what for p in store.verify([kept]))
