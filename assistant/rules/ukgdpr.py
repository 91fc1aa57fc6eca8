"""The UK GDPR outputs beside the flags (rules-spec §5.4-5.5): the Article 6 bases the facts suggest and the
Article 9 condition / Article 10 route they point to. Suggestions, never decisions: every rule here is
evaluated (an exception before the rules it overrides) and each that fires adds its suggestion."""

from __future__ import annotations

import datetime as dt

from .dpa_sch1 import P18_ELEMENTS, para_18
from .facts import CONSENT_GIVEN, PROTECTIVE_PURPOSES, Derived, Facts
from .law import A6, A7, A9, A10, ANNEX1, CA04_16H, CA89_47, P2, P6, P18, P19, P36, S8, S10, S11
from .registry import Got, Hit, Miss, Outcome, rule

ANNEX1_FROM = dt.date(2026, 2, 5)  # DUAA 2025 s.70 commenced (SI 2026/82); Sch 4 itself not verified (U-3)
PUBLIC_BODIES = ("public_authority", "health_professional", "social_work_professional")


@rule("R-A6-e", "Article 6(1)(e) public task", "article_6", [A6, S8],
      ["The legal bases that may be appropriate for sharing data in these circumstances could be 'legal obligation' or "
       "'public task' which includes performance of a task in the public interest or the exercise of official "
       "authority."])
def a6e(f: Facts, d: Derived) -> Outcome:
    """A public authority (or an NHS or local authority professional) exercising functions given by law (DPA s.8(c))."""
    if f.get("sharer_type") in PUBLIC_BODIES or f.get("sharer_statutory_function"):
        fn = f.get("sharer_statutory_function")
        named = f" — {fn}" if isinstance(fn, str) and fn != "yes" else \
            " — " + {"dvds": "Domestic Violence Disclosure Scheme", "csods": "Child Sex Offender Disclosure Scheme"}[
                f.get("request_basis")] + " (police common-law powers)" \
            if f.get("request_basis") in ("dvds", "csods") and f.get("sharer_type") == "public_authority" else ""
        return Hit(None, f"(e) public task{named}: cite the function given by law (DPA 2018 s.8(c)).",
                   code="(e)", text=f"(e) public task{named}")
    return Miss("sharer is not a public body and no statutory function given")


@rule("R-A6-c", "Article 6(1)(c) legal obligation", "article_6", [A6, CA89_47, CA04_16H])
def a6c(f: Facts, d: Derived) -> Outcome:
    """A court order, or a mandatory request (verification pending for s.47(11) and s.16H)."""
    basis = f.get("request_basis")
    if basis == "court_order":
        return Hit(None, "(c) legal obligation: the court order.", code="(c)",
                   text="(c) legal obligation — court order")
    if basis in ("s47_CA1989", "s16H_CA2004"):
        return Hit(None, "(c) legal obligation, if you are a body with a duty to assist (not verified here).",
                   uncertainty=("U-8",) if basis == "s47_CA1989" else ("U-7",),
                   code="(c)", text="(c) legal obligation, if your organisation has the duty to assist [not verified]")
    return Miss("no court order or mandatory request")


@rule("R-A6-d", "Article 6(1)(d) vital interests", "article_6", [A6],
      ["In urgent situations, information will need to be shared verbally, but should then if possible be followed up "
       "and confirmed in writing."])
def a6d(f: Facts, d: Derived) -> Outcome:
    """An emergency: someone at immediate risk of death or serious injury."""
    if f.get("emergency") is True:
        return Hit(None, "(d) vital interests (emergency).", code="(d)", text="(d) vital interests")
    return Miss("not an emergency")


@rule("R-A6-a", "Article 6(1)(a) consent", "article_6", [A6, A7],
      ["Consent is also a lawful basis in UK GDPR and would cover sharing where the individual has given clear consent "
       "for you to process their personal data for a specific purpose; e.g. provision of Early help services."])
def a6a(f: Facts, d: Derived) -> Outcome:
    """Valid consent for a voluntary service, below the threshold (you would not share without it)."""
    if f.get("consent_status") in CONSENT_GIVEN and d.consent_valid is not False and d.threshold is not True \
            and f.get("purpose") in ("early_help", "health_social_care_provision", "s17_child_in_need"):
        return Hit(None, "(a) consent, for a voluntary service.", code="(a)", text="(a) consent")
    return Miss("no valid consent for a voluntary service below the threshold")


