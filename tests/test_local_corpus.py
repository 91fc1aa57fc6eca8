"""The local corpus folder: ingest, provenance, supersession, remove, the incremental index and the live swap.

Parsing is the sandbox's job (tests/ingest); here a stand-in reads the file's text, so these tests are about what
ingest does with a parsed document."""

import json
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np
import pytest

from assistant.corpus import load_corpus_for
from assistant.errors import CorpusError, DocumentRefused
from assistant.index import build_index, live_dir, load_index
from assistant.ingest.commands import update_index
from assistant.ingest.extracted import Extracted
from assistant.ingest.library import Provenance, ingest, remove, source_lines
from assistant.ingest.registry import read_registry
from assistant.pipeline import Sharewise
from assistant.quotes import make_quote, verify_quote
from assistant.render.wording import short_citation
from assistant.settings import Settings

from .conftest import hashing_embedder

OLD = """# Riverton information sharing procedure 2019

## Referrals

Referrals to the Riverton Front Door must be confirmed in writing within 48 hours of a telephone referral.

## Escalation

Practitioners who disagree with a decision should first speak to the social worker's team manager.
"""
NEW = """# Riverton information sharing procedure 2025

## Referrals

Referrals to the Riverton Front Door must be confirmed in writing within 24 hours of a telephone referral.

## Escalation

Practitioners who disagree with a decision should first speak to the social worker's team manager within two days.
"""
PAGED = "# Paged\n\n## One\n\nThe first page has this sentence.\n\n## Two\n\nThe second page has that sentence.\n"


def read_as_markdown(path: Path) -> Extracted:
    text = path.read_text(encoding="utf-8")
    pages = (0, text.index("## Two")) if text == PAGED else ()
    return Extracted(text=text, kind="pdf" if pages else "markdown", title=text.splitlines()[0][2:], pages=pages)


def refuse(path: Path) -> Extracted:
    raise DocumentRefused(f"{path.name} is password-protected: save an unprotected copy and ingest that")


@pytest.fixture
def local_settings(tmp_path):
    return Settings.from_env(index_dir=tmp_path / "index", data_dir=tmp_path / "data", second_model=False)


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / "incoming" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


RIVERTON = Provenance(publisher="Riverton Safeguarding Children Partnership", date="2019-10-01", licence="OGL v3.0")


def test_an_ingested_document_is_kept_with_its_provenance_and_quotes_verify_against_its_text(tmp_path,
                                                                                          local_settings):
    src = write(tmp_path, "old.md", OLD)
    [added] = ingest([src], RIVERTON, local_settings, extract=read_as_markdown)
    assert added.status == "added" and added.id == "riverton-information-sharing-procedure-2019"
    local = local_settings.local_corpus_dir
    [entry] = read_registry(local)
    assert entry.publisher == RIVERTON.publisher and entry.date == "2019-10-01" and entry.licence == "OGL v3.0"
    assert entry.checked_on == date.today().isoformat() and entry.original_name == "old.md"
    assert (local / entry.original_file).read_bytes() == src.read_bytes()
    assert (local / entry.file).read_text(encoding="utf-8") == OLD
    assert oct(local.stat().st_mode & 0o777) == "0o700"
    corpus = load_corpus_for(local_settings)
    assert {"nel-scp-information-sharing", entry.id} <= set(corpus.documents)  # bundled beside local
    doc = corpus.documents[entry.id]
    start = doc.text.index("Referrals to the Riverton")
    quote = make_quote(corpus, entry.id, start, doc.text.index("\n", start), 1.0)
    assert verify_quote(corpus, quote) and quote.publisher == RIVERTON.publisher
    assert short_citation(quote).endswith("Referrals · Riverton Safeguarding Children Partnership")


