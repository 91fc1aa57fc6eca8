"""The order of evaluation (rules-spec §11) and the shape of the result. Same facts, same result."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from . import confidence, consent, dpa_sch1, gateways, transparency, ukgdpr  # noqa: F401 - registers the rules
from .facts import (FACTS, Facts, adult_at_risk, authorised_by_confider, confidential, consent_valid, criminal_data,
                    is_child, p18_reason, public_authority_task, special_category, threshold_met)
from .registry import JUDGEMENTS, RULES, UNCERTAINTIES, Hit

LAW_VERSION = "Texts as captured in 2026: DPA 2018 revised to 2026-04-07; DUAA 2025 s.70 in force 2026-02-05; CWSA 2026 enacted 2026-04-29"
STATUSES = ("applies", "does_not_apply", "not_needed", "undetermined")
DISCLAIMER = ("This check states which routes the facts entered make available. It does not decide necessity, "
              "proportionality, substantial public interest or reasonable cause: those are your professional "
              "judgement, to be made with your DSL, Caldicott guardian or DPO and recorded.")
GATEWAY_KEYS = {"R-GW-115": "s115_CDA", "R-GW-16": "s16_PCSC", "R-GW-17": "s17_PCSC", "R-GW-14B": "s14B_CA2004",
                "R-GW-16H": "s16H_CA2004", "R-GW-47": "s47_CA1989", "R-GW-17CA": "s17_CA1989", "R-GW-CWSA": "s4_CWSA2026"}


@dataclass
class _Run:
    facts: Facts
    d: dict
    trace: list = field(default_factory=list)

    def run(self, rule_id: str) -> Hit | None:
        r = RULES[rule_id]
        out = r.fn(self.facts, self.d)
        fired = isinstance(out, Hit)
        self.trace.append({"rule": rule_id, "label": r.label, "flag": r.flag, "fired": fired,
                           "because": out.reason if fired else out.why,
                           **({"status": out.status} if fired and out.status else {})})
        return out if fired else None


@dataclass
class _Flag:
    status: str
    reason: str
    hits: list  # (rule_id, Hit), decisive last

    def to_json(self, quotes_for) -> dict:
        ids = list(dict.fromkeys(rid for rid, _ in self.hits))
        return {
            "status": self.status,
            "reason": self.reason,
            "rule_ids": ids,
            "references": list(dict.fromkeys(u for rid in ids for u in RULES[rid].refs)),
            "quotes": [q for rid in ids for q in quotes_for(rid)],
            "judgement_required": _judgements(h for _, h in self.hits),
            "ask": list(dict.fromkeys(a for _, h in self.hits for a in h.ask)),
            "uncertainty": _uncertainties(h for _, h in self.hits),
        }


def _judgements(hits) -> list[dict]:
    ids = sorted({j for h in hits for j in h.judgement}, key=lambda j: int(j[1:]))
    return [{"id": j, "question": JUDGEMENTS[j]} for j in ids]


def _uncertainties(hits) -> list[dict]:
    ids = sorted({u for h in hits for u in h.uncertainty}, key=lambda u: int(u.split("-")[1]))
    return [{"id": u, "text": UNCERTAINTIES[u][0], "ask": UNCERTAINTIES[u][1]} for u in ids]


def _decide(run: _Run, order: list[str], fallback: str) -> _Flag:
    infos = []
    for rid in order:
        hit = run.run(rid)
        if hit is None:
            continue
        if hit.status is None:
            infos.append((rid, hit))
            continue
        return _Flag(hit.status, hit.reason, infos + [(rid, hit)])
    return _Flag("undetermined", fallback, infos)


def derive(f: Facts) -> dict:
    return {"child": is_child(f), "adult_at_risk": adult_at_risk(f), "special": special_category(f),
            "criminal": criminal_data(f), "confidential": confidential(f), "authorised": authorised_by_confider(f),
            "consent_valid": consent_valid(f), "threshold": threshold_met(f), "p18_reason": p18_reason(f),
            "public_task": public_authority_task(f)}


def _schedule_1(run: _Run) -> _Flag:
    d, infos = run.d, []
    for rid in ("R-S1-0a", "R-S1-0b"):
        hit = run.run(rid)
        if hit:
            infos.append((rid, hit))
    for rid in ("R-S1-0", "R-S1-0u", "R-S1-18e", "R-S1-CP", "R-A9-c"):
        hit = run.run(rid)
        if hit:
            _set_p18(d, None)
            return _Flag(hit.status, hit.reason, infos + [(rid, hit)])

    elements = []
    for rid in ("R-S1-18a", "R-S1-18b"):
        elements.append((rid, run.run(rid)))
    for rid in ("R-S1-18d", "R-S1-18c", "R-S1-18f"):
        hit = run.run(rid)
        if hit:
            elements.append((rid, hit))
            break
    else:
        elements.append(("R-S1-18c", Hit(None, "Consent was given: para 18 covers only sharing without consent.",
                                         detail={"met": False})))
    for rid in ("R-S1-18g", "R-S1-18h"):
        hit = run.run(rid)
        if hit:
            elements.append((rid, hit))
    failing = [(rid, h) for rid, h in elements if h and h.detail.get("met") is False]
    open_ = [(rid, h) for rid, h in elements if h and h.detail.get("met") is None]
    d["p18_status"] = "does_not_apply" if failing else "undetermined" if open_ else "applies"
    d["p18_why"] = failing[0][1].reason if failing else ""
    d["p18_elements_met"] = d["p18_status"] == "applies"
    d["p18_used_reason"] = next((h.detail.get("reason") for _, h in elements if h and h.detail.get("reason")),
                                d["p18_reason"])
    who = "a child" if d["child"] else "an adult at risk"
    d["p18_who"] = who
    p18 = run.run("R-S1-18")
    d["p18_applies"] = p18 is not None
    p19 = run.run("R-S1-19")
    d["p19_applies"] = p19 is not None
    candidates = []
    for rid in ("R-S1-6", "R-S1-10", "R-S1-P1-2", "R-S1-17"):
        hit = run.run(rid)
        if hit:
            candidates.append((rid, hit))
    d["candidates"] = [h.detail["candidate"] for _, h in candidates]
    used = [(rid, h) for rid, h in elements if h]
    if p18 or p19:
        decisive = [(r, h) for r, h in (("R-S1-18", p18), ("R-S1-19", p19)) if h]
        reason = " ".join(h.reason for _, h in decisive)
        conditions = "; ".join(h.detail["condition"] for _, h in decisive)
        flag = _Flag("applies", reason, infos + [(r, h) for r, h in elements if h and h.detail.get("met") is not False
                                                 or r == "R-S1-18d"] + candidates + decisive)
        flag.condition = conditions
        return flag
    for rid in ("R-S1-ALT-blocked", "R-S1-ALT", "R-S1-NONE"):
        hit = run.run(rid)
        if hit:
            return _Flag(hit.status, hit.reason, infos + used + candidates + [(rid, hit)])
    reasons = " ".join(h.reason for _, h in open_)
    return _Flag("undetermined", "Para 18 is not settled on the facts entered. " + reasons, infos + used + candidates)


def _set_p18(d: dict, status) -> None:
    d.update({"p18_status": status, "p18_applies": False, "p19_applies": False, "candidates": [], "p18_why": ""})


def check(facts: Facts, quotes_for=None) -> dict:
    """Run the rules on the facts. quotes_for(rule_id) returns the rule's verified corpus quotes (as dicts)."""
    quotes_for = quotes_for or (lambda rid: [])
    run = _Run(facts, derive(facts))
    d = run.d
    gw = {}
    for rid in gateways.ORDER:
        hit = run.run(rid)
        if hit:
            gw[rid] = hit
    d["gateways"] = {rid: h.status for rid, h in gw.items()}
    emergency = run.run("R-E1")

    c = _decide(run, consent.ORDER, "The consent facts entered do not settle this.")
    d["consent_status"] = c.status
    pi = _decide(run, confidence.ORDER, "The facts entered do not settle whether sharing is justified.")
    if pi.status == "applies":
        pi.hits.append(("R-PI10", run.run("R-PI10")))
    d["pi_status"] = pi.status
    s1 = _schedule_1(run)

    a6 = [(rid, h) for rid in ("R-A6-e", "R-A6-c", "R-A6-d", "R-A6-a", "R-A6-ea", "R-A6-f", "R-A6-block")
          for h in [run.run(rid)] if h]
    a9 = [(rid, h) for rid in ("R-A9-none", "R-A9-a", "R-A9-g18", "R-A9-g19", "R-A9-g6", "R-A9-h")
          for h in [run.run(rid)] if h]
    if s1.hits and s1.hits[-1][0] == "R-A9-c":
        a9.append(s1.hits[-1])
    a10 = [(rid, h) for rid in ("R-A10",) for h in [run.run(rid)] if h]
    tr = [(rid, h) for rid in ("R-T2", "R-T1", "R-T3") for h in [run.run(rid)] if h]

    flags = {"consent": c, "public_interest": pi, "schedule_1": s1}
    every_hit = [h for fl in flags.values() for _, h in fl.hits] + [h for _, h in a6 + a9 + a10 + tr] + list(gw.values())
    if emergency:
        every_hit.append(emergency)
    general = ["J3"] if facts.get("personal_data") is not False else []
    if facts.get("child_harm_level") in ("reasonable_cause_significant_harm", "unsure_if_reasonable_cause"):
        general.append("J1")
    judgements = _judgements(every_hit + [Hit(judgement=tuple(general))])
    if facts.get("protected_person_age") == "disputed":
        judgements.append({"id": "J11", "question": JUDGEMENTS["J11"]})

    out: dict[str, Any] = {name: fl.to_json(quotes_for) for name, fl in flags.items()}
    if getattr(s1, "condition", None):
        out["schedule_1"]["condition"] = s1.condition
    out["article_6"] = [{"rule_id": rid, **h.detail} for rid, h in a6 if "code" in h.detail]
    out["article_9"] = {"text": "; ".join(h.detail["text"] for _, h in a9 if "text" in h.detail) or
                        ("none available on the facts entered" if d["special"] else "not known"),
                        "rule_ids": [rid for rid, _ in a9]}
    if s1.hits and s1.hits[-1][0] == "R-A9-c":
        out["article_9"]["text"] = "9(2)(c) vital interests"
    out["article_10"] = {"text": a10[0][1].detail["text"], "rule_ids": ["R-A10"]} if a10 else \
        {"text": "not needed" if d["criminal"] is False else "not known", "rule_ids": []}
    out["gateways"] = {GATEWAY_KEYS[rid]: {"status": h.status, "reason": h.reason, "rule_id": rid,
                                           "references": list(RULES[rid].refs)} for rid, h in gw.items()}
    out["transparency"] = [{"rule_id": rid, "advice": h.reason} for rid, h in tr]
    out["emergency"] = {"rule_id": "R-E1", "banner": emergency.reason} if emergency else None
    out["judgement_required"] = judgements
    out["ask"] = list(dict.fromkeys(a for h in every_hit for a in h.ask))
    out["uncertainty"] = _uncertainties(every_hit)
    out["scope"] = _scope(facts)
    out["record"] = _record(facts, out)
    out["rules_fired"] = list(dict.fromkeys(t["rule"] for t in run.trace if t["fired"]))
    out["facts"] = facts.to_json()
    out["trace"] = run.trace
    out["law_version"] = LAW_VERSION
    out["disclaimer"] = DISCLAIMER
    return out


