"""The UI's event handlers, called directly (no browser)."""

import json

from assistant.ui import handlers as h


def test_history_from_the_browser_and_from_the_api_reads_the_same():
    browser = [{"role": "user", "content": [{"type": "text", "text": "What is Clare's Law?"}]},
               {"role": "assistant", "content": [{"type": "text", "text": "..."}], "metadata": {"title": "Sources"}}]
    api = [{"role": "user", "content": "What is Clare's Law?"}, {"role": "assistant", "content": "..."}]
    assert h.user_turns(browser) == h.user_turns(api) == ["What is Clare's Law?"]


def test_a_follow_up_keeps_the_facts_of_the_conversation(fake_sw):
    session = h.Session()
    h.ask(fake_sw, session, "A 15-year-old told me in confidence her stepdad hits her.")
    result = h.ask(fake_sw, session, "What if she refuses?")
    facts = result["rules"]["facts"]
    assert facts["protected_person_age"]["value"] == 15
    assert facts["consent_status"]["value"] == "refused"
    assert session.questions == ["A 15-year-old told me in confidence her stepdad hits her.", "What if she refuses?"]


def test_changing_a_fact_reruns_the_rules_without_asking_again(fake_sw):
    session = h.Session()
    first = h.ask(fake_sw, session, "I'm the DSL. A boy (8) has bruises and says dad hit him with a belt.")
    before = first["rules"]["consent"]["status"]
    panel = h.panel_values(first["rules"]["facts"])
    panel[h.PANEL.index("consent_status")] = "refused"
    after = h.rerun_rules(fake_sw, session, panel)
    assert after["rules"]["consent"]["status"] == "does_not_apply" != before
    assert after["rules"]["facts"]["consent_status"] == {"value": "refused"}
    assert len(session.questions) == 1  # not asked again


def test_identifiers_trigger_a_warning_and_can_be_removed():
    text = "Jayden (8), NHS 943 476 5919, lives at LS6 2AB"
    assert "identifying details" in h.pii_warning(text)
    assert "943 476 5919" not in h.redacted(text) and "LS6 2AB" not in h.redacted(text)
    assert h.pii_warning("Can I share without consent?") == ""


def test_the_source_view_highlights_the_quote_in_its_section(fake_sw):
    session = h.Session()
    result = h.ask(fake_sw, session, "Do I need consent to share?")
    page = h.source_view(fake_sw, result, 0)
    quote = result["quotes"][0]["text"]
    assert "<mark>" in page and "Licence:" in page and "Currency:" in page
    assert quote.split()[0] in page.split("<mark>")[1]


def test_the_record_downloads_as_markdown_json_and_html(fake_sw, tmp_path):
    session = h.Session()
    result = h.ask(fake_sw, session, "Can I refer to children's social care without telling mum?")
    fields = h.record_fields(result)
    fields[0] = "share"
    paths = h.write_record(result, fields, tmp_path)
    md, js, page = (open(p, encoding="utf-8").read() for p in paths)
    assert "No identifying details are needed" in md and "**Decision:** share" in md
    data = json.loads(js)
    assert data["record"]["decision"] == "share" and set(data["rules_check"]) == {"consent", "public_interest", "schedule_1"}
    assert data["quotes_relied_on"] and page.startswith("<!doctype html>")


def test_no_grounded_answer_is_shown_as_such(fake_sw):
    result = {"grounded": False, "quotes": [], "rules": {"emergency": None}}
    text = h.chat_reply(result)
    assert text.startswith("**No grounded answer") and "designated safeguarding lead" in text


def test_the_evaluate_tab_runs_an_uploaded_file_and_deletes_it(fake_sw, tmp_path):
    from .. conftest import REPO

    upload = tmp_path / "upload.jsonl"
    upload.write_text("\n".join((REPO / "evals" / "questions.jsonl").read_text(encoding="utf-8").splitlines()[:4]) + "\n",
                      encoding="utf-8")
    seen = []
    html_text, paths = h.run_evaluation(fake_sw, str(upload), lambda i, n: seen.append((i, n)))
    assert "Sharewise evaluation report" in html_text and "<table>" in html_text
    assert [p.rsplit("/", 1)[1] for p in paths] == ["results.json", "report.md", "report.html"]
    assert not upload.exists() and seen[-1] == (4, 4)
