"""The command line: parses arguments, calls the library, turns errors into messages and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from pathlib import Path

from . import __version__
from .errors import SharewiseError


def _settings(args):
    from .settings import Settings

    return Settings.from_env(top_k=getattr(args, "top_k", None))


def cmd_index(args) -> int:
    import tempfile
    import time

    from .corpus import load_corpus_for
    from .embedding import load_embedder
    from .index import build_index, index_staleness
    from .pipeline import load_second

    def step(message: str) -> None:  # what it is doing, on stderr (stdout keeps the one-line result)
        if not args.quiet:
            print(message, file=sys.stderr, flush=True)

    t0 = time.perf_counter()
    settings = _settings(args)
    corpus = load_corpus_for(settings)
    if not args.rebuild:
        step(f"Checking the index in {settings.index_dir} against the corpus, the models' files and the chunker "
             "settings ...")
        # Decided from the manifest and the files alone: no model is loaded, nothing is embedded.
        reasons = index_staleness(settings.index_dir, corpus, settings)
        if not reasons:
            print(f"The index in {settings.index_dir} is up to date (checked in {time.perf_counter() - t0:.1f} s).")
            return 0
        print(f"Building the index, because {'; '.join(reasons)}.", file=sys.stderr, flush=True)
    try:
        settings.index_dir.mkdir(parents=True, exist_ok=True)  # writable? asked before the models load
        tempfile.TemporaryFile(dir=settings.index_dir).close()
    except OSError as e:  # a read-only or full disk, or a folder the user may not write: say so, no traceback
        return _unwritable_index(settings, e)
    step(f"Loading the embedding model{'s (MiniLM and e5)' if settings.second_model else ' (MiniLM)'} ...")
    embedder = load_embedder(settings.model_dir, settings.torch_threads)
    second = load_second(settings)
    step(f"Chunking and embedding {len(corpus.documents)} documents ...")
    try:
        stats = build_index(corpus, embedder, settings, settings.index_dir, progress=not args.quiet, second=second)
    except OSError as e:
        return _unwritable_index(settings, e)
    print(f"Built {settings.index_dir}: {stats['chunks']} chunks, {stats['sentences']} sentences "
          f"from {len(corpus.documents)} documents in {stats['seconds']:.1f} s.")
    return 0


def _unwritable_index(settings, e: OSError) -> int:
    print(f"sharewise: the index cannot be written in {settings.index_dir} ({e.strerror or e}). Make the folder "
          "writable, or point SHAREWISE_INDEX_DIR at one that is; the index there was left as it was.",
          file=sys.stderr)
    return 5


def _read_line(prompt: str) -> str | None:
    print(prompt, end="", flush=True)
    raw = sys.stdin.buffer.readline()
    if not raw:
        return None
    return raw.decode("utf-8", errors="surrogateescape").rstrip("\r\n")


def _print_turn(turn, args) -> None:
    from .render import answer_text

    if args.json:
        print(json.dumps(turn.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(answer_text(turn, verbose=args.verbose or args.verbose_answer))


def cmd_ask(args) -> int:
    from .audit import new_session_id
    from .inputs import clean_question
    from .pipeline import Sharewise
    from .rules.facts import Edits

    settings = _settings(args)
    # The question and the edits are checked before anything loads: bad input fails in milliseconds.
    edits = Edits.of(_read_facts_file(args.facts)["facts"], where=args.facts) if args.facts else Edits()
    if args.question is not None:
        clean_question(args.question, settings.max_question_chars)
        sw = Sharewise.open(settings).with_audit()
        # Recorded before it is printed: an AuditError means nothing is shown (exit 7).
        _print_turn(sw.answer(args.question, tuple(args.history or ()), edits, session=new_session_id()), args)
        return 0
    sw = Sharewise.open(settings).with_audit()
    session = new_session_id()
    print("Sharewise: ask about sharing information to safeguard a child. No names are needed.\n"
          "Follow-up questions keep the conversation; type 'new' to start again, 'quit' to leave.")
    history: list[str] = list(args.history or ())
    while True:
        line = _read_line("\n> ")
        if line is None or line.strip().lower() in {"quit", "exit"}:
            return 0
        if line.strip().lower() == "new":
            history.clear()
            print("New conversation.")
            continue
        try:
            turn = sw.answer(line, tuple(history), edits, session=session)
        except SharewiseError as e:
            print(e)
            continue
        history.append(turn.question)
        _print_turn(turn, args)


def _read_facts_file(path: str) -> dict:
    import yaml

    from .rules.facts import FactsError

    try:
        raw = Path(path).read_bytes()
    except OSError as e:
        raise FactsError(f"cannot read the facts file {path}: {e.strerror}") from None
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        raise FactsError(f"the facts file {path} is not UTF-8 (bad byte at position {e.start}); "
                         "save it as UTF-8") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark else ""
        raise FactsError(f"the facts file {path} is not valid YAML{where}; it should hold a `facts:` mapping") from None
    if not isinstance(data, dict) or "facts" not in data:
        raise FactsError(f"the facts file {path} must hold a `facts:` mapping in the rules-spec vocabulary "
                         "(see evals/scenarios.yaml for examples)")
    return data


def cmd_check(args) -> int:
    from .checking import RulesCheck
    from .corpus import load_corpus
    from .inputs import clean_question
    from .render import determination_text
    from .rules import parse_facts
    from .rules.facts import Edits

    settings = _settings(args)
    if args.facts is None and args.text is None:
        print("sharewise: describe the situation in quotes, or give --facts FILE.yaml (or both)", file=sys.stderr)
        return 2
    data = _read_facts_file(args.facts) if args.facts else None
    text = clean_question(args.text, settings.max_question_chars) if args.text is not None else None
    rules = RulesCheck(load_corpus(settings.corpus_dir))  # the rules step alone: no model is loaded
    if text is None:
        assert data is not None
        defaults = (data.get("meta") or {}).get("defaults") if isinstance(data.get("meta"), dict) else None
        determination = rules.run(parse_facts(data["facts"], defaults, where=args.facts))
    else:
        # Facts read from the words; the answers in the file (the practitioner's) win.
        answers = Edits.of(data["facts"], where=args.facts) if data else Edits()
        read = rules.read((text,))
        determination = rules.check(read, answers, rules.others((text,), read)).determination
    if args.json:
        print(json.dumps(determination.to_json(), ensure_ascii=False, indent=2, default=str))
    else:
        print(determination_text(determination))
    return 0


def _port_taken(host: str, port: int) -> str | None:
    """Why host:port cannot be listened on (None: it can), asked by binding it for a moment as the server will
    (SO_REUSEADDR, as uvicorn sets it). Port 0 (any free port) is never taken."""
    import socket

    if port == 0:
        return None
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except (socket.gaierror, UnicodeError) as e:
        return f"the address {host!r} is not known here ({getattr(e, 'strerror', None) or e})"
    family, kind, proto, _, address = infos[0]
    try:
        with socket.socket(family, kind, proto) as s:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            s.bind(address)
    except OSError as e:
        return e.strerror or str(e)
    return None


def _cannot_serve(host: str, port: int, why: str) -> int:
    print(f"sharewise: cannot serve on {host}:{port} ({why}): is another program (or another Sharewise) using it? "
          "Choose another port with --port N or SHAREWISE_PORT=N.", file=sys.stderr)
    return 2


def cmd_serve(args) -> int:
    import os

    settings = _settings(args)
    host = args.host if args.host is not None else settings.host
    port = args.port if args.port is not None else settings.port
    if not 0 <= port <= 65535:
        print(f"sharewise: a port is a number from 1 to 65535 (0: any free one), not {port}: choose one with "
              "--port N or SHAREWISE_PORT=N.", file=sys.stderr)
        return 2
    auth = None
    raw = args.auth or os.environ.get("SHAREWISE_AUTH", "")
    if raw:
        user, _, password = raw.partition(":")
        if not user or not password:
            print("sharewise: --auth / SHAREWISE_AUTH must be user:password", file=sys.stderr)
            return 2
        auth = (user, password)
    # A busy port is found in milliseconds, before the models, the index and the web framework load.
    taken = _port_taken(host, port)
    if taken:
        return _cannot_serve(host, port, taken)

    from .pipeline import Sharewise
    from .ui.app import serve

    sw = Sharewise.open(settings).with_audit()  # refuses to start without a writable audit store
    try:
        serve(sw, host, port, auth, on_ready=lambda: print(
            f"Sharewise is ready at http://{host}:{port} (staff tools: /staff; press Ctrl+C to stop)", flush=True))
    except OSError as e:  # taken in the seconds the models took to load
        return _cannot_serve(host, port, e.strerror or "the server could not start")
    return 0


def cmd_eval(args) -> int:
    from .eval_report import write
    from .evaluate import read_questions, run_eval
    from .pipeline import Sharewise

    settings = _settings(args)
    read_questions(Path(args.questions))  # a bad file fails before the model loads
    sw = Sharewise.open(settings)

    def progress(i, n):
        if n and (i % 10 == 0 or i == n):
            print(f"\r{i}/{n} questions", end="", file=sys.stderr, flush=True)

    results = run_eval(sw, Path(args.questions), Path(args.scenarios) if args.scenarios else None, args.compare,
                       args.limit, progress)
    print(file=sys.stderr)
    command = "sharewise eval " + " ".join(sys.argv[2:]) if len(sys.argv) > 2 else ""
    paths = write(results, Path(args.out), command)
    m = results["metrics"]
    for u in results["unlocatable_spans"]:
        print(f"warning: {u['id']}: a gold span is not in the corpus and was not scored", file=sys.stderr)
    print(f"hit@5 {m['hit_at_5']:.3f}  hit@1500c {m['hit_at_1500c']:.3f}  MRR {m['mrr']:.3f}  quote support "
          f"{(m['quote_support'] or 0):.3f}  verbatim {m['quote_verbatim_rate']:.3f}  out-of-scope F1 "
          f"{m['out_of_scope_f1']:.3f}  p95 {m['latency_ms_p95']:.1f} ms")
    print("Wrote " + ", ".join(str(p) for p in paths[:3]))
    return 0


def cmd_rules_eval(args) -> int:
    from .situations import main as situations_main

    return situations_main([*args.files, *(["--json-out", args.json_out] if args.json_out else []),
                            *(["--failures"] if args.failures else [])])


def cmd_audit(args) -> int:
    from .audit import AuditStore

    settings = _settings(args)
    store = AuditStore(settings.data_dir, settings.retention_days)
    if args.action == "verify":
        witnesses: list[str] = []
        for name in args.witness or ():
            try:
                witnesses += Path(name).read_text(encoding="utf-8", errors="replace").splitlines()
            except OSError as e:
                print(f"sharewise: cannot read the witness file {name}: {e.strerror}", file=sys.stderr)
                return 2
        problems = store.verify(witnesses)
        if problems:
            print(f"The audit trail FAILS verification. First problem: {problems[0].what}", file=sys.stderr)
            for p in problems[1:10]:
                print(f"  also: {p.what}", file=sys.stderr)
            return 1
        seen = (f", and it only grew since the {sum(1 for w in witnesses if w.strip())} witness lines in "
                + ", ".join(args.witness)) if args.witness else ""
        print(f"The audit trail verifies: {store.status()['records']} records, chain and checkpoint intact{seen}.")
        return 0
    if args.action == "witness":
        problems = store.verify()
        if problems:  # a witness vouches for a trail: never for one that fails
            print(f"The audit trail FAILS verification, so no witness is given. First problem: {problems[0].what}",
                  file=sys.stderr)
            return 1
        line = store.witness()
        if args.out:
            with open(args.out, "a", encoding="utf-8") as f:
                f.write(line + "\n")
        print(line)
        return 0
    if args.action == "status":
        for k, v in store.status().items():
            print(f"{k}: {v}")
        return 0
    if args.action == "purge":
        n = store.purge()
        print(f"Purged the content of {n} records older than {settings.retention_days} days; the chain still verifies.")
        return 0
    if args.action == "reviewed":
        store.mark_retention_reviewed()
        print("Recorded that the retention period was reviewed today.")
        return 0
    if args.action == "export":
        from .review import export_rows

        text = export_rows(store, args.since, args.until, args.format)
        if args.out:
            open(args.out, "w", encoding="utf-8").write(text)
            print(f"Wrote {args.out}")
        else:
            print(text)
        return 0
    return 2


def cmd_ingest(args) -> int:
    from .ingest.commands import cmd_ingest as run

    return run(args, _settings(args))


def cmd_sources(args) -> int:
    from .ingest.commands import cmd_sources as run

    return run(args, _settings(args))


def cmd_bench(args) -> int:
    from .bench import run_bench

    return run_bench(_settings(args), args)


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="sharewise", description=(
        "Guidance on safeguarding information sharing (England), quoted exactly from the guidance and the "
        "law, offline. It supports, and never replaces, professional judgement."),
        epilog="Configuration: environment variables SHAREWISE_INDEX_DIR, SHAREWISE_MODEL_DIR, "
               "SHAREWISE_CORPUS_DIR, SHAREWISE_LOCAL_DIR (ingested documents), "
               "SHAREWISE_DATA_DIR (audit store), SHAREWISE_RETENTION_DAYS, SHAREWISE_TOP_K, "
               "and for serve SHAREWISE_AUTH, SHAREWISE_GUARDIAN_PASSWORD, SHAREWISE_EVALUATOR_PASSWORD, "
               "SHAREWISE_ALLOWED_HOSTS, FORWARDED_ALLOW_IPS, ... (see README).")
    p.add_argument("--version", action="version", version=f"sharewise {__version__}")
    p.add_argument("-v", "--verbose", action="store_true", help="log progress and dropped quotes to stderr")
    sub = p.add_subparsers(dest="command", required=True)

    ix = sub.add_parser("index", help="build the index if it is missing, stale or damaged")
    ix.add_argument("--rebuild", action="store_true", help="rebuild even if the index is up to date")
    ix.add_argument("--quiet", action="store_true", help="no progress bar")
    ix.set_defaults(func=cmd_index)

    ing = sub.add_parser("ingest", help="add local documents (PDF, Word .docx, HTML, Markdown, text) to the local "
                         "corpus folder (SHAREWISE_LOCAL_DIR) and update the index; --remove ID takes one out",
                         description="Each file is read in a sandboxed subprocess (limits on time, memory, pages and "
                                     "unpacked size; no network, no macros). Its text of record, the original and "
                                     "its provenance are kept in the local corpus folder; the bundled corpus is "
                                     "never written. Only new or changed documents are embedded; the new index is "
                                     "swapped in whole and a running server picks it up without a restart.")
    ing.add_argument("paths", nargs="*", metavar="PATH", help="the files to add")
    ing.add_argument("--title", help="the document's title (default: the file's own title or first heading)")
    ing.add_argument("--publisher", help="who issued it (required): every quote is labelled with it")
    ing.add_argument("--id", help="the id to list it under (default: from the title and the year of --date)")
    ing.add_argument("--date", metavar="YYYY-MM-DD", help="the edition's date")
    ing.add_argument("--licence", help="the terms it may be reused under")
    ing.add_argument("--supersedes", action="append", metavar="ID",
                     help="the id of a source this one replaces (repeatable): its quotes then carry a warning "
                          "naming this one, and this one is preferred where both say the same")
    ing.add_argument("--url", metavar="U", help="where it is published (recorded, never fetched)")
    ing.add_argument("--checked-on", metavar="YYYY-MM-DD",
                     help="when it was confirmed as the current edition (default: today)")
    ing.add_argument("--remove", metavar="ID", help="take the local document ID out (and update the index)")
    ing.add_argument("--quiet", action="store_true", help="no progress bar")
    ing.set_defaults(func=cmd_ingest)

    src = sub.add_parser("sources", help="list every source: publisher, date, licence, currency, what it "
                                         "supersedes, and any not checked for 12 months")
    src.add_argument("--json", action="store_true", help="one JSON list")
    src.set_defaults(func=cmd_sources)

    ask = sub.add_parser("ask", help="answer a question with verified quotes (no question: interactive)")
    ask.add_argument("question", nargs="?", help="the question; omit it for an interactive conversation")
    ask.add_argument("--json", action="store_true",
                     help="print one JSON object: the answer, `rules` (the check) and `audit_seq`, as the API does")
    ask.add_argument("--verbose", dest="verbose_answer", action="store_true",
                     help="also print each quote's character offsets, address and score, and the rule ids behind "
                          "each flag (all of them are in --json)")
    ask.add_argument("--top-k", type=int, default=None, metavar="N", help="passages to retrieve (default 5)")
    ask.add_argument("--history", action="append", metavar="EARLIER",
                     help="an earlier question in the same conversation (repeatable, oldest first)")
    ask.add_argument("--facts", metavar="EDITS.yaml", default=None,
                     help="your edits to the facts: a YAML `facts:` mapping (rules-spec names); facts read from "
                          "the words of the conversation fill the rest")
    ask.set_defaults(func=cmd_ask)

    ck = sub.add_parser("check", help="rules check: consent, public interest and Schedule 1 flags on the facts")
    ck.add_argument("text", nargs="?", help="the situation in your own words (no names needed)")
    ck.add_argument("--facts", metavar="FILE.yaml",
                    help="a YAML file with a `facts:` mapping (rules-spec vocabulary); with TEXT, these are your "
                         "answers and win over what is read from the words")
    ck.add_argument("--json", action="store_true", help="print one JSON object: consent, public_interest, "
                    "schedule_1, facts, trace, ...")
    ck.set_defaults(func=cmd_check)

    sv = sub.add_parser("serve", help="serve the chat in the browser (http://127.0.0.1:7860) and the staff tools "
                                      "(/staff: guardian and evaluator sign-in)")
    sv.add_argument("--host", default=None,
                    help="address to bind (default SHAREWISE_HOST, else 127.0.0.1: this computer only)")
    sv.add_argument("--port", type=int, default=None, metavar="N",
                    help="port (default SHAREWISE_PORT, else 7860; 0: any free port)")
    sv.add_argument("--auth", default=None, metavar="USER:PASSWORD",
                    help="require a login (or set SHAREWISE_AUTH=user:password)")
    sv.set_defaults(func=cmd_serve)

    ev = sub.add_parser("eval", help="evaluate on a question set (and scenarios); write results and a report")
    ev.add_argument("questions", help="JSON Lines: id, question, gold_spans, kind (+ notes, history)")
    ev.add_argument("--scenarios", default=None, help="worked scenarios (format of evals/scenarios.yaml)")
    ev.add_argument("--compare", action="store_true",
                    help="also run dense only, BM25 only and LlamaIndex's default pipeline, side by side")
    ev.add_argument("--out", required=True, metavar="DIR", help="where results.json, report.md and report.html go")
    ev.add_argument("--limit", type=int, default=None, metavar="N", help="only the first N questions (smoke runs)")
    ev.set_defaults(func=cmd_eval)

    re_ = sub.add_parser("rules-eval", help="measure the flags on situations in practitioners' words: from the "
                         "gold facts, from the free text, and after answering the tool's questions")
    re_.add_argument("files", nargs="+", help="situations files (like evals/situations-a.yaml)")
    re_.add_argument("--json-out", default=None, metavar="FILE", help="also write the figures as JSON")
    re_.add_argument("--failures", action="store_true", help="list the situations where a flag disagrees")
    re_.set_defaults(func=cmd_rules_eval)

    au = sub.add_parser("audit", help="the audit trail: verify, status, purge, export, witness")
    au.add_argument("action", choices=["verify", "status", "purge", "export", "reviewed", "witness"],
                    help="verify the chain; show counts and retention; purge expired content; export a date range; "
                         "record that retention was reviewed; print a signed witness of the head for the DPO")
    au.add_argument("--since", default=None, help="export from this date (YYYY-MM-DD)")
    au.add_argument("--until", default=None, help="export up to this date (YYYY-MM-DD)")
    au.add_argument("--format", choices=["csv", "json"], default="json")
    au.add_argument("--out", default=None, metavar="FILE",
                    help="export: write the export here; witness: also append the witness line here")
    au.add_argument("--witness", action="append", metavar="FILE",
                    help="verify: also check the trail only grew since each witness line in FILE (repeatable)")
    au.set_defaults(func=cmd_audit)

    b = sub.add_parser("bench", help="measure speed, memory and retrieval quality on this machine")
    b.add_argument("--questions", default=None, help="JSONL question file (default evals/questions-heldout.jsonl)")
    b.add_argument("--tune-questions", default=None,
                   help="JSONL file for the threshold sweep (default evals/questions-dev.jsonl)")
    b.add_argument("--skip-baseline", action="store_true", help="skip LlamaIndex's default pipeline")
    b.add_argument("--json-out", default=None, metavar="FILE", help="also write the figures as JSON")
    b.set_defaults(func=cmd_bench)
    return p


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.INFO if args.verbose else logging.WARNING, stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    if getattr(args, "top_k", None) is not None and args.top_k < 1:
        print("sharewise: --top-k must be 1 or more", file=sys.stderr)
        return 2
    try:
        return args.func(args)
    except SharewiseError as e:
        print(f"sharewise: {e}", file=sys.stderr)
        return e.exit_code
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
