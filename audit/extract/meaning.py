"""Placement by meaning: each figure of a draft on the key of the same quantity in the prior edition.

Templates (the family's pattern file) need the prior edition's wording; editors reword. Here
both editions are read the same way, by :mod:`audit.prose` (every figure with its unit, role
and subject), and each draft figure is matched with the prior edition's figure that means the
same thing:

* **kind**: unit (万件, 件, %, 倍 ...) and role (a share, a growth rate, a count) must agree;
* **owner**: what the figure counts, its own subject ("区级部门", "网络渠道"), or for a share or
  a growth rate the subject of the count it belongs to (the last count before it in the
  sentence, else in the sentence before: a split sentence keeps its owner). Compared by label
  similarity (rapidfuzz: edit-distance ratios over short Chinese labels, which tolerate a
  character more or less, "城乡建设类" / "城乡建设", without a tokenizer);
* **section**: sections are aligned across editions by their label (numbering stripped) and
  their number; a figure in the section aligned with the prior figure's section, or owned by a
  member whose section it is (a table row "城乡建设" and the section "(三)城乡建设"), scores more;
* **context**: the words of the clause around the figure, once the role words the vocabulary
  knows (受理/接收, 占比/所占比例为, 同比/比上年 ...) and the numbers are taken out.

Every word this module drops or looks for is an entry of audit/prose/vocabulary.yml (sections
``action``, ``owner_noise``, ``label_before`` and ``growth_column``, each word with its example).

The draft's figures and the prior figures are paired one to one (an assignment maximising the
total score, scipy's linear_sum_assignment). A pair scoring at least :data:`PLACE` is placed,
with its evidence; a figure whose best prior figure scores less than :data:`NEW` is *new* in
this edition (listed, never put on an old key); in between it is *unplaced*, listed with the
nearest prior key and its sentence for an editor.

Keys keep the draft's own ranks: a member whose section moved ("(三)城乡建设" in 2022,
"(二)城乡建设" in 2023) has the draft's number in its keys (``category.2.total``), and the
cross-edition alignment by printed name (``align:`` in the rules) finds its 2022 figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from audit.checks.crossedition import section_label
from audit.facts.numbers import NUMERIC_TOKEN

PLACE = 0.55  # a pair scoring this or more is placed
NEW = 0.35  # a figure whose best candidate scores less is new in this edition
_PUNCT = re.compile(r"[,，;；。:：、!！?？()（）\[\]【】\"“”]")
_WAN = {"万": "万件", "万件": "万件"}


@dataclass
class Seen:
    """One figure as read, with what it means."""

    line: int
    start: int
    end: int
    literal: str
    printed: str  # as a facts table holds it: with 约 and the direction word of a rate
    unit: str  # the facts table's unit: 万件, 件, %, 倍 ...
    kind: str  # unit and role: "万件", "share", "growth" ...
    owner: str
    context: str
    section: str
    sentence: str
    role: str = ""
    in_table: bool = False

    @property
    def where(self) -> tuple[int, int]:
        return self.line, self.start


@dataclass
class Placement:
    seen: Seen
    key: str  # the draft's key
    prior_key: str  # the prior edition's key it stands for
    score: float
    evidence: str


@dataclass
class Unplaced:
    seen: Seen
    status: str  # "unplaced" (low confidence) or "new" (no prior figure means this)
    nearest_key: str
    nearest_sentence: str
    score: float


@dataclass
class Matching:
    placed: list[Placement] = field(default_factory=list)
    unplaced: list[Unplaced] = field(default_factory=list)
    sections: dict[str, str] = field(default_factory=dict)  # draft section -> prior section
    missing_sections: list[str] = field(default_factory=list)  # prior sections not in the draft


# --------------------------------------------------------------------------- reading figures

@lru_cache(maxsize=1)
def _context_words() -> list[str]:
    from audit.prose import vocabulary

    vocab = vocabulary()
    words = set()
    for name in ("total", "part", "share", "growth", "up", "down", "complete"):
        words.update(w for w in vocab.words(name) if len(w) >= 2 and "…" not in w)
    words.update(vocab.words("action"))
    return sorted(words, key=len, reverse=True)


def _alternation(section: str) -> str:
    from audit.prose import vocabulary

    return "|".join(re.escape(w) for w in vocabulary().words(section))  # longest first


@lru_cache(maxsize=1)
def _owner_noise() -> re.Pattern:
    """Digits, signs and the words of the vocabulary's ``owner_noise``: not part of what a figure counts."""
    return re.compile(r"[\d.．%％\s]|" + _alternation("owner_noise"))


