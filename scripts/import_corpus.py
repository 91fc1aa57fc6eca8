"""Rebuild corpus/docs/ from the raw captures in ../shared (run by hand when a source changes).

The guidance's sentences and the statutes' words are copied unchanged. What this script adds or
removes, and why:
- Seed chapter: page furniture is dropped ("Skip to content", "Company Logo", "Related guidance",
  "Last Updated", the "v43" build tag); section headings are inserted as lines of their own before
  the paragraph that opens each section (the web capture lost them).
- Legislation extracts: the provenance header and every editor's note ("[omitted ...]",
  "EDITOR'S CAUTION", "NOT CAPTURED", "...") are removed from the text; they are recorded in
  corpus/sources.toml. Hard-wrapped lines are re-joined so that one line holds one numbered item.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
OUT = ROOT / "corpus" / "docs"

# (heading line, level, the start of the paragraph it goes before). Order matters.
SEED_HEADINGS: list[tuple[str, int, str]] = [
    ("Amendment", 2, "Amendment\n"),
    ("Working Together to Safeguard Children: why information sharing matters", 2,
     "Working Together to Safeguard Children states for Information Sharing:"),
    ("Data protection: sharing is not prevented", 3, "Practitioners must have due regard"),
    ("Personal data and special category data", 2, "Personal Data\u00a0- Under the UK GDPR"),
    ("Lawful bases for sharing information (UK GDPR Article 6)", 2, "Lawful Bases for Sharing Information"),
    ("Conditions for sensitive processing", 2, "Conditions for sensitive processing\n"),
    ("Myth-busting guide to information sharing", 2,
     "Working Together to Safeguard Children provides the following Myth-busting guide"),
    ("Seven golden rules for information sharing", 2, "There are seven golden rules"),
    ("Recording and retaining shared information", 2, "Information on children and families can be held"),
    ("Consent is not the only basis for sharing", 2,
     "Working Together to Safeguard Children\u00a0includes a Myth-busting guide"),
    ("Information sharing: advice for practitioners (2018)", 2,
     "Information Sharing: Advice for Practitioners Providing Safeguarding Services"),
    ("What all agencies should have", 3, "All agencies should have:"),
    ("Confidentiality and the public interest", 2, "In deciding whether there is a need to share information"),
    ("Integrated working and preventative services", 2, "There is an increasing emphasis on integrated working"),
    ("Referring concerns about significant harm", 2, "It is critical that all practitioners"),
    ("Requests for information: power and duty to disclose", 2, "Agencies requesting information from others"),
    ("Recording, storage and access to records", 2, "The interests of accuracy"),
    ("Information requests by the NEL SCP (Children Act 2004, section 14B)", 2, "Every NEL SCP should play"),
    ("Requests from the NEL SCP to schools: allegations management", 3,
     "Information requested by the NEL SCP from schools"),
    ("Answering NEL SCP requests", 3, "Answering requests for information made on behalf"),
    ("Security, retention and disposal of NEL SCP records", 3, "Security and protection of NEL SCPP information"),
    ("Corporate parenting: looked after children", 2, "Corporate Parenting - Looked After Children"),
    ("Data protection principles and individuals' rights", 2,
     "The Data Protection Act 2018 / General Data Protection Regulation (GDPR):"),
    ("Caldicott guardians and the Caldicott principles", 2, "A Caldicott Guardian is a senior person"),
    ("Crime and Disorder Act 1998: power to disclose", 2, "The power to disclose information is central"),
    ("Domestic Violence Disclosure Scheme (DVDS)", 2, "The Domestic Violence Disclosure Scheme"),
    ("Human Rights Act 1998: right to respect for private and family life", 2,
     "Everyone has the right to respect for their private"),
    ("Age assessment of unaccompanied asylum seeking children", 2, "The issue of age assessment"),
    ("Child Sex Offender Review (CSOR) Disclosure Scheme", 2, "The Child Sex Offender Review (CSOR)"),
    ("Serious Violence Duty", 2, "The Police, Crime, Sentencing and Courts Act 2022 requires"),
]
SEED_FURNITURE = {"Skip to content", "Company Logo", "Related guidance", "v43"}


def import_seed() -> str:
    raw = next((SHARED / "seed").glob("*.txt")).read_text(encoding="utf-8")
    lines = [ln for ln in raw.splitlines() if ln.strip() not in SEED_FURNITURE
             and not ln.startswith("Last Updated:")]
    body = "\n".join(lines).strip("\n") + "\n"
    # The capture's own title line becomes the document heading.
    assert body.startswith("Information Sharing\n"), body[:40]
    body = "# Information Sharing\n" + body[len("Information Sharing\n"):]
    for title, level, anchor in SEED_HEADINGS:
        at = body.find("\n" + anchor)
        if at < 0:
            sys.exit(f"seed heading anchor not found: {anchor!r}")
        if anchor.endswith("\n") and anchor.strip() == title:
            # The capture kept this heading as a plain line: mark it up instead of repeating it.
            body = body[: at + 1] + "#" * level + " " + body[at + 1:]
        else:
            body = body[: at + 1] + "#" * level + " " + title + "\n\n" + body[at + 1:]
    body = re.sub(r"\n{3,}", "\n\n", body)
    return body


ITEM_START = re.compile(r"^(\(\w{1,4}\)|\d{1,3}[A-Z]? |\d{1,2}\. |\(\d+\)–|\")")


def join_wrapped(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped statute lines: a line continues the previous unless it opens an item."""
    out: list[str] = []
    for ln in lines:
        ln = ln.rstrip()
        if not ln:
            out.append("")
            continue
        if out and out[-1] and not out[-1].startswith("#") and not ITEM_START.match(ln) \
                and not ln.startswith("#") and not out[-1].endswith(("—", ":")):
            out[-1] = out[-1] + " " + ln.strip()
        else:
            out.append(ln.strip())
    return out


