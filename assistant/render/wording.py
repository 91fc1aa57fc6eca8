"""The one wording of each flag, status, gateway and record field, shared by every output.

The chat answer, the rules panel, the terminal and the record of decision all take their titles and status words
from here, and a flag always reads as `flag_line(flag)`. No other module spells a status word.
"""

from __future__ import annotations

import re
from typing import Any

from ..types import RECORD_FIELDS, Assumption, Determination, Flag, Gateway, Question, Quote

FLAG_TITLES: dict[str, str] = {"consent": "Consent", "public_interest": "Public interest (duty of confidence)",
                               "schedule_1": "DPA 2018 Schedule 1 condition"}
STATUS_WORDS: dict[str, str] = {"applies": "Applies", "does_not_apply": "Does not apply", "not_needed": "Not needed",
                                "undetermined": "Undetermined: more to ask or judge"}
STATUS_COLOURS: dict[str, str] = {"applies": "#1b7f3b", "does_not_apply": "#b3261e", "not_needed": "#3d5a80",
                                  "undetermined": "#8a5a00"}
# A gateway can also be available, or passed but not yet in force; the shared statuses read as for a flag.
GATEWAY_WORDS: dict[str, str] = {"available": "Available", "not_in_force": "Not in force", **STATUS_WORDS}

RECORD_LABELS: dict[str, str] = {
    "decision": "Decision",
    "what": "What information",
    "with_whom": "With whom",
    "purpose": "For what purpose",
    "article_6": "Lawful basis (UK GDPR Article 6)",
    "condition": "Condition (Article 9 / Schedule 1 / Article 10)",
    "consent": "Consent",
    "public_interest": "Public interest (duty of confidence)",
    "statutory_gateway": "Statutory gateway",
    "family_informed": "Whether the family was told, or why not",
    "reasons": "Reasons, including why it is necessary and proportionate",
    "consulted": "Who was consulted (DSL, Caldicott guardian, DPO)",
    "date": "Date",
}
assert tuple(RECORD_LABELS) == RECORD_FIELDS, "every record field needs a label, in the record's order"

NOT_RECORDED = "Not recorded"
NO_RULES_CHECK = "No rules check was run."
NO_QUOTES = "No guidance was quoted."
NO_ARTICLE_6 = "none suggested on the facts entered"
NO_JUDGEMENTS = "see the rules panel"
QUESTIONS_BELOW = "The questions under the conversation could change this: tap an answer and the check runs again."


def status_word(status: str) -> str:
    """The words for a flag status (a status the wording does not know is shown as it is, never hidden)."""
    return STATUS_WORDS.get(status, status)


def gateway_word(status: str) -> str:
    return GATEWAY_WORDS.get(status, status)


def flag_plain(flag: Flag) -> str:
    """The flag in one plain sentence a teacher can read (the reason, with its codes, if the rules gave none)."""
    return (flag.plain or flag.reason).strip()


def flag_line(flag: Flag) -> str:
    """The one line for a flag everywhere: "Consent: Does not apply. <plain sentence>". The reason, with its rule
    codes and paragraph numbers, goes with the details (the DPO's fold, the indented line in the terminal)."""
    return f"{FLAG_TITLES.get(flag.name, flag.name)}: {status_word(flag.status)}. {flag_plain(flag)}".rstrip()


ASSUMED = "Assumed (change if not)"
RESTS_ON = "Rests on an assumption"


def assumption_line(assumption: Assumption) -> str:
    """An assumption as it is listed: "Assumed (change if not): <why>"."""
    return f"{ASSUMED}: {assumption.why}"


def rests_on(flag: Flag, d: Determination) -> list[str]:
    """The assumptions a flag's status rests on, in words: each assumption's own reason (its fact's name, in
    words, if the determination does not list it)."""
    why = {a.fact: a.why for a in d.assumptions}
    return [why.get(fact) or fact.replace("_", " ") for fact in flag.rests_on]


def value_label(question: Question, value: object) -> str:
    """The choice a value is, in the question's own words ("" if it is none of them)."""
    for option in question.options:
        if option.value == value or (isinstance(value, (set, frozenset)) and option.value == sorted(value)):
            return option.label
    return "" if value is None else str(value)


def current_mark(question: Question) -> str:
    """Where the value in force came from: "(assumed)", "(read from “…”)" or "" (the practitioner's answer)."""
    if question.current is None:
        return ""
    if question.source == "assumed":
        return "(assumed)"
    return f"(read from \u201c{question.source}\u201d)" if question.source else ""


def gateway_line(gateway: Gateway) -> str:
    return f"Gateway {gateway.key}: {gateway_word(gateway.status)}. {gateway.reason}".rstrip()


def short_publisher(publisher: str) -> str:
    """A publisher as a citation names it: its own abbreviation in brackets ("NEL SCP"), else the last part of a
    comma list ("legislation.gov.uk"), else the name itself."""
    m = re.search(r"\(([A-Z][A-Za-z&]*(?: [A-Z][A-Za-z&]*)*)\)", publisher)
    if m and m.group(1).replace(" ", "").isupper():
        return m.group(1)
    bare = re.sub(r"\s*\([^)]*\)", "", publisher).strip()
    return bare.rsplit(", ", 1)[-1].strip() if ", " in bare else bare


