"""Command line: ``python -m ktmsc validate | questionnaire | score | plan | report | purge | backup | restore``.

A stable interface for content authors, checks and operators. Exit codes: 0 success,
1 invalid content, 2 bad input (a file that cannot be read as an assessment, a bad
option), 3 the database cannot be opened or written.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from ktmsc.content import ContentError
from ktmsc.export import questionnaire_csv, questionnaire_json, questionnaire_markdown
from ktmsc.i18n import LANGS
from ktmsc.instrument import get_questionnaire, load_content
from ktmsc.model.assessment import AssessmentError, parse_assessment
from ktmsc.model.limits import MAX_FILE_BYTES
from ktmsc.model.questionnaire import PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN
from ktmsc.readout import build_readout

EXIT_OK, EXIT_INVALID, EXIT_BAD_INPUT, EXIT_DATABASE = 0, 1, 2, 3


def _validate(args: argparse.Namespace) -> int:
    result = load_content(args.directory or args.content)
    for p in result.problems:
        print(p.format())
    errors, warnings = len(result.errors), len(result.warnings)
    if result.ok:
        q = result.questionnaire
        counts = ", ".join(f"{s.id} {len(s.items)}" for s in q.sections)
        print(f"ok: questionnaire {q.version} with {len(q.items)} items ({counts}); {warnings} warning(s)")
        return EXIT_OK
    print(f"invalid: {errors} error(s), {warnings} warning(s)", file=sys.stderr)
    return EXIT_INVALID


def _questionnaire(args: argparse.Namespace) -> int:
    q = get_questionnaire(args.content)
    domains = args.domains.split(",") if args.domains else None
    if domains:
        unknown = [d for d in domains if d not in q.domain_ids]
        if unknown:
            print(
                f"error: unknown domain(s) {', '.join(unknown)}; choose from {', '.join(q.domain_ids)}", file=sys.stderr
            )
            return EXIT_BAD_INPUT
    if args.format == "pdf":
        if not args.out:
            print("error: --format pdf needs --out FILE.pdf", file=sys.stderr)
            return EXIT_BAD_INPUT
        from ktmsc.report import build_questionnaire_pdf

        Path(args.out).write_bytes(build_questionnaire_pdf(q, args.lang, domains, args.perspective))
        print(f"wrote {args.out}")
        return EXIT_OK
    if args.format == "json":
        out = questionnaire_json(q, domains, args.perspective)
    elif args.format == "csv":
        out = questionnaire_csv(q, domains, args.perspective, args.lang)
    else:
        out = questionnaire_markdown(q, args.lang, domains, args.perspective)
    sys.stdout.write(out if out.endswith("\n") else out + "\n")
    return EXIT_OK


def _read_assessment(q, file: str):
    """The assessment in ``file``, or an error line on stderr and None."""
    path = Path(file)
    try:
        if not path.is_file():
            print(f"error: {path}: no such file", file=sys.stderr)
            return None
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:  # the same error parse_assessment raises, without reading the file
            raise AssessmentError("too_large", size_kb=math.ceil(size / 1000), limit_kb=MAX_FILE_BYTES // 1000)
        with path.open("rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)  # a file that grew since is still caught by the parser
        return parse_assessment(raw, q)
    except AssessmentError as exc:
        print(f"error: {path}: {exc}", file=sys.stderr)
    except OSError as exc:
        print(f"error: {path}: cannot read the file ({exc.strerror})", file=sys.stderr)
    return None


def _score(args: argparse.Namespace) -> int:
    q = get_questionnaire(args.content)
    assessment = _read_assessment(q, args.file)
    if assessment is None:
        return EXIT_BAD_INPUT
    readout = build_readout(q, assessment)
    out = readout.result.to_json()
    for domain_id, shown in readout.domains.items():
        # The steps the results open with that serve this domain, then its other first steps.
        out[domain_id]["next_steps"] = [s.recommendation.id for s in readout.next_steps if domain_id in s.domains]
        out[domain_id]["first_steps"] = [step.recommendation.id for step in shown.advice.first_steps]
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return EXIT_OK


def _plan(args: argparse.Namespace) -> int:
    from ktmsc.plan import shortest_way

    q = get_questionnaire(args.content)
    assessment = _read_assessment(q, args.file)
    if assessment is None:
        return EXIT_BAD_INPUT
    for kind, value, known in (("domain", args.domain, q.domain_ids), ("type", args.target, tuple(q.types))):
        if value not in known:
            print(f"error: unknown {kind} {value!r}: use one of {', '.join(known)}", file=sys.stderr)
            return EXIT_BAD_INPUT
    if args.domain not in assessment.domains:
        print(
            f"error: {args.file}: the assessment does not cover {args.domain!r} ({', '.join(assessment.domains) or 'no domain'})",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    print(json.dumps(shortest_way(q, assessment, args.domain, args.target).to_json(), ensure_ascii=False, indent=2))
    return EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from ktmsc.report import build_report

    q = get_questionnaire(args.content)
    assessment = _read_assessment(q, args.file)
    previous = _read_assessment(q, args.previous) if args.previous else None
    if assessment is None or (args.previous and previous is None):
        return EXIT_BAD_INPUT
    Path(args.out).write_bytes(build_report(q, assessment, args.lang, previous=previous))
    print(f"wrote {args.out}")
    return EXIT_OK


def _purge(args: argparse.Namespace) -> int:
    """Delete what the retention period has run out for, in the database the app uses."""
    from ktmsc.storage import StorageError, Store, database_url, retention

    try:
        older_than = retention.period(args.months)
    except StorageError as exc:
        print(f"error: --months: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    try:
        with Store(database_url(), questionnaire=get_questionnaire(args.content)) as store:
            purged = store.purge(older_than, dry_run=args.dry_run)
    except ContentError:
        raise
    except Exception as exc:  # unreachable server, locked file, bad URL: one line, never the password
        reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        print(f"error: the database could not be purged ({reason[:300]})", file=sys.stderr)
        return EXIT_DATABASE
    verb = "would delete" if args.dry_run else "deleted"
    print(
        f"{verb} {purged.workshops} closed workshop(s) with {purged.participants} participant(s) and "
        f"{purged.assessments} assessment(s) unchanged for more than {args.months} month(s)"
    )
    return EXIT_OK


def _backup(args: argparse.Namespace) -> int:
    """A consistent copy of the running SQLite database (PostgreSQL: pg_dump, see docs/DATA.md)."""
    from ktmsc.storage import database_url
    from ktmsc.storage.backup import BackupError, backup

    try:
        snapshot = backup(database_url(), Path(args.out))
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except OSError as exc:
        print(f"error: the backup could not be written ({exc.strerror or exc})", file=sys.stderr)
        return EXIT_DATABASE
    print(f"wrote {snapshot.path}: {snapshot.describe()}")
    return EXIT_OK


def _restore(args: argparse.Namespace) -> int:
    """Replace the SQLite database by a backup, keeping the current one next to it."""
    import sqlite3

    from ktmsc.storage import database_url
    from ktmsc.storage.backup import BackupError, restore

    try:
        snapshot, kept = restore(Path(args.file), database_url())
    except BackupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except (OSError, sqlite3.Error) as exc:  # e.g. an app server still holds the database
        print(f"error: the database could not be restored ({exc}); stop the app servers first", file=sys.stderr)
        return EXIT_DATABASE
    if kept is not None:
        print(f"kept the previous database as {kept}")
    print(f"restored {snapshot.describe()} from {snapshot.path}")
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m ktmsc", description="KTMSC Self-Check: content checks, questionnaire export and scoring."
    )
    parser.add_argument("--content", default=None, help="content folder (default: the shipped questionnaires/)")
    commands = parser.add_subparsers(dest="command", required=True)

    validate = commands.add_parser("validate", help="check the content; exit 0 only when it is valid")
    validate.add_argument(
        "directory", nargs="?", default=None, help="content folder (default: --content, else questionnaires/)"
    )
    validate.set_defaults(run=_validate)

    export = commands.add_parser("questionnaire", help="print the full questionnaire")
    export.add_argument("--format", choices=["json", "csv", "markdown", "pdf"], default="json")
    export.add_argument(
        "--lang",
        choices=LANGS,
        default="de",
        help="language of the markdown, pdf and csv forms (csv: de for German Excel with ';', en with ',')",
    )
    export.add_argument("--out", default=None, help="file to write (needed for pdf)")
    export.add_argument("--domains", default=None, help="comma-separated domain ids (default: all)")
    export.add_argument("--perspective", choices=[PERSPECTIVE_ADMIN, PERSPECTIVE_CITIZEN], default=PERSPECTIVE_ADMIN)
    export.set_defaults(run=_questionnaire)

    score_cmd = commands.add_parser("score", help="score a saved assessment (JSON) and print the result as JSON")
    score_cmd.add_argument("file")
    score_cmd.set_defaults(run=_score)

    plan = commands.add_parser(
        "plan", help="the cheapest answer changes that make a domain stable in a target type, as JSON"
    )
    plan.add_argument("file")
    plan.add_argument("--domain", required=True, help="a domain id the assessment covers")
    plan.add_argument("--target", required=True, help="a type id, e.g. leuchtturm")
    plan.set_defaults(run=_plan)

    report = commands.add_parser("report", help="write the PDF report of a saved assessment")
    report.add_argument("file")
    report.add_argument("--out", required=True, help="PDF file to write")
    report.add_argument("--lang", choices=LANGS, default="de")
    report.add_argument("--previous", default=None, help="an earlier assessment (JSON): adds the development")
    report.set_defaults(run=_report)

    purge = commands.add_parser(
        "purge",
        help="delete closed workshops and assessments unchanged for longer than --months (KTMSC_DATABASE_URL)",
    )
    purge.add_argument("--months", type=int, required=True, help="the retention period in months (31 days each)")
    purge.add_argument("--dry-run", action="store_true", help="only count what would be deleted")
    purge.set_defaults(run=_purge)

    backup = commands.add_parser(
        "backup", help="write a consistent copy of the SQLite database while the app runs (KTMSC_DATABASE_URL)"
    )
    backup.add_argument("out", help="the backup file to write (must not exist yet)")
    backup.set_defaults(run=_backup)

    restore = commands.add_parser(
        "restore", help="replace the SQLite database by a backup (stop the app first; the current one is kept)"
    )
    restore.add_argument("file", help="a backup written by `python -m ktmsc backup`")
    restore.set_defaults(run=_restore)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except ContentError as exc:
        print(f"error: the content is invalid; run `python -m ktmsc validate` for details\n{exc}", file=sys.stderr)
        return EXIT_INVALID
    except BrokenPipeError:
        return EXIT_OK