def test_a_refused_file_changes_nothing_even_beside_a_good_one(tmp_path, local_settings):
    good, bad = write(tmp_path, "old.md", OLD), write(tmp_path, "locked.pdf", "x")
    calls = []

    def extract(path):
        calls.append(path.name)
        return refuse(path) if path.name == "locked.pdf" else read_as_markdown(path)

    with pytest.raises(DocumentRefused, match="password-protected") as e:
        ingest([good, bad], RIVERTON, local_settings, extract=extract)
    assert e.value.exit_code == 2 and calls == ["old.md", "locked.pdf"]
    assert read_registry(local_settings.local_corpus_dir) == ()
    assert not (local_settings.local_corpus_dir / "docs").exists()


@pytest.mark.parametrize("meta, message", [
    (Provenance(), "--publisher"),
    (replace(RIVERTON, date="1 Oct 2019"), "YYYY-MM-DD"),
    (replace(RIVERTON, supersedes=("no-such-source",)), "no such source"),
    (replace(RIVERTON, url="file:///etc/passwd"), "http"),
])
def test_bad_provenance_is_refused_before_the_file_is_read(tmp_path, local_settings, meta, message):
    def never(path):
        raise AssertionError("read before the options were checked")

    with pytest.raises(DocumentRefused, match=message):
        ingest([write(tmp_path, "old.md", OLD)], meta, local_settings, extract=never)


def test_the_same_file_again_is_not_read_again_and_a_same_titled_one_never_replaces(tmp_path, local_settings):
    src = write(tmp_path, "old.md", OLD)
    ingest([src], RIVERTON, local_settings, extract=read_as_markdown)

    def never(path):
        raise AssertionError("an unchanged file was parsed again")

    [again] = ingest([src], RIVERTON, local_settings, extract=never)
    assert again.status == "unchanged"
    edited = write(tmp_path, "old-corrected.md", OLD.replace("48 hours", "two working days"))
    [other] = ingest([edited], RIVERTON, local_settings, extract=read_as_markdown)
    assert other.id == "riverton-information-sharing-procedure-2019-2" and "--supersedes" in other.note
    assert len(read_registry(local_settings.local_corpus_dir)) == 2


def test_a_superseded_source_quotes_name_the_successor_and_the_current_one_ranks_first(tmp_path, local_settings):
    old = ingest([write(tmp_path, "old.md", OLD)], RIVERTON, local_settings, extract=read_as_markdown)[0]
    new = ingest([write(tmp_path, "new.md", NEW)], replace(RIVERTON, date="2025-09-01", supersedes=(old.id,)),
                 local_settings, extract=read_as_markdown)[0]
    corpus = load_corpus_for(local_settings)
    assert corpus.superseded() == {old.id: (new.id,)}
    text = corpus.documents[old.id].text
    start = text.index("Referrals to")
    quote = make_quote(corpus, old.id, start, text.index("\n", start), 1.0)
    assert quote.currency.startswith("Superseded by Riverton information sharing procedure 2025 "
                                     "(Riverton Safeguarding Children Partnership, 2025-09-01)")
    assert make_quote(corpus, new.id, 60, 70, 1.0).currency == ""
    lines = {s.id: s for s in source_lines(corpus)}
    assert lines[old.id].currency == f"superseded by {new.id}" and lines[new.id].supersedes == (old.id,)

    e = hashing_embedder()
    update_index(local_settings, progress=False, embedder=e)
    sw = Sharewise(local_settings, corpus, e, load_index(local_settings.index_dir, corpus, e, local_settings))
    found = sw.retriever.retrieve("Riverton front door telephone referral confirmed in writing within hours", top_k=5)
    docs = [p.chunk.doc_id for p in found.passages]
    assert new.id in docs and old.id in docs and docs.index(new.id) < docs.index(old.id)
    scores = [p.score for p in found.passages]
    assert scores == sorted(scores, reverse=True)