@lru_cache(maxsize=1)
def _label_words() -> re.Pattern:
    return re.compile(_alternation("label_before"))


@lru_cache(maxsize=1)
def _growth_column() -> re.Pattern:
    return re.compile(_alternation("growth_column"))


@lru_cache(maxsize=1)
def _kept_qualifier() -> re.Pattern:
    """约 right before a figure: a facts table prints it with the figure (section ``kept_qualifier``)."""
    return re.compile("(?:" + (_alternation("kept_qualifier") or "(?!)") + r")\s*$")


def _canon(text: str, words: list[str]) -> str:
    text = NUMERIC_TOKEN.sub("", text)
    for w in words:
        text = text.replace(w, "")
    return re.sub(r"[\s%％.．]", "", _PUNCT.sub("", text))


def _owner(text: str) -> str:
    return _owner_noise().sub("", text or "")


def _bracketed(line: str, start: int) -> str:
    """"小区配套(22.5 万件)": a figure in brackets after a label counts that label."""
    m = re.search(r"([^\s、,，。;；()（）]+?)\s*[(（]\s*$", line[:start])
    if not m:
        return ""
    return _label_words().split(m.group(1))[-1]


def _kind(unit: str, role: str) -> str:
    if role == "growth" or (unit == "%" and role == "change"):
        return "growth"
    if unit in ("%", "‰"):
        return "share"
    return _WAN.get(unit, unit)


def _printed(line: str, start: int, end: int, kind: str) -> tuple[str, int]:
    """The figure as a facts table prints it, and where that starts: 约 and a rate's direction kept."""
    from audit.facts.numbers import DOWN_WORDS, UP_WORDS

    before = line[:start]
    if kind == "growth":
        for word in sorted(UP_WORDS + DOWN_WORDS, key=len, reverse=True):
            m = re.search(re.escape(word) + r"\s*$", before)
            if m:
                return line[m.start():end], m.start()
    m = _kept_qualifier().search(before)
    if m:
        return line[m.start():end], m.start()
    return line[start:end], start


def _parses(printed: str) -> bool:
    from audit.facts.numbers import FigureSyntaxError, parse_printed

    try:
        parse_printed(printed)
    except FigureSyntaxError:
        return False
    return True


def read_figures(lines: list[str], skip: set[tuple[int, int]] = frozenset()) -> list[Seen]:
    """Every figure of the lines with its kind, owner and context (``skip``: (line, start) to leave out)."""
    from audit.prose import read_statements

    words = _context_words()
    prose_lines = ["" if "\t" in line else line for line in lines]
    out: list[Seen] = []
    previous_owner = ""
    previous_section = None
    for st in read_statements("\n".join(prose_lines)):
        if st.kind != "sentence":
            continue
        if st.section != previous_section:
            previous_owner, previous_section = "", st.section
        owner = previous_owner
        line = lines[st.line - 1]
        clauses = [(m.start(), m.end()) for m in re.finditer(r"[^,，;；。]+", line)]
        for f in st.figures:
            if f.value is None or (st.line, f.start) in skip:
                continue
            unit = _WAN.get(f.unit, f.unit)
            kind = _kind(unit, f.role)
            subject = _owner(_bracketed(line, f.start) or f.subject)
            if kind not in ("share", "growth") and subject:
                owner = subject
            clause = next((line[a:b] for a, b in clauses if a <= f.start < b), st.text)
            printed, at = _printed(line, f.start, f.end, kind)
            if not _parses(printed):
                continue  # 万余人: read by the scan as a bound, but 万 alone is no figure a facts table can hold
            out.append(Seen(st.line, at, f.end, f.literal, printed, "%" if kind in ("share", "growth") else unit,
                            kind, subject if kind not in ("share", "growth") and subject else owner,
                            _canon(clause, words), st.section.strip(), st.text, f.role))
        previous_owner = owner  # a sentence split in two: the second half keeps the owner
    out.extend(_table_figures(lines, skip))
    return sorted(out, key=lambda s: s.where)


