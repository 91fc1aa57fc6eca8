import json
from dataclasses import replace

import pytest

from assistant.corpus import load_corpus
from assistant.errors import IndexCorrupt, IndexMissing, IndexStale
from assistant.index import build_index, live_dir, load_index
from assistant.pipeline import ensure_index

from .conftest import hashing_embedder


@pytest.fixture
def built(corpus, settings, fake_embedder):
    build_index(corpus, fake_embedder, settings, settings.index_dir, progress=False)
    return settings.index_dir


def test_build_then_load_round_trip_with_manifest(corpus, settings, fake_embedder, built):
    index = load_index(built, corpus, fake_embedder, settings)
    m = index.manifest
    assert m["model"] == {"name": "test-hashing", "weights_sha256": "0" * 64, "dim": 64, "max_tokens": 256}
    assert m["chunker"] == settings.chunker_settings()
    assert m["corpus"] == corpus.hashes()
    assert m["chunk_count"] == len(index.chunks) > 100 and index.dim == 64
    assert set(m["files"]) == {"chunks.jsonl", "sentences.jsonl", "dense.faiss", "sentences.npy"}
    assert not list(built.glob(".build-*")), "temporary build folder left behind"


def test_rebuild_gives_the_same_chunk_ids(corpus, settings, fake_embedder, built):
    first = [c.id for c in load_index(built, corpus, fake_embedder, settings).chunks]
    build_index(corpus, fake_embedder, settings, built, progress=False)
    assert [c.id for c in load_index(built, corpus, fake_embedder, settings).chunks] == first


def test_missing_index_names_the_command(corpus, settings, fake_embedder):
    with pytest.raises(IndexMissing, match="sharewise index"):
        load_index(settings.index_dir, corpus, fake_embedder, settings)


def test_changed_corpus_makes_the_index_stale(corpus_copy, settings, fake_embedder):
    s = replace(settings, corpus_dir=corpus_copy)
    build_index(load_corpus(corpus_copy), fake_embedder, s, s.index_dir, progress=False)
    doc = corpus_copy / "docs" / "dpa-2018.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    with pytest.raises(IndexStale, match=r"corpus changed \(dpa-2018\).*sharewise index"):
        load_index(s.index_dir, load_corpus(corpus_copy), fake_embedder, s)


def test_other_model_or_chunker_settings_make_the_index_stale(corpus, settings, fake_embedder, built):
    with pytest.raises(IndexStale, match="another model"):
        load_index(built, corpus, hashing_embedder(weights="f" * 64), settings)
    with pytest.raises(IndexStale, match="chunker settings changed"):
        load_index(built, corpus, fake_embedder, replace(settings, chunk_tokens=200))


def test_ensure_index_rebuilds_a_stale_index(corpus, settings, fake_embedder, built):
    other = hashing_embedder(weights="f" * 64)
    index, stats = ensure_index(settings, corpus, other, progress=False)
    assert stats is not None and index.manifest["model"]["weights_sha256"] == "f" * 64
    _, again = ensure_index(settings, corpus, other, progress=False)
    assert again is None  # up to date: not rebuilt


