"""Relations inferred from statements, each with its evidence and a confidence.

Only *checked* relations (unambiguous readings of the text) become rules and may raise
findings; the others are listed as "not checked: ambiguous" with the reason and the words
they rest on. No arithmetic happens here beyond deciding what the text says: whether the
figures satisfy a relation is decided by the engine (audit.run) on the edition the scan writes.
"""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field
from decimal import Decimal

from audit.i18n import translator
from audit.prose.figures import Figure, normalise
from audit.prose.statements import Statement
from audit.prose.vocabulary import unit_spec

COUNT_ROLES = ("total", "part", "count", "claim")


def _words(section: str) -> str:
    """The words of a section of audit/prose/vocabulary.yml as one alternation (escaped, longest first):
    the scan's Chinese words are data, each with its example sentence; only structure stays here."""
    from audit.prose.vocabulary import vocabulary

    return vocabulary().pattern(section)


def _not_after(section: str) -> str:
    """A look-behind per word of ``section`` (未办结 is not 办结): one per word, so words may differ in length."""
    from audit.prose.vocabulary import vocabulary

    return "".join(f"(?<!{re.escape(w)})" for w in vocabulary().words(section))


@dataclass
class Relation:
    id: str
    type: str  # sum bound share shares-sum growth average order claim restatement
    figures: list[Figure]  # in the order of CORPUS-FORMAT.md: total first, share/part/whole, rate/current ...
    confidence: float
    checked: bool
    reason: str  # the reading, in words (what the evidence says)
    params: dict = field(default_factory=dict)  # days, direction, scale, base ...

    @property
    def evidence(self) -> list[tuple[int, int, int, str]]:
        """(line, start, end, text) of every figure the relation rests on, and of its cue words."""
        out = [(f.line, f.start, f.end, f.literal) for f in self.figures]
        out += list(self.params.get("cues", []))
        return out


@dataclass
class Item:
    """A counted figure and the shares, growth rates and changes printed right after it."""

    head: Figure
    statement: Statement
    shares: list[Figure] = field(default_factory=list)
    growth: list[Figure] = field(default_factory=list)
    changes: list[Figure] = field(default_factory=list)
    priors: list[Figure] = field(default_factory=list)


class Reason(str):
    """A relation's reason in words: the English text as a string (findings, rules and the benchmarks
    read it so), and the catalog messages it was made from (msgid, fields), so that it can be said in
    the report's language (:meth:`said`): the ``_()`` calls of this module are in the catalogs."""

    parts: tuple = ()

    def __new__(cls, parts):
        parts = tuple(parts)
        obj = super().__new__(cls, "".join(m.format(**f) if f else m for m, f in parts))
        obj.parts = parts
        return obj

    def __add__(self, other):
        if isinstance(other, Reason):
            return Reason(self.parts + other.parts)
        return str(self) + other

    def said(self, lang: str | None = None) -> str:
        _t = translator(lang)
        return "".join(_t(m, **f) for m, f in self.parts)


def _(msgid: str, /, **fields) -> Reason:
    """A reason from its catalog message (extracted as the renderers' ``_()`` calls are)."""
    return Reason([(msgid, fields)])


def said(reason: str, lang: str | None = None) -> str:
    """``reason`` in ``lang`` (a :class:`Reason`; any other text as it is)."""
    return reason.said(lang) if isinstance(reason, Reason) else str(reason)


def dimension(f: Figure) -> str:
    return unit_spec(f.unit)[0]


def infer(statements: list[Statement], text: str) -> list[Relation]:
    out = _Inference(statements, text)
    out.run()
    return out.relations


