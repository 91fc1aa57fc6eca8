"""The SCHEDULE_1 flag (rules-spec §5.1-5.3): which DPA 2018 Schedule 1 condition, if any, the sharing of
special category or criminal offence data can rest on; principally Part 2 paragraph 18, whose elements
(18(1)(a)-(c) and the appropriate policy document of para 5) are separate rules combined here by `para_18`.
The rules are evaluated in the order declared (exceptions before the rules they override); the first that
gives a status decides, and para 19 joins a para 18 decision."""

from __future__ import annotations

from dataclasses import dataclass

from .confidence import Q_WHOSE, private_request
from .facts import CONSENT_GIVEN, CONSENT_REFUSED, PROTECTIVE_PURPOSES, Derived, Facts, child_harm_relevant
from .law import A9, A10, P2, P5, P6, P10, P17, P18, P19, P29, P30, P36, P39, S8, S10, S11
from .registry import Got, Hit, Miss, Outcome, fallback, rule

CRIMES = ("serious_crime", "other_crime")
VITAL = "9(2)(c) vital interests"
# The elements of para 18, in the order they are examined: (1)(a) purpose, (1)(b) the individual,
# (1)(c) without consent for a (2) reason (one of 18d, 18c, 18f speaks), para 5 the policy document (18g, 18h).
P18_ELEMENTS = ("R-S1-18a", "R-S1-18b", "R-S1-18d", "R-S1-18c", "R-S1-18f", "R-S1-18g", "R-S1-18h")
# Alternatives to para 18, never chosen for the practitioner.
CANDIDATES = ("R-S1-6", "R-S1-10", "R-S1-P1-2", "R-S1-17")
# The Article 9 outputs (ukgdpr.py) that a vital-interests decision sets aside.
ARTICLE_9_RULES = ("R-A9-none", "R-A9-a", "R-A9-g18", "R-A9-g19", "R-A9-g6", "R-A9-h")


def element(value: bool, why: str) -> Hit:
    return Hit(None, why, element="met" if value else "not_met")


@dataclass(frozen=True)
class Para18:
    """Para 18 on the facts, from its elements. status None: not examined (the flag was decided before)."""

    status: str | None
    why_not: str = ""  # the first element not met
    open_points: tuple[str, ...] = ()  # what each open element still needs
    reason: str = ""  # the para 18(2) reason relied on


def para_18(got: Got, d: Derived) -> Para18:
    """Combine the elements (a rule that calls this declares `needs=P18_ELEMENTS`): not met if any element is
    not met, open if any is open, otherwise met."""
    if not got.evaluated(P18_ELEMENTS[0]):
        return Para18(None)
    hits = [h for _, h in got.hits(P18_ELEMENTS)]
    failing = [h.reason for h in hits if h.element == "not_met"]
    open_ = tuple(h.reason for h in hits if h.element == "open")
    status = "does_not_apply" if failing else "undetermined" if open_ else "applies"
    reason = next((h.para_18_2 for h in hits if h.para_18_2), d.p18_reason or "")
    return Para18(status, failing[0] if failing else "", open_, reason)



@rule("R-S1-0a", "Special category data: Article 9 condition needed", "schedule_1", [S10, A9])
def s1_0a(f: Facts, d: Derived) -> Outcome:
    """Art 9(2)(g) needs a Sch 1 Part 2 condition; (b),(h),(i),(j) a Part 1 condition; (a),(c),(f) none
    (s.10(2),(3))."""
    if d.special is True:
        return Hit(None, "Special category data: you need an Article 9 condition as well as an Article 6 basis.")
    return Miss("no special category data")


@rule("R-S1-0b", "Criminal offence data (allegations included): Article 10 route needed", "schedule_1",
      [S10, S11, P36, A10])
def s1_0b(f: Facts, d: Derived) -> Outcome:
    """Art 10 processing not under official authority needs a Sch 1 Part 1, 2 or 3 condition (s.10(5))."""
    if d.criminal is True:
        return Hit(None, "Criminal offence data, including allegations (DPA 2018 s.11(2)), needs an Article 10 route: "
                         "a "
                   "Schedule 1 condition (Part 3 para 36 lets Part 2 conditions apply without 'substantial public "
                   "interest').",
                   uncertainty=("U-10",))
    return Miss("no criminal offence data")


