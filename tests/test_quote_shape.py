"""The shape of a quote, on the real corpus: what passage is shown for a chosen sentence."""

import pytest

from assistant.quote_shape import QuoteShaper
from assistant.quotes import make_quote, verify_quote
from assistant.sentences import sentence_spans

NEL, DPA, GDPR, GATEWAYS = "nel-scp-information-sharing", "dpa-2018", "uk-gdpr-articles", "statutory-gateways"
MYTHS = {  # each myth of the NEL myth-busting guide and the first words of its rebuttal
    "Data protection legislation is a barrier to sharing information": "No – the Data Protection Act 2018",
    "Consent is always needed to share personal information.": "No – you do not necessarily need consent",
    "Personal information collected by one organisation/agency cannot be disclosed to another.":
        "No – this is not the case unless",
    "The common law duty of confidence and the Human Rights Act 1998 prevent the sharing of personal information.":
        "No – this is not the case. In addition",
    "IT Systems are often a barrier to effective information sharing.": "No – IT systems",
}


@pytest.fixture(scope="module")
def shaper(corpus):
    return QuoteShaper(corpus.documents, item_chars=350)


def shown(corpus, shaper, doc_id, sentence):
    """The text shown when the sentence starting with `sentence` is chosen (None: nothing may be shown)."""
    text = corpus.documents[doc_id].text
    start = text.index(sentence)
    span = next((s, e) for s, e in sentence_spans(text) if s == start)
    unit = shaper.unit(doc_id, *span)
    return text[unit[0]:unit[1]] if unit else None


def every_sentence(corpus):
    for doc in corpus.documents.values():
        for section in doc.sections:
            for s, e in sentence_spans(doc.text, section.start, section.end):
                yield doc, s, e


@pytest.mark.parametrize("sentence", ["18 (1) This condition is met if—", "(i) protecting an individual from neglect",
                                      "(ii) aged 18 or over and at risk,", "(c) the processing is carried out without",
                                      "(d) the processing is necessary for reasons of substantial public interest."])
def test_any_part_of_sch_1_para_18_1_is_quoted_as_the_whole_sub_paragraph_a_to_d(corpus, shaper, sentence):
    quote = shown(corpus, shaper, DPA, sentence)
    assert quote.startswith("18 (1) This condition is met if—\n(a) the processing is necessary for the purposes of—")
    assert quote.endswith("(d) the processing is necessary for reasons of substantial public interest.")
    assert "(2) The reasons mentioned" not in quote


def test_a_bare_point_is_shown_with_its_sub_paragraph(corpus, shaper):
    quote = shown(corpus, shaper, DPA, "(b) is necessary for reasons of substantial public interest.")
    assert quote.startswith("6 (1) This condition is met if the processing—\n(a) is necessary for a purpose listed")


def test_a_point_of_a_provision_too_long_to_show_whole_is_shown_alone_if_it_reads_alone(corpus, shaper):
    point = "(e) processing is necessary for the performance of a task of the controller carried out in the public " \
            "interest or a task carried out in the exercise of official authority vested in the controller;"
    assert shown(corpus, shaper, GDPR, "(e) processing is necessary for the performance") == point
    assert shown(corpus, shaper, GDPR, "Processing shall be lawful only if and to the extent") is None


def test_a_short_list_comes_with_its_lead_ins_and_a_long_one_does_not_bring_its_lead_in(corpus, shaper):
    quote = shown(corpus, shaper, NEL, "Aged under 18; or")
    assert quote.startswith("Schedule 1, Part 2 of the Data Protection Act 2018 details")
    assert "The processing is necessary for the purposes of:" in quote
    assert quote.endswith("Aged 18 or over and at risk.")
    assert shown(corpus, shaper, NEL, "The Data Protection Principles requires that personal data shall be:") is None
    assert shown(corpus, shaper, NEL, "These are:").startswith("It is possible however to identify some circumstances")


@pytest.mark.parametrize("myth,rebuttal", MYTHS.items())
def test_a_myth_is_never_shown_without_its_rebuttal_nor_a_rebuttal_without_its_myth(corpus, shaper, myth, rebuttal):
    assert rebuttal in shown(corpus, shaper, NEL, myth)
    assert shown(corpus, shaper, NEL, rebuttal).startswith(myth)


@pytest.mark.parametrize("however,rule", [
    ("However, referrals can be made without first informing", "Practitioners should therefore usually inform"),
    ("If however, it is shared with the teacher", "That is information of some sensitivity"),
    ("However, the Children Act 1989 determines", "Some practitioners face the added dimension"),
])
def test_a_however_comes_after_the_rule_it_qualifies(corpus, shaper, however, rule):
    quote = shown(corpus, shaper, NEL, however)
    assert quote.startswith(rule) and however in quote


@pytest.mark.parametrize("line", ["Corporate Parenting - Looked After Children", "August 3, 2023",
                                  "Source: Information sharing: advice for practitioners",
                                  "For further information, see the Metropolitan Police website.",
                                  "All agencies should have:"])
def test_headings_cross_references_and_a_lead_in_to_a_long_list_are_never_shown(corpus, shaper, line):
    assert shown(corpus, shaper, NEL, line) is None


def test_the_commencement_lead_in_is_shown_with_its_points(corpus, shaper):
    quote = shown(corpus, shaper, GATEWAYS, "(1) The following come into force on the day")
    assert quote.endswith("(b) Part 3;\n(c) this Part.")


def test_no_passage_shown_for_any_sentence_ends_on_a_lead_in_leaves_a_myth_bare_or_is_not_verbatim(corpus, shaper):
    checked = 0
    for doc, s, e in every_sentence(corpus):
        unit = shaper.unit(doc.id, s, e)
        if unit is None:
            continue
        text = doc.text[unit[0]:unit[1]]
        assert not text.endswith((":", "—")), text
        assert not text.startswith(("However", "If however")), text
        for myth, rebuttal in MYTHS.items():
            assert (myth in text) == (rebuttal in text), text
        assert unit[1] - unit[0] <= shaper.unit_chars
        assert verify_quote(corpus, make_quote(corpus, doc.id, *unit, 1.0)), text
        checked += 1
    assert checked > 400


def test_a_sentence_that_introduces_a_short_list_is_shown_with_the_list(corpus, shaper):
    quote = shown(corpus, shaper, NEL, "It is possible however to identify some circumstances")
    assert quote.endswith("including through the prevention, detection and prosecution of serious crime.")
