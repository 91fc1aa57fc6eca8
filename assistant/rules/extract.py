"""Facts from a practitioner's own words: patterns and lexicons, no model that can drift.

Extraction proposes; the practitioner confirms or edits. Every fact carries the words it was read
from ("read '15-year-old' as age 15"). A cue preceded by a negation ("no concerns", "isn't
suicidal") takes the cue's negated value, or nothing; a cue inside doubt ("not sure whether")
proposes nothing, except where doubt is itself the fact (child_harm_level: unsure)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .danger import detect_danger, no_danger
from .facts import Facts

APOS = "['’]?"


def _apos(regex: str) -> str:
    """Let every apostrophe in a pattern be typed straight, curly or not at all ("doesn't", "doesn’t", "doesnt")."""
    return re.sub(r"'\??", APOS.replace("\\", "\\\\"), regex)


NEGATION = re.compile(_apos(r"\b(no|not|never|without|nothing|none|isn't|wasn't|doesn't|don't|didn't|hasn't|"
                            r"haven't|won't|can't|cannot|nor|neither)\b[^.;,]{0,25}$"), re.IGNORECASE)
DOUBT = re.compile(_apos(r"\b(not sure|unsure|don't know|do not know|wonder(ing)? (if|whether)|whether|might|may|"
                         r"perhaps|possibly)\b[^.;]{0,40}$"), re.IGNORECASE)


@dataclass(frozen=True)
class Cue:
    value: object
    pattern: re.Pattern
    negated: object = None  # value when the cue is negated (None: propose nothing)
    doubt_ok: bool = False  # the cue still counts inside a doubtful sentence
    plain: bool = False  # names the proposal itself: "doesn't want a MARAC referral" still names MARAC


def c(value, regex: str, negated=None, doubt_ok=False, plain=False) -> Cue:
    return Cue(value, re.compile(_apos(regex), re.IGNORECASE), negated, doubt_ok, plain)


PLAIN_FACTS = ("purpose", "recipient", "request_basis", "sharer_type", "jurisdiction", "patient_information",
               "sharer_is_health_or_social_care_authority")
CLAUSE = re.compile(r"[.!?;,:]\s|\s[-–—]\s|\s(and|but|or|so)\s", re.IGNORECASE)


SKIP = "skip"  # a cue that proposes nothing unless negated
# A section of the Children Act named as such: "s47", "s.47", "section 47", never "she's 17" or "section 17 of our
# handbook" (a section of some other document), nor a section of the PCSC Act.
SECTION = (r"(?:(?<![\w\x27\u2019])(?:section|sect\.?|s\.?) ?%s\b(?! of (?!the children act|the ca\b|ca 1989)\w)"
           r"(?!\s*(?:years?|yrs?|yo|y/o)\b))")

CUES: dict[str, list[Cue]] = {
    "already_public_or_readily_available": [
        c(True, r"\b(news(paper)? (story|article|report)|local news|in the (local )?(papers?|news)|public domain|"
                r"on the news|press report|widely known|reported by name|all over (the )?(local )?(papers?|news))",
          negated=False),
        c(False, r"\bis public\b", negated=False),  # "None of this is public"
    ],
    "sharing_within_confider_understanding": [
        c(True, r"\b(said|says)\W+(\"|“|')?(yeah,? |yes,? )?(that's|that is|it's|its) (fine|ok|okay)|happy for (me|us) "
                r"to "
                r"(share|pass|tell|refer)|agreed (that )?(i|we) (could|can) (tell|share|pass|contact)|said yes|"
                r"signed (a|our|the) (consent )?form"),
    ],
    "given_in_confidence": [
        c(True, r"\b(in confidence|confided|told (me|us) privately|in a (counselling )?session|in our (one-to-one )?"
                r"sessions?|in the consultation|disclosed to (me|us)|asked (me|us) not to tell|begged (me|us) not to|"
                r"confidential)", negated=False),
        c(False, r"\b(has what look|i (saw|noticed|observed)|we (saw|noticed|observed)|staff (saw|noticed)|"
                 r"always hungry|kit is filthy|observed|only what i've seen)"),
    ],
    "consent_status": [
        c("withdrawn", r"\b(withdr[ae]ws? (that|it|(that |her |his |their )?consent)|consent (was |has been "
                       r")?withdrawn|"
                       r"changed (her|his|their) mind)"),
        c("given_explicit", r"\b(said (yes|so),? (very )?clearly|clearly said (yes|so)|said clearly|"
                            r"signed\b[^.]{0,30}\b(form|consent|to say)|written consent|consented in writing|"
                            r"agreed in writing|explicit(ly)? consent(ed)?|given (written|explicit) consent)"),
        c("cannot_be_given", r"\b(lacks? (the )?capacity|unconscious|in a coma|induced coma|too young to (consent|"
                             r"understand)|cannot consent|can't consent|let alone consent|unable to consent)"),
        c("seeking_would_prejudice_crime_investigation", r"\b(calling the police now|ringing the police now|"
                                                         r"tip (him|her|them) off|alert the "
                                                         r"suspect|(compromise|prejudice|"
                                                         r"jeopardise) (the|their|an?|our) (police )?investigation|"
                                                         r"get rid of the (knife|evidence|weapon|drugs))"),
        c("seeking_would_prejudice_protection", r"\b(not to (tell|let) the parents (know )?(yet )?because|subject of "
                                                r"the "
                                                r"enquiry|ones being investigated|would (jeopardise|compromise|"
                                                r"undermine|prejudice) the "
                                                r"(enquiry|enquiries|assessment|protection|s47|section 47))"),
        c("seeking_would_increase_risk_to_child", r"\b(if (i|we) (ring|tell|call|contact|ask|speak to)\b.{0,90}\b"
                                                  r"(take it out on|hurt|harm|find out|punish|beat|kill)|"
                                                  r"(go mad|take it out on (him|her)) if (he|she|they) knew|"
                                                  r"if (he|she|they|dad|mum) (knew|finds out|found out)\b.{0,60}"
                                                  r"\b(hurt|hit|harm|beat|take it out)|(would|'d) (tell|find out|"
                                                  r"learn)\b[^.]{0,60}\b(worse|danger|hurt|harm)|put (her|him|them) in "
                                                  r"(more )?danger|(would|could|might|will) put the "
                                                  r"(kids|children|child|baby) at (more |greater )?risk)"),
        c("given_not_explicit", r"\b(said|says)\W+(\"|“|')?(yeah,? |yes,? )?(that's|that is|it's|its) (fine|ok|okay)|"
                                r"verbally agreed|happy for (me|us) to (share|pass|tell|refer|contact|speak to|"
                                r"let)|said yes|said '?yeah|"
                                r"nodded|whatever you think|go on then|go ahead|agreed (we|i) could|"
                                r"agreed to (the |an? |me )?"
                                r"(early help|referral|support|(\w+ )?referral|(referring|sharing|telling|contacting|"
                                r"passing))|(signed|filled in) the (\w+ )?(\w+ )?(consent )?form"),
        c("cannot_reasonably_be_obtained", r"\b(names (and \w+ )?of (all )?(patients|pupils|children|young people)|"
                                           r"list of named|list of (all )?(patients|pupils|young people)|"
                                           r"named (patients|young people|children)|can'?t reach (him|her|them)|"
                                           r"couldn'?t (realistically )?ask|no time to ask|can'?t ask (him|her|them)|"
                                           r"isn'?t answering|(far )?too many (households|people|families) (for us )?"
                                           r"to ask)"),
        c("refused", r"\b(refuses?|refused|refusing|(said|says|has said) no\b(?![- ]?(one|body|thing))|doesn't want|"
                     r"does not want|didn't want|won't let (me|us)|will not let (me|us)|begged (me|us) not to|"
                     r"asked (me|us) not to "
                     r"tell|"
                     r"don't tell|do not tell|objects? to|does not consent|doesn't consent|not to give|"
                     r"promise not to tell|rather (we|i) didn'?t|(has|'s) asked (me|us) not to)"),
        c("not_sought", r"\b(haven't (asked|discussed|spoken to|told)|have not (asked|discussed|spoken)|not (yet "
                        r")?asked|"
                        r"hasn't been asked|has not been asked|(don't|do not) ask|haven't asked \w+ permission|"
                        r"without asking|not asking|going to let \w+ know|(the )?family (know|are aware)|"
                        r"i'?m referring|we'?re referring|haven't said anything)"),
    ],
    "capacity_or_competence": [
        c("lacks_capacity", r"\b(lacks? (the )?capacity|unconscious|in a coma|induced coma|no capacity)"),
        c("has_capacity", r"\b(has|have|with|'s got|has got|got) (full |the )?capacity\b"),
        c("child_competent", r"\b(gillick[- ]competent|fraser[- ]competent|is competent|(it's|its|it is) "
                             r"(her|his|their) "
                             r"(choice|decision|life)|understands (the risks|(exactly )?what))"),
    ],
    "child_harm_level": [
        c("evidence_significant_harm", r"\b(clearly suffering significant harm|has suffered significant harm|"
                                       r"suffered significant harm)"),
        c("child_in_need_or_early_help", r"\b(early help|child in need|would benefit from (some )?support|"
                                         r"thriving)"),
        c("reasonable_cause_significant_harm", r"\b(reasonable cause to (believe|suspect)|at risk of significant harm|"
                                               r"likely to suffer significant harm)|" + SECTION % "47",
          negated="none"),
        c("unsure_if_reasonable_cause", r"\b(not sure (whether|if)|unsure|(risk )?assessment is (incomplete|not "
                                        r"finished)|don't know if (this|it) (meets|is enough)|(we )?consider (to be )?"
                                        r"at risk)", doubt_ok=True),
        c(SKIP, r"\b((safeguarding|child protection) (concerns?|worries)|at risk\b|concerns? about "
                r"(harm|(his|her|their) "
                r"(safety|welfare))|worries about (harm|(his|her|their) safety)|signs of (exploitation|abuse))",
          negated="none"),
        c("evidence_significant_harm", r"\b(bruis\w*|burns?\b|belt|fracture\w*|injur\w+|child protection plan|"
                                       r"cp plan|on a cp\b|showed me a knife|beat(en|s|ing)?\b|hit(s|ting)? (him|her)|"
                                       r"slapped|punched|handprint|inflicted|stabbed|split lip|black eye|burn on)"),
        c("reasonable_cause_significant_harm", r"\b(exploit\w*|groom\w*|neglect\w*|always hungry|no one (has been|"
                                               r"was) home|left alone|sitting alone|hurt the (child|"
                                               r"baby)|having sex|sexual(ly)? (abus|activit|active)|child protection "
                                               r"conference|gives (her|him) (cannabis|drugs|alcohol|money|gifts)|"
                                               r"domestic (abuse|violence)|strangled|violent to|touching (her|him))|"
                                               + SECTION % "47"),
    ],
    "adult_harm_level": [
        c("clear_risk_serious_harm", r"\b(strangl\w*|threatened (him|her|them) with a knife|threatened to kill|"
                                     r"high risk|overdose|unconscious|serious harm|life[- ]threatening|attempted "
                                     r"murder|kill (her|him)self|hang (him|her)self|suicid\w+)"),
        c("possible_harm", r"\b(medium risk|controls? (her|his) money|keeps most of (her|his) money|verbally abusive|"
                           r"pressur\w+|coercive|pushed (her|him)|shouts at (her|him)|takes most of (her|his))"),
    ],
    "crime_purpose": [
        c("other_crime", r"\b(stab wounds? .{0,40}(strategy|last year|statistics)|fraud|theft|scam|pressur\w+ "
                         r"(him|her) into|cash withdrawals|controls? (her|his) money)"),
        c("serious_crime", r"\b(stab\w*|knife|strangl\w*|belt|burns?\b|exploit\w*|having sex with a|sexual abuse|"
                           r"gives (her|him) (cannabis|drugs)|rape|assault\w*|threatened (him|her) with|grooming|"
                           r"attempted murder|touching (her|him)|threatened to kill|drink[- ]driv\w+|drove off)"),
    ],
    "purpose": [
        c("s47_enquiry", SECTION % "47" + r"\s*(child protection |cp )?enquir"),
        c("s17_child_in_need", r"\b(child in need (assessment|plan)|under " + SECTION % "17" + ")"),
        c("safeguarding_review", r"\b(rapid review|practice review|serious case review|case review|"
                                 r"safeguarding review)"),
        c("serious_violence_duty", r"\b(serious violence (strategy|duty|work)|strategy modelling|serious violence)"),
        c("marac_da", r"\b(marac|idva)\b"),
        c("health_social_care_provision", r"\b(paramedics|activity leader|ambulance crew|speech and language|camhs|"
                                          r"eating disorder service|care needs assessment|"
                                          r"nursing team|(tell|telling) (her|his) parents)"),
        c("adult_safeguarding_s42", r"\b(adult social care|adult safeguarding|section 42|s\.? ?42)"),
        c("early_help", r"\bearly help\b"),
        c("crime_prevention", r"\b(calling the police|tell the police|report (it )?to the police|ringing the "
                              r"(police|psni)|"
                              r"disclosure scheme|youth offending|999|detective)"),
        c("immigration_or_other", r"\b(immigration enforcement|(home office|immigration)\b[^.]{0,30}\b(written|asked|"
                                  r"requested)|family court|court (has )?(made an )?order|wants to know the name)"),
        c("child_protection_referral", r"\b(refer\w*|children'?s social care|children'?s services|social care|"
                                       r"(child protection|cp) (plan|conference|information|referral|case)|"
                                       r"social worker|"
                                       r"social work team)"),
    ],
    "sharer_type": [
        c("private_individual", r"\b(i'?m not a professional|just the neighbour|i'?m a neighbour|as a parent myself)"),
        c("independent_school", r"\bindependent( \(fee-paying\))? (boarding )?school"),
        c("health_professional", r"\b(gp|general practitioner|practice nurse|dentist|pharmacist)\b"),
        c("voluntary_or_private_org", r"\b(charity|private|voluntary|bank|football club|sports club|holiday club|"
                                      r"church|mosque|scouts|housing association|self-employed)\b"),
        c("public_authority", r"\b(dsl|designated safeguarding lead|academy|maintained|council|local authority|"
                              r"nhs|health visitor|school nurse|social worker|youth worker|police|detective|"
                              r"(?-i:HV|DSL)\b|"
                              r"probation|leaving care|personal adviser|pastoral lead|head ?teacher|teacher|la [a-z]\b|"
                              r"health board|midwife|ward manager)"),
    ],
    "request_basis": [
        c("s16_PCSC", r"\bsection 16 of the (pcsc|police, crime)|s\.? ?16 pcsc"),
        c("s17_PCSC", r"\bsection 17 of the (pcsc|police, crime)|s\.? ?17 pcsc"),
        c("s47_CA1989", SECTION % "47"),
        c("s17_CA1989", SECTION % "17"),
        c("s16H_CA2004", r"\b(section 16h|s\.? ?16h)\b"),
        c("s14B_CA2004", r"\b(section 14b|s\.? ?14b)\b"),
        c("police_no_statute", r"\b(didn't|did not|hasn't|has not) cited? any (particular )?law|no warrant"),
        # request_basis is read without the clause negation, so "no court order" is excluded here.
        c("court_order", r"(?<!\bno )(?<!\bnot a )(?<!without a )(?<!without an )"
                         r"\bcourt (has )?(made an )?order|(?<!\bno )(?<!\bnot a )(?<!without a )\bcourt order"),
        c("other_statute", r"\b(citing|under) section \d+\w* of the [A-Z]?[\w ]+ Act"),
        c("dvds", r"\b(clare'?s law|dvds|domestic (violence|abuse) disclosure scheme)\b"),
        c("csods", r"\b(sarah'?s law|csods|child sex offenders? disclosure( scheme)?)\b"),

        c("proactive", r"\b(i|we)('m| am|'ve| have| want to| will| need to|'d like to| plan to| are planning to|'ll| "
                       r"are)? ?"
                       r"(refer|report|ring|phone|call|tell|send|pass|let|share|make|contact|planning to tell)"
                       r"(ing|ed|s)?\b"),
    ],
    "informing_would_increase_risk_or_prejudice_investigation": [
        c(True, r"\b(if (i|we) (ring|tell|call|contact|speak to)\b.{0,90}\b(take it out on|hurt|harm|find out|punish)|"
                r"not to tell the parents|worried .{0,30}will find out|calling the police now|tip (him|her) off|"
                r"not to speak to|compromise (their|the) investigation|if (he|she|dad|mum) (knew|finds out|hears)|"
                r"get rid of the|(would|'d) (tell|find out|learn)\b[^.]{0,60}\b(worse|danger|hurt|harm)|"
                r"mustn'?t (learn|find out|know)|not to (tell|let) the parents)", negated=False),
        c(False, r"\b((the )?family (know|are aware)|going to let \w+ know|(parents|mum|dad) (know|knows|are aware)|"
                 r"won't put \w+ at any (extra )?risk)"),
    ],
    "adult_care_support_needs": [
        c(True, r"\b(learning disabilit\w+|dementia|care and support needs|adult safeguarding plan|care needs|"
                r"autis\w+|mental illness|needs help with everything|walks with a frame|frail)", negated=False),
    ],
    "adult_experiencing_or_at_risk_of_harm": [
        # Para 18(3)(b) is neglect or physical, mental or emotional harm: financial pressure alone is not.
        c(True, r"\b(threatened (him|her)|exploit\w*|abus\w+|overdose|strangl\w*|assault\w*|neglect\w*|slap\w*|"
                r"pushed (her|him)|hit (her|him)|at risk of (serious )?harm)", negated=False),
    ],
    "adult_unable_to_protect_self_due_to_needs": [
        c(True, r"\b(lacks? (the )?capacity|unable to protect|can't protect|cannot protect|unconscious|"
                r"can't tell anyone)", negated=False),
    ],
    "patient_information": [c(True, r"\bpatients?\b (treated|records|in a&e)")],
    "sharer_is_health_or_social_care_authority": [c(True, r"\b(nhs trust|integrated care board|icb|hospital "
                                                          r"trust)\b(?!.{0,40}\b(asked|request))")],
    "jurisdiction": [
        c("Wales", r"\b(wales|welsh|cardiff|swansea|newport|wrexham|bangor|aberystwyth)\b"),
        c("Scotland", r"\b(scotland|scottish|glasgow|edinburgh|aberdeen|dundee|inverness|perth)\b"),
        c("Northern Ireland", r"\b(northern ireland|belfast|derry|londonderry|psni)\b"),
    ],
}

RECIPIENTS = [
    ("private_individual", r"\b(right to know|right to ask|disclosure scheme)"),
    ("local_policing_body", r"\b(local policing body|pcc|police and crime commissioner)"),
    ("la_adult_social_care", r"\b(adult social care|adult safeguarding (referral|team)|adult services)"),
    ("safeguarding_partners", r"\bsafeguarding (children )?partners(hip)?"),
    ("probation_yot", r"\b(youth offending|yot\b|probation)"),
    ("la_childrens_social_care", r"(?-i:\bSWs?\b)|\b(to|with|contact|ring|call) social work\b|"
                                 r"\b(tell|telling|told|inform|informing|ring|rang|call|contact|refer to|share with|"
                                 r"let) sw\b|"
                                 r"\b(children'?s social care|children'?s services|social services|social work(er|ers| "
                                 r"team)|"
                                 r"family support worker|children and families|mash\b|social care)"),
    ("police", r"\b(police|psni|detective|investigating officer|999|pcso)|(?-i:\bPCs?\b)"),
    ("health", r"\b(health visitor|gp\b|hospital|paramedics|ambulance|nursing team|doctor|a&e|speech and language|"
               r"(sexual health|family planning|gum|contraception) clinic|camhs|school nurse|midwi(fe|ves))|"
               r"(?-i:\bHV\b)"),
    ("school", r"\b((new|the) (primary |secondary )?school('s dsl)?|school'?s dsl|(tell|telling|let|letting|inform|"
               r"informing|contact|contacting|speak to|speaking to) (her|his|their|the) (new )?(head of year|"
               r"form tutor|class teacher|head ?teacher|school))\b"),
    ("other", r"\b(court|marac|idva|home office|immigration|activity leader|employer|landlord)"),
    ("parent_carer", r"\b((her|his|their|\w+'s) (mum|dad|mother|father|parents))\b"),
]
SHARE_VERB = re.compile(r"\b(refer(s|red|ring|ral)?|report(s|ed|ing)?|tell(s|ing)?|told|send(s|ing)?|sent|"
                        r"pass(es|ed|ing)?|shar(e|es|ed|ing)|ring(s|ing)?|rang|phon(e|es|ed|ing)|call(s|ed|ing)?|let|"
                        r"contact(s|ed|ing)?|give|copy|forward(s|ed|ing)?|notify|inform(s|ed|ing)?|alert|talk to|"
                        r"speak to|said anything to)\b[^.]{0,70}$", re.IGNORECASE)
REQUESTER = re.compile(r"^[^.]{0,25}\b(has|have|had)?\s*(now\s+)?(formally\s+)?(asked|requested|written|phoned|rung|"
                       r"emailed|made (a|an)|wants to know|asking|convened)", re.IGNORECASE)
FROM = re.compile(r"\b(letter|request|email|call) from (the )?(local )?[^.]{0,10}$", re.IGNORECASE)


SPEAKER = re.compile(_apos(r"\b(i'm|i am|im|i work as|i work for|i work in|speaking as|as)\s+(an?|the|one of the)\s+"
                           r"([\w-]+\s+)?$"), re.IGNORECASE)
SPEAKER_AFTER = re.compile(r"[ \w-]{0,20}?\b(here\b|speaking\b)|\s*:", re.IGNORECASE)
NOT_RECIPIENT = re.compile(_apos(r"\b((but|and) not|nor|never|not)\s+(to\s+|with\s+|tell\s+|telling\s+|involve\s+|"
                                 r"contact\s+|contacting\s+)?(the\s+|her\s+|his\s+|their\s+)?$|\b(doesn't|does not|"
                                 r"didn't|don't|won't) want\s+(her|his|their|the|any)\s+$"), re.IGNORECASE)


def _recipient(text: str) -> tuple[str, str] | None:
    """Who receives the information: whoever asked for it, or whoever the practitioner will tell."""
    stop = re.search(r"[.!?](\s|$)", text) or re.search(r"$", text)
    first_end = stop.end() if stop else len(text)
    best = None
    for value, regex in RECIPIENTS:
        for m in re.finditer(_apos(regex), text, re.IGNORECASE):
            before, after = text[max(0, m.start() - 90):m.start()], text[m.end():m.end() + 40]
            if value == "parent_carer" and re.match(r"['’]?s\b", after):
                continue  # "mum's mental health": whose data, not who receives it
            if SPEAKER.search(before) or SPEAKER_AFTER.match(after) or NOT_RECIPIENT.search(before):
                continue  # the speaker's own role ("I'm a police officer"), or not a recipient ("but not police")
            said = before + m.group(0) if value == "school" else before  # "tell his school": the verb is in the match
            score = 2 * bool(SHARE_VERB.search(said)) + 2 * bool(REQUESTER.search(after) or FROM.search(before))
            if value == "private_individual":
                score += 3
            if value == "parent_carer":
                score -= 1  # parents are mentioned in most referrals; they receive only when they ask or are told
            if score <= 0 and (m.start() < first_end or value in ("parent_carer", "police")):
                continue  # the sharer's own description, or a mere mention
            key = (-score, m.start())
            if best is None or key < best[0]:
                best = (key, value, m.group(0))
    return (best[1], best[2]) if best else None


CATEGORY_CUES: dict[str, str] = {
    "health": r"\b(bruis\w*|burns?\b|injur\w+|depress\w*|mental health|psychosis|hears voices|self[- ]harm\w*|cutting|"
              r"suicid\w*|epilep\w+|overdose|medication|autis\w+|meltdowns|learning disabilit\w+|dementia|"
              r"pregnan\w+|disabilit\w+|diagnos\w+|stab wounds|a&e|health (and \w+ )?information|postnatal|drug|"
              r"alcohol|cannabis|hungry|strangl\w*|heroin|speech and language|therap\w+|diabet\w+|ulcer|coma|icu|"
              r"intensive care|low mood|mood has been|anxiety|immunisations?|appointment history|split lip|"
              r"fractures?|hospice|asthma|the pill|contracepti\w+|hang (him|her)self|gp records|medical|"
              r"handprint|slurring|weight|eating disorder|camhs|sclerosis|meds\b|mobility|confused|diabet\w+|pills|"
              r"drinking|wet (him|her)self|black eye|bruised ribs|low mood|mental health)",
    "criminal_offence": r"\b(hit|hits|belt|strangl\w*|knife|knives|stab\w*|convicted|convictions?|charged|arrested|"
                        r"assault\w*|abuse[ds]?|violent|exploit\w*|taking his benefits|theft|fraud|police information|"
                        r"offence|crime|controls? her money|cannabis|heroin|having sex with|burns?\b|serious violence|"
                        r"attempted murder|slap\w*|touching her|for no pay|drove off|referral order|threatened to kill|"
                        r"keeps most of her money|pushed her|punch\w*|steal\w*|stole|indecent images|smash\w*|"
                        r"break-ins?|domestic (abuse|incident|violence)|on licence)",
    "sex_life": r"\b(having sex|had sex|sex with|sexual(ly)? active|sex life|sexual relationship|boyfriend gives her|"
                r"the pill|contracepti\w+|touching her)",
    "racial_ethnic_origin": r"\b(ethnicity|ethnic origin|race|romani|gypsy|gypsies|traveller|roma|hazara)\b",
    "religious_philosophical": r"\b(religion|religious|faith|christians?|evangelical|muslim|pentecostal|church|mosque|"
                               r"bible|jewish|sikh|hindu)\b",
    "sexual_orientation": r"\b(gay|lesbian|bisexual|sexual orientation|sexuality)\b",
}
ORDINARY = re.compile(r"\b(address|attendance|name of the child|contact details|phone number)\b", re.IGNORECASE)

AGE = [
    re.compile(r"\((\d{1,2})\s+and\s+\d{1,2}\)"),  # "Mum of two (1 and 4)": the youngest is listed first
    re.compile(r"\b(\d{1,2})[- ](?:year|yr)s?[- ]old\b(?!\s+(?:boyfriend|girlfriend|partner|man|woman|adult))",
               re.IGNORECASE),
    re.compile(r"\((\d{1,3})(?:,[^)]*)?\)"),  # "Jayden (8)", "customer (82, dementia)"
    re.compile(_apos(r"\b(\d{1,2}) ?(?:yo|y/o|y\.o\.|yrs? old|yr old)\b"), re.IGNORECASE),  # "17yo", "15 y/o"
    re.compile(r"\b(?:turned|turns|turning|just turned)\s+(\d{1,2})\b(?!\s*(?:days|weeks|months|%))", re.IGNORECASE),
    re.compile(r"\b(?:is|she's|he's|shes|hes|she’s|he’s|she is|he is|aged|age|only)\s+(\d{1,2})\b(?!\s*(?:days|"
               r"weeks|months|hours|minutes|"
               r"%|-hour|am|pm|years? ago))", re.IGNORECASE),
    re.compile(r"\b[A-Z][a-z]+, (\d{1,3}),"),  # "Kayleigh, 24, is"
    re.compile(r"\b(?:lad|girl|boy|son|daughter|child|pupil|student|toddler|baby),? "
               r"(\d{1,2})\b(?!\s*(?:days|weeks|months))",
               re.IGNORECASE),
    re.compile(r"\b(?:patient|client|resident|customer|mum|dad|mother|father),? (\d{1,3})\b"
               r"(?!\s*(?:days|weeks|months))"),
]
MONTHS = re.compile(r"\b(\w+)[- ]months?[- ]old\b|\b\d+ months old\b|\b\d+-week check|\bnewborn|\bnew baby|"
                    r"\bbaby,? \(?(?:[1-9]|1[01]) ?(?:months?|mo|weeks?|wks?)\b|\b(?:[1-9]|1[01]) ?mo\b(?! ago)",
                    re.IGNORECASE)
# A school year read as an age only when it describes the child: "Year 9 lad", "she's in yr 9".
SCHOOL_YEAR = re.compile(_apos(r"\b(?:year|yr|y)\s?([1-9]|1[0-2])(?=\s+(?:girl|boy|lad|pupil|student|child|kid|son|"
                               r"daughter)s?\b)|\b(?:she's|he's|she is|he is|who's|who is)\s+in\s+(?:year|yr|y)\s?"
                               r"([1-9]|1[0-2])\b"), re.IGNORECASE)
PAST_YEAR = re.compile(r"\b(?:since|from|back in|when (?:she|he|they) (?:was|were) in|until|till|"
                       r"(?:was|were|had|happened|started|began|left) in)\s+$", re.IGNORECASE)
UNBORN = re.compile(r"\b(pre-birth|unborn|weeks pregnant)\b", re.IGNORECASE)
DISPUTED = re.compile(r"\b(age is disputed|disputed age|age dispute|age assessment)\b", re.IGNORECASE)


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


def _negated(text: str, m: re.Match) -> bool:
    """The match is negated in its own clause ("he hasn't been charged")."""
    before = re.split(r"[.!?]\s", text[max(0, m.start() - 60):m.start()])[-1]
    parts = CLAUSE.split(before)
    return bool(NEGATION.search(parts[-1] if parts else before))


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
    cats, words = [], []
    for cat, regex in CATEGORY_CUES.items():
        found = _scan(text, Cue(cat, re.compile(_apos(regex), re.IGNORECASE)))
        if found:
            cats.append(cat)
            words.append(found[1])
    ordinary = None if cats else ORDINARY.search(text)
    if ordinary:
        cats, words = ["ordinary"], [ordinary.group(0)]
    if cats:
        values["data_categories"] = frozenset(cats)
        sources["data_categories"] = ", ".join(words)
        if cats != ["ordinary"]:
            values["sensitive"], sources["sensitive"] = True, ", ".join(words)
    found = _recipient(text)
    if found:
        values["recipient"], sources["recipient"] = found
    _scope_consent(text, values, sources)
    danger = detect_danger(text)
    calm = None if danger else no_danger(text)
    if danger or calm:
        values["emergency"], sources["emergency"] = bool(danger), danger or calm
    _age(text, values, sources)
    _who(text, values, sources)
    _infer(text, values, sources)
    return Facts(values, sources)


FAMILY = re.compile(_apos(r"^\W*(?:(?:her|his|their|my|the)\s+)?(?:mum|mam|mom|mummy|mother|dad|daddy|father|parents?|"
                          r"stepdad|stepmum|step-dad|step-mum|nan|nana|gran|grandma|grandad|auntie|aunt|uncle|family|"
                          r"brother|sister|carers?|foster carers?|boyfriend|girlfriend|partner|mates|friends|"
                          r"anyone at home|mum or dad|mum and dad)\b"), re.IGNORECASE)
REFUSAL_OBJECT = re.compile(_apos(r"\b(?:doesn't want|does not want|didn't want|won't let|begged (?:me|us) not to "
                                  r"(?:tell|let)|asked (?:me|us) not to (?:tell|let)|don't tell|do not tell|"
                                  r"promise not to tell|(?:not|never) to (?:tell|let))\s*$"), re.IGNORECASE)


def _scope_consent(text: str, values: dict, sources: dict) -> None:
    """Consent is about a sharing: a refusal to let the family know is no refusal to tell social care or a nurse.

    When the words refused are followed by a family member ("doesn't want her dad to know") and the recipient read
    is someone else, the refusal is not this sharing's: a consent given elsewhere in the text stands instead, or
    nothing is proposed."""
    if values.get("consent_status") != "refused":
        return
    words = sources["consent_status"]
    at = text.find(words)
    if at < 0 or not REFUSAL_OBJECT.search(text[max(0, at - 10):at + len(words)]):
        return
    if not FAMILY.match(text[at + len(words):at + len(words) + 40]):
        return
    recipient = _recipient(text)
    if recipient is None or recipient[0] == "parent_carer":
        return  # the refusal may be about this very sharing
    values.pop("consent_status")
    sources.pop("consent_status")
    for cue in CUES["consent_status"]:
        if cue.value in ("given_explicit", "given_not_explicit"):
            found = _scan(text, cue)
            if found:
                values["consent_status"], sources["consent_status"] = found
                return


def _age(text: str, values: dict, sources: dict) -> None:
    """The age of the person to protect: an unborn or disputed age first, then the first child's age."""
    for pattern, value in ((UNBORN, "unborn"), (DISPUTED, "disputed")):
        m = pattern.search(text)
        if m:
            values["protected_person_age"], sources["protected_person_age"] = value, m.group(0)
            return
    ages = [(m.start(), int(m.group(1)), m.group(0)) for p in AGE for m in p.finditer(text) if int(m.group(1)) <= 120]
    months = MONTHS.search(text)
    if months:
        ages.append((months.start(), 0, months.group(0)))
    ages.sort()
    children = [a for a in ages if a[1] < 18]
    # The worry is usually about a child when one is named; otherwise about the first adult named.
    pick = (children or ages)[0] if children or ages else None
    if pick:
        values["protected_person_age"], sources["protected_person_age"] = pick[1], pick[2]
        return
    # No age given, but a school year is: Year N is age N+4 to N+5, a child either way up to Year 12 (Year 13 can be
    # 18, so it is left unread). The spec's age matters only as under or over 18, so the lower age is proposed.
    for m in SCHOOL_YEAR.finditer(text):
        if not PAST_YEAR.search(text[max(0, m.start() - 30):m.start()]):
            year = int(m.group(1) or m.group(2))
            values["protected_person_age"] = year + 4
            sources["protected_person_age"] = f"{m.group(0)} (inferred: school year {year} is age " \
                                              f"{year + 4}-{year + 5})"
            return


