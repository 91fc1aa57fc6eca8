"""The renderings a practitioner reads: built from hand-made typed results, so they test rendering only."""

from __future__ import annotations

import re
from dataclasses import replace
from html.parser import HTMLParser
from types import SimpleNamespace

import pytest

from assistant import render as r
from assistant.render import wording
from assistant.rules.facts import Edits, Facts
from assistant.types import (
    Advice,
    Answer,
    Assumption,
    Condition,
    DecisionRecord,
    Determination,
    Document,
    Emergency,
    Flag,
    Gateway,
    Judgement,
    LegalRef,
    Option,
    Question,
    Quote,
    Section,
    Source,
    Suggestion,
    Turn,
    Uncertainty,
)

HOSTILE = "Share <script>alert('x')</script> <img src=x onerror=alert(1)> with *stars* and _underscores_ now."
LAW = LegalRef("DPA 2018 Sch 1 para 18", "https://www.legislation.gov.uk/ukpga/2018/12/schedule/1/paragraph/18")


def quote(text: str = "Information can be shared without consent where there is a risk of harm.", **kw) -> Quote:
    values = {"text": text, "doc_id": "wt2023", "doc_title": "Working Together 2023", "section": "Chapter 2",
              "start": 10, "end": 10 + len(text), "score": 0.8, "url": "https://www.gov.uk/wt2023"}
    return Quote(**{**values, **kw})


PLAIN = {"consent": "You do not need consent: the risk of significant harm means another lawful basis applies. "
                    "Tell the family if it is safe to.",
         "public_interest": "Sharing without consent is justified if you judge the risk is as you describe.",
         "schedule_1": "Whether a condition covers the health details is not settled yet: it depends on the age."}
# What only the DPO's details may show: rule ids, reasons with their paragraph codes, law labels and addresses.
CODES = ("R-CON-1", "R-PI-1", "R-S1-18", "No consent was asked for", "s.47 CA 1989", "Sch 1 para 18",
         "legislation.gov.uk", "Para 18 safeguarding", "U-1", "Article 9(2)(g)")
ASSUMED_WHY = "Nothing you wrote says someone is at risk of death or injury right now. If they are, call 999."


def determination(emergency: bool = False, reason: str = "No consent was asked for.", **kw) -> Determination:
    consent = Flag("consent", "does_not_apply", reason, rule_ids=("R-CON-1",),
                   judgements=(Judgement("J1", "Is sharing necessary?"),), ask=("Has consent been asked for?",),
                   uncertainty=(Uncertainty("U-1", "An open point.", "your DPO"),), plain=PLAIN["consent"])
    pi = Flag("public_interest", "applies", "There is reasonable cause to suspect significant harm (s.47 CA 1989).",
              rule_ids=("R-PI-1",), references=(LAW,), plain=PLAIN["public_interest"], rests_on=("emergency",))
    s1 = Flag("schedule_1", "undetermined", "The age of the child is not known.", rule_ids=("R-S1-18",),
              references=(LAW,), condition="Para 18 safeguarding of children", plain=PLAIN["schedule_1"])
    assumptions = (Assumption("emergency", False, ASSUMED_WHY),
                   Assumption("jurisdiction", "England", "Sharewise's guidance is for England."))
    asked = (Question("protected_person_age", "How old is the child?", (), None, "", ("schedule_1",)),
             Question("emergency", "Is anyone at risk of death or serious injury now?",
                      (Option(True, "Yes: call 999 now"), Option(False, "No")), False, "assumed", ("public_interest",)))
    values = dict(
        consent=consent, public_interest=pi, schedule_1=s1,
        article_6=(Suggestion("R-A6-E", "6(1)(e)", "Public task"),),
        article_9=Condition("Article 9(2)(g) with Schedule 1 para 18"), article_10=Condition("Not criminal data"),
        gateways=(Gateway("s47_CA1989", "available", "The LA is making s.47 enquiries.", "R-GW-47", (LAW,)),),
        transparency=(Advice("R-TR-1", "Tell the family unless that would put the child at risk."),),
        emergency=Emergency("R-EM-1", "a knife tonight") if emergency else None,
        judgements=(Judgement("J1", "Is sharing necessary?"), Judgement("J2", "Is it proportionate?"),
                    Judgement("J3", "What is the minimum?"), Judgement("J4", "A fourth judgement")),
        ask=("How old is the child?",), uncertainty=(), scope="England only.", record=DecisionRecord(),
        rules_fired=("R-CON-1",), facts=Facts({"emergency": emergency, "data_categories": frozenset({"health"})},
                                              {"emergency": "a knife tonight"}),
        trace=(), law_version="2026-01", disclaimer="The decision is yours.", assumptions=assumptions,
        questions=asked)
    return Determination(**{**values, **kw})  # type: ignore[arg-type]


