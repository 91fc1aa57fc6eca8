"""The law the rules cite, written once: each provision as a `LegalRef` (a label a DPO would read and its
legislation.gov.uk address), the judgement points the tool never makes (rules-spec §7, J1-J12) and the
register of open legal points (rules-spec §10, U-n). Plain constants; nothing here runs a rule."""

from __future__ import annotations

from ..types import LegalRef

LEG = "https://www.legislation.gov.uk"
DPA = f"{LEG}/ukpga/2018/12"
GDPR = f"{LEG}/eur/2016/679"


def _sch1(n: int) -> LegalRef:
    return LegalRef(f"DPA 2018 Sch 1 para {n}", f"{DPA}/schedule/1/paragraph/{n}")


# Data Protection Act 2018, Schedule 1 conditions
P2 = _sch1(2)  # Part 1: health or social care purposes
P5 = _sch1(5)  # Part 2: the appropriate policy document
P6 = _sch1(6)  # statutory and government purposes
P10 = _sch1(10)  # preventing or detecting unlawful acts
P17 = _sch1(17)  # counselling
P18 = _sch1(18)  # safeguarding of children and of individuals at risk
P19 = _sch1(19)  # safeguarding of economic well-being of certain individuals
P29 = _sch1(29)  # Part 3: consent
P30 = _sch1(30)  # Part 3: protecting an individual's vital interests
P36 = _sch1(36)  # Part 3: extension of Part 2 conditions
P39 = _sch1(39)  # Part 4: what the appropriate policy document contains
P41 = _sch1(41)  # Part 4: additional record of processing

# Data Protection Act 2018, sections and Schedule 2
S8 = LegalRef("DPA 2018 s.8", f"{DPA}/section/8")
S10 = LegalRef("DPA 2018 s.10", f"{DPA}/section/10")
S11 = LegalRef("DPA 2018 s.11", f"{DPA}/section/11")
S208 = LegalRef("DPA 2018 s.208", f"{DPA}/section/208")
SCH2P2 = LegalRef("DPA 2018 Sch 2 para 2", f"{DPA}/schedule/2/paragraph/2")

# UK GDPR
A4 = LegalRef("UK GDPR Art 4", f"{GDPR}/article/4")
A6 = LegalRef("UK GDPR Art 6", f"{GDPR}/article/6")
A7 = LegalRef("UK GDPR Art 7", f"{GDPR}/article/7")
A9 = LegalRef("UK GDPR Art 9", f"{GDPR}/article/9")
A10 = LegalRef("UK GDPR Art 10", f"{GDPR}/article/10")
ANNEX1 = LegalRef("UK GDPR Annex 1 (Data (Use and Access) Act 2025 Sch 4)", f"{LEG}/ukpga/2025/18/schedule/4")

# Statutory gateways and the duty of confidence
CDA115 = LegalRef("Crime and Disorder Act 1998 s.115", f"{LEG}/ukpga/1998/37/section/115")
PCSC16 = LegalRef("Police, Crime, Sentencing and Courts Act 2022 s.16", f"{LEG}/ukpga/2022/32/section/16")
PCSC17 = LegalRef("Police, Crime, Sentencing and Courts Act 2022 s.17", f"{LEG}/ukpga/2022/32/section/17")
CA89_17 = LegalRef("Children Act 1989 s.17", f"{LEG}/ukpga/1989/41/section/17")
CA89_47 = LegalRef("Children Act 1989 s.47", f"{LEG}/ukpga/1989/41/section/47")
CA04_14B = LegalRef("Children Act 2004 s.14B", f"{LEG}/ukpga/2004/31/section/14B")
CA04_16E = LegalRef("Children Act 2004 s.16E", f"{LEG}/ukpga/2004/31/section/16E")
CA04_16H = LegalRef("Children Act 2004 s.16H", f"{LEG}/ukpga/2004/31/section/16H")
CWSA4 = LegalRef("Children's Wellbeing and Schools Act 2026 s.4 (as enacted)", f"{LEG}/ukpga/2026/21/section/4/enacted")
CWSA78 = LegalRef("Children's Wellbeing and Schools Act 2026 s.78 (as enacted)",
                  f"{LEG}/ukpga/2026/21/section/78/enacted")
