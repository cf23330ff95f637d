"""Scan benchmark: `audit scan` against the hand-made answer keys of corpus/bulletins/*/key.yml.

    python3 dev.py bench --only scan
    python3 benchmarks/scan.py [--corpus corpus/bulletins] [--full-gx]

Matching (CORPUS-FORMAT.md): an inferred relation matches a key relation when the types agree and
the sets of figures agree, a figure matching when the scanned figure's span on that line overlaps
the key's token occurrence. Shares against an unstated whole are one check in the scan (one unknown
whole for the list); each of its (share, part) pairs is matched on its own, and the group as a whole
matches a key's `bases: NAME` entry (the joint verdict of the shares with `base: NAME`), which counts as
one key relation `base:NAME`.

Per bulletin and overall: violated relations flagged (the key says error, the matching relation's
check is an error), false errors (error-level checks whose relation the key does not call an
error), recall (key relations inferred and checked), precision (checked relations that are in the
key), time per bulletin after imports. Plus the 2022 Beijing text scanned: its errors, and how
many of the maintained edition's checks the scan rediscovers.
"""
from __future__ import annotations

import re
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

TYPES = ("sum", "bound", "share", "shares-sum", "growth", "average", "order", "claim", "restatement")


@dataclass
class BulletinScore:
    id: str
    kind: str
    key_relations: int
    violated: int
    flagged: int
    false_errors: int
    recalled: int
    inferred: int  # checked relations (shares of one unknown whole counted per pair)
    in_key: int
    ambiguous: int
    seconds: float
    missed: list[str] = field(default_factory=list)  # key relations not inferred
    unflagged: list[str] = field(default_factory=list)  # violated key relations not flagged
    false: list[str] = field(default_factory=list)  # false errors, described
    extra: list[str] = field(default_factory=list)  # checked relations not in the key
    error: str = ""
    scan_seconds: float = 0.0  # reading + inference alone (before the engine)
    cpu_seconds: float = 0.0  # this process's CPU time for the whole scan (the wall time counts other load too)


def _spans(line_text: str, printed: str) -> list[tuple[int, int]]:
    """Occurrences of a number token on a line: not part of a longer number (5 is not in 25% or 1.5)."""
    pattern = r"(?<![0-9０-９.．])" + re.escape(printed) + (r"(?![0-9０-９])" if printed[-1:].isdigit() else "")
    if printed[-1:].isdigit():
        pattern += r"(?![.．][0-9０-９])"
    return [(m.start(), m.end()) for m in re.finditer(pattern, line_text)]


def key_figures(key: dict, lines: list[str]) -> dict[str, tuple[int, int, int]]:
    """Figure id -> (line, start, end) of its token occurrence."""
    out = {}
    for fid, spec in (key.get("figures") or {}).items():
        line = int(spec["line"])
        printed = str(spec["printed"])
        occ = int(spec.get("occurrence", 1))
        text = lines[line - 1] if 0 < line <= len(lines) else ""
        spans = _spans(text, printed)
        if len(spans) >= occ:
            out[fid] = (line, *spans[occ - 1])
        else:
            out[fid] = (line, -1, -1)
    return out


def _overlap(a: tuple[int, int, int], b: tuple[int, int, int]) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def page_lines(result) -> list[str]:
    """The lines of the file as published (an HTML page's source), decoded as the scan assumed."""
    return result.path.read_bytes().decode(result.encoding or "utf-8").split("\n")


def locator(result):
    """Figure -> (line, start, end) in the bulletin file as the key counts lines (HTML: the source line)."""
    if not result.line_map:
        return lambda f: (f.line, f.start, f.end)
    raw = page_lines(result)
    text_lines = result.source_lines
    starts = result.line_map

    def locate(f):
        lit = f.literal
        nth = sum(1 for a, _ in _spans(text_lines[f.line - 1], lit) if a < f.start)
        first = starts[f.line - 1]
        last = starts[f.line] if f.line < len(starts) else len(raw)
        for ln in range(first, max(first, last) + 1):
            if 0 < ln <= len(raw):
                for a, b in _spans(raw[ln - 1], lit):
                    if nth == 0:
                        return (ln, a, b)
                    nth -= 1
        return (f.line, -5, -5)

    return locate


