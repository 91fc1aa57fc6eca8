"""The one wording of each flag, status, gateway and record field, shared by every output.

The chat answer, the rules panel, the terminal and the record of decision all take their titles and status words
from here, and a flag always reads as `flag_line(flag)`. No other module spells a status word.
"""

from __future__ import annotations

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


def citation(quote: Quote) -> str:
    """The short citation of a quote: document title — section."""
    return f"{quote.doc_title} — {quote.section}" if quote.section else quote.doc_title


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