def _table_figures(lines: list[str], skip) -> list[Seen]:
    """Figures of tab-separated rows: the owner is the row's label, the kind from the column header."""
    from audit.prose.figures import find_figures

    from audit.prose.statements import _is_heading

    out: list[Seen] = []
    header: list[str] = []
    section = ""
    for number, line in enumerate(lines, 1):
        if "\t" not in line:
            if line.strip() and _is_heading(line):
                section = line.strip()
            header = [] if not line.strip() else header
            continue
        cells = line.split("\t")
        if not any(NUMERIC_TOKEN.search(c) for c in cells[1:]):
            header = [c.strip() for c in cells]
            continue
        label = _owner(cells[0])
        at = 0
        for k, cell in enumerate(cells):
            offset = line.index(cell, at) if cell else at
            at = offset + len(cell)
            if k == 0 or not cell.strip():
                continue
            column = header[k] if k < len(header) else ""
            figures, _ = find_figures(cell, number, table_cell=True)
            for f in figures:
                if f.value is None or (number, offset + f.start) in skip:
                    continue
                growth = bool(_growth_column().search(column + cell[:f.start]))
                unit = "%" if f.literal.endswith(("%", "％")) or f.unit == "%" else _WAN.get(f.unit, f.unit)
                if not unit or unit == "件":
                    m = re.search(r"[(（](万件|件|万)[)）]", column)
                    unit = _WAN.get(m.group(1), m.group(1)) if m else unit
                if not unit:
                    continue  # a bare number in a table: what it counts is not printed
                kind = "growth" if growth and unit == "%" else "share" if unit == "%" else unit
                printed, start = _printed(line, offset + f.start, offset + f.end, kind)
                out.append(Seen(number, start, offset + f.end, f.literal, printed, unit, kind, label,
                                _canon(column, _context_words()), section, line, "", True))
    return out


# --------------------------------------------------------------------------- sections

def align_sections(draft: list[str], prior: list[str]) -> dict[str, str]:
    """Draft section -> prior section, one to one, by label similarity (number as a tie-breaker)."""
    from rapidfuzz import fuzz
    from scipy.optimize import linear_sum_assignment
    import numpy as np

    if not draft or not prior:
        return {}
    score = np.zeros((len(draft), len(prior)))
    for i, d in enumerate(draft):
        dl, dn = section_label(d)
        for j, p in enumerate(prior):
            pl, pn = section_label(p)
            s = fuzz.ratio(dl, pl) / 100 if dl and pl else (1.0 if d.strip() == p.strip() else 0.0)
            score[i, j] = s + (0.05 if dn is not None and dn == pn else 0.0)
    rows, cols = linear_sum_assignment(-score)
    return {draft[i]: prior[j] for i, j in zip(rows, cols) if score[i, j] >= 0.7}


# --------------------------------------------------------------------------- matching

def match(draft: list[Seen], prior: list[tuple[str, Seen]], draft_sections: list[str],
          prior_sections: list[str], member_sections: dict[str, str]) -> Matching:
    """Pair draft figures with prior figures (``prior``: (key, figure)) as the module docstring says.

    ``member_sections``: prior key prefix ("category.3") -> the prior section that is that member."""
    from rapidfuzz import fuzz
    from scipy.optimize import linear_sum_assignment
    import numpy as np

    result = Matching()
    result.sections = align_sections(draft_sections, prior_sections)
    aligned = set(result.sections.values())
    result.missing_sections = [s for s in prior_sections if s not in aligned]
    section_of_key = {}
    for key, seen in prior:
        member = next((m for m in member_sections if key.startswith(m + ".")), None)
        section_of_key[key] = member_sections[member] if member else seen.section
    labels = {s: section_label(s)[0] for s in set(prior_sections) | {p.section for _, p in prior}}

    n, m = len(draft), len(prior)
    score = np.full((n, m), -1.0)
    for i, d in enumerate(draft):
        d_section = result.sections.get(d.section)
        for j, (key, p) in enumerate(prior):
            if d.kind != p.kind:
                continue
            own = (fuzz.ratio(d.owner, p.owner) / 100) if (d.owner or p.owner) else 0.6
            ctx = (fuzz.ratio(d.context, p.context) / 100) if (d.context or p.context) else 0.6
            home = section_of_key[key]
            sec = 1.0 if d_section == p.section or d_section == home else 0.0
            home_label = labels.get(home) or section_label(home)[0]
            if not sec and d.owner and home_label and fuzz.ratio(d.owner, home_label) >= 80:
                sec = 1.0  # a table row of a member whose section is elsewhere
            score[i, j] = 0.45 * own + 0.25 * ctx + 0.30 * sec
    if n and m:
        rows, cols = linear_sum_assignment(-score)
        pair = dict(zip(rows, cols))
    else:
        pair = {}
    for i, d in enumerate(draft):
        j = pair.get(i)
        best = int(np.argmax(score[i])) if m else None
        if j is not None and score[i, j] >= PLACE:
            key, p = prior[j]
            evidence = (f"{d.kind} of '{d.owner or '-'}' as {key} in {p.section or '-'} "
                        f"(owner {fuzz.ratio(d.owner, p.owner):.0f}, context {fuzz.ratio(d.context, p.context):.0f}, "
                        f"score {score[i, j]:.2f})")
            result.placed.append(Placement(d, key, key, float(score[i, j]), evidence))
            continue
        near = prior[best] if best is not None and score[i, best] > -1 else None
        top = float(score[i, best]) if near else 0.0
        if near is None and prior:  # nothing of its kind: the nearest by what it counts, for the editor
            near = max(prior, key=lambda kp: fuzz.ratio(d.owner + d.context, kp[1].owner + kp[1].context))
        result.unplaced.append(Unplaced(d, "new" if top < NEW else "unplaced", near[0] if near else "",
                                        near[1].sentence if near else "", top))
    return result