class _Inference:
    def __init__(self, statements: list[Statement], text: str):
        self.statements = statements
        self.text = text
        self.relations: list[Relation] = []
        self.items: dict[int, list[Item]] = {}  # statement index -> items
        self.resolved_shares: set[int] = set()
        self.headline: Figure | None = None

    def add(self, type_, figures, confidence, checked, reason, **params):
        rid = f"{type_}-{len(self.relations) + 1}"
        if any(f.bounded or f.is_range for f in figures):
            checked, reason = False, reason + _("; a figure is printed as a bound (超过/不足/近/余) or a range")
        self.relations.append(Relation(rid, type_, list(figures), confidence, checked, reason, params))

    # ---------------------------------------------------------------- items
    def run(self):
        for i, st in enumerate(self.statements):
            self.items[i] = _items(st)
        for i, st in enumerate(self.statements):
            if self.headline is None:
                self.headline = next((it.head for it in self.items[i] if it.head.role == "total"), None)
        for i, st in enumerate(self.statements):
            if st.kind == "sentence":
                self.sentence_lists(i, st)
        self.line_lists()
        self.tables()
        self.rates()
        self.splits()
        self.received_closed()
        self.growths()
        self.labelled_growths()
        self.averages()
        self.base_groups()
        self.restatements()

    def previous_item(self, i: int, dim: str) -> Item | None:
        """The whole an enumeration that opens a statement refers to: the last counted item before it.
        A statement that is itself a list of parts (其中，…) is passed over to the whole before it."""
        for j in range(i - 1, max(-1, i - 4), -1):
            st = self.statements[j]
            if st.kind != "sentence" or st.line not in (self.statements[i].line, self.statements[i - 1].line):
                return None  # the whole is printed in the same paragraph or the one before
            cands = [it for it in self.items[j] if dimension(it.head) == dim and it.head.role in COUNT_ROLES]
            if cands and "part" in st.markers and st.markers["part"] < cands[0].head.start:
                continue
            totals = [it for it in cands if it.head.role == "total"]
            if totals:
                return totals[-1]
            if cands:
                return cands[0]
            if self.items[j]:
                return None
        return None

    def sentence_lists(self, i: int, st: Statement):
        """Every enumeration of a sentence: each 其中 / 分别为 / 按…分 / 从…看 … opens one, and it runs until a
        separator stronger than the one between its first two parts (、 then ；, or ， then 。). Lists
        nested in a list (从来源看，A 2829件，其中投诉2029件、举报800件；B 4266件 …) are read first."""
        items = [it for it in self.items[i] if it.head.role in COUNT_ROLES]
        starts = _marker_positions(st)
        used: set[int] = set()
        for k in range(len(starts) - 1, -1, -1):
            m = starts[k]
            after = [it for it in items if m < it.head.start and id(it) not in used]
            before_counts = [it for it in items if it.head.start < m and it.head.role in ("total", "count")]
            if before_counts:
                # 合计1443497378人，由四部分构成：大陆31个省…共1411778724人；…: the members count what the whole counts
                same = [it for it in after if dimension(it.head) == dimension(before_counts[-1].head)]
                after = same or after
            if not after:
                continue
            parts = _list_run(st, after)
            used.update(id(it) for it in parts)
            before = [it for it in items if it.head.start < m]
            override = None
            if before and re.search(r"[；;]", st.text[before[-1].head.unit_end - st.start:m - st.start]):
                # …乡村人口187.74万人；按性别分，…: the list is of the statement's whole, not of the last part
                override = before[0]
            self.one_list(i, st, m, parts, before, override)

    def one_list(self, i: int, st: Statement, marker: int, parts: list, before: list, override=None):
        dim = dimension(parts[0].head)
        whole = None
        totals = [it for it in before if it.head.role == "total" and dimension(it.head) == dim]
        near = before[-1] if before else None
        if near is not None and dimension(near.head) == dim and near.head.role in COUNT_ROLES and totals \
                and (near.head.line, near.head.start) > (totals[-1].head.line, totals[-1].head.start) \
                and not re.search(r"[；;。]", st.text[near.head.unit_end - st.start:marker - st.start]):
            # 共纳入4147项，其中…1907项；州本级纳入608项，其中行政许可事项142项: the count the marker follows
            totals = totals + [near]
        named = self.named_whole(st, marker, before, dim)
        if named is not None:
            whole = named  # 转派各成员单位18113件；转派工单中，县…15390件: the whole the words before 中 name
        elif override is not None and dimension(override.head) == dim:
            whole = override
        elif totals:
            whole = totals[-1]
        elif before:
            same = [it for it in before if dimension(it.head) == dim]
            whole = same[-1] if same else None
        elif "part" in st.markers or re.match(_LIST_OPENER,
                                                 normalise(st.text)[max(0, marker - st.start):]) and marker - st.start <= 1:
            # 。其中，… / 。按类别分，… opens the statement after its total
            whole = self.previous_item(i, dim)
        elif normalise(st.text)[marker - st.start:marker - st.start + 1] == "中" \
                and not re.search(r"\d", normalise(st.text)[:marker - st.start]):
            # …共办结…3456件，…。办结工单中已解决3112件、未解决344件: "X中" opening the sentence
            whole = self.previous_item(i, dim)
        cues = [(st.line, st.markers[k], st.markers[k] + 2, k) for k in ("part", "complete", "order") if k in st.markers]
        ordered = "order" in st.markers and st.markers["order"] <= parts[0].head.start
        shares = [it.shares[0] for it in parts if it.shares]
        share_sum = sum((s.value for s in shares if s.value is not None), Decimal(0))
        kinds = st.markers.get("kinds")
        complete_word = "complete" in st.markers and st.markers["complete"] < parts[0].head.start
        complete = (not ordered and ((complete_word and (kinds is None or kinds == len(parts)))
                                     or (len(shares) == len(parts) >= 2 and _reach_100(shares, [it.head for it in parts]))))
        if ordered and len(parts) >= 2:
            self.add("order", [it.head for it in parts], 0.9, True,
                     _("a ranked list ({words}): the values are printed from the largest down", words=_word(st, 'order')),
                     cues=cues, direction="descending")
        if whole is not None and len(parts) >= 1 and whole.head is not parts[0].head:
            if complete and len(parts) >= 2:
                self.add("sum", [whole.head] + [it.head for it in parts], 0.9, True,
                         _("a total and its complete enumeration (分别为/共N类)") if complete_word
                         else _("a total and its complete enumeration (the parts' shares reach 100%)"), cues=cues)
                self.prior_sum(whole, parts)
            elif len(parts) >= 2 and _adds_up(whole.head, [it.head for it in parts]):
                self.add("sum", [whole.head] + [it.head for it in parts], 0.7, True,
                         _("parts that add up to their total as printed: the enumeration is complete"), cues=cues)
                self.prior_sum(whole, parts)
            elif not ordered or "part" in st.markers:
                self.add("bound", [whole.head] + [it.head for it in parts], 0.8, True,
                         _("parts of a total (其中 ...) cannot exceed it"), cues=cues)
            elif ordered:
                self.add("bound", [whole.head] + [it.head for it in parts], 0.8, True,
                         _("the top of a ranked list cannot exceed the total"), cues=cues)
        # shares of the parts
        for it in parts:
            for s in it.shares[:1]:
                if whole is not None and not s.base and whole.shares and not _consistent(s, it.head, whole.head):
                    self.add("share", [s, it.head, whole.head], 0.3, False,
                             _("the whole is itself a share of something larger: this share may be of that"))
                elif s.base and (named := self.named_base(s.base, it.head)) is not None and named is not whole.head \
                        if whole is not None else False:
                    self.add("share", [s, it.head, named], 0.7, True, _("a share of the figure its base names (占{base}的)", base=s.base),
                             scale=1000 if s.unit == "‰" else 100)
                    self.resolved_shares.add(id(s))
                elif whole is not None and (not s.base or _same_base(s.base, whole.head)):
                    self.add("share", [s, it.head, whole.head], 0.85, True,
                             (_("a part's share of the total its list belongs to (占{base}的)", base=s.base) if s.base
                              else _("a part's share of the total its list belongs to")),
                             scale=1000 if s.unit == "‰" else 100, cues=cues)
                    self.resolved_shares.add(id(s))
                elif whole is not None and s.base:
                    self.add("share", [s, it.head, whole.head], 0.4, False,
                             _("the share names its base (占{base}的), which may not be the list's total", base=s.base))
        # a share of 诉求总量 / 投诉举报总数 with no count of that name is of the same whole as the list's other shares
        unresolved = [(s, it) for it in parts for s in it.shares[:1] if id(s) not in self.resolved_shares
                      and (not s.base or (_generic_total(s.base) and self.named_base(s.base, it.head) is None))]
        if whole is None and unresolved:
            base = self.preceding_total(i, dimension(unresolved[0][1].head))
            if base is not None and not self.base_agrees(base.head, unresolved):
                base = None
            if base is not None:
                self.shares_of(base.head, unresolved, _("a share of the total printed before the list"))
                if complete and len(parts) >= 2:
                    self.add("sum", [base.head] + [it.head for it in parts], 0.7, True,
                             _("the parts' shares reach 100%: they add up to the total printed before them"))
                elif len(parts) >= 2 and base.head not in [it.head for it in parts]:
                    self.add("bound", [base.head] + [it.head for it in parts], 0.7, True,
                             _("parts of the total their shares are of cannot exceed it"))
            elif len(unresolved) >= 2:
                self.unknown_base(unresolved, _("the shares of one list are of one whole the text does not print"),
                                  complete=complete and len(unresolved) == len(parts))
        if not ordered and len(parts) >= 3 and _descending([it.head for it in parts]):
            self.add("order", [it.head for it in parts], 0.6, True, _("a list printed from the largest down stays so"))
        if len(shares) >= 2 and (complete or (whole is None and complete_word)):
            self.add("shares-sum", shares, 0.85, True, _("the shares of a complete enumeration add up to 100%"), cues=cues)
        self.claims(st, parts, self.items[i])
        return whole

    def named_whole(self, st: Statement, marker: int, before: list, dim: str) -> Item | None:
        """The count of the same sentence that the words of an "X中，" opening name (X shares two characters
        in a row with its label), nearest first."""
        norm = normalise(st.text)
        at = marker - st.start
        if not (0 < at < len(norm) and norm[at] == "中" and norm[at + 1:at + 2] and norm[at + 1] in "，,：:已未"):
            return None
        x = re.split(r"[，,；;。：:、]", norm[:at])[-1]
        for it in reversed(before):
            if dimension(it.head) == dim and it.head.role in COUNT_ROLES and _common(x, it.head.subject) >= 2:
                return it
        return None

    def prior_sum(self, whole: Item, parts: list[Item]):
        """A complete enumeration printed with last period's figures (上年同期为…) of the total and of every
        part: the prior parts add up to the prior total as well."""
        if not whole.priors or any(not it.priors for it in parts):
            return
        period = whole.priors[0].period
        priors = [it.priors[0] for it in parts]
        if any(p.period != period or dimension(p) != dimension(whole.priors[0]) for p in priors):
            return
        self.add("sum", [whole.priors[0]] + priors, 0.8, True,
                 _("the same complete enumeration a period earlier: the prior parts add up to the prior total"),
                 cues=[(p.line, p.start, p.end, p.cue) for p in [whole.priors[0]] + priors if p.cue])

    def named_base(self, base: str, part: Figure) -> Figure | None:
        """The count printed before ``part`` whose label is the base a share names (占全部投诉的 -> 投诉27723件)."""
        core = re.sub("^(?:" + _words("base_prefix") + ")|(?:" + _words("base_suffix") + ")$", "", _norm_base(base))
        if len(core) < 2:
            return None
        whole_word = re.search(_words("total_base"), base) is not None  # 占投诉总量的: a total; 占全部投诉的: the count of 投诉
        for j in range(len(self.statements) - 1, -1, -1):
            if self.statements[j].kind != "sentence":
                continue  # a table row is a member of a list, not a base
            for it in reversed(self.items[j]):
                f = it.head
                if whole_word and f.role != "total":
                    continue
                if f.line > part.line or (f.line == part.line and f.start >= part.start):
                    continue
                if dimension(f) != dimension(part) or f.bounded:
                    continue
                subj = _without_kind(f.subject)
                ctx = f.sentence[: max(0, f.start - (f.line and 0))]
                if subj == core or subj.endswith(core) and (whole_word or len(subj) - len(core) <= 4):
                    return f
        return None

    def preceding_total(self, i: int, dim: str) -> Item | None:
        """The nearest total (共/合计/总量 ...) printed before statement ``i``, of the same dimension."""
        for j in range(i - 1, -1, -1):
            for it in reversed(self.items[j]):
                if it.head.role == "total" and dimension(it.head) == dim and not it.head.bounded:
                    return it
        return None

    def base_agrees(self, whole: Figure, pairs) -> bool:
        """Does a total the text did not name as the base agree with most of the shares (within one unit)?
        A base read from the layout (the total printed before a list or a table) is taken only then;
        otherwise the shares are checked against one unknown whole."""
        ok = sum(1 for s, it in pairs if _consistent(s, it.head, whole))
        return ok >= max(1, (2 * len(pairs) + 2) // 3)

    def shares_of(self, whole: Figure, pairs, reason: str):
        for s, it in pairs:
            if it.head is whole:
                continue
            self.add("share", [s, it.head, whole], 0.7, True, reason, scale=1000 if s.unit == "‰" else 100)
            self.resolved_shares.add(id(s))

    def line_lists(self):
        """Numbered lines (1.… 2.… 3.…) each opening with a counted item: one list across lines."""
        runs: list[list[Item]] = []
        cur: list[Item] = []
        last_line = None
        intro = False  # 排名前10位的依次是：⏎居民日常服务1412件，…⏎交通管理1155件，…: lines after a colon
        ranked_intro = False
        ranked: set[int] = set()  # runs (by their first item) announced as ranked (依次是, 排名前N)
        for i, st in enumerate(self.statements):
            if st.kind != "sentence":
                continue
            if st.start != 0:
                continue
            line_text = "".join(x.text for x in self.statements if x.line == st.line and x.kind == "sentence")
            ends_colon = bool(re.search(r"[：:]\s*$", line_text))
            numbered = bool(_NUMBERED_LINE.match(st.text)) or intro
            # 1.住房和城乡建设类问题。本月受理1099件，占比29.07%: the item's first count may follow its heading
            line_items = [it for j in range(i, len(self.statements)) if self.statements[j].line == st.line
                          and self.statements[j].kind == "sentence" for it in self.items[j]]
            first = next((it for it in line_items if it.head.role in COUNT_ROLES), None)
            if numbered and first is not None and (not cur or dimension(first.head) == dimension(cur[0].head)):
                if not cur and intro and ranked_intro:
                    ranked.add(id(first))
                cur.append(first)
            elif numbered and first is None:
                continue
            else:
                if len(cur) >= 2:
                    runs.append(cur)
                cur = [first] if numbered and first is not None else []
            if ends_colon:
                if len(cur) >= 2:
                    runs.append(cur)
                cur = []
                ranked_intro = any("order" in x.markers for x in self.statements if x.line == st.line)
            intro = ends_colon or (intro and first is not None and not ends_colon)
            last_line = st.line
        if len(cur) >= 2:
            runs.append(cur)
        for run in runs:
            heads = [it.head for it in run]
            if id(run[0]) in ranked:
                self.add("order", heads, 0.85, True, _("a ranked list (依次是/排名前N) over lines: printed from the largest down"))
            elif len(heads) >= 3 and _descending(heads):
                self.add("order", heads, 0.6, True, _("numbered items printed from the largest down stay so"))
            idx = self.statements.index(run[0].statement)
            pairs = [(it.shares[0], it) for it in run if it.shares and id(it.shares[0]) not in self.resolved_shares
                     and not it.shares[0].base]
            if pairs:
                base = self.preceding_total(idx, dimension(run[0].head))
                if base is not None and not self.base_agrees(base.head, pairs):
                    base = None
                if base is not None:
                    self.shares_of(base.head, pairs, _("a numbered item's share of the total printed before the list"))
                elif len(pairs) >= 2:
                    self.unknown_base(pairs, _("the shares of numbered items are of one whole the text does not print"))

    def unknown_base(self, pairs, reason, complete: bool = False):
        n = sum(1 for r in self.relations if r.params.get("unknown")) + 1
        for s, it in pairs:
            self.resolved_shares.add(id(s))
        unit = pairs[0][1].head.unit
        if any(dimension(it.head) != dimension(pairs[0][1].head) for _, it in pairs):
            return
        base = self.agreeing_base(pairs)
        if base is not None:
            # 投诉按问题分，前六位依次是：售后服务投诉5313件，占比25.59%；… every share is of 投诉 20761件,
            # printed before the list: the shares are read as its shares, the parts as bounded by it
            self.shares_of(base, pairs, _("every share of the list agrees with the count printed before it "
                                          "({count}): the shares are of it", count=base.literal + base.unit))
            parts = [it.head for _, it in pairs]
            if complete:
                self.add("sum", [base] + parts, 0.7, True,
                         _("the parts' shares reach 100%: they add up to the count their shares are of"))
            else:
                self.add("bound", [base] + parts, 0.7, True,
                         _("parts of the count their shares are of cannot exceed it"))
            return
        self.add("share", [x for s, it in pairs for x in (s, it.head)], 0.8, True, reason,
                 unknown=f"whole{n}.base", unit=unit, scale=1000 if pairs[0][0].unit == "‰" else 100)

    def agreeing_base(self, pairs) -> Figure | None:
        """The nearest count printed before a list whose shares name no base, when every share of the
        list agrees with it (part / count prints as the share, give or take one unit of its last digit).
        Two shares at least: one share alone agrees with too many counts."""
        if len(pairs) < 2:
            return None
        first = min(((it.head.line, it.head.start) for _, it in pairs))
        dim = dimension(pairs[0][1].head)
        members = {id(it.head) for _, it in pairs}
        biggest = max(float(it.head.value) * unit_spec(it.head.unit)[1] for _, it in pairs if it.head.value is not None) \
            if all(it.head.value is not None for _, it in pairs) else None
        if biggest is None:
            return None
        cands = []
        for j in range(len(self.statements) - 1, -1, -1):
            st = self.statements[j]
            if st.kind != "sentence":
                continue
            for it in reversed(self.items.get(j, [])):
                f = it.head
                if (f.line, f.start) >= first or id(f) in members or f.bounded or f.is_range:
                    continue
                if f.role not in COUNT_ROLES or dimension(f) != dim or float(f.value) * unit_spec(f.unit)[1] < biggest:
                    continue
                cands.append(f)
        # the nearest count every share fits as printed; failing that, the nearest they fit one unit off
        for units in (0.0, 1.0):
            for f in cands:
                if all(_consistent(s, it2.head, f, units) for s, it2 in pairs):
                    return f
        return None

    def claims(self, st: Statement, parts: list[Item], items: list[Item]):
        for it in items:
            f = it.head
            if f.role != "claim":
                continue
            members = [p.head for p in parts if p.head is not f and dimension(p.head) == dimension(f)]
            low = re.search(_words("claim_low"), f.cue) is not None
            if len(members) >= 1 and any(p.head is f for p in parts):
                self.add("claim", [f] + members, 0.85, True,
                         (_("{member} {cue}: compared with the other members of its list", member=f.subject, cue=f.cue) if f.subject
                          else _("the member {cue}: compared with the other members of its list", cue=f.cue)),
                         low=low)
            else:
                self.add("claim", [f], 0.3, False, _("a superlative ({cue}) whose members are not in one list", cue=f.cue))

    # ---------------------------------------------------------------- tables
    def tables(self):
        rows_by_table: dict[int, list[Statement]] = {}
        for st in self.statements:
            if st.kind == "table-row":
                rows_by_table.setdefault(st.table, []).append(st)
        for t, rows in rows_by_table.items():
            header = rows[0].header
            total_rows = [r for r in rows if re.search(_words("total_row"), r.markers.get("label", ""))]
            if not total_rows and re.search(_words("whole_row"), rows[0].markers.get("label", "")) \
                    and not re.search(_words("average_row"), rows[0].markers.get("label", "")):
                total_rows = [rows[0]]  # 地区生产总值 above 第一产业 … 第三产业: the table's first row is its whole
            # 其中：… rows are parts of the row above them, not more members of the list
            body = [r for r in rows if r not in total_rows and not re.match(r"\s*(?:" + _words("sub_row") + ")", r.markers.get("label", ""))]
            columns: dict[str, list[tuple[Statement, Figure]]] = {}
            for r in rows:
                for f in r.figures:
                    columns.setdefault(f.column, []).append((r, f))
            count_cols = [c for c, fs in columns.items() if fs and fs[0][1].role == "count"]
            share_cols = [c for c, fs in columns.items() if fs and fs[0][1].role == "share"]
            ranked = any(re.search(_words("ranked_header"), h) for h in header) or any(
                re.search(_words("ranked_section"), r.section or "") for r in rows[:1])
            subs = [r for r in rows if r not in total_rows and r not in body]
            for c in count_cols[:1]:
                # 青山 463295 ⏎ 其中：武汉化工 31477: a sub-row is part of the row above it
                for r in subs:
                    above = [x for x in rows[:rows.index(r)] if x in body]
                    fa = next((f for x, f in columns[c] if above and x is above[-1]), None)
                    fs = next((f for x, f in columns[c] if x is r), None)
                    if fa is not None and fs is not None:
                        self.add("bound", [fa, fs], 0.8, True, _("a 其中 row is part of the row above it (column {column})", column=c or '?'))
            for c in count_cols:
                total = [f for r, f in columns[c] if r in total_rows]
                parts = [f for r, f in columns[c] if r in body]
                if len(total) == 1 and len(parts) >= 2:
                    self.add("sum", total + parts, 0.9, True, _("a table's 合计 row and its rows (column {column})", column=c or '?'))
                if ranked and len(parts) >= 2 and c == count_cols[0]:
                    self.add("order", parts, 0.8, True, _("a ranked table is sorted by its first count column"))
            for c in share_cols:
                # the share column belongs to the count column printed before it
                idx = header.index(c) if c in header else -1
                base_col = next((cc for cc in reversed(count_cols) if cc in header and header.index(cc) < idx), None)
                if base_col is None and count_cols:
                    base_col = count_cols[0]
                if base_col is None or (_years(c) and _years(base_col) != _years(c)):
                    # a share of another year's column (2010年比重 beside 2020年人口): not of this column; but with a
                    # 合计 row of 100 its rows still add up to 100%
                    col = [(r, f) for r, f in columns[c]]
                    tot = [f for r, f in col if r in total_rows]
                    shares = [f for r, f in col if r in body]
                    if len(tot) == 1 and tot[0].value == 100 and len(shares) >= 2:
                        self.add("shares-sum", shares, 0.8, True, _("a share column ({column}) whose 合计 row is 100 adds up to 100%", column=c))
                    continue
                by_row = {id(r): f for r, f in columns[base_col]}
                total = [by_row.get(id(r)) for r in total_rows if by_row.get(id(r))]
                pairs = [(f, by_row.get(id(r))) for r, f in columns[c] if r in body and by_row.get(id(r))]
                shares = [s for s, _ in pairs]
                reach = len(shares) >= 2 and _reach_100(shares, [p for _, p in pairs])
                outside = None
                if not total and pairs:
                    outside = self.preceding_total(self.statements.index(rows[0]), dimension(pairs[0][1]))
                    if outside is not None and not self.base_agrees(outside.head, [(s, Item(p, None)) for s, p in pairs]):
                        outside = None
                if len(total) == 1:
                    sub_pairs = [(f, by_row.get(id(r))) for r, f in columns[c] if r in subs and by_row.get(id(r))]
                    for s, p in pairs + sub_pairs:
                        self.add("share", [s, p, total[0]], 0.85, True, _("a row's share ({column}) of the table's 合计 row", column=c))
                        self.resolved_shares.add(id(s))
                elif outside is not None:
                    self.shares_of(outside.head, [(s, Item(p, None)) for s, p in pairs],
                                   _("a row's share ({column}) of the total printed before the table", column=c))
                    if reach:
                        self.add("sum", [outside.head] + [p for _, p in pairs], 0.7, True,
                                 _("the rows' shares reach 100%: they add up to the total printed before the table"))
                    elif len(pairs) >= 2:
                        self.add("bound", [outside.head] + [p for _, p in pairs], 0.7, True,
                                 _("rows of the total their shares are of cannot exceed it"))
                elif len(pairs) >= 2:
                    self.unknown_base([(s, Item(p, None)) for s, p in pairs],
                                      _("a table's share column is of one whole the table does not print"), complete=reach)
                if len(shares) >= 2 and (total or reach):
                    self.add("shares-sum", shares, 0.85, True, _("the share column of a table adds up to 100%"))
            if not ranked and count_cols:
                parts = [f for r, f in columns[count_cols[0]] if r in body]
                if len(parts) >= 3 and _descending(parts):
                    self.add("order", parts, 0.6, True, _("a table printed from the largest down stays so"))

    # ---------------------------------------------------------------- growth, averages
    def growths(self):
        for i, st in enumerate(self.statements):
            for it in self.items[i]:
                if it.head.role not in COUNT_ROLES or it.head.bounded:
                    continue
                rates = [g for g in it.growth if g.unit == "%"]
                if not rates:
                    continue  # a change alone (增加263件) says nothing checkable without the prior figure
                for rate in rates:
                    changes = [c for c in it.changes if dimension(c) == dimension(it.head)
                               and c.period and c.period == rate.period]
                    priors = [p for p in it.priors if dimension(p) == dimension(it.head) and p.period == rate.period]
                    figs = [rate, it.head] + (priors[:1] or changes[:1])
                    self.add("growth", figs, 0.85, True,
                             (_("a growth rate against the same figure a period earlier and the change in the same unit") if changes
                              else _("a growth rate against the same figure a period earlier")),
                             cues=[(g.line, g.start, g.end, g.cue) for g in figs if g.cue])

    def rates(self):
        """已办结13441件，办结率为99.87%: a rate named after a verb (办结率, 接通率, 解决率) is the share of the
        count printed with that verb (办结13441件) in the nearest count before it in the paragraph that the
        rate agrees with (受理13459件). A rate that fits none of them (调解成功率59.4% of neither 8742
        nor 8875) may be of a count the text does not print: not checked, ambiguous."""
        from audit.prose.vocabulary import vocabulary

        stems = vocabulary().rate_stems
        for i, st in enumerate(self.statements):
            if st.kind != "sentence":
                continue
            unfit = []  # rates that fit no printed count: 出生率12.24‰；…死亡率6.85‰ (of the unprinted average population)
            for f in st.figures:
                if f.role != "rate" or f.unit not in ("%", "‰") or f.bounded or f.is_range:
                    continue
                norm = normalise(st.text)
                before = norm[: f.start - st.start]
                m = re.search(r"([\u4e00-\u9fff]{2,8})率\s*(?:" + _words("rate_link") + r")?\s*$", before)
                if not m:
                    continue
                word = m.group(1)
                stem = next((w for w in stems if word.endswith(w)), "")
                if not stem:
                    continue
                counts = self._counts_before(i, f)
                part = next((c for c, clause in counts if stem in clause
                             and not re.search("(?:" + _words("negation") + ")" + re.escape(stem), clause)), None)
                if part is None:
                    continue
                wholes = [c for c, _ in counts[counts.index(next(x for x in counts if x[0] is part)) + 1:]
                          if dimension(c) == dimension(part) and c is not part]
                # as printed; one unit off only within the rate's own sentence (接通18851个，接通率95.84%)
                whole = next((c for c in wholes if _consistent(f, part, c, 0.0)
                              or (_consistent(f, part, c) and st.start <= c.start < st.end and c.line == st.line)), None)
                cues = [(f.line, f.start - len(word) - 1, f.start, word + "率")]
                if whole is None:
                    unfit.append((f, part, word, cues))
                    continue
                self.add("share", [f, part, whole], 0.75, True,
                         _("{word}率: the share of {part} ({stem}) in {whole}", word=word, part=part.literal + part.unit, stem=stem,
                           whole=whole.literal + whole.unit),
                         scale=100, cues=cues)
                self.resolved_shares.add(id(f))
                self.add("bound", [whole, part], 0.75, True,
                         _("{stem} {part} cannot exceed the {whole} it is a rate of", stem=stem, part=part.literal + part.unit,
                           whole=whole.literal + whole.unit),
                         cues=cues)
            if len(unfit) >= 2 and len({f.unit for f, *_ in unfit}) == 1 \
                    and len({dimension(p) for _, p, *_ in unfit}) == 1:
                # two rates of one sentence per the same unprinted whole: they must agree on it
                self.unknown_base([(f, Item(p, st)) for f, p, *_ in unfit],
                                  _("rates of one sentence that fit no printed count are of one whole the text does not print"))
                continue
            for f, part, word, cues in unfit:
                self.add("share", [f, part], 0.3, False,
                         _("{word}率 of {part} fits no count printed before it: perhaps of a count the text does not print",
                           word=word, part=part.literal + part.unit), cues=cues)

    def sentence_counts(self, i: int) -> list:
        """The counts a sentence prints as values (not bounds, not ranges), in order."""
        return [it.head for it in self.items[i] if it.head.role in COUNT_ROLES and not it.head.bounded
                and not it.head.is_range]

    def splits(self):
        """共3136宗，已办结2477宗，在办659宗 / 共办结工单3780件，另有291件尚在办理期限内: what was received is
        what was closed and what is still open. The whole is the total printed before in the same sentence;
        failing that the nearest total before (the month's headline), taken only if the two parts reach it
        as printed (otherwise not checked: the parts may be of another count)."""
        for i, st in enumerate(self.statements):
            if st.kind != "sentence":
                continue
            norm, heads = normalise(st.text), self.sentence_counts(i)
            for a, b in zip(heads, heads[1:]):
                if dimension(a) != dimension(b):
                    continue
                ca = _clause_around(norm, a.start - st.start, a.unit_end - st.start)
                cb = _clause_around(norm, b.start - st.start, b.unit_end - st.start)
                if not re.search(_closed_words(), ca) or not re.search(_open_words(), cb) or re.search(_open_words(), ca):
                    continue
                same = [c for c in heads if (c.line, c.start) < (a.line, a.start) and dimension(c) == dimension(a)
                        and not re.search(_closed_words() + "|" + _open_words(),
                                          _clause_around(norm, c.start - st.start, c.unit_end - st.start))]
                if same:
                    whole, checked = same[-1], True
                else:
                    prev = self.preceding_total(i, dimension(a))
                    if prev is None:
                        continue
                    whole, checked = prev.head, _adds_up(prev.head, [a, b])
                cues = [(st.line, a.start, b.unit_end, "办结 … " + re.search(_open_words(), cb).group())]
                self.add("sum", [whole, a, b], 0.75 if checked else 0.3, checked,
                         (_("what was received is what was closed (办结) and what is still open") if checked
                          else _("what was received is what was closed (办结) and what is still open: the parts do "
                                 "not reach the total printed before them, which may be of another count")), cues=cues)

    def received_closed(self):
        """受理各类诉求277件，已办结272件: what was closed of what was received cannot exceed it. And
        承接…1905件；加上上月结转的…233件，本月共有工单2138件: a total announced as one count plus another."""
        have = {tuple(id(f) for f in r.figures) for r in self.relations}
        for i, st in enumerate(self.statements):
            if st.kind != "sentence":
                continue
            norm, heads = normalise(st.text), self.sentence_counts(i)
            for w, a in zip(heads, heads[1:]):
                if dimension(w) != dimension(a):
                    continue
                cw = _clause_around(norm, w.start - st.start, w.unit_end - st.start)
                ca = _clause_around(norm, a.start - st.start, a.unit_end - st.start)
                if re.search(_words("received"), cw) and re.search(r"^\s*(?:" + _words("already") + ")?" + _closed_words(), ca) \
                        and (id(w), id(a)) not in have and not any(id(w) in k and id(a) in k for k in have):
                    self.add("bound", [w, a], 0.7, True, _("what was closed (办结) of what was received cannot exceed it"),
                             cues=[(st.line, w.start, a.unit_end, "受理 … 办结")])
            for k, c in enumerate(heads):
                cc = _clause_around(norm, c.start - st.start, c.unit_end - st.start)
                if k >= 1 and re.search("^(?:" + _words("plus") + ")", cc):
                    nxt = heads[k + 1] if k + 1 < len(heads) else None
                    if nxt is not None and dimension(nxt) == dimension(c) == dimension(heads[k - 1]) and re.search(
                            _words("sum_total"), _clause_around(norm, nxt.start - st.start, nxt.unit_end - st.start)):
                        self.add("sum", [nxt, heads[k - 1], c], 0.8, True,
                                 _("a total announced as one count plus another (…；加上…，共有…)"),
                                 cues=[(st.line, c.start - 2, c.start, "加上")])

    def _counts_before(self, i: int, f: Figure) -> list[tuple[Figure, str]]:
        """Counts printed before ``f`` in its paragraph (its line), nearest first, with their clause."""
        out = []
        line = self.statements[i].line
        for j in range(i, -1, -1):
            st = self.statements[j]
            if st.line != line or st.kind != "sentence":
                break
            norm = normalise(st.text)
            for it in reversed(self.items[j]):
                c = it.head
                if (c.line, c.start) >= (f.line, f.start) or c.role not in COUNT_ROLES or c.bounded or c.is_range:
                    continue
                at = c.start - st.start
                clause = re.split(r"[，,；;。：:、]", norm[:at])[-1]
                out.append((c, clause))
        return out

    def labelled_growths(self):
        """农林畜牧水利类环比减少12.35%: a rate printed apart from its figure, found by the figure's label."""
        attached = {id(g) for its in self.items.values() for it in its for g in it.growth}
        counts = [it.head for j in sorted(self.items) for it in self.items[j]
                  if it.head.role in COUNT_ROLES and len(it.head.subject) >= 2 and self.statements[j].kind == "sentence"]
        for st in self.statements:
            if st.kind != "sentence":
                continue
            for f in st.figures:
                if f.role != "growth" or id(f) in attached or f.unit != "%":
                    continue
                label = _growth_label(st, f)
                change = None
                if len(label) < 2:
                    # 汉族人口增加60378693人，增长4.93%: the rate and the change of a count printed before
                    k = st.figures.index(f)
                    prev = st.figures[k - 1] if k else None
                    if prev is None or prev.role != "change" or dimension(prev) == "percent":
                        continue
                    label = re.sub("(?:" + _words("count_suffix") + ")$", "", _growth_label(st, prev))
                    if len(label) < 2:
                        continue
                    hits = [c for c in counts if (c.line, c.start) < (prev.line, prev.start)
                            and dimension(c) == dimension(prev) and c.line == f.line
                            and (label in c.subject or (len(c.subject) >= 2 and c.subject in label))]
                    if len(hits) == 1 and not hits[0].bounded:
                        self.add("growth", [f, hits[0], prev], 0.7, True,
                                 _("the growth rate and the change of {label}, printed after its figure, found by the label", label=label),
                                 cues=[(prev.line, prev.start, prev.end, prev.cue)])
                    continue
                hits = [c for c in counts if (c.line, c.start) < (f.line, f.start)
                        and _without_kind(c.subject) == label]
                if len(hits) == 1 and not hits[0].bounded:
                    self.add("growth", [f, hits[0]], 0.7, True,
                             _("a growth rate of {label}, printed apart from its figure, found by the label", label=label))

    def averages(self):
        period = period_of(self.text)
        for i, st in enumerate(self.statements):
            for f in st.figures:
                if f.role != "average":
                    continue
                per = "day" if (re.search(_words("day_average"), f.cue) or re.search(_words("per_day"), st.text)) else (
                    "month" if re.search(_words("month_average"), f.cue) else "")
                if not per and self.per_member(i, st, f):
                    continue
                whole = None
                for it in self.items[i]:
                    if it.head.start < f.start and it.head.role in ("total", "count") and dimension(it.head) == dimension(f):
                        whole = it.head
                if whole is None and self.headline is not None and dimension(self.headline) == dimension(f):
                    whole = self.headline
                n = (period or {}).get(per)
                if whole is None or not n or not per:
                    self.add("average", [f] + ([whole] if whole else []), 0.3, False,
                             _("an average whose total or period the text does not make clear"))
                    continue
                self.add("average", [f, whole], 0.8, True,
                         (_("{cue} = total / {n} days of the period ({period})", cue=f.cue, n=n, period=period['label']) if per == "day"
                          else _("{cue} = total / {n} months of the period ({period})", cue=f.cue, n=n,
                                 period=period['label'])), divisor=n)

    def per_member(self, i: int, st: Statement, f: Figure) -> bool:
        """家庭户共275307户，家庭户人口为777901人。平均每个家庭户有2.66人: an average per member of a counted
        group (家庭户) is the count of its kind (家庭户人口, in 人) over the number of members (275307户), both
        printed in the paragraph."""
        m = re.search("(?:" + _words("per_member") + ")(?:" + _words("measure") + r")?([\u4e00-\u9fff]{1,6}?)(?:"
                      + _words("per_member_link") + r")?\s*$", normalise(st.text)[: f.start - st.start])
        if not m:
            return False
        member = m.group(1)
        counts = [c for c, _ in self._counts_before(i, f)]
        numer = [c for c in counts if dimension(c) == dimension(f) and member in c.subject and c.subject != member]
        denom = [c for c in counts if dimension(c) != dimension(f) and c.subject.endswith(member)
                 and unit_spec(c.unit)[2] and c.value]
        if len(numer) != 1 or len(denom) != 1:
            return False
        d = denom[0]
        self.add("average", [f, numer[0]], 0.75, True,
                 _("平均每{member} = {total} / {member} ({count})", member=member, total=numer[0].subject,
                   count=d.literal + d.unit), divisor=int(d.value),
                 cues=[(d.line, d.start, d.end, d.literal)])
        return True

    def base_groups(self):
        """Shares that name the same base (占全市各区承办的 …) agree on one whole."""
        groups: dict[str, list[tuple[Figure, Item]]] = {}
        for i, st in enumerate(self.statements):
            for it in self.items[i]:
                for s in it.shares[:1]:
                    if id(s) in self.resolved_shares or not s.base:
                        continue
                    groups.setdefault(_norm_base(s.base), []).append((s, it))
        for base, pairs in list(groups.items()):
            left = []
            for s_, it in pairs:
                named = self.named_base(s_.base, it.head)
                if named is not None and named is not it.head:
                    self.add("share", [s_, it.head, named], 0.7, True, _("a share of the figure its base names (占{base}的)", base=s_.base),
                             scale=1000 if s_.unit == "‰" else 100)
                    self.resolved_shares.add(id(s_))
                else:
                    left.append((s_, it))
            pairs = left
            if not pairs:
                continue
            if len(pairs) >= 2:
                self.unknown_base(pairs, _("shares of one stated base (占{base}的) agree on one whole", base=pairs[0][0].base))
            else:
                s, it = pairs[0]
                self.add("share", [s, it.head], 0.3, False, _("a share of a base (占{base}的) the text does not print nearby", base=s.base))

    def _start_of(self, f: Figure) -> int:
        st = next((s for s in self.statements if s.line == f.line and s.start <= f.start < s.end), None)
        return st.start if st else 0

    def restatements(self):
        seen: dict[tuple, list[Figure]] = {}
        same_value: dict[tuple, list[Item]] = {}
        totals: list[Figure] = []
        for i, st in enumerate(self.statements):
            if st.kind != "sentence":
                continue
            for it in self.items[i]:
                f = it.head
                if f.bounded or f.is_range:
                    continue
                if f.role == "total":
                    totals.append(f)
                if f.role in ("total", "count", "claim") and len(f.subject) >= 2:
                    seen.setdefault((f.subject, dimension(f)), []).append(f)
                if f.role in COUNT_ROLES and f.value is not None and len(re.sub(r"\D", "", f.literal)) >= 3:
                    same_value.setdefault((float(f.value) * unit_spec(f.unit)[1], dimension(f)), []).append(it)
        pairs = []
        for (subject, _unit), figs in seen.items():
            for b in figs[1:]:
                pairs.append((figs[0], b, subject))
        # one count of three digits or more printed again in another sentence (投诉541件 … 共接转登记投诉类案件541件):
        # a restatement, and so are the growth rate and share printed with both (同比上升1.25% … 同比上升1.25%)
        for _key, its in same_value.items():
            a = its[0]
            for b in its[1:]:
                if a.head.sentence == b.head.sentence and a.head.line == b.head.line:
                    continue
                pairs.append((a.head, b.head, a.head.subject or b.head.subject or "a count"))
                for ga, gb in zip(a.growth[:1], b.growth[:1]):
                    # the same rate, or two rates of one period of two counts whose labels agree (投诉 / 受理投诉)
                    if ga.period == gb.period and (ga.literal == gb.literal or _common(a.head.subject, b.head.subject) >= 2):
                        pairs.append((ga, gb, (a.head.subject or "a count") + " growth"))
        for k, a in enumerate(totals):  # one total printed twice (共1310件 … 合计1310件)
            for b in totals[k + 1:]:
                if a.unit == b.unit and a.value == b.value and a.line != b.line:
                    pairs.append((a, b, a.subject or "a total"))
                    break
        # a table row restating the prose (投诉 20761 in 表1 and 投诉20761件 in the text)
        item_of = {id(it.head): it for its in self.items.values() for it in its}
        from collections import Counter

        table_counts = Counter((f.literal, dimension(f)) for st in self.statements if st.kind == "table-row"
                               for f in st.figures if f.role == "count")
        prose: dict[tuple, list[Figure]] = {}
        for st in self.statements:
            if st.kind == "sentence":
                for f in st.figures:
                    if f.value is not None and not f.bounded:
                        prose.setdefault((f.literal.rstrip("%"), dimension(f)), []).append(f)
        for st in self.statements:
            if st.kind != "table-row":
                continue
            label = _without_kind(st.markers.get("label", ""))
            for f in st.figures:
                if f.value is None or len(re.sub(r"\D", "", f.literal)) < 2 or f.role == "prior":
                    continue
                for g in prose.get((f.literal.rstrip("%"), dimension(f)), []):
                    near = normalise(g.sentence)[: max(0, g.start - self._start_of(g))][-24:]
                    if label and (label in near or (g.subject and (label in g.subject or g.subject in label))):
                        pairs.append((g, f, label))
                        break
                    unique = (len(prose.get((f.literal.rstrip("%"), dimension(f)), [])) == 1
                              and table_counts.get((f.literal, dimension(f)), 0) == 1 and g.role in COUNT_ROLES)
                    if label and f.role == "count" and len(re.sub(r"\D", "", f.literal)) >= 3 \
                            and (_common(label, near) >= min(3, len(label)) or unique):
                        # (or a count of three digits or more printed once in the prose and once in the tables)
                        # 地区生产总值 617.50 in 表1 and 全市生产总值为617.50亿元 in the text; and the growth
                        # rates printed beside both (5.2 in the row, 比上年增长5.2% in the text)
                        pairs.append((g, f, label))
                        it = item_of.get(id(g))
                        for rate in (it.growth[:1] if it else []):
                            twin = next((x for x in st.figures if x.role == "growth"
                                         and x.literal.rstrip("%") == rate.literal.rstrip("%")), None)
                            if twin is not None:
                                pairs.append((rate, twin, label + " growth"))
                        break
        done = set()
        for a, b, subject in pairs:
            if (id(a), id(b)) in done or (a.sentence == b.sentence and a.line == b.line):
                continue
            done.add((id(a), id(b)))
            va = float(a.value) * unit_spec(a.unit)[1]
            vb = float(b.value) * unit_spec(b.unit)[1]
            close = abs(va - vb) <= 0.1 * max(abs(va), abs(vb), 1e-9)
            self.add("restatement", [a, b], 0.7 if close else 0.2, close,
                     (_("{subject} printed twice", subject=subject) if close else
                      _("{subject} printed twice with values more than 10% apart: perhaps two different quantities",
                        subject=subject)))


def _growth_label(st: Statement, f: Figure) -> str:
    text = normalise(st.text)[: f.start - st.start]
    clause = re.split(r"[，,；;。：:、]", text)[-1]
    clause = re.sub(_words("growth_label"), "", clause)
    clause = re.sub("(?:" + _words("kind") + ")(?:" + _words("kind_noun") + ")?$", "", clause.strip())
    return clause


def _without_kind(label: str) -> str:
    """咨询类 -> 咨询: a label without the word of its kind at its end (vocabulary section ``kind``)."""
    return re.sub("(?:" + _words("kind") + ")$", "", label)


def _items(st: Statement) -> list[Item]:
    """Counted figures with what follows them; a growth rate printed after a rate (解决率90.05%，环比上升2.12%)
    is the rate's change, not the count's, and is attached to nothing."""
    items: list[Item] = []
    last = None
    for f in st.figures:
        if f.role in COUNT_ROLES:
            items.append(Item(f, st))
        elif items:
            it = items[-1]
            if f.role == "share":
                it.shares.append(f)
            elif f.role == "growth" and (last is it.head or (last is not None and last.role in ("change", "share", "prior"))
                                         or (last is not None and last.role == "growth" and last in it.growth
                                             and last.period and f.period and last.period != f.period)):
                # 比上年同期下降24.85%，比上月下降0.16%: a year's and a month's rate of one count
                it.growth.append(f)
            elif f.role == "change":
                it.changes.append(f)
            elif f.role == "prior":
                it.priors.append(f)
        last = f
    # 男性138.82万人，女性131.37万人，分别占51.4%和48.6%: the shares go to the items in order
    for k, it in enumerate(items):
        n = len(it.shares)
        if n >= 2 and k + 1 >= n and re.search(_words("respectively"), st.text[max(0, it.head.unit_end - st.start):it.shares[0].start - st.start]) \
                and all(not items[j].shares for j in range(k - n + 1, k)):
            shares = it.shares
            for j, sh in zip(range(k - n + 1, k + 1), shares):
                items[j].shares = [sh]
    return items


_SEP_STRENGTH = {"、": 1, "，": 2, ",": 2, "；": 3, ";": 3, "。": 4}


def _years(text: str) -> set[str]:
    return set(re.findall(r"(?:19|20)\d\d", text or ""))


def _marker_positions(st: Statement) -> list[int]:
    from audit.prose.vocabulary import vocabulary

    v = vocabulary()
    text = normalise(st.text)
    found = set()
    ends = v.words("list_end")
    for words in (v.part, v.complete, v.order):
        for w in words:
            if w in ends:
                continue  # …，另有710件在流转: the last member of a list, not the opening of another
            for m in re.finditer(re.escape(w), text):
                found.add(st.start + m.start())
    for key in ("part", "complete", "order"):
        if key in st.markers and not re.match(_words("list_end"), text[st.markers[key] - st.start:]):
            found.add(st.markers[key])
    for m in re.finditer(_LIST_OPENER, text):  # 按类别分，… 从来源看，… 分产业看，…
        found.add(st.start + m.start())
    for m in re.finditer(r"[^其集\d]中(?:[，,：:]|(?=[已未]))", text):  # 常住人口中，… 办结工单中已解决…: a list of that whole
        found.add(st.start + m.start() + 1)
    out = []
    for p in sorted(found):  # 其中 … 分别为 in one list: one opening
        if out and p - out[-1] <= 12 and not re.search(r"\d", normalise(st.text)[out[-1] - st.start:p - st.start]):
            continue
        out.append(p)
    return out


# 按类别分，… 按类别看，… 从来源看，… 分产业看，…: a list of the whole printed before it
_LIST_OPENER = (r"\s*(?:按(?:[^，,。；;：:\d\[]|\[\d+\]){1,12}(?:分|看)|从[^，,。；;：:\d]{1,8}看|分[^，,。；;：:\d]{1,6}看)")
# (按区域[4]分: a footnote mark inside the opener)


def _gap_strength(st: Statement, a, b) -> int:
    end = max([a.head.unit_end] + [f.unit_end for f in a.shares + a.growth + a.changes])
    gap = st.text[max(0, end - st.start):max(0, b.head.start - st.start)]
    return max((_SEP_STRENGTH.get(ch, 0) for ch in gap), default=0)


def _list_run(st: Statement, after: list) -> list:
    parts = [after[0]]
    dim = dimension(after[0].head)
    first_sep = None
    prev = after[0]
    for it in after[1:]:
        if dimension(it.head) != dim:
            continue  # 投诉27723件，…挽回经济损失882.93万元；举报10171件: a figure of another kind inside a member
        strength = _gap_strength(st, prev, it)
        if first_sep is None:
            first_sep = strength
        elif strength > first_sep:
            break
        parts.append(it)
        prev = it
    return parts


_NUMBERED_LINE = re.compile(r"^\s*(?:\d{1,2}\s*(?:[.．](?!\d)|、)|[（(]\s*\d{1,2}\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩])")


def _range(f: Figure) -> tuple[float, float]:
    exact = unit_spec(f.unit)[2]
    lo, hi = f.printed.interval("half-up", exact=exact)
    factor = unit_spec(f.unit)[1]
    return lo * factor, hi * factor


def _adds_up(whole: Figure, parts: list[Figure]) -> bool:
    """The parts' printed values reach the total's within their rounding (exact counts: exactly)."""
    if whole.printed is None or any(p.printed is None for p in parts):
        return False
    lo = sum(_range(p)[0] for p in parts)
    hi = sum(_range(p)[1] for p in parts)
    wlo, whi = _range(whole)
    return lo <= whi + 1e-9 and hi >= wlo - 1e-9


def _consistent(share: Figure, part: Figure, whole: Figure, units: float = 1.0) -> bool:
    """part / whole can print as the share, give or take ``units`` units of its last digit."""
    if share.printed is None or part.printed is None or whole.printed is None:
        return False
    scale = 1000 if share.unit == "‰" else 100
    slo, shi = share.printed.widened(units)
    plo, phi = _range(part)
    wlo, whi = _range(whole)
    if whi <= 0 or wlo <= 0:
        return False
    return plo / whi * scale <= shi and phi / wlo * scale >= slo


def _descending(figs: list[Figure]) -> bool:
    vals = [float(f.value) * unit_spec(f.unit)[1] for f in figs if f.value is not None]
    return len(vals) == len(figs) and all(a >= b for a, b in zip(vals, vals[1:])) and vals[0] > vals[-1]


def _word(st: Statement, kind: str) -> str:
    return next((k.split(":", 1)[1] for k in st.markers if k.startswith(kind + ":")), "前N")


def _open_words() -> str:
    """另有 / 在办 / 转入下月 ...: what is still open (vocabulary section ``still_open``)."""
    return _words("still_open")


def _closed_words() -> str:
    """办结 / 办理完毕, not after a negation (未办结): vocabulary sections ``closed`` and ``negation``."""
    return _not_after("negation") + "(?:" + _words("closed") + ")"


def _clause_around(norm: str, start: int, end: int) -> str:
    """The clause a figure is printed in (from the separator before it to the one after it)."""
    lo = max((m.end() for m in re.finditer(r"[，,；;。：:、]", norm[:start])), default=0)
    m = re.search(r"[，,；;。：:、]", norm[end:])
    hi = end + m.start() if m else len(norm)
    return norm[lo:start] + norm[end:hi]


def _reach_100(shares: list[Figure], parts: list[Figure]) -> bool:
    """Do a list's shares say it is complete? When their sum is 100% within their rounding and one unit
    more (each share half a unit, one share a unit further), or within 0.5 points when the list ends with
    a residual member (其他, 其它): four regions at 99.86% are not all of the country (现役军人 are
    missing), fourteen kinds ending with 其他咨询 at 99.82% are all of the calls."""
    if any(s.value is None or s.printed is None for s in shares):
        return False
    total = sum((s.value for s in shares), Decimal(0))
    steps = [Decimal(str(s.printed.step)) for s in shares]
    slack = sum(steps) / 2 + max(steps)
    if abs(total - 100) <= slack:
        return True
    residual = bool(parts) and re.search(_words("residual"), parts[-1].subject or "") is not None
    return residual and abs(total - 100) <= Decimal("0.5")


def _common(a: str, b: str) -> int:
    """Length of the longest run of characters two labels share."""
    best = 0
    for i in range(len(a)):
        for j in range(i + best + 1, len(a) + 1):
            if a[i:j] in b:
                best = j - i
            else:
                break
    return best


def _generic_total(base: str) -> bool:
    """占诉求总量的 / 占投诉举报总数的 / 占全市总量的: a base that is a total, named by its kind only."""
    return bool(re.search("(?:" + _words("generic_total") + ")$", base.strip()))


def _norm_base(text: str) -> str:
    return re.sub(r"\s|" + _words("base_noise"), "", text)


def _same_base(base: str, whole: Figure) -> bool:
    """A stated base (占十六区承办量的) names the list's total when they share two characters in a row."""
    b = _norm_base(base)
    ctx = _norm_base(whole.sentence[: max(0, whole.start)] + whole.subject)
    if not b:
        return True
    return any(b[k:k + 2] in ctx for k in range(len(b) - 1) if not re.search(r"[\d]", b[k:k + 2]))


_CN = "一二三四"


def period_of(text: str) -> dict | None:
    """The period a bulletin covers, read from its text: {'day': days, 'month': months, 'label': ...}."""
    norm = normalise(text[:3000])
    years = re.findall(r"(20\d{2})\s*年", norm)
    year = int(years[0]) if years else None
    m = re.search(r"(20\d{2})\s*年\s*(\d{1,2})\s*[-—~至到]\s*(\d{1,2})\s*月", norm)
    if m:
        y, a, b = int(m.group(1)), int(m.group(2)), int(m.group(3))
        days = sum(calendar.monthrange(y, k)[1] for k in range(a, b + 1))
        return {"day": days, "month": b - a + 1, "label": f"{y}年{a}-{b}月"}
    m = re.search(r"(?:(20\d{2})\s*年\s*)?(?:第)?([一二三四1-4])\s*季度", norm)
    if m:
        y = int(m.group(1)) if m.group(1) else year
        q = _CN.index(m.group(2)) + 1 if m.group(2) in _CN else int(m.group(2))
        if y:
            days = sum(calendar.monthrange(y, k)[1] for k in range(3 * q - 2, 3 * q + 1))
            return {"day": days, "month": 3, "label": f"{y}年第{q}季度"}
    m = re.search(r"(?:(20\d{2})\s*年\s*)?(\d{1,2})\s*月(?:份)?(?!\d|日|[-—~至到])", norm)
    if m and 1 <= int(m.group(2)) <= 12:
        y = int(m.group(1)) if m.group(1) else year
        mo = int(m.group(2))
        if y is None and mo != 2:
            days = {1: 31, 3: 31, 4: 30, 5: 31, 6: 30, 7: 31, 8: 31, 9: 30, 10: 31, 11: 30, 12: 31}[mo]
            return {"day": days, "month": 1, "label": f"{mo}月"}
        if y:
            return {"day": calendar.monthrange(y, mo)[1], "month": 1, "label": f"{y}年{mo}月"}
    m = re.search(r"(20\d{2})\s*年\s*(?:全年|度)", norm)
    if m or (year and re.search(r"全年", norm)):
        y = int(m.group(1)) if m else year
        return {"day": 366 if calendar.isleap(y) else 365, "month": 12, "label": f"{y}年"}
    return None
