"""The PUBLIC_INTEREST flag (rules-spec §4): the common law duty of confidence. Is the information
confidential, and if so, is sharing it without authorisation justified in the public interest? The rules
are evaluated in the order declared here (exceptions before the rules they override); the first that gives
a status decides."""

from __future__ import annotations

from .facts import CONSENT_REFUSED, CONSENT_UNAVAILABLE, Derived, Facts
from .law import A6, CA89_47, HRA8, PCSC16
from .registry import Got, Hit, Miss, Outcome, fallback, rule

Q_THRESHOLD = ("What best describes your concern: evidence or reasonable cause to believe the child is suffering or "
               "at risk of significant harm, a clear risk of serious harm to an adult, a serious crime, or none of "
               "these?")


@rule("R-PI0", "Not personal data: no public interest test for this tool", "public_interest", [HRA8])
def pi0(f: Facts, d: Derived) -> Outcome:
    """Out of scope: the tool assesses personal information only."""
    if f.get("personal_data") is False:
        return Hit("not_needed", "The information does not identify anyone; the confidentiality test for personal "
                   "information is not engaged.")
    return Miss("personal_data is not 'no'")


@rule("R-PI1", "Not confidential: no public interest test needed", "public_interest", [HRA8, A6],
      ["Not all information is confidential. Confidential information is information of some sensitivity, which is not "
       "already lawfully in the public domain or readily available from another public source, and which has been "
       "shared in a relationship where the person giving the information understood that it would not be shared with "
       "others.",
       "Information which is not confidential may generally be shared where that is necessary for the legitimate "
       "purposes of preventative work."])
def pi1(f: Facts, d: Derived) -> Outcome:
    """Information that is not sensitive, is lawfully public, or was not given in confidence owes no duty of
    confidence."""
    if d.confidential is False:
        why = ("it is already lawfully public or readily available"
               if f.get("already_public_or_readily_available") is True
               else "it is not sensitive" if f.get("sensitive") is False else "it was not given to you in confidence")
        return Hit("not_needed", f"No duty of confidence is engaged: {why}. Data protection law still applies "
                   "(an Article 6 basis, and a Schedule 1 condition for special category or criminal data).")
    return Miss("information is (or may be) confidential")


@rule("R-PI2", "Sharing authorised by the confider", "public_interest", [HRA8],
      ["If the information was provided on the understanding that it would be shared with a limited range of people or "
       "for limited purposes, then sharing in accordance with that understanding will not be a breach of confidence.",
       "Confidence is only breached where the sharing of confidential information is not authorised by the person who "
       "provided it or to whom it relates."])
def pi2(f: Facts, d: Derived) -> Outcome:
    """Sharing within the confider's understanding, or with explicit consent, is no breach of confidence. Whether
    the information is confidential then does not matter: no test is needed either way."""
    if d.confidential is not False and d.authorised is True:
        either = "" if d.confidential else " Whether the information is confidential does not matter here: if it is " \
            "not, there is no duty of confidence either."
        return Hit("not_needed", "The sharing is authorised: it is within the understanding on which the information "
                   "was given, or there is explicit consent." + either)
    return Miss("not confidential-and-authorised")


@rule("R-PI3", "Confidence displaced by statute or compulsion", "public_interest", [PCSC16],
      overrides=["R-PI4", "R-PI5", "R-PI6"], needs=["R-GW-16"])
def pi3(f: Facts, d: Derived, got: Got) -> Outcome:
    """A statute that says disclosure breaches no obligation of confidence (PCSC Act 2022 s.16(3)) or a court order."""
    s16 = got.hit("R-GW-16")
    if d.confidential is True and (s16 is not None and s16.status == "available"
                                   or f.get("request_basis") == "court_order"):
        why = "a court order compels it" if f.get("request_basis") == "court_order" else \
            "PCSC Act 2022 s.16(3) says a disclosure it authorises breaches no obligation of confidence"
        return Hit("not_needed", f"The duty of confidence is displaced: {why}. Share only what the provision covers.")
    return Miss("no statute or order displaces confidence")


# A parent (or carer) receiving information about someone other than their own child. None: not known.
ABOUT_ANOTHER = {"alleged_perpetrator": True, "other_third_party": True, "adult_service_user": True}
Q_WHOSE = ("Is the information about the parent's own child, or about someone else (another child, another adult, "
           "the other parent)?")


def parent_about_another(f: Facts) -> bool | None:
    """The recipient is a parent or carer and the information is about someone other than their own child: a
    child's information shared to protect another child, or an adult's. A child's information shared to protect that
    child is taken to go to the child's own parent (scenario SC13)."""
    role = f.get("data_subject_role")
    if role in ABOUT_ANOTHER:
        return True
    if role == "child":
        protected = f.get("protected_person")
        return True if protected == "other_child" else False if protected == "same_as_data_subject" else None
    return None