def test_remove_takes_a_local_document_out_and_a_bundled_one_is_read_only(tmp_path, local_settings):
    old = ingest([write(tmp_path, "old.md", OLD)], RIVERTON, local_settings, extract=read_as_markdown)[0]
    new = ingest([write(tmp_path, "new.md", NEW)], replace(RIVERTON, supersedes=(old.id,)), local_settings,
                 extract=read_as_markdown)[0]
    gone, unlinked = remove(old.id, local_settings)
    assert gone.id == old.id and unlinked == (new.id,)
    corpus = load_corpus_for(local_settings)
    assert old.id not in corpus.documents and corpus.documents[new.id].source.supersedes == ()
    assert not list((local_settings.local_corpus_dir / "originals").glob(f"{old.id}.*"))
    with pytest.raises(DocumentRefused, match="read-only"):
        remove("dpa-2018", local_settings)
    with pytest.raises(DocumentRefused, match="no local document"):
        remove("nothing-here", local_settings)


def test_a_text_of_record_edited_by_hand_is_refused_at_load(tmp_path, local_settings):
    ingest([write(tmp_path, "old.md", OLD)], RIVERTON, local_settings, extract=read_as_markdown)
    [entry] = read_registry(local_settings.local_corpus_dir)
    path = local_settings.local_corpus_dir / entry.file
    path.write_text(OLD.replace("48", "72"), encoding="utf-8")
    with pytest.raises(CorpusError, match="changed outside `sharewise ingest`"):
        load_corpus_for(local_settings)


def test_a_quote_from_a_pdf_carries_its_page(tmp_path, local_settings):
    ingest([write(tmp_path, "paged.md", PAGED)], RIVERTON, local_settings, extract=read_as_markdown)
    corpus = load_corpus_for(local_settings)
    doc = corpus.documents["paged-2019"]
    first, second = doc.text.index("The first"), doc.text.index("The second")
    assert make_quote(corpus, "paged-2019", first, first + 20, 1.0).page == 1
    quote = make_quote(corpus, "paged-2019", second, doc.text.index("\n", second), 1.0)
    assert quote.page == 2 and ", p. 2 · " in short_citation(quote)


def test_sources_flags_a_source_not_checked_for_twelve_months(tmp_path, local_settings):
    ingest([write(tmp_path, "old.md", OLD)], replace(RIVERTON, checked_on="2025-10-01"), local_settings,
           extract=read_as_markdown)
    lines = {s.id: s for s in source_lines(load_corpus_for(local_settings), today=date(2026, 12, 2))}
    assert lines["riverton-information-sharing-procedure-2019"].check_due
    assert not lines["dpa-2018"].check_due  # bundled, checked 2026-11-27
    later = {s.id: s for s in source_lines(load_corpus_for(local_settings), today=date(2027, 12, 2))}
    assert later["dpa-2018"].check_due


def test_adding_one_document_embeds_only_it_and_gives_the_same_index_as_a_full_rebuild(tmp_path, local_settings):
    e = hashing_embedder()
    first = update_index(local_settings, progress=False, embedder=e)
    assert first["documents_embedded"] == first["documents"] == 5
    ingest([write(tmp_path, "old.md", OLD)], RIVERTON, local_settings, extract=read_as_markdown)
    second = update_index(local_settings, progress=False, embedder=e)
    assert second["documents_embedded"] == 1 and second["documents"] == 6
    corpus = load_corpus_for(local_settings)
    fresh = replace(local_settings, index_dir=tmp_path / "fresh")
    build_index(corpus, e, fresh, fresh.index_dir, progress=False)
    a = load_index(local_settings.index_dir, corpus, e, local_settings)
    b = load_index(fresh.index_dir, corpus, e, fresh)
    assert [c.id for c in a.chunks] == [c.id for c in b.chunks]
    assert np.array_equal(a.sentence_vectors, b.sentence_vectors)
    assert np.array_equal(a.chunk_vectors(list(range(len(a.chunks)))), b.chunk_vectors(list(range(len(b.chunks)))))