def scanned_units(result) -> list[tuple[str, list[tuple[int, int, int]], object]]:
    """(type, figure spans, relation) of every inferred relation; an unknown-whole share group split in pairs."""
    out = []
    locate = locator(result)
    for r in result.relations:
        spans = [locate(f) for f in r.figures]
        if r.type == "share" and "unknown" in r.params:
            for k in range(0, len(spans), 2):
                out.append(("share", spans[k:k + 2], r))
            out.append(("base", spans, r))  # the group as one: a key's `bases:` entry (its joint verdict)
        else:
            out.append((r.type, spans, r))
    return out


def _same_set(a: list, b: list) -> bool:
    if len(a) != len(b):
        return False
    used = set()
    for x in a:
        hit = next((k for k, y in enumerate(b) if k not in used and _overlap(x, y)), None)
        if hit is None:
            return False
        used.add(hit)
    return True


def score_bulletin(folder: Path, fast: bool = True) -> BulletinScore:
    from audit.errors import InputError
    from audit.scan import scan_document
    from audit.yamlio import load_yaml

    key = load_yaml(folder / "key.yml", "answer key")
    doc = next((p for p in (folder / "bulletin.txt", folder / "bulletin.html") if p.exists()), None)
    bid = str(key.get("id", folder.name))
    if doc is None:
        return BulletinScore(bid, str(key.get("kind", "")), 0, 0, 0, 0, 0, 0, 0, 0, 0.0, error="no bulletin file")
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        result = scan_document(doc, fast=fast)
    except InputError as exc:
        return BulletinScore(bid, str(key.get("kind", "")), 0, 0, 0, 0, 0, 0, 0, 0, 0.0, error=exc.one_line())
    seconds = time.perf_counter() - t0
    cpu = time.process_time() - c0
    lines = page_lines(result) if result.line_map else result.source_lines
    figs = key_figures(key, lines)
    key_rels = [(str(r.get("id")), str(r["type"]), [figs.get(f, (0, -1, -1)) for f in r["figures"]],
                 str(r.get("verdict", "holds"))) for r in key.get("relations") or []]
    # a `bases: NAME` entry is one relation: the shares naming base NAME agree on one unstated whole
    for name, entry in (key.get("bases") or {}).items():
        members = [f for r in key.get("relations") or [] if r.get("base") == name for f in r["figures"]]
        key_rels.append((f"base:{name}", "base", [figs.get(f, (0, -1, -1)) for f in members],
                         str(entry.get("verdict", "holds"))))
    units = scanned_units(result)
    level = {}
    for typ, spans, rel in units:
        check = result.check_of(rel) if rel.checked else None
        level[id(rel)] = (check.level if check is not None and not check.passed else "")
    matched_units = set()
    recalled = flagged = violated = 0
    missed, unflagged = [], []
    key_error_units = set()
    for rid, typ, spans, verdict in key_rels:
        hits = [k for k, (t, s, rel) in enumerate(units) if t == typ and _same_set(spans, s)]
        checked_hits = [k for k in hits if units[k][2].checked]
        if checked_hits:
            recalled += 1
            matched_units.update(checked_hits)
        else:
            missed.append(f"{rid} ({typ})" + (" [inferred, ambiguous]" if hits else ""))
        if verdict == "error":
            violated += 1
            if any(level[id(units[k][2])] == "error" for k in checked_hits):
                flagged += 1
                key_error_units.update(checked_hits)
            else:
                unflagged.append(rid)
    # precision and false errors are counted on the pairs of a share group, not on the group as a whole
    checked_units = [k for k, u in enumerate(units) if u[2].checked and u[0] != "base"]
    false = []
    for k in checked_units:
        typ, spans, rel = units[k]
        if level[id(rel)] == "error" and k not in key_error_units:
            # an unknown-whole share group fails as one check: a pair of it that the key calls an error
            # elsewhere in the group accounts for it
            if "unknown" in rel.params and any(j in key_error_units for j, u in enumerate(units) if u[2] is rel):
                continue
            false.append(f"{rel.id} {typ} " + " ".join(f.literal for f in rel.figures[:6]))
    false = sorted(set(false))
    extra = [f"{units[k][2].id} {units[k][0]}" for k in checked_units if k not in matched_units]
    return BulletinScore(bid, str(key.get("kind", "")), len(key_rels), violated, flagged, len(false), recalled,
                         len(checked_units), len(checked_units) - len(extra), len(result.ambiguous), seconds,
                         missed, unflagged, false, extra, scan_seconds=result.timings.get("read", 0.0), cpu_seconds=cpu)


