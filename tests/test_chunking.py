from assistant.chunking import chunk_corpus
from assistant.embedding import ModelTokenizer
from assistant.settings import Settings

WINDOW = 256  # all-MiniLM-L6-v2 reads 256 WordPiece tokens and silently drops the rest


def make_chunks(corpus, chunk_tokens=None):
    s = Settings()
    tok = ModelTokenizer(s.model_dir)
    return tok, chunk_corpus(corpus, tok.ids, chunk_tokens or s.chunk_tokens, s.chunk_overlap, WINDOW)


def test_no_chunk_exceeds_the_model_window_even_at_the_largest_setting(corpus):
    for size in (Settings().chunk_tokens, 256, 400):
        tok, chunks = make_chunks(corpus, size)
        longest = max(tok.count_with_specials(c.embed_text()) for c in chunks)
        assert longest <= WINDOW, f"chunk_tokens={size}: a chunk has {longest} tokens"


def test_every_chunk_is_the_exact_text_at_its_offsets_within_one_section(corpus):
    _, chunks = make_chunks(corpus)
    for c in chunks:
        doc = corpus.documents[c.doc_id]
        assert doc.text[c.start:c.end] == c.text
        section = doc.section_at(c.start)
        assert section is not None and section.path == c.section and c.end <= section.end


def test_chunk_ids_are_stable_and_unique(corpus):
    _, first = make_chunks(corpus)
    _, second = make_chunks(corpus)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)
    assert all(c.id.startswith(c.doc_id + "@") for c in first)


def test_the_whole_corpus_is_covered(corpus):
    _, chunks = make_chunks(corpus)
    for doc in corpus.documents.values():
        for section in doc.sections:
            covered = [c for c in chunks if c.doc_id == doc.id and section.start <= c.start < section.end]
            assert covered, f"{doc.id}: section {section.label!r} has no chunk"
            assert min(c.start for c in covered) == section.start
            assert max(c.end for c in covered) == section.end


def test_chunk_sentences_are_whole_sentences_even_across_chunk_boundaries(corpus):
    from assistant.sentences import sentence_spans

    _, chunks = make_chunks(corpus)
    for c in chunks:
        doc = corpus.documents[c.doc_id]
        section = doc.section_at(c.start)
        whole = set(sentence_spans(doc.text, section.start, section.end))
        assert c.sentences and set(c.sentences) <= whole
        assert all(s < c.end and e > c.start for s, e in c.sentences)
