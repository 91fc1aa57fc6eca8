"""Telling the family (rules-spec §5.7) and the emergency banner (§5.8): advice that accompanies the
flags and never decides one. Every rule here is evaluated (an exception before the rule it overrides)."""

from __future__ import annotations

from .facts import Derived, Facts
from .law import A6, A9, HRA8, SCH2P2
from .registry import Hit, Miss, Outcome, rule


@rule("R-T1", "Tell the family (or the person) what is shared, with whom and why", "transparency", [A6, HRA8],
      ["Practitioners should therefore usually inform parents/carers (and the child depending on their age and level "
       "of understandings) that they are going to make a referral."])
def t1(f: Facts, d: Derived) -> Outcome:
    """Openness is the default where it is safe."""
    if f.get("informing_would_increase_risk_or_prejudice_investigation") is False:
        return Hit(None, "Tell the family (and the child, as their age and understanding allow) what you are sharing, "
                   "with whom and why, unless that changes.")
    return Miss("informing is not known to be safe")


@rule("R-T2", "Do not tell the family now; record why", "transparency", [SCH2P2],
      ["However, referrals can be made without first informing parents/carers where to do so would place a child at "
       "risk."],
      overrides=["R-T1"])
def t2(f: Facts, d: Derived) -> Outcome:
    """Where telling would put a child at risk or prejudice an investigation (transparency duties may be restricted:
    DPA 2018 Sch 2 Pt 1 para 2)."""
    if f.get("informing_would_increase_risk_or_prejudice_investigation") is True:
        return Hit(None, "Do not tell the family before sharing: it would put someone at risk or prejudice an "
                   "investigation. Record why.", judgement=("J7",))
    return Miss("informing is not known to be unsafe")


@rule("R-T3", "Ask whether telling the family would be safe", "transparency", [A6])
def t3(f: Facts, d: Derived) -> Outcome:
    """The transparency advice depends on whether informing is safe."""
    if f.get("informing_would_increase_risk_or_prejudice_investigation") is None:
        return Hit(None, "Decide whether telling the family is safe before you tell them.",
                   ask=(f.ask("informing_would_increase_risk_or_prejudice_investigation"),))
    return Miss("known")


@rule("R-E1", "Emergency: share what is necessary now, record afterwards", "emergency", [A6, A9],
      ["In urgent situations, information will need to be shared verbally, but should then if possible be followed up "
       "and confirmed in writing."])
def e1(f: Facts, d: Derived) -> Outcome:
    """Do not delay for consent or paperwork when someone is at immediate risk of death or serious injury."""
    if f.get("emergency") is True:
        return Hit(None, "Call 999, or children's social care, now. Share what is necessary without waiting for "
                   "consent or paperwork; confirm it in writing and record it afterwards.")
    return Miss("emergency is not 'yes'")