def test_a_new_build_is_swapped_in_whole_and_the_one_in_use_is_kept(tmp_path, local_settings):
    e = hashing_embedder()
    update_index(local_settings, progress=False, embedder=e)
    in_use = live_dir(local_settings.index_dir)
    ingest([write(tmp_path, "old.md", OLD)], RIVERTON, local_settings, extract=read_as_markdown)
    update_index(local_settings, progress=False, embedder=e)
    now = live_dir(local_settings.index_dir)
    assert now != in_use and (in_use / "manifest.json").is_file()  # a reader mid-load still has its files
    assert (local_settings.index_dir / "current").is_symlink()
    manifest = json.loads((now / "manifest.json").read_text())
    assert "riverton-information-sharing-procedure-2019" in manifest["corpus"]
    assert not [p for p in (local_settings.index_dir / "builds").iterdir() if p.name.startswith(".")]
    update_index(local_settings, progress=False, embedder=e)
    assert not in_use.exists()  # two builds back: nobody can be reading it


def test_a_running_sharewise_answers_from_a_new_document_after_refresh_and_never_from_a_broken_build(
        tmp_path, local_settings):
    e = hashing_embedder()
    update_index(local_settings, progress=False, embedder=e)
    corpus = load_corpus_for(local_settings)
    sw = Sharewise(local_settings, corpus, e, load_index(local_settings.index_dir, corpus, e, local_settings))
    assert sw.refresh() is False  # nothing new
    ingest([write(tmp_path, "new.md", NEW)], replace(RIVERTON, date="2025-09-01"), local_settings,
           extract=read_as_markdown)
    assert sw.refresh() is False  # the registry changed but no index matches it yet: the old library stays
    assert "riverton-information-sharing-procedure-2025" not in sw.corpus.documents
    update_index(local_settings, progress=False, embedder=e)
    assert sw.refresh() is True
    assert "riverton-information-sharing-procedure-2025" in sw.corpus.documents
    found = sw.find_guidance("Riverton Front Door telephone referral confirmed in writing")
    assert any(q.doc_id == "riverton-information-sharing-procedure-2025" for q in found.quotes) or \
        found.passages[0].chunk.doc_id == "riverton-information-sharing-procedure-2025"
    library = sw.library
    (local_settings.local_corpus_dir / "docs" / "riverton-information-sharing-procedure-2025.md").write_text("x")
    (local_settings.local_corpus_dir / "registry.json").touch()
    assert sw.refresh() is False and sw.library is library  # a broken folder: the working library stays


def test_the_national_text_keeps_a_place_beside_local_passages_when_it_ranks_close_behind():
    from assistant.source_mix import mix_sources

    is_local = [True, True, True, False, False]
    fused = {0: 1.0, 1: 0.9, 2: 0.8, 3: 0.75, 4: 0.1}
    assert mix_sources([0, 1, 2, 3, 4], fused, is_local, 3) == [0, 1, 3]  # 0.75 is within 10% of 0.8
    assert mix_sources([0, 1, 2, 4], fused, is_local, 3) == [0, 1, 2]  # 0.1 is far behind: not forced in
    assert mix_sources([0, 3, 1, 2], fused, is_local, 3) == [0, 3, 1]  # both sides already shown
    assert mix_sources([3, 4, 0], {3: 1.0, 4: 0.9, 0: 0.85}, is_local, 2) == [3, 0]  # and the other way round


def test_a_running_server_answers_from_a_document_ingested_while_it_serves(tmp_path, local_settings):
    """No restart: the server's watcher swaps the new library in within seconds of the index update."""
    import time

    from .ui.live import start_server

    e = hashing_embedder()
    update_index(local_settings, progress=False, embedder=e)
    corpus = load_corpus_for(local_settings)
    sw = Sharewise(local_settings, corpus, e, load_index(local_settings.index_dir, corpus, e, local_settings))
    running = start_server(sw)
    try:
        ingest([write(tmp_path, "new.md", NEW)], replace(RIVERTON, date="2025-09-01"), local_settings,
               extract=read_as_markdown)
        update_index(local_settings, progress=False, embedder=e)
        deadline = time.monotonic() + 20
        while "riverton-information-sharing-procedure-2025" not in sw.corpus.documents:
            assert time.monotonic() < deadline, "the running server never took up the new index"
            time.sleep(0.2)
    finally:
        running.close()


