"""`sharewise ingest` and `sharewise sources`: the command line over ingest.library, and the index update after."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

from ..settings import Settings
from .library import Provenance, ingest, remove, source_lines


def update_index(settings: Settings, progress: bool = True, embedder=None, second=None) -> dict:
    """Build the index for the corpus the folders hold now, embedding only documents not embedded before, and swap
    it in (a running server picks it up within seconds). The models are loaded unless given."""
    from ..corpus import load_corpus_for
    from ..embedding import load_embedder
    from ..index import build_index
    from ..pipeline import load_second
    from .registry import locked

    if embedder is None:
        embedder = load_embedder(settings.model_dir, settings.torch_threads)
        second = load_second(settings)
    with locked(settings.local_corpus_dir):  # one update at a time, from the corpus as it is once it holds the lock
        corpus = load_corpus_for(settings)
        return build_index(corpus, embedder, settings, settings.index_dir, progress=progress, second=second)


def cmd_ingest(args, settings: Settings) -> int:
    t0 = time.perf_counter()
    if args.remove:
        if args.paths:
            print("sharewise: --remove takes an id, not files: run it on its own", file=sys.stderr)
            return 2
        gone, unlinked = remove(args.remove, settings)
        print(f"Removed {gone.id} ({gone.title}) from {settings.local_corpus_dir}."
              + (f" It was marked as superseded by {', '.join(unlinked)}; that link is gone too." if unlinked else ""))
    else:
        meta = Provenance(title=args.title or "", publisher=args.publisher or "", id=args.id or "",
                          date=args.date or "", licence=args.licence or "", url=args.url or "",
                          supersedes=tuple(args.supersedes or ()),
                          checked_on=args.checked_on or "")
        added = ingest([Path(p) for p in args.paths], meta, settings)
        for a in added:
            pages = f", {a.pages} pages" if a.pages else ""
            size = f", {a.characters:,} characters" if a.status == "added" else ""
            print(f"{a.status.capitalize()}: {a.id} ({a.title}; {a.kind}{pages}{size})"
                  + (f". Note: {a.note}" if a.note else ""))
        if all(a.status == "unchanged" for a in added):
            print(f"Nothing changed ({time.perf_counter() - t0:.1f} s).")
            return 0
    print("Updating the index (only new or changed documents are embedded) ...", file=sys.stderr, flush=True)
    stats = update_index(settings, progress=not args.quiet)
    print(f"Index updated in {stats['seconds']:.1f} s: {stats['documents_embedded']} of {stats['documents']} "
          f"documents embedded, {stats['chunks']} chunks in all. A running Sharewise answers from it within seconds.")
    return 0


def cmd_sources(args, settings: Settings) -> int:
    from ..corpus import load_corpus_for

    lines = source_lines(load_corpus_for(settings))
    if args.json:
        print(json.dumps([s.to_json() for s in lines], indent=2, ensure_ascii=False))
        return 0
    due = [s for s in lines if s.check_due]
    for s in lines:
        where = "local" if s.local else "bundled"
        print(f"{s.id}  [{where}]  {s.title}")
        print(f"    publisher: {s.publisher}")
        print(f"    date: {s.date or 'not given'}; licence: {s.licence or 'not given'}")
        print(f"    currency: {s.currency}" + (f"; supersedes {', '.join(s.supersedes)}" if s.supersedes else ""))
        if s.note:
            print(f"    note: {s.note}")
        check = f"checked on {s.checked_on}" if s.checked_on else "never checked"
        print(f"    {check}" + ("  <- NOT CHECKED FOR 12 MONTHS: confirm it is still the current edition, then "
                                "ingest it again (or its successor)" if s.check_due else ""))
    print(f"{len(lines)} sources ({sum(s.local for s in lines)} local); "
          f"{len(due)} not checked for 12 months" + (f": {', '.join(s.id for s in due)}" if due else "") + ".")
    return 0