def beijing_2022(facts: Path, expectations: Path, fast: bool = True) -> dict:
    """Scan the 2022 Beijing text; count its errors and the maintained checks it rediscovers."""
    from audit.checks.bind import build_checks
    from audit.facts.edition import load_edition
    from audit.rules.registry import load_family_rules
    from audit.run import rule_files
    from audit.scan import scan_document

    source = facts / "2022" / "source.txt"
    t0 = time.perf_counter()
    result = scan_document(source, fast=fast)
    seconds = time.perf_counter() - t0
    edition = load_edition(facts, "2022")
    rules = load_family_rules(expectations / "rules", rule_files(edition))
    checks = build_checks(edition, rules, None)
    lines = result.source_lines

    def span(fact):
        text = lines[fact.source_line - 1]
        at = text.find(fact.sentence)
        at = text.find(fact.printed, max(at, 0))
        if at < 0:
            at = text.find(fact.printed)
        return (fact.source_line, at, at + len(fact.printed))

    scanned = [[(f.line, f.start, f.end) for f in r.figures] for r in result.relations if r.checked]
    rediscovered = 0
    numeric = 0
    for c in checks:
        figs = [span(f) for f in c.facts if f.edition == edition.name and not f.is_name]
        if not figs:
            continue
        numeric += 1
        inside = [s for s in scanned if all(any(_overlap(x, y) for y in figs) for x in s)]
        covered = [x for x in figs if any(any(_overlap(x, y) for y in s) for s in inside)]
        if inside and len(covered) == len(figs):
            rediscovered += 1
    s = result.audit.summary()
    return {"checks": len(checks), "numeric_checks": numeric, "rediscovered": rediscovered,
            "scan_checks": s["checks"], "errors": s["error"], "notes": s["note"], "warnings": s["warning"],
            "ambiguous": len(result.ambiguous), "seconds": seconds,
            "error_ids": [f.id for f in result.audit.findings if f.level == "error"]}


def run_scan_bench(corpus: Path, facts: Path, expectations: Path, fast: bool = True, progress=None):
    from audit.scan import scan_document

    folders = sorted(p for p in Path(corpus).glob("*") if (p / "key.yml").is_file())
    if folders:  # warm the imports (pandas, scipy, the vocabulary) outside the timed runs
        doc = next((p for p in (folders[0] / "bulletin.txt", folders[0] / "bulletin.html") if p.exists()), None)
        if doc is not None:
            try:
                scan_document(doc, fast=fast)
            except Exception:  # noqa: BLE001 (scored below, with its error)
                pass
    scores = []
    for folder in folders:
        sc = score_bulletin(folder, fast=fast)
        if progress:
            progress(f"{sc.id}: {sc.flagged}/{sc.violated} flagged, {sc.false_errors} false, "
                     f"{sc.recalled}/{sc.key_relations} recalled, {sc.seconds:.2f} s")
        scores.append(sc)
    bj = beijing_2022(facts, expectations, fast=fast) if (facts / "2022" / "source.txt").is_file() else None
    return scores, bj