@rule("R-S1-0", "Ordinary personal data: no Schedule 1 condition needed", "schedule_1", [S10, A9],
      ["Where practitioners need to share special category data, for example where information obtained is sensitive "
       "and needs more protection, they need to identify both a lawful basis for processing under Article 6 of the UK "
       "GDPR and a special category condition for processing in compliance with Article 9"])
def s1_0(f: Facts, d: Derived) -> Outcome:
    """Schedule 1 conditions are needed only for special category and criminal offence data."""
    if f.get("personal_data") is False or (d.special is False and d.criminal is False):
        return Hit("not_needed", "No special category or criminal offence data: an Article 6 basis is enough, no "
                   "Schedule 1 condition is needed.")
    return Miss("special category or criminal data present (or not known)")


@rule("R-S1-0u", "Kinds of information not known", "schedule_1", [A9, S11])
def s1_0u(f: Facts, d: Derived) -> Outcome:
    """Whether a Schedule 1 condition is needed depends on what the information reveals."""
    if d.special is None:
        return Hit("undetermined", "What the information reveals is not known.", ask=(f.ask("data_categories"),))
    return Miss("data_categories known")


@rule("R-S1-18e", "Valid consent: para 18 not the route", "schedule_1", [P18, P29, A9], overrides=["R-S1-18"],
      needs=["consent"])
def s1_18e(f: Facts, d: Derived, got: Got) -> Outcome:
    """Para 18 covers processing without consent; with valid explicit consent use Art 9(2)(a) (and Pt 3 para 29)."""
    if got.status("consent") == "applies":
        if d.criminal is True:
            return Hit("applies", "Valid consent: for the criminal offence data, Sch 1 Part 3 para 29 (consent).",
                       condition="Sch 1 Pt 3 para 29 (consent)")
        return Hit("not_needed", "Valid explicit consent: Article 9(2)(a) needs no Schedule 1 condition; para 18 "
                   "(which covers sharing without consent) is not the route.")
    return Miss("consent flag does not apply")


@rule("R-S1-CP", "Consent given but not yet shown valid or explicit", "schedule_1", [A9, P29], overrides=["R-S1-18"],
      needs=["consent"])
def s1_cp(f: Facts, d: Derived, got: Got) -> Outcome:
    """While consent may be the route (Art 9(2)(a)), para 18 (processing without consent) is not the answer."""
    if f.get("consent_status") in CONSENT_GIVEN and got.status("consent") == "undetermined":
        return Hit("undetermined", "Consent was given but is not confirmed as valid and explicit. If explicit consent "
                   "is confirmed, no Schedule 1 condition is needed for special category data (Art 9(2)(a)); if not, "
                   "para 18 is not available while consent could still be sought.",
                   ask=("Confirm whether explicit consent was given, in a clear statement naming the information and "
                        "the recipient.",))
    return Miss("consent not given-but-unconfirmed")


@rule("R-A9-c", "Emergency and the data subject cannot consent: Art 9(2)(c) vital interests", "schedule_1", [A9, P30],
      ["In urgent situations, information will need to be shared verbally, but should then if possible be followed up "
       "and confirmed in writing."],
      overrides=["R-S1-18", *ARTICLE_9_RULES], also=["article_9"])
def a9c(f: Facts, d: Derived) -> Outcome:
    """Art 9(2)(c) needs the data subject to be physically or legally incapable of consenting: not mere refusal."""
    if f.get("emergency") is True and (f.get("consent_status") == "cannot_be_given"
                                       or f.get("capacity_or_competence") == "lacks_capacity"):
        if d.criminal is True:
            return Hit("applies", "Emergency and the person cannot consent: Art 9(2)(c) vital interests, and Sch 1 "
                       "Part 3 para 30 for the criminal offence data.", condition="Art 9(2)(c); Sch 1 Pt 3 para 30",
                       text=VITAL)
        return Hit("not_needed", "Emergency and the person cannot consent: Article 9(2)(c) (vital interests) applies "
                   "and needs no Schedule 1 condition. Para 18 reason (2)(a) is also available.", text=VITAL)
    return Miss("no emergency with a data subject unable to consent")


# ---- Para 18(1)(a)-(c) and para 5: the elements ----------------------------------------------


