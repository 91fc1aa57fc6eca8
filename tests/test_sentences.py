from assistant.sentences import sentence_spans


def texts(text):
    return [text[s:e] for s, e in sentence_spans(text)]


def test_sentences_split_on_full_stops_not_abbreviations():
    text = "They are known to social care (e.g. they have a plan). Share it, i.e. tell them. Next one?\n"
    assert texts(text) == ["They are known to social care (e.g. they have a plan).", "Share it, i.e. tell them.",
                           "Next one?"]


def test_list_markers_and_headings_are_not_part_of_a_sentence():
    text = "## Heading\n\n  • A child's health;\n  1. Remember that the law;\n(a) the administration of justice,\n"
    assert texts(text) == ["A child's health;", "Remember that the law;", "(a) the administration of justice,"]


def test_spans_are_offsets_into_the_text():
    text = "# T\n\nFirst sentence here. Second one follows.\n"
    for s, e in sentence_spans(text):
        assert text[s:e] in ("First sentence here.", "Second one follows.")


def test_enclosing_item_trims_list_markers():
    from assistant.sentences import enclosing_item

    text = "intro\n  7. Keep a record of your decision. If you decide to share, record it.\nnext\n"
    s = text.index("If you")
    start, end = enclosing_item(text, s, s + 10)
    assert text[start:end] == "Keep a record of your decision. If you decide to share, record it."