def _page(quote: Quote) -> str:
    return f", p. {quote.page}" if quote.page else ""


def citation(quote: Quote) -> str:
    """The full citation of a quote: document title — section path, page (a PDF), and the publisher when the title
    does not already name it (the Source tab, the record)."""
    where = f"{quote.doc_title} — {quote.section}" if quote.section else quote.doc_title
    who = short_publisher(quote.publisher) if quote.publisher else ""
    return where + _page(quote) + (f" ({quote.publisher})" if who and who not in quote.doc_title else "")


# The short name of each source, for the citation under a quote in the answer (the full one is in the Source tab).
SHORT_TITLES: dict[str, str] = {
    "nel-scp-information-sharing": "Information sharing advice",
    "dpa-2018": "Data Protection Act 2018",
    "uk-gdpr-articles": "UK GDPR",
    "uk-gdpr-annex-1": "UK GDPR Annex 1",
    "statutory-gateways": "Statutory gateways",
}


def short_title(doc_id: str, title: str) -> str:
    """A source's short name: the registry's own title without its bracketed or after-the-colon detail."""
    if doc_id in SHORT_TITLES:
        return SHORT_TITLES[doc_id]
    return re.split(r"\s*[(:]", title, maxsplit=1)[0].strip() or title


def short_citation(quote: Quote) -> str:
    """The short citation under a quote in the answer: "Information sharing advice, Golden rules · NEL SCP" (the
    source's short name, the innermost section heading, the page of a PDF, and who issued it, so a partnership's own
    procedure and the national text are told apart at a glance)."""
    section = quote.section.split(" › ")[-1].strip() if quote.section else ""
    name = short_title(quote.doc_id, quote.doc_title)
    who = short_publisher(quote.publisher) if quote.publisher else ""
    return (f"{name}, {section}" if section else name) + _page(quote) + (f" · {who}" if who else "")


# ---- plain words for codes ------------------------------------------------------------------------------------

_LEGAL_WORDS = ((r"\bUK GDPR Art\.? ", "UK GDPR Article "), (r"\bArt\.? (?=\d)", "Article "),
                (r"\bDPA 2018\b", "Data Protection Act 2018"), (r"\bDPA\b", "Data Protection Act 2018"),
                (r"\bCA 1989\b", "Children Act 1989"), (r"\bCA 2004\b", "Children Act 2004"),
                (r"\bHRA 1998\b", "Human Rights Act 1998"), (r"\bPCSC Act 2022\b",
                                                               "Police, Crime, Sentencing and Courts Act 2022"),
                (r"\s*\bSch\.? ?(\d+)\b", r", Schedule \1"), (r"\s*\bPt\.? ?(\d+)\b", r", Part \1"),
                (r"\s*\bparas?\.? ?(?=\d)", ", paragraph "), (r"\s+\bss?\.\s?(?=\d)", ", section "))


def plain_law(label: str) -> str:
    """A law reference as a reader says it: "DPA 2018 Sch 1 para 18" -> "Data Protection Act 2018, Schedule 1,
    paragraph 18"; "UK GDPR Art 6" -> "UK GDPR Article 6". Never an address or a path."""
    text = label.strip()
    if not text or "/" in text and " " not in text:
        return "the law (address in the details)"
    for pattern, words in _LEGAL_WORDS:
        text = re.sub(pattern, words, text)
    return re.sub(r"^,\s*", "", re.sub(r"\s*,\s*,", ",", text)).strip()


# A bracket that holds only legal references or codes ("(Sch 1 para 18(1)(d), para 6)", "(PCSC Act 2022
# s.16(4)(b))"): left out of the plain sentence, kept whole in the DPO's details.
_CODE_BRACKET = re.compile(r"\s*\((?:[^()]|\([^()]*\))*?(?:\bpara\b|\bSch\b|\bArt\b|\bs\.\s?\d|\b[RUJ]-[A-Z0-9]"
                           r"|\b[a-z]+_[a-z_]+\b)(?:[^()]|\([^()]*\))*\)")
_CODE_WORDS = ((re.compile(r"\bpara 18\(2\)"), "paragraph 18(2)"),
               (re.compile(r"\bSch(?:edule)? 1 para (\d+)"), r"Schedule 1, paragraph \1"),
               (re.compile(r"\bpara (\d+)"), r"paragraph \1"))


def plain_sentence(text: str) -> str:
    """A sentence of the rules in plain words for outside the DPO's details: bracketed legal codes left out,
    abbreviations spelt out, snake_case words as words. (Never used on a quote: quotes stay verbatim.)"""
    text = _CODE_BRACKET.sub("", text)
    for pattern, words in _CODE_WORDS:
        text = pattern.sub(words, text)
    text = re.sub(r"\b[RUJ]-[A-Z0-9]+(?:-[A-Za-z0-9]+)*\b:?\s*", "", text)
    return re.sub(r"\b([a-z]+)_([a-z_]+)\b", lambda m: m.group(0).replace("_", " "), text).strip()


