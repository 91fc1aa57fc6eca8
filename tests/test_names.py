"""People's names (issue H4): what a practitioner would notice. A name typed in a question is warned about with the
answer and stored only as [name]; the question is answered on the words as typed; guidance terms named after
people ("Clare's Law", "Caldicott guardian") and agencies ("Humberside Police") are not names. Invented names only."""

import time
from pathlib import Path

import gradio as gr
import pytest

from assistant import name_metrics
from assistant.names import name_finder
from assistant.pii import find_identifiers, redact
from assistant.ui import chat
from assistant.ui.chat import ChatTab

REPO = Path(__file__).resolve().parent.parent

# The issue's six examples, with the name span each must give (no title, no possessive 's).
ISSUE = [
    ("Amelia said her stepdad hits her. Can I tell social care?", ["Amelia"]),
    ("Oliver's mum told me she is scared of her partner.", ["Oliver"]),
    ("Ruby Thompson has bruises on her arms again.", ["Ruby Thompson"]),
    ("Mrs Thompson has asked to see the child protection file.", ["Thompson"]),
    ("my pupil Jayden Okafor says he is hungry every morning", ["Jayden Okafor"]),
    ("Tyler, 14, disclosed that his uncle hits him.", ["Tyler"]),
]
NOT_NAMES = [
    "What is Clare's Law and who can ask for a disclosure?",
    "Does Sarah's Law let a parent ask about a neighbour?",
    "Should I talk to our Caldicott guardian first?",
    "Humberside Police have asked for a pupil's attendance record.",
    "What does Working Together say about sharing without consent?",
    "Is a 14-year-old Gillick competent under the Fraser guidelines?",
    "Can I tell children's social care without asking Mum? I saw her on Monday in May.",
    "Will I need consent to share with the GP?",
    "Hope this is the right place: can the DSL share with Early Help?",
    "Does Finn's Law or Helen's Law say anything about sharing?",
    "The family moved to Milton Keynes and she is on a ward at the Royal.",
    "Can I ring Kent County Council or West Midlands Police out of hours?",
]


def names(text):
    return [f.text for f in find_identifiers(text) if f.kind == "name"]


@pytest.mark.parametrize("text, expected", ISSUE)
def test_the_issues_examples_are_found_and_redacted(text, expected):
    assert names(text) == expected
    out = redact(text)
    assert "[name]" in out and not any(n in out for n in expected)


@pytest.mark.parametrize("text", NOT_NAMES)
def test_guidance_terms_agencies_and_family_words_are_not_names(text):
    assert names(text) == [] and redact(text) == text


@pytest.mark.parametrize("text, expected", [
    ("Jack, Mia and Leo were all absent today", ["Jack", "Mia", "Leo"]),
    ("Frank the caretaker saw her being dragged to a car", ["Frank"]),
    ("Mum (Kerry) says she wants the file", ["Kerry"]),
    ("Our nurse has Faisa Abdi's NHS number", ["Faisa Abdi"]),
    ("mia n her brother are staying at their nans", ["mia"]),
])
def test_names_in_lists_roles_and_brackets_are_found(text, expected):
    assert names(text) == expected


def test_lowercase_names_are_found():
    assert names("amelia said her dad hit her") == ["amelia"]
    assert names("oliver's mum rang again") == ["oliver"]


def test_a_title_and_a_possessive_are_not_part_of_the_name():
    text = "DC Smith asked about Priya's brother"
    assert [(text[f.start:f.end]) for f in find_identifiers(text)] == ["Smith", "Priya"]
    assert redact(text) == "DC [name] asked about [name]'s brother"


def test_names_and_strong_identifiers_are_both_redacted_and_kept_apart():
    text = "Zainab (9), NHS 943 476 5919, email zainab.parent@example.com"
    kinds = [f.kind for f in find_identifiers(text)]
    assert kinds == ["name", "NHS number", "email address"]
    assert redact(text) == "[name] (9), NHS [NHS number], email [email address]"


def test_a_long_stored_comment_is_redacted_past_the_question_limit():
    """A review comment or record field may be longer than a question: names after the limit are still removed."""
    text = "Nothing to add here. " * 600 + "Amelia said her stepdad hits her."
    assert len(text) > name_finder().max_chars
    assert "Amelia" not in redact(text)


# ---- the chat: names warn with the answer, strong identifiers hold the question back ------------------------

@pytest.fixture
def tab(audited_sw):
    with gr.Blocks():
        state = gr.State(None)
        tab = ChatTab(audited_sw, state)
        tab.wire(panels=[])
    return tab


def test_a_name_does_not_hold_the_question_back_and_is_warned_about_with_the_answer(tab, monkeypatch):
    typed = "Amelia said her stepdad hits her. Do I need her consent to refer?"
    asked = []
    real = tab.sw.answer
    monkeypatch.setattr(tab.sw, "answer", lambda q, *a, **k: asked.append(q) or real(q, *a, **k))
    out = tab.on_submit(typed, [], None)
    assert asked == [typed]  # the words as typed: name redaction never changes what is searched
    assert out[tab.session].turn.question == typed
    assert out[tab.warning]["visible"] is True and out[tab.warning]["value"] == chat.NAMES_NOTE
    assert '"[name]"' in chat.NAMES_NOTE
    assert out[tab.pii_row]["visible"] is False  # no "Remove them and ask": nothing to remove before asking
    stored = [r["content"]["question"] for r in tab.sw.audit.rows("answer")]
    assert stored == ["[name] said her stepdad hits her. Do I need her consent to refer?"]


