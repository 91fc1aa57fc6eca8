"""The bottom line: the one sentence that opens every grounded answer, chosen from fixed templates by the rules
check. Determinations come from the real engine (facts in the spec's vocabulary, or read from a practitioner's
words); only the patterns the engine does not reach from a realistic case are made by changing the statuses."""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

import pytest
import yaml

from assistant.render import bottom_line as bl
from assistant.render.bottom_line import bottom_line
from assistant.rules import determine, parse_facts
from assistant.rules.extract import extract_facts
from assistant.rules.facts import FACTS
from assistant.types import STATUSES, Answer, Determination, Quote, Scope

from .conftest import REPO

# A child protection referral: a 9-year-old's health information, consent refused, evidence of significant harm.
CASE = {"personal_data": True, "jurisdiction": "England", "apd_in_place": True, "emergency": False,
        "data_subject_role": "child", "protected_person": "same_as_data_subject", "protected_person_age": 9,
        "data_categories": ["health"], "sensitive": True, "given_in_confidence": True,
        "already_public_or_readily_available": False, "sharing_within_confider_understanding": False,
        "child_harm_level": "evidence_significant_harm", "consent_status": "refused", "adult_harm_level": "none",
        "crime_purpose": "none", "purpose": "child_protection_referral", "sharer_type": "public_authority",
        "request_basis": "proactive", "recipient": "la_childrens_social_care",
        "informing_would_increase_risk_or_prejudice_investigation": False}
VALID_CONSENT = {"consent_status": "given_explicit", "capacity_or_competence": "child_competent",
                 "consenter_is_alleged_source_of_harm": False,
                 "consent_quality": {"informed": True, "freely_given": True, "specific": True, "unambiguous": True,
                                     "explicit": True, "consented_by": "data_subject"}}
QUOTE = Quote("Information can be shared without consent where there is a risk of harm.", "seed",
              "Information Sharing (NEL SCP procedures chapter)",
              "Working Together to Safeguard Children: why information sharing matters › Data protection: sharing "
              "is not prevented", 100, 170, 0.8, "https://example.org/seed#data-protection")
ANSWER = Answer("Can I share?", True, (QUOTE,), ())
CODES = re.compile(r"\bR-[A-Z0-9]|\bU-\d|\bJ\d|\([0-9]\)\([a-z]\)|_")
MAX_WORDS = 40


def case(**changes) -> Determination:
    """The rules check on CASE with some facts changed (None: the fact is not known)."""
    raw = {k: v for k, v in {**CASE, **changes}.items() if v is not None}
    return determine(parse_facts(raw))


def read(text: str) -> Determination:
    return determine(extract_facts(text))


def statuses(d: Determination) -> tuple[str, ...]:
    return tuple(f.status for f in d.flags)


def words(text: str) -> int:
    return len(text.split())


def assert_readable(line: str) -> None:
    assert line and line[0].isupper() and line.endswith("."), line
    assert words(line) <= MAX_WORDS, (words(line), line)
    assert not CODES.search(line), line
    assert "{" not in line and "  " not in line, line


def says_you_can_share(line: str) -> bool:
    """The sentence tells the practitioner they can share (not "whether you can share ... turns on ...")."""
    return re.search(r"(?<!whether )\byou can share", line, re.I) is not None


def says_do_not_share(line: str) -> bool:
    return "do not share" in line.lower()


def settled_bar(d: Determination) -> bool:
    """The public interest or Schedule 1 bars sharing, on facts the practitioner gave (no assumption)."""
    return any(f.status == "does_not_apply" and not f.rests_on for f in (d.public_interest, d.schedule_1))


def with_statuses(d: Determination, pattern: tuple[str, ...], rests_on: tuple[str, ...] = ()) -> Determination:
    consent, pi, s1 = (replace(f, status=s, rests_on=rests_on if s != "undetermined" else ())
                       for f, s in zip(d.flags, pattern, strict=True))
    return replace(d, consent=consent, public_interest=pi, schedule_1=s1)


# Real determinations: the worked scenarios, and CASE varied one way at a time.
SCENARIOS = yaml.safe_load((REPO / "evals" / "scenarios.yaml").read_text(encoding="utf-8"))
VARIED = [{}, {"apd_in_place": None}, {"apd_in_place": False}, {"child_harm_level": None},
          {"child_harm_level": "unsure_if_reasonable_cause"},
          {"child_harm_level": "child_in_need_or_early_help", "purpose": "early_help"},
          {"consent_status": "not_sought", "child_harm_level": "child_in_need_or_early_help", "purpose": "early_help"},
          {"recipient": "private_individual", "child_harm_level": "none", "data_categories": ["ordinary"]},
          {"personal_data": False}, {"protected_person_age": "unborn"}, {"consent_status": None},
          {"data_categories": None}, {"emergency": None, "danger_suspected": True}, {"emergency": True},
          {**VALID_CONSENT, "child_harm_level": "child_in_need_or_early_help", "purpose": "early_help"},
          {**VALID_CONSENT, "data_categories": ["ordinary"]}, {"sensitive": False, "data_categories": ["ordinary"]},
          {"given_in_confidence": None, "sharer_type": None},
          {"apd_in_place": False, "sharer_is_health_or_social_care_authority": False}]
