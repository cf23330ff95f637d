"""Synthetic editions of the beijing-12345 family at any size, for the scale benchmark.

The structure is the 2022 edition's (overview, districts with their split and shares,
ranked categories with sub-problems, peaks and monthly highs, city agencies, state-owned
enterprises, 每月一题 topics with their three handling units), with ``scale`` times as many
districts, categories, agencies, enterprises and topics, so about ``scale`` times the
figures and checks.

Consistency by construction: every *true* value is a whole count in 件 (shares and growth
rates are exact quotients of such counts), chosen so that every relation of
``expectations/rules/beijing-12345.yml`` holds exactly; each figure is then printed by
rounding its true value half-up to the precision the 2022 edition prints it at. The true
values lie inside every printed interval, so the clean synthetic edition passes every
check. This module knows the family (it is a benchmark, not the engine).
"""
from __future__ import annotations

import csv
import io
import random
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

WAN = 10000


@dataclass
class Row:
    key: str
    printed: str
    unit: str
    section: str


def _dec(value: Fraction | int, decimals: int) -> str:
    q = Decimal(value.numerator) / Decimal(value.denominator) if isinstance(value, Fraction) else Decimal(value)
    return str(q.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


def wan(count: int, decimals: int = 1, prefix: str = "") -> str:
    """A count in 件 printed in 万件."""
    return prefix + _dec(Fraction(count, WAN), decimals)


def pct(num: int, den: int, decimals: int = 2) -> str:
    return _dec(Fraction(100 * num, den), decimals) + "%"


def change(now: int, prior: int) -> str:
    """A year-over-year rate with its direction word, as the report prints it."""
    rate = Fraction(100 * (now - prior), prior)
    word = "上升" if rate >= 0 else "下降"
    return f"{word} {_dec(abs(rate), 2)}%"


class _Table:
    def __init__(self, section: str):
        self.section = section
        self.rows: list[Row] = []

    def add(self, key: str, printed: str, unit: str, section: str | None = None):
        self.rows.append(Row(key, printed, unit, section or self.section))


def _descending(rng: random.Random, n: int, lo: int, hi: int) -> list[int]:
    return sorted((rng.randint(lo, hi) for _ in range(n)), reverse=True)


def _parts(rng: random.Random, whole: int, n: int, fill: float) -> list[int]:
    """n descending whole counts adding up to at most ``fill`` of ``whole``."""
    weights = sorted((rng.random() + 0.05 for _ in range(n)), reverse=True)
    total = sum(weights)
    return [max(1, int(whole * fill * w / total)) for w in weights]


def generate(scale: int, seed: int = 0) -> dict[str, list[Row]]:
    """Fact tables (file stem -> rows) of a consistent synthetic edition ``scale`` times the 2022 size."""
    rng = random.Random(f"synth:{scale}:{seed}")
    tables: dict[str, _Table] = {}

    # ------------------------------------------------------------ districts
    d = _Table("(一)区及街道乡镇承办情况")
    tables["districts"] = d
    n_districts = 16 * scale
    names = [f"区{i:05d}" for i in range(1, n_districts + 1)]
    totals = [rng.randint(5 * WAN, 150 * WAN) for _ in names]
    depts = [int(t * rng.uniform(0.45, 0.75)) for t in totals]
    all_total = sum(totals)
    streets = [t - p for t, p in zip(totals, depts)]
    imax = max(range(n_districts), key=lambda i: totals[i])
    imin = min(range(n_districts), key=lambda i: totals[i])
    d.add("districts.max.name", names[imax], "name")
    d.add("districts.max.total", wan(totals[imax]), "万件")
    d.add("districts.max.share", pct(totals[imax], all_total), "%")
    d.add("districts.min.name", names[imin], "name")
    d.add("districts.min.total", wan(totals[imin]), "万件")
    d.add("districts.min.share", pct(totals[imin], all_total), "%")
    d.add("districts.count", str(n_districts), "个")
    d.add("districts.total", wan(all_total, 0), "万件")
    d.add("districts.street_total", wan(sum(streets)), "万件")
    d.add("districts.street_share", pct(sum(streets), all_total), "%")
    for name, t, p, s in zip(names, totals, depts, streets):
        sec = name
        d.add(f"district.{name}.total", wan(t, 1, "约 "), "万件", sec)
        d.add(f"district.{name}.share", pct(t, all_total), "%", sec)
        d.add(f"district.{name}.dept", wan(p), "万件", sec)
        d.add(f"district.{name}.dept_share", pct(p, t), "%", sec)
        d.add(f"district.{name}.street", wan(s), "万件", sec)
        d.add(f"district.{name}.street_share", pct(s, t), "%", sec)

    # ------------------------------------------------------------ agencies and enterprises
    a = _Table("(二)市属机构承办情况")
    tables["agencies"] = a
    agencies = _descending(rng, 2 * scale, 10 * WAN, 400 * WAN)
    for k, total in enumerate(agencies, 1):
        a.add(f"agency.{k}.name", f"机构{k}", "name")
        a.add(f"agency.{k}.total", wan(total), "万件")
    enterprises = _descending(rng, 2 * scale, 1 * WAN, 60 * WAN)
    for k, total in enumerate(enterprises, 1):
        a.add(f"enterprise.{k}.name", f"企业{k}", "name", "(三) 国有企业承办情况")
        a.add(f"enterprise.{k}.total", wan(total), "万件", "(三) 国有企业承办情况")

    # ------------------------------------------------------------ categories
    c = _Table("二、前十类日常问题")
    tables["categories"] = c
    cats = _descending(rng, 10 * scale, 20 * WAN, 100 * WAN)
    for i, total in enumerate(cats, 1):
        prior = int(total / rng.uniform(0.55, 0.9))
        c.add(f"category.{i}.name", f"类别{i}", "name")
        c.add(f"category.{i}.total", wan(total), "万件")
        c.add(f"category.{i}.yoy", change(total, prior), "%")
        subs = _parts(rng, total, 5, rng.uniform(0.6, 0.95))
        for j, sub in enumerate(subs, 1):
            c.add(f"category.{i}.sub.{j}.name", f"问题{i}-{j}", "name")
            c.add(f"category.{i}.sub.{j}.total", wan(sub), "万件")
        if i % 10 in (2, 4, 5, 8, 9, 0):  # the 2022 edition prints a busiest month for six of ten
            peak = int(subs[0] * rng.uniform(0.1, 0.3))
            c.add(f"category.{i}.sub.1.peak", wan(peak), "万件")
            c.add(f"category.{i}.sub.1.peak.month", str(rng.randint(1, 12)), "月")
        if i % 10 == 6:  # and two monthly highs for one
            for k in (1, 2):
                high = int(subs[0] * rng.uniform(0.05, 0.2))
                c.add(f"category.{i}.sub.1.high.{k}", wan(high), "万件")
                c.add(f"category.{i}.sub.1.high.{k}.month", str(rng.randint(1, 12)), "月")

    # ------------------------------------------------------------ topics (每月一题)
    t = _Table('(四)"每月一题"相关诉求情况')
    tables["topics"] = t
    n_topics = 17 * scale
    topic_totals = rng.sample(range(1000, 150000 + 2 * n_topics), n_topics)  # distinct: a clear top three
    top = sorted(range(n_topics), key=lambda n: -topic_totals[n])[:3]
    t.add("topics.count", str(n_topics), "个")
    t.add("topics.total", wan(sum(topic_totals)), "万件")
    for k, n in enumerate(top, 1):
        t.add(f"topics.top.{k}.name", f"专题{n + 1}", "name")
    for n, total in enumerate(topic_totals, 1):
        t.add(f"topic.{n}.name", f"专题{n}", "name")
        t.add(f"topic.{n}.total", str(total), "件")
        for k, unit in enumerate(_parts(rng, total, 3, rng.uniform(0.3, 0.6)), 1):
            t.add(f"topic.{n}.unit.{k}.name", f"单位{k}", "name")
            t.add(f"topic.{n}.unit.{k}.total", str(unit), "件")

    # ------------------------------------------------------------ overview: built on the sums above
    o = _Table("一、总体情况")
    tables["overview"] = o
    covid = int(sum(cats) * 0.4)
    dispatched = int((all_total + sum(agencies) + sum(enterprises)) * 1.25)
    total = max(int((sum(cats) + covid) * 1.2), int(dispatched / 0.1164))  # 派单办理 11.64% as in 2022
    direct = total - dispatched
    online = -(-total * 5535 // 10000)
    phone = total - online
    dispatched_prior = int(dispatched / 1.327)
    direct_prior = int(direct / 8.1817)
    total_prior = dispatched_prior + direct_prior
    online_prior = int(total_prior * 0.1086)
    phone_prior = total_prior - online_prior
    first = total * 10 // 385
    peak = first * 9
    o.add("rates.resolution", "92.72%", "%", "前言")
    o.add("rates.satisfaction", "93.63%", "%", "前言")
    o.add("intake.total", wan(total), "万件")
    o.add("intake.total_yoy", change(total, total_prior), "%")
    o.add("intake.dispatched", wan(dispatched), "万件")
    o.add("intake.dispatched_yoy", change(dispatched, dispatched_prior), "%")
    o.add("intake.dispatched_share", pct(dispatched, total), "%")
    o.add("intake.direct", wan(direct), "万件")
    o.add("intake.direct_yoy", change(direct, direct_prior), "%")
    o.add("intake.direct_share", pct(direct, total), "%")
    o.add("intake.phone", wan(phone), "万件")
    o.add("intake.phone_yoy", change(phone, phone_prior), "%")
    o.add("intake.online", wan(online), "万件")
    o.add("intake.online_yoy", change(online, online_prior), "%")
    o.add("intake.online_share_prior", pct(online_prior, total_prior), "%")
    o.add("intake.online_share", pct(online, total), "%")
    o.add("intake.online_overtakes_phone", "首次超越电话渠道", "name")
    o.add("intake.month.first", wan(first), "万件")
    o.add("intake.month.first.month", "1", "月")
    o.add("intake.month.peak", wan(peak), "万件")
    o.add("intake.month.peak.month", "10", "月")
    o.add("intake.month.growth_times", "约八", "倍")
    o.add("covid.total", wan(covid), "万件")
    o.add("handling.dispatched", wan(dispatched), "万件", "三、群众诉求办理情况")
    return {name: tab.rows for name, tab in tables.items()}


def write(folder: Path, scale: int, seed: int = 0, name: str | None = None) -> Path:
    """Write a synthetic edition to ``folder`` (manifest, source.txt with one line per figure, tables)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    tables = generate(scale, seed)
    lines: list[str] = []
    out_tables = {}
    for stem in ("overview", "districts", "categories", "agencies", "topics"):
        buf = io.StringIO()
        w = csv.writer(buf, lineterminator="\n")
        w.writerow(["key", "printed", "unit", "section", "line", "sentence"])
        for row in tables[stem]:
            unit = "" if row.unit in ("name", "%", "个", "月", "倍") else f" {row.unit}"
            sentence = f"{row.key}：{row.printed}{unit}。"
            lines.append(sentence)
            w.writerow([row.key, row.printed, row.unit, row.section, len(lines), sentence])
        out_tables[stem] = buf.getvalue()
    for stem, text in out_tables.items():
        (folder / f"{stem}.csv").write_text(text, encoding="utf-8")
    (folder / "source.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    title = name or folder.name
    (folder / "manifest.yml").write_text(
        f"title: synthetic edition {title} ({scale}x the 2022 edition)\n"
        "publisher: report-audit benchmarks\n"
        "family: beijing-12345\n"
        "source: source.txt\n"
        "rounding: half-up\n", encoding="utf-8")
    return folder


def figure_count(tables: dict[str, list[Row]]) -> int:
    return sum(1 for rows in tables.values() for r in rows if r.unit != "name")
