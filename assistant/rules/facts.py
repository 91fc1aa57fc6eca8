"""The facts vocabulary of the rules check (rules-spec §2), its validation (`parse_facts`), the
practitioner's edits (`Edits`) and the facts derived from them (§2.1, `Derived`). Every fact is optional.
A missing fact is unknown, and unknown is never false: a rule that needs it makes its flag `undetermined`
and asks the question given here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import SharewiseError

YES_NO = ("yes", "no")
SPECIAL_CATEGORIES = ("health", "racial_ethnic_origin", "religious_philosophical", "political", "trade_union",
                      "genetic", "biometric_id", "sex_life", "sexual_orientation")
CATEGORIES = ("ordinary",) + SPECIAL_CATEGORIES + ("criminal_offence",)
CONSENT_GIVEN = ("given_explicit", "given_not_explicit")
CONSENT_REFUSED = ("refused", "withdrawn")
CONSENT_UNAVAILABLE = ("cannot_be_given", "cannot_reasonably_be_obtained", "seeking_would_increase_risk_to_child",
                       "seeking_would_prejudice_protection", "seeking_would_prejudice_crime_investigation")
PROTECTIVE_PURPOSES = ("child_protection_referral", "s47_enquiry", "s17_child_in_need", "early_help",
                       "adult_safeguarding_s42", "marac_da", "safeguarding_review")
QUALITY_ITEMS = ("informed", "freely_given", "specific", "unambiguous", "explicit")


class FactsError(SharewiseError):
    """A facts file or mapping uses a fact or value the rules check does not know."""

    exit_code = 2


@dataclass(frozen=True)
class FactSpec:
    id: str
    name: str
    kind: str  # "bool", "enum", "age", "set", "text_or_bool", "quality", "date"
    values: tuple[str, ...] = ()
    ask: str = ""


def _f(fid, name, kind, values=(), ask=""):
    return FactSpec(fid, name, kind, tuple(values), ask)


FACTS: dict[str, FactSpec] = {s.name: s for s in [
    _f("F01", "personal_data", "bool",
       ask="Could the information identify a living person, alone or with other information (name, address, file "
           "number, photo...)?"),
    _f("F02", "data_subject_role", "enum",
       ("child", "parent_carer", "alleged_perpetrator", "adult_service_user", "other_third_party"),
       "Whose information is it (who is it about)?"),
    _f("F03", "protected_person", "enum",
       ("same_as_data_subject", "other_child", "other_adult", "group_of_people", "none"),
       "Who is the sharing intended to protect?"),
    _f("F04", "protected_person_age", "age",
       ask="How old is the person you are trying to protect (today)? Is their age disputed?"),
    _f("F05", "adult_care_support_needs", "bool",
       ask="Do you have reasonable cause to suspect the adult has needs for care and support?"),
    _f("F06", "adult_experiencing_or_at_risk_of_harm", "bool",
       ask="Do you have reasonable cause to suspect the adult is experiencing, or at risk of, neglect or physical, "
           "mental or emotional harm?"),
    _f("F07", "adult_unable_to_protect_self_due_to_needs", "bool",
       ask="Do you have reasonable cause to suspect that, as a result of those needs, the adult is unable to protect "
           "themselves against the neglect or harm or the risk of it?"),
    _f("F08", "capacity_or_competence", "enum",
       ("has_capacity", "lacks_capacity", "child_competent", "child_not_competent"),
       "Does the person have capacity (adult) or sufficient understanding (child) to decide about this sharing?"),
    _f("F09", "data_categories", "set",
       CATEGORIES,
       "Does the information reveal health (incl. mental health, pregnancy, disability, substance dependency), "
       "ethnicity, religion, sexual orientation or sex life, or an alleged/actual offence?"),
    _f("F10a", "sensitive", "bool",
       ask="Is the information of some sensitivity?"),
    _f("F10b", "already_public_or_readily_available", "bool",
       ask="Is it already lawfully in the public domain or readily available from another public source?"),
    _f("F10c", "given_in_confidence", "bool",
       ask="Was it shared with you in a relationship where the person understood it would not be shared with others "
           "(e.g. counselling, clinical)?"),
    _f("F10d", "sharing_within_confider_understanding", "bool",
       ask="Was it given on the understanding it could be shared with this recipient for this purpose?"),
    _f("F11", "consent_status", "enum",
       ("given_explicit", "given_not_explicit", "refused", "withdrawn", "not_sought") + CONSENT_UNAVAILABLE,
       "Has consent been asked for? What was the answer? If not asked, why not?"),
    _f("F12", "consent_quality", "quality",
       ask="Was the person told what, why and with whom? Was it a free choice? Was it for this specific sharing? Who "
           "gave it?"),
    _f("F13", "child_harm_level", "enum",
       ("evidence_significant_harm", "reasonable_cause_significant_harm", "unsure_if_reasonable_cause",
        "child_in_need_or_early_help", "none"),
       "What best describes your concern about the child?"),
    _f("F14", "adult_harm_level", "enum",
       ("clear_risk_serious_harm", "possible_harm", "none"),
       "Is there a clear risk of serious harm to an adult?"),
    _f("F15", "crime_purpose", "enum",
       ("serious_crime", "other_crime", "none"),
       "Is the sharing to prevent, detect or prosecute a crime? Could that crime cause significant harm to a child or"
       " serious harm to an adult?"),
    _f("F16", "emergency", "bool",
       ask="Is someone at immediate risk of death or serious injury?"),
    _f("F17", "purpose", "enum",
       PROTECTIVE_PURPOSES + ("crime_prevention", "serious_violence_duty", "health_social_care_provision",
                              "immigration_or_other"),
       "What is the sharing for?"),
    _f("F18", "sharer_type", "enum",
       ("public_authority", "health_professional", "social_work_professional", "voluntary_or_private_org",
        "independent_school", "private_individual"),
       "Which organisation are you sharing on behalf of?"),
    _f("F19", "sharer_statutory_function", "text_or_bool",
       ask="Is the sharing part of a function given to your organisation by law (e.g. CA 1989 s.47, CA 2004 s.11, "
           "Education Act 2002 s.175, Care Act 2014 s.42)?"),
    _f("F20", "recipient", "enum",
       ("la_childrens_social_care", "la_adult_social_care", "police", "health", "school", "probation_yot",
        "safeguarding_partners", "local_policing_body", "parent_carer", "private_individual", "other"),
       "Who will receive the information?"),
    _f("F21", "request_basis", "enum",
       ("proactive", "s47_CA1989", "s17_CA1989", "s16H_CA2004", "s14B_CA2004", "s17_PCSC", "s16_PCSC", "court_order",
        "police_no_statute", "other_statute", "dvds", "csods"),
       "If you were asked for it, what law did the requester cite?"),
    _f("F22", "apd_in_place", "bool",
       ask="Does your organisation have an appropriate policy document covering DPA 2018 Schedule 1 (ask your DPO)?"),
    _f("F23", "jurisdiction", "enum",
       ("England", "Wales", "Scotland", "Northern Ireland"),
       "Which UK nation are you working in?"),
    _f("F24", "sharer_is_health_or_social_care_authority", "bool",
       ask="Is your organisation a health or social care authority (PCSC Act 2022 s.16(4)(b))?"),
    _f("F25", "patient_information", "bool",
       ask="Is it patient information (PCSC Act 2022 s.16(4)(a))?"),
    _f("F26", "informing_would_increase_risk_or_prejudice_investigation", "bool",
       ask="Would telling the family (or the person) that you are sharing put the child/anyone at risk or interfere "
           "with an investigation?"),
    _f("F27", "decision_date", "date",
       ask="On what date is the decision made?"),
    # Extensions to the spec's vocabulary, for conditions the spec's facts cannot express.
    _f("X01", "consenter_is_alleged_source_of_harm", "bool",
       ask="Is the person who gave consent the alleged source of harm?"),
    _f("X03", "danger_suspected", "bool",
       ask="Could someone be in immediate danger, although the words do not say so plainly?"),
    _f("X02", "economic_wellbeing_at_risk", "bool",
       ask="Is the risk to the person's money, property or other economic well-being?"),
]}


@dataclass(frozen=True)
class Facts:
    """Known facts by name; anything absent is unknown. `sources` holds the words each came from."""

    values: dict[str, Any] = field(default_factory=dict)
    sources: dict[str, str] = field(default_factory=dict)

    def get(self, name: str) -> Any:
        return self.values.get(name)

    def known(self, name: str) -> bool:
        return self.values.get(name) is not None

    def ask(self, name: str) -> str:
        return FACTS[name].ask

    def for_wording(self) -> Facts:
        """The same facts, for reads that only shape a reason's wording or a judgement to list, never a status:
        the fail-safe proof does not count them (rules/failsafe.py)."""
        return Facts(self.values, self.sources)

    def to_json(self) -> dict:
        out = {}
        for name, value in sorted(self.values.items()):
            v = sorted(value) if isinstance(value, (set, frozenset)) else value
            v = v.isoformat() if isinstance(v, dt.date) else v
            out[name] = {"value": v, "from": self.sources[name]} if name in self.sources else {"value": v}
        return out


def _bool(name: str, raw: Any) -> bool | None:
    if raw is None or raw == "unknown":
        return None
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, str) and raw.lower() in ("yes", "true", "no", "false"):
        return raw.lower() in ("yes", "true")
    raise FactsError(f"fact {name!r} must be yes, no or unknown, not {raw!r}")


def parse_facts(mapping: Any, defaults: dict | None = None, where: str = "facts") -> Facts:
    """Validate a `facts:` mapping in the spec's vocabulary. Unknown names or values are errors that
    name the problem; the value `unknown` (or absence) leaves a fact unknown."""
    if mapping is None:
        mapping = {}
    if not isinstance(mapping, dict):
        raise FactsError(f"{where} must be a mapping of fact names to values, not {type(mapping).__name__}")
    merged = {**(defaults or {}), **mapping}
    values: dict[str, Any] = {}
    for name, raw in merged.items():
        spec = FACTS.get(str(name))
        if spec is None:
            close = [n for n in FACTS if n.split("_")[0] == str(name).split("_")[0]]
            hint = f" (did you mean {close[0]!r}?)" if close else ""
            raise FactsError(f"{where}: unknown fact {name!r}{hint}. Known facts: {', '.join(sorted(FACTS))}")
        values[spec.name] = _value(spec, raw, where)
    return Facts({k: v for k, v in values.items() if v is not None})


def _value(spec: FactSpec, raw: Any, where: str) -> Any:
    name = spec.name
    if raw is None or raw == "unknown":
        return None
    if spec.kind == "bool":
        return _bool(name, raw)
    if spec.kind == "enum":
        if raw not in spec.values:
            raise FactsError(f"{where}: {name} = {raw!r} is not one of: {', '.join(spec.values)} (or unknown)")
        return raw
    if spec.kind == "age":
        if raw in ("unborn", "disputed"):
            return raw
        if isinstance(raw, bool) or not isinstance(raw, int) or not 0 <= raw <= 130:
            raise FactsError(f"{where}: protected_person_age must be a whole number of years (0-130), 'unborn', "
                             f"'disputed' or unknown, not {raw!r}")
        return raw
    if spec.kind == "set":
        items = [raw] if isinstance(raw, str) else raw
        if not isinstance(items, (list, tuple, set)):
            raise FactsError(f"{where}: data_categories must be a list, not {raw!r}")
        bad = [i for i in items if i not in spec.values]
        if bad:
            raise FactsError(f"{where}: data_categories has unknown categories {bad}; use: {', '.join(spec.values)}")
        return frozenset(items)
    if spec.kind == "text_or_bool":
        if isinstance(raw, bool) or (isinstance(raw, str) and raw.lower() in ("yes", "no", "true", "false")):
            return "yes" if _bool(name, raw) else False
        if isinstance(raw, str) and raw.strip():
            return raw.strip()
        raise FactsError(f"{where}: sharer_statutory_function must be yes, no, unknown or the function's name")
    if spec.kind == "quality":
        if not isinstance(raw, dict):
            raise FactsError(f"{where}: consent_quality must be a mapping of {', '.join(QUALITY_ITEMS)} and "
                             "consented_by")
        out = {}
        for k, v in raw.items():
            if k in QUALITY_ITEMS:
                out[k] = _bool(f"consent_quality.{k}", v)
            elif k == "consented_by":
                allowed = ("data_subject", "person_with_parental_responsibility", "attorney_or_deputy", "other")
                if v not in allowed and v not in (None, "unknown"):
                    raise FactsError(f"{where}: consent_quality.consented_by must be one of {', '.join(allowed)}")
                out[k] = None if v == "unknown" else v
            else:
                raise FactsError(f"{where}: consent_quality has an unknown item {k!r}")
        return out
    if spec.kind == "date":
        if isinstance(raw, dt.date):
            return raw
        try:
            return dt.date.fromisoformat(str(raw))
        except ValueError:
            raise FactsError(f"{where}: decision_date must be a date like 2026-06-15, not {raw!r}") from None
    raise AssertionError(spec.kind)


@dataclass(frozen=True)
class Edits:
    """Exactly the facts the practitioner changed, and nothing else. Facts read from the words of the
    conversation fill every other fact, so a later message still lands; removing an edit undoes it.
    An edit to None means the practitioner says "not known"."""

    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, mapping: dict | None, where: str = "facts panel") -> Edits:
        """Validate edits given as {fact: value}; `unknown` or None is an edit to "not known"."""
        if mapping is None:
            return cls()
        if not isinstance(mapping, dict):
            raise FactsError(f"{where} must be a mapping of fact names to values, not {type(mapping).__name__}")
        parse_facts({k: "unknown" for k in mapping}, where=where)  # every name must be a known fact, whatever its value
        checked = parse_facts({k: v for k, v in mapping.items() if v not in (None, "unknown")}, where=where)
        out = {str(k): checked.values.get(str(k)) for k in mapping}
        return cls(tuple(sorted(out.items())))

    def as_dict(self) -> dict[str, Any]:
        return dict(self.values)

    def __bool__(self) -> bool:
        return bool(self.values)

    def set(self, name: str, value: Any) -> Edits:
        """These edits with one fact changed (validated)."""
        return Edits.of({**self.as_dict(), name: value})

    def undo(self, name: str) -> Edits:
        """These edits without the edit to `name`: the words of the conversation decide it again."""
        return Edits(tuple((k, v) for k, v in self.values if k != name))

    def apply(self, extracted: Facts) -> Facts:
        """The facts in force: what the words say, with the edits on top. Danger first: an edit can never
        switch off an emergency the words describe."""
        values = dict(extracted.values)
        for name, value in self.values:
            if name == "emergency" and extracted.get("emergency") is True:
                continue
            if value is None:
                values.pop(name, None)
            else:
                values[name] = value
        edited = {k for k, _ in self.values if not (k == "emergency" and extracted.get("emergency") is True)}
        sources = {k: v for k, v in extracted.sources.items() if k in values and k not in edited}
        return Facts(values, sources)

    def to_json(self) -> dict:
        return {k: (sorted(v) if isinstance(v, (set, frozenset)) else
                    v.isoformat() if isinstance(v, dt.date) else v) for k, v in self.values}


# ---- Derived facts (§2.1). None means undetermined. -------------------------------------------


def is_child(f: Facts) -> bool | None:
    """D01: the protected person is under 18 (DPA 2018 Sch 1 para 18(1)(b)(i))."""
    age = f.get("protected_person_age")
    if isinstance(age, int):
        return age < 18
    return None


def adult_at_risk(f: Facts) -> bool | None:
    """D02: aged 18+ and 'at risk' within para 18(3): all three limbs."""
    age = f.get("protected_person_age")
    if not isinstance(age, int):
        return None
    if age < 18:
        return False
    limbs = [f.get(n) for n in ("adult_care_support_needs", "adult_experiencing_or_at_risk_of_harm",
                                "adult_unable_to_protect_self_due_to_needs")]
    if any(v is False for v in limbs):
        return False
    return True if all(v is True for v in limbs) else None


def special_category(f: Facts) -> bool | None:
    """D03: any UK GDPR Art 9(1) category."""
    cats = f.get("data_categories")
    return None if cats is None else bool(set(cats) & set(SPECIAL_CATEGORIES))


def criminal_data(f: Facts) -> bool | None:
    """D04: criminal offence data, allegations included (DPA 2018 s.11(2))."""
    cats = f.get("data_categories")
    return None if cats is None else "criminal_offence" in cats


def confidential(f: Facts) -> bool | None:
    """D05: sensitive, not lawfully public, and given in a relationship of confidence."""
    if f.get("already_public_or_readily_available") is True or f.get("sensitive") is False \
            or f.get("given_in_confidence") is False:
        return False
    if f.get("sensitive") is True and f.get("already_public_or_readily_available") is False \
            and f.get("given_in_confidence") is True:
        return True
    return None


def consent_valid(f: Facts) -> bool | None:
    """D07: consent given, informed, free, specific, unambiguous, by someone able to give it."""
    if f.get("consent_status") not in CONSENT_GIVEN:
        return False if f.known("consent_status") else None
    q = f.get("consent_quality") or {}
    items = [q.get(k) for k in ("informed", "freely_given", "specific", "unambiguous")]
    if any(v is False for v in items) or f.get("capacity_or_competence") in ("lacks_capacity", "child_not_competent") \
            and q.get("consented_by") in (None, "data_subject"):
        return False
    if f.get("consenter_is_alleged_source_of_harm") is True:
        return False
    if any(v is None for v in items):
        return None
    return True


def authorised_by_confider(f: Facts) -> bool | None:
    """D06: sharing within the confider's understanding, or with valid explicit consent."""
    if f.get("sharing_within_confider_understanding") is True:
        return True
    status = f.get("consent_status")
    if status == "given_explicit" or status in CONSENT_GIVEN and (f.get("consent_quality") or {}).get("explicit"):
        return consent_valid(f)
    if f.get("sharing_within_confider_understanding") is False or f.known("consent_status"):
        return False
    return None