def test_a_contact_question_the_bundled_texts_decline_is_answered_from_a_local_document_marked_nearest(
        tmp_path, local_settings):
    question = "contact details for the Riverton Front Door?"
    s = replace(local_settings, min_relevance=0.2, min_quote_score=0.0)
    e = hashing_embedder(dim=1024)  # 64 hashed dimensions collide too often for one sentence to stand out
    update_index(s, progress=False, embedder=e)
    corpus = load_corpus_for(s)
    alone = Sharewise(s, corpus, e, load_index(s.index_dir, corpus, e, s)).find_guidance(question)
    assert not alone.grounded and not alone.scope.in_scope and alone.scope.coverage  # no phone numbers held
    contacts = "## Contacts\n\nThe contact details for the Riverton Front Door are 01632 960 111.\n\n"
    text = NEW.replace("## Escalation", contacts + "## Escalation")
    ingest([write(tmp_path, "new.md", text)], RIVERTON, s, extract=read_as_markdown)
    update_index(s, progress=False, embedder=e)
    corpus = load_corpus_for(s)
    found = Sharewise(s, corpus, e, load_index(s.index_dir, corpus, e, s)).find_guidance(question)
    assert found.grounded and found.weak  # shown as the nearest passage, which may not answer exactly
    assert corpus.documents[found.quotes[0].doc_id].source.local
    unrelated = Sharewise(s, corpus, e, load_index(s.index_dir, corpus, e, s)).find_guidance(
        "whats the parking like at the Riverton civic centre?")
    assert not unrelated.grounded  # declined for its topic, not for what the sources lack: stays declined


def test_the_ingest_command_refuses_a_bad_file_in_one_line_with_exit_2_and_changes_nothing(tmp_path, capsys,
                                                                                           monkeypatch):
    from assistant.cli import main

    monkeypatch.setenv("SHAREWISE_LOCAL_DIR", str(tmp_path / "local"))
    junk = tmp_path / "minutes.bin"
    junk.write_bytes(b"\x00\x01binary\xff" * 100)
    assert main(["ingest", str(junk), "--publisher", "Riverton SCP"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and err.startswith("sharewise: minutes.bin is not a kind of file") and \
        "Traceback" not in err
    assert not (tmp_path / "local" / "registry.json").exists()
    assert main(["ingest", str(junk)]) == 2 and "--publisher" in capsys.readouterr().err
    assert main(["sources", "--json"]) == 0
    assert {s["id"] for s in json.loads(capsys.readouterr().out)} >= {"dpa-2018", "nel-scp-information-sharing"}


def test_a_build_that_cannot_be_used_is_tried_once_until_something_changes_again(tmp_path, local_settings,
                                                                                  monkeypatch):
    """The server's watcher would otherwise log the same refusal every 2 s until the index is updated."""
    from assistant import pipeline

    e = hashing_embedder()
    update_index(local_settings, progress=False, embedder=e)
    corpus = load_corpus_for(local_settings)
    sw = Sharewise(local_settings, corpus, e, load_index(local_settings.index_dir, corpus, e, local_settings))
    ingest([write(tmp_path, "new.md", NEW)], replace(RIVERTON, date="2025-09-01"), local_settings,
           extract=read_as_markdown)
    tries = []
    real = pipeline.load_index
    monkeypatch.setattr(pipeline, "load_index", lambda *a, **k: tries.append(1) or real(*a, **k))
    assert [sw.refresh(), sw.refresh(), sw.refresh()] == [False, False, False] and len(tries) == 1
    update_index(local_settings, progress=False, embedder=e)
    assert sw.refresh() is True and len(tries) == 2
