import json
from dataclasses import replace

import pytest

from assistant.corpus import load_corpus
from assistant.errors import IndexCorrupt, IndexMissing, IndexStale
from assistant.index import build_index, load_index
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
    path = built / name
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
    (built / "manifest.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(IndexCorrupt, match="manifest.json is damaged"):
        load_index(built, corpus, fake_embedder, settings)


def test_dimension_mismatch_is_refused_before_any_query(corpus, settings, fake_embedder, built):
    with pytest.raises(IndexCorrupt, match="64 dimensions but the model .* gives 32"):
        load_index(built, corpus, hashing_embedder(dim=32), settings)


def test_manifest_that_lies_about_counts_is_refused(corpus, settings, fake_embedder, built):
    m = json.loads((built / "manifest.json").read_text())
    m["chunk_count"] += 1
    (built / "manifest.json").write_text(json.dumps(m))
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
