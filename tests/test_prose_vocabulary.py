"""Every entry of audit/prose/vocabulary.yml, checked on its own example sentence (one test each)."""
import pytest

from audit.prose import read_statements, vocabulary

ENTRIES = vocabulary().entries


def _figures(text):
    return [f for st in read_statements(text) for f in st.figures]


@pytest.mark.parametrize("entry", ENTRIES, ids=[f"{e.section}:{e.word}" for e in ENTRIES])
def test_entry_on_its_example(entry):
    expect = entry.expect
    statements = read_statements(entry.example)
    figures = [f for st in statements for f in st.figures]
    if "not_figure" in expect:
        token = expect["not_figure"]
        assert all(token not in f.literal for f in figures), [f.literal for f in figures]
        assert any(token in d.token for st in statements for d in st.distractors) or token not in "".join(
            f.literal for f in figures)
        return
    if "share" in expect:  # a rate read as the share of one count in another (audit.scan.relations)
        from audit.scan.relations import infer

        rels = infer(statements, entry.example)
        got = [[f.literal for f in r.figures] for r in rels if r.type == "share" and r.checked]
        assert list(expect["share"]) in got, got
        return
    if "share_of_one_unknown" in expect:  # rates that fit no printed count: shares of one unknown whole
        from audit.scan.relations import infer

        rels = infer(statements, entry.example)
        got = [[f.literal for f in r.figures] for r in rels if r.type == "share" and r.checked and "unknown" in r.params]
        assert list(expect["share_of_one_unknown"]) in got, got
        return
    if "relation" in expect or "no_relation" in expect:  # the scan's words (audit/scan/relations.py)
        from audit.scan.relations import infer

        rels = [r for r in infer(statements, entry.example) if r.checked]
        if "no_relation" in expect:
            assert not [r for r in rels if r.type == expect["no_relation"]], [(r.type, r.reason) for r in rels]
            return
        kind, *literals = expect["relation"]
        got = [r for r in rels if r.type == kind and [f.literal for f in r.figures] == literals]
        assert got, [(r.type, [f.literal for f in r.figures]) for r in rels]
        for param in ("low", "divisor"):
            if param in expect:
                assert got[0].params.get(param) == expect[param], (param, got[0].params)
        return
    if "marker" in expect:
        assert any(expect["marker"] in st.markers for st in statements), [st.markers for st in statements]
        return
    if {"context", "owner", "kind", "printed"} & set(expect):  # placement by meaning (audit/extract/meaning.py)
        from audit.extract.meaning import read_figures

        seen = [s for s in read_figures(entry.example.split("\n")) if s.literal == expect["figure"]]
        assert seen, f"no figure {expect['figure']!r} in {entry.example!r}"
        for field in ("context", "owner", "kind", "printed"):
            if field in expect:
                assert getattr(seen[0], field) == expect[field], (field, seen[0])
        return
    matching = [f for f in figures if f.literal == expect["figure"]]
    assert matching, f"no figure {expect['figure']!r} in {entry.example!r}: {[f.literal for f in figures]}"
    f = matching[0]
    for field in ("role", "unit", "qualifier", "direction"):
        if field in expect:
            assert getattr(f, field) == expect[field], (field, f)
    if "bounds" in expect:  # section `bound`: what the bound says of the true value
        assert f.bounded, f
        assert [None if b is None else str(b) for b in f.bounds] == expect["bounds"], f.bounds


def test_every_entry_has_an_example_and_an_expectation():
    assert len(ENTRIES) >= 80
    for e in ENTRIES:
        assert e.example.strip() and e.expect, e
        assert e.word.strip("…") in e.example or e.section in ("distractor", "unit", "complete", "share") or "N" in e.word, e


def test_words_come_from_the_file():
    v = vocabulary()
    assert "共受理" in v.total and "其中" in v.part and "占比" in v.share
    assert "同比" in v.growth and "下降" in v.down and "日均" in v.average and "约" in v.qualifiers
