"""Follow-up or new topic: whether a question leans on the conversation before it.

A follow-up is elliptical or refers back ("and if shes 17?", "are we obliged to tho", "is it in force yet",
"what about her brother", "same question but for a GP"): retrieval carries the previous question and the rules
check keeps the facts of the case so far. A new topic is a self-contained question naming its own subject ("what
is Clare's Law" after a question about consent, "whats sarahs law" after "whats clares law"), a new case told in
full, or one the practitioner says is new ("new case", "unrelated"): it inherits neither the previous question's
retrieval nor its facts. `read_follow_up(question, history)` decides from the words alone (patterns and small
lexicons, no model): deterministic, and well under a millisecond for a conversation of a few dozen turns.

The conversation is read as threads: each question either continues the thread it follows or starts a new one.
A thread that tells a case opens it; a general question about the law inside a case is an aside that leaves the
case open (its follow-ups carry the case too, "and can she use it?"), and a new case closes the old one. A
follow-up's facts come from those turns (`FollowUp.thread`), never from an earlier, different case.

Tuned on the follow-ups of evals/questions.jsonl, questions-dev.jsonl and questions-new-a.jsonl (all read as
follow-ups at the full weight) and on their standalone questions each asked after the one before it (156 of 158
read as new), with the practitioners' pairs in tests/fixtures/followup_cases.yaml.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

# How much of the previous question retrieval carries: an elliptical follow-up leans on it fully (the weight the
# retriever was tuned with on the dev set's follow-ups); one that names its own subject leans lightly.
FULL = 1.5
LIGHT = 0.25
SHORT = 6  # words: a question this short that names no subject of its own cannot stand alone


@dataclass(frozen=True)
class FollowUp:
    """How a question relates to the conversation before it."""

    is_follow_up: bool
    weight: float  # how much of the previous question to carry into retrieval (0: none)
    carries_facts: bool  # the facts of the case so far (the turns in `thread`) stay for the rules check
    reason: str  # in plain words, for the audit trail and the screen
    thread: tuple[str, ...] = ()  # the earlier questions this one continues, oldest first (empty: a fresh start)


# ---- the words ------------------------------------------------------------------------------------------------

def _norm(text: object) -> str:
    """Lower case, apostrophes dropped ("she's", "she’s", "shes" alike), spaces collapsed."""
    text = str(text).lower().replace("\u2019", "'").replace("\u2018", "'").replace("'", "")
    return " ".join(text.split())


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern)


# Subjects a question can name: schemes, provisions and the law's named concepts (coarse on purpose: Article 6
# and Article 9 are one subject, data protection law; two paragraphs of Schedule 1 are one).
SUBJECTS: dict[str, re.Pattern] = {k: _rx(v) for k, v in {
    "Clare's Law (DVDS)": r"\bclares? law\b|\bdvds\b|\bdomestic (violence|abuse) disclosure\b|\bright to (ask|know)\b",
    "Sarah's Law (CSODS)": r"\bsarahs? law\b|\bcsods?\b|\bcsor\b|\bchild sex(ual)? offender (review|disclosure)",
    "the Serious Violence Duty": r"\bserious violence\b|\bknife crime duty\b|\bpcsc\b|\bpolice,? crime,? sentencing"
                                r"|(?<![\w.])(section|sect\.?|s\.?) ?1[56]\b(?! ?(yo|y/o|yrs?|years?)\b)(?!e)",
    "the Crime and Disorder Act": r"\bcrime and disorder\b|(?<![\w.])(section|s\.?) ?115\b",
    "section 47": r"(?<![\w.])(section|s\.?) ?47\b|\bchild protection enquir|\bstrategy (discussion|meeting)",
    "section 17 (child in need)": r"(?<![\w.])(section|s\.?) ?17\b(?! (pcsc|of the pcsc|of the police))"
                                  r"(?! ?(yo|y/o|yrs?|years?)\b)|\bchild(ren)? in need\b",
    "the Children's Wellbeing and Schools Act": r"\bwellbeing and schools\b|\bcwsa\b|\b(new|2026|legal) duty to share"
                                                r"|\binformation sharing duty\b|\bduty to share info",
    "the safeguarding partners": r"\bsafeguarding (partners?|partnerships?|arrangements)\b|\blscb\b|\bscp\b"
                                 r"|\bchildren act 2004\b|\b(section|s\.?) ?1[46][be]\b|\bpractice review\b|\bcspr\b",
    "data protection law": r"\bu?k? ?gdpr\b|\bdata protection (act|law|principles?)\b|\bdpa\b|\bsch(edule|ed)? ?1\b"
                           r"|\bpara(graph)? ?\d+\b|\bart(icle)?\.? ?[679]\b|\bannex 1\b|\blawful basis\b"
                           r"|\blegitimate interests?\b|\blegit interest|\bpublic task\b|\blegal obligation\b"
                           r"|\bvital interests?\b|\bspecial categor|\bcriminal (offence|conviction)s? data\b"
                           r"|\bpersonal data\b|\bdata minimi[sz]|\bappropriate policy doc|\bapd\b"
                           r"|\bsafeguarding condition\b|\bsubstantial public interest\b|\bsensitive processing\b"
                           r"|\bdata (use and access|\(use and access\))|\bs ?208\b",
    "the Caldicott principles": r"\bcaldicott\b",
    "the seven golden rules": r"\bgolden rules?\b",
    "the Human Rights Act": r"\bhuman rights\b|\bechr\b|\bprivate and family life\b|\barticle 8\b",
    "CP-IS": r"\bcp-?is\b|\bchild protection information sharing\b",
    "the LADO": r"\blado\b|\bdesignated officer\b|\ballegations? management\b",
    "looked after children": r"\blooked after\b|\bcorporate parent|\blac\b|\bcla\b|\bchild(ren)? in care\b",
    "age assessment": r"\bage (assessment|dispute)|\bunaccompanied\b|\basylum\b|\buasc\b",
    "Gillick competence": r"\bgillick\b|\bfraser\b",
    "a subject access request": r"\bsubject access\b|\bsar\b|\bcopy of (everything|all|the (records|file|data))",
    "freedom of information": r"\bfreedom of information\b|\bfoi\b",
    "MARAC": r"\bmarac\b",
    "Prevent": r"\bprevent (duty|referral)\b|\bchannel panel\b|\bradicali[sz]",
    "FGM": r"\bfgm\b|\bfemale genital\b",
}.items()}

# Who information goes to. Naming another recipient inside a case keeps the case ("can i tell the police?").
RECIPIENTS: dict[str, re.Pattern] = {k: _rx(v) for k, v in {
    "police": r"\bpolice\b|\bcops?\b|\bofficers?\b",
    "social care": r"\bsocial (care|services|work(er)?s?)\b|\bsw\b|\bmash\b|\bchildrens services\b|\bfront door\b",
    "health": r"\bgps?\b|\bdoctors?\b|\bnhs\b|\bhospitals?\b|\bhealth visitors?\b|\bschool nurse\b|\bcamhs\b"
              r"|\bmidwi(fe|ves)\b|\bicb\b|\bsurgery\b",
    "school": r"\bschools?\b|\bacademy\b|\bnursery\b|\bcollege\b",
    "council": r"\bcouncils?\b|\blocal authority\b|\bthe la\b",
    "parents": r"\bparents?\b|\bmum\b|\bdad\b|\bfamily\b",
    "probation": r"\bprobation\b",
    "housing": r"\bhousing\b",
}.items()}

# The practitioner says this is something new.
NEW_CASE = _rx(r"\bnew (case|question|topic|family|child|kid|referral|situation)\b|\bunrelated\b"
               r"|\b(different|separate|another|other) (case|question|topic|matter|issue|family|situation|scenario)\b"
               r"|\b(different|separate|new) (child|kid|pupil|student|girl|boy|young person)\b|\bon another note\b"
               r"|\bchang(e|ing) (of )?(the )?subject\b|\b(totally|completely) different\b"
               r"|^(something else|also something else|separately)\b|\bnothing to do with (that|the last|the above)")
# The practitioner introduces themselves, as at the start of a case ("gp here -", "I'm a school nurse.").
ROLE = (r"(gp|nurse|school nurse|midwife|health visitor|hv|teacher|head ?teacher|head|deputy head|dsl|ddsl"
        r"|social worker|police officer|officer|pc|youth worker|a ?& ?e|paramedic|ambulance crew|counsell?or|senco"
        r"|support worker"
        r"|early help worker|childminder|practice manager|doctor|dentist|pharmacist|receptionist|teaching assistant"
        r"|designated safeguarding lead|safeguarding lead|child protection officer|health worker|clinician|consultant"
        r"|psychologist|camhs worker|family worker|key worker|keyworker|foster carer|caseworker|case worker)")
ROLE_INTRO = _rx(r"^(hi |hello |hiya )?(im|i am|i work as|as) (a|an|the) (\w+ ){0,3}" + ROLE + r"\b"
                 r"|^(\w+ ){0,3}" + ROLE + r"( here)?\s*[-:,.(]|^(\w+ ){1,4}here\s*[-:,.]|^(\w+ ){0,3}here\b"
                 r"|^(year|yr) ?\d+ teacher\b|^(were|we are|im|i am) (a|an) (\w+ ){0,2}(school|academy|charity"
                 r"|nursery|practice|trust|council|service|team|surgery|club)\b")
# The previous question asked again with one thing changed.
REUSE = _rx(r"\bsame (question|again|thing|q)\b|\bsame (but|for|goes|applies|situation|case)\b|\bas above\b"
            r"|\b(as|like) (before|i said|i mentioned)\b|\b(you|u) (said|mentioned|quoted)\b|\b(that|your) answer\b"
            r"|\bthe (last|previous|first|second|third|next) (one|answer|question|point|rule|bit|quote)\b")
# Openings that continue a thought ("and if...", "what about...", "ok so...").
OPENER = _rx(r"^(and|but|or|so|then|also|plus|ok|okay|right|hmm+|oh|wait|sorry|even so|if so|if not|in that case"
             r"|what if|what about|how about|and if|but if|even if|suppose|supposing|say|exceptions?|instead"
             r"|(any|anything|anyone)(?=(\s+\S+){0,11}\s*$)"
             r"|following on|further to|on that|about that|re that|why not|how come|how so|really|surely"
             r"|is that|was that|would that|does that|did that|will that|can we not|can i not)\b")
HYPOTHETICAL = _rx(r"^(and |but |so |ok |okay )?(what if|and if|if|suppose|supposing|even if|say|but if|what about"
                   r"|how about)\b")
# Words at the end that lean back ("...tho", "...then", "...aswell", "...yet").
TRAILING = _rx(r"\b(tho|though|then|too|aswell|as well|either|instead|after|afterwards|yet|also|again"
               r"|in that case|in this case|here|there"
               r"|(for|about|with|do|to|on|by|under|of|like|share|tell) (that|this))\s*[?.!]*$")
# Phrases anywhere that point at something already said.
BACK_REF = _rx(r"\b(this|that|the same) (case|child|kid|family|girl|boy|pupil|student|young person|baby|one|basis"
               r"|condition|rule|law|scheme|section|duty|act|power|exception|gateway|situation|request|info"
               r"|information|data|referral|disclosure|concern)s?\b|\b(in|for) (her|his|their|this|that) case\b"
               r"|\b(ours|theirs|hers)\b|\bnumber \d+\b|\bno\.? ?\d+\b|\bthe (last|first|second|third|fourth|fifth"
               r"|sixth|seventh|\d+(st|nd|rd|th)) (one|rule|principle|point|bit)\b|\bthe rest\b"
               r"|^(\w+ )?(does|would|will|could|can|did) (that|this|it) (change|make|affect|mean|matter|count|apply"
               r"|work)"
               r"|\b(have|has|got|need|needs|get|want|use|which|each) ones?\b(?! of)")
# A pronoun standing for a person or thing named earlier.
PERSON_PRONOUN = _rx(r"\b(she|he|her|him|his|hers|shes|hes|shed|hed|herself|himself)\b")
GROUP_PRONOUN = _rx(r"\b(they|them|their|theirs|theyre|theyve|theyd|theyll|themselves)\b")  # people or things
THING_PRONOUN = _rx(r"\b(it|its|itll|that|thats|this|those|these)\b")
# "that" joining a clause ("told me that", "is it true that") and "it" that stands for nothing ("is it ok to").
JOINING_THAT = _rx(r"\b(said|say|says|told|tell|tells|telling|think|thought|know|knew|mean|means|sure|worried"
                   r"|concerned|aware|clear|feel|felt|believe|suspect|suspected|heard|hear|found|shows?|given|now"
                   r"|so|such|fact|information|info|data|anything|something|everything|someone|anyone|child|pupil"
                   r"|person|records?|details|evidence|concerns?|agency|agencies|way|ensure|check|confirm|realise"
                   r"|realize|seems|appears|assume|decided|agree|agreed|explain|explained|stated|states|suggest"
                   r"|suggests|except|unless|than|like|until|in case|provided|providing|true|right|wrong|ok|okay"
                   r"|fair|possible|likely|legal|lawful|case|fine|all|not) (that|this)\b")
THAT_CLAUSE = _rx(r"\bthat (?=(i|im|id|ive|we|were|weve|you|he|hes|she|shes|they|theyre|it|its|there|theres|the|a"
                  r"|an|my|our|his|her|their|this|these|those|no|nobody|someone|anyone|all|every)\b)")
EXPLETIVE = _rx(r"\b(is|was|would|will|isnt|wasnt|would it be|is it not|it|itll|its|it would be|it is|it was)"
                r"(\s+it)?\s+(\w+\s+)?(true|right|wrong|ok|okay|alright|fine|legal|lawful|illegal|unlawful|possible"
                r"|allowed|acceptable|appropriate|necessary|required|mandatory|compulsory|enough|best|better|good"
                r"|bad|safe|reasonable|proportionate|worth|normal|usual|advisable|sensible|wise|up to|down to"
                r"|a breach|an offence|likely|too late|urgent|important|essential|my (job|call|decision)"
                r"|our (job|call|decision)|my responsibility|our responsibility)\b|\bit (depends|matters?)\b"
                r"|\bdoes it matter\b|\bmake it (clear|known)\b")
# A person the question itself names, so a later "she" or "they" has someone to stand for.
PERSON = _rx(r"\b(child(ren)?|kids?|girls?|boys?|sons?|daughters?|pupils?|students?|learners?|teen(ager)?s?"
             r"|young (person|people)|babys?|babies|toddlers?|infants?|mums?|moms?|mothers?|dads?|fathers?"
             r"|parents?|carers?|step ?(dad|mum|father|mother)s?|(boy|girl)friends?|partners?|husbands?|wi(fe|ves)"
             r"|uncles?|aunts?|nan|gran\w*|grandparents?|brothers?|sisters?|siblings?|famil(y|ies)|wom[ae]n|m[ae]n"
             r"|lady|ladies|person|people|individuals?|adults?|patients?|clients?|service users?|victims?"
             r"|perpetrators?|offenders?|officers?|police|social workers?|sw|teachers?|colleagues?|staff|workers?"
             r"|nurses?|gps?|doctors?|midwi(fe|ves)|health visitors?|dsl|lado|someone|anyone|somebody|friends?"
             r"|neighbou?rs?|couples?|applicants?|\d+ ?(yo|y/o|yr|yrs|year|years)( ?-? ?olds?)?|yr ?\d+|year ?\d+"
             r"|schools?|councils?|agenc(y|ies)|trusts?|authorit(y|ies)|la|icb|nhs|mash|services?|teams?"
             r"|organisations?|charit(y|ies)|hospitals?|practices?|surger(y|ies))\b|(?<![\w)])\(\d{1,2}\)")
# Things that "it" or "they" can stand for, named in the question itself.
THING = _rx(r"\b(info(rmation)?|data|records?|files?|details|reports?|referrals?|cases?|concerns?|worr(y|ies)"
            r"|disclosures?|consent|requests?|laws?|acts?|duty|duties|schemes?|sections?|rules?|conditions?"
            r"|basis|bases|principles?|notes?|documents?|policy|policies|decisions?|forms?|emails?|letters?"
            r"|attendance|history|evidence|things?|questions?|answers?|advice|allegations?|assessments?|plans?"
            r"|secrets?|drugs?|injur(y|ies)|bruises?|marks?|messages?|photos?|pictures?|videos?|results?)\b")
# Words that are no antecedent for "it" or "that": what a question is built of, not what it is about.
FUNCTION = frozenset("""i we you me us my our your im ive id were weve wed do does did doing done can could should would
    will shall may might must need needs have has had having is are was were be been being am to the a an and or but
    so if then than what whats who whos how when where why which put get got getting tell told share sharing shared
    give send make take keep let say said know think want use ask still just actually really also even not no yes ok
    okay any anything all about of in on for with at by from up out there here into over after before under without
    this that it its these those they them their she he her him his one some more much very too as again only
    tho though yet anyway else like way right going go gonna wanna dont cant wont isnt arent doesnt didnt shouldnt
    wouldnt couldnt havent hasnt""".split())
# A situation told as new: someone introduced with "a"/"an", "one of our", or a school year.
INTRO = _rx(r"\b(a|an|one of (my|our|the)|another|i have a|ive got a|weve got a|we have a|theres a)\s+"
            r"(\d+ ?-? ?(yo|y/o|yr|yrs|year|years|month|months|week|weeks)|yr ?\d+|year ?\d+|young|teenage|little|new"
            r"|pupil|student|child|kid|girl|boy|baby|toddler|teen|mum|mom|dad|mother|father|parent|family|woman"
            r"|man|lady|patient|client|learner|sibling|foster|looked|care leaver|lad|lass|pregnant)"
            r"|^(\w+ ){0,4}(yr|year) ?\d+ (girl|boy|pupil|student|child|kid|told|said|has|is|disclosed|keeps|came)\b"
            r"|^(a|an) \d+\b")
# Describes a particular case (not the law in general): a disclosure, my pupil, someone doing something; an age
# counts when the practitioner is in it ("a 15 yr old told me", "can i share a 14 year olds...").
CASE = _rx(r"\b(told|tells|telling) (me|us|her|him|my|our|a)\b|\bdisclos(ed|ing) (to me|to us|that|her|his|abuse)"
           r"|\bconfided\b|\bcame to me\b|\bon (my|our) (caseload|books|list)\b|\bone of (my|our)\b"
           r"|\b(my|our) (pupil|student|patient|client|child|kid|young person|service user|caseload|learner|class"
           r"|family|families|foster)s?\b|\b(worried|concerned|concerns?|worry|gut feeling) about (a|my|our|one|this"
           r"|the|her|his)\b|\b(mum|mom|dad|mother|father|step ?(dad|mum|father|mother)|(boy|girl)friend|partner|uncle"
           r"|brother|sister|parent|carer|baby|toddler|girl|boy|kid|child|pupil|teen|lad)s? (\w+ ){0,2}(hits?|hitting"
           r"|hurt|hurts|touched|abus\w*|drinks|drinking|drunk|uses|using|refused|refuses|said|says|told|keeps|came"
           r"|went|ran|is missing|bruis\w*|injur\w*|is pregnant|self.?harm\w*|is scared|smells?|smacked|shouted"
           r"|threaten\w*|kicked|grabbed|collapsed|begged)\b")
AGE = _rx(r"\b\d+ ?-? ?(yo|y/o|yr|yrs|year|years|month|months|week|weeks)( ?-? ?olds?)?\b|(?<![\w)])\(\d{1,2}\)"
          r"|\b(yr|year) ?\d+\b")
# Someone in the case named as already known ("the child", "mum", "the parents").
CASE_PERSON = _rx(r"\b(the|this|that|her|his|their) (child|kid|girl|boy|baby|pupil|student|young person|family"
                  r"|parents?|mum|dad|mother|father|carer|step ?(dad|mum|father|mother)|(boy|girl)friend|partner"
                  r"|uncle|aunt|brother|sister|sibling|nan|grandparents?)s?\b|\b(mum|dad|mums|dads)\b")
# A question about the law or the guidance in general: what something is, means, or says.
DEFINITIONAL = _rx(r"^(so )?(what|whats|what is|what are|what was|what were|what counts|what does|what do|what did"
                   r"|define|explain|meaning of|tell me about|how does|when (did|does|do|was|is)|who (are|is|can)"
                   r"|where (does|is)|which|is there|are there|does the|do the|can the|can a|can an|does a|is a)\b")
FIRST_PERSON = _rx(r"\b(i|we|me|us|my|our|im|ive|were|weve|id|wed)\b")
OPENING_FIRST_PERSON = _rx(r"^(\S+ ){0,2}(i|we|me|us|im|ive|were|weve)\b")
WORD = re.compile(r"[a-z0-9]+")
CLAUSE_BEFORE = _rx(r"^(\S+ ){3,}\S*([.!?;:,]| -| –)")  # a clause of its own before a "that" or "it"


@dataclass(frozen=True)
class _Words:
    """What one question says, read once (cached: a conversation re-reads its earlier turns)."""

    text: str
    words: int
    content_words: int  # words that are not function words: what a question has of its own to say
    subjects: frozenset[str]
    recipients: frozenset[str]
    new_case: bool  # says it is new, or the practitioner introduces themselves as at the start of a case
    reuse: bool
    leans: str  # why it leans back ("" if it does not)
    refers_to_person: bool  # a pronoun for someone the question does not name
    intro: bool  # introduces someone new
    case: bool  # describes a particular case
    definitional: bool  # asks what something is, means or says
    first_person: bool
    case_person: bool  # names someone as already known ("the child", "mum")
    hypothetical: bool


def _unresolved(text: str, pronouns: re.Pattern, anchors: Sequence[re.Pattern], content: bool = False) -> str:
    """A pronoun with nothing named before it in the question that it could stand for ("" if none): only the
    first pronoun can be one, as whatever is named before it is named before the rest. With `content`, any word
    that is not a function word counts as something named."""
    m = pronouns.search(text)
    if m is None:
        return ""
    named = [a.search(text, 0, m.start()) for a in anchors]
    if any(named) or (content and CLAUSE_BEFORE.search(text, 0, m.start())):  # "dad said no. does that mean..."
        return ""
    if content and any(w not in FUNCTION and len(w) > 2 and not PERSON.fullmatch(w)
                       for w in WORD.findall(text, 0, m.start())):
        return ""
    return m.group(0)


@lru_cache(maxsize=1024)
def _read(question: str) -> _Words:
    text = _norm(question)
    n = len(WORD.findall(text))
    subjects = frozenset(k for k, p in SUBJECTS.items() if p.search(text))
    recipients = frozenset(k for k, p in RECIPIENTS.items() if p.search(text))
    # "it" and "that" that stand for nothing, gone ("is it true that..." keeps "is it true" for EXPLETIVE)
    plain = EXPLETIVE.sub(" ", THAT_CLAUSE.sub("", JOINING_THAT.sub(lambda m: m.group(1), text)))
    person = _unresolved(text, PERSON_PRONOUN, [PERSON]) or _unresolved(text, GROUP_PRONOUN, [PERSON, THING])
    leans = ""
    if REUSE.search(text):
        leans = "asks the previous question again"
    elif m := OPENER.match(text):
        leans = f"opens with “{m.group(0)}”"
    elif (m := TRAILING.search(text)) and (n <= 10 or not subjects):
        leans = f"ends with “{m.group(1)}”"
    elif m := BACK_REF.search(plain):
        leans = f"refers back (“{m.group(0)}”)"
    elif person:
        leans = f"“{person}” stands for someone named earlier"
    elif thing := _unresolved(plain, THING_PRONOUN, [THING, *(SUBJECTS[k] for k in subjects)], content=True):
        leans = f"“{thing}” stands for something said earlier"
    first_person = bool(FIRST_PERSON.search(text))
    intro = bool(INTRO.search(text))
    content = sum(1 for w in WORD.findall(text) if w not in FUNCTION and len(w) > 2)
    return _Words(text=text, words=n, content_words=content, subjects=subjects, recipients=recipients,
                  new_case=bool(NEW_CASE.search(text) or ROLE_INTRO.search(text)), reuse=bool(REUSE.search(text)),
                  leans=leans, refers_to_person=bool(person), intro=intro,
                  case=bool(CASE.search(text) or (AGE.search(text) and first_person)),
                  definitional=bool(DEFINITIONAL.match(text)) and not OPENING_FIRST_PERSON.match(text),
                  first_person=first_person, case_person=bool(CASE_PERSON.search(text)),
                  hypothetical=bool(HYPOTHETICAL.match(text)))


# ---- one question against the conversation -------------------------------------------------------------------

@dataclass(frozen=True)
class _Thread:
    """The run of turns a question can follow: a topic and its follow-ups."""

    turns: tuple[int, ...]  # indices in the history, oldest first
    subjects: frozenset[str]
    recipients: frozenset[str]


@dataclass(frozen=True)
class _State:
    """The conversation so far: the thread the next question would follow, and the case still open (the turns
    that told it and followed it up), which an aside about the law leaves open."""

    thread: _Thread
    case: tuple[int, ...] = ()


def _listed(names: frozenset[str]) -> str:
    return ", ".join(sorted(names))


def _decide(q: _Words, thread: _Thread, case_open: bool) -> tuple[bool, float, bool, str]:
    """(is_follow_up, weight, carries_facts, reason) for a question after a thread (in a case, if one is open)."""
    new_subjects = q.subjects - thread.subjects
    new_recipients = q.recipients - thread.recipients
    if q.reuse:
        if q.intro or q.new_case:
            return True, FULL, False, "asks the previous question again, about a new case"
        return True, FULL, True, "asks the previous question again"
    if q.new_case:
        return False, 0.0, False, "starts a new case or topic"
    new_story = q.intro and q.case  # someone new, and what happened to them
    about_case = case_open and not q.definitional and not q.intro and (q.refers_to_person or q.first_person
                                                                       or q.case_person or bool(q.leans))
    if new_subjects:
        named = _listed(new_subjects)
        if about_case:
            return True, LIGHT, True, f"asks about {named} for the same case"
        return False, 0.0, False, f"names its own subject ({named}), not the previous question's"
    if q.leans and (not new_story or q.hypothetical or q.refers_to_person):
        return True, FULL, True, q.leans
    if new_story:
        return False, 0.0, False, "tells a new case"
    if q.definitional and not q.subjects and thread.subjects and q.words <= SHORT + 4:
        # "who can apply for a disclosure?" after "what is Clare's Law?": a short question about the guidance that
        # names no subject of its own is about the subject just asked about.
        return True, FULL, True, f"asks more about {_listed(thread.subjects)}"
    if q.definitional and (q.subjects or q.content_words >= 2):
        return False, 0.0, False, "a self-contained question about the guidance"
    if about_case:
        weight = FULL if q.words <= SHORT and not new_recipients else LIGHT
        return True, weight, True, "a question about the same case"
    if q.words <= SHORT and not q.subjects:
        return True, FULL, True, "too short to stand on its own"
    return False, 0.0, False, "a self-contained question"


def _step(state: _State | None, i: int, q: _Words) -> _State:
    """The conversation after one more earlier turn. A turn that carries the facts continues the thread (and the
    case, unless the thread is an aside); any other starts a thread: a new case if it tells one or says it is
    new, else an aside about the law that leaves the case open."""
    fresh = _Thread((i,), q.subjects, q.recipients)
    if state is None:
        return _State(fresh, (i,) if q.case else ())
    thread = state.thread
    carries = _decide(q, thread, bool(state.case))[2]
    if carries:
        more = _Thread((*thread.turns, i), thread.subjects | q.subjects, thread.recipients | q.recipients)
        in_case = bool(state.case) and thread.turns[0] in state.case
        case = (*state.case, i) if in_case or (not state.case and q.case) else state.case
        return _State(more, case)
    if q.case or q.new_case:
        return _State(fresh, (i,) if q.case else ())
    return _State(fresh, state.case)


def read_follow_up(question: object, history: Sequence[object] = ()) -> FollowUp:
    """Whether `question` is a follow-up to the conversation `history` (earlier questions, oldest first), how much
    of the previous question retrieval should carry, and whether the earlier case's facts stay (and from which
    earlier questions: `FollowUp.thread`). Never raises: anything that is not text is read as its `str`."""
    turns = [str(h) for h in history if str(h).strip()]
    if not turns:
        return FollowUp(False, 0.0, False, "the first question")
    state: _State | None = None
    for i, turn in enumerate(turns):
        state = _step(state, i, _read(turn))
    assert state is not None
    follow, weight, facts, reason = _decide(_read(str(question)), state.thread, bool(state.case))
    carried = sorted({*state.case, *state.thread.turns}) if facts else []
    return FollowUp(follow, weight, facts, reason, tuple(turns[n] for n in carried))
