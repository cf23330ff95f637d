"""Statements: the sentences and table rows of a document, each with its figures, their
roles (total, part, share, growth, change, average, claim, count) and subjects.

A statement is a sentence (split at 。！？) of one line, or one row of a text table. Its
figures carry the span on the line, so a reader (and the benchmark) can find them again.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from audit.prose.figures import Distractor, Figure, find_figures, normalise
from audit.prose.vocabulary import vocabulary

_SENTENCE_END = "。！？!?"
_CLAUSE = re.compile(r"[，,；;：:、。（）()\[\]【】]")
_HEADING = re.compile(
    r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[（(][一二三四五六七八九十]+[)）]|第[一二三四五六七八九十\d]+[章节部分])")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}\s*(?:[.．](?!\d)|[、)）])|[（(]\s*\d{1,2}\s*[)）]|[①②③④⑤⑥⑦⑧⑨⑩])\s*")
_CELL_SPLIT = re.compile(r"\t|\s{2,}|\u3000+")
# words stripped from the text before a figure to leave its subject
_FILLER = (
    "其中", "分别为", "分别是", "依次为", "具体来看", "主要反映", "主要为", "包括", "共受理", "共接收", "共计", "合计",
    "总计", "累计", "共", "受理", "承办", "办理", "接收", "转来的", "转办", "交办", "诉求", "工单", "问题", "群众", "各类",
    "反映", "市民", "为", "达到", "达", "是", "有", "约", "近", "超过", "逾", "不足", "仅", "占比率", "占比", "所占比例",
    "占", "比重", "的", "量", "数", "了", "等", "以", "在", "和", "与", "及", "全年", "本月", "当月", "本期", "月份",
)
_GENERIC = {"", "热线", "政务服务便民热线", "总体", "总量", "情况"}


@dataclass
class Statement:
    line: int  # 1-based line of the document text
    start: int  # where the statement starts on the line
    text: str  # the sentence (or the table row), as printed
    section: str
    kind: str = "sentence"  # sentence | table-row
    figures: list[Figure] = field(default_factory=list)
    distractors: list[Distractor] = field(default_factory=list)
    markers: dict = field(default_factory=dict)  # word -> position on the line (其中, 分别为, 依次为, 前十 ...)
    cells: list[str] = field(default_factory=list)
    header: list[str] = field(default_factory=list)  # a table row's column headers
    table: int = -1  # which table of the document a row belongs to
    paragraph: int = 0  # statements of one line share a paragraph

    @property
    def end(self) -> int:
        return self.start + len(self.text)


def read_statements(text: str) -> list[Statement]:
    """Every statement of a document's plain text (lines as :class:`audit.documents` gives them)."""
    lines = text.split("\n")
    statements: list[Statement] = []
    section = ""
    table_rows = _table_lines(lines)
    table_no, header = -1, []
    for i, raw in enumerate(lines):
        line_no = i + 1
        line = raw.rstrip("\r")
        if not line.strip():
            continue
        if i in table_rows:
            cells = [c.strip() for c in _CELL_SPLIT.split(line.strip()) if c.strip()]
            role = table_rows[i]
            if role == "header":
                table_no += 1
                header = cells
                continue
            statements.append(_table_row(line, line_no, cells, header, section, table_no))
            continue
        if _is_heading(line):
            section = line.strip()
        start = 0
        for sentence in _sentences(line):
            st = Statement(line_no, start, sentence, section, paragraph=line_no)
            _fill(st, line)
            statements.append(st)
            start += len(sentence)
    _table_units(statements)
    return statements


def _table_units(statements: list[Statement]) -> None:
    """A table's whole numbers printed without a unit are counted in the unit the prose counts in (件)."""
    from collections import Counter

    units = Counter(f.unit for st in statements if st.kind == "sentence" for f in st.figures
                    if f.role in ("total", "part", "count") and f.unit)
    if not units:
        return
    unit = units.most_common(1)[0][0]
    if unit not in ("件", "人次", "个", "家", "人", "户", "次"):
        return
    for st in statements:
        if st.kind == "table-row":
            for f in st.figures:
                if not f.unit and f.role == "count" and f.value is not None and f.value == f.value.to_integral_value() \
                        and "." not in f.literal:
                    f.unit = unit