# Plain words for a choice where the question's own label would read oddly outside its question.
_CHOICE_WORDS: dict[str, dict[Any, str]] = {
    "recipient": {"la_childrens_social_care": "Children's social care (local authority)",
                  "la_adult_social_care": "Adult social care (local authority)"},
}
UNKNOWN_WORDS = "Not known"


def choice_label(fact: str, value: Any) -> str:
    """A fact's value in plain words, from the vocabulary's wording of its choices (rules/questions.py): never
    the code. A value the wording does not know is its code in words (underscores as spaces)."""
    from ..rules.questions import question_for

    if value is None or value == "unknown":
        return UNKNOWN_WORDS
    if value in ("yes", "no"):
        value = value == "yes"
    if isinstance(value, (set, frozenset, list, tuple)):
        return ", ".join(choice_label(fact, v) for v in sorted(value)) or "None"
    if fact in _CHOICE_WORDS and value in _CHOICE_WORDS[fact]:
        return _CHOICE_WORDS[fact][value]
    try:
        _, options = question_for(fact)
    except KeyError:
        options = ()
    for option in options:
        if option.value == value and not isinstance(option.value, list):
            return option.label
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value).replace("_", " ").capitalize()


CATEGORY_WORDS: dict[str, str] = {
    "ordinary": "ordinary personal information", "health": "health (including mental health)",
    "racial_ethnic_origin": "racial or ethnic origin", "religious_philosophical": "religious or philosophical "
    "beliefs", "political": "political opinions", "trade_union": "trade union membership", "genetic": "genetic "
    "information", "biometric_id": "biometric information", "sex_life": "sex life",
    "sexual_orientation": "sexual orientation", "criminal_offence": "a crime or an allegation of one",
}
_CHOICE_WORDS["data_categories"] = {k: v[0].upper() + v[1:] for k, v in CATEGORY_WORDS.items()}

FACT_NAMES: dict[str, str] = {
    "protected_person_age": "Age of the person to protect", "consent_status": "Consent",
    "child_harm_level": "Concern about harm to the child", "data_categories": "What the information reveals",
    "given_in_confidence": "Told in confidence", "already_public_or_readily_available": "Already public",
    "emergency": "Immediate danger", "informing_would_increase_risk_or_prejudice_investigation":
    "Telling the family would add risk", "purpose": "Purpose of sharing", "recipient": "Who would receive it",
    "sharer_type": "Your organisation", "apd_in_place": "Appropriate policy document in place",
}


def fact_name(name: str) -> str:
    """A fact's name in words."""
    return FACT_NAMES.get(name) or name.replace("_", " ").capitalize()


ROLE_WORDS: dict[str, str] = {"child": "child", "parent_carer": "parent or carer",
                              "alleged_perpetrator": "person suspected of harm", "adult_service_user": "adult",
                              "other_third_party": "other person"}


def role_words(role: str) -> str:
    """Whose information, as it ends "the ...'s own information"."""
    return ROLE_WORDS.get(role) or role.replace("_", " ")


_PARENT = re.compile(r"\b(?:(dad|father|stepdad|stepfather)|(mum|mom|mother|stepmum|stepmother)|(parents))\b", re.I)


def _parents(text: str) -> set[int]:
    return {next(i for i, g in enumerate(m.groups()) if g) for m in _PARENT.finditer(text or "")}


def recipient_words(recipient: Any, said: str = "", question: str = "") -> str:
    """Who would receive it, in words: "Children's social care (local authority)"; a parent or carer as the
    words describe them ("The child's father"), never a name, and only when the question speaks of that one
    parent alone (mum who hurts and dad who would be told: "The child's parent or carer", never the wrong one)."""
    if recipient is None:
        return ""
    if recipient == "parent_carer":
        kinds = _parents(said)
        if len(kinds) == 1 and (not question or _parents(question) == kinds):
            return ("The child's father", "The child's mother", "The child's parents")[kinds.pop()]
        return "The child's parent or carer"
    return choice_label("recipient", recipient)


RECORD_INTRO = ("Golden rule 7: keep a record of your decision and the reasons for it, whether it is to share "
                "information or not. No identifying details are needed in this record.")


def record_footer(version: str) -> str:
    return (f"Prepared with Sharewise {version}. Sharewise quotes the guidance and checks the rules; it does not "
            "make the decision.")


DANGER_CHECK = ("Could someone be in immediate danger? If so, call 999 now, then children's social care. "
                "(The words suggest it may be; answer the first question below.)")


def danger_check(d) -> str:
    """The 999 line shown first when danger is suspected but the words did not settle it (no banner yet)."""
    unsettled = d.emergency is None and any(q.fact == "emergency" for q in d.questions)
    return DANGER_CHECK if d.facts.get("danger_suspected") is True and unsettled else ""
