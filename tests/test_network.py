"""Index and answer with an audit hook that records every socket connection attempt."""

import json
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

PROBE = r"""
import json, sys
attempts = []
def hook(event, args):
    if event == "socket.connect":
        addr = args[1]
        host = addr[0] if isinstance(addr, tuple) else str(addr)
        attempts.append(["connect", str(host)])
    elif event == "socket.getaddrinfo":
        attempts.append(["getaddrinfo", str(args[0])])
sys.addaudithook(hook)
from assistant.cli import main
assert main(["index", "--quiet"]) == 0
assert main(["ask", "--json", "Can I share information about a child without consent?"]) == 0
print("ATTEMPTS=" + json.dumps(attempts))
"""

LOOPBACK = ("127.", "::1", "localhost")


def test_index_and_ask_make_no_outbound_connection(tmp_path):
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stderr[-2000:]
    line = next(ln for ln in result.stdout.splitlines() if ln.startswith("ATTEMPTS="))
    attempts = json.loads(line[len("ATTEMPTS="):])
    outbound = [a for a in attempts if not a[1].startswith(LOOPBACK) and not a[1].startswith("/")]
    assert outbound == [], outbound
    assert '"grounded": true' in result.stdout


def test_the_probe_would_catch_a_connection():
    """The hook itself works: a deliberate lookup is recorded (no packet leaves: it is refused or fails)."""
    probe = PROBE.split("from assistant.cli")[0] + (
        "import socket\ntry:\n    socket.getaddrinfo('example.invalid', 80)\nexcept OSError:\n    pass\n"
        "print('ATTEMPTS=' + json.dumps(attempts))\n")
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, timeout=60)
    assert '"example.invalid"' in result.stdout
