"""The ``audit`` command: parse arguments, call the library, pick renderers, exit.

Exit codes: 0 no finding at or above --fail-on; 1 there is one; 2 the input cannot be
used (one line on stderr naming the file, the line and the problem); 3 an internal error;
4 (batches: `run --all`, `scan` of more than one document) some report could not be audited, listed
as failed in the index;
141 (128 + SIGPIPE, as a shell reports `cat` or `git log` killed by a closed pipe) the reader of the
output went away (`audit rules | head -1`): nothing more is printed, no message, no traceback.
Great Expectations is imported only by commands that run a suite, so ``--help`` is fast.
"""
from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

FAIL_ON = ("error", "warning", "note", "never", "new")
FORMATS = ("html", "json", "junit", "sarif", "github", "summary", "pdf")


class UsageError(Exception):
    """A bad option or argument: one line naming the problem, with a hint where to look."""


class _Parser(argparse.ArgumentParser):
    """argparse that reports a bad option as one line (not five lines of usage), in ``self.lang``."""

    lang = "en"

    def error(self, message: str):
        from audit.i18n import source, translator

        _ = translator(self.lang) if self.lang != "en" else source()
        raise UsageError(" ".join(message.split()) + _(" (see `{prog} --help`)", prog=self.prog))


def _argv_lang(argv: list[str]) -> str:
    """The language of the command line's own words (help, usage errors), known before parsing:
    ``--lang X`` or ``--lang=X`` if given, else the locale, else English."""
    from audit.i18n import resolve

    given = None
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            given = argv[i + 1]
        elif arg.startswith("--lang="):
            given = arg.split("=", 1)[1]
    return resolve(given)


