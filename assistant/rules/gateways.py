"""Statutory gateways (rules-spec §5.6): whether a provision of law gives a power or duty to share on the
facts. They can displace confidence or point to an Article 6 basis; they never replace the data protection
analysis. Every gateway rule is evaluated, before the three flags; `KEYS` names each in the result."""

from __future__ import annotations

from .facts import Derived, Facts
from .law import CA04_14B, CA04_16E, CA04_16H, CA89_17, CA89_47, CDA115, CWSA4, CWSA78, DAA77, HRA8, PCSC16, PCSC17
from .registry import Hit, Miss, Outcome, rule

S16_PARTIES = ("police", "local_policing_body", "school", "probation_yot", "la_childrens_social_care",
               "la_adult_social_care", "health")


@rule("R-GW-115", "Crime and Disorder Act 1998 s.115: power to disclose to a relevant authority", "gateways", [CDA115],
      ["This section puts beyond doubt the power of any organisation to disclose information to Police authorities, "
       "local authorities, Probation Provider, Health Authorities, or to persons acting on their behalf, so long as "
       "such disclosure is necessary or expedient for the purposes of crime prevention."])
def gw115(f: Facts, d: Derived) -> Outcome:
    """A power (not a duty) to disclose to police, local authorities and others for the purposes of the Act."""
    if f.get("recipient") in ("police", "la_childrens_social_care", "la_adult_social_care", "probation_yot") \
            and (f.get("purpose") == "crime_prevention" or f.get("crime_purpose") in ("serious_crime", "other_crime")):
        return Hit("available", "s.115 gives a power to disclose to a relevant authority where necessary or expedient "
                   "for the purposes of the Act. It is a power, not a duty, and does not by itself supply an Article "
                   "6/9 "
                   "basis or set aside confidentiality.", judgement=("J10",), uncertainty=("U-5",))
    return Miss("recipient is not a relevant authority for a crime purpose")


@rule("R-GW-16", "PCSC Act 2022 s.16: Serious Violence Duty disclosure", "gateways", [PCSC16],
      ["Personal information may be disclosed under section 16 by specified authorities (with the exception of health "
       "or social care authorities), local policing bodies (PCCs or equivalents), educational, prison and youth "
       "custody authorities.",
       "The powers permit requests to be made for sharing information, or for information to be shared pro-actively, "
       "but do not oblige any specified authority to share information (either pro-actively or following a request)."])
def gw16(f: Facts, d: Derived) -> Outcome:
    """Permits disclosure between specified authorities for Serious Violence Duty functions; s.16(4) limits it."""
    if f.get("request_basis") != "s16_PCSC" and f.get("purpose") != "serious_violence_duty":
        return Miss("not a Serious Violence Duty disclosure")
    if f.get("patient_information") is True or (f.get("sharer_is_health_or_social_care_authority") is True
                                                 and f.get("personal_data") is not False):
        return Hit("does_not_apply", "s.16 does not authorise this: it excludes patient information (s.16(4)(a)) and "
                   "personal information from a health or social care authority (s.16(4)(b)).", judgement=("J10",))
    if f.get("recipient") in S16_PARTIES and f.get("patient_information") is False \
            and f.get("sharer_is_health_or_social_care_authority") is False:
        return Hit("available", "s.16 permits the disclosure for the recipient's Serious Violence Duty functions; it "
                   "does not breach confidence (s.16(3)) but must not contravene data protection law (s.16(4)(c)). It "
                   "is "
                   "a power: it does not oblige you to share.", judgement=("J10",))
    return Hit("undetermined", "Whether s.16 covers this depends on facts not given.",
               ask=(f.ask("patient_information"), f.ask("sharer_is_health_or_social_care_authority")),
               judgement=("J10",))


@rule("R-GW-17", "PCSC Act 2022 s.17: request from a local policing body", "gateways", [PCSC17],
      ["Section 17 Police, Crime, Sentencing and Courts Act 2022 creates a power for local policing bodies (PCCs and "
       "equivalents) to request any specified authority and any educational, prison or youth justice authority within "
       "its police force area to supply it with such information as it may specify for the purpose of its functions "
       "relating to the Serious Violence Duty."])
def gw17(f: Facts, d: Derived) -> Outcome:
    """Whether compliance with a s.17 request is mandatory was not verified (U-6)."""
    if f.get("request_basis") == "s17_PCSC":
        return Hit("undetermined", "Whether you must comply with a s.17 request is not verified; the guidance says the "
                   "powers do not oblige sharing.", ask=("Ask the requester to state the provision and whether "
                                                         "compliance "
                   "is mandatory; can pseudonymised or aggregate data meet the purpose?",),
                   judgement=("J10",), uncertainty=("U-6",))
    return Miss("request_basis is not s17_PCSC")


@rule("R-GW-14B", "Children Act 2004 s.14B request: LSCBs were replaced", "gateways", [CA04_14B, CA04_16E],
      ["Under section 14B of the Children Act 2004, the NEL SCPB can require a person or body to comply with a request "
       "for information."])
def gw14b(f: Facts, d: Derived) -> Outcome:
    """The guidance cites s.14B (Local Safeguarding Children Boards), replaced in England by safeguarding partners."""
    if f.get("request_basis") == "s14B_CA2004" and f.get("jurisdiction") in ("England", None):
        return Hit("undetermined", "Local Safeguarding Children Boards were replaced by safeguarding partner "
                   "arrangements (Children Act 2004 s.16E); ask the requester to confirm the statutory basis (likely "
                   "s.16H).", ask=("Which provision does the requester rely on now (e.g. Children Act 2004 s.16H)?",),
                   uncertainty=("U-7",))
    return Miss("request_basis is not s14B_CA2004 in England")