@rule("R-S1-18a", "Para 18(1)(a): protective purpose", "schedule_1", [P18],
      ["The processing is necessary for the purposes of:", "Protecting an individual from neglect or physical, mental "
                                                           "or emotional harm; or"], needs=["R-GW-privreq-schemes"])
def s1_18a(f: Facts, d: Derived, got: Got) -> Outcome:
    """Protecting an individual from neglect or physical, mental or emotional harm, or protecting their physical,
    mental or emotional well-being (para 18(4): a type of individual too). Any concern about a child (self-harm,
    thoughts of suicide and other mental health concerns included) or about an adult is such a purpose, whatever
    the sharing is called; so an unknown level of concern leaves the element open, never 'not met'. Except for a
    disclosure to a private individual, or to a parent about someone else (R-GW-privreq, outside the disclosure
    schemes): there the concern is no purpose of this disclosure, which protects only if it is made for a
    protective purpose (rules-spec §4: such sharing rests on sharing that protects, not on sharing that
    endangers)."""
    protective = f.get("purpose") in PROTECTIVE_PURPOSES
    concern = not protective and (f.get("child_harm_level") not in (None, "none")
                                  or f.get("adult_harm_level") not in (None, "none"))
    if concern and got.hit("R-GW-privreq-schemes") is None:
        private = private_request(f, d)
        if private is None:
            return Hit(None, "The recipient is a parent: whether disclosing to them protects anyone (para 18(1)(a)) "
                       "depends on whose information it is.", ask=(Q_WHOSE,), element="open")
        if private is True:
            if not f.known("purpose"):
                return Hit(None, "The recipient is a private individual (or a parent asking about someone else): the "
                           "concern about harm makes this disclosure protective (para 18(1)(a)) only if it is made "
                           "to protect someone.", ask=(f.ask("purpose"),), element="open")
            return Hit(None, "The recipient is a private individual (or a parent asking about someone else) and the "
                       "disclosure is not made to protect anyone: the concern about harm does not make disclosing to "
                       "them protective, so para 18(1)(a) is not met on the facts entered. A disclosure that would "
                       "itself endanger someone never is.", judgement=("J12",), element="not_met")
    if protective or concern:
        return Hit(None, "The purpose is protective (para 18(1)(a): protecting someone from neglect or physical, "
                   "mental or emotional harm, or protecting their well-being); whether the sharing is necessary is "
                   "your judgement.", judgement=("J3", "J4"), element="met")
    ask = [f.ask(n) for n, unknown in (("purpose", not f.known("purpose")),
                                       ("child_harm_level", child_harm_unknown(f, d)),
                                       ("adult_harm_level", not f.known("adult_harm_level") and d.child is not True))
           if unknown]
    if ask:
        return Hit(None, "Whether the sharing protects someone from harm, or protects their well-being (para "
                   "18(1)(a)), is not known.", ask=tuple(ask), element="open")
    return Hit(None, "The purpose is not protecting an individual (or a type of individual) from harm, so para "
               "18(1)(a) is not met on the facts entered.", judgement=("J3", "J4"), element="not_met")


def child_harm_unknown(f: Facts, d: Derived) -> bool:
    """The concern about a child is not known and could make the purpose protective. Not asked (so read as no
    concern) only for an unidentified group of unknown age: kept to match scenario SC21, see the bugs report."""
    if f.known("child_harm_level") or not child_harm_relevant(f):
        return False
    return not (f.get("protected_person") == "group_of_people" and d.child is None)


@rule("R-S1-18b", "Para 18(1)(b): under 18, or 18+ and at risk", "schedule_1", [P18],
      ["Aged under 18; or", "Aged 18 or over and at risk."])