def turn(d: Determination | None = None, quotes: tuple[Quote, ...] = (), grounded: bool = True,
         expansions: tuple[str, ...] = ()) -> Turn:
    quotes = quotes if quotes or not grounded else (quote(),)
    answer = Answer("Can I share?", grounded, quotes, (), expansions=expansions)
    return Turn("Can I share?", (), answer, Facts(), Edits(), Facts(), d or determination())


def visible_text(page: str) -> str:
    parts: list[str] = []
    parser = HTMLParser()
    parser.handle_data = parts.append  # type: ignore[method-assign]
    parser.feed(page)
    return "".join(parts)


def assert_no_tag_survives(page: str) -> None:
    assert "<script" not in page and "<img" not in page and not re.search(r"<[^>]*onerror", page)
    assert "&lt;script&gt;" in page
    assert not re.search(r"<(em|i|strong)>(stars|underscores)", page), "stars or underscores became emphasis"
    assert "*stars*" in page and "_underscores_" in page


# ---- the danger banner -------------------------------------------------------------------------


def test_the_danger_banner_comes_first_in_the_chat_and_the_terminal():
    t = turn(determination(emergency=True))
    assert r.answer_markdown(t).startswith("**A child may be in immediate danger.**")
    assert "a knife tonight" in r.answer_markdown(t).split("\n", 1)[0]
    assert r.answer_text(t).startswith("!! A child may be in immediate danger.")
    assert r.determination_text(t.determination).startswith("!! A child may be in immediate danger.")
    assert r.determination_html(t.determination).startswith('<div class="sw-banner" role="alert">')


def test_there_is_no_banner_without_an_emergency():
    t = turn()
    for out in (r.answer_markdown(t), r.answer_text(t), r.determination_text(t.determination),
                r.determination_html(t.determination)):
        assert "immediate danger" not in out.lower().replace("if a child is in immediate danger", "")
        assert "sw-banner" not in out and not out.startswith("!!")


def test_an_ungrounded_answer_banner_first_quotes_nothing_and_still_shows_the_flags():
    t = turn(determination(emergency=True), grounded=False)
    chat = r.answer_markdown(t)
    assert chat.startswith("**A child may be in immediate danger.**")
    assert "**No grounded answer in the guidance held.**" in chat and "\n> " not in chat
    assert "- **Consent:** <span" in chat and ">Does not apply</span> You do not need consent" in chat
    text = r.answer_text(t)
    assert "No grounded answer in the guidance held." in text and "**" not in text


# ---- one wording ------------------------------------------------------------------------------


def test_the_same_flag_line_appears_in_the_terminal_and_the_record_and_its_words_in_the_chat():
    t = turn()
    line = r.flag_line(t.determination.consent)
    assert line == "Consent: Does not apply. " + PLAIN["consent"]
    record = DecisionRecord(decision="share")
    for out in (r.answer_text(t), r.record_markdown(record, t), r.record_html(record, t),
                r.to_json_text(r.record_json(record, t))):
        for f in t.determination.flags:
            assert r.flag_line(f).replace("'", "&#39;") in out.replace("'", "&#39;")
    chat = r.answer_markdown(t)
    for f in t.determination.flags:
        assert f"- **{r.FLAG_TITLES[f.name]}:** <span" in chat
        assert f">{r.STATUS_WORDS[f.status]}</span> {r.md_escape(f.plain)}" in chat


def test_a_flag_without_a_plain_sentence_falls_back_to_its_reason_never_to_nothing():
    d = determination()
    d = replace(d, consent=replace(d.consent, plain=""))
    assert r.flag_line(d.consent) == "Consent: Does not apply. No consent was asked for."
    assert "No consent was asked for." in r.answer_markdown(turn(d))
    assert "Consent: Does not apply\n  No consent was asked for.\n" in r.determination_text(d)


# ---- plain words first, codes in a fold ---------------------------------------------------------


def _outside_details(page: str) -> str:
    return re.sub(r"<details.*?</details>", "", page, flags=re.S)