# --------------------------------------------------------------------------- a draft against its prior edition

def _digits(text: str) -> str:
    from audit.prose.figures import normalise

    return re.sub(r"[^\d.]", "", normalise(text))


def prior_figures(prior) -> list[tuple[str, Seen]]:
    """Each figure fact of the prior edition with its reading (found on its line by its digits)."""
    seen = read_figures(prior.source_lines)
    by_line: dict[int, list[Seen]] = {}
    for s in seen:
        by_line.setdefault(s.line, []).append(s)
    out, used = [], set()
    for key, fact in sorted(prior.facts.items(), key=lambda kv: (kv[1].source_line, kv[0])):
        if fact.is_name or fact.unit in ("月", "name"):
            continue
        digits = _digits(fact.printed)
        for s in by_line.get(fact.source_line, []):
            if id(s) not in used and _digits(s.literal) == digits and (s.line, s.start) not in used:
                used.add(id(s))
                out.append((key, s))
                break
    return out


def member_sections(prior) -> dict[str, str]:
    """Prior members that have a section of their own: "category.3" -> "(三)城乡建设"."""
    from rapidfuzz import fuzz

    headings = sorted({f.section for f in prior.facts.values() if f.section})
    out = {}
    for key, fact in prior.facts.items():
        if not key.endswith(".name") or not fact.is_name:
            continue
        member = key[: -len(".name")]
        if not re.search(r"\.\d+$", member):
            continue
        name = re.sub(r"\s+", "", fact.printed)
        for h in headings:
            label, number = section_label(h)
            if number is not None and str(number) == member.rsplit(".", 1)[1] and fuzz.ratio(label, name) >= 80:
                out[member] = h
    return out


def rekey(key: str, members: dict[str, str], moved: dict[str, str]) -> str:
    """The draft's key: a member with a section of its own takes the draft section's number."""
    for member, section in members.items():
        if key.startswith(member + ".") and section in moved:
            number = section_label(moved[section])[1]
            if number is not None:
                return member.rsplit(".", 1)[0] + f".{number}" + key[len(member):]
    return key


