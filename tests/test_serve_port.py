"""A busy port stops `sharewise serve` with one line naming --port and SHAREWISE_PORT, before anything loads."""

import os
import socket
import subprocess
import sys
import time

import pytest


@pytest.fixture
def busy_port():
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        yield s.getsockname()[1]


def serve(args, env, timeout=60):
    # No model folder: had the models started loading, the exit would be 4 (model missing), not 2.
    env = {**os.environ, "SHAREWISE_MODEL_DIR": "/nonexistent-model-folder", **env}
    return subprocess.run([sys.executable, "-m", "assistant.cli", "serve", *args], capture_output=True, text=True,
                          timeout=timeout, env=env)


@pytest.mark.parametrize("how", ["--port", "SHAREWISE_PORT"])
def test_a_busy_port_is_one_line_naming_the_way_out(busy_port, how, tmp_path):
    args, env = (["--port", str(busy_port)], {}) if how == "--port" else ([], {"SHAREWISE_PORT": str(busy_port)})
    t0 = time.monotonic()
    r = serve(args, {**env, "SHAREWISE_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode == 2, r.stderr
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1, r.stderr
    assert f"127.0.0.1:{busy_port}" in lines[0] and "--port" in lines[0] and "SHAREWISE_PORT" in lines[0]
    assert "Traceback" not in r.stderr and "GRADIO_SERVER_PORT" not in r.stderr and r.stdout == ""
    assert time.monotonic() - t0 < 30  # a start of Python and argparse, not of the models


def test_a_bad_port_value_is_one_line(tmp_path):
    r = serve([], {"SHAREWISE_PORT": "seventy", "SHAREWISE_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode != 0 and "SHAREWISE_PORT" in r.stderr and "Traceback" not in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    r = serve(["--port", "70000"], {"SHAREWISE_DATA_DIR": str(tmp_path / "data")})
    assert r.returncode == 2 and "--port" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_port_and_host_come_from_the_flags_then_the_environment(monkeypatch):
    from assistant import cli

    seen = {}
    monkeypatch.setattr(cli, "_port_taken", lambda host, port: seen.update(host=host, port=port) or "stop here")
    monkeypatch.setenv("SHAREWISE_PORT", "7999")
    monkeypatch.setenv("SHAREWISE_HOST", "127.0.0.2")
    assert cli.main(["serve"]) == 2 and seen == {"host": "127.0.0.2", "port": 7999}
    assert cli.main(["serve", "--port", "8001", "--host", "127.0.0.1"]) == 2
    assert seen == {"host": "127.0.0.1", "port": 8001}
    monkeypatch.delenv("SHAREWISE_PORT")
    monkeypatch.delenv("SHAREWISE_HOST")
    assert cli.main(["serve"]) == 2 and seen == {"host": "127.0.0.1", "port": 7860}


def test_a_free_port_is_not_taken():
    from assistant.cli import _port_taken

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert _port_taken("127.0.0.1", port) is None and _port_taken("127.0.0.1", 0) is None
    assert _port_taken("no-such-host.invalid", 8000) is not None
