"""Command line: `python -m bot build-spacy | migrate | validate | nlu-report | answer-report | chat | review
| stats | leads | export | model-stamp | endpoints`, and `python -m bot rasa ARGS`: Rasa's own command line with our
library patches (bot/rasa_patches.py).
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from bot import paths


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["rasa"]:  # everything after it is Rasa's
        from bot.rasa_patches import run_rasa

        run_rasa(argv[1:])
        return 0
    parser = argparse.ArgumentParser(prog="python -m bot", description="dx-advisor tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-spacy", help="build the spaCy pipeline from data/entities if it changed")
    commands.add_parser("build-answer-models", help="train the answer model from data/answers if it changed")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    migrate = commands.add_parser("migrate", help="bring the app database ($DATABASE_URL, else SQLite) to the newest schema")
    migrate.add_argument("--url", help="the database URL (default: $DATABASE_URL, else sqlite:///dx_advisor.db)")
    endpoints = commands.add_parser("endpoints", help="endpoints.yml for a run: the action server's port, and "
                                    "a Redis lock store when REDIS_URL is set (then SANIC_WORKERS > 1 works)")
    endpoints.add_argument("--actions-port", type=int, help="the port the action server listens on")
    endpoints.add_argument("--out", type=Path, required=True, help="where to write them")
    stamp = commands.add_parser("model-stamp", help="is the trained model up to date (--check), or record that it is")
    stamp.add_argument("model", type=Path, help="the model file, e.g. models/dx-advisor.tar.gz")
    stamp.add_argument("--check", action="store_true", help="exit 0 if nothing it was trained from changed, else 1")
    check = commands.add_parser("validate", help="check the data files; every problem names its file, line and fix")
    check.add_argument("--rasa", action="store_true", help="then run Rasa's own data validation (slower)")
    report = commands.add_parser("nlu-report", help="summarise a `rasa test nlu` results folder")
    report.add_argument("results", help="the --out folder of `rasa test nlu`")
    report.add_argument("--min-accuracy", type=float, default=0.0, help="fail below this intent accuracy")
    report.add_argument("--misses", action="store_true", help="also list every misclassified example")
    report.add_argument("--top", type=int, default=5, help="how many confused pairs to list")
    answers = commands.add_parser("answer-report", help="how well the held-out owner answers are understood, per slot")
    answers.add_argument("--min-accuracy", type=float, default=0.0, help="fail below this accuracy for any slot")
    chat = commands.add_parser("chat", help="send lines from standard input to a running assistant; print its replies")
    chat.add_argument("--url", default="http://localhost:5005", help="the assistant (Rasa run with --enable-api)")
    leads = commands.add_parser("leads", help="owners who asked for an adviser, with their contact, profile and plan")
    leads.add_argument("--url", help="the app database URL (default: $DATABASE_URL, else sqlite:///dx_advisor.db)")
    leads.add_argument("--since", type=_day, help="only leads from this day on, YYYY-MM-DD (UTC)")
    leads.add_argument("--json", action="store_true", help="one JSON object per line, for a CRM import")
    leads.add_argument("--notify-pending", action="store_true",
                       help="tell the operator now about leads nobody was told of (not tried, or failed)")
    export = commands.add_parser("export", help="write a firm's stored plan as a PDF, Markdown and its chart (PNG)")
    export.add_argument("sender", help="the conversation's sender id, e.g. tg-123456789")
    export.add_argument("--out", type=Path, default=Path("."), help="the folder to write to (default: here)")
    export.add_argument("--format", choices=["pdf", "md", "png", "all"], default="all", help="which file (default: all)")
    export.add_argument("--language", choices=["en", "zh"], help="default: the language the plan was made in")
    export.add_argument("--version", type=int, help="a version of the plan (default: the newest)")
    export.add_argument("--url", help="the app database URL (default: $DATABASE_URL, else sqlite:///dx_advisor.db)")
    _add_review_commands(commands)
    args = parser.parse_args(argv)

    from bot.yaml_source import DataError

    try:
        if args.command == "build-spacy":
            from bot.nlu.spacy_pipeline import ensure_pipeline

            built = ensure_pipeline(paths.ENTITY_DIR, paths.SPACY_PIPELINE_DIR, force=args.force)
            print(f"spaCy pipeline {'built' if built else 'up to date'}: {paths.SPACY_PIPELINE_DIR}")
        elif args.command == "build-answer-models":
            from bot.nlu.answer_model import CACHE_DIR, answer_models

            print(f"Answer models for {', '.join(sorted(answer_models()))}: {CACHE_DIR}")
        elif args.command == "migrate":
            return _migrate(args.url)
        elif args.command == "endpoints":
            return _write_endpoints(args.actions_port, args.out)
        elif args.command == "model-stamp":
            from bot.trainer.model_stamp import is_up_to_date, write_stamp

            if args.check:
                return 0 if is_up_to_date(args.model, paths.REPO_ROOT) else 1
            write_stamp(args.model, paths.REPO_ROOT)
        elif args.command == "validate":
            from bot.trainer.validate import validate_project

            problems = validate_project(paths.REPO_ROOT)
            for problem in problems:
                print(f"ERROR {problem.shown_from(paths.REPO_ROOT)}", file=sys.stderr)
            print(f"Project data: {len(problems)} problem(s).")
            if args.rasa and not problems:
                problems = _rasa_validation()
            if args.rasa:
                print(f"{len(problems)} problem(s): fix them from the top, then run `make validate` again."
                      if problems else "All checks passed.")
            return 1 if problems else 0
        elif args.command == "answer-report":
            from bot.trainer.answer_report import HELDOUT, evaluate, load_heldout, render

            low = []
            for language, path in HELDOUT.items():
                reports = evaluate(load_heldout(path))
                print(f"-- {path.name} --\n{render(reports)}\n")
                low += [f"{slot} ({language})" for slot, report in reports.items() if report.accuracy < args.min_accuracy]
            if low:
                print(f"Accuracy below {args.min_accuracy} for: {', '.join(low)}.", file=sys.stderr)
                return 1
        elif args.command == "leads":
            return _leads(args.url, args.since, args.json, args.notify_pending)
        elif args.command == "chat":
            return _chat(args.url)
        elif args.command == "export":
            return _export(args)
        elif args.command in ("review", "stats"):
            return _run_review_command(args)
        elif args.command == "nlu-report":
            from bot.trainer.nlu_report import render, summarise

            try:
                summary = summarise(args.results)
            except FileNotFoundError as err:
                print(f"ERROR {err}", file=sys.stderr)
                return 1
            print(render(summary, top=args.top, show_misses=args.misses))
            if summary["intent_accuracy"] < args.min_accuracy:
                print(f"Intent accuracy is below the floor of {args.min_accuracy}.", file=sys.stderr)
                return 1
    except DataError as err:
        print(f"ERROR {err.shown_from(paths.REPO_ROOT)}", file=sys.stderr)
        return 1
    return 0


def _write_endpoints(actions_port: int | None, out: Path) -> int:
    import os

    import yaml

    from bot.storage.endpoints import run_endpoints

    try:
        endpoints = run_endpoints(yaml.safe_load((paths.REPO_ROOT / "endpoints.yml").read_text()), os.environ,
                                  actions_port)
    except ValueError as err:
        print(f"ERROR {err}", file=sys.stderr)
        return 1
    out.parent.mkdir(parents=True, exist_ok=True)
    # it may hold the database's and Redis's passwords: readable by this user only
    descriptor = os.open(out, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.chmod(out, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as file:
        file.write(yaml.safe_dump(endpoints, sort_keys=False))
    if os.environ.get("DATABASE_URL", "").strip():
        tracker = endpoints["tracker_store"]
        where = f"{tracker['url']}:{tracker['port']}/{tracker['db']}" if tracker["dialect"] == "postgresql" else tracker["db"]
        print(f"Conversations in {tracker['dialect']} at {where} (DATABASE_URL).")
    if "lock_store" in endpoints:
        store = endpoints["lock_store"]
        print(f"Conversation locks in Redis at {store['url']}:{store['port']}/{store['db']}: "
              f"SANIC_WORKERS={os.environ.get('SANIC_WORKERS', '1')} worker(s).")
    return 0


def _migrate(url: str | None) -> int:
    from sqlalchemy.exc import SQLAlchemyError

    from bot.storage import Store

    store = Store(url)
    try:
        store.migrate()
        print(f"App database at revision {store.revision()}: {store.engine.url.render_as_string(hide_password=True)}")
    except SQLAlchemyError as err:
        reason = getattr(err, "orig", None) or err
        print(f"ERROR the app database could not be migrated: {str(reason).strip()}", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _leads(url: str | None, since, as_json: bool, notify_pending: bool = False) -> int:
    import json
    from datetime import datetime, time

    from sqlalchemy.exc import SQLAlchemyError

    from bot.handoff.lead import render_leads
    from bot.storage import Store

    store = Store(url)
    try:
        leads = store.leads(since=datetime.combine(since, time()) if since else None)
        if notify_pending:  # e.g. after a restart cut a notification short, or the mail server was down
            from bot.handoff.notify import FAILED, notify_operator

            for lead in leads:
                if lead.get("notified") in (None, FAILED):
                    lead["notified"] = notify_operator(lead)
                    store.set_lead_notified(lead["id"], lead["notified"])
    except SQLAlchemyError as err:
        reason = str(getattr(err, "orig", None) or err).strip()
        print(f"ERROR the app database could not be read ({reason}); is it migrated? Run `make migrate`.",
              file=sys.stderr)
        return 1
    finally:
        store.close()
    print("\n".join(json.dumps(lead, ensure_ascii=False) for lead in leads) if as_json else render_leads(leads))
    return 0


def _chat(url: str) -> int:
    import requests

    from bot.trainer.transcript import over_http, play

    parse, send = over_http(url.rstrip("/"))
    sys.stdin.reconfigure(errors="replace")  # bytes that are not UTF-8 are sent as U+FFFD, not a crash
    try:
        play(sys.stdin, parse, send, sys.stdout)
    except requests.RequestException as err:
        print(f"ERROR the assistant at {url} did not answer: {err}", file=sys.stderr)
        return 1
    return 0


def _rasa_validation() -> list[str]:
    """Rasa's validator over the project; its findings, printed one per line."""
    import os

    os.environ.setdefault("LOG_LEVEL", "WARNING")  # no progress bars from Rasa
    from bot.trainer.rasa_check import rasa_problems

    try:
        problems = rasa_problems(paths.REPO_ROOT)
    except Exception as err:  # noqa: BLE001 - Rasa raises many kinds on bad data; show the message only
        problems = [f"{type(err).__name__}: {' '.join(str(err).split())}"]
    for problem in problems:
        print(f"ERROR (Rasa) {problem}", file=sys.stderr)
    print(f"Rasa's data validation: {len(problems)} problem(s).")
    return problems


