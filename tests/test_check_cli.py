"""`sharewise check`: free text or a facts file, text or JSON, and clear messages for odd input."""

import json
import subprocess
import sys

import pytest


def run_cli(*args, cwd=None):
    return subprocess.run([sys.executable, "-m", "assistant.cli", "check", *args], capture_output=True, timeout=60,
                          cwd=cwd)


def test_free_text_json_has_the_three_flags_facts_and_trace():
    r = run_cli("--json", "I'm a school nurse. A 12-year-old told me she is having sex with a 15-year-old boy "
                          "and asked me not to tell anyone.")
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    for flag in ("consent", "public_interest", "schedule_1"):
        assert out[flag]["status"] in ("applies", "does_not_apply", "not_needed", "undetermined")
    assert out["facts"]["protected_person_age"] == {"value": 12, "from": "12-year-old"}
    assert out["facts"]["consent_status"]["value"] == "refused"
    assert out["trace"] and any(t["fired"] for t in out["trace"])


def test_facts_file_gives_the_scenario_answer(tmp_path):
    f = tmp_path / "facts.yaml"
    f.write_text("facts:\n  protected_person_age: 8\n  data_categories: [health, criminal_offence]\n  sensitive: true\n"
                 "  already_public_or_readily_available: false\n  given_in_confidence: true\n"
                 "  consent_status: seeking_would_increase_risk_to_child\n"
                 "  child_harm_level: evidence_significant_harm\n"
                 "  purpose: child_protection_referral\n  sharer_type: public_authority\n  apd_in_place: true\n"
                 "  data_subject_role: child\n  protected_person: same_as_data_subject\n"
                 "  recipient: la_childrens_social_care\n", encoding="utf-8")
    out = json.loads(run_cli("--facts", str(f), "--json").stdout)
    assert [out[k]["status"] for k in ("consent", "public_interest", "schedule_1")] == \
        ["does_not_apply", "applies", "applies"]
    text = run_cli("--facts", str(f)).stdout.decode()
    assert "Public interest (duty of confidence): Applies" in text and "Still yours to judge" in text


def test_scenarios_file_with_defaults_is_accepted(tmp_path):
    f = tmp_path / "one.yaml"
    f.write_text("meta:\n  defaults:\n    apd_in_place: true\nfacts:\n  consent_status: refused\n", encoding="utf-8")
    assert run_cli("--facts", str(f), "--json").returncode == 0


@pytest.mark.parametrize("content, message", [
    (b"facts:\n  colour: blue\n", b"unknown fact 'colour'"),
    (b"facts:\n  protected_person_age: [1, 2]\n", b"protected_person_age must be a whole number"),
    (b"facts: [1, 2\n", b"not valid YAML at line"),
    (b"just: text\n", b"must hold a `facts:` mapping"),
    (b"facts:\n  purpose: caf\xe9\n", b"not UTF-8"),
])
def test_bad_facts_files_are_named(tmp_path, content, message):
    f = tmp_path / "bad.yaml"
    f.write_bytes(content)
    r = run_cli("--facts", str(f))
    assert r.returncode == 2 and message in r.stderr and b"Traceback" not in r.stderr


@pytest.mark.parametrize("args, message", [
    (("",), b"The question is empty"),
    (("x" * 100_000,), b"the limit is 8,000"),
    ((b"caf\xe9 consent",), b"not valid UTF-8"),
    (("--facts", "/no/such/file.yaml"), b"cannot read the facts file"),
    ((), b"describe the situation"),
])
def test_odd_input_gets_a_clear_message(args, message):
    r = run_cli(*args)
    assert r.returncode == 2 and message in r.stderr and b"Traceback" not in r.stderr


def test_emergency_text_puts_the_banner_first():
    r = run_cli("Youth worker. Danny (16) showed me a knife and says he will stab a lad from the estate tonight.")
    assert r.returncode == 0
    first = r.stdout.decode().splitlines()[0]
    assert first.startswith("!! A child may be in immediate danger.") and "call 999" in first.lower()
