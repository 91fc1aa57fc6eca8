"""The bottom line: the one plain-English sentence that opens every grounded answer.

It is chosen, never written: a template from `TEMPLATES`, picked by the three flags' statuses (with the emergency,
the danger check, the recipient and, for a question about the guidance, the best quote's document and section),
filled only with fixed phrases from the tables below or with a value they name. It never overstates:

- an emergency opens with calling 999, and danger suspected but not settled opens with "if ... call 999 now";
- "you can share" only when no flag is undetermined and neither the public interest nor Schedule 1 bars sharing;
- "do not share" only when the public interest or Schedule 1 says `does_not_apply` on facts the practitioner gave
  (a bar that rests on an assumption says "unless an assumption shown is wrong" instead);
- an undetermined flag says what it turns on and points to the questions;
- the professional judgement (necessity, proportionality, reasonable cause, the public interest balance) is always
  left to the practitioner: "if you judge ...".

A question about the guidance rather than a case (no facts read, so every flag is undetermined) gets a fixed lead-in
naming the best quote's document and section, never a paraphrase of it. No grounded answer, or a question outside
what the sources cover: "" (the decline or scope message speaks).
"""

from __future__ import annotations

from ..rules.questions import topic as rules_topic
from ..types import Answer, Determination, Flag, Quote
from .wording import danger_check

MAX_WORDS = 36  # about 35: longer, and the optional parts (the law's name, a second topic, the recipient) go

TEMPLATES: dict[str, str] = {
    # danger first
    "emergency": "Call 999 now. Then tell your DSL, and record what you shared, with whom and why.",
    "danger_first": "If anyone is in immediate danger, call 999 now.",
    # a question about the guidance, not a case
    "guidance": "The answer, quoted below, is from {source}.",
    "guidance_weak": "The nearest passage, quoted below, is from {source}; it may not answer your question exactly.",
    "guidance_dated": "The answer, quoted below, is from {source}; check the note under it on whether it is current.",
    # every flag settled, nothing bars sharing
    "not_personal": "The information identifies no one, so these checks do not stop you sharing it; make sure it "
                    "cannot be pieced together to identify someone.",
    "with_consent": "{on} you can share{with_} on the consent given, if you judge it necessary; share only what they "
                    "agreed to, and record it.",
    "without_consent": "{on} you can share{with_} without consent, if you judge it necessary and proportionate; tell "
                       "your DSL today and record why.{law}",
    # a bar the facts settle
    "refusal_stands": "On these facts, do not share without consent: respect the refusal unless you judge the public "
                      "interest outweighs it. Get advice and record why.",
    "no_gateway": "On these facts, do not share{with_}: a private request is no reason to share without the "
                  "person's consent or a specific legal basis. Record why.",
    "no_route": "On these facts, do not share without consent; get advice from your DSL and record why.",
    "sensitive_barred": "On these facts, do not share the sensitive details (such as health or crime); you may share "
                        "the rest if you judge it necessary. Get advice and record why.",
    "sensitive_barred_rest_unsettled": "On these facts, do not share the sensitive details (such as health or "
                                       "crime); whether you can share the rest turns on the questions below.",
    # the same bars resting on an assumption
    "refusal_stands_assumed": "Unless an assumption shown is wrong, respect the refusal: no route to share without "
                              "consent is open unless you judge the public interest outweighs it. Get advice.",
    "no_gateway_assumed": "Unless an assumption shown is wrong, a private request is no reason to share{with_} "
                          "without the person's consent or a specific legal basis. Record why.",
    "no_route_assumed": "Unless an assumption shown is wrong, no route to share without consent is open; get advice "
                        "from your DSL and record why.",
    "sensitive_barred_assumed": "Unless an assumption shown is wrong, nothing covers sharing the sensitive details "
                                "(such as health or crime). Get advice before sharing them, and record why.",
    # not settled
    "turns_on": "{subject} turns on {topics}; answer the questions below.",
    "turns_on_judgement": "{subject} turns on {topics}; talk to your DSL today and record what you decide.",
    "turns_on_legal_point": "{subject} turns on an open legal point; ask your DPO and record what you decide.",
    "not_settled": "{subject} is not settled on these facts; answer the questions below and talk to your DSL.",
}

ON = {False: "On these facts", True: "On these facts and the assumptions shown,"}

# The recipient, as it ends "share with ..." (a recipient not listed is left out).
RECIPIENTS: dict[str, str] = {
    "la_childrens_social_care": "children's social care",
    "la_adult_social_care": "adult social care",
    "police": "the police",
    "health": "the health service",
    "school": "the school",
    "probation_yot": "probation or the youth justice team",
    "safeguarding_partners": "the safeguarding partners",
    "local_policing_body": "the police and crime commissioner",
    "parent_carer": "the parent or carer",
    "private_individual": "the person asking",
}