def _parser(lang: str = "en") -> argparse.ArgumentParser:
    from audit.i18n import source, translator

    _ = translator(lang) if lang != "en" else source()  # `audit --help` in English loads no catalog
    parser_class = type("_Parser", (_Parser,), {"lang": lang})  # argparse makes the subcommands' parsers of it
    p = parser_class(prog="audit", description=_("Check that every printed figure of a statistical report adds up."))
    # `audit --lang zh scan ...` as well as `audit scan --lang zh ...`: its own dest, because a
    # subcommand's defaults would overwrite a shared one (main() merges them; the subcommand's wins)
    add_lang_argument(p, _, dest="global_lang")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    r = sub.add_parser("run", help=_("audit an edition and write its reports"))
    r.add_argument("edition", nargs="?", help=_("edition folder under --facts (default: the newest)"))
    r.add_argument("--facts", default="facts", type=Path, help=_("facts folder (default ./facts)"))
    r.add_argument("--expectations", default="expectations", type=Path, help=_("rules and suites folder (default ./expectations)"))
    r.add_argument("--out", type=Path, help=_("report folder (default reports/EDITION)"))
    r.add_argument("--fail-on", default="error", choices=FAIL_ON,
                   help=_("exit 1 when a finding is at or above this level; 'new': only unreviewed errors (default error)"))
    r.add_argument("--format", action="append", choices=FORMATS,
                   help=_("outputs to write (repeatable; default html, json, junit); 'github' prints workflow annotations, "
                        "'summary' writes summary.md (a Markdown table for $GITHUB_STEP_SUMMARY), "
                        "'pdf' prints report.pdf with headless Chromium (skipped with a note when there is none)"))
    r.add_argument("--quiet", action="store_true", help=_("print only the summary line"))
    add_lang_argument(r, _)
    r.add_argument("--all", action="store_true",
                   help=_("audit every edition under --facts as one batch: reports in --out (default reports)/EDITION, "
                        "with index.html and index.json; exit 4 if some could not be audited"))
    from audit.batch.command import add_arguments as _batch_arguments

    _batch_arguments(r, _)

    s = sub.add_parser("suites", help=_("regenerate the Great Expectations suites in expectations/gx from the rules"))
    add_lang_argument(s, _)
    s.add_argument("--facts", default="facts", type=Path)
    s.add_argument("--expectations", default="expectations", type=Path)
    s.add_argument("--check", action="store_true", help=_("only check that the saved suites are current (exit 1 if not)"))

    rv = sub.add_parser("review", help=_("record a reviewer's decision on a finding in facts/EDITION/reviews.yml"))
    add_lang_argument(rv, _)
    rv.add_argument("id", metavar="ID", help=_("the finding's check id, as `audit run` prints it"))
    rv.add_argument("--status", required=True, metavar="STATUS",
                    help=_("accepted (real but intended or explained) | confirmed-in-source (a real error of the "
                         "published text, left as published) | false-positive | fixed-in-source"))
    rv.add_argument("--reason", required=True, help=_("why: one short sentence"))
    rv.add_argument("--by", help=_("who decided (default: git config user.name, else $USER)"))
    rv.add_argument("--date", help=_("YYYY-MM-DD (default: today)"))
    rv.add_argument("--edition", help=_("edition folder under --facts (default: the newest)"))
    rv.add_argument("--facts", default="facts", type=Path, help=_("facts folder (default ./facts)"))
    rv.add_argument("--expectations", default="expectations", type=Path, help=_("rules and suites folder (default ./expectations)"))

    x = sub.add_parser("extract", help=_("read a draft (.txt .pdf .docx .html) into facts/EDITION (see docs/new-edition.md)"))
    add_lang_argument(x, _)
    x.add_argument("draft", type=Path, help=_("the draft report: .txt (UTF-8, UTF-16, GBK), .pdf, .docx or .html"))
    x.add_argument("--edition", required=True, help=_("the edition folder to write under --facts, e.g. 2023"))
    x.add_argument("--facts", default="facts", type=Path, help=_("facts folder (default ./facts)"))
    x.add_argument("--expectations", default="expectations", type=Path,
                   help=_("folder of extract/<family>.yml pattern files (default ./expectations)"))
    x.add_argument("--family", help=_("report family (default: that of the edition before it)"))
    x.add_argument("--prior", help=_("the prior edition to compare with (default: the newest earlier one of the family)"))
    x.add_argument("--force", action="store_true",
                   help=_("replace an existing edition folder (the old one is kept under EDITION/.replaced/)"))

    cv = sub.add_parser("coverage", help=_("list the numbers of an edition's source.txt that are neither a fact nor an exclusion"))
    add_lang_argument(cv, _)
    cv.add_argument("edition", help=_("edition folder under --facts"))
    cv.add_argument("--facts", default="facts", type=Path, help=_("facts folder (default ./facts)"))
    sc = sub.add_parser("scan", help=_("audit any bulletin as it stands (.txt .pdf .docx .html): no facts, no rules"))
    sc.add_argument("paths", nargs="+", type=Path, metavar="PATH", help=_("a bulletin, or a folder of them"))
    sc.add_argument("--out", type=Path, help=_("report folder (default reports/scan/<file stem>; several files: one folder each under it)"))
    sc.add_argument("--fail-on", default="error", choices=FAIL_ON, help=_("exit 1 when a finding is at or above this level"))
    sc.add_argument("--format", action="append", choices=FORMATS, help=_("outputs to write (repeatable; default html, json, junit)"))
    sc.add_argument("--quiet", action="store_true", help=_("print only the summary line of each bulletin"))
    _batch_arguments(sc, _)  # --jobs N / --cluster: the documents as one batch, with reports/scan/index.html
    add_lang_argument(sc, _)

    it = sub.add_parser("init", help=_("turn a scan of a bulletin into a maintained family: facts, rules, pattern file"))
    add_lang_argument(it, _)
    it.add_argument("path", type=Path, metavar="PATH", help=_("the bulletin"))
    it.add_argument("--family", required=True, help=_("the family name, e.g. tangshan-12345"))
    it.add_argument("--period", help=_("the edition's period, e.g. 2024-11 (default: read from the text)"))
    it.add_argument("--facts", default="facts", type=Path, help=_("facts folder (default ./facts)"))
    it.add_argument("--expectations", default="expectations", type=Path, help=_("rules folder (default ./expectations)"))
    it.add_argument("--force", action="store_true", help=_("replace an existing edition folder and rules file"))

    df = sub.add_parser("diff", help=_("what changed between two editions: figures by key, sections, reworded sentences"))
    add_lang_argument(df, _)
    df.add_argument("old", help=_("the earlier edition, e.g. 2022"))
    df.add_argument("new", help=_("the later edition, e.g. 2023"))
    df.add_argument("--facts", default="facts", type=Path, help=_("facts folder (default ./facts)"))
    df.add_argument("--expectations", default="expectations", type=Path, help=_("rules folder, for align: (default ./expectations)"))
    df.add_argument("--format", default="text", choices=("text", "json"), help=_("text (default) or json"))

    lr = sub.add_parser("rules", help=_("list the rule types (or the rules of a family)"))
    add_lang_argument(lr, _)
    lr.add_argument("family", nargs="?", help=_("a rules file under expectations/rules, without .yml"))
    lr.add_argument("--expectations", default="expectations", type=Path)
    return p