REAL = [determine(parse_facts(s["facts"], SCENARIOS["meta"]["defaults"])) for s in SCENARIOS["scenarios"]]
REAL += [case(**changes) for changes in VARIED]
REAL += [read(t) for t in (
    "A 9 year old told me her stepdad hits her. Can I tell children's social care without her mum's consent?",
    "A pupil disclosed self-harm and asked me not to tell anyone. Can I share with the school nurse?",
    "Mum refused consent for an early help referral. Can I still share?",
    "What does the guidance say about the seven golden rules?")]


# ---- every pattern -----------------------------------------------------------------------------------


def test_the_real_cases_reach_most_patterns_and_every_template_family():
    """The real determinations above are what the next tests check; they must span the patterns that matter."""
    seen = {statuses(d) for d in REAL}
    assert len(seen) >= 10
    keys = {bl.choose(ANSWER, d)[0] for d in REAL if d.emergency is None}
    for family in ("guidance", "not_personal", "with_consent", "without_consent", "refusal_stands", "no_gateway",
                   "sensitive_barred", "turns_on", "turns_on_judgement", "turns_on_legal_point"):
        assert family in keys, family


@pytest.mark.parametrize("d", REAL, ids=lambda d: "-".join(s[:3] for s in statuses(d)))
def test_every_real_determination_gives_a_short_plain_sentence(d):
    assert_readable(bottom_line(ANSWER, d))


PATTERNS = list(itertools.product(STATUSES, repeat=3))


def overstatements(d: Determination) -> list[str]:
    """What is wrong with the bottom line for d: too long, codes, or saying more than the flags do."""
    line = bottom_line(ANSWER, d)
    pattern = statuses(d)
    out = []
    try:
        assert_readable(line)
    except AssertionError as e:
        out.append(f"{pattern}: {e}")
    if "undetermined" in pattern and says_you_can_share(line):
        out.append(f"{pattern}: says you can share with a flag undetermined: {line}")
    if says_do_not_share(line) and not settled_bar(d):
        out.append(f"{pattern}: says do not share with no settled bar: {line}")
    barred = {"undetermined", "does_not_apply"} & set(pattern[1:])
    if says_you_can_share(line) and ("if you judge" not in line or barred):
        out.append(f"{pattern}: says you can share without leaving the judgement, or past a bar: {line}")
    return out


@pytest.mark.parametrize("base", [case(), case(recipient=None), case(child_harm_level=None),
                                  case(recipient="private_individual", child_harm_level="none"),
                                  case(child_harm_level="child_in_need_or_early_help", purpose="early_help")],
                         ids=["referral", "no-recipient", "harm-unknown", "private-request", "refused-below-threshold"])
def test_every_status_pattern_gives_a_sentence_that_never_overstates(base):
    """All 64 patterns of the three flags, settled ones with and without an assumption under them: the engine
    reaches only some of them from these cases, so the statuses are changed here."""
    assert len(PATTERNS) == len(STATUSES) ** 3 == 64
    problems = [p for pattern in PATTERNS for rests_on in ((), ("apd_in_place",))
                for p in overstatements(with_statuses(base, pattern, rests_on))]
    assert problems == []


@pytest.mark.parametrize("d", REAL, ids=lambda d: "-".join(s[:3] for s in statuses(d)))
def test_undetermined_never_says_you_can_share_and_do_not_share_only_on_a_settled_bar(d):
    line = bottom_line(ANSWER, d)
    if any(f.status == "undetermined" for f in d.flags):
        assert not says_you_can_share(line)
    if says_do_not_share(line):
        assert settled_bar(d)


# ---- danger first -----------------------------------------------------------------------------------


@pytest.mark.parametrize("changes", [{"emergency": True}, {"emergency": True, "recipient": "private_individual"},
                                     {"emergency": True, "consent_status": None, "child_harm_level": None}])
def test_an_emergency_bottom_line_starts_with_calling_999(changes):
    d = case(**changes)
    assert d.emergency is not None
    assert bottom_line(ANSWER, d).startswith("Call 999 now.")


def test_an_emergency_read_from_the_words_starts_with_calling_999():
    d = read("A father has a knife and says he will kill the children tonight")
    assert bottom_line(ANSWER, d).startswith("Call 999 now.")


def test_suspected_danger_not_settled_puts_999_first_then_the_rest():
    d = case(emergency=None, danger_suspected=True)
    line = bottom_line(ANSWER, d)
    assert line.startswith("If anyone is in immediate danger, call 999 now. ")
    assert len(line) > len("If anyone is in immediate danger, call 999 now. ")
    assert bottom_line(ANSWER, case(emergency=False, danger_suspected=True)).startswith("On these facts")


# ---- what each case says ------------------------------------------------------------------------------


