"""`sharewise serve` refuses to start on broken state, with a message naming the fix."""

import os
import shutil
import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow


def serve(env, timeout=120):
    return subprocess.run([sys.executable, "-m", "assistant.cli", "serve", "--port", "0"], capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **env})


@pytest.fixture
def index_copy(real_sharewise, tmp_path):
    dst = tmp_path / "index"
    shutil.copytree(real_sharewise.settings.index_dir, dst)
    return dst


@pytest.mark.parametrize("damage, code, message", [
    ("flip", 6, "sharewise index --rebuild"),
    ("truncate", 6, "sharewise index --rebuild"),
    ("other-model", 5, "another model"),
])
def test_serve_refuses_a_broken_index(index_copy, damage, code, message):
    import json

    from assistant.index import live_dir

    build = live_dir(index_copy)
    faiss_file = build / "dense.faiss"
    data = bytearray(faiss_file.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0xFF
        faiss_file.write_bytes(bytes(data))
    elif damage == "truncate":
        faiss_file.write_bytes(bytes(data[:100]))
    else:
        m = json.loads((build / "manifest.json").read_text())
        m["model"]["weights_sha256"] = "f" * 64
        (build / "manifest.json").write_text(json.dumps(m))
    r = serve({"SHAREWISE_INDEX_DIR": str(index_copy)})
    assert r.returncode == code and message in r.stderr and "Traceback" not in r.stderr
    assert "ready at" not in r.stdout


def test_serve_refuses_a_missing_model(index_copy, tmp_path):
    r = serve({"SHAREWISE_INDEX_DIR": str(index_copy), "SHAREWISE_MODEL_DIR": str(tmp_path / "no-model")})
    assert r.returncode == 4 and "SHAREWISE_MODEL_DIR" in r.stderr


def test_serve_refuses_when_the_corpus_changed_under_the_index(index_copy, tmp_path):
    from .conftest import REPO

    corpus = tmp_path / "corpus"
    shutil.copytree(REPO / "corpus", corpus)
    doc = corpus / "docs" / "dpa-2018.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nAn added line.\n", encoding="utf-8")
    r = serve({"SHAREWISE_INDEX_DIR": str(index_copy), "SHAREWISE_CORPUS_DIR": str(corpus)})
    assert r.returncode == 5 and "corpus changed (dpa-2018)" in r.stderr and "sharewise index" in r.stderr


def test_serve_refuses_an_unwritable_audit_store(index_copy, tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    r = serve({"SHAREWISE_INDEX_DIR": str(index_copy), "SHAREWISE_DATA_DIR": str(blocker / "data")})
    assert r.returncode == 7 and "audit store" in r.stderr and "ready at" not in r.stdout