def add_lang_argument(parser: argparse.ArgumentParser, _=None, dest: str = "lang") -> None:
    """``--lang zh|en`` for a command that writes or prints a report (default: the manifest's
    ``language:``, else the locale, else English); also before the command (``dest="global_lang"``)."""
    if _ is None:
        from audit.i18n import source as _source

        _ = _source()
    parser.add_argument("--lang", choices=("zh", "en"), dest=dest,
                        help=_("language of the reports and messages (default: the manifest's language:, else the locale)"))


def entry() -> None:
    """The ``audit`` command: :func:`main`, then exit without freeing the heap object by object.

    An audit of a large edition holds millions of small objects; at 1000x the 2022 edition,
    Python's teardown spent 6.5 s freeing them after every output was written and closed.
    Reports are written atomically (renamed into place) before :func:`main` returns, and the
    streams are flushed here, so nothing is lost by leaving at once.
    """
    try:
        code = main()
    except SystemExit as exc:  # argparse's own exit after --help (which swallows a write error itself)
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
        if _output_closed():
            code = _reader_gone()
    except BrokenPipeError:  # the stderr of a handler, when stdout and stderr share the closed pipe
        code = _reader_gone()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:  # `audit rules | head -1`: the rest of the output has no reader
            code = _reader_gone()
        except (OSError, ValueError):
            pass
    os._exit(code)


PIPE_CLOSED = 141  # 128 + SIGPIPE: what a shell reports for a Unix tool whose reader went away


def _reader_gone() -> int:
    """The reader of our output closed it (``audit diff A B | head``): stop quietly, as Unix tools do.

    Python ignores SIGPIPE and raises BrokenPipeError instead; standard tools die of the signal
    without a word, and the shell reports 141. We exit 141 too, with no message (there is no one
    to read it). Standard output and error are pointed at /dev/null first so that the buffered
    rest of the output, flushed on the way out, cannot raise again.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    for stream in (sys.stdout, sys.stderr):
        try:
            os.dup2(devnull, stream.fileno())
        except (OSError, ValueError, AttributeError):  # not a real file (tests capture in memory)
            pass
    os.close(devnull)
    return PIPE_CLOSED


def _output_closed() -> bool:
    """Whether standard output or error is a pipe (or socket) whose reader has gone.

    poll() reports POLLERR on the write end of a pipe with no reader left; a BrokenPipeError of
    some other pipe of ours (a worker, a browser) is a bug, not the user's ``| head``."""
    import select

    for stream in (sys.stdout, sys.stderr):
        try:
            poller = select.poll()
            poller.register(stream.fileno(), select.POLLOUT)
            if any(events & (select.POLLERR | select.POLLHUP) for _, events in poller.poll(0)):
                return True
        except (OSError, ValueError, AttributeError):
            continue
    return False