@rule("R-A6-ea", "Article 6(1)(ea) recognised legitimate interest (UK GDPR Annex 1)", "article_6", [A6, ANNEX1])
def a6ea(f: Facts, d: Derived) -> Outcome:
    """Not for public authorities in their tasks. Annex 1 para 6 (safeguarding a vulnerable individual), para 5
    (crime), para 1 (disclosure on request for a public task). Date-gated at 5 February 2026 (U-3)."""
    if f.get("sharer_type") is None:
        return Miss("sharer type unknown")
    date = f.get("decision_date")  # not known: the decision is being made now, after 5 February 2026
    if date is not None and date < ANNEX1_FROM:
        return Miss(f"decision date {date} is before Article 6(1)(ea) came into force")
    safeguarding = (d.child is True or d.adult_at_risk is not False) and (
        f.get("purpose") in PROTECTIVE_PURPOSES or f.get("child_harm_level") not in (None, "none")
        or f.get("adult_harm_level") not in (None, "none"))
    crime = f.get("crime_purpose") in ("serious_crime", "other_crime")
    if not (safeguarding or crime):
        return Miss("no safeguarding or crime purpose")
    paras = " / ".join(p for p, on in (("Annex 1 para 6 (safeguarding a vulnerable individual)", safeguarding),
                                        ("Annex 1 para 5 (crime)", crime)) if on)
    return Hit(None, f"(ea) recognised legitimate interest: {paras}. No balancing test, but necessity still applies.",
               uncertainty=("U-3",), code="(ea)", text=f"(ea) recognised legitimate interest — {paras}")


@rule("R-A6-f", "Article 6(1)(f) legitimate interests", "article_6", [A6])
def a6f(f: Facts, d: Derived) -> Outcome:
    """For bodies that are not public authorities; a documented balancing test, children's interests weigh heavily."""
    if f.get("sharer_type") is not None:
        return Hit(None, "(f) legitimate interests, with a documented balancing test.",
                   code="(f)", text="(f) legitimate interests (balancing test)")
    return Miss("sharer type unknown")


@rule("R-A6-block", "Public authorities cannot use (ea) or (f) for their tasks", "article_6", [A6],
      overrides=["R-A6-ea", "R-A6-f"])
def a6block(f: Facts, d: Derived) -> Outcome:
    """Article 6(1), final sentence: (f) (and so (ea), which is for non-public tasks) is not for processing by
    public authorities in the performance of their tasks. NHS and local authority professionals act for one."""
    if f.get("sharer_type") in PUBLIC_BODIES:
        return Hit(None, "As a public authority acting in its tasks you cannot rely on (ea) or (f).")
    return Miss("not a public authority")


# ---- Article 9 --------------------------------------------------------------------------------

@rule("R-A9-none", "No Article 9 condition needed", "article_9", [A9])
def a9none(f: Facts, d: Derived) -> Outcome:
    """No special category data."""
    if d.special is False:
        return Hit(None, "not needed (no special category data)", text="not needed")
    return Miss("special category data present or unknown")


@rule("R-A9-a", "Article 9(2)(a) explicit consent", "article_9", [A9],
      ["Similarly, there will not be a breach of confidence where there is explicit consent to the sharing."],
      needs=["consent"])
def a9a(f: Facts, d: Derived, got: Got) -> Outcome:
    """Explicit consent lifts the Art 9(1) prohibition."""
    if d.special is True and f.get("consent_status") in CONSENT_GIVEN:
        if got.status("consent") == "applies":
            return Hit(None, "9(2)(a) explicit consent", text="9(2)(a) explicit consent")
        return Hit(None, "9(2)(a) once explicit consent is confirmed",
                   text="9(2)(a) once explicit consent is confirmed")
    return Miss("no consent given for special category data")


@rule("R-A9-g18", "Article 9(2)(g) with Sch 1 para 18", "article_9", [A9, S10, P18],
      needs=["R-S1-18", "R-S1-19", *P18_ELEMENTS])