def place_draft(extraction, prior, tables: list[str], grids: set[str] = frozenset(), patterns=None):
    """Re-place the figures of a pattern extraction by meaning against ``prior`` (an Edition).

    Returns (facts, unplaced rows, placements rows, Matching). Template placements are hints:
    a template's key is kept where the meaning agrees or has nothing to say (names, months,
    the tables the pattern file reads as grids)."""
    from audit.extract.engine import Placed

    lines = extraction.lines
    grid_lines = {f.line for f in extraction.facts if f.source in grids}
    grid = {(f.line, f.start) for f in extraction.facts if f.unit in ("name", "月")}
    excluded_lines = {line for line, _, reason in extraction.exclusions if "contents" in reason} | grid_lines
    skip = set(grid)
    draft = [s for s in read_figures(lines, skip) if s.line not in excluded_lines
             and not _excluded(extraction, s)]
    if patterns is not None:  # sections as the pattern file names them (as the prior's facts do)
        sections = line_sections(lines, patterns, extraction)
        for s in draft:
            s.section = sections.get(s.line, s.section)
    prior_list = prior_figures(prior)
    for key, p in prior_list:
        p.section = prior.facts[key].section or p.section
    members = member_sections(prior)
    contents = {line for line, _, reason in extraction.exclusions if "contents" in reason}
    draft_sections = sorted({s.section for s in draft} | _headings(lines, contents),
                            key=lambda h: _first_line(lines, h))
    prior_contents = {e.source_line for e in prior.exclusions if "contents" in e.reason}
    prior_sections = sorted({p.section for _, p in prior_list} | _headings(prior.source_lines, prior_contents),
                            key=lambda h: _first_line(prior.source_lines, h))
    matching = match(draft, prior_list, draft_sections, prior_sections, members)
    moved = {p: d for d, p in matching.sections.items()}
    table_of = {f.key: f.table for f in extraction.facts}
    prior_table = {k: (f.file.rsplit("/", 1)[-1].removesuffix(".csv")) for k, f in prior.facts.items()}

    by_where = {(f.line, f.start): f for f in extraction.facts}
    facts: list = []
    taken: set[str] = set()
    placements = []
    covered: set[tuple[int, int]] = set()
    for p in matching.placed:
        key = rekey(p.key, members, moved)
        if key in taken:
            continue
        s = p.seen
        hint = by_where.get((s.line, s.start)) or next(
            (f for f in extraction.facts if f.line == s.line and f.start <= s.start < f.end), None)
        evidence = p.evidence + (f"; template {hint.source} agrees" if hint and hint.key == key else
                                 f"; template {hint.source} said {hint.key}" if hint else "")
        table = prior_table.get(p.prior_key) or table_of.get(key) or tables[0]
        facts.append(Placed(key, s.printed, s.unit, s.section, s.line, _sentence(lines[s.line - 1], s), table,
                            s.start, s.end, "meaning"))
        taken.add(key)
        covered.add((s.line, s.start))
        placements.append((key, s.line, s.printed, p.prior_key, f"{p.score:.2f}", evidence))
    _renumber_lists(facts, placements)
    taken = {f.key for f in facts}
    # names and months of the members placed by meaning
    for f in list(facts):
        for suffix, finder in ((".month", _month_before),):
            base = f.key
            prior_key = _prior_key(f.key, placements)
            if prior_key + suffix in prior.facts and base + suffix not in taken:
                got = finder(lines[f.line - 1], f.start)
                if got:
                    start, end = got
                    facts.append(Placed(base + suffix, lines[f.line - 1][start:end], "月", f.section, f.line,
                                        f.sentence, f.table, start, end, "meaning"))
                    taken.add(base + suffix)
                    covered.add((f.line, start))
                    placements.append((base + suffix, f.line, lines[f.line - 1][start:end], prior_key + suffix,
                                       "", "the month printed before the figure it dates"))
    for f in list(facts):
        member = f.key.rsplit(".", 1)[0]
        prior_member = _prior_key(f.key, placements).rsplit(".", 1)[0]
        name_key, prior_name = member + ".name", prior.facts.get(prior_member + ".name")
        if name_key in taken or prior_name is None or not f.key.endswith(".total"):
            continue
        line = lines[f.line - 1]
        name = re.sub(r"\s+", "", prior_name.printed)
        at = line.find(name)
        if at < 0:
            label = _label_before(line, f.start)
            if not label:
                continue
            name, at = label
        facts.append(Placed(name_key, name, "name", f.section, f.line, f.sentence, f.table, at, at + len(name),
                            "meaning"))
        taken.add(name_key)
        placements.append((name_key, f.line, name, prior_member + ".name", "", "the name printed with its total"))
    # template placements the meaning did not replace
    meaning_members = {k.rsplit(".", 1)[0] for k in taken}
    for f in extraction.facts:
        if f.key in taken or (f.line, f.start) in covered:
            continue
        if any(f.line == g.line and g.start <= f.start < g.end for g in facts):
            continue
        if f.unit in ("name", "月") and f.key.rsplit(".", 1)[0] in meaning_members and f.source not in grids:
            continue  # its member's name and month come with the meaning's placement
        facts.append(f)
        taken.add(f.key)
        placements.append((f.key, f.line, f.printed, f.key if f.key in prior.facts else "", "",
                           f"template {f.source}"))
    facts.sort(key=lambda f: (f.line, f.start))
    unplaced = []
    for u in matching.unplaced:
        s = u.seen
        if (s.line, s.start) in covered or any(s.line == f.line and f.start <= s.start < f.end for f in facts):
            continue
        unplaced.append((s.line, _sentence(lines[s.line - 1], s), s.printed,
                         "new in this edition: no figure of the prior edition means this" if u.status == "new"
                         else f"low confidence (score {u.score:.2f})", u.status, u.nearest_key, u.nearest_sentence))
    placements.sort(key=lambda r: (r[1], r[0]))
    return facts, unplaced, placements, matching