def _is_heading(line: str) -> bool:
    s = line.strip()
    if _HEADING.match(s) and len(s) <= 40:
        return True
    return len(s) <= 24 and not any(ch in s for ch in "，,。；;") and not re.search(r"\d", normalise(s)[:1] or "x") \
        and bool(re.search(r"(情况|分析|概况|排名|附表|统计)$", s))


def _sentences(line: str) -> list[str]:
    out, cur = [], []
    for ch in line:
        cur.append(ch)
        if ch in _SENTENCE_END:
            out.append("".join(cur))
            cur = []
    if cur and "".join(cur).strip():
        out.append("".join(cur))
    elif cur:
        out[-1:] = ["".join(out[-1:] + cur)] if out else ["".join(cur)]
    return out


def _table_lines(lines: list[str]) -> dict[int, str]:
    """Lines that are rows of a text table (cells split by a tab or two spaces): index -> header | row.
    A row of words inside a table, followed by rows of figures, is the header of the next table."""
    out: dict[int, str] = {}
    i, n = 0, len(lines)
    while i < n:
        cells = _cells(lines[i])
        if len(cells) >= 2 and not _numeric(cells) and i + 1 < n:
            j = i + 1
            rows = []
            while j < n:
                c = _cells(lines[j])
                if len(c) < 2 or (not _numeric(c) and j + 1 < n and _numeric(_cells(lines[j + 1]))):
                    break
                rows.append(j)
                j += 1
            numeric_rows = [r for r in rows if _numeric(_cells(lines[r]))]
            if len(numeric_rows) >= 2 and len(numeric_rows) >= len(rows) * 0.6:
                out[i] = "header"
                for r in rows:
                    out[r] = "row"
                i = j
                continue
        i += 1
    return out


def _cells(line: str) -> list[str]:
    s = line.strip()
    if not s or ("\t" not in s and not re.search(r"\S\s{2,}\S|\u3000", s)):
        return []
    return [c for c in _CELL_SPLIT.split(s) if c.strip()]


def _numeric(cells: list[str]) -> bool:
    return any(re.fullmatch(r"[-+]?[\d,]+(?:\.\d+)?\s*(?:%|‰)?", normalise(c)) for c in cells[1:])


def _table_row(line, line_no, cells, header, section, table_no) -> Statement:
    st = Statement(line_no, 0, line, section, kind="table-row", cells=cells, header=header, table=table_no,
                   paragraph=line_no)
    vocab = vocabulary()
    pos = 0
    label = ""
    for k, cell in enumerate(cells):
        at = line.find(cell, pos)
        pos = at + len(cell)
        col = _column_header(header, cells, k)
        figs, dis = find_figures(cell, line_no, table_cell=True)
        st.distractors.extend(Distractor(d.token, d.start + at, d.end + at, d.reason) for d in dis)
        if k == 0 and not re.fullmatch(r"\d{1,3}", normalise(cell)):
            label = cell
        elif not figs and not label and not re.fullmatch(r"\d{1,3}", normalise(cell)):
            label = cell
        if len(figs) != 1 or figs[0].end - figs[0].start < len(cell.strip().rstrip("件万%‰个次人家")) - 1:
            continue
        f = figs[0]
        f.start += at
        f.end += at
        f.unit_end += at
        f.in_table = True
        f.column = col
        if k == 0 or (col and re.search(r"序号|排名|名次|编号", col)):
            continue  # a rank or a row number, not a statistic
        if not f.unit:
            f.unit = _unit_from_header(col)
        f.role = _column_role(col, vocab)
        if f.role == "count" and _is_prior_column(col, header):
            f.role, f.period = "prior", "yoy"  # 2024年 beside 2025年: last year's figure of the row
        if f.role == "growth":
            f.direction = "down" if f.value is not None and f.value < 0 else "up"
            f.period = _period_word(col)
        f.sentence = line
        f.section = section
        st.figures.append(f)
    for f in st.figures:
        f.subject = label
    st.markers["label"] = label
    return st


def _year(text: str) -> int:
    m = re.search(r"(?:19|20)\d\d", text or "")
    return int(m.group()) if m else 0


def _is_prior_column(col: str, header: list[str]) -> bool:
    y = _year(col)
    return bool(y) and any(_year(h) > y and _column_role(h, vocabulary()) == "count" for h in header)


def _column_header(header, cells, k) -> str:
    if not header:
        return ""
    if len(header) == len(cells):
        return header[k]
    if len(header) == len(cells) - 1 and k > 0:  # header without a label column
        return header[k - 1]
    return header[k] if k < len(header) else ""