def s1_18b(f: Facts, d: Derived) -> Outcome:
    """The protected individual is under 18, or 18 or over and 'at risk' as para 18(3) defines it."""
    age = f.get("protected_person_age")
    if d.child is True:
        return element(True, f"The person to be protected is {age}: a child for para 18(1)(b)(i).")
    if d.adult_at_risk is True:
        return element(True, "The person to be protected is 18 or over and 'at risk' within para 18(3).")
    if d.child is False and d.adult_at_risk is False:
        return element(False, "The person to be protected is 18 or over and not 'at risk' within para 18(3) (care and "
                    "support needs, at risk of harm, unable to protect themselves because of those needs).")
    ask = [f.ask("protected_person_age")] if not isinstance(age, int) else \
        [f.ask(n) for n in ("adult_care_support_needs", "adult_experiencing_or_at_risk_of_harm",
                            "adult_unable_to_protect_self_due_to_needs") if not f.known(n)]
    return Hit(None, "Whether the person to be protected is under 18, or an adult at risk, is not known.",
               ask=tuple(ask), judgement=("J2",) if isinstance(age, int) else ("J11",) if age == "disputed" else (),
               uncertainty=("U-13",) if age == "unborn" else (), element="open")


@rule("R-S1-18d", "Para 18 after a refusal (interpretive)", "schedule_1", [P18], overrides=["R-S1-18c"])
def s1_18d(f: Facts, d: Derived) -> Outcome:
    """Para 18(2) has no express 'consent refused' reason. Where the threshold is met the refusal is treated as
    (2)(c), obtaining consent would prejudice the protection; this is an open legal point (U-1)."""
    if f.get("consent_status") not in CONSENT_REFUSED:
        return Miss("consent not refused or withdrawn")
    if d.threshold is True:
        return Hit(None, "Consent was refused but the threshold is met: treated as para 18(2)(c). This reading is an "
                   "open legal point: get your DPO's or legal services' sign-off.", uncertainty=("U-1",),
                   judgement=("J7",),
                   element="met", para_18_2="(2)(c) after refusal")
    if d.threshold is False:
        return Hit(None, "Consent was refused and the threshold is not met: para 18(1)(c) (without consent for a "
                   "listed reason) is not met.", element="not_met")
    return Hit(None, "Consent was refused; whether para 18 can still be used depends on whether the threshold is met.",
               ask=("Is there evidence or reasonable cause to believe significant harm, a clear risk of serious harm "
                    "to an "
                    "adult, or a serious crime?",), uncertainty=("U-1",), element="open")


@rule("R-S1-18c", "Para 18(1)(c): without consent for a para 18(2) reason", "schedule_1", [P18],
      ["Schedule 1 of the Data Protection Act 2018 has 'safeguarding of children and individuals at risk' as a "
       "processing condition that allows practitioners to share information, including without consent (where, in the "
       "circumstances consent cannot be given, it cannot be reasonably expected that a practitioner obtains consent, "
       "or if to gain consent would place a child at risk)."])
def s1_18c(f: Facts, d: Derived) -> Outcome:
    """Consent cannot be given (2)(a), cannot reasonably be obtained (2)(b), or seeking it would prejudice the
    protection (2)(c). Where valid consent was given, para 18 (processing without consent) is not met (R-S1-18e:
    D07 true). Consent that cannot be relied on (D07 false, e.g. from the alleged source of harm, rules-spec E7) is
    no consent: the sharing would be without consent, and which para 18(2) reason applies is the practitioner's to
    say (J7), so the element is open, never 'not met'."""
    if d.p18_reason:
        note = " (whether the investigation is part of protecting the individual is your judgement)" \
            if f.get("consent_status") == "seeking_would_prejudice_crime_investigation" else ""
        return element(True, f"Without consent for reason {d.p18_reason}{note}.")
    if f.get("consent_status") in CONSENT_GIVEN:
        if d.consent_valid is True:
            return element(False, "Valid consent was given: para 18 covers only sharing without consent.")
        why = "is not valid consent" if d.consent_valid is False else "is not yet shown to be valid"
        return Hit(None, f"The consent given {why}, so the sharing would be without valid consent: para 18 needs a "
                   "para 18(2) reason for that.", ask=(Q_REASON,), judgement=("J7",), element="open")
    return Miss("no express para 18(2) reason in the consent facts")


Q_REASON = ("Which para 18(2) reason applies to sharing without valid consent: consent cannot be given, cannot "
            "reasonably be obtained, or seeking it would prejudice the protection (for example, from the person "
            "alleged to cause the harm)?")