def write(name: str, text: str) -> None:
    text = re.sub(r"\n{3,}", "\n\n", text).strip("\n") + "\n"
    (OUT / name).write_text(text, encoding="utf-8")
    print(f"wrote {OUT / name} ({len(text)} chars)")


EDITORIAL_LINE = re.compile(
    r"^(\[|NOTE:|URL:|URLS:|SOURCE:|DATE:|COMMENCEMENT:|LICENCE:|\(\d+\)–\(\d+\) \[|\(\d+\) \[|\d\. \[)")


def strip_editorial(lines: list[str]) -> list[str]:
    """Drop editor's notes: bracketed blocks (which may span lines) and labelled note lines."""
    out: list[str] = []
    in_note = False
    for ln in lines:
        s = ln.strip()
        if in_note:
            in_note = "]" not in s
            continue
        if EDITORIAL_LINE.match(s) or "[…" in s or "TRUNCATED IN SOURCE" in s or "NOT CAPTURED" in s.upper():
            # A truncated line keeps no words: a quote must not end in a fragment.
            in_note = s.count("[") > s.count("]")
            continue
        if "[EDITOR'S CAUTION" in s:
            in_note = "]" not in s
            continue
        out.append(ln)
    return out


def convert_statute(raw: str, rewrites: list[tuple[str, str]], drop: set[str],
                    title: str) -> str:
    """Apply exact line rewrites (separator titles -> headings), drop noise, re-join wraps."""
    lines = raw.splitlines()
    lines = [ln for ln in lines if not re.fullmatch(r"[=\-]{10,}", ln.strip())]
    table = dict(rewrites)
    out: list[str] = []
    for ln in strip_editorial(lines):
        s = ln.strip()
        if s in drop:
            continue
        if s in table:
            out += ["", table[s], ""]
            continue
        out.append(ln)
    return "# " + title + "\n\n" + "\n".join(join_wrapped(out))


def body_after(raw: str, marker: str) -> str:
    at = raw.index(marker)
    return raw[at:]