# What an undetermined flag turns on, by the fact a question asks. A fact that is the practitioner's judgement
# says so ("whether you judge ..."); a fact not listed takes the rules' own topic words.
TURNS_ON: dict[str, str] = {
    "child_harm_level": "whether you judge the child is at risk of significant harm",
    "adult_harm_level": "whether you judge an adult is at risk of serious harm",
    "crime_purpose": "whether you judge a serious crime is involved",
    "capacity_or_competence": "whether you judge the person can decide for themselves",
    "adult_care_support_needs": "whether you judge the adult has care and support needs",
    "adult_experiencing_or_at_risk_of_harm": "whether you judge the adult is at risk of harm",
    "adult_unable_to_protect_self_due_to_needs": "whether you judge the adult cannot protect themselves",
    "consent_status": "whether consent was sought and given",
    "consent_quality": "whether the consent was informed, free and specific",
    "consenter_is_alleged_source_of_harm": "whether the person who consented is suspected of the harm",
    "protected_person_age": "the age of the person you are protecting",
    "data_categories": "whether it includes health or crime information",
    "given_in_confidence": "whether you were told it in confidence",
    "recipient": "who you would share with",
    "sharer_is_health_or_social_care_authority": "whether your organisation is a health or social care authority",
    "sharer_statutory_function": "whether sharing is part of a duty your organisation has by law",
    "patient_information": "whether it is patient information",
    "decision_date": "the date of the decision",
    "danger_suspected": "whether anyone is in immediate danger",
}
# What an undetermined flag turns on when no fact is open: what the rule that left it open waits for.
ASKED_BY_RULE: dict[str, str] = {
    "R-PI7": "whether you judge the child is at risk of significant harm",
    "R-PI6": "whether you judge the public interest outweighs the duty of confidence",
    "R-PI11": "whether it is safe to seek consent first",
    "R-C2": "whether the consent was valid and explicit",
    "R-C5": "whether the child has agreed",
    "R-C8": "whether consent can be sought safely",
    "R-S1-18f": "why consent was not sought",
    "R-S1-CP": "whether the consent was valid and explicit",
    "R-S1-ALT": "which Schedule 1 condition your DPO's policy covers",
    "R-GW-privreq": "whose information it is",
}

# The Schedule 1 route that applies, named briefly, by the rule that decided it.
SCHEDULE_1_NAMES: dict[str, str] = {"R-S1-18": "Schedule 1, paragraph 18",
                                    "R-S1-19": "Schedule 1, paragraph 19",
                                    "R-A9-c": "the vital interests condition"}
SCHEDULE_1_OTHER = "a Schedule 1 condition"
LAW: dict[tuple[str, str], str] = {  # (public interest status, Schedule 1 status) -> the law, briefly
    ("applies", "applies"): " {s1} and the public interest allow it.",
    ("applies", "not_needed"): " The public interest allows it.",
    ("not_needed", "applies"): " {s1} allows it, and no duty of confidence stands in the way.",
    ("not_needed", "not_needed"): " No duty of confidence stands in the way.",
}

OPEN = ("applies", "not_needed")
CONSENT_NOT_GIVEN = ("refused", "withdrawn", "not_sought", "cannot_be_given", "cannot_reasonably_be_obtained",
                     "seeking_would_increase_risk_to_child", "seeking_would_prejudice_protection",
                     "seeking_would_prejudice_crime_investigation")
MAX_TOPICS = 2


def bottom_line(answer: Answer, determination: Determination) -> str:
    """The one sentence that opens the answer ("" when nothing grounded was found or the question is out of
    scope). Same answer and determination, same sentence."""
    if not answer.grounded or not answer.quotes or not answer.scope.in_scope:
        return ""
    d = determination
    if d.emergency is not None:
        return TEMPLATES["emergency"]
    lead = TEMPLATES["danger_first"] + " " if danger_check(d) else ""
    key, variants = choose(answer, d)
    sentences = [lead + TEMPLATES[key].format(**values) for values in variants]
    return next((s for s in sentences if words(s) <= MAX_WORDS), sentences[-1])


def words(text: str) -> int:
    return len(text.split())