@rule("R-S1-18f", "Consent not sought: record the para 18(2) reason", "schedule_1", [P18])
def s1_18f(f: Facts, d: Derived) -> Outcome:
    """Para 18 needs processing without consent for a recorded reason; 'not sought' gives none yet."""
    if f.get("consent_status") == "not_sought":
        return Hit(None, "Consent was not sought: para 18 needs a recorded para 18(2) reason.",
                   ask=("Which para 18(2) reason applies: consent cannot be given, cannot reasonably be obtained, or "
                        "seeking it would prejudice the protection? Or can the sharing avoid the sensitive detail?",),
                   element="open")
    if f.get("consent_status") is None:
        return Hit(None, "It is not known whether consent was sought.", ask=(f.ask("consent_status"),), element="open")
    return Miss("consent status known and not not_sought")


@rule("R-S1-18g", "No appropriate policy document: para 18 unavailable", "schedule_1", [P5, P39])
def s1_18g(f: Facts, d: Derived) -> Outcome:
    """Part 2 conditions are met only if the controller has an appropriate policy document (para 5)."""
    if f.get("apd_in_place") is False:
        return Hit(None, "Your organisation has no appropriate policy document, so para 18 cannot be relied on (para "
                   "5): involve your DPO now. Art 9(2)(c) and Part 1 para 2 need none, and para 10 needs none for a "
                   "disclosure to the police.", element="not_met")
    return Miss("apd_in_place is not 'no'")


@rule("R-S1-18h", "Appropriate policy document not known", "schedule_1", [P5, P39])
def s1_18h(f: Facts, d: Derived) -> Outcome:
    """An unknown APD does not make para 18 undetermined: the other elements decide, the result relies on the
    document and says so, and the DPO question is asked (public bodies are expected to hold one)."""
    if f.get("apd_in_place") is None:
        return Hit(None, "Whether your organisation has an appropriate policy document is not known: the result "
                   "relies on it.", ask=(f.ask("apd_in_place"),))
    return Miss("apd_in_place known")


APD_PROVISO = "provided your organisation has an appropriate policy document (ask your DPO)"


# ---- Alternatives to para 18: candidates, never auto-selected --------------------------------


@rule("R-S1-6", "Candidate: Sch 1 para 6 (statutory and government purposes)", "schedule_1", [P6, S8])
def s1_6(f: Facts, d: Derived) -> Outcome:
    """A public authority exercising a function given by law; no consent element; needs an APD."""
    if f.get("apd_in_place") is False:
        return Miss("no appropriate policy document (para 6 needs one, para 5)")
    if d.public_task is True:
        return Hit(None, "Para 6 (statutory purposes) is a candidate: no consent element, needs an APD.",
                   judgement=("J4",), candidate="Sch 1 para 6 (statutory and government purposes)")
    return Miss("not a public authority exercising a named statutory function")


@rule("R-S1-10", "Candidate: Sch 1 para 10 (preventing or detecting unlawful acts)", "schedule_1", [P10])
def s1_10(f: Facts, d: Derived) -> Outcome:
    """Necessary to prevent or detect an unlawful act, without consent so as not to prejudice that; no APD for a
    disclosure to a competent authority such as the police (para 10(2))."""
    crime = f.get("crime_purpose")
    if crime == "none" or f.get("purpose") == "serious_violence_duty":
        return Miss("no crime purpose (or a strategic Serious Violence Duty disclosure)")
    if f.get("consent_status") in CONSENT_GIVEN and d.consent_valid is not False:
        return Miss("consent was given: para 10 covers processing without consent")
    if f.get("apd_in_place") is False and f.get("recipient") not in ("police", None):
        return Miss("no appropriate policy document, and not a disclosure to a competent authority (para 10(2))")
    ask: list[str] = [] if crime in CRIMES else [f.ask("crime_purpose")]
    status = f.get("consent_status")
    if status in ("not_sought", None):
        ask.append("Would seeking consent prejudice preventing or detecting the crime?")
    when = "" if crime in CRIMES else ", if the sharing is to prevent or detect a crime"
    return Hit(None, f"Para 10 (preventing or detecting an unlawful act) is a candidate{when}; it needs the sharing "
               "to be without consent so as not to prejudice that purpose. No APD is needed for a disclosure to the "
               "police (para 10(2)).", ask=tuple(ask), judgement=("J9",) + (("J7",) if status in ("not_sought", None)
                                                                            else ()),
               candidate="Sch 1 para 10 (preventing or detecting unlawful acts)")