def test_the_rules_panel_shows_the_plain_sentences_and_keeps_the_codes_in_the_dpo_fold():
    page = r.determination_html(determination())
    main, folds = _outside_details(page), re.findall(r"<details.*?</details>", page, flags=re.S)
    for f in determination().flags:
        assert f.plain.replace("'", "&#39;") in main
    assert "<summary>Details for your DPO</summary>" in page and len(folds) == 4  # one a flag, one the routes
    for code in CODES:
        assert code not in main, code
        # a law reference is named in words in the fold ("Sch 1 para 18" reads as below)
        assert any(code in fold for fold in folds) or code in LAW.label, code
    assert any("Data Protection Act 2018, Schedule 1, paragraph 18" in fold for fold in folds)
    # each status in colour and in words, outside the fold
    assert 'style="background:#b3261e">Does not apply</span>' in main and '>Applies</span>' in main


def test_the_chat_answer_shows_plain_sentences_and_no_codes():
    t = turn()
    chat = r.answer_markdown(t)
    main = _outside_details(chat)
    for code in CODES:
        assert code not in main, code
    assert "<summary>Details for your DPO</summary>" in chat and "R-CON-1" in chat.split("Details for your DPO")[1]
    for f in t.determination.flags:
        assert r.md_escape(f.plain) in chat
    assert "questions under the conversation" in chat
    assert "questions under" not in r.answer_markdown(turn(replace(determination(), questions=())))


def test_the_terminal_shows_the_plain_sentence_first_then_the_reason_indented():
    out = r.determination_text(determination())
    assert f"Consent: Does not apply\n  {PLAIN['consent']}\n    No consent was asked for.\n" in out
    text = r.answer_text(turn())
    assert f"  Consent: Does not apply. {PLAIN['consent']}\n      No consent was asked for." in text


# ---- assumptions ----------------------------------------------------------------------------------


def test_the_assumptions_are_listed_in_the_panel_and_the_terminal():
    d = determination()
    page = r.determination_html(d)
    main = _outside_details(page)
    assert f"<li>Assumed (change if not): {ASSUMED_WHY}</li>" in main
    assert "<li>Assumed (change if not): Sharewise&#39;s guidance is for England.</li>" in main
    for out in (r.determination_text(d), r.answer_text(turn(d))):
        assert f"Assumed (change if not): {ASSUMED_WHY}" in out
        assert "Assumed (change if not): Sharewise's guidance is for England." in out
    assert "Assumed (change if not)" not in r.determination_html(replace(d, assumptions=()))


def test_a_flag_that_rests_on_an_assumption_says_which_in_the_panel_and_the_terminal():
    d = determination()
    page = r.determination_html(d)
    pi = page.split('aria-label="Public interest (duty of confidence)"')[1].split("</section>")[0]
    assert "Rests on an assumption" in _outside_details(pi) and ASSUMED_WHY in _outside_details(pi)
    consent = page.split('aria-label="Consent"')[1].split("</section>")[0]
    assert "Rests on an assumption" not in consent
    assert f"  Rests on an assumption: {ASSUMED_WHY}" in r.determination_text(d)


def test_the_questions_are_listed_in_the_terminal_with_the_assumed_value_marked():
    out = r.determination_text(determination())
    assert "  - How old is the child? [protected_person_age: a number]" in out
    assert ("  - Is anyone at risk of death or serious injury now? [emergency: Yes: call 999 now / No] "
            "Now: No (assumed)") in out


def test_markup_in_a_plain_sentence_or_an_assumption_is_shown_as_text():
    d = determination(assumptions=(Assumption("emergency", False, HOSTILE),))
    d = replace(d, consent=replace(d.consent, plain=HOSTILE),
                public_interest=replace(d.public_interest, rests_on=("emergency",)))
    page = r.determination_html(d)
    assert_no_tag_survives(page)
    chat = r.page_html("chat", r.answer_markdown(turn(d)))
    assert_no_tag_survives(chat)


def test_every_status_word_comes_from_status_words(monkeypatch):
    words = {k: f"Statusword{n}" for n, k in enumerate(wording.STATUS_WORDS)}
    for k, v in words.items():
        monkeypatch.setitem(wording.STATUS_WORDS, k, v)
    t = turn()
    outputs = {"chat": r.answer_markdown(t), "terminal": r.answer_text(t),
               "check": r.determination_text(t.determination), "panel": r.determination_html(t.determination),
               "record.md": r.record_markdown(DecisionRecord(), t), "record.html": r.record_html(DecisionRecord(), t)}
    for name, out in outputs.items():
        for f in t.determination.flags:
            assert words[f.status] in out, (name, f.name)
        assert not re.search(r"Does not apply|Undetermined|\bApplies\b|DOES NOT APPLY", out), name


