"""Redaction recall on synthetic sentences (no real data): >= 0.98 on structured identifiers, >= 0.95 on names."""

import itertools
import random

from assistant.pii import find_identifiers

NHS = ["943 476 5919", "9434765919", "943-476-5919", "401 023 2137", "4010232137", "450 557 7104"]
NINO = ["JG103759A", "JG 10 37 59 A", "AB123456C", "jg103759a", "CE 12 34 56 D"]
POSTCODE = ["LS6 2AB", "SW1A 1AA", "M1 1AE", "B33 8TH", "CR2 6XH", "DN55 1PT", "GIR 0AA", "ls6 2ab", "EC1A1BB",
            "W1A 0AX"]
DOB = ["03/05/2015", "3/5/2015", "03-05-2015", "3 May 2015", "14th June 2012", "1 Dec 2019", "21.07.2010"]
PHONE = ["07700 900123", "07700900123", "+44 7700 900123", "0113 496 0000", "020 7946 0018", "+44 (0)113 496 0000",
         "01632 960001"]
EMAIL = ["jo.parent@example.com", "mum_2015@example.co.uk", "a.b-c@example.org", "DAD@EXAMPLE.COM"]
NAMES = ["Jayden", "Amelia", "Oliver", "Priya", "Kacper", "Aisha", "Tyler", "Zainab"]
LEADS = ["Her {} is {}.", "I have {} on file as {}.", "The form says {}: {}.", "Mum gave {} {} yesterday.",
         "Please note the {} ({}) is on the referral.", "{} given as {}, not sure it's right."]
NAME_LEADS = ["{} (8) came in with bruises.", "A boy called {} told me.", "My pupil {} is 15.",
              "The patient named {} missed appointments.", "{} (14) disclosed at lunch.",
              # Cues the old regex could not read ("said", "'s mum"): the name finder must.
              "{} said her dad hits her.", "I spoke to {}'s mum at the gate.", "{}, 14, disclosed at lunch.",
              "{} told me her stepdad hits her.", "i spoke to {}'s mum"]


def sentences():
    rnd = random.Random(7)
    out = []
    for kind, values, label in (("NHS number", NHS, "NHS number"), ("National Insurance number", NINO, "NI number"),
                                ("postcode", POSTCODE, "postcode"), ("date of birth", DOB, "date of birth"),
                                ("phone number", PHONE, "phone"), ("email address", EMAIL, "email")):
        for value, lead in itertools.product(values, LEADS):
            out.append((kind, value, lead.format(label, value)))
    for name, lead in itertools.product(NAMES, NAME_LEADS):
        out.append(("name", name, lead.format(name if lead[0] != "i" else name.lower())))
    rnd.shuffle(out)
    return out


def recall():
    hits, totals = {}, {}
    for kind, value, text in sentences():
        totals[kind] = totals.get(kind, 0) + 1
        found = find_identifiers(text)
        if any(f.kind == kind and value.replace(" ", "").lower() in f.text.replace(" ", "").lower() for f in found):
            hits[kind] = hits.get(kind, 0) + 1
    return {k: hits.get(k, 0) / totals[k] for k in totals}, sum(totals.values())


def test_at_least_200_synthetic_sentences():
    assert len(sentences()) >= 200


def test_structured_identifiers_are_found_with_recall_of_at_least_098():
    rates, n = recall()
    for kind, rate in rates.items():
        if kind != "name":
            assert rate >= 0.98, (kind, rate)
    assert rates["name"] >= 0.95, rates["name"]
    print(f"recall on {n} sentences: " + ", ".join(f"{k} {v:.2f}" for k, v in sorted(rates.items())))