@pytest.mark.parametrize("damage", ["flip", "truncate", "empty", "delete"])
@pytest.mark.parametrize("name", ["dense.faiss", "chunks.jsonl", "sentences.npy"])
def test_damaged_files_are_refused_with_a_clear_error(corpus, settings, fake_embedder, built, damage, name):
    path = live_dir(built) / name
    data = bytearray(path.read_bytes())
    if damage == "flip":
        data[len(data) // 2] ^= 0x01
        path.write_bytes(bytes(data))
    elif damage == "truncate":
        path.write_bytes(bytes(data[: len(data) // 2]))
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        path.unlink()
    with pytest.raises(IndexCorrupt, match="sharewise index --rebuild"):
        load_index(built, corpus, fake_embedder, settings)


def test_garbage_manifest_is_refused(corpus, settings, fake_embedder, built):
    (live_dir(built) / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="manifest.json is damaged"):
        load_index(built, corpus, fake_embedder, settings)


def test_dimension_mismatch_is_refused_before_any_query(corpus, settings, fake_embedder, built):
    with pytest.raises(IndexCorrupt, match="64 dimensions but the model .* gives 32"):
        load_index(built, corpus, hashing_embedder(dim=32), settings)


def test_manifest_that_lies_about_counts_is_refused(corpus, settings, fake_embedder, built):
    m = json.loads((live_dir(built) / "manifest.json").read_text())
    m["chunk_count"] += 1
    (live_dir(built) / "manifest.json").write_text(json.dumps(m))
    with pytest.raises(IndexCorrupt, match="vectors"):
        load_index(built, corpus, fake_embedder, settings)


def test_index_on_a_read_only_folder_says_so_without_a_traceback(monkeypatch, tmp_path, capsys):
    """L4: a read-only index folder (a read-only mount: root ignores chmod) gets one clear sentence, exit 5."""
    import errno
    import tempfile

    from assistant import cli, embedding, pipeline

    from .conftest import hashing_embedder

    monkeypatch.setenv("SHAREWISE_INDEX_DIR", str(tmp_path / "ro-index"))
    monkeypatch.setattr(embedding, "load_embedder", lambda *a, **k: hashing_embedder())
    monkeypatch.setattr(pipeline, "load_second", lambda settings: None)

    def read_only(*a, **k):
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(tempfile, "TemporaryFile", read_only)
    assert cli.main(["index", "--rebuild"]) == 5
    err = capsys.readouterr().err
    assert "cannot be written" in err and "Read-only file system" in err and "Traceback" not in err


# ---- the up-to-date check of `sharewise index` (and so `make run`): no model is loaded ---------------------------

@pytest.fixture
def model_files(tmp_path, monkeypatch):
    """Stand-in weights files for both models (the check reads only their identity) and loaders that fail: any
    attempt to load a model, or to embed, fails the test."""
    from assistant import embedding, index, pipeline, second_embedder

    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "model.safetensors").write_bytes(b"first weights")
    second = tmp_path / "e5-small-q4.bin"
    second.write_bytes(b"second weights")
    monkeypatch.setattr(index, "_second_weights", lambda: second)

    def no_model(*a, **k):
        raise AssertionError("the up-to-date check loaded a model")

    monkeypatch.setattr(embedding, "load_embedder", no_model)
    monkeypatch.setattr(pipeline, "load_second", no_model)
    monkeypatch.setattr(second_embedder, "load_second_embedder", no_model)
    return model_dir, second


class SecondStandIn:
    def __init__(self, weights: str, dim: int = 8):
        self.name, self.weights_sha256, self.dim = "second-stand-in", weights, dim

    def passages(self, texts):
        import numpy as np

        out = np.zeros((len(texts), self.dim), dtype=np.float32)
        out[:, 0] = 1.0
        return out


def _sha(path):
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _built_for(model_files, corpus, settings, *, with_second=False, **changes):
    model_dir, second_file = model_files
    s = replace(settings, model_dir=model_dir, second_model=with_second, **changes)
    second = SecondStandIn(_sha(second_file)) if with_second else None
    build_index(corpus, hashing_embedder(weights=_sha(model_dir / "model.safetensors")), s, s.index_dir,
                progress=False, second=second)
    return s


def test_up_to_date_is_decided_without_loading_or_hashing_the_models(model_files, corpus, settings, monkeypatch,
                                                                      capsys):
    from assistant import cli, index

    s = _built_for(model_files, corpus, settings, with_second=True)
    assert index.index_staleness(s.index_dir, corpus, s) == []
    hashed = []
    monkeypatch.setattr(index, "_hashed", {})  # a new process: nothing hashed yet
    monkeypatch.setattr(index, "file_sha256", lambda path: hashed.append(path) or "x")
    assert index.index_staleness(s.index_dir, corpus, s) == []
    assert hashed == [], "the weights were hashed although their size and mtime are the ones recorded"

    monkeypatch.setenv("SHAREWISE_MODEL_DIR", str(s.model_dir))
    monkeypatch.setenv("SHAREWISE_INDEX_DIR", str(s.index_dir))
    monkeypatch.setattr(cli, "_settings", lambda args: s)
    assert cli.main(["index"]) == 0
    assert "is up to date" in capsys.readouterr().out


def test_up_to_date_check_sees_a_changed_corpus(model_files, corpus_copy, settings):
    from assistant.index import index_staleness

    s = _built_for(model_files, load_corpus(corpus_copy), settings, corpus_dir=corpus_copy)
    doc = corpus_copy / "docs" / "dpa-2018.md"
    doc.write_text(doc.read_text(encoding="utf-8") + "\nA new line.\n", encoding="utf-8")
    reasons = index_staleness(s.index_dir, load_corpus(corpus_copy), s)
    assert len(reasons) == 1 and "corpus changed (dpa-2018)" in reasons[0]


def test_up_to_date_check_sees_changed_model_weights(model_files, corpus, settings):
    import os

    from assistant.index import index_staleness

    s = _built_for(model_files, corpus, settings, with_second=True)
    weights = s.model_dir / "model.safetensors"
    os.utime(weights, ns=(1, 1))  # touched, same bytes: hashed again, still up to date
    assert index_staleness(s.index_dir, corpus, s) == []
    weights.write_bytes(b"other weights")
    assert any("another model" in r for r in index_staleness(s.index_dir, corpus, s))

    s = _built_for(model_files, corpus, settings, with_second=True)
    model_files[1].write_bytes(b"another second model")
    assert any("with another second model" in r for r in index_staleness(s.index_dir, corpus, s))


def test_up_to_date_check_sees_another_model_folder_and_a_missing_second_model(model_files, corpus, settings,
                                                                               tmp_path):
    from assistant.index import index_staleness

    s = _built_for(model_files, corpus, settings)
    other = tmp_path / "other-model"
    other.mkdir()
    (other / "model.safetensors").write_bytes(b"a different model")
    assert any("another model" in r for r in index_staleness(s.index_dir, corpus, replace(s, model_dir=other)))
    assert any("without the second model" in r
               for r in index_staleness(s.index_dir, corpus, replace(s, second_model=True)))


def test_up_to_date_check_sees_changed_chunk_settings(model_files, corpus, settings):
    from assistant.index import index_staleness

    s = _built_for(model_files, corpus, settings)
    assert any("chunker settings changed" in r
               for r in index_staleness(s.index_dir, corpus, replace(s, chunk_tokens=200)))
    assert any("chunker settings changed" in r
               for r in index_staleness(s.index_dir, corpus, replace(s, chunk_overlap=8)))


@pytest.mark.parametrize("damage", ["missing-index", "flip", "delete", "manifest-count", "garbage-manifest"])
def test_up_to_date_check_sees_a_missing_or_damaged_index(model_files, corpus, settings, damage):
    from assistant.index import index_staleness

    s = _built_for(model_files, corpus, settings)
    d = live_dir(s.index_dir)
    if damage == "missing-index":
        s = replace(s, index_dir=d.parent / "nowhere")
    elif damage == "flip":
        data = bytearray((d / "sentences.npy").read_bytes())
        data[len(data) // 2] ^= 1
        (d / "sentences.npy").write_bytes(bytes(data))
    elif damage == "delete":
        (d / "dense.faiss").unlink()
    elif damage == "manifest-count":
        m = json.loads((d / "manifest.json").read_text())
        m["chunk_count"] += 1
        (d / "manifest.json").write_text(json.dumps(m))
    else:
        (d / "manifest.json").write_text("{not json")
    assert index_staleness(s.index_dir, corpus, s) != []


def test_a_stale_index_is_rebuilt_by_the_command_saying_why(model_files, corpus, settings, monkeypatch, capsys):
    from assistant import cli, embedding, pipeline

    s = _built_for(model_files, corpus, settings)
    s = replace(s, chunk_tokens=100)
    monkeypatch.setattr(pipeline, "load_second", lambda settings: None)
    monkeypatch.setattr(cli, "_settings", lambda args: s)
    monkeypatch.setattr(embedding, "load_embedder",
                        lambda *a, **k: hashing_embedder(weights=_sha(s.model_dir / "model.safetensors")))
    assert cli.main(["index"]) == 0
    captured = capsys.readouterr()
    assert "Building the index, because the chunker settings changed" in captured.err
    assert "Loading the embedding model (MiniLM)" in captured.err and "Built " in captured.out
    assert cli.main(["index"]) == 0 and "is up to date" in capsys.readouterr().out