def _pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def table(scores: list[BulletinScore], bj: dict | None, fast: bool = True) -> str:
    rows = ["| bulletin | kind | key relations | violated | flagged | false errors | recall | precision | ambiguous | scan s | total s | cpu s |",
            "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for s in scores:
        if s.error:
            rows.append(f"| `{s.id}` | {s.kind} | could not be scanned: {s.error} | | | | | | | | | |")
            continue
        rows.append(f"| `{s.id}` | {s.kind} | {s.key_relations} | {s.violated} | {s.flagged} | {s.false_errors} | "
                    f"{_pct(s.recalled, s.key_relations)} | {_pct(s.in_key, s.inferred)} | {s.ambiguous} | {s.scan_seconds:.2f} | {s.seconds:.2f} | {s.cpu_seconds:.2f} |")
    ok = [s for s in scores if not s.error]
    tot = lambda a: sum(getattr(s, a) for s in ok)
    times = sorted(s.seconds for s in ok)
    median = times[len(times) // 2] if times else 0.0
    stimes = sorted(s.scan_seconds for s in ok)
    smedian = stimes[len(stimes) // 2] if stimes else 0.0
    ctimes = sorted(s.cpu_seconds for s in ok)
    cmedian = ctimes[len(ctimes) // 2] if ctimes else 0.0
    rows.append(f"| **all ({len(ok)})** | | {tot('key_relations')} | {tot('violated')} | {tot('flagged')} "
                f"({_pct(tot('flagged'), tot('violated'))}) | {tot('false_errors')} | "
                f"{_pct(tot('recalled'), tot('key_relations'))} | {_pct(tot('in_key'), tot('inferred'))} | "
                f"{tot('ambiguous')} | median {smedian:.2f}, max {max(stimes, default=0):.2f} | "
                f"median {median:.2f}, max {max(times, default=0):.2f} | median {cmedian:.2f}, max {max(ctimes, default=0):.2f} |")
    out = ["\n".join(rows), ""]
    out.append(f"Recall = key relations inferred and checked / key relations; precision = checked relations in the key / "
               "checked relations. Time per bulletin after imports: *scan s* reading the text and inferring the relations, "
               f"*total s* that plus the engine ({'GX validation replaced by the function its expectation maps' if fast else 'full Great Expectations validation'}), "
               "wall time; *cpu s* the CPU time of this process for the same (on a shared machine the wall time also counts "
               "the other processes' load).")
    if bj:
        out.append(f"\n2022 Beijing text (facts/2022/source.txt) scanned: **{bj['errors']} errors**, {bj['notes']} notes, "
                   f"{bj['warnings']} warnings in {bj['scan_checks']} checks ({bj['ambiguous']} ambiguous relations "
                   f"not checked), {bj['seconds']:.2f} s; it rediscovers **{bj['rediscovered']} of the "
                   f"{bj['checks']} maintained checks** ({bj['numeric_checks']} of them over printed figures; "
                   "rediscovered = every figure of the check is in a scanned relation lying within the check).")
        if bj["error_ids"]:
            out.append("  errors: " + ", ".join(bj["error_ids"]))
    details = []
    for s in ok:
        if s.unflagged or s.false or s.missed:
            details.append(f"- `{s.id}`: " + "; ".join(x for x in (
                ("not flagged: " + ", ".join(s.unflagged)) if s.unflagged else "",
                ("false errors: " + ", ".join(s.false)) if s.false else "",
                ("missed: " + ", ".join(s.missed[:12]) + (" …" if len(s.missed) > 12 else "")) if s.missed else "",
            ) if x))
    if details:
        out += ["", "Per bulletin, what the scan missed:", *details]
    return "\n".join(out)


def main(argv=None) -> int:
    import argparse

    p = argparse.ArgumentParser(prog="benchmarks/scan.py")
    p.add_argument("--corpus", type=Path, default=ROOT / "corpus" / "bulletins")
    p.add_argument("--facts", type=Path, default=ROOT / "facts")
    p.add_argument("--expectations", type=Path, default=ROOT / "expectations")
    p.add_argument("--full-gx", action="store_true", help="time with full Great Expectations validation")
    p.add_argument("--verbose", action="store_true", help="also list the checked relations not in each key")
    args = p.parse_args(argv)
    log = lambda m: print(f"bench scan: {m}", file=sys.stderr, flush=True)
    scores, bj = run_scan_bench(args.corpus, args.facts, args.expectations, fast=not args.full_gx, progress=log)
    print(table(scores, bj, fast=not args.full_gx))
    if args.verbose:
        for s in scores:
            if s.extra:
                print(f"- `{s.id}` not in the key: " + ", ".join(s.extra))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