def test_every_record_field_has_a_plain_english_label():
    from assistant.types import RECORD_FIELDS

    assert tuple(r.RECORD_LABELS) == RECORD_FIELDS
    assert all(label and "_" not in label for label in r.RECORD_LABELS.values())


# ---- escaping ---------------------------------------------------------------------------------


def test_markup_in_the_rules_panel_is_shown_as_text():
    bad = Judgement("J9", HOSTILE)
    d = determination(reason=HOSTILE, judgements=(bad,))
    d = replace(d, consent=replace(d.consent, judgements=(bad,), ask=(HOSTILE,),
                                   references=(LegalRef(HOSTILE, "javascript:alert(1)"),)))
    page = r.determination_html(d)
    assert_no_tag_survives(page)
    assert "javascript:" not in page


def test_markup_in_a_corpus_document_is_shown_as_text_in_the_source_view():
    text = "# Doc\n\n## Part\n\nSafe line. " + HOSTILE + "\nAfter.\n"
    start = text.index("Safe line.")
    src = Source("evil", "Evil <b>doc</b>", "guidance", "Pub", "https://example.org", "v1", "OGL", "Crown", "current")
    doc = Document(src, text, (Section(("Doc", "Part"), start, len(text)),), "x")
    q = Quote(HOSTILE, "evil", src.title, "Doc › Part", text.index(HOSTILE), text.index(HOSTILE) + len(HOSTILE), 1.0,
              "https://example.org/part")
    page = r.source_html(SimpleNamespace(documents={"evil": doc}), q)
    assert_no_tag_survives(page)
    assert '<mark id="sw-highlight" tabindex="-1">' + HOSTILE[:6] in page
    assert "Safe line. " in page and "<br>After." in page
    assert "<b>doc</b>" not in page and "Evil &lt;b&gt;doc&lt;/b&gt;" in page
    assert '<a href="https://example.org/part" target="_blank" rel="noopener noreferrer">' in page
    for detail in ("Pub", "v1", "OGL", "Crown", "current"):
        assert detail in page


def test_markup_in_a_quote_or_a_typed_field_is_shown_as_text_in_the_printable_record():
    t = turn(quotes=(quote(HOSTILE),))
    page = r.record_html(DecisionRecord(decision=HOSTILE, reasons="because **I** said"), t)
    assert_no_tag_survives(page)
    assert "because **I** said" in page  # what was typed is kept as typed, not turned into bold


def test_markup_in_a_quote_never_becomes_markup_when_the_chat_markdown_is_rendered():
    t = turn(quotes=(quote(HOSTILE),))
    page = r.page_html("chat", r.answer_markdown(t))
    assert_no_tag_survives(page)
    assert "<blockquote>" in page and "Working Together 2023" in page


def test_markup_in_a_report_is_shown_as_text():
    page = r.page_html("report", HOSTILE + "\n\n| a | b |\n|---|---|\n| " + HOSTILE + " | x |\n")
    assert "<script" not in page and "<img" not in page and "&lt;script&gt;" in page and "<table>" in page


def test_a_lone_star_or_a_multiplication_is_not_italics():
    """The hand-written converter turned `2 * 3 * 4` into `2 <i> 3 </i> 4`."""
    page = r.page_html("t", "Scores 2 * 3 * 4 here, and a lone * there.\n\n**bold** and *real emphasis*")
    assert "<i>" not in page and "2 * 3 * 4" in page and "a lone * there" in page
    assert "<strong>bold</strong>" in page and "<em>real emphasis</em>" in page


def test_a_report_page_is_self_contained_and_draws_its_own_charts():
    svg = '<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
    md = "# Report\n\n| metric | value |\n|---|---|\n| mrr | 0.5 |\n\n![chart](a.svg)\n![outside](https://example.org/x.png)\n"
    page = r.page_html("Report & more", md, {"a.svg": svg})
    assert page.startswith("<!doctype html>") and "<title>Report &amp; more</title>" in page
    assert svg in page and "<img" not in page and "example.org" not in page and "outside" in page
    assert "<td>mrr</td>" in page and "<script" not in page and "@import" not in page and "url(" not in page


