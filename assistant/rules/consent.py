"""The CONSENT flag (rules-spec §3): is valid consent available as the authority for this sharing? UK GDPR
Art 6(1)(a) and Art 9(2)(a), and authorisation at common law. The rules are evaluated in the order they are
declared here (exceptions before the rules they override); the first that gives a status decides."""

from __future__ import annotations

from .facts import CONSENT_GIVEN, CONSENT_REFUSED, CONSENT_UNAVAILABLE, Derived, Facts
from .law import A4, A6, A7, A9, P18, S8, S208
from .registry import Hit, Miss, Outcome, fallback, rule

Q_EXPLICIT = "Was consent given in a clear statement that names the sensitive information (explicit consent)?"
Q_SAFE = ("Can consent be sought safely? If not, which reason applies: it cannot be given, it cannot reasonably be "
          "obtained, seeking it would put the child at risk, or seeking it would prejudice an investigation?")


@rule("R-C0", "Not personal data: consent not needed", "consent", [A6])
def c0(f: Facts, d: Derived) -> Outcome:
    """Data protection consent only concerns personal data."""
    if f.get("personal_data") is False:
        return Hit("not_needed", "The information does not identify a living person, so consent is not needed.")
    return Miss("personal_data is not 'no'")


@rule("R-C9", "Consent status unknown", "consent", [A6, A7])
def c9(f: Facts, d: Derived) -> Outcome:
    """Without knowing whether consent was sought, the consent route cannot be assessed."""
    if f.get("consent_status") is None:
        return Hit("undetermined", "It is not known whether consent was sought or given.",
                   ask=(f.ask("consent_status"),))
    return Miss("consent_status is known")


@rule("R-C4", "Consent from the alleged source of harm cannot be relied on", "consent", [A7, A4],
      ["The child's interests must be the overriding consideration in making any such decisions."], overrides=["R-C1"])
def c4(f: Facts, d: Derived) -> Outcome:
    """Consent given by a person with parental responsibility who is the alleged source of harm."""
    if f.get("consent_status") in CONSENT_GIVEN and f.get("consenter_is_alleged_source_of_harm") is True:
        return Hit("does_not_apply", "Consent came from the person alleged to be the source of harm; their interests "
                   "conflict with the child's, so it cannot be relied on.", judgement=("J8",))
    return Miss("consent not given by the alleged source of harm")


@rule("R-C2", "Special category data needs explicit consent", "consent", [A9],
      ["Similarly, there will not be a breach of confidence where there is explicit consent to the sharing."])
def c2(f: Facts, d: Derived) -> Outcome:
    """Art 9(2)(a) requires explicit consent for health, ethnicity, religion, sex life and the other special
    categories."""
    if f.get("consent_status") not in CONSENT_GIVEN or d.special is not True:
        return Miss("no special category data, or consent not given")
    explicit = (f.get("consent_quality") or {}).get("explicit")
    if f.get("consent_status") == "given_explicit":
        explicit = True if explicit is None else explicit
    if explicit is not True:
        return Hit("undetermined", "Consent was given, but special category data needs explicit consent (UK GDPR "
                   "Art 9(2)(a)) and it is not recorded as explicit.", ask=(Q_EXPLICIT,))
    return Miss("consent explicit")


@rule("R-C3", "Quality of the consent not known", "consent", [A7, A4],
      ["The UK GDPR sets a high standard for consent to share information, and requires that it must be specific, time "
       "limited and able to be withdrawn."])
def c3(f: Facts, d: Derived) -> Outcome:
    """Consent must be informed, freely given, specific and unambiguous (UK GDPR Art 4(11), Art 7)."""
    if f.get("consent_status") in CONSENT_GIVEN and d.consent_valid is None:
        return Hit("undetermined", "Consent was given, but whether it was informed, free, specific and unambiguous "
                   "is not known.", ask=(f.ask("consent_quality"),), judgement=("J8",))
    return Miss("consent not given, or its quality known")


@rule("R-C5", "A competent child's own agreement is needed", "consent", [S208, A7])
def c5(f: Facts, d: Derived) -> Outcome:
    """Where the data subject is a competent child, a parent's consent is no substitute for the child's."""
    if f.get("consent_status") in CONSENT_GIVEN and f.get("capacity_or_competence") == "child_competent" \
            and f.get("data_subject_role") == "child" \
            and (f.get("consent_quality") or {}).get("consented_by") not in (None, "data_subject"):
        return Hit("undetermined", "The child is competent, so the child's own agreement is needed, not only a "
                   "parent's. (In Scotland a child of 12 or over is presumed capable: DPA 2018 s.208.)",
                   ask=("Has the child (who is competent) agreed?",), judgement=("J6",))
    return Miss("not a competent child consented for by someone else")


@rule("R-C1", "Valid consent", "consent", [A6, A7, A9],
      ["Consent is one lawful basis for processing information, but there are five others. You must always choose the "
       "lawful basis that most closely reflects the true nature of your relationship with the individual and the "
       "purpose of the processing.",
       "The legal bases that may be appropriate for sharing data in these circumstances could be 'legal obligation' or "
       "'public task' which includes performance of a task in the public interest or the exercise of official "
       "authority."])