def import_dpa() -> str:
    raw = (SHARED / "corpus-extra" / "01_DPA2018_Sch1_and_ss8-11_208.txt").read_text(encoding="utf-8")
    raw = body_after(raw, "SECTION 8 —")
    cross = {
        "Employment, social security and social protection": 1, "Health or social care purposes": 2,
        "Public health": 3, "Research etc": 4,
        "Requirement for an appropriate policy document when relying on conditions in this Part": 5,
        "Statutory etc and government purposes": 6, "Preventing or detecting unlawful acts": 10,
        "Counselling etc": 17, "Safeguarding of children and of individuals at risk": 18,
        "Safeguarding of economic well-being of certain individuals": 19, "Consent": 29,
        "Protecting individual's vital interests": 30, "Legal claims": 33,
        "Extension of conditions in Part 2 of this Schedule referring to substantial public interest": 36,
        "Application of this Part of this Schedule": 38,
        "Requirement to have an appropriate policy document in place": 39,
        "Additional safeguard: retention of appropriate policy document": 40,
        "Additional safeguard: record of processing": 41,
    }
    rewrites = [(h, f"### Schedule 1, paragraph {n} — {h}") for h, n in cross.items()]
    for line in raw.splitlines():
        m = re.match(r"^SECTION (\d+) — (.+)$", line)
        if m:
            rewrites.append((line, f"## Section {m[1]} — {m[2]}"))
        m = re.match(r"^PART (\d) — (.+)$", line)
        if m:
            rewrites.append((line, f"## Schedule 1, Part {m[1]} — {m[2]}"))
    drop = {"SCHEDULE 1 — Special categories of personal data and criminal convictions etc data"}
    return convert_statute(raw, rewrites, drop, "Data Protection Act 2018 (selected provisions)")


def import_gdpr() -> str:
    raw = (SHARED / "corpus-extra" / "02_UK_GDPR_Art6_Art9_Art7_extracts.txt").read_text(encoding="utf-8")
    raw = body_after(raw, "ARTICLE 6 —")
    # Art 6(2) is omitted on legislation.gov.uk and only a fragment of 6(3) was captured;
    # Art 9(2)(d) breaks off mid-word. None of them is kept as text (see sources.toml).
    raw = raw.replace("3. The basis for the processing referred to in point (c) ... of paragraph 1 shall be "
                      "laid down by\n", "")
    cut = raw.index("(d) processing is carried out in the course of its legitimate activities")
    end = raw.index("TRUNCATED IN SOURCE]", cut) + len("TRUNCATED IN SOURCE]")
    raw = raw[:cut] + raw[end:].lstrip("\n")
    rewrites = [
        ("ARTICLE 6 — Lawfulness of processing", "## Article 6 — Lawfulness of processing"),
        ("Article 6(5)–(9) inserted by Data (Use and Access) Act 2025 s.70(4) (as captured):",
         "### Article 6(5) and (6) — inserted by the Data (Use and Access) Act 2025, section 70(4)"),
        ("ARTICLE 9 — Processing of special categories of personal data (PARTIAL)",
         "## Article 9 — Processing of special categories of personal data"),
        ("ARTICLE 7 — Conditions for consent (PARTIAL; EU-text source; UK text believed identical — verify)",
         "## Article 7 — Conditions for consent"),
    ]
    return convert_statute(raw, rewrites, set(), "UK GDPR: Articles 6, 9 and 7 (extracts)")


