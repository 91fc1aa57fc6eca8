"""Provisions named in a question -> the legislation chunks that hold them, best first.

A practitioner who writes "sch 1 para 18", "art 6(1)(e)", "s47" or "s.16 PCSC" means one provision of
one Act. Dense and keyword retrieval treat those numbers as weak evidence (and "section 47" is in the
guidance as often as in the statute), so the citation is read here, deterministically, and resolved to
the extract whose heading names that provision:

- Article N (UK GDPR)               -> uk-gdpr-articles, heading "Article N ..."
- Annex 1 [para N]                 -> uk-gdpr-annex-1,  heading "Annex 1, paragraph N ..."
- Schedule 1 para N / para N       -> dpa-2018,         heading "Schedule 1, paragraph N ..."
- section N with its Act, or alone -> dpa-2018 "Section N ..." or statutory-gateways "<Act>, section N ..."

A section number alone is read as the one Act in the corpus practitioners mean by it (8, 10, 11, 208: DPA
2018; 47: Children Act 1989; 115: Crime and Disorder Act 1998; 16: PCSC Act 2022; 16E: Children Act 2004).
Anything else -- "section 17" (a Children Act 1989 concept with no extract here), "s42 care act", "Article
8 ECHR", "para 7" (omitted from the extract), "Article 6(3)" (not captured), "she's 17" (an age) -- gives
nothing: no provision is better than the wrong one. So does an Article named as a kind of thing ("an
art 6 basis", "which art 9 condition"): the question is which point applies, not what the Article says.
Sub-references ("(1)(e)", "(2)") pick the chunk that holds that point; a sub-reference the extract lacks
gives nothing for that citation, except a point of a UK GDPR Article that the DPA 2018 names ("point (g) of
Article 9(2)"), which gives that DPA provision.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from .types import Chunk

DPA, ARTICLES, ANNEX, GATEWAYS = "dpa-2018", "uk-gdpr-articles", "uk-gdpr-annex-1", "statutory-gateways"

# Act -> (document, heading template) for "section N" of that Act.
_ACT_SECTIONS: dict[str, tuple[tuple[str, str], ...]] = {
    "dpa": ((DPA, "Section {n}"),),
    "ca1989": ((GATEWAYS, "Children Act 1989, section {n}"),),
    "ca2004": ((GATEWAYS, "Children Act 2004, section {n}"),),
    "ca": ((GATEWAYS, "Children Act 1989, section {n}"), (GATEWAYS, "Children Act 2004, section {n}")),
    "cda": ((GATEWAYS, "Crime and Disorder Act 1998, section {n}"),),
    "pcsc": ((GATEWAYS, "Police, Crime, Sentencing and Courts Act 2022, section {n}"),),
    "cwsa": ((GATEWAYS, "Children's Wellbeing and Schools Act 2026, section {n}"),),
    "other": (),  # an Act (or convention) with no extract in the corpus
}
# A section number with no Act beside it: only the numbers practitioners use for one Act in the corpus.
# (s.4 and s.78 of the 2026 Act need the Act named: "s4" alone is as often Children Act 1989 s.4.)
_BARE_SECTIONS = {"8": "dpa", "10": "dpa", "11": "dpa", "208": "dpa", "47": "ca1989", "115": "cda",
                  "16": "pcsc", "16E": "ca2004"}

_Y = r"(?:\s*,?\s*(?:19|20)\d\d)?"
_ACTS = [  # order matters: a known Act claims its words before the generic "<word> Act 1234"
    ("dpa", rf"\bdpa{_Y}\b|\bdata\s+protection\s+act{_Y}"),
    ("ca1989", r"\bchildren\s+act\s*,?\s*1989\b|\bca\s*(?:19)?89\b"),
    ("ca2004", r"\bchildren\s+act\s*,?\s*2004\b|\bca\s*(?:20)?04\b"),
    ("cwsa", rf"\bcwsa\b|\bchildren'?s\s+well-?being\s+(?:and|&)\s+schools?\s+act{_Y}"),
    ("ca", r"\bchildren\s+act\b"),
    ("cda", rf"\bcrime\s+(?:and|&)\s+disorder\s+act{_Y}|\bcda\b"),
    ("pcsc", rf"\bpcsc\s*a?(?:\s+act)?{_Y}\b|\bpolice,?\s+crime,?\s+sentencing\s+(?:and|&)\s+courts\s+act{_Y}"
             r"|\bserious\s+violence\s+duty\b|\bknife\s+crime\s+duty\b"),
    ("other", r"\b(?:care|education|human\s+rights|mental\s+capacity|mental\s+health|equality|police|housing"
              r"|adoption\s+and\s+children|family\s+law|sexual\s+offences|freedom\s+of\s+information|foi"
              r"|children\s+and\s+social\s+work|social\s+services\s+and\s+well-?being|data\s+\(use\s+and\s+access\)"
              rf")\s+act{_Y}\b|\becha?r\b|\bhra\b|\buncrc\b|\bconvention\b|\b[a-z]+\s+act\s+(?:19|20)\d\d\b"),
]
_ACT_RES = [(name, re.compile(rx)) for name, rx in _ACTS]

_NOT_IN_WORD = r"(?<![\w'])"  # "she's 17", "shes 17" and "kids 5" are not section numbers
_SUBS = r"(?P<subs>(?:\s?\(\s*(?:\d{1,2}|[a-z]{1,4})\s*\))*)"
_CITES = [  # (kind, pattern); earlier kinds claim their span first
    ("sched", re.compile(
        _NOT_IN_WORD + r"(?:schedule|sched|sch)\.?\s*(?P<sch>\d+|one)\s*[,:–-]?\s*(?:(?:part|pt)\.?\s*\d\s*[,:–-]?\s*)?"
        r"(?:paragraphs?|paras?|p)\.?\s*(?P<n>\d{1,2})(?!\d)" + _SUBS)),
    ("para_of", re.compile(  # "paragraph 18 of schedule 1", "para 7 of annex 1", "paragraph 2 of article 9"
        _NOT_IN_WORD + r"(?:paragraphs?|paras?)\.?\s*(?P<n>\d{1,2})(?!\d)" + _SUBS
        + r"\s*,?\s*(?:(?:of|in)\s+)?(?:the\s+)?(?:(?P<annex>annex\s*(?:1|one|i)(?!\w))"
        r"|(?:schedule|sched|sch)\.?\s*(?P<sch>\d+)(?!\d)|(?:article|art)\.?\s*(?P<art>\d{1,2})(?!\d))")),
    ("annex", re.compile(
        _NOT_IN_WORD + r"annex\s*(?:1|one|i)(?![\w])(?:\s*[,:–-]?\s*(?:paragraphs?|paras?|p)\.?\s*(?P<n>\d{1,2})(?!\d)"
        + _SUBS + ")?")),
    ("article", re.compile(
        _NOT_IN_WORD + r"(?:articles?|arts?)\.?\s*(?P<n>\d{1,2})(?![\d])"
        r"(?P<spaced>\s+\d{1,2}(?:\s+(?:ea|[a-j]|i{1,3}|iv|v))?(?![\w(]))?" + _SUBS
        + r"(?P<tail>[a-j]\b)?")),
    ("section", re.compile(
        _NOT_IN_WORD + r"(?:sections?|sects?|secs?|ss|s)\.?\s*(?P<n>\d{1,3}[a-z]?)(?![\w])" + _SUBS
        + r"(?P<more>(?:\s*(?:,|and|or|&)\s*\d{1,3}[a-z]?(?![\w]))*)")),
    ("para", re.compile(
        _NOT_IN_WORD + r"(?:paragraphs?|paras?)\.?\s*(?P<n>\d{1,2})(?!\d)" + _SUBS)),
]
_SUB_TOKEN = re.compile(r"\(\s*(\d{1,2}|[a-z]{1,4})\s*\)")
# A section number followed by these is another Act's concept ("section 8 order", "section 11 audit").
_OTHER_CONCEPT = re.compile(r"^\s*(?:orders?|audits?)\b")
# An Article named as a kind of thing ("an Article 6 basis", "which art 9 one") rather than as a text to read.
_CATEGORY = re.compile(r"^\s*(?:lawful\s+)?(?:bas[ie]s|conditions?|grounds?|exceptions?|ones?)\b")
# What may stand between a citation and the Act it belongs to.
_GAP_AFTER = re.compile(r"^\s*(?:[,(:–-]\s*)?(?:(?:of|in|under)\s+(?:the\s+)?)?$")
_GAP_BEFORE = re.compile(r"^\s*(?:'?s\s+)?(?:[,:–-]\s*)?(?:the\s+)?$")

_DIGIT_MARK = re.compile(r"(?m)^(?:\d+[A-Z]?\s+)?\(\d+\)|^\d+\.\s")
_ROMAN = re.compile(r"i{1,3}|iv|vi{0,3}|ix|x")
_ROMAN_MARK = re.compile(r"(?m)^\((?:i{1,3}|iv|vi{0,3}|ix|x)\)")
_LETTER_MARK = re.compile(r"(?m)^\((?!(?:i{1,3}|iv|vi{0,3}|ix|x)\))[a-z]{1,2}\)")
_STOP = frozenset("""the and for are can who why how our his her its not but was any all has had get got one two
about actually after again also another answer article articles before being between cant could does doing dont
from have having into just need only other over para paragraph part provision provisions said same schedule section
sections should some such that their them then there these they this those under very want what when where whether
which while will with would your act dpa gdpr pcsc annex""".split())
_WORD = re.compile(r"[a-z]{3,}")


@dataclass(frozen=True)
class Citation:
    """One provision named in a question: where to look, and the sub-references inside it."""

    targets: tuple[tuple[str, str], ...]  # (document, heading prefix) to try in turn; the first present wins
    sub: tuple[str, ...]  # sub-references inside it: ("1", "e") for Article 6(1)(e)
    at: int  # position in the question


def _subs(text: str | None) -> tuple[str, ...]:
    return tuple(m.group(1) for m in _SUB_TOKEN.finditer(text or ""))


def _acts(q: str) -> list[tuple[int, int, str]]:
    found: list[tuple[int, int, str]] = []
    for name, rx in _ACT_RES:
        for m in rx.finditer(q):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), name))
    return found


def _attached(q: str, start: int, end: int, acts: list[tuple[int, int, str]]) -> str | None:
    """The Act written right beside a citation ("section 115 of the Crime and Disorder Act", "pcsc act s.16")."""
    for s, e, name in acts:
        if s >= end and _GAP_AFTER.match(q[end:s]):
            return name
        if e <= start and _GAP_BEFORE.match(q[e:start]):
            return name
    return None


def parse_citations(question: str) -> list[Citation]:
    """The provisions a question names, in the order it names them (resolution to headings, not chunks)."""
    q = question.lower().replace("’", "'").replace("‘", "'")
    acts = _acts(q)
    taken: list[tuple[int, int]] = []
    out: list[Citation] = []
    for kind, rx in _CITES:
        for m in rx.finditer(q):
            if any(s < m.end() and m.start() < e for s, e in taken):
                continue
            taken.append((m.start(), m.end()))
            out += _resolve(kind, m, q, acts)
    out.sort(key=lambda c: c.at)
    return out


def _resolve(kind: str, m: re.Match, q: str, acts: list[tuple[int, int, str]]) -> list[Citation]:
    at = m.start()
    subs = _subs(m.groupdict().get("subs"))
    if kind == "sched":
        if m.group("sch") not in ("1", "one"):
            return []
        return [Citation(((DPA, f"Schedule 1, paragraph {int(m.group('n'))}"),), subs, at)]
    if kind == "annex":
        n = m.group("n")
        return [Citation(((ANNEX, f"Annex 1, paragraph {int(n)}" if n else "Annex 1, paragraph"),), subs, at)]
    if kind == "para_of":
        n = int(m.group("n"))
        if m.group("annex"):
            return [Citation(((ANNEX, f"Annex 1, paragraph {n}"),), subs, at)]
        if m.group("art"):
            return [Citation(((ARTICLES, f"Article {int(m.group('art'))}"),), (str(n), *subs), at)]
        if m.group("sch") != "1":
            return []
        return [Citation(((DPA, f"Schedule 1, paragraph {n}"),), subs, at)]
    if kind == "para":
        return [Citation(((DPA, f"Schedule 1, paragraph {int(m.group('n'))}"),), subs, at)]
    if kind == "article":
        if _attached(q, m.start(), m.end(), acts) == "other":
            return []  # Article 8 ECHR, Article 12 UNCRC
        spaced = tuple((m.group("spaced") or "").split())
        tail = (m.group("tail"),) if m.group("tail") else ()
        if not (spaced or subs or tail) and _CATEGORY.match(q[m.end():]):
            return []  # "an art 6 basis", "which art 9 condition": any of its points, not the Article's text
        return [Citation(((ARTICLES, f"Article {int(m.group('n'))}"),), (*spaced, *subs, *tail), at)]
    # a section, or a list of them ("sections 8 and 10", "ss.4 and 78")
    if _OTHER_CONCEPT.match(q[m.end():]):
        return []
    attached = _attached(q, m.start(), m.end(), acts)
    numbers = [m.group("n"), *re.findall(r"\d{1,3}[a-z]?", m.group("more") or "")]
    out = []
    for i, raw in enumerate(numbers):
        n = raw.upper() if raw[-1].isalpha() else str(int(raw))
        if attached is not None:  # "section 115 of the Crime and Disorder Act", "s42 care act"
            names = [attached]
        else:  # an Act named elsewhere in the question, then the one Act the number alone means
            names = [name for _, _, name in acts if name != "other"] + [_BARE_SECTIONS.get(n, "other")]
        targets = tuple(dict.fromkeys((doc, tpl.format(n=n)) for name in names for doc, tpl in _ACT_SECTIONS[name]))
        if targets:
            out.append(Citation(targets, subs if i == 0 else (), at + i))
    return out


def _heading_matches(heading: str, prefix: str) -> bool:
    return heading.startswith(prefix) and not heading[len(prefix):len(prefix) + 1].isalnum()


def _stems(text: str) -> set[str]:
    return {w[:5] for w in _WORD.findall(text.lower()) if w not in _STOP}


def _marker(token: str) -> re.Pattern:
    if token.isdigit():  # "(2)" or "18 (2)" in an Act, "2." in the UK GDPR
        return re.compile(rf"(?m)^(?:\d+[A-Z]?\s+)?\({token}\)|^{token}\.\s")
    return re.compile(rf"(?m)^\({re.escape(token)}\)")


def _locate(cite: Citation, chunks: list[Chunk]) -> list[Chunk]:
    """The chunks holding a sub-provision ("(1)(e)"), the one where it starts first; [] if the extract lacks it."""
    lo, hi = chunks[0].start, max(c.end for c in chunks)
    at = None
    for token in cite.sub:
        hit = _first(_marker(token), chunks, lo if at is None else at + 1, hi)
        if hit is None:
            return []  # the extract lacks this sub-provision: say nothing rather than the wrong one
        at = hit
        # A point ends where the next point at its level (or a higher one) starts.
        levels = [_DIGIT_MARK] + ([] if token.isdigit() else [_LETTER_MARK])
        levels += [_ROMAN_MARK] if _ROMAN.fullmatch(token) else []
        ends = [p for p in (_first(rx, chunks, at + 1, hi) for rx in levels) if p is not None]
        hi = min(ends, default=hi)
    assert at is not None
    first = max((c for c in chunks if c.start <= at < c.end), key=lambda c: (c.end, -c.start))
    rest = [c for c in chunks if c.section == first.section and at < c.start < hi]
    return [first, *rest]


def _first(rx: re.Pattern, chunks: list[Chunk], lo: int, hi: int) -> int | None:
    best = None
    for c in chunks:
        if c.end <= lo or c.start >= hi:
            continue
        for m in rx.finditer(c.text):
            pos = c.start + m.start()
            if lo <= pos < hi and (best is None or pos < best):
                best = pos
                break
    return best


def _annex_paragraph(prefix: str, by_heading: dict[tuple[str, str], list[Chunk]]) -> list[Chunk]:
    """Annex 1 paragraphs 4 and 7 have no heading of their own: they sit under paragraphs 3 and 6."""
    rx = re.compile(rf"(?m)^{prefix.rsplit(' ', 1)[-1]}\.\s")
    for (doc, head), cs in by_heading.items():
        if doc == ANNEX and _heading_matches(head, "Annex 1, paragraph"):
            for c in sorted(cs, key=lambda c: c.start):
                if rx.search(c.text):
                    return [c]
    return []


def _gives_effect(cite: Citation, by_heading: dict[tuple[str, str], list[Chunk]]) -> list[Chunk]:
    """A point of a UK GDPR Article the extract lacks (Article 9(2)(g)) -> the DPA 2018 provision that names
    it ("the requirement in point (g) of Article 9(2)"), which is where UK law gives it content."""
    doc, prefix = cite.targets[0]
    if doc != ARTICLES or len(cite.sub) < 2 or not cite.sub[0].isdigit() or cite.sub[1].isdigit():
        return []
    n, par, point = prefix.rsplit(" ", 1)[-1], cite.sub[0], re.escape(cite.sub[1])
    other = r"\([a-z]{1,2}\),?\s+(?:(?:or|and)\s+)?"
    rx = re.compile(rf"\bArticle {n}\({par}\)\({point}\)|\bpoints? (?:{other})*\({point}\)"
                    rf"(?:,?\s+(?:(?:or|and)\s+)?\([a-z]{{1,2}}\))* of Article {n}\({par}\)")
    hits = [c for (d, _), cs in by_heading.items() if d == DPA for c in cs if rx.search(c.text)]
    return sorted(hits, key=lambda c: c.start)


def find_provisions(question: str, index_chunks: Sequence[Chunk], per_provision: int | None = None) -> tuple[str, ...]:
    """Chunk ids of the legislation chunks holding the provision(s) the question names, best first.

    Best first: for each provision named (in the order named), the chunk holding it -- the one with the
    sub-reference ("(1)(e)") when one is given, else the one sharing most words with the question; then
    the provisions' other chunks. `per_provision` caps the chunks returned for each provision.
    Deterministic, no model; a question naming no provision gives ().
    """
    if not isinstance(question, str) or not question.strip():
        return ()
    cites = parse_citations(question)
    if not cites:
        return ()
    wanted = {doc for c in cites for doc, _ in c.targets} | {DPA}
    by_heading: dict[tuple[str, str], list[Chunk]] = {}
    for c in index_chunks:
        if c.doc_id in wanted and c.section:
            by_heading.setdefault((c.doc_id, c.section[-1]), []).append(c)
    words = _stems(question)
    groups: list[list[Chunk]] = []
    for cite in cites:
        chunks: list[Chunk] = []
        for doc_id, prefix in cite.targets:
            chunks = sorted((c for (doc, head), cs in by_heading.items()
                             if doc == doc_id and _heading_matches(head, prefix) for c in cs),
                            key=lambda c: (c.start, c.end))
            if chunks:
                break
            if doc_id == ANNEX and prefix[-1].isdigit():
                chunks = _annex_paragraph(prefix, by_heading)
                break
        if not chunks:
            continue
        if cite.sub:
            found = _locate(cite, chunks) or _gives_effect(cite, by_heading)
        else:
            order = {c.id: i for i, c in enumerate(chunks)}
            found = sorted(chunks, key=lambda c: (-len(words & _stems(c.text)), order[c.id]))
        groups.append(found[:per_provision] if per_provision else found)
    ranked: list[str] = []
    for depth in range(max((len(g) for g in groups), default=0)):
        for g in groups:
            if depth < len(g) and g[depth].id not in ranked:
                ranked.append(g[depth].id)
    return tuple(ranked)
