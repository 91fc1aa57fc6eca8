"""Rules as code: each rule is a function with a stable id, a label, its legal references and the
corpus passages it rests on. Exceptions are separate rules that name the rule they override."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .facts import Facts

LEG = "https://www.legislation.gov.uk"
DPA = f"{LEG}/ukpga/2018/12"


def dpa_s1(n: int) -> str:
    return f"{DPA}/schedule/1/paragraph/{n}"


GDPR = f"{LEG}/eur/2016/679"
REF = {
    "P18": dpa_s1(18), "P19": dpa_s1(19), "P5": dpa_s1(5), "P6": dpa_s1(6), "P10": dpa_s1(10), "P17": dpa_s1(17),
    "P2": dpa_s1(2), "P29": dpa_s1(29), "P30": dpa_s1(30), "P36": dpa_s1(36), "P39": dpa_s1(39), "P41": dpa_s1(41),
    "S8": f"{DPA}/section/8", "S10": f"{DPA}/section/10", "S11": f"{DPA}/section/11", "S208": f"{DPA}/section/208",
    "SCH2P2": f"{DPA}/schedule/2/paragraph/2",
    "A6": f"{GDPR}/article/6", "A7": f"{GDPR}/article/7", "A9": f"{GDPR}/article/9", "A10": f"{GDPR}/article/10",
    "A4": f"{GDPR}/article/4", "ANNEX1": f"{LEG}/ukpga/2025/18/schedule/4",
    "CDA115": f"{LEG}/ukpga/1998/37/section/115", "PCSC16": f"{LEG}/ukpga/2022/32/section/16",
    "PCSC17": f"{LEG}/ukpga/2022/32/section/17", "CA89_47": f"{LEG}/ukpga/1989/41/section/47",
    "CA89_17": f"{LEG}/ukpga/1989/41/section/17", "CA04_16E": f"{LEG}/ukpga/2004/31/section/16E",
    "CA04_16H": f"{LEG}/ukpga/2004/31/section/16H", "CA04_14B": f"{LEG}/ukpga/2004/31/section/14B",
    "CWSA4": f"{LEG}/ukpga/2026/21/section/4/enacted", "CWSA78": f"{LEG}/ukpga/2026/21/section/78/enacted",
    "HRA8": f"{LEG}/ukpga/1998/42/schedule/1",
}

JUDGEMENTS = {
    "J1": "Does what you know amount to reasonable cause to suspect or believe the child is suffering or likely to suffer significant harm?",
    "J2": "Is there reasonable cause to suspect the adult has care and support needs, is at risk, and cannot protect themselves because of those needs?",
    "J3": "Is the sharing necessary, and is what you share proportionate, relevant, accurate, timely and secure?",
    "J4": "Is the processing necessary for reasons of substantial public interest (Sch 1 para 18(1)(d), para 6)?",
    "J5": "Below the threshold: does the public interest in sharing outweigh the duty of confidence and the refusal?",
    "J6": "Does the person have capacity (Mental Capacity Act 2005), or is the child competent, to decide about this sharing?",
    "J7": "Would seeking consent, or telling the family, put the child at increased risk or interfere with an investigation?",
    "J8": "Is the consent genuinely free (power imbalance, fear, coercion)?",
    "J9": "Is the crime 'serious' (likely to cause significant harm to a child or serious harm to an adult)?",
    "J10": "Are the conditions of the statutory gateway met (e.g. 'necessary or expedient for the purposes of' the Crime and Disorder Act 1998; Serious Violence Duty functions)?",
    "J11": "The age is disputed: should the person be treated as a child pending assessment?",
    "J12": "Is each recipient entitled to, and in need of, the information?",
}

UNCERTAINTIES = {
    "U-1": ("Whether Sch 1 para 18 can be relied on after the data subject refuses consent: para 18(2) lists only 'cannot be given', 'cannot reasonably be expected to obtain' and 'would prejudice the protection'. Treated as (2)(c) only where the significant-harm threshold is met.", "your Data Protection Officer and legal services"),
    "U-2": ("The Data (Use and Access) Act 2025 changed DPA s.8 wording and may have renumbered the Article 4 definitions.", "your Data Protection Officer"),
    "U-3": ("Whether UK GDPR Annex 1 (recognised legitimate interests, DUAA 2025 Sch 4) is in force for this decision date: s.70 commenced 5 February 2026, Sch 4 not verified.", "your Data Protection Officer"),
    "U-4": ("Whether the Children's Wellbeing and Schools Act 2026 s.4 duty to share is in force (commencement by regulations, s.78(5)).", "legal services"),
    "U-5": ("The current list of 'relevant authorities' in Crime and Disorder Act 1998 s.115(2), and that s.115 gives a power which does not set aside the duty of confidence.", "legal services"),
    "U-6": ("Whether a local policing body's request under PCSC Act 2022 s.17 must be complied with (the guidance says the powers do not oblige sharing).", "the requester and legal services"),
    "U-7": ("The wording and effect of Children Act 2004 s.16H (safeguarding partners' information requests) and the current status of s.14B.", "legal services"),
    "U-8": ("Which bodies have the Children Act 1989 s.47(9)-(11) duty to assist enquiries.", "legal services"),
    "U-9": ("Whether your organisation is a public authority for UK GDPR Article 6(1) (academies and maintained schools are; independent schools normally are not).", "your Data Protection Officer"),
    "U-10": ("The scope of 'under the control of official authority' (UK GDPR Article 10) for local authorities and schools.", "your Data Protection Officer"),
    "U-13": ("Whether an unborn child is an 'individual' for Sch 1 para 18.", "legal services"),
}


@dataclass(frozen=True)
class Hit:
    """A rule fired. A non-None status decides its flag; otherwise it informs (advice, candidates)."""

    status: str | None = None
    reason: str = ""
    ask: tuple[str, ...] = ()
    judgement: tuple[str, ...] = ()
    uncertainty: tuple[str, ...] = ()
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Miss:
    """A rule did not fire; `why` names the fact or condition that stopped it (for the trace)."""

    why: str


@dataclass(frozen=True)
class Rule:
    id: str
    label: str
    flag: str
    refs: tuple[str, ...]
    quotes: tuple[str, ...]
    overrides: tuple[str, ...]
    doc: str
    fn: Callable[[Facts, dict], Hit | Miss]


RULES: dict[str, Rule] = {}


def rule(rule_id: str, label: str, flag: str, refs: list[str], quotes: list[str] = (), overrides: list[str] = ()):
    """Register a rule. refs are keys of REF (legislation.gov.uk) or full URLs; quotes are verbatim
    corpus passages, checked by the same verification that answers use."""

    def deco(fn):
        if rule_id in RULES:
            raise ValueError(f"duplicate rule id {rule_id}")
        urls = tuple(REF.get(r, r) for r in refs)
        RULES[rule_id] = Rule(rule_id, label, flag, urls, tuple(quotes), tuple(overrides),
                              (fn.__doc__ or "").strip(), fn)
        return fn

    return deco
