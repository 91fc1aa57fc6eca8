"""Turning answers, rules checks and records into what the practitioner reads (Markdown and HTML)."""

from __future__ import annotations

import datetime as dt
import html
import json

from . import __version__
from .prompts import render

STATUS = {"applies": ("Applies", "#1b7f3b"), "does_not_apply": ("Does not apply", "#b3261e"),
          "not_needed": ("Not needed", "#3d5a80"), "undetermined": ("Undetermined: more to ask or judge", "#8a5a00")}
TITLES = {"consent": "Consent", "public_interest": "Public interest (duty of confidence)",
          "schedule_1": "DPA 2018 Schedule 1 condition"}


def banner(rules: dict) -> str:
    if not rules.get("emergency"):
        return ""
    return render("danger_banner", reason=rules["emergency"]["banner"]) + "\n\n"


def answer_markdown(result: dict) -> str:
    rules = result["rules"]
    if not result["grounded"]:
        return banner(rules) + render("no_grounded_answer")
    quotes = "\n\n".join(render("quote", text=q["text"], doc_title=q["doc_title"], section=q["section"] or "",
                                number=n) for n, q in enumerate(result["quotes"], start=1))
    flags = "\n".join(f"- **{TITLES[k]}: {STATUS[rules[k]['status']][0]}.** {rules[k]['reason']}"
                      for k in ("consent", "public_interest", "schedule_1"))
    judgements = "; ".join(j["question"] for j in rules["judgement_required"][:3]) or "see the rules panel"
    return render("answer", banner=banner(rules), quotes=quotes, flags=flags, judgements=judgements,
                  disclaimer="*" + rules["disclaimer"] + "*")


def rules_html(rules: dict) -> str:
    parts = []
    if rules.get("emergency"):
        parts.append(f'<div class="sw-banner" role="alert">{html.escape(rules["emergency"]["banner"])}</div>')
    for key in ("consent", "public_interest", "schedule_1"):
        f = rules[key]
        word, colour = STATUS[f["status"]]
        refs = " ".join(f'<a href="{html.escape(u)}" target="_blank" rel="noopener noreferrer">'
                        f'{html.escape(u.split("legislation.gov.uk/")[-1])}</a>' for u in f["references"])
        asks = "".join(f"<li>{html.escape(a)}</li>" for a in f["ask"])
        judge = "".join(f"<li>{html.escape(j['question'])}</li>" for j in f["judgement_required"])
        unc = "".join(f"<li><b>{u['id']}</b>: {html.escape(u['text'])} Ask {html.escape(u['ask'])}.</li>"
                      for u in f["uncertainty"])
        parts.append(
            f'<section class="sw-flag" aria-label="{TITLES[key]}">'
            f'<h4>{TITLES[key]}: <span class="sw-status" style="background:{colour}">{word}</span></h4>'
            f'<p>{html.escape(f["reason"])}</p>'
            + (f'<p><b>Condition:</b> {html.escape(f["condition"])}</p>' if f.get("condition") else "")
            + f'<p class="sw-refs"><b>Law:</b> {refs}</p>'
            + (f"<p><b>Still yours to judge</b></p><ul>{judge}</ul>" if judge else "")
            + (f"<p><b>Still to ask</b></p><ul>{asks}</ul>" if asks else "")
            + (f"<p><b>Open legal points</b></p><ul>{unc}</ul>" if unc else "")
            + f'<p class="sw-rules">Rules: {", ".join(f["rule_ids"])}</p></section>')
    a6 = "; ".join(a["text"] for a in rules["article_6"]) or "none suggested on the facts entered"
    parts.append(f"<p><b>Article 6 basis (suggestions):</b> {html.escape(a6)}<br><b>Article 9:</b> "
                 f"{html.escape(rules['article_9']['text'])}<br><b>Article 10:</b> {html.escape(rules['article_10']['text'])}</p>")
    for t in rules["transparency"]:
        parts.append(f"<p><b>Telling the family:</b> {html.escape(t['advice'])}</p>")
    parts.append(f'<p class="sw-note">{html.escape(rules["scope"])} {html.escape(rules["disclaimer"])}</p>')
    return "\n".join(parts)


def source_html(corpus, quote: dict) -> str:
    """The quote in its section, highlighted, with the source's registry details."""
    doc = corpus.documents[quote["doc_id"]]
    section = doc.section_at(quote["start"])
    start, end = (section.start, section.end) if section else (quote["start"], quote["end"])
    text = doc.text
    body = (html.escape(text[start:quote["start"]]) + "<mark>" + html.escape(text[quote["start"]:quote["end"]]) +
            "</mark>" + html.escape(text[quote["end"]:end])).replace("\n", "<br>")
    s = doc.source
    link = f'<a href="{html.escape(quote["url"])}" target="_blank" rel="noopener noreferrer">{html.escape(quote["url"])}</a>' \
        if quote.get("url") else "address not recorded"
    return (f"<h4>{html.escape(s.title)}</h4><p><b>Section:</b> {html.escape(quote['section'])}</p>"
            f'<div class="sw-source">{body}</div>'
            f"<p><b>Publisher:</b> {html.escape(s.publisher)}<br><b>Version:</b> {html.escape(s.version)}<br>"
            f"<b>Licence:</b> {html.escape(s.licence)}<br><b>Attribution:</b> {html.escape(s.attribution)}<br>"
            f"<b>Currency:</b> {html.escape(s.currency)}<br><b>Address:</b> {link}</p>")


