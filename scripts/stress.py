"""`make stress`: load and soak against a real `sharewise serve` on 127.0.0.1 (not run in CI).

Phase 1: 40 simultaneous users, each asking 5 questions through the `ask` API.
Phase 2: a burst beyond the queue limit, to see quick refusals and recovery.
Phase 3: a soak (default 10 minutes) at about 2 requests a second, sampling the server's memory.
Bounded in count and time, loopback only.
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

QUESTIONS = ["Can I tell children's social care without asking mum?", "What is Clare's Law?",
             "Do I need consent to share information about a child at risk?", "What are the seven golden rules?",
             "When is the Schedule 1 safeguarding condition met for an adult at risk?",
             "Who is the Caldicott guardian for North East Lincolnshire?", "How do I bake bread?"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def pct(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, max(0, int(round(p / 100 * len(values) + 0.5)) - 1))] if values else float("nan")


def one(url, q):
    from gradio_client import Client

    t0 = time.perf_counter()
    try:
        out = Client(url, analytics_enabled=False, verbose=False).predict(q, api_name="/ask")
        ok = isinstance(out, dict) and "error" not in out and out.get("question") == q
        return ok, time.perf_counter() - t0, "" if ok else str(out)[:80]
    except Exception as e:  # noqa: BLE001
        return False, time.perf_counter() - t0, str(e)[:80]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--users", type=int, default=40)
    ap.add_argument("--per-user", type=int, default=5)
    ap.add_argument("--soak-seconds", type=int, default=600)
    args = ap.parse_args()
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    env = {**os.environ, "SHAREWISE_DATA_DIR": tempfile.mkdtemp(prefix="sharewise-stress-")}
    server = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--port", str(port)], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.time() + 120
        while time.time() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                time.sleep(1)
        print(f"machine: {os.cpu_count()} CPUs; server pid {server.pid}; RSS at start {rss_mb(server.pid):.0f} MB",
              flush=True)
        jobs = [QUESTIONS[i % len(QUESTIONS)] + f" (user {i % args.users})" for i in range(args.users * args.per_user)]
        t0 = time.perf_counter()
        with ThreadPoolExecutor(args.users) as pool:
            res = list(pool.map(lambda q: one(url, q), jobs))
        wall = time.perf_counter() - t0
        lat = [t * 1000 for ok, t, _ in res if ok]
        errors = [e for ok, _, e in res if not ok]
        print(f"\nLoad: {args.users} simultaneous users x {args.per_user} questions = {len(jobs)} requests")
        print(f"  errors {len(errors)}; p50 {pct(lat, 50):.0f} ms, p95 {pct(lat, 95):.0f} ms, "
              f"p99 {pct(lat, 99):.0f} ms; "
              f"throughput {len(lat) / wall:.1f} answers/s; RSS {rss_mb(server.pid):.0f} MB")
        for e in errors[:3]:
            print("   e.g.", e)
        with ThreadPoolExecutor(120) as pool:
            burst = list(pool.map(lambda i: one(url, f"burst {i}: consent?"), range(120)))
        refused = [t for ok, t, e in burst if not ok and "queue is full" in e.lower()]
        print(f"\nBurst: 120 at once against a queue of 64: {sum(ok for ok, _, _ in burst)} answered, {len(refused)} "
              f"refused with 'Queue is full' (slowest refusal {max(refused, default=0) * 1000:.0f} ms); "
              f"healthy afterwards: {one(url, 'Do I need consent?')[0]}")
        samples, soak_lat, soak_err = [], [], 0
        end = time.time() + args.soak_seconds
        i = 0
        while time.time() < end:
            ok, t, _ = one(url, QUESTIONS[i % len(QUESTIONS)] + f" soak {i}")
            soak_lat.append(t * 1000)
            soak_err += not ok
            if i % 20 == 0:
                samples.append(rss_mb(server.pid))
            i += 1
            time.sleep(max(0.0, 0.5 - t))
        warm = samples[len(samples) // 5] if samples else float("nan")
        print(f"\nSoak: {args.soak_seconds} s, {i} requests, {soak_err} errors, p95 {pct(soak_lat, 95):.0f} ms; "
              "RSS after "
              f"warm-up {warm:.0f} MB, at end {samples[-1] if samples else float('nan'):.0f} MB "
              f"(growth {100 * (samples[-1] - warm) / warm if samples else 0:.1f}%)")
        print(f"  RSS samples (MB): {', '.join(f'{s:.0f}' for s in samples[:: max(1, len(samples) // 12)])}")
        return 0 if not errors and not soak_err else 1
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    sys.exit(main())