def main(argv: list[str] | None = None) -> int:
    from audit.errors import InputError

    from audit.i18n.argparse_words import speaking

    _console_degrades()
    lang = _argv_lang(sys.argv[1:] if argv is None else list(argv))
    with speaking(lang):  # argparse says some of its words when the parser is made ("options")
        parser = _parser(lang)
    try:
        with speaking(lang):
            args = parser.parse_args(argv)
    except UsageError as exc:
        print(f"audit: command line: {exc}", file=sys.stderr)
        return 2
    if getattr(args, "lang", None) is None:  # `audit --lang zh scan ...`: the option before the command
        args.lang = args.global_lang
    if not args.command:
        with speaking(lang):
            parser.print_help()
        return 2
    try:
        return COMMANDS[args.command](args)
    except InputError as exc:
        from audit.i18n import resolve
        from audit.i18n.problems import one_line

        print(f"audit: {one_line(exc, resolve(getattr(args, 'lang', None)))}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("audit: interrupted; reports written before are untouched", file=sys.stderr)
        return 130
    except Exception as exc:  # a bug of ours, not the user's input
        if isinstance(exc, BrokenPipeError) and _output_closed():  # `audit diff A B | head`: not a bug
            return _reader_gone()
        if os.environ.get("AUDIT_DEBUG"):  # the traceback, then the same line and exit code 3
            import traceback

            traceback.print_exc()
            print(f"audit: internal error: {type(exc).__name__}: {_one_line(exc)}", file=sys.stderr)
            return 3
        print(f"audit: internal error: {type(exc).__name__}: {_one_line(exc)} (set AUDIT_DEBUG=1 for the traceback)", file=sys.stderr)
        return 3


def _translator(args, manifest_language: object = None):
    """The words of a command's output: ``--lang``, else the manifest's ``language:`` (when the
    command reads an edition), else the locale, else English."""
    from audit.i18n import resolve, translator

    return translator(resolve(getattr(args, "lang", None), manifest_language))


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split())


def _console_degrades() -> None:
    """A console that cannot show Chinese (PYTHONIOENCODING=ascii, a C locale) gets escapes, not a crash.

    Reports are files written as UTF-8 whatever the console; only what is printed degrades:
    a character the console's encoding lacks is printed as a backslash escape.
    """
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").lower().replace("-", "").replace("_", "")
        if encoding in ("utf8", "utf8sig"):
            continue
        try:
            stream.reconfigure(errors="backslashreplace")
        except (AttributeError, ValueError, OSError):  # not a text stream we may reconfigure
            pass


def cmd_run(args) -> int:
    from audit.run import paused_gc

    with paused_gc():  # the reports of a large edition are millions of objects too (see audit.run)
        return _cmd_run(args)