RECORD_FIELDS = ("decision", "what", "with_whom", "purpose", "article_6", "condition", "consent", "reasons",
                 "consulted", "date")


def record_prefill(result: dict) -> dict:
    rules = result["rules"]
    rec = rules["record"]
    return {"decision": "", "what": ", ".join(rec["what_shared"]), "with_whom": rec["with_whom"],
            "purpose": rec["purpose"], "article_6": rec["article_6_basis"],
            "condition": rec["article_9_and_schedule_1_condition"],
            "consent": f"{rec['consent']['status']} (consent flag: {rec['consent']['flag']})",
            "reasons": "", "consulted": "", "date": dt.date.today().isoformat()}


def record_json(fields: dict, result: dict | None) -> dict:
    rules = (result or {}).get("rules") or {}
    return {"record": {k: fields.get(k) or "" for k in RECORD_FIELDS},
            "rules_check": {k: {"status": rules[k]["status"], "reason": rules[k]["reason"], "rule_ids": rules[k]["rule_ids"]}
                            for k in ("consent", "public_interest", "schedule_1") if k in rules},
            "quotes_relied_on": [{k: q[k] for k in ("text", "doc_id", "doc_title", "section", "start", "end")}
                                 for q in (result or {}).get("quotes", [])],
            "prepared_with": f"Sharewise {__version__}"}


def record_markdown(fields: dict, result: dict | None) -> str:
    data = record_json(fields, result)
    flags = "\n".join(f"- {TITLES[k]}: {STATUS[v['status']][0]}. {v['reason']}" for k, v in data["rules_check"].items()) \
        or "- (no rules check)"
    quotes = "\n".join(f"> {q['text']}\n\n— {q['doc_title']}, {q['section']}\n" for q in data["quotes_relied_on"]) \
        or "(none quoted)"
    values = {k: (v or "_(not recorded)_") for k, v in data["record"].items()}
    return render("record", flags=flags, quotes=quotes, version=__version__, **values)


def record_html(fields: dict, result: dict | None) -> str:
    """A printable page (print to PDF from the browser)."""
    return page_html("Record of an information sharing decision", record_markdown(fields, result))


PAGE_CSS = ("body{font-family:sans-serif;max-width:64rem;margin:2rem auto;line-height:1.45}table{border-collapse:"
            "collapse}td{border:1px solid #ccc;padding:.2rem .5rem}.sub{margin-left:2rem;color:#444}"
            "blockquote{border-left:4px solid #999;margin:0;padding-left:1rem}")


def page_html(title: str, md_text: str, svgs: dict[str, str] | None = None) -> str:
    """The small Markdown our reports use (headings, tables, lists, quotes, bold, code, chart images) as a
    self-contained page: no scripts, no fonts or images from anywhere else."""
    out, in_table = [], False
    for line in md_text.splitlines():
        if line.startswith("|"):
            cells = [c.strip() for c in line.strip("|").split("|")]
            if set("".join(cells)) <= set("-"):
                continue
            if not in_table:
                out.append("<table>")
                in_table = True
            out.append("<tr>" + "".join(f"<td>{_inline(c)}</td>" for c in cells) + "</tr>")
            continue
        if in_table:
            out.append("</table>")
            in_table = False
        if line.startswith("!["):
            out.append((svgs or {}).get(line[line.index("(") + 1:-1], ""))
        elif line.startswith("# "):
            out.append(f"<h1>{html.escape(line[2:])}</h1>")
        elif line.startswith("## "):
            out.append(f"<h2>{html.escape(line[3:])}</h2>")
        elif line.startswith("> "):
            out.append(f"<blockquote>{_inline(line[2:])}</blockquote>")
        elif line.startswith("  - "):
            out.append(f"<div class='sub'>{_inline(line[4:])}</div>")
        elif line.startswith("- "):
            out.append(f"<p>• {_inline(line[2:])}</p>")
        elif line.strip():
            out.append(f"<p>{_inline(line)}</p>")
    if in_table:
        out.append("</table>")
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<style>{PAGE_CSS}</style></head><body>" + "\n".join(out) + "</body></html>")


def _inline(text: str) -> str:
    esc = html.escape(text)
    parts = esc.split("**")
    esc = "".join(f"<b>{p}</b>" if i % 2 else p for i, p in enumerate(parts))
    parts = esc.split("`")
    esc = "".join(f"<code>{p}</code>" if i % 2 else p for i, p in enumerate(parts))
    parts = esc.split("*")
    return "".join(f"<i>{p}</i>" if i % 2 else p for i, p in enumerate(parts)) if len(parts) % 2 else esc


def to_json_text(obj: dict) -> str:
    return json.dumps(obj, ensure_ascii=False, indent=2, default=str)