def _unit_from_header(col: str) -> str:
    m = re.search(r"[（(]\s*(万件|件|万人次|人次|个|家|万元|亿元|%|万人|人)\s*[)）]", col or "")
    if m:
        return m.group(1)
    if re.search(r"占比|比例|比重|%|率|同比|环比|增长|增幅|下降", col or ""):
        return "%"
    return ""


def _column_role(col: str, vocab) -> str:
    col = col or ""
    if any(w in col for w in vocab.growth) or re.search(r"增长|增幅|增减|变化", col):
        return "growth"
    if any(w in col for w in vocab.share) or "比例" in col:
        return "share"
    return "count"


def _fill(st: Statement, line: str) -> None:
    """Figures of a sentence with their roles and subjects, and the sentence's list markers."""
    vocab = vocabulary()
    figs, dis = find_figures(line, st.line)
    lo, hi = st.start, st.end
    st.figures = [f for f in figs if lo <= f.start < hi]
    st.distractors = [d for d in dis if lo <= d.start < hi]
    norm = normalise(line)
    text = norm[lo:hi]
    for words, kind in ((vocab.part, "part"), (vocab.complete, "complete"), (vocab.order, "order"),
                        (vocab.claim, "claim")):
        for w in words:
            at = text.find(w)
            if at >= 0:
                st.markers.setdefault(kind, lo + at)
                st.markers.setdefault(f"{kind}:{w}", lo + at)
    m = re.search(r"[^其集]中[，,：:]", text)
    if m and "part" not in st.markers:
        st.markers["part"] = lo + m.start() + 1
        st.markers["part:中"] = lo + m.start() + 1
    m = re.search(r"前([一二三四五六七八九十]+|\d+)(?:位|名|类|个|的|家)?", text)
    if m and "order" not in st.markers:
        st.markers["order"] = lo + m.start()
    m = re.search(r"(?:共|分为|包括|由)([一二三四五六七八九十]+|\d+)(?:类|个方面|种|项|部分|个部分)", text)
    if m:
        from audit.facts.numbers import parse_chinese_integer

        n = m.group(1)
        st.markers["kinds"] = int(n) if n.isdigit() else parse_chinese_integer(n)
        st.markers.setdefault("complete", lo + m.start())
    first_subject = ""
    prev_end = lo
    prev = None
    for f in st.figures:
        context = norm[prev_end:f.start]
        clause_start = max((m.end() for m in _CLAUSE.finditer(norm, lo, f.start)), default=lo)
        clause = norm[clause_start:f.start]
        _role(f, context, clause, norm, vocab, st)
        if f.role == "rate" and prev is not None and prev.role == "share" and re.fullmatch(r"[\s和、，,及与]*", context):
            f.role, f.cue = "share", prev.cue  # 分别占51.4%和48.6%
        prev = f
        subject = _subject(clause if clause.strip() else context)
        if not subject and clause_start > lo:
            # a label in the clause before: 最多的是朝阳区，共办理诉求140.0万件
            prev_clause = norm[max(lo, _prev_clause_start(norm, lo, clause_start - 1)):clause_start - 1]
            if not re.search(r"\d", prev_clause):
                subject = _subject(prev_clause)
        if f.role in ("share", "growth", "change") or not subject:
            subject = subject if f.role not in ("share", "growth", "change") else ""
        f.subject = subject or ""
        if not first_subject and subject and f.role in ("total", "count"):
            first_subject = subject
        f.sentence = st.text
        f.section = st.section
        prev_end = f.unit_end


def _prev_clause_start(norm: str, lo: int, at: int) -> int:
    return max((m.end() for m in _CLAUSE.finditer(norm, lo, at)), default=lo)