def private_request(f: Facts, d: Derived) -> bool | None:
    """R-GW-privreq's condition: the recipient is a private individual, or a parent receiving information about
    someone other than their own child, and the data subject has not consented. None: a parent, and whose
    information it is cannot be told. (The disclosure schemes, R-GW-privreq-schemes, are the exception.)"""
    recipient = f.get("recipient")
    if recipient not in ("private_individual", "parent_carer") or d.consent_valid is True or d.authorised is True:
        return False
    return True if recipient == "private_individual" else parent_about_another(f)


@rule("R-GW-privreq", "A private individual's request is no safeguarding gateway", "public_interest", [A6],
      overrides=["R-PI4"])
def privreq(f: Facts, d: Derived) -> Outcome:
    """A private individual, or a parent asking about another person: without the data subject's consent or a
    specific legal basis there is no safeguarding gateway. (Evaluated after R-PI1-3: information that is not
    confidential, sharing the confider authorised and disclosure a court compels are decided there.) A specific
    scheme (the Domestic Violence Disclosure Scheme) is an exception, R-GW-privreq-schemes."""
    recipient = f.get("recipient")
    if recipient not in ("private_individual", "parent_carer"):
        return Miss("recipient is not a private individual or a parent")
    if d.consent_valid is True or d.authorised is True:
        return Miss("the data subject has consented")
    if recipient == "parent_carer":
        another = parent_about_another(f)
        if another is False:
            return Miss("a parent receiving information about their own child")
        if another is None and d.threshold is False:
            # Below the threshold R-PI4 cannot open sharing: R-PI5, R-PI6 and R-PI11 decide, and a request about
            # someone else would bar it no less.
            return Miss("a parent, whose information not known, below the threshold: the later rules decide")
        if another is None:
            return Hit("undetermined", "The recipient is a parent. If the information is about someone other than "
                       "their own child, there is no safeguarding gateway for it: the data subject's consent or a "
                       "specific legal basis is needed.", ask=(Q_WHOSE,), judgement=("J12",))
        who = "a parent asking about another person"
    else:
        who = "a private individual"
    return Hit("does_not_apply", f"The recipient is {who}: there is no safeguarding gateway for this; the data "
               "subject's consent or a specific legal basis is needed. Sharing that would itself endanger someone "
               "(e.g. an address) is never justified by the public interest test.", judgement=("J12",))


@rule("R-PI7", "Unsure whether there is reasonable cause: talk to someone now", "public_interest", [CA89_47],
      ["In these situations, the concern must not be ignored. You should always talk to someone to help you decide "
       "what to do - a lead person on child protection, a Caldicott guardian, or a discussion with a trusted colleague "
       "or another practitioner who knows the child.",
       "In some situations there may be a concern that a child or young person may be suffering or at risk of "
       "significant harm or of causing serious harm to others, but you may be unsure whether what has given rise to "
       "your concern constitutes 'a reasonable cause to believe'."],
      overrides=["R-PI5"])
def pi7(f: Facts, d: Derived) -> Outcome:
    """Uncertainty about the threshold is never a reason not to share: it is a reason to get advice now."""
    if f.get("child_harm_level") == "unsure_if_reasonable_cause" and d.threshold is not True:
        return Hit("undetermined", "You are unsure whether there is reasonable cause to believe significant harm. The "
                   "concern must not be ignored: talk to your designated safeguarding lead or Caldicott guardian now.",
                   ask=("Talk to your designated safeguarding lead or Caldicott guardian now: is there reasonable "
                        "cause "
                        "to believe the child is suffering or at risk of significant harm?",), judgement=("J1",))
    return Miss("child_harm_level is not unsure (or another fact meets the threshold)")


@rule("R-PI4", "Threshold met: sharing without consent normally justified", "public_interest", [HRA8, CA89_47],
      ["It is possible however to identify some circumstances in which sharing confidential information without "
       "consent will normally be justified in the public interest.",
       "Where there is a clear risk of significant harm to a child, or serious harm to adults, the public interest "
       "test will almost certainly be satisfied.",
       "For the purposes of this guidance, serious crime means any crime which causes or is likely to cause "
       "significant harm to a child or young person or serious harm to an adult."])
def pi4(f: Facts, d: Derived) -> Outcome:
    """Evidence or reasonable cause to believe significant harm, serious harm to an adult, serious crime, or an
    emergency. If it is not known whether the information is confidential, the answer is the same: confidential
    information may be shared in the public interest at this threshold, and other information owes no confidence."""
    if d.confidential is not False and d.authorised is not True and d.threshold is True:
        unsure = f.for_wording().get("child_harm_level") == "reasonable_cause_significant_harm"
        judgement = ["J3", "J12"] + (["J1"] if unsure else [])
        what = "The information is confidential, but the facts" if d.confidential else \
            "Whether the information is confidential is not known, and it does not matter here: sharing is " \
            "justified either way. If it is not confidential, no duty of confidence is engaged; if it is, the facts"
        return Hit("applies", f"{what} meet the threshold (significant harm to a child, serious harm to an adult, "
                   "serious crime or an emergency) at which sharing without consent is normally justified in the "
                   "public interest.", judgement=tuple(judgement))
    return Miss("not confidential-unauthorised with the threshold met")