@rule("R-S1-P1-2", "Candidate: Sch 1 Part 1 para 2 (health or social care purposes)", "schedule_1", [P2, S11, A9])
def s1_p1_2(f: Facts, d: Derived) -> Outcome:
    """Art 9(2)(h) with s.11(1): a health or social work professional, for health or social care purposes; no APD."""
    professional = f.get("sharer_type") in ("health_professional", "social_work_professional") \
        or f.get("sharer_is_health_or_social_care_authority") is True
    if professional and f.get("purpose") in PROTECTIVE_PURPOSES + ("health_social_care_provision",):
        return Hit(None, "Part 1 para 2 (health or social care purposes, with s.11(1)) is a candidate; whether a "
                   "safeguarding referral is 'for health or social care purposes' is a judgement.",
                   candidate="Art 9(2)(h) + Sch 1 Pt 1 para 2 (health or social care purposes)")
    return Miss("not a health or social work professional acting for health or social care")


@rule("R-S1-17", "Candidate: Sch 1 para 17 (confidential counselling, advice or support)", "schedule_1", [P17])
def s1_17(f: Facts, d: Derived) -> Outcome:
    """For the confidential service itself; rarely the condition for onward safeguarding disclosure. (No spec fact
    says 'counselling service': inferred from a non-statutory sharer given information in confidence while
    providing a health or social care service.)"""
    if f.get("sharer_type") in ("voluntary_or_private_org", "health_professional") \
            and f.get("given_in_confidence") is True \
            and f.get("purpose") == "health_social_care_provision" and d.threshold is not True:
        return Hit(None, "Para 17 (confidential counselling) is a candidate for the counselling service itself only.",
                   candidate="Sch 1 para 17 (confidential counselling, advice or support)")
    return Miss("not a confidential support service below the threshold")


# ---- The decision: para 18, para 19, or why not --------------------------------------------


@rule("R-S1-18", "Sch 1 Part 2 para 18: safeguarding of children and individuals at risk", "schedule_1",
      [P18, P5, S10, A9],
      ["Schedule 1, Part 2 of the Data Protection Act 2018 details what would be covered by the substantial public "
       "interest condition, and this includes the safeguarding of children and individuals at risk (18(1)):"],
      needs=P18_ELEMENTS)
def s1_18(f: Facts, d: Derived, got: Got) -> Outcome:
    """All of para 18(1)(a)-(c) met and an APD in place (para 5); (1)(d) substantial public interest is a judgement."""
    p18 = para_18(got, d)
    if p18.status == "applies":
        who = "a child" if d.child else "an adult at risk"
        apd = "an appropriate policy document in place" if f.get("apd_in_place") is True else APD_PROVISO
        return Hit("applies", f"Para 18 applies: protective purpose, {who}, without consent for reason "
                   f"{p18.reason}, {apd}. Necessity and substantial public interest are your judgement.",
                   judgement=("J3", "J4"), ask=() if f.get("apd_in_place") is True else (f.ask("apd_in_place"),),
                   condition=f"Sch 1 Pt 2 para 18, reason {p18.reason}")
    return Miss("not every element of para 18 is met")


@rule("R-S1-19", "Sch 1 Part 2 para 19: economic well-being of an adult at economic risk (health data only)",
      "schedule_1", [P19, P5], joins=["R-S1-18"])
def s1_19(f: Facts, d: Derived) -> Outcome:
    """18+, less able to protect their economic well-being by reason of injury, illness or disability, health data,
    without consent for a para 19(2) reason, APD in place."""
    # Each condition read in turn, the cheapest first, so a fact is read only where it can matter. The risk to
    # economic well-being is never guessed here: where it is not said, it is an assumption shown to the
    # practitioner (rules/assumptions.py).
    age = f.get("protected_person_age")
    inferred = False
    if not (isinstance(age, int) and age >= 18 and "health" in (f.get("data_categories") or frozenset())
            and f.get("economic_wellbeing_at_risk") is True and d.p18_reason
            and (f.get("adult_care_support_needs") is True or f.get("capacity_or_competence") == "lacks_capacity")
            and f.get("apd_in_place") is not False):
        return Miss("not an adult at economic risk with health data, a para 19(2) reason and an APD")
    note = ""
    apd_unknown = f.get("apd_in_place") is None
    note += f", {APD_PROVISO}" if apd_unknown else ""
    return Hit("applies", f"Para 19 applies: an adult less able to protect their economic well-being because of "
               f"illness or disability, health data, without consent for reason {d.p18_reason}{note}.",
               ask=((f.ask("economic_wellbeing_at_risk"),) if inferred else ()) +
               ((f.ask("apd_in_place"),) if apd_unknown else ()), judgement=("J2", "J4"),
               condition=f"Sch 1 Pt 2 para 19, reason {d.p18_reason}")