def _role(f: Figure, context: str, clause: str, norm: str, vocab, st: Statement) -> None:
    ctx = clause if clause.strip() else context
    before_all = context
    if f.unit == "%" or f.unit == "‰" or f.unit == "个百分点":
        growth_word = next((w for w in vocab.growth if w in before_all), "")
        up = next((w for w in vocab.up if w in _tail(before_all, 8)), "")
        down = next((w for w in vocab.down if w in _tail(before_all, 8)), "")
        share_word = next((w for w in vocab.share if w in _tail(before_all, 16)), "")
        if f.unit == "个百分点":
            f.role, f.cue = "points", up or down
            f.direction = "down" if down and not up else ("up" if up else "")
            return
        if (growth_word or up or down) and not (share_word and _last(before_all, share_word) > max(
                _last(before_all, growth_word), _last(before_all, up), _last(before_all, down))):
            f.role, f.cue = "growth", growth_word or up or down
            f.period = _period_word(before_all) or (st.markers.get("_period") or "")
            st.markers["_period"] = f.period
            f.direction = "down" if down and (not up or _last(before_all, down) > _last(before_all, up)) else "up"
            if not (up or down):
                f.direction = "up"
            return
        if share_word:
            f.role, f.cue = "share", share_word
            m = re.search(r"占(?!比)([^，,；;。%\d]{1,24}?)的\s*$", before_all)
            if m:
                f.base = m.group(1).strip()
            return
        f.role = "rate"  # 接通率100%: a percentage of its own
        return
    tail = _tail(before_all, 10)
    growth_word = next((w for w in vocab.growth if w in before_all), "")
    up = next((w for w in vocab.up if tail.rstrip(" 了").endswith(w) or tail.endswith(w + "了")), "")
    down = next((w for w in vocab.down if tail.rstrip(" 了").endswith(w) or tail.endswith(w + "了")), "")
    if (up or down) and (growth_word or re.search(r"较|比|同期", before_all)
                         or any(w in norm[st.start:f.start] for w in vocab.span)):  # 十年间，…增加60378693人
        f.role, f.cue = "change", growth_word or up or down
        f.direction = "down" if down else "up"
        f.period = _period_word(before_all) or (st.markers.get("_period") or "")
        st.markers["_period"] = f.period
        return
    m = re.search(r"(上年同期|去年同期|\d{4}年同期|上年|去年|上期|上月|上季度)(?:的|为|是|约)?\s*[（(]?\s*$", before_all)
    if m:
        f.role, f.cue = "prior", m.group(1)
        f.period = "mom" if m.group(1) in ("上期", "上月", "上季度") else "yoy"
        st.markers["_period"] = f.period
        return
    avg = next((w for w in vocab.average if w in ctx), "")
    if avg:
        f.role, f.cue = "average", avg
        return
    after = re.split(r"[，,；;。：:]", norm[f.unit_end:st.end], maxsplit=1)[0]
    claim = next((w for w in vocab.claim if w in before_all or w in after), "")
    if claim:
        f.role, f.cue = "claim", claim
        return
    part_at = st.markers.get("part", -1)
    if 0 <= part_at < f.start:
        f.role, f.cue = "part", next((k.split(":", 1)[1] for k in st.markers if k.startswith("part:")), "")
        return
    total = next((w for w in vocab.total if w in ctx), "")
    if total:
        f.role, f.cue = "total", total
        return
    f.role = "count"


_MOM = ("环比", "上月", "上期", "上一期", "上季度", "上周")
_YOY = ("同比", "上年", "去年", "同期", "上一年", "年同期")


def _period_word(text: str) -> str:
    """mom | yoy | "" : what a growth rate or a change is measured against, by the last such word."""
    best, where = "", -1
    m = None
    for m in re.finditer(r"比\d{4}年", text):
        pass
    if m is not None:
        best, where = "yoy", m.start()
    for words, kind in ((_MOM, "mom"), (_YOY, "yoy")):
        for w in words:
            at = text.rfind(w)
            if at > where:
                best, where = kind, at
    return best


def _tail(text: str, n: int) -> str:
    return text[-n:]


def _last(text: str, word: str) -> int:
    return text.rfind(word) if word else -1


def _subject(text: str) -> str:
    s = re.sub(r"[\d.,%‰\s]+", "", text)
    s = re.sub(r"[（）()《》“”\"'、，,；;：:。!！?？【】\[\]\-—~～¹²³⁴⁵⁶⁷⁸⁹⁰^{}]", "", s)
    changed = True
    while changed:
        changed = False
        for w in _FILLER:
            if s.startswith(w) and len(s) > len(w):
                s, changed = s[len(w):], True
            if s.endswith(w) and len(s) > len(w):
                s, changed = s[: -len(w)], True
    s = re.sub(r"^(其中|分别为|主要反映|包括)", "", s)
    if s in _GENERIC or s in _FILLER:
        return ""
    return s[:24]