@rule("R-PI10", "Proportionality: share only what is necessary", "public_interest", [HRA8],
      ["The key factor in deciding whether or not to share confidential information is proportionality, i.e. whether "
       "the proposed sharing is a proportionate response to the need to protect the public interest in question."],
      needs=["R-PI4"], joins=["R-PI4"])
def pi10(f: Facts, d: Derived, got: Got) -> Outcome:
    """Whenever the public interest justifies sharing, only what is necessary and proportionate may be shared."""
    if got.hit("R-PI4") is not None:
        return Hit(None, "Share only what is necessary and proportionate.", judgement=("J3",))
    return Miss("the public interest test has not justified sharing (R-PI4 did not fire)")


@rule("R-PI5", "Below threshold and refused: respect the refusal", "public_interest", [HRA8],
      ["Where information is confidential, however, and consent is refused, that should be respected, unless in the "
       "practitioner's professional judgment on the facts of the case, the public interest justifies the sharing of "
       "information.",
       "There are also public interests, which in some circumstances may weigh against sharing, including the public "
       "interest in maintaining public confidence in the confidentiality of certain services."])
def pi5(f: Facts, d: Derived) -> Outcome:
    """Confidential, refused, and the facts do not meet the threshold."""
    if d.confidential is True and d.authorised is not True and d.threshold is False \
            and f.get("consent_status") in CONSENT_REFUSED:
        return Hit("does_not_apply", "On the facts entered the refusal should be respected: the information is "
                   "confidential and the threshold for overriding a refusal is not met. If your professional judgement "
                   "is that the public interest still justifies sharing, get advice and record why.", judgement=("J5",))
    return Miss("not confidential-refused-below-threshold")


@rule("R-PI6", "Consent unavailable below threshold: weigh the public interest", "public_interest", [HRA8],
      ["Where consent cannot be obtained to the sharing of the information or is refused, or where seeking it is "
       "likely to undermine the prevention, detection or prosecution of a crime, the question of whether there is a "
       "sufficient public interest must be judged by the practitioner on the facts of each case.",
       "In making the decision you must weigh up what might happen if the information is shared against what might "
       "happen if it is not, and make a decision based on a reasonable judgment."])
def pi6(f: Facts, d: Derived) -> Outcome:
    """Consent cannot be had and the threshold is not established: a public interest judgement."""
    if d.confidential is True and d.authorised is not True and d.threshold is not True \
            and f.get("consent_status") in CONSENT_UNAVAILABLE:
        ask = () if d.threshold is False else (Q_THRESHOLD,)
        return Hit("undetermined", "Consent cannot be had and the facts do not establish the threshold: whether there "
                   "is a sufficient public interest is your judgement on the facts (weigh what may happen if the "
                   "information is shared against what may happen if it is not).", ask=ask, judgement=("J5", "J9"))
    return Miss("not confidential-consent-unavailable-below-threshold")


@rule("R-PI11", "Consent not sought below threshold: seek it first", "public_interest", [HRA8],
      ["Seeking consent should be the first option, if appropriate."])
def pi11(f: Facts, d: Derived) -> Outcome:
    """Confidential, consent not yet sought, threshold not met: consent is the first option."""
    if d.confidential is True and d.authorised is not True and d.threshold is False \
            and f.get("consent_status") in ("not_sought", None):
        return Hit("undetermined", "The information is confidential and the threshold is not met: seek consent first, "
                   "unless that is unsafe.", ask=(f.ask("consent_status"),), judgement=("J7",))
    return Miss("not confidential-not-sought-below-threshold")


@rule("R-PI8", "Whether the information is confidential is not known", "public_interest", [HRA8])
def pi8(f: Facts, d: Derived) -> Outcome:
    """The three limbs of confidentiality: sensitive, not public, given in confidence."""
    if d.confidential is None:
        missing = [n for n in ("sensitive", "already_public_or_readily_available", "given_in_confidence")
                   if not f.known(n)]
        return Hit("undetermined", "Whether the information is confidential is not known.",
                   ask=tuple(f.ask(n) for n in missing))
    return Miss("confidentiality known")


@rule("R-PI9", "The level of concern is not known", "public_interest", [HRA8])
def pi9(f: Facts, d: Derived) -> Outcome:
    """The threshold facts (harm to a child or adult, crime, emergency) are needed to weigh the public interest."""
    if d.threshold is None or f.get("consent_status") is None:
        ask = [Q_THRESHOLD] if d.threshold is None else []
        if f.get("consent_status") is None:
            ask.append(f.ask("consent_status"))
        return Hit("undetermined", "The facts needed to weigh the public interest are not all known.", ask=tuple(ask))
    return Miss("threshold and consent known")


fallback("public_interest", "The facts entered do not settle whether sharing is justified.")