# ---- the record of decision ---------------------------------------------------------------------


def test_the_printable_record_has_no_markdown_and_says_not_recorded():
    t = turn()
    page = r.record_html(DecisionRecord(decision="share", what="health information"), t)
    text = visible_text(page)
    assert "**" not in text and "_(" not in text and not re.search(r"^\s*> ", text, re.M) and "*" not in text
    assert text.count("Not recorded") == len(r.RECORD_LABELS) - 2
    assert "Decision" in text and "share" in text and "Lawful basis (UK GDPR Article 6)" in text
    assert "Information can be shared without consent" in text and "Working Together 2023 — Chapter 2" in text


def test_the_record_markdown_and_json():
    t = turn()
    md = r.record_markdown(DecisionRecord(decision="share", what="a_b"), t)
    assert "- **Decision:** share" in md and "- **With whom:** Not recorded" in md and "a\\_b" in md
    assert "_(not recorded)_" not in md and "No identifying details are needed" in md
    assert "> Information can be shared without consent" in md
    data = r.record_json(DecisionRecord(decision="share"), t)
    assert data["record"]["decision"] == "share" and set(data["record"]) == set(r.RECORD_LABELS)
    assert set(data["rules_check"]) == {"consent", "public_interest", "schedule_1"}
    assert data["rules_check"]["consent"]["line"] == r.flag_line(t.determination.consent)
    assert data["quotes_relied_on"][0]["doc_id"] == "wt2023"
    empty = r.record_json(DecisionRecord(), None)
    assert empty["rules_check"] == {} and empty["quotes_relied_on"] == []
    assert "No rules check was run." in r.record_markdown(DecisionRecord(), None)
    assert "No rules check was run." in r.record_html(DecisionRecord(), None)


# ---- law links and the terminal ---------------------------------------------------------------


def test_law_links_use_the_label_as_text_and_legislation_gov_uk_as_address():
    page = r.determination_html(determination())
    assert (f'<a href="{LAW.url}" target="_blank" rel="noopener noreferrer">'
            "Data Protection Act 2018, Schedule 1, paragraph 18</a>") in page
    assert ">" + LAW.label + "<" not in page and "ukpga" not in page.split(LAW.url)[1].split("<")[0]
    assert f"Law: {LAW.label} ({LAW.url})" in r.determination_text(determination())


def test_the_rules_check_in_the_terminal():
    out = r.determination_text(determination())
    assert "  - emergency: False (read from 'a knife tonight')" in out and "  - data_categories: health" in out
    assert f"Consent: Does not apply\n  {PLAIN['consent']}\n    No consent was asked for." in out
    assert "  Condition: Para 18 safeguarding of children" in out and "  Open legal point U-1" in out
    assert "Gateway s47_CA1989: Available." in out and "Telling the family: Tell the family" in out
    assert "  J4: A fourth judgement" in out and "  - How old is the child?" in out
    assert out.endswith("England only.\nThe decision is yours.")


@pytest.mark.parametrize("verbose", [False, True])
def test_the_answer_in_the_terminal(verbose):
    t = turn(expansions=("consent", "risk of harm"))
    out = r.answer_text(t, verbose=verbose)
    assert "1. \u201cInformation can be shared without consent" in out and "Working Together 2023 — Chapter 2" in out
    assert ("characters 10-" in out) is verbose and ("https://www.gov.uk/wt2023" in out) is verbose
    assert "Also searched for: consent; risk of harm" in out
    assert out.endswith("The decision is yours.")
    assert "Also searched for" not in r.answer_text(turn())


def test_the_chat_answer_lists_numbered_quotes_and_three_judgements():
    t = turn(quotes=(quote(), quote("Second passage.", section="")))
    chat = r.answer_markdown(t)
    assert "### What the guidance says" in chat
    assert "— *Working Together 2023, Chapter 2* [\\[1\\]](#sw-cite-1)" in chat
    assert "— *Working Together 2023* [\\[2\\]](#sw-cite-2)" in chat  # each number opens its passage
    assert "Is sharing necessary?; Is it proportionate?; What is the minimum?" in chat
    assert "A fourth judgement" not in chat and chat.endswith("*The decision is yours.*")


# ---- the bottom line first, then the quotes short, then "More:" ---------------------------------------------