def _cmd_run(args) -> int:
    if args.all:
        from audit.batch.command import cmd_run_all

        return cmd_run_all(args)
    from audit.errors import InputError
    from audit.facts.edition import check_edition_name
    from audit.findings.record import LEVEL_RANK
    from audit.run import Paths, audit_edition, newest_edition, repo_path

    paths = Paths(args.facts, args.expectations)
    name = check_edition_name(args.edition) if args.edition is not None else newest_edition(paths.facts)
    _out_is_a_file(args.out)  # fail before the work
    result = audit_edition(name, paths)
    from audit.i18n import resolve, translator

    lang = resolve(args.lang, result.language)
    _ = translator(lang)
    formats = args.format or ["html", "json", "junit"]
    out = args.out or Path("reports") / name
    import json

    from audit.render import file_formats, write_atomic, write_reports

    facts_dir = repo_path(args.facts)  # every output names the facts as the repository does
    suite = {"suite.json": json.dumps(result.suite, ensure_ascii=False, indent=2, sort_keys=True) + "\n"}
    files = file_formats(formats)
    written = write_reports(result, out, files, lang=lang, facts_dir=facts_dir, fail_on=args.fail_on,
                            extra=suite) if files else []
    if "pdf" in formats:
        pdf = _write_pdf(result, out, facts_dir, lang, _)
        if pdf and not files:
            write_atomic(out / "suite.json", suite["suite.json"])
        written += pdf
    if "github" in formats:
        from audit.render.github import render_github

        sys.stdout.write(render_github(result, fail_on=args.fail_on, facts_dir=facts_dir, lang=lang))
    from audit.render import wording
    from audit.render.github import summary_line

    print(_("audit {edition}: {summary}", edition=name, summary=summary_line(_, result))
          + (f" -> {out}/" if written else ""))
    if not args.quiet:
        for f in sorted(result.findings, key=lambda f: (-LEVEL_RANK[f.level], f.id)):
            status = wording.status_word(_, "new" if result.is_new(f) else result.reviews[f.id].status)
            fix = ""
            if f.culprits:
                fig = wording.culprit_figure(f)
                fix = ("" if _.zh else " ") + _("[line {line}: {label} {printed} -> {suggested}]", line=fig.source_line if fig else "?",
                               label=wording.label(fig) if fig else f.culprits[0].key,
                               printed=f.culprits[0].printed, suggested=wording.with_unit(fig, f.culprits[0].suggested))
            level = wording.level_word(_, f.level)
            print(f"  {level:{7 if lang == 'en' else 4}} {f.id}{'' if _.zh else ' '}" + _("({status})", status=status) + fix)
    for stale in result.stale_reviews:
        print("  " + _("stale review: {id} ({status}) no longer matches a finding: the check passes now",
                       id=stale.id, status=stale.status))
    return _exit_code(result, args.fail_on)


def _write_pdf(result, out: Path, facts_dir: str, lang: str, _) -> list[Path]:
    """report.pdf, printed from the HTML report by headless Chromium; [] and a note when there is none."""
    from audit.errors import InputError
    from audit.render.html import render_html
    from audit.render.pdf import print_pdf

    try:
        out.mkdir(parents=True, exist_ok=True)
        pdf, why = print_pdf(render_html(result, facts_dir=facts_dir, lang=lang), out, lang=lang)
    except OSError as exc:
        raise InputError(out, f"cannot write the report: {exc.strerror or exc}", code="E-WRITE") from None
    if pdf is None:
        print(_("note: report.pdf skipped: {why}", why=why), file=sys.stderr)
        return []
    return [pdf]


def _out_is_a_file(out: Path | None) -> None:
    """--out names a file: say so before any work (not "cannot write the report: File exists" after it)."""
    from audit.errors import InputError

    if out is not None and out.exists() and not out.is_dir():
        raise InputError(out, "--out is a file, not a folder; give a folder for the reports", code="E-OUT-NOT-FOLDER")


def _exit_code(result, fail_on: str) -> int:
    """1 when the gate fails: a finding at or above the level, or for "new" an unreviewed error."""
    return 1 if result.gate_failures(fail_on) else 0


def cmd_review(args) -> int:
    from audit.errors import InputError
    from audit.facts.edition import check_edition_name
    from audit.reviews import new_review, record_review, reviews_path
    from audit.run import Paths, audit_edition, newest_edition

    review = new_review(args.id, args.status, args.reason, args.by, args.date)  # bad options fail before any work
    paths = Paths(args.facts, args.expectations)
    name = check_edition_name(args.edition) if args.edition is not None else newest_edition(paths.facts)
    result = audit_edition(name, paths)
    checks = {c.id: c for c in result.checks}
    check = checks.get(review.id)
    if check is None:
        import difflib

        close = difflib.get_close_matches(review.id, [f.id for f in result.findings] or list(checks), 1, 0.5)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        raise InputError("ID", f"{review.id!r} is no check of edition {name}{hint}", code="E-REVIEW-NO-CHECK")
    if check.passed:
        raise InputError("ID", f"check {review.id!r} passes in edition {name}: there is no finding to review", code="E-REVIEW-NO-FINDING")
    path = reviews_path(paths.facts / name)
    action = record_review(path, review)
    _ = _translator(args, result.language)
    from audit.render import wording

    said = (_("{path}: added the review of {id} ({level}): {status}", path=path, id=review.id,
              level=wording.level_word(_, check.level), status=review.status) if action == "added" else
            _("{path}: updated the review of {id} ({level}): {status}", path=path, id=review.id,
              level=wording.level_word(_, check.level), status=review.status))
    print(said + (_(" by {who}", who=review.by) if review.by else "") + (_(" on {date}", date=review.date) if review.date else ""))
    return 0


