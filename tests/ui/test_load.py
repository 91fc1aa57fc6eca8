"""Concurrent answers: no cross-talk between requests or audit records; a full queue refuses quickly."""

import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from .live import start_server

pytestmark = pytest.mark.slow


def serve(sw, default_concurrency_limit: int, max_size: int):
    running = start_server(sw, queue=(default_concurrency_limit, max_size))
    return running, running.url + "/"


def ask(url, question):
    from gradio_client import Client

    t0 = time.perf_counter()
    try:
        out = Client(url, analytics_enabled=False, verbose=False).predict(question, api_name="/ask")
        return question, out, None, time.perf_counter() - t0
    except Exception as e:  # noqa: BLE001 - the test inspects what the client saw
        return question, None, str(e), time.perf_counter() - t0


def test_thirty_concurrent_sessions_each_get_only_their_own_answer(audited_sw):
    demo, url = serve(audited_sw, default_concurrency_limit=2, max_size=64)
    try:
        questions = [f"Case nonce{n:03d}x: can I share without consent?" for n in range(30)]
        with ThreadPoolExecutor(30) as pool:
            results = list(pool.map(lambda q: ask(url, q), questions))
        assert [e for _, _, e, _ in results if e] == []
        for q, out, _, _ in results:
            assert out["question"] == q and out["audit_seq"] is not None
            others = [x.split()[1] for x in questions if x != q]
            blob = str(out)
            assert not any(o in blob for o in others)
        rows = audited_sw.audit.rows("answer")
        assert sorted(r["content"]["question"] for r in rows) == sorted(questions)
        # each answer's audit number is the record of its own question
        by_seq = {r["seq"]: r["content"]["question"] for r in rows}
        assert all(by_seq[out["audit_seq"]] == q for q, out, _, _ in results)
        assert audited_sw.audit.verify() == []
    finally:
        demo.close()


def test_beyond_the_queue_limit_requests_are_refused_quickly_and_the_server_recovers(fake_sw):
    demo, url = serve(fake_sw, default_concurrency_limit=1, max_size=2)
    try:
        with ThreadPoolExecutor(20) as pool:
            results = list(pool.map(lambda n: ask(url, f"question {n} about consent"), range(20)))
        refused = [(e, t) for _, out, e, t in results if e]
        assert refused, "expected some requests to be refused at a queue of 2"
        assert all("queue is full" in e.lower() for e, _ in refused)
        assert max(t for _, t in refused) < 30
        assert ask(url, "Do I need consent?")[1]["question"] == "Do I need consent?"
    finally:
        demo.close()