def import_annex1() -> str:
    raw = (SHARED / "corpus-extra" / "03_UK_GDPR_Annex1_recognised_legitimate_interests_DUAA2025.txt"
           ).read_text(encoding="utf-8")
    raw = body_after(raw, "In the UK GDPR, at the end insert")
    heads = {
        "1. This condition is met where—": "Disclosure for the purposes of processing described in Article 6(1)(e)",
        "2. This condition is met where the processing is necessary—": "National security, public security and defence",
        "3. This condition is met where the processing is necessary for the purposes of responding to an "
        "emergency.": "Emergencies",
        "5. This condition is met where the processing is necessary for the purposes of—": "Crime",
        "6. This condition is met where the processing is necessary for the purposes of safeguarding a "
        "vulnerable": "Safeguarding vulnerable individuals",
    }
    lines = []
    for ln in raw.splitlines():
        if ln in heads:
            lines += ["", f"## Annex 1, paragraph {ln[0]} — {heads[ln]}", ""]
        lines.append(ln)
    return convert_statute("\n".join(lines), [], set(),
                           "UK GDPR Annex 1: recognised legitimate interests (Data (Use and Access) Act 2025, "
                           "Schedule 4)")


def import_gateways() -> str:
    raw = (SHARED / "corpus-extra" / "04_statutory_gateways_PCSC_s16_CDA_s115_CA1989_s47_CA2004_s16E_CWSA2026_s4.txt"
           ).read_text(encoding="utf-8")
    raw = body_after(raw, "(A) POLICE, CRIME, SENTENCING AND COURTS ACT 2022")
    # "..." marks words left out by the extract's editor, not by Parliament.
    raw = raw.replace("is in police protection; ...", "is in police protection;")
    raw = raw.replace("safeguard or promote the child's welfare. ...", "safeguard or promote the child's welfare.")
    rewrites = [
        ("(A) POLICE, CRIME, SENTENCING AND COURTS ACT 2022 — SECTION 16 (extent: England and Wales)",
         "## Police, Crime, Sentencing and Courts Act 2022, section 16 — Disclosure of information"),
        ("(B) CRIME AND DISORDER ACT 1998 — SECTION 115 (extends to England and Wales and Scotland: s.121(6)(d))",
         "## Crime and Disorder Act 1998, section 115 — Disclosure of information"),
        ("(C) CHILDREN ACT 1989 — SECTION 47(1) (extent: England and Wales)",
         "## Children Act 1989, section 47(1) — Local authority's duty to investigate"),
        ("(D) CHILDREN ACT 2004 — SECTION 16E(1)–(3) (England)",
         "## Children Act 2004, section 16E(1) to (3) — Local arrangements for safeguarding and promoting "
         "welfare of children"),
        ("(E) CHILDREN'S WELLBEING AND SCHOOLS ACT 2026 (c. 21) — SECTION 4 (enacted text) and SECTION 78 "
         "(commencement)",
         "## Children's Wellbeing and Schools Act 2026, section 4 — Information sharing duty (enacted text)"),
        ("Section 78 (Commencement), as captured:",
         "## Children's Wellbeing and Schools Act 2026, section 78 — Commencement"),
    ]
    drop = {"PART 2 Prevention, investigation and prosecution of crime",
            "CHAPTER 1 Functions relating to serious violence", "16 Disclosure of information",
            "115 Disclosure of information", "47 Local authority's duty to investigate",
            "16E Local arrangements for safeguarding and promoting welfare of children",
            "Section 4 (enacted text, as captured):"}
    lines = raw.splitlines()
    # Drop each part's provenance block (URL/SOURCE/COMMENCEMENT and their wrapped lines).
    kept: list[str] = []
    skipping = False
    for ln in lines:
        if re.match(r"^(URL|URLS|SOURCE|DATE|COMMENCEMENT|NOTE):", ln):
            skipping = True
            continue
        if skipping and (ln.startswith("        ") or ln.startswith("      ")):
            continue
        skipping = False
        kept.append(ln)
    return convert_statute("\n".join(kept), rewrites, drop,
                           "Statutory information-sharing gateways (extracts)")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write("nel-scp-information-sharing.md", import_seed())
    write("dpa-2018.md", import_dpa())
    write("uk-gdpr-articles.md", import_gdpr())
    write("uk-gdpr-annex-1.md", import_annex1())
    write("statutory-gateways.md", import_gateways())


if __name__ == "__main__":
    main()