def child_harm_relevant(f: Facts) -> bool:
    """F13 matters unless the only person to protect is a known adult (or nobody)."""
    return not (is_child(f) is False and f.get("protected_person") in ("same_as_data_subject", "other_adult", "none"))


def threshold_met(f: Facts) -> bool | None:
    """D08: significant harm to a child, serious harm to an adult, serious crime, or an emergency."""
    child = f.get("child_harm_level")
    # Read one at a time, stopping at the first that meets it: a later fact cannot change a met threshold.
    hits = (lambda: child in ("evidence_significant_harm", "reasonable_cause_significant_harm"),
            lambda: f.get("emergency") is True, lambda: f.get("adult_harm_level") == "clear_risk_serious_harm",
            lambda: f.get("crime_purpose") == "serious_crime", lambda: f.get("request_basis") == "s47_CA1989")
    if any(hit() for hit in hits):
        return True
    # "Unsure whether there is reasonable cause" is not "no": it leaves the threshold open.
    unknown = [child_harm_relevant(f) and child in (None, "unsure_if_reasonable_cause"),
               f.get("adult_harm_level") is None,
               f.get("crime_purpose") is None, f.get("emergency") is None]
    return None if any(unknown) else False


def p18_reason(f: Facts) -> str | None:
    """D09: which para 18(2) reason the consent facts give (None: no express reason)."""
    return {"cannot_be_given": "(2)(a)", "cannot_reasonably_be_obtained": "(2)(b)",
            "seeking_would_increase_risk_to_child": "(2)(c)", "seeking_would_prejudice_protection": "(2)(c)",
            "seeking_would_prejudice_crime_investigation": "(2)(c)"}.get(f.get("consent_status"))