ADULT_FACTS = ("adult_care_support_needs", "adult_experiencing_or_at_risk_of_harm",
               "adult_unable_to_protect_self_due_to_needs")


def _infer(text: str, values: dict, sources: dict) -> None:
    """Inferences a careful reader makes, each marked as inferred in its source words."""
    # given_in_confidence is read only from words that say so: a professional setting alone is an assumption,
    # which the check shows as one rather than extraction proposing it as a fact.
    if values.get("purpose") == "child_protection_referral" and "recipient" not in values:
        values["recipient"] = "la_childrens_social_care"
        sources["recipient"] = f"{sources['purpose']} (inferred: referrals go to children's social care)"
    age = values.get("protected_person_age")
    adult = (isinstance(age, int) and age >= 18) or values.get("data_subject_role") == "adult_service_user"
    if isinstance(age, int) and age >= 18 \
            and values.get("child_harm_level") not in (None, "unsure_if_reasonable_cause"):
        values.pop("child_harm_level")  # the person to protect is an adult: no child harm level to read
        sources.pop("child_harm_level")
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
WITNESS = re.compile(r"\b(witness(ed|es)? (a|an|the)|was a witness|saw (a|an|the) (stabbing|assault|attack|fight|"
                     r"robbery|crash))\b", re.IGNORECASE)