def test_a_strong_identifier_still_holds_the_question_back_and_removing_it_keeps_the_name_in_the_query(
        tab, monkeypatch):
    typed = "Jayden (8), NHS 943 476 5919, has bruises. Can I refer without consent?"
    out = tab.on_submit(typed, [], None)
    assert "identifying details (NHS number)" in out[tab.warning]["value"] and out[tab.pii_row]["visible"] is True
    assert tab.session not in out  # not answered yet
    asked = []
    real = tab.sw.answer
    monkeypatch.setattr(tab.sw, "answer", lambda q, *a, **k: asked.append(q) or real(q, *a, **k))
    out = tab.on_redact(typed, [], None)
    assert asked == ["Jayden (8), NHS [NHS number], has bruises. Can I refer without consent?"]
    assert out[tab.warning]["value"] == chat.NAMES_NOTE
    stored = tab.sw.audit.rows("answer")[-1]["content"]["question"]
    assert "Jayden" not in stored and "943 476 5919" not in stored and "[name]" in stored


def test_a_question_over_the_length_limit_is_not_scanned(monkeypatch):
    """M5: a 5 MB paste is refused by the length check; the identifiers scan must not spend seconds on it first."""
    monkeypatch.setattr(chat, "find_identifiers", lambda *a, **k: pytest.fail("scanned a question over the limit"))
    huge = "Amelia NHS 943 476 5919 " * 220_000
    t0 = time.perf_counter()
    assert chat.pii_warning(huge) == "" and chat.names_note(huge) == ""
    assert time.perf_counter() - t0 < 0.5


def test_plain_questions_get_no_note():
    assert chat.names_note("Can I tell children's social care without asking mum? She is 15.") == ""
    assert chat.pii_warning("Amelia said her stepdad hits her.") == ""


# ---- the measured figures on the development set ----------------------------------------------------------

@pytest.mark.slow
@pytest.mark.parametrize("name, least, most", [
    # names-dev: tuned on (recall 1.00, terms 0.00)
    ("names-dev", dict(names=150, terms=200, recall=0.97, precision=0.95), dict(terms_fp=0.02, nameless_fp=0.03)),
    # names-dev2: written blind after the tuning on names-dev, then tuned on (recall 0.986, terms 0.016)
    ("names-dev2", dict(names=300, terms=150, recall=0.96, precision=0.95), dict(terms_fp=0.03, nameless_fp=0.07)),
])
def test_the_development_sets_figures(name, least, most):
    """Thresholds a little below what the finder reached on each development set; other identifiers all kept."""
    scores = name_metrics.score(name_metrics.load(REPO / "evals" / f"{name}.yaml"))
    for key, floor in least.items():
        assert getattr(scores, key) >= floor, (key, scores.report())
    for key, ceiling in most.items():
        assert getattr(scores, key) <= ceiling, (key, scores.report())
    assert scores.identifiers_recall == 1.0, scores.report()


# General readings beyond the development sets (invented names, none of them from names-dev2).
@pytest.mark.parametrize("text, expected", [
    ("NOWAK, Zofia (Y8) says her uncle takes her phone.", ["NOWAK, Zofia"]),
    ("Name: Teodora Vasilescu / DOB: 01/02/2013", ["Teodora Vasilescu"]),
    ("Detective Brannigan has asked for the school's records.", ["Brannigan"]),
    ("we saw Saoirse's bruises on Monday", ["Saoirse"]),
    ("Harvey in 9R says his brother has a knife", ["Harvey"]),
    ("Noah and Poppy (twins, Y2) said Dad shouts", ["Noah", "Poppy"]),
    ("Checked by R.T. at the front desk", ["R.T."]),
    ("hi its ellie frm the nursery, can i share this?", ["ellie"]),
])
def test_general_readings_beyond_the_dev_sets(text, expected):
    assert names(text) == expected


@pytest.mark.parametrize("text", [
    "Dear colleague, Mark this record as restricted please.",
    "Leeds Children's Social Care have asked for the file.",
    "Is FRANK (self-referred) enough, or do we refer to CAMHS too?",
    "Can the school share with YoungMinds?",
])
def test_words_brands_and_agencies_are_still_not_names(text):
    assert names(text) == []


def test_name_metrics_cli_prints_the_figures_and_the_misses(tmp_path, capsys):
    data = tmp_path / "n.yaml"
    data.write_text("- id: a\n  text: \"Amelia said her dad hits her, call 07700 900123\"\n  names: [Amelia]\n"
                    "  identifiers: [\"07700 900123\"]\n  terms: []\n"
                    "- id: b\n  text: \"What is Clare's Law?\"\n  names: []\n  identifiers: []\n"
                    "  terms: [\"Clare's Law\"]\n", encoding="utf-8")
    assert name_metrics.main([str(data), "--show"]) == 0
    out = capsys.readouterr().out
    assert "name recall           1.000" in out and "terms tagged as names 0.000" in out
    assert "identifiers kept      1.000" in out


@pytest.mark.parametrize("text", ["RUBY THOMPSON (NHS 943.476.5919) told me", "Disclosure by Ruby Thompson NHS 943",
                                  "AMELIA JONES, Year 9"])
def test_a_full_name_in_capitals_or_before_an_acronym_is_redacted_whole(text):
    """Found by the probe: 'RUBY THOMPSON' kept the first name, 'Ruby Thompson NHS' was read as an organisation."""
    out = redact(text)
    assert "RUBY" not in out and "Ruby" not in out and "AMELIA" not in out and "[name]" in out


@pytest.mark.parametrize("text", ["Rose Hill Primary rang", "Diana Princess of Wales Hospital", "Sarah Law"])
def test_a_place_or_body_named_after_a_person_is_not_a_full_name(text):
    assert "[name]" not in redact(text)