def cmd_suites(args) -> int:
    from audit import gx
    from audit.facts.edition import list_editions, load_edition
    from audit.render import write_atomic
    from audit.rules.registry import load_family_rules
    from audit.run import Paths, rule_files
    from audit.yamlio import read_text

    paths = Paths(args.facts, args.expectations)
    _ = _translator(args)
    families: dict[str, list[str]] = {}
    editions = list_editions(paths.facts)
    if not editions:  # a wrong --facts would otherwise check nothing and say nothing (exit 0)
        from audit.errors import InputError

        raise InputError(paths.facts, "no editions here (a folder with manifest.yml per edition)",
                         code="E-FACTS-NO-EDITIONS")
    for name in editions:
        edition = load_edition(paths.facts, name)
        families.setdefault(edition.family, rule_files(edition))
    stale = 0
    for family, files in sorted(families.items()):
        rules = load_family_rules(paths.rules, files)
        text = gx.dump_suite(gx.suite_for([r.type for r in rules], family))
        path = gx.suite_path(paths.expectations, family)
        current = read_text(path, "suite") if path.is_file() else None
        if current == text:
            print(_("{path}: current", path=path))
            continue
        stale += 1
        if args.check:
            print(_("{path}: out of date (run `audit suites`)", path=path))
        else:
            path.parent.mkdir(parents=True, exist_ok=True)  # a new family's first suite
            write_atomic(path, text)
            print(_("{path}: written", path=path))
    return 1 if (args.check and stale) else 0


def cmd_rules(args) -> int:
    from audit.i18n import rule_title
    from audit.rules.registry import RULE_TYPES, load_family_rules

    if args.family:
        lang = _translator(args).lang
        for rule in load_family_rules(args.expectations / "rules", [args.family]):
            print(f"{rule.id:40} {rule.type:13} {rule_title(rule.title, lang)}")
        return 0
    lang = _translator(args).lang
    for name, t in sorted(RULE_TYPES.items()):
        first = t.doc.splitlines()[0] if t.doc else ""
        print(f"{name:13} {t.kind:13} {rule_title(first, lang)}")
    return 0


def cmd_extract(args) -> int:
    from audit.extract import extract_draft

    res = extract_draft(args.draft, args.edition, args.facts, args.expectations, args.family, args.prior, args.force)
    _ = _translator(args)
    ex = res.extraction
    if res.scanned >= 0:  # no pattern file: the scan's reading of the text
        print(_("extract {edition}: {n} figures placed by the scan -> {path}/", edition=res.edition, n=res.scanned,
                path=res.path))
        print("  " + _("family {family}: {reason}", family=res.family, reason=res.family_reason))
        return 0
    left = sum(len(u.tokens) for u in res.unplaced)
    tables = ", ".join(f"{t} {n}" for t, n in res.tables.items())
    print(_("extract {edition}: {facts} facts ({tables}), {excluded} numbers excluded, {left} unplaced -> {path}/",
            edition=res.edition, facts=len(ex.facts), tables=tables, excluded=len(ex.exclusions), left=left, path=res.path)
          + (_(" (prior edition {prior})", prior=res.prior) if res.prior else _(" (no prior edition)")))
    print("  " + _("family {family}: {reason}", family=res.family, reason=res.family_reason))
    if res.replaced:
        print("  " + _("the edition folder it replaced is kept in {path}/", path=res.replaced))
    if res.unplaced:
        print("  " + _("to place by hand (listed in {path}):", path=res.path / "unplaced.csv"))
        for u in res.unplaced:
            what = " ".join(u.tokens) + ("; " if u.tokens and u.notes else "") + "; ".join(u.notes)
            print("  " + _("line {line}: {what}: {sentence}", line=u.line, what=what, sentence=u.sentence[:80]))
    return 0