def _day(text: str):
    from bot.trainer.events import parse_day

    try:
        return parse_day(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def _add_review_commands(commands) -> None:
    """`review` and `stats`: read the tracker store (bot/trainer/review.py, stats.py)."""
    review = commands.add_parser("review", help="list what users said that went wrong (tracker store)")
    stats = commands.add_parser("stats", help="usage numbers from the tracker store, optionally a PNG chart")
    for sub in (review, stats):
        sub.add_argument("--db", default="sqlite:///dx_advisor.db",
                         help="tracker store SQLAlchemy URL (default: sqlite:///dx_advisor.db, what `make run` uses)")
        sub.add_argument("--since", type=_day, help="first day, YYYY-MM-DD (UTC, included)")
        sub.add_argument("--until", type=_day, help="last day, YYYY-MM-DD (UTC, included)")
        sub.add_argument("--sender-prefix", help="only conversations whose sender id starts with this")
        sub.add_argument("--idle-minutes", type=float, default=30,
                         help="an open form is abandoned after this long without events; 0: at the end of the data")
    review.add_argument("--threshold", type=float, default=0.6, help="low intent confidence is below this")
    review.add_argument("--export", metavar="STUB.yml", help="write the misunderstood texts as an NLU YAML stub")
    review.add_argument("--limit", type=int, default=25, help="messages shown per category (0: all)")
    stats.add_argument("--chart", metavar="OUT.png", help="write a PNG chart of conversations per day and channel")
    stats.add_argument("--top", type=int, default=10, help="how many questions and intents to list")
    stats.add_argument("--app-db", help="the app database with plans and check-ins "
                       "(default: $DATABASE_URL, else sqlite:///dx_advisor.db)")


def _export(args) -> int:
    from bot.report.export import FORMATS, ExportError, export_plan
    from bot.storage import Store

    store = Store(args.url)
    formats = list(FORMATS) if args.format == "all" else [args.format]
    try:
        for path in export_plan(store, args.sender, args.out, formats, args.language, args.version):
            print(f"Wrote {path}")
    except (ExportError, ValueError) as err:
        print(f"ERROR {err}", file=sys.stderr)
        return 1
    except Exception as err:  # noqa: BLE001 - e.g. a database that is missing or not migrated
        print(f"ERROR the app database could not be read ({type(err).__name__}); is it migrated? "
              "Run `make migrate`.", file=sys.stderr)
        return 1
    finally:
        store.close()
    return 0


def _progress_report(url: str | None) -> str:
    """How many firms finished step 1 of their first plan, and how long it took (the app database)."""
    from bot.storage import Store
    from bot.trainer.progress_stats import render_progress, step_one_progress

    store = Store(url)
    try:
        return render_progress(step_one_progress(store.first_plans(), store.checkins()))
    except Exception as err:  # noqa: BLE001 - a missing or old database: say so, the usage numbers stand
        return (f"Progress after the first plan: the app database could not be read ({type(err).__name__}); "
                "`make migrate` brings it to the newest schema.\n")
    finally:
        store.close()


def _run_review_command(args) -> int:
    from pathlib import Path

    from bot.trainer.events import ReviewError, load_events
    from bot.trainer.nlu_stub import to_nlu_stub
    from bot.trainer.review import render_review, review_events

    try:
        log = load_events(args.db, args.since, args.until, args.sender_prefix)
        if args.command == "review":
            review = review_events(log, args.threshold, args.idle_minutes)
            print(render_review(review, limit=args.limit or None))
            if args.export:
                stub = to_nlu_stub(review.findings())
                Path(args.export).write_text(stub, encoding="utf-8")
                examples = sum(1 for line in stub.splitlines() if line.startswith("    - "))
                print(f"\nWrote {examples} example(s) to label to {args.export}")
                if paths.DATA_DIR in Path(args.export).resolve().parents:
                    print("Note: files in data/ are trained on; label the examples before training.", file=sys.stderr)
        else:
            from bot.trainer.stats import compute_stats, render_stats, write_chart

            stats = compute_stats(log, args.idle_minutes)
            print(render_stats(stats, top=args.top), end="")
            print("\n" + _progress_report(args.app_db), end="")
            if args.chart:
                print(f"\nChart: {write_chart(stats, Path(args.chart))}")
    except ReviewError as err:
        print(f"ERROR {err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"ERROR cannot write {err.filename}: {err.strerror}" if err.filename else f"ERROR {err}",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