def choose(answer: Answer, d: Determination) -> tuple[str, list[dict[str, str]]]:
    """The template and the values to fill it with, fullest first: later ones drop what is optional (the law's
    name, a second topic, the recipient) for when the sentence would be too long."""
    consent, pi, s1 = d.flags
    c, p, s = consent.status, pi.status, s1.status
    to = _recipient(d)
    if _about_the_guidance(d):
        best = answer.quotes[0]
        key = "guidance_weak" if answer.weak else "guidance_dated" if best.currency else "guidance"
        return key, _source_variants(best)
    if p == "does_not_apply" and c != "applies":
        key = "no_gateway" if "R-GW-privreq" in pi.rule_ids else "refusal_stands" if "R-PI5" in pi.rule_ids \
            else "no_route"
        return key + ("_assumed" if pi.rests_on else ""), [{"with_": to}, {"with_": ""}]
    if s == "does_not_apply":
        rest_open = c == "applies" and p != "does_not_apply" or p in OPEN
        if s1.rests_on:
            return "sensitive_barred_assumed", [{}]
        return ("sensitive_barred" if rest_open else "sensitive_barred_rest_unsettled"), [{}]
    unsettled = [f for f in d.flags if f.status == "undetermined"]
    if unsettled:
        return _turns_on(d, unsettled, to)
    if c == "not_needed" and p == "not_needed" and s == "not_needed" and d.facts.get("personal_data") is False:
        return "not_personal", [{}]
    if c == "applies" and p in OPEN:
        on = ON[bool(consent.rests_on or pi.rests_on or s1.rests_on)]
        return "with_consent", [{"on": on, "with_": to}, {"on": on, "with_": ""}]
    if p in OPEN and s in OPEN:
        on = ON[bool(pi.rests_on or s1.rests_on)]
        law = _capitalised(LAW[(p, s)].format(s1=_schedule_1_name(s1)))
        return "without_consent", [{"on": on, "with_": to, "law": law}, {"on": on, "with_": to, "law": ""},
                                   {"on": on, "with_": "", "law": ""}]
    # A pattern no template speaks to (the flags pull different ways): say it is not settled, never guess.
    return "not_settled", [{"subject": f"Whether you can share{to}"}, {"subject": "Whether you can share"}]


def _about_the_guidance(d: Determination) -> bool:
    """No fact was read or given (a suspicion of danger aside), so every flag is undetermined for lack of facts."""
    read = set(d.facts.values) - {"danger_suspected"}
    return not read and all(f.status == "undetermined" for f in d.flags)


def _source_variants(q: Quote) -> list[dict[str, str]]:
    section = q.section.split(" › ")[-1].split(" — ")[0].strip() if q.section else ""
    full = f"{q.doc_title} — {section}" if section else q.doc_title
    return [{"source": full}, {"source": q.doc_title}]


def _recipient(d: Determination) -> str:
    who = RECIPIENTS.get(d.facts.get("recipient") or "", "")
    return f" with {who}" if who else ""


def _schedule_1_name(s1: Flag) -> str:
    return next((name for rid, name in SCHEDULE_1_NAMES.items() if rid in s1.rule_ids), SCHEDULE_1_OTHER)


def _capitalised(text: str) -> str:
    """The first letter upper case (a sentence may start with a route's name: "the vital interests ...")."""
    at = len(text) - len(text.lstrip())
    return text[:at] + text[at:at + 1].upper() + text[at + 1:]


def _subject(d: Determination, unsettled: list[Flag], to: str) -> str:
    names = {f.name for f in unsettled}
    if names == {"consent"}:
        return "Whether consent is your route"
    if names == {"schedule_1"}:  # the rest is open: what is left is the sensitive details
        return f"Whether you can share the sensitive details{to}"
    if "public_interest" in names and d.facts.get("consent_status") in CONSENT_NOT_GIVEN:
        return f"Whether you can share{to} without consent"
    return f"Whether you can share{to}"


def _turns_on(d: Determination, unsettled: list[Flag], to: str) -> tuple[str, list[dict[str, str]]]:
    """What the undetermined flags turn on: the open facts the questions ask (most decisive first), else what the
    rule that left a flag open waits for (a judgement, or a fact the questions cannot ask), else an open legal
    point, else the facts read from the words that the questions ask to confirm."""
    names = {f.name for f in unsettled}
    asked = [q for q in d.questions if q.fact != "emergency" and names & set(q.could_change)]
    open_facts = [q.fact for q in asked if q.current is None]
    judged = [ASKED_BY_RULE[r] for f in unsettled for r in f.rule_ids if r in ASKED_BY_RULE]
    if open_facts:
        key, topics = "turns_on", [TURNS_ON.get(f) or rules_topic(f) for f in open_facts]
    elif judged:
        key, topics = "turns_on_judgement", judged
    elif any(f.uncertainty for f in unsettled):
        key, topics = "turns_on_legal_point", []
    elif asked:
        key, topics = "turns_on", [TURNS_ON.get(q.fact) or rules_topic(q.fact) for q in asked]
    else:
        key, topics = "not_settled", []
    topics = list(dict.fromkeys(topics))
    subjects = [_subject(d, unsettled, to), _subject(d, unsettled, "")]
    if not topics:
        return key, [{"subject": subject} for subject in subjects]
    return key, [{"subject": subject, "topics": ", and ".join(topics[:n])}
                 for subject in subjects for n in range(min(MAX_TOPICS, len(topics)), 0, -1)]
