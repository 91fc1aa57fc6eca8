import pytest

from assistant.pii import find_identifiers, redact


@pytest.mark.parametrize("text, kind", [
    ("NHS number 943 476 5919 on file", "NHS number"),
    ("nhs 9434765919", "NHS number"),
    ("her NI number is JG103759A", "National Insurance number"),
    ("lives at LS6 2AB with mum", "postcode"),
    ("address SW1A 1AA", "postcode"),
    ("born 03/05/2015", "date of birth"),
    ("born 3 May 2015", "date of birth"),
    ("ring 07700 900123", "phone number"),
    ("ring +44 7700 900123", "phone number"),
    ("email parent@example.com", "email address"),
    ("Jayden (8) came in with bruises", "name"),
    ("Amelia said her stepdad hits her", "name"),
    ("I spoke to Oliver's mum", "name"),
    ("Mrs Thompson rang", "name"),
    ("Tyler, 14, disclosed", "name"),
])
def test_identifiers_are_found(text, kind):
    assert kind in {f.kind for f in find_identifiers(text)}


def test_invalid_nhs_checksum_is_not_an_nhs_number_but_is_still_redacted():
    kinds = {f.kind for f in find_identifiers("ref 943 476 5918")}
    assert "NHS number" not in kinds and "ID number" in kinds
    assert "943 476 5918" not in redact("ref 943 476 5918")


def test_redaction_removes_every_identifier():
    text = "Jayden (8), NHS 943 476 5919, LS6 2AB, 07700 900123, mum@example.com"
    out = redact(text)
    for raw in ("Jayden", "943 476 5919", "LS6 2AB", "07700 900123", "mum@example.com"):
        assert raw not in out
    assert "[NHS number]" in out and "[name]" in out


def test_plain_questions_raise_no_warning():
    assert find_identifiers("Can I tell children's social care without asking mum? She is 15.") == []
    assert find_identifiers("What is Clare's Law? Should I ask the Caldicott guardian or Humberside Police?") == []


def test_strong_identifiers_alone_skip_the_name_finder():
    assert [f.kind for f in find_identifiers("Amelia, NHS 943 476 5919", names=False)] == ["NHS number"]


@pytest.mark.parametrize("typed", ["943.476.5919", "943\u00a0476\u00a05919", "943 4765 919", "943-476-5919",
                                   "943\u200b476\u200b5919", "9434765919"])
def test_an_nhs_number_in_any_grouping_or_with_invisible_characters_is_redacted(typed):
    """Found by the probe: dots, no-break spaces and 3-4-3 groups slipped past and were stored raw."""
    out = redact(f"NHS {typed} for the referral")
    assert "[NHS number]" in out and not any(ch.isdigit() for ch in out)