@rule("R-S1-ALT", "Para 18 not met: choose another condition with your DPO", "schedule_1", [P5, P39],
      overrides=["R-S1-NONE"],
      needs=[*CANDIDATES, "public_interest"])
def s1_alt(f: Facts, d: Derived, got: Got) -> Outcome:
    """Alternatives exist; the tool never picks one for you."""
    candidates = [h.candidate for _, h in got.hits(CANDIDATES)]
    if candidates and got.status("public_interest") != "does_not_apply":
        return Hit("undetermined", "Para 18 is not (or not yet) met, but other conditions may fit: " +
                   "; ".join(candidates) + ".",
                   ask=("Which of these conditions does your appropriate policy document cover for this purpose? Ask "
                        "your DPO.",),
                   judgement=("J4",))
    return Miss("no alternative candidates, or the refusal is to be respected")


@rule("R-S1-ALT-blocked", "Refusal respected: no Schedule 1 condition on the facts entered", "schedule_1", [P18],
      overrides=["R-S1-ALT"], needs=[*P18_ELEMENTS, "public_interest"])
def s1_alt_blocked(f: Facts, d: Derived, got: Got) -> Outcome:
    """Para 18 not met and the public interest test says respect the refusal."""
    p18 = para_18(got, d)
    if p18.status == "does_not_apply" and got.status("public_interest") == "does_not_apply":
        return Hit("does_not_apply", f"Para 18 is not met: {p18.why_not} On the facts entered the public interest "
                   "test does not justify sharing either (a refusal to be respected, or no safeguarding gateway for "
                   "this recipient). Alternatives (para 6, Part 1 para 2) become relevant only if your public "
                   "interest judgement overrides that.", judgement=("J5",))
    return Miss("para 18 available or the public interest test does not say respect the refusal")


@rule("R-S1-NONE", "No Schedule 1 condition available", "schedule_1", [P18, S10], needs=P18_ELEMENTS)
def s1_none(f: Facts, d: Derived, got: Got) -> Outcome:
    """Special category or criminal data and no condition on the facts entered."""
    p18 = para_18(got, d)
    if p18.status != "does_not_apply":
        return Miss("para 18 not ruled out")
    open_ = alternatives_open(f, d)
    if open_:
        return Hit("does_not_apply", "Para 18 is not available on the facts entered: " + p18.why_not +
                   " Whether another condition (para 6 statutory purposes, Part 1 para 2 health or social care) "
                   "fits depends on facts not yet known: answer the questions and check with your DPO before "
                   "sharing the special category or criminal information. Record the decision.", ask=open_)
    return Hit("does_not_apply", "No Schedule 1 condition is available on the facts entered: " + p18.why_not +
               " Do not share the special category or criminal information; you may be able to share "
               "non-sensitive information. Seek advice and record the decision.")


def alternatives_open(f: Facts, d: Derived) -> tuple[str, ...]:
    """The questions whose answers could still make para 6 or Part 1 para 2 a candidate (para 10 is a candidate
    whenever the crime purpose is not known)."""
    ask = []
    if not f.known("sharer_type"):
        ask.append(f.ask("sharer_type"))
    elif d.public_task is None and f.get("apd_in_place") is not False:
        ask.append(f.ask("sharer_statutory_function"))
    return tuple(ask)


def unsettled(got: Got) -> str:
    """No rule decided: para 18 is open on the facts entered, and each open element says what it needs."""
    open_ = [h.reason for _, h in got.hits(P18_ELEMENTS) if h.element == "open"]
    return "Para 18 is not settled on the facts entered. " + " ".join(open_)


fallback("schedule_1", unsettled, needs=P18_ELEMENTS)