def _scope(f: Facts) -> str:
    j = f.get("jurisdiction")
    if j and j != "England":
        return (f"You are in {j}: UK GDPR and the DPA 2018 apply, but this guidance is for England; your nation's "
                "safeguarding procedures may differ (e.g. Wales Safeguarding Procedures; in Scotland a child of 12 or "
                "over is presumed able to consent, DPA 2018 s.208).")
    return "England" if j == "England" else "England assumed: say if you work elsewhere in the UK."


def _record(f: Facts, out: dict) -> dict:
    """Golden rule 7: the record of the decision, prefilled; the decision itself is left to the practitioner."""
    a6 = "; ".join(x["text"] for x in out["article_6"])
    conditions = [out["article_9"]["text"], out["article_10"]["text"]]
    return {
        "decision": "",  # share / not share / share in part: the practitioner's
        "reasons": "",
        "what_shared": sorted(f.get("data_categories") or []),
        "with_whom": f.get("recipient") or "",
        "purpose": f.get("purpose") or "",
        "date_and_method": "",
        "advice_sought": "",
        "consent": {"status": f.get("consent_status") or "unknown", "flag": out["consent"]["status"],
                    "para_18_2_reason": p18_reason(f) or ""},
        "confidentiality_and_public_interest": out["public_interest"]["reason"],
        "article_6_basis": a6,
        "article_9_and_schedule_1_condition": " | ".join(c for c in conditions if c not in ("not needed", "not known")),
        "statutory_gateway": f.get("request_basis") or "",
        "retention": "",
        "family_informed": next((t["advice"] for t in out["transparency"]), ""),
        "not_for_disclosure_to_service_user": "",
        "if_not_shared_what_requester_told": "",
    }


def fact_vocabulary() -> dict:
    return {name: {"id": s.id, "values": list(s.values) or s.kind, "ask": s.ask} for name, s in FACTS.items()}
