"""Plain-text rendering of a rules check result for the terminal."""

from __future__ import annotations

STATUS_WORDS = {"applies": "APPLIES", "does_not_apply": "DOES NOT APPLY", "not_needed": "NOT NEEDED",
                "undetermined": "UNDETERMINED: more to ask or judge"}
TITLES = {"consent": "Consent", "public_interest": "Public interest (duty of confidence)",
          "schedule_1": "DPA 2018 Schedule 1 condition"}


def render_check(result: dict) -> str:
    lines = []
    if result.get("emergency"):
        lines += ["!! " + result["emergency"]["banner"], ""]
    facts = result.get("facts", {})
    if facts:
        lines.append("Facts used (confirm or correct them with --facts):")
        for name, f in facts.items():
            source = f" (read from '{f['from']}')" if "from" in f else ""
            value = ", ".join(f["value"]) if isinstance(f["value"], list) else f["value"]
            lines.append(f"  - {name}: {value}{source}")
        lines.append("")
    for key in ("consent", "public_interest", "schedule_1"):
        flag = result[key]
        lines.append(f"{TITLES[key]}: {STATUS_WORDS[flag['status']]}")
        lines.append(f"  {flag['reason']}")
        if flag.get("condition"):
            lines.append(f"  Condition: {flag['condition']}")
        lines.append(f"  Rules: {', '.join(flag['rule_ids'])}")
        for ref in flag["references"][:4]:
            lines.append(f"  Law: {ref}")
        for u in flag["uncertainty"]:
            lines.append(f"  Open legal point {u['id']}: {u['text']} Ask {u['ask']}.")
        lines.append("")
    a6 = "; ".join(a["text"] for a in result["article_6"]) or "none suggested on the facts entered"
    lines += [f"Article 6 basis (suggestions): {a6}", f"Article 9 condition: {result['article_9']['text']}",
              f"Article 10 route: {result['article_10']['text']}"]
    for key, g in result["gateways"].items():
        lines.append(f"Gateway {key}: {g['status']}: {g['reason']}")
    for t in result["transparency"]:
        lines.append(f"Telling the family: {t['advice']}")
    lines += ["", "Still yours to judge:"] + [f"  {j['id']}: {j['question']}" for j in result["judgement_required"]]
    if result["ask"]:
        lines += ["", "Still to ask:"] + [f"  - {a}" for a in result["ask"]]
    lines += ["", result["scope"], result["disclaimer"]]
    return "\n".join(lines)
