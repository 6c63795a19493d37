"""Command line: `python -m bot build-spacy | validate`."""
from __future__ import annotations

import argparse
import sys

from bot import paths


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot", description="dx-advisor tools")
    commands = parser.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build-spacy", help="build the spaCy pipeline from data/entities if it changed")
    build.add_argument("--force", action="store_true", help="rebuild even if nothing changed")
    commands.add_parser("validate", help="check the project's own data files (entities, FAQ depth)")
    report = commands.add_parser("nlu-report", help="summarise a `rasa test nlu` results folder")
    report.add_argument("results", help="the --out folder of `rasa test nlu`")
    report.add_argument("--min-accuracy", type=float, default=0.0, help="fail below this intent accuracy")
    args = parser.parse_args(argv)

    from bot.yaml_source import DataError

    try:
        if args.command == "build-spacy":
            from bot.spacy_pipeline import ensure_pipeline

            built = ensure_pipeline(paths.ENTITY_DIR, paths.SPACY_PIPELINE_DIR, force=args.force)
            print(f"spaCy pipeline {'built' if built else 'up to date'}: {paths.SPACY_PIPELINE_DIR}")
        elif args.command == "validate":
            from bot.validate import validate_project

            problems = validate_project(paths.REPO_ROOT)
            for problem in problems:
                print(f"ERROR {problem}", file=sys.stderr)
            print(f"Project data: {len(problems)} problem(s).")
            return 1 if problems else 0
        elif args.command == "nlu-report":
            from pathlib import Path

            from bot.nlu_report import render, summarise

            summary = summarise(Path(args.results))
            print(render(summary))
            if summary["intent_accuracy"] < args.min_accuracy:
                print(f"Intent accuracy is below the floor of {args.min_accuracy}.", file=sys.stderr)
                return 1
    except DataError as err:
        print(f"ERROR {err}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
