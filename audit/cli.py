"""The ``audit`` command: parse arguments, call the library, pick renderers, exit.

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 the input cannot be
used (one line on stderr naming the file, the line and the problem); 3 an internal error.
Great Expectations is imported only by commands that run a suite, so ``--help`` is fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

FAIL_ON = ("error", "warning", "note", "never", "new")
FORMATS = ("html", "json", "junit", "sarif", "github")


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="audit", description="Check that every printed figure of a statistical report adds up.")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("run", help="audit an edition and write its reports")
    r.add_argument("edition", nargs="?", help="edition folder under --facts (default: the newest)")
    r.add_argument("--facts", default="facts", type=Path, help="facts folder (default ./facts)")
    r.add_argument("--expectations", default="expectations", type=Path, help="rules and suites folder (default ./expectations)")
    r.add_argument("--out", type=Path, help="report folder (default reports/EDITION)")
    r.add_argument("--fail-on", default="error", choices=FAIL_ON,
                   help="exit 1 when a finding is at or above this level; 'new': only unreviewed errors (default error)")
    r.add_argument("--format", action="append", choices=FORMATS,
                   help="outputs to write (repeatable; default html, json, junit); 'github' prints workflow annotations")
    r.add_argument("--quiet", action="store_true", help="print only the summary line")

    s = sub.add_parser("suites", help="regenerate the Great Expectations suites in expectations/gx from the rules")
    s.add_argument("--facts", default="facts", type=Path)
    s.add_argument("--expectations", default="expectations", type=Path)
    s.add_argument("--check", action="store_true", help="only check that the saved suites are current (exit 1 if not)")

    lr = sub.add_parser("rules", help="list the rule types (or the rules of a family)")
    lr.add_argument("family", nargs="?", help="a rules file under expectations/rules, without .yml")
    lr.add_argument("--expectations", default="expectations", type=Path)
    return p


def main(argv: list[str] | None = None) -> int:
    from audit.errors import InputError

    parser = _parser()
    args = parser.parse_args(argv)
    if not args.command:
        parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        print(f"audit: {exc.one_line()}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("audit: interrupted; reports written before are untouched", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours, not the user's input
        if os.environ.get("AUDIT_DEBUG"):
            raise
        print(f"audit: internal error: {type(exc).__name__}: {exc} (set AUDIT_DEBUG=1 for the traceback)", file=sys.stderr)
        return 3


def cmd_run(args) -> int:
    from audit.facts import check_edition_name
    from audit.findings import LEVEL_RANK
    from audit.run import Paths, audit_edition, newest_edition

    paths = Paths(args.facts, args.expectations)
    name = check_edition_name(args.edition) if args.edition else newest_edition(paths.facts)
    result = audit_edition(name, paths)
    formats = args.format or ["html", "json", "junit"]
    out = args.out or Path("reports") / name
    from audit.render import write_reports

    file_formats = [f for f in formats if f != "github"]
    written = write_reports(result, out, tuple(file_formats)) if file_formats else []
    if file_formats:
        import json

        from audit.render import write_atomic

        write_atomic(out / "suite.json", json.dumps(result.suite, ensure_ascii=False, indent=2, sort_keys=True) + "\n")
    if "github" in formats:
        from audit.render.github import render_github

        sys.stdout.write(render_github(result, facts_dir=str(args.facts)))
    s = result.summary()
    new = sum(1 for f in result.findings if result.is_new(f))
    print(f"audit {name}: {s['checks']} checks, {s['passed']} passed; "
          f"{s['error']} error, {s['warning']} warning, {s['note']} note ({new} new)"
          + (f" -> {out}/" if written else ""))
    if not args.quiet:
        for f in sorted(result.findings, key=lambda f: (-LEVEL_RANK[f.level], f.id)):
            status = "new" if result.is_new(f) else result.reviews[f.id].status
            culprit = f" [culprit {f.culprits[0].key}: {f.culprits[0].printed} -> {f.culprits[0].suggested}]" if f.culprits else ""
            print(f"  {f.level:7} {f.id} ({status}){culprit}")
    for stale in result.stale_reviews:
        print(f"  stale review: {stale.id} ({stale.status}) no longer matches a finding")
    return _exit_code(result, args.fail_on)


def _exit_code(result, fail_on: str) -> int:
    from audit.findings import LEVEL_RANK

    if fail_on == "never":
        return 0
    if fail_on == "new":
        return 1 if any(f.level == "error" and result.is_new(f) for f in result.findings) else 0
    return 1 if any(LEVEL_RANK[f.level] >= LEVEL_RANK[fail_on] for f in result.findings) else 0


def cmd_suites(args) -> int:
    from audit import gx
    from audit.facts import list_editions, load_edition
    from audit.render import write_atomic
    from audit.rules import load_family_rules
    from audit.run import Paths, rule_files

    paths = Paths(args.facts, args.expectations)
    families: dict[str, list[str]] = {}
    for name in list_editions(paths.facts):
        edition = load_edition(paths.facts, name)
        families.setdefault(edition.family, rule_files(edition))
    stale = 0
    for family, files in sorted(families.items()):
        rules = load_family_rules(paths.rules, files)
        text = gx.dump_suite(gx.suite_for([r.type for r in rules], family))
        path = gx.suite_path(paths.expectations, family)
        current = path.read_text(encoding="utf-8") if path.is_file() else None
        if current == text:
            print(f"{path}: current")
            continue
        stale += 1
        if args.check:
            print(f"{path}: out of date (run `audit suites`)")
        else:
            write_atomic(path, text)
            print(f"{path}: written")
    return 1 if (args.check and stale) else 0


def cmd_rules(args) -> int:
    from audit.rules import RULE_TYPES, load_family_rules

    if args.family:
        for rule in load_family_rules(args.expectations / "rules", [args.family]):
            print(f"{rule.id:40} {rule.type:13} {rule.title}")
        return 0
    for name, t in sorted(RULE_TYPES.items()):
        first = t.doc.splitlines()[0] if t.doc else ""
        print(f"{name:13} {t.kind:13} {first}")
    return 0


COMMANDS = {"run": cmd_run, "suites": cmd_suites, "rules": cmd_rules}

if __name__ == "__main__":
    raise SystemExit(main())