def public_authority_task(f: Facts) -> bool | None:
    """D10: a public authority exercising a function given by law."""
    if f.get("sharer_type") is None or (f.get("sharer_type") == "public_authority"
                                        and not f.known("sharer_statutory_function")):
        return None
    return f.get("sharer_type") == "public_authority" and bool(f.get("sharer_statutory_function"))


class Derived:
    """The derived facts D01-D10 (§2.1), each computed once, on first use, from the facts; read-only for every
    rule. Computed on use, so that the facts a derived fact rests on count as read only when a rule needs it."""

    _RULES: dict[str, Callable[[Facts], Any]] = {
        "child": lambda f: is_child(f), "adult_at_risk": lambda f: adult_at_risk(f),
        "special": lambda f: special_category(f), "criminal": lambda f: criminal_data(f),
        "confidential": lambda f: confidential(f), "authorised": lambda f: authorised_by_confider(f),
        "consent_valid": lambda f: consent_valid(f), "threshold": lambda f: threshold_met(f),
        "p18_reason": lambda f: p18_reason(f), "public_task": lambda f: public_authority_task(f),
    }
    __slots__ = ("_facts", "_values")

    child: bool | None
    adult_at_risk: bool | None
    special: bool | None
    criminal: bool | None
    confidential: bool | None
    authorised: bool | None
    consent_valid: bool | None
    threshold: bool | None
    p18_reason: str | None
    public_task: bool | None

    def __init__(self, facts: Facts):
        object.__setattr__(self, "_facts", facts)
        object.__setattr__(self, "_values", {})

    def __getattr__(self, name: str) -> Any:
        rule = Derived._RULES.get(name)
        if rule is None:
            raise AttributeError(name)
        values = object.__getattribute__(self, "_values")
        if name not in values:
            values[name] = rule(object.__getattribute__(self, "_facts"))
        return values[name]

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("derived facts are read-only")

    def __repr__(self) -> str:
        return "Derived(" + ", ".join(f"{k}={getattr(self, k)!r}" for k in Derived._RULES) + ")"

    @classmethod
    def of(cls, f: Facts) -> Derived:
        return cls(f)