def real_turn(emergency: bool = False, **changes) -> Turn:
    """A turn on the real rules check (a referral with consent refused), its bottom line as the pipeline makes it."""
    from assistant.render.bottom_line import bottom_line
    from assistant.rules import determine, parse_facts

    from .test_bottom_line import CASE

    raw = {k: v for k, v in {**CASE, "emergency": emergency, **changes}.items() if v is not None}
    d = determine(parse_facts(raw))
    answer = Answer("Can I share?", True, (quote(),), ())
    return Turn("Can I share?", (), answer, Facts(), Edits(), d.facts, d, bottom_line=bottom_line(answer, d))


def test_the_terminal_answer_opens_with_the_bottom_line_then_the_quotes_then_more():
    t = real_turn()
    out = r.answer_text(t)
    assert t.bottom_line.startswith("On these facts you can share with children's social care without consent")
    assert out.startswith(t.bottom_line + "\n\nWhat the guidance says:\n")
    order = [t.bottom_line, "1. \u201cInformation can be shared without consent", "Working Together 2023 — Chapter 2",
             "\nMore:\n", "The rules check on the facts given:", "  Consent: Does not apply.",
             t.determination.disclaimer]
    places = [out.index(part) for part in order]
    assert places == sorted(places)


def test_the_danger_banner_comes_before_the_bottom_line_and_the_bottom_line_starts_with_999():
    t = real_turn(emergency=True)
    out, chat = r.answer_text(t), r.answer_markdown(t)
    assert out.startswith("!! A child may be in immediate danger.")
    assert out.split("\n\n")[1] == t.bottom_line and t.bottom_line.startswith("Call 999 now.")
    assert chat.startswith("**A child may be in immediate danger.**")
    # in the chat the banner just above already says "call 999": the bottom line goes on from there, not twice
    assert chat.split("\n\n")[1] == f"**{r.md_escape(t.bottom_line.removeprefix('Call 999 now. '))}**"
    assert chat.lower().count("call 999") == 1


def test_the_questions_the_bottom_line_points_to_are_listed_below_it_in_the_terminal():
    t = real_turn(child_harm_level=None)
    assert "answer the questions below" in t.bottom_line
    out = r.answer_text(t)
    below = out.split(t.bottom_line, 1)[1]
    assert "Questions that could change this (answer them in a --facts file):" in below
    assert "  - Do you think the child is at risk of significant harm? [child_harm_level:" in below


@pytest.mark.parametrize("verbose", [False, True])
def test_offsets_addresses_scores_and_rule_ids_only_with_verbose(verbose):
    t = real_turn()
    out = r.answer_text(t, verbose=verbose)
    assert ("characters 10-" in out) is verbose and ("https://www.gov.uk/wt2023" in out) is verbose
    assert ("score 0.800" in out) is verbose
    assert (re.search(r"\bR-(C|PI|S1)", out) is not None) is verbose
    assert ("Rules: R-C6" in out) is verbose
    if not verbose:
        assert "http" not in out and "characters" not in out


def test_the_chat_answer_opens_with_the_bottom_line_in_bold_before_the_quotes():
    t = real_turn()
    chat = r.answer_markdown(t)
    assert chat.startswith(f"**{r.md_escape(t.bottom_line)}**\n\n### What the guidance says")
    assert chat.count(r.md_escape(t.bottom_line)) == 1


def test_no_bottom_line_adds_nothing_at_the_top():
    t = turn()
    assert t.bottom_line == ""
    assert r.answer_text(t).startswith("What the guidance says:")
    assert r.answer_markdown(t).startswith("### What the guidance says")


def test_markup_in_a_bottom_line_is_shown_as_text_in_the_chat():
    t = replace(turn(), bottom_line=HOSTILE)
    page = r.page_html("chat", r.answer_markdown(t))
    assert_no_tag_survives(page)


def test_sharewise_ask_verbose_prints_the_addresses_and_without_it_does_not(capsys):
    from assistant.cli import _print_turn, build_parser

    t = real_turn()
    args = build_parser().parse_args(["ask", "Can I share?", "--verbose"])
    assert args.verbose_answer is True
    _print_turn(t, args)
    assert "https://www.gov.uk/wt2023" in capsys.readouterr().out
    _print_turn(t, build_parser().parse_args(["ask", "Can I share?"]))
    printed = capsys.readouterr().out
    assert printed.startswith(t.bottom_line) and "https://" not in printed
    with pytest.raises(SystemExit) as done:
        build_parser().parse_args(["ask", "--help"])
    assert done.value.code == 0 and "--verbose" in capsys.readouterr().out
