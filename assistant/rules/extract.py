"""Facts from a practitioner's own words: patterns and lexicons, no model that can drift.

Extraction proposes; the practitioner confirms or edits. Every fact carries the words it was read
from ("read '15-year-old' as age 15"). A cue preceded by a negation ("no concerns", "isn't
suicidal") takes the cue's negated value, or nothing; a cue inside doubt ("not sure whether")
proposes nothing, except where doubt is itself the fact (child_harm_level: unsure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .facts import Facts

NEGATION = re.compile(r"\b(no|not|never|without|nothing|none|isn't|isnt|wasn't|doesn't|don't|didn't|hasn't|"
                      r"haven't|won't|can't|cannot|nor)\b[^.;,]{0,25}$", re.IGNORECASE)
DOUBT = re.compile(r"\b(not sure|unsure|don't know|do not know|wonder(ing)? (if|whether)|whether|might|may|"
                   r"perhaps|possibly)\b[^.;]{0,40}$", re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    value: object
    pattern: re.Pattern
    negated: object = None  # value when the cue is negated (None: propose nothing)
    doubt_ok: bool = False  # the cue still counts inside a doubtful sentence
    plain: bool = False  # names the proposal itself: "doesn't want a MARAC referral" still names MARAC


def c(value, regex: str, negated=None, doubt_ok=False, plain=False) -> Cue:
    return Cue(value, re.compile(regex, re.IGNORECASE), negated, doubt_ok, plain)


PLAIN_FACTS = ("purpose", "recipient", "request_basis", "sharer_type", "jurisdiction", "patient_information",
               "sharer_is_health_or_social_care_authority")
CLAUSE = re.compile(r"[.!?;,]\s|\s(and|but|or|so)\s", re.IGNORECASE)


SKIP = "skip"  # a cue that proposes nothing unless negated

CUES: dict[str, list[Cue]] = {
    "already_public_or_readily_available": [
        c(True, r"\b(news(paper)? (story|article|report)|local news|in the (paper|news)|public domain|on the news|"
                r"published|press report|widely known)"),
    ],
    "sharing_within_confider_understanding": [
        c(True, r"\b(said|says)\W+(\"|“|')?(yeah,? |yes,? )?(that's|that is|it's|its) (fine|ok|okay)|happy for (me|us) to "
                r"(share|pass|tell)|agreed (that )?(i|we) (could|can) (tell|share|pass)"),
    ],
    "given_in_confidence": [
        c(True, r"\b(in confidence|confided|told (me|us|his teacher|her teacher|the nurse)\b|in a (counselling )?"
                r"session|disclosed to (me|us)|asked (me|us) not to tell|begged (me|us) not to|confidential)",
          negated=False),
        c(False, r"\b(came in with|has what look|i (saw|noticed|observed)|we (saw|noticed|observed)|staff (saw|noticed)|"
                 r"always hungry|kit is filthy|observed)"),
    ],
    "consent_status": [
        c("given_explicit", r"\b(signed (a |the )?consent|written consent|consented in writing|explicit(ly)? consent(ed)?)"),
        c("given_not_explicit", r"\b(said|says)\W+(\"|“|')?(yeah,? |yes,? )?(that's|that is|it's|its) (fine|ok|okay)|"
                                r"verbally agreed|happy for (me|us) to (share|pass|tell)"),
        c("cannot_be_given", r"\b(lacks? (the )?capacity|unconscious|in a coma|too young to (consent|understand)|"
                             r"cannot consent|can't consent)"),
        c("seeking_would_prejudice_crime_investigation", r"\b(calling the police now|ringing the police now|"
                                                         r"tip (him|her|them) off|alert the suspect|prejudice the "
                                                         r"(police )?investigation)"),
        c("seeking_would_prejudice_protection", r"\b(not to tell the parents (yet )?because|subject of the enquiry|"
                                                r"would (jeopardise|compromise) the (enquiry|assessment|investigation))"),
        c("seeking_would_increase_risk_to_child", r"\bif (i|we) (ring|tell|call|contact|ask|speak to)\b.{0,60}\b"
                                                  r"(take it out on|hurt|harm|find out|punish|beat|kill)"),
        c("refused", r"\b(refuses?|refused|refusing|(said|says|has said) no\b(?![- ]?(one|body|thing))|doesn't want|does not want|"
                     r"didn't want|won't let|will not let|begged (me|us) not to|asked (me|us) not to tell|"
                     r"don't tell|do not tell|objects? to)\b"),
        c("withdrawn", r"\b(withdr[ae]w|withdrawn|changed (her|his|their) mind)"),
        c("cannot_reasonably_be_obtained", r"\b(names (and \w+ )?of (all )?(patients|pupils|children|young people)|"
                                           r"list of named|list of (all )?(patients|pupils|young people)|"
                                           r"named (patients|young people|children))"),
        c("not_sought", r"\b(haven't asked|have not asked|not (yet )?asked|without asking|going to let \w+ know|"
                        r"(the )?family (know|are aware)|i'?m referring|we'?re referring)"),
    ],
    "capacity_or_competence": [
        c("lacks_capacity", r"\b(lacks? (the )?capacity|unconscious|in a coma|no capacity)"),
        c("has_capacity", r"\b(has|have|with) (full |the )?capacity\b"),
        c("child_competent", r"\b(gillick[- ]competent|is competent|(it's|its|it is) (her|his|their) (choice|decision|"
                             r"life)|understands the risks)"),
    ],
    "child_harm_level": [
        c("unsure_if_reasonable_cause", r"\b(not sure (whether|if)|unsure|(risk )?assessment is (incomplete|not "
                                        r"finished)|don't know if (this|it) (meets|is enough)|(we )?consider (to be )?"
                                        r"at risk)", doubt_ok=True),
        c("evidence_significant_harm", r"\b(bruis\w*|burns?\b|belt|fracture|injur\w+|child protection plan|"
                                       r"cp plan|showed me a knife|beat(en|s|ing)?\b|hit(s|ting)? (him|her)|"
                                       r"slapped|punched)"),
        c("reasonable_cause_significant_harm", r"\b(exploit\w*|groom\w*|neglect\w*|always hungry|no one (has been|"
                                               r"was) home|left alone|section 47|s\.?47|hurt the (child|baby)|"
                                               r"having sex|sexual(ly)? (abus|activit|active)|child protection "
                                               r"conference|gives (her|him) (cannabis|drugs|alcohol|money|gifts)|"
                                               r"conference|domestic (abuse|violence)|strangled|violent to)"),
        c("child_in_need_or_early_help", r"\b(early help|child in need|would benefit from (some )?support|"
                                         r"thriving)"),
        # Only the negated form says anything: "no safeguarding concerns", "no concerns about harm".
        c(SKIP, r"\b(safeguarding concerns?|concerns? about (harm|(his|her|their) (safety|welfare))|worries about "
                r"(harm|(his|her|their) safety))", negated="none"),
    ],
    "adult_harm_level": [
        c("clear_risk_serious_harm", r"\b(strangl\w*|threatened (him|her|them) with a knife|high risk|overdose|"
                                     r"unconscious|serious harm to (her|him)|life[- ]threatening)"),
        c("possible_harm", r"\b(medium risk|controls? (her|his) money|verbally abusive|pressur\w+|coercive)"),
    ],
    "crime_purpose": [
        c("other_crime", r"\b(stab wounds? .{0,40}(strategy|last year|statistics)|fraud|theft|scam|pressur\w+ "
                         r"(him|her) into|cash withdrawals|controls? (her|his) money)"),
        c("serious_crime", r"\b(stab\w*|knife|strangl\w*|belt|burns?\b|exploit\w*|having sex with a|sexual abuse|"
                           r"gives (her|him) (cannabis|drugs)|"
                           r"rape|assault\w*|threatened (him|her) with|grooming)"),
    ],
    "emergency": [
        c(True, r"\b(tonight|right now|immediate(ly)? danger|unconscious|in a coma|calling 999|call(ed)? an "
                r"ambulance|paramedics|calling the police now)"),
    ],
    "purpose": [
        c("s47_enquiry", r"\b(section 47|s\.? ?47) enquir"),
        c("serious_violence_duty", r"\b(serious violence (strategy|duty)|strategy modelling|serious violence)"),
        c("marac_da", r"\b(marac|idva)\b"),
        c("health_social_care_provision", r"\b(paramedics|activity leader|ambulance crew|hospital|"
                                          r"(tell|telling) (her|his) parents)"),
        c("adult_safeguarding_s42", r"\b(adult social care|adult safeguarding|section 42|s\.? ?42)"),
        c("early_help", r"\bearly help\b"),
        c("crime_prevention", r"\b(calling the police|tell the police|report (it )?to the police)"),
        c("child_protection_referral", r"\b(refer\w*|children'?s social care|social care|child protection "
                                       r"(plan|conference|information)|social worker)"),
    ],
    "sharer_type": [
        c("voluntary_or_private_org", r"\b(charity|private|voluntary|bank|football club|sports club|holiday club|"
                                      r"church|mosque|scouts)"),
        c("independent_school", r"\bindependent school"),
        c("health_professional", r"\b(gp|general practitioner|practice nurse|dentist|pharmacist)\b"),
        c("public_authority", r"\b(dsl|designated safeguarding lead|academy|maintained|council|local authority|"
                              r"nhs|health visitor|school nurse|social worker|youth worker|police officer|"
                              r"leaving care|personal adviser|pastoral lead|head ?teacher|teacher|la [a-z]\b)"),
    ],
    "recipient": [
        c("local_policing_body", r"\b(local policing body|pcc|police and crime commissioner)"),
        c("la_adult_social_care", r"\badult social care\b"),
        c("health", r"\b(paramedics|ambulance|hospital|gp surgery|a&e team)\b"),
        c("other", r"\b(activity leader|idva)"),
        c("parent_carer", r"\b(tell(ing)? (her|his|their) parents|parents being told)"),
        c("la_childrens_social_care", r"\b(children'?s social care|social care|social worker|la [a-z]\b)"),
        c("police", r"\bpolice\b"),
    ],
    "request_basis": [
        c("s16_PCSC", r"\bsection 16 of the pcsc|s\.? ?16 pcsc"),
        c("s17_PCSC", r"\bsection 17 of the pcsc|s\.? ?17 pcsc"),
        c("s47_CA1989", r"\b(section 47|s\.? ?47)\b"),
        c("s16H_CA2004", r"\b(section 16h|s\.? ?16h)\b"),
        c("s14B_CA2004", r"\b(section 14b|s\.? ?14b)\b"),
        c("court_order", r"\bcourt order"),
    ],
    "informing_would_increase_risk_or_prejudice_investigation": [
        c(True, r"\b(if (i|we) (ring|tell|call|contact|speak to)\b.{0,90}\b(take it out on|hurt|harm|find out|punish)|"
                r"not to tell the parents|worried .{0,30}will find out|calling the police now|tip (him|her) off)"),
        c(False, r"\b((the )?family (know|are aware)|going to let \w+ know|parents (know|are aware))"),
    ],
    "adult_care_support_needs": [
        c(True, r"\b(learning disabilit\w+|dementia|care and support needs|adult safeguarding plan|care needs|"
                r"autis\w+|mental illness)", negated=False),
    ],
    "adult_experiencing_or_at_risk_of_harm": [
        # Para 18(3)(b) is neglect or physical, mental or emotional harm: financial pressure alone is not.
        c(True, r"\b(threatened (him|her)|exploit\w*|abus\w+|overdose|strangl\w*|assault\w*|neglect\w*)",
          negated=False),
    ],
    "adult_unable_to_protect_self_due_to_needs": [
        c(True, r"\b(lacks? (the )?capacity|unable to protect|can't protect|cannot protect|unconscious)", negated=False),
        c(False, r"\b(has|have|with) (full |the )?capacity\b"),
    ],
    "patient_information": [c(True, r"\bpatients?\b (treated|records|in a&e)")],
    "sharer_is_health_or_social_care_authority": [c(True, r"\b(nhs trust|integrated care board|icb|hospital trust)")],
    "jurisdiction": [
        c("Wales", r"\b(wales|welsh)\b"), c("Scotland", r"\b(scotland|scottish)\b"),
        c("Northern Ireland", r"\bnorthern ireland\b"),
    ],
}

CATEGORY_CUES: dict[str, str] = {
    "health": r"\b(bruis\w*|burns?\b|injur\w+|depress\w*|mental health|psychosis|hears voices|self[- ]harm\w*|cutting|"
              r"suicid\w*|epilep\w+|overdose|medication|autis\w+|meltdowns|learning disabilit\w+|dementia|"
              r"pregnan\w+|disabilit\w+|diagnos\w+|stab wounds|a&e|health (and \w+ )?information|postnatal|drug|alcohol|"
              r"cannabis|hungry|strangl\w*)",
    "criminal_offence": r"\b(hit|hits|belt|strangl\w*|knife|stab\w*|convicted|conviction|assault\w*|abuse[ds]?|"
                        r"violent|exploit\w*|taking his benefits|theft|fraud|police information|offence|crime|"
                        r"controls? her money|cannabis|having sex with|burns?\b|serious violence)",
    "sex_life": r"\b(having sex|sexual(ly)? active|sex life|sexual relationship|boyfriend gives her)",
    "racial_ethnic_origin": r"\b(ethnicity|ethnic origin|race)\b",
    "religious_philosophical": r"\b(religion|religious|faith)\b",
    "sexual_orientation": r"\b(gay|lesbian|bisexual|sexual orientation|sexuality)\b",
}

AGE = [
    re.compile(r"\((\d{1,2})\s+and\s+\d{1,2}\)"),  # "Mum of two (1 and 4)": the youngest is listed first
    re.compile(r"\b(\d{1,2})[- ](?:year|yr)s?[- ]old\b(?!\s+(?:boyfriend|girlfriend|partner|man|woman|adult))",
               re.IGNORECASE),
    re.compile(r"\((\d{1,3})(?:,[^)]*)?\)"),  # "Jayden (8)", "customer (82, dementia)"
    re.compile(r"\b(?:is|she's|he's|she is|he is|aged|age)\s+(\d{1,2})\b(?!\s*(?:days|weeks|months|hours|minutes|%))",
               re.IGNORECASE),
]
INFANT = re.compile(r"\b(\d+-week check|newborn|new baby|baby)\b", re.IGNORECASE)


def _scan(text: str, cue: Cue):
    for m in cue.pattern.finditer(text):
        if cue.plain:
            return cue.value, m.group(0)
        before = text[max(0, m.start() - 60):m.start()]
        sentence_before = re.split(r"[.!?]\s", before)[-1]
        # Negation governs its own clause only: "isn't suicidal and begged me" is not a negated "begged".
        parts = CLAUSE.split(sentence_before)
        sentence_before = parts[-1] if parts else sentence_before
        if not cue.doubt_ok and DOUBT.search(sentence_before):
            continue
        if NEGATION.search(sentence_before):
            if cue.negated is not None:
                return cue.negated, _words(text, m, sentence_before)
            continue
        return cue.value, m.group(0)
    return None


def _words(text: str, m: re.Match, before: str) -> str:
    neg = NEGATION.search(before)
    return (before[neg.start():] if neg else "") + m.group(0)


def extract_facts(text: str) -> Facts:
    """Propose facts from free text; each with the words it came from."""
    values: dict = {}
    sources: dict = {}
    for fact, cues in CUES.items():
        for cue in cues:
            if fact in PLAIN_FACTS:
                cue = Cue(cue.value, cue.pattern, cue.negated, cue.doubt_ok, True)
            found = _scan(text, cue)
            if found is not None and found[0] != SKIP:
                values[fact], sources[fact] = found
                break
    cats = []
    words = []
    for cat, regex in CATEGORY_CUES.items():
        found = _scan(text, Cue(cat, re.compile(regex, re.IGNORECASE)))
        if found:
            cats.append(cat)
            words.append(found[1])
    if cats:
        values["data_categories"] = frozenset(cats)
        sources["data_categories"] = ", ".join(words)
        values["sensitive"] = True
        sources["sensitive"] = ", ".join(words)
    ages = sorted((m.start(), m) for pattern in AGE for m in pattern.finditer(text) if int(m.group(1)) <= 120)
    if ages:
        m = ages[0][1]  # the first person whose age is given is, in practice, the one the worry is about
        values["protected_person_age"] = int(m.group(1))
        sources["protected_person_age"] = m.group(0)
    else:
        m = INFANT.search(text)
        if m:
            values["protected_person_age"] = 0
            sources["protected_person_age"] = m.group(0)
    _who(text, values, sources)
    _infer(text, values, sources)
    return Facts(values, sources)


PROFESSIONAL = re.compile(r"\b(gp|nhs|patients?|health visitor|school nurse|counsell\w+|social worker|personal adviser|"
                          r"leaving care|resident|customer|client|in a session|records?)\b", re.IGNORECASE)
ADULT_FACTS = ("adult_care_support_needs", "adult_experiencing_or_at_risk_of_harm", "adult_unable_to_protect_self_due_to_needs")


def _infer(text: str, values: dict, sources: dict) -> None:
    """Inferences a careful reader makes, each marked as inferred in its source words."""
    if "given_in_confidence" not in values:
        m = PROFESSIONAL.search(text) or re.search(r"\b(told (me|us)|says|said)\b", text, re.IGNORECASE)
        if m:
            values["given_in_confidence"] = True
            sources["given_in_confidence"] = f"{m.group(0)} (inferred: learned in a professional relationship)"
    if values.get("purpose") == "child_protection_referral" and "recipient" not in values:
        values["recipient"] = "la_childrens_social_care"
        sources["recipient"] = f"{sources['purpose']} (inferred: referrals go to children's social care)"
    age = values.get("protected_person_age")
    adult = (isinstance(age, int) and age >= 18) or values.get("data_subject_role") == "adult_service_user"
    if not adult:
        for fact in ADULT_FACTS:  # para 18(3) limbs concern adults only
            values.pop(fact, None)
            sources.pop(fact, None)


PARENT_SPEAKS = re.compile(r"\b(mum|mother|dad|father|parent|stepdad|stepmum)\b[^.]{0,15}\btold (me|us)\b[^.]{0,20}"
                           r"\b(she|he|her|his)\b|\b(mum|dad|mother|father) of (a|two|three)\b", re.IGNORECASE)
THREAT = re.compile(r"\b(stab|hurt|kill|attack|harm)\s+(a|the|another|his|her)\s+(named\s+)?(lad|boy|girl|child|pupil|"
                    r"student|kid|brother|sister|baby)", re.IGNORECASE)
ADULT_SUBJECT = re.compile(r"\b(patient|resident|customer|tenant|service user)\b", re.IGNORECASE)
THIRD_PARTY = re.compile(r"\b(a man|a woman|her partner|his partner|boyfriend|girlfriend)\b[^.]{0,30}"
                         r"\b(convicted|named|violent)", re.IGNORECASE)
GROUP = re.compile(r"\b(list of|names (and \w+ )?of|all (patients|pupils|young people))", re.IGNORECASE)


def _who(text: str, values: dict, sources: dict) -> None:
    """Whose information it is, and whom the sharing protects."""
    age = values.get("protected_person_age")
    m = GROUP.search(text)
    if m:
        values["protected_person"], sources["protected_person"] = "group_of_people", m.group(0)
        who = re.search(r"\b(patients|young people|pupils|children)\b", text, re.IGNORECASE)
        if who:
            role = "adult_service_user" if who.group(1).lower() == "patients" else "child"
            values["data_subject_role"], sources["data_subject_role"] = role, who.group(0)
        return
    m = THIRD_PARTY.search(text)
    if m:
        values["data_subject_role"], sources["data_subject_role"] = "other_third_party", m.group(0)
        values["protected_person"], sources["protected_person"] = "other_child", m.group(0)
        return
    m = PARENT_SPEAKS.search(text)
    if m and (age is None or age < 18):
        values["data_subject_role"], sources["data_subject_role"] = "parent_carer", m.group(0)
        values["protected_person"], sources["protected_person"] = "other_child", m.group(0)
        return
    m = THREAT.search(text)
    if m and (age is None or age < 18):
        values["data_subject_role"], sources["data_subject_role"] = "child", m.group(0)
        values["protected_person"], sources["protected_person"] = "other_child", m.group(0)
        return
    m = ADULT_SUBJECT.search(text)
    if m and (age is None or age >= 18):
        values["data_subject_role"], sources["data_subject_role"] = "adult_service_user", m.group(0)
        values["protected_person"], sources["protected_person"] = "same_as_data_subject", m.group(0)
        return
    if isinstance(age, int):
        role = "child" if age < 18 else "adult_service_user"
        values["data_subject_role"], sources["data_subject_role"] = role, sources["protected_person_age"]
        values["protected_person"], sources["protected_person"] = "same_as_data_subject", sources["protected_person_age"]