def cmd_coverage(args) -> int:
    from audit.facts.coverage import coverage
    from audit.facts.edition import check_edition_name, load_edition

    edition = load_edition(args.facts, check_edition_name(args.edition))
    cov = coverage(edition)
    source = edition.manifest.get("source", "source.txt")
    _ = _translator(args, edition.manifest.get("language"))
    print(_("coverage {edition}: {facts} facts, {excluded} numbers excluded, {n} neither a fact nor an exclusion",
            edition=edition.name, facts=cov.facts, excluded=cov.excluded, n=len(cov.uncovered)))
    for u in cov.uncovered:
        print(f"  {args.facts / edition.name / source}:{u.line}: {u.token}: {u.text.strip()[:80]}")
    return 1 if cov.uncovered else 0


def cmd_scan(args) -> int:
    """One document: scanned here, its findings printed, bad input exit 2. More than one (a folder,
    several files) or ``--jobs``/``--cluster``: one batch (audit.batch), so a bad document is a
    failed row of the index with its reason and the others are still scanned (exit 4)."""
    from audit.findings.record import LEVEL_RANK
    from audit.scan import default_out, documents_in, scan_document, write_scan_reports

    _out_is_a_file(args.out)
    docs = documents_in(args.paths)
    if len(docs) > 1 or args.jobs is not None or args.cluster:
        from audit.batch.command import cmd_scan_batch

        return cmd_scan_batch(args)
    formats = args.format or ["html", "json", "junit"]
    doc = docs[0]
    result = scan_document(doc)
    res = result.audit
    out = args.out or default_out(doc)
    from audit.i18n import resolve

    written = write_scan_reports(result, out, [f for f in formats if f != "pdf"], args.fail_on,
                                 lang=resolve(args.lang))
    if "pdf" in formats:  # as `audit run` prints it (it used to be dropped without a word)
        written += _write_pdf(res, out, str(doc.parent), resolve(args.lang), _translator(args))
    if "github" in formats:
        from audit.render.github import render_github

        sys.stdout.write(render_github(res, fail_on=args.fail_on, facts_dir=str(doc.parent), lang=resolve(args.lang)))
    s = res.summary()
    scan = res.scan
    _ = _translator(args)
    what = _("no statistics found") if scan["no_statistics"] else _(
        "{figures} figures, {checked} relations checked, {ambiguous} not checked (ambiguous)",
        figures=scan["figures"], checked=scan["checked"], ambiguous=scan["ambiguous"])
    print(_("scan {doc}", doc=doc) + (f" ({scan['encoding']})" if scan["encoding"] not in ("", "utf-8") else "")
          + _(": {what}; {checks} checks, {passed} passed; {error} error, {warning} warning, {note} note",
              what=what, checks=s["checks"], passed=s["passed"], error=s["error"], warning=s["warning"], note=s["note"])
          + (f" -> {out}/" if written else ""))
    if not args.quiet:
        from audit.render import wording

        for f in sorted(res.findings, key=lambda f: (-LEVEL_RANK[f.level], f.id)):
            culprit = (" " + _("[culprit {key}: {printed} -> {suggested}]", key=f.culprits[0].key,
                               printed=f.culprits[0].printed, suggested=f.culprits[0].suggested)) if f.culprits else ""
            level = wording.level_word(_, f.level)
            print(f"  {level:{4 if _.zh else 7}} {f.id}: {wording.title(_, f)}{culprit}")
    return _exit_code(res, args.fail_on)