GROUP = re.compile(r"\b(list of|names (and \w+ )?of|all (patients|pupils|young people))", re.IGNORECASE)


def sources_start(text: str, sources: dict) -> int:
    at = text.find(sources.get("protected_person_age", ""))
    return at if at >= 0 else len(text)


OFFENDER = re.compile(r"\b(on licence|convictions? for|convicted of|charged with|arrested for|suspects?\b|"
                      r"looking at indecent images|registered sex offender)", re.IGNORECASE)


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
    m = WITNESS.search(text)
    if m and not _negated(text, m):
        values["data_subject_role"], sources["data_subject_role"] = "other_third_party", m.group(0)
        return
    m = THIRD_PARTY.search(text)
    if m:
        values["data_subject_role"], sources["data_subject_role"] = "other_third_party", m.group(0)
        values["protected_person"], sources["protected_person"] = "other_child", m.group(0)
        return
    m = next((m for m in OFFENDER.finditer(text) if not _negated(text, m)), None)
    if m:
        values["data_subject_role"], sources["data_subject_role"] = "alleged_perpetrator", m.group(0)
        if re.search(r"\b(child|children|\d{1,2}-year-old|under-1\d|girl|boy|pupils?)\b", text, re.IGNORECASE):
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
    ages = [(m.start(), int(m.group(1)), m.group(0)) for p in AGE for m in p.finditer(text)]
    adults = sorted(a for a in ages if a[1] >= 18)
    if adults and ((isinstance(age, int) and age < 18) or age == "unborn") and \
            re.search(r"\b(mum|dad|mother|father|parent|her (son|daughter|baby|twins|child)|his "
                      r"(son|daughter|baby|child)|"
                      r"pregnant)\b", text, re.IGNORECASE) and adults[0][0] < sources_start(text, sources):
        values["data_subject_role"], sources["data_subject_role"] = "parent_carer", adults[0][2]
        values["protected_person"], sources["protected_person"] = "other_child", sources["protected_person_age"]
        return
    m = ADULT_SUBJECT.search(text)
    if m and (age is None or age >= 18):
        values["data_subject_role"], sources["data_subject_role"] = "adult_service_user", m.group(0)
        values["protected_person"], sources["protected_person"] = "same_as_data_subject", m.group(0)
        return
    if isinstance(age, int):
        role = "child" if age < 18 else "adult_service_user"
        values["data_subject_role"], sources["data_subject_role"] = role, sources["protected_person_age"]
        values["protected_person"] = "same_as_data_subject"
        sources["protected_person"] = sources["protected_person_age"]