def test_a_settled_referral_says_share_without_consent_names_the_law_briefly_and_leaves_the_judgement():
    assert statuses(case()) == ("does_not_apply", "applies", "applies")
    assert bottom_line(ANSWER, case()) == (
        "On these facts you can share with children's social care without consent, if you judge it necessary and "
        "proportionate; tell your DSL today and record why. Schedule 1, paragraph 18 and the public "
        "interest allow it.")


def test_a_result_resting_on_an_assumption_says_so():
    d = case(apd_in_place=None)
    assert d.schedule_1.rests_on == ("apd_in_place",)
    assert bottom_line(ANSWER, d).startswith("On these facts and the assumptions shown, you can share with children")


def test_valid_consent_says_share_on_the_consent_given():
    d = case(**VALID_CONSENT, data_categories=["ordinary"])
    assert d.consent.status == "applies"
    assert "you can share with children's social care on the consent given" in bottom_line(ANSWER, d)


def test_a_refusal_alone_never_bars_sharing():
    line = bottom_line(ANSWER, case(consent_status="refused"))
    assert not says_do_not_share(line) and says_you_can_share(line)


def test_a_refusal_below_the_threshold_says_respect_it_unless_you_judge_otherwise():
    d = case(child_harm_level="child_in_need_or_early_help", purpose="early_help")
    assert d.public_interest.status == "does_not_apply" and not d.public_interest.rests_on
    line = bottom_line(ANSWER, d)
    assert line.startswith("On these facts, do not share without consent") and "unless you judge" in line


def test_a_private_request_says_do_not_share_with_the_person_asking():
    d = case(recipient="private_individual", child_harm_level="none", data_categories=["ordinary"])
    assert bottom_line(ANSWER, d).startswith("On these facts, do not share with the person asking:")


def test_a_bar_resting_on_an_assumption_never_says_do_not_share():
    d = case(child_harm_level="child_in_need_or_early_help", purpose="early_help")
    d = replace(d, public_interest=replace(d.public_interest, rests_on=("given_in_confidence",)))
    line = bottom_line(ANSWER, d)
    assert not says_do_not_share(line) and line.startswith("Unless an assumption shown is wrong")


def test_an_unknown_level_of_concern_says_what_it_turns_on_as_the_practitioners_judgement():
    line = bottom_line(ANSWER, case(child_harm_level=None))
    assert line == ("Whether you can share with children's social care without consent turns on whether you judge "
                    "the child is at risk of significant harm; answer the questions below.")


def test_being_unsure_of_the_threshold_turns_on_your_judgement_and_your_dsl():
    line = bottom_line(ANSWER, case(child_harm_level="unsure_if_reasonable_cause"))
    assert "turns on whether you judge the child is at risk of significant harm" in line and "DSL today" in line


def test_an_open_legal_point_says_ask_your_dpo():
    line = bottom_line(ANSWER, case(protected_person_age="unborn"))
    assert "turns on an open legal point; ask your DPO" in line


def test_every_fact_a_question_can_ask_has_plain_words_for_what_it_turns_on():
    for fact in FACTS:
        phrase = bl.TURNS_ON.get(fact) or bl.rules_topic(fact)
        assert "_" not in phrase and phrase != fact.replace("_", " "), fact


def test_information_that_identifies_no_one():
    assert bottom_line(ANSWER, case(personal_data=False)).startswith("The information identifies no one")


# ---- a question about the guidance, and no answer ------------------------------------------------------------


def test_a_question_about_the_guidance_names_the_best_quotes_document_and_section_without_paraphrase():
    d = read("What does the guidance say about the seven golden rules?")
    assert not d.facts.values and set(statuses(d)) == {"undetermined"}
    line = bottom_line(ANSWER, d)
    assert line == ("The answer, quoted below, is from Information Sharing (NEL SCP procedures chapter) — Data "
                    "protection: sharing is not prevented.")
    assert QUOTE.text not in line
    weak = bottom_line(replace(ANSWER, weak=True), d)
    assert weak.startswith("The nearest passage, quoted below, is from Information Sharing") and "may not" in weak
    dated = replace(ANSWER, quotes=(replace(QUOTE, currency="From the July 2018 advice, since replaced."),))
    assert bottom_line(dated, d).endswith("; check the note under it on whether it is current.")


def test_the_guidance_lead_in_is_short_for_every_section_of_the_corpus(corpus):
    d = read("What does the guidance say?")
    for doc in corpus.documents.values():
        for section in doc.sections:
            for currency, weak in (("", False), ("Superseded.", False), ("", True)):
                q = replace(QUOTE, doc_title=doc.source.title, section=section.label, currency=currency)
                assert_readable(bottom_line(replace(ANSWER, quotes=(q,), weak=weak), d))


@pytest.mark.parametrize("answer", [replace(ANSWER, grounded=False, quotes=()),
                                    replace(ANSWER, scope=Scope(False, "about Scotland"))],
                         ids=["no-grounded-answer", "out-of-scope"])
def test_no_grounded_answer_or_out_of_scope_has_no_bottom_line(answer):
    assert bottom_line(answer, case()) == ""
    assert bottom_line(answer, case(emergency=True)) == ""  # the banner still speaks: see test_render