@rule("R-GW-16H", "Children Act 2004 s.16H request from safeguarding partners", "gateways", [CA04_16H])
def gw16h(f: Facts, d: Derived) -> Outcome:
    """A safeguarding partners' information request; the duty to comply is not verified here (U-7)."""
    if f.get("request_basis") == "s16H_CA2004":
        return Hit("undetermined", "A request from the safeguarding partners: the recipient is believed to be bound to "
                   "comply (Article 6(1)(c)), but the wording of s.16H is not verified here.", uncertainty=("U-7",))
    return Miss("request_basis is not s16H_CA2004")


@rule("R-GW-47", "Children Act 1989 s.47 enquiry", "gateways", [CA89_47],
      ["Agencies requesting information from others should clarify the purpose of seeking the information, and what is "
       "the legal basis of the requests. For example, social workers seeking information should clarify whether they "
       "are acting under Section 17 or Section 47 of the Children Act 1989, or under some other statutory duty."])
def gw47(f: Facts, d: Derived) -> Outcome:
    """A s.47 enquiry means the local authority has reasonable cause to suspect significant harm."""
    if f.get("request_basis") == "s47_CA1989" or f.get("purpose") == "s47_enquiry":
        return Hit("available", "The local authority is making s.47 enquiries, so it has reasonable cause to suspect "
                   "the child is suffering or likely to suffer significant harm. Bodies listed in s.47(11) have a duty "
                   "to assist unless unreasonable (not verified here).", uncertainty=("U-8",))
    return Miss("not a s.47 request")


@rule("R-GW-17CA", "Children Act 1989 s.17 (child in need) request", "gateways", [CA89_17],
      ["Agencies requesting information from others should clarify the purpose of seeking the information, and what is "
       "the legal basis of the requests."])
def gw17ca(f: Facts, d: Derived) -> Outcome:
    """A child in need assessment is not by itself a significant-harm threshold; consent is normally sought."""
    if f.get("request_basis") == "s17_CA1989":
        return Hit("available", "A child in need (s.17) request is not by itself a significant-harm concern: consent "
                   "is normally sought.")
    return Miss("request_basis is not s17_CA1989")


@rule("R-GW-CWSA", "Children's Wellbeing and Schools Act 2026 s.4: new duty to share (not shown to be in force)",
      "gateways", [CWSA4, CWSA78])
def gwcwsa(f: Facts, d: Derived) -> Outcome:
    """A new duty to disclose safeguarding-relevant information, commenced by regulations (s.78(5))."""
    if f.get("jurisdiction") in ("England", None) \
            and f.get("sharer_type") in ("public_authority", "health_professional", "social_work_professional"):
        return Hit("not_in_force", "A new duty to share information relevant to a child's safety or welfare was "
                   "enacted in April 2026 (new section after Children Act 2004 s.16L), but its commencement is not "
                   "verified: treat it as not in force and check.", uncertainty=("U-4",))
    return Miss("not an English statutory body")


@rule("R-GW-privreq-schemes", "Disclosure schemes (Clare's Law, Sarah's Law): a police disclosure to a person at "
      "risk", "gateways", [DAA77, HRA8], overrides=["R-GW-privreq"])
def gw_dvds(f: Facts, d: Derived) -> Outcome:
    """The police disclosing under the Domestic Violence Disclosure Scheme (police common-law powers exercised under
    the Home Office statutory guidance, Domestic Abuse Act 2021 s.77) to a person at risk, or to the person best placed
    to protect them: the scheme is the specific legal basis, so it is no blocked private request. The public interest
    and Schedule 1 are assessed on the facts as usual; the scheme's own tests are the police's judgement (J13)."""
    scheme = f.get("request_basis")
    if scheme not in ("dvds", "csods"):
        return Miss("not a disclosure under the Domestic Violence or the Child Sex Offender Disclosure Scheme")
    if f.get("sharer_type") != "public_authority":
        return Miss("the Domestic Violence Disclosure Scheme is for disclosures by the police")
    if f.get("recipient") not in ("private_individual", "parent_carer"):
        return Miss("not a disclosure to the person at risk or the person best placed to protect them")
    name = "Domestic Violence Disclosure Scheme (Clare's Law)" if scheme == "dvds" else \
        "Child Sex Offender Disclosure Scheme (Sarah's Law)"
    return Hit("available", f"{name}: the police may disclose to the person at risk (or the person best placed to "
               "protect them) under their common-law powers and the Home Office guidance. The scheme is the legal "
               "basis for the disclosure; whether it is lawful, necessary and proportionate is decided by the police "
               "with the multi-agency forum, and data protection law still applies.", judgement=("J13", "J3"))


# The key of each gateway in the `gateways` object of the result.
KEYS = {"R-GW-115": "s115_CDA", "R-GW-16": "s16_PCSC", "R-GW-17": "s17_PCSC", "R-GW-14B": "s14B_CA2004",
        "R-GW-16H": "s16H_CA2004", "R-GW-47": "s47_CA1989", "R-GW-17CA": "s17_CA1989", "R-GW-CWSA": "s4_CWSA2026",
        "R-GW-privreq-schemes": "dvds"}