def cmd_init(args) -> int:
    from audit.scan.init import init_family

    res = init_family(args.path, args.family, args.period, args.facts, args.expectations, args.force)
    _ = _translator(args)
    print(_("init {family}: {facts} facts, {rules} rules ({ambiguous} ambiguous relations left out, listed in {notes}) "
            "-> {edition}/, {rules_path}, {patterns}", family=res.family, facts=res.facts, rules=res.rules,
            ambiguous=res.ambiguous, notes=res.notes, edition=res.edition_path, rules_path=res.rules_path,
            patterns=res.patterns_path))
    if res.period_note:
        print(f"  {res.period_note}")
    print("  " + _("review them, then: audit run {edition}", edition=res.edition))
    return 0


def cmd_diff(args) -> int:
    import json

    from audit.checks.crossedition import alignments_for, edition_changes
    from audit.facts.edition import check_edition_name, load_edition
    from audit.rules.registry import load_family_rules
    from audit.run import rule_files

    old = load_edition(args.facts, check_edition_name(args.old))
    new = load_edition(args.facts, check_edition_name(args.new))
    if old.family != new.family:  # keys of two families mean different things: 7592.4 万件 -> 284406 件
        from audit.errors import InputError

        raise InputError("command line", f"{old.name} is an edition of {old.family} and {new.name} one of "
                                         f"{new.family}: audit diff compares two editions of one family",
                         code="E-DIFF-FAMILIES")
    alignments = alignments_for(load_family_rules(args.expectations / "rules", rule_files(new)))
    changes = edition_changes(new, old, alignments)
    if args.format == "json":
        print(json.dumps(changes, ensure_ascii=False, indent=2))
        return 0
    fig, sec = changes["figures"], changes["sections"]
    _ = _translator(args, new.manifest.get("language"))
    print(_("audit diff {old} -> {new}: {changed} figures changed, {added} added, {removed} removed; {moved} sections "
            "moved, {renamed} renamed, {gone} not in {new}; {reworded} sentences reworded", old=old.name, new=new.name,
            changed=len(fig["changed"]), added=len(fig["added"]), removed=len(fig["removed"]), moved=len(sec["moved"]),
            renamed=len(sec["renamed"]), gone=len(sec["removed"]), reworded=len(changes["sentences_reworded"])))
    for c in fig["changed"]:
        unit = "" if c["unit"] in ("%", "name") else f" {c['unit']}"
        print("  " + _("changed  {key}: {prior} -> {printed}", key=c["key"], prior=c["prior"], printed=c["printed"]) + unit
              + (_(" (was {key})", key=c["prior_key"]) if c["prior_key"] != c["key"] else ""))
    for c in fig["added"]:
        print("  " + _("added    {key}: {printed} {unit}", key=c["key"], printed=c["printed"], unit=c["unit"]))
    for c in fig["removed"]:
        print("  " + _("removed  {key}: {printed} {unit}", key=c["key"], printed=c["printed"], unit=c["unit"]))
    for m in sec["moved"]:
        print("  " + _("section moved   {section} (was {prior_position}th: {prior_section}, now {position}th)", **m))
    for m in sec["renamed"]:
        print("  " + _("section renamed {prior_section} -> {section}", prior_section=m["prior_section"], section=m["section"]))
    for m in sec["removed"]:
        print("  " + _("section not in {edition}: {section}", edition=new.name, section=m))
    for r in changes["sentences_reworded"]:
        print("  " + _("reworded {key}: {prior} -> {sentence}", key=r["key"], prior=r["prior_sentence"][:60],
                       sentence=r["sentence"][:60]))
    return 0


COMMANDS = {"scan": cmd_scan, "init": cmd_init, "run": cmd_run, "review": cmd_review, "suites": cmd_suites,
            "rules": cmd_rules, "extract": cmd_extract, "coverage": cmd_coverage, "diff": cmd_diff}

if __name__ == "__main__":
    raise SystemExit(main())