def c1(f: Facts, d: Derived) -> Outcome:
    """Consent given and valid (explicit, where special category data is involved)."""
    if f.get("consent_status") not in CONSENT_GIVEN:
        return Miss("consent_status is not given")
    if d.consent_valid is True:
        advice = ""
        if Derived.of(f.for_wording()).threshold is True:
            advice = (" But you would share even if consent were refused, so consent is not the right Article 6 basis: "
                      "rely on public task or legal obligation and treat the agreement as transparency and good "
                      "practice.")
        # Legal note: the quoted guidance says consent is one basis "but there are five others"; since the
        # Data (Use and Access) Act 2025 added Article 6(1)(ea) there are six.
        return Hit("applies", "Valid consent has been given for this sharing." + advice +
                   " (The guidance predates Article 6(1)(ea): there are now six lawful bases besides consent.)",
                   judgement=("J8",))
    return Hit("does_not_apply", "Consent was given but is not valid (not informed, free, specific or unambiguous, "
               "or given by someone who cannot consent).", judgement=("J6", "J8"))


@rule("R-C6", "Consent refused or withdrawn", "consent", [A7],
      ["Therefore, where you have a concern about a child or young person, you should not regard refusal of consent as "
       "necessarily precluding the sharing of confidential information."])
def c6(f: Facts, d: Derived) -> Outcome:
    """A refusal means consent is not available; the public interest and Schedule 1 routes are then examined."""
    if f.get("consent_status") in CONSENT_REFUSED:
        w = f.for_wording()
        competence = w.get("capacity_or_competence") in ("child_competent", "child_not_competent", "lacks_capacity") \
            or w.get("data_subject_role") == "child"
        return Hit("does_not_apply", "Consent was refused or withdrawn. That does not by itself stop sharing: see "
                   "the public interest and Schedule 1 results. Withdrawal does not make earlier consented sharing "
                   "unlawful.",
                   judgement=("J6",) if competence else ())
    return Miss("consent_status is not refused or withdrawn")


@rule("R-C7", "Consent not available (cannot be given, cannot reasonably be obtained, or seeking it would cause harm)",
      "consent", [P18, A7],
      ["There may be some circumstances where it is not appropriate to seek consent, because the individual cannot "
       "give consent, or it is not reasonable to obtain consent, or because to gain consent would put a child’s or "
       "young person’s safety at risk.",
       "While, in general, you should seek to discuss any concerns with the family and, where possible, seek their "
       "agreement to making referrals to children's social care, this should only be done where such discussion and "
       "agreement-seeking will not place a child at increased risk of suffering significant harm or lead to "
       "interference with any potential investigation."])
def c7(f: Facts, d: Derived) -> Outcome:
    """Consent cannot be used; the reason is carried to the Schedule 1 para 18(2) analysis and the record."""
    status = f.get("consent_status")
    if status in CONSENT_UNAVAILABLE:
        words = {"cannot_be_given": "consent cannot be given",
                 "cannot_reasonably_be_obtained": "consent cannot reasonably be obtained",
                 "seeking_would_increase_risk_to_child": "seeking consent would put the child at increased risk",
                 "seeking_would_prejudice_protection": "seeking consent would prejudice the child's protection",
                 "seeking_would_prejudice_crime_investigation":
                     "seeking consent would prejudice a crime investigation"}[status]
        harmful = status.startswith("seeking_would")
        return Hit("does_not_apply", f"Consent is not available: {words}." +
                   (" Do not seek consent where doing so would increase risk or interfere with an investigation."
                    if harmful else ""),
                   judgement=("J7",) if harmful else (("J6",) if status == "cannot_be_given" else ()))
    if status == "not_sought" and f.get("emergency") is True:
        return Hit("does_not_apply", "Emergency: do not delay sharing to seek consent.")
    return Miss("consent_status is not one of the 'consent not available' reasons")


@rule("R-C10", "Consent not needed: another lawful basis applies", "consent", [A6, S8],
      ["It is not necessary to seek consent to share information for the purposes of safeguarding and promoting the "
       "welfare of a child, providing there is a lawful basis for the sharing."],
      overrides=["R-C8"])
def c10(f: Facts, d: Derived) -> Outcome:
    """Consent not sought, and the significant-harm threshold (or a mandatory request) means sharing does not
    depend on it."""
    if f.get("consent_status") == "not_sought" and d.threshold is True:
        return Hit("not_needed", "Consent is not needed: the threshold for sharing without consent is met, so another "
                   "lawful basis applies. Being open with the family (where safe) is still good practice.")
    return Miss("consent sought, or threshold not met")


@rule("R-C8", "Consent not yet sought", "consent", [A6, A7],
      ["Seeking consent should be the first option, if appropriate.",
       "All practitioners should aim to gain consent to share information but should be mindful of situations where to "
       "do so would place a child at increased risk of harm."])
def c8(f: Facts, d: Derived) -> Outcome:
    """Below the threshold, consent should normally be sought first."""
    if f.get("consent_status") == "not_sought":
        ask = [Q_SAFE]
        if d.threshold is None:
            ask.append("What best describes your concern: evidence or reasonable cause to believe significant harm, "
                       "serious harm to an adult, serious crime, or none of these?")
        return Hit("undetermined", "Consent has not been sought and the threshold for sharing without it is not "
                   "established: seek consent first unless it is unsafe or inappropriate.", ask=tuple(ask),
                   judgement=("J7",))
    return Miss("consent_status is not not_sought")


fallback("consent", "The consent facts entered do not settle this.")