DAA77 = LegalRef("Domestic Abuse Act 2021 s.77 (guidance on police disclosure: Domestic Violence Disclosure Scheme)",
                 f"{LEG}/ukpga/2021/17/section/77")
HRA8 = LegalRef("Human Rights Act 1998 Sch 1, Art 8 (private life)", f"{LEG}/ukpga/1998/42/schedule/1")

JUDGEMENTS = {
    "J1": ("Does what you know amount to reasonable cause to suspect or believe the child is suffering or likely to "
           "suffer significant harm?"),
    "J2": ("Is there reasonable cause to suspect the adult has care and support needs, is at risk, and cannot protect"
           " themselves because of those needs?"),
    "J3": ("Is the sharing necessary, and is what you share proportionate, relevant, accurate, timely and secure?"),
    "J4": ("Is the processing necessary for reasons of substantial public interest (Sch 1 para 18(1)(d), para 6)?"),
    "J5": ("Below the threshold: does the public interest in sharing outweigh the duty of confidence and the refusal?"),
    "J6": ("Does the person have capacity (Mental Capacity Act 2005), or is the child competent, to decide about this"
           " sharing?"),
    "J7": ("Would seeking consent, or telling the family, put the child at increased risk or interfere with an "
           "investigation?"),
    "J8": ("Is the consent genuinely free (power imbalance, fear, coercion)?"),
    "J9": ("Is the crime 'serious' (likely to cause significant harm to a child or serious harm to an adult)?"),
    "J10": ("Are the conditions of the statutory gateway met (e.g. 'necessary or expedient for the purposes of' the "
            "Crime and Disorder Act 1998; Serious Violence Duty functions)?"),
    "J11": ("The age is disputed: should the person be treated as a child pending assessment?"),
    "J12": ("Is each recipient entitled to, and in need of, the information?"),
    # Beyond the spec's J1-J12: the scheme's own tests (rules-spec §5.6 R-GW-privreq-schemes).
    "J13": ("Domestic Violence Disclosure Scheme: is the disclosure lawful, necessary and proportionate to protect the "
            "person at risk, as the police decide (with the multi-agency forum) under the Home Office guidance?"),
}

UNCERTAINTIES = {
    "U-1": ("Whether Sch 1 para 18 can be relied on after the data subject refuses consent: para 18(2) lists only "
            "'cannot be given', 'cannot reasonably be expected to obtain' and 'would prejudice the protection'. "
            "Treated as (2)(c) only where the significant-harm threshold is met.",
            "your Data Protection Officer and legal services"),
    "U-2": ("The Data (Use and Access) Act 2025 changed DPA s.8 wording and may have renumbered the Article 4 "
            "definitions.",
            "your Data Protection Officer"),
    "U-3": ("Whether UK GDPR Annex 1 (recognised legitimate interests, DUAA 2025 Sch 4) is in force for this decision"
            " date: s.70 commenced 5 February 2026, Sch 4 not verified.",
            "your Data Protection Officer"),
    "U-4": ("Whether the Children's Wellbeing and Schools Act 2026 s.4 duty to share is in force (commencement by "
            "regulations, s.78(5)).",
            "legal services"),
    "U-5": ("The current list of 'relevant authorities' in Crime and Disorder Act 1998 s.115(2), and that s.115 gives"
            " a power which does not set aside the duty of confidence.",
            "legal services"),
    "U-6": ("Whether a local policing body's request under PCSC Act 2022 s.17 must be complied with (the guidance "
            "says the powers do not oblige sharing).",
            "the requester and legal services"),
    "U-7": ("The wording and effect of Children Act 2004 s.16H (safeguarding partners' information requests) and the "
            "current status of s.14B.",
            "legal services"),
    "U-8": ("Which bodies have the Children Act 1989 s.47(9)-(11) duty to assist enquiries.",
            "legal services"),
    "U-9": ("Whether your organisation is a public authority for UK GDPR Article 6(1) (academies and maintained "
            "schools are; independent schools normally are not).",
            "your Data Protection Officer"),
    "U-10": ("The scope of 'under the control of official authority' (UK GDPR Article 10) for local authorities and "
             "schools.",
             "your Data Protection Officer"),
    "U-13": ("Whether an unborn child is an 'individual' for Sch 1 para 18.",
             "legal services"),
}