def a9g18(f: Facts, d: Derived, got: Got) -> Outcome:
    """Substantial public interest, with the para 18 condition (DPA 2018 s.10(3))."""
    p18, p19 = got.hit("R-S1-18"), got.hit("R-S1-19")
    if d.special is True and p18:
        extra = " (and para 19)" if p19 else ""
        return Hit(None, f"9(2)(g) + DPA s.10(3) + Sch 1 para 18{extra}",
                   text=f"9(2)(g) + DPA s.10(3) + Sch 1 para 18{extra}")
    if d.special is True and para_18(got, d).status == "undetermined" and not p19:
        text = "9(2)(g) + DPA s.10(3) + Sch 1 para 18, if its open points are confirmed"
        return Hit(None, text, text=text)
    return Miss("para 18 does not apply to special category data")


@rule("R-A9-g19", "Article 9(2)(g) with Sch 1 para 19", "article_9", [A9, S10, P19], needs=["R-S1-18", "R-S1-19"])
def a9g19(f: Facts, d: Derived, got: Got) -> Outcome:
    """Substantial public interest, with the para 19 condition (health data only)."""
    if d.special is True and got.hit("R-S1-19") and not got.hit("R-S1-18"):
        return Hit(None, "9(2)(g) + DPA s.10(3) + Sch 1 para 19", text="9(2)(g) + DPA s.10(3) + Sch 1 para 19")
    return Miss("para 19 alone does not apply")


@rule("R-A9-g6", "Article 9(2)(g) with Sch 1 para 6 (candidate)", "article_9", [A9, S10, P6],
      needs=["R-S1-18", "R-S1-6"])
def a9g6(f: Facts, d: Derived, got: Got) -> Outcome:
    """Statutory purposes as the alternative when para 18 is not settled."""
    if d.special is True and not got.hit("R-S1-18") and got.hit("R-S1-6"):
        return Hit(None, "9(2)(g) + Sch 1 para 6 (or para 18 with a recorded reason)",
                   text="9(2)(g) + DPA s.10(3) + Sch 1 para 6 (or para 18 with a recorded reason)")
    return Miss("para 6 is not a candidate")


@rule("R-A9-h", "Article 9(2)(h) with Sch 1 Part 1 para 2 (candidate)", "article_9", [A9, S11, P2],
      needs=["R-S1-18", "R-S1-P1-2"])
def a9h(f: Facts, d: Derived, got: Got) -> Outcome:
    """Health or social care purposes, professional secrecy (s.11(1))."""
    if d.special is True and not got.hit("R-S1-18") and got.hit("R-S1-P1-2"):
        return Hit(None, "9(2)(h) + s.11(1) + Sch 1 Pt 1 para 2 (candidate)",
                   text="9(2)(h) + DPA s.10(2), s.11(1) + Sch 1 Pt 1 para 2 (candidate)")
    return Miss("Part 1 para 2 is not a candidate")


@rule("R-A10", "Article 10 route for criminal offence data", "article_10", [A10, S10, P36],
      needs=["consent", "R-S1-18", *P18_ELEMENTS, "R-S1-10", "R-S1-6"])
def a10(f: Facts, d: Derived, got: Got) -> Outcome:
    """DPA 2018 s.10(5): a Sch 1 Part 1, 2 or 3 condition; Part 3 para 36 applies Part 2 conditions without the
    'substantial public interest' element."""
    if d.criminal is not True:
        return Miss("no criminal offence data")
    if got.status("consent") == "applies":
        text = "Art 10 + DPA s.10(5) + Sch 1 Pt 3 para 29 (consent)"
    else:
        para_18_open = got.hit("R-S1-18") or para_18(got, d).status == "undetermined"
        partners = [p for p, on in (("para 18", para_18_open), ("para 10", got.hit("R-S1-10")),
                                    ("para 6", got.hit("R-S1-6"))) if on]
        if not partners:
            return Hit(None, "none available on the facts entered", text="none available on the facts entered")
        text = "Art 10 + DPA s.10(5) + Sch 1 Pt 3 para 36 with " + " / ".join(partners)
    return Hit(None, text, uncertainty=("U-10",), text=text)