def line_sections(lines: list[str], patterns, extraction) -> dict[int, str]:
    """line -> its section: the pattern file's headings, or the section a template gave a fact on it."""
    from audit.extract.layout import Heading, Sentence, layout

    out: dict[int, str] = {}
    section = patterns.default_section
    by_line = {f.line: f.section for f in extraction.facts}
    for block in layout(lines, patterns).blocks:
        if isinstance(block, Heading):
            section = block.text
            out[block.line] = section
        elif isinstance(block, Sentence):
            for piece in block.pieces:
                if piece.line in by_line:
                    section = by_line[piece.line]  # a template's opens_section (a heading the text lost)
                out[piece.line] = section
        else:
            out[block.line] = section
    return out


def _renumber_lists(facts: list, placements: list) -> None:
    """List items keep the draft's order: the members of a nested list (``category.2.sub.{j}``)
    are numbered as the draft prints them, whatever their rank in the prior edition."""
    groups: dict[str, list] = {}
    for f in facts:
        m = re.match(r"^(.+\.\d+\.[a-z_]+)\.(\d+)\.total$", f.key)
        if m:
            groups.setdefault(m.group(1), []).append((f.line, f.start, int(m.group(2))))
    rename: dict[str, str] = {}
    for parent, items in groups.items():
        items.sort()
        ranks = [j for _, _, j in items]
        if ranks != sorted(ranks):
            rename.update({f"{parent}.{j}.": f"{parent}.{k}." for (_, _, j), k in zip(items, sorted(ranks))})
    if not rename:
        return

    def renamed(key: str) -> str:
        for old, new in rename.items():
            if key.startswith(old):
                return new + key[len(old):]
        return key

    for f in facts:
        f.key = renamed(f.key)
    for i, row in enumerate(placements):
        if renamed(row[0]) != row[0]:
            placements[i] = (renamed(row[0]),) + tuple(row[1:5]) + (row[5] + "; numbered in the draft's order",)


def _excluded(extraction, s: Seen) -> bool:
    return any(line == s.line and token and token in s.literal and reason not in ("",) and _is_hard(reason)
               for line, token, reason in extraction.exclusions)


def _is_hard(reason: str) -> bool:
    """Exclusions of the pattern file that hold whatever the wording: page numbers, contents, footnotes."""
    return any(w in reason for w in ("contents", "page", "footnote", "section number", "axis", "chart"))


def _headings(lines: list[str], contents: set[int] = frozenset()) -> set[str]:
    """The headings of the text (not the entries of its table of contents)."""
    from audit.prose.statements import _is_heading

    return {line.strip() for number, line in enumerate(lines, 1) if number not in contents
            and line.strip() and "\t" not in line and _is_heading(line)}


def _first_line(lines: list[str], heading: str) -> int:
    for i, line in enumerate(lines):
        if line.strip() == heading:
            return i
    return len(lines)


def _sentence(line: str, s: Seen) -> str:
    """The sentence of the line the figure is in (the whole row for a table)."""
    if s.in_table:
        return line
    start = max(line.rfind(ch, 0, s.start) for ch in "。！？") + 1
    ends = [line.find(ch, s.end) for ch in "。！？"]
    ends = [e for e in ends if e >= 0]
    end = min(ends) + 1 if ends else len(line)
    return line[start:end].strip() or line


def _prior_key(key: str, placements) -> str:
    return next((r[3] for r in placements if r[0] == key and r[3]), key)


def _month_before(line: str, start: int):
    clause_start = max(line.rfind(ch, 0, start) for ch in "。;；") + 1
    found = None
    for m in re.finditer(r"(\d{1,2})\s*月", line[clause_start:start]):
        found = (clause_start + m.start(1), clause_start + m.end(1))
    return found


def _label_before(line: str, start: int):
    m = re.search(r"([^\s,，、;；。()（）0-9]{2,12})\s*[(（]?\s*$", line[:start])
    return (m.group(1), m.start(1)) if m else None
