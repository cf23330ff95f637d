"""The rule-type registry, its documentation and its fixtures agree (sqlite-utils' test_docs habit).

For every type in audit.rules.registry.RULE_TYPES: it has a docstring; docs/rules.md has a section
for it with a YAML example that the real loader accepts and that names every field of the
type; and a planted fixture of the toy family triggers a finding of that type.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest
from ruamel.yaml import YAML

from audit.rules.registry import COMMON_FIELDS, RULE_TYPES, load_rules
from helpers import planted_audit
from planted_cases import PLANTED, PLANTED_ACROSS_EDITIONS

ROOT = Path(__file__).resolve().parents[1]
RULES_DOC = ROOT / "docs" / "rules.md"
FINDINGS_DOC = ROOT / "docs" / "findings-2022.md"
TYPES = sorted(RULE_TYPES)


def doc_sections() -> dict[str, str]:
    """docs/rules.md: the text of each ``### `type` `` section."""
    text = RULES_DOC.read_text(encoding="utf-8")
    parts = re.split(r"^### `([a-z\-]+)`\s*$", text, flags=re.M)
    sections = {}
    for name, body in zip(parts[1::2], parts[2::2]):
        sections[name] = re.split(r"^##? ", body, maxsplit=1, flags=re.M)[0]
    return sections


SECTIONS = doc_sections()


@pytest.mark.parametrize("name", TYPES)
def test_rule_type_has_a_docstring(name):
    doc = RULE_TYPES[name].doc
    assert doc and len(doc.split()) >= 5, f"{name}: the registry's docstring is the type's one-line help"
    assert doc.splitlines()[0].rstrip().endswith((".", ")")), f"{name}: the first line is a sentence"


@pytest.mark.parametrize("name", TYPES)
def test_rule_type_is_documented_with_an_example_the_loader_accepts(name, tmp_path):
    assert name in SECTIONS, f"docs/rules.md has no section ### `{name}`"
    section = SECTIONS[name]
    examples = re.findall(r"```yaml\n(.*?)```", section, flags=re.S)
    assert examples, f"docs/rules.md: the section on {name} has no YAML example"
    for example in examples:
        items = YAML(typ="safe").load(example)
        assert isinstance(items, list) and all(isinstance(i, dict) for i in items), example
        path = tmp_path / "example.yml"
        path.write_text("family: example\nrules:\n" + "".join(
            "  " + line + "\n" for line in example.splitlines()), encoding="utf-8")
        rules = load_rules(path)
        assert [r.type for r in rules] == [name], f"the example of {name} is a rule of type {name}"
    fields = RULE_TYPES[name].required | RULE_TYPES[name].optional
    for field in sorted(fields):
        assert f"`{field}`" in section, f"docs/rules.md: the section on {name} does not explain `{field}`"


def test_docs_have_no_section_for_a_type_that_does_not_exist():
    assert sorted(SECTIONS) == TYPES


def test_common_fields_are_documented():
    text = RULES_DOC.read_text(encoding="utf-8")
    for field in sorted(COMMON_FIELDS):
        assert f"`{field}`" in text, field


@pytest.mark.parametrize("name", TYPES)
def test_rule_type_is_triggered_by_a_planted_fixture(name):
    """Run the audit on the first planted toy edition meant to trigger ``name`` and find its finding."""
    from audit.rules.registry import load_rules as load
    from helpers import TOY

    types = {r.id: r.type for r in load(TOY / "expectations" / "rules" / "toy.yml")}
    cases = [(change, drop, False, ()) for _, change, drop, expected in PLANTED
             if any(types[e[0].split(":")[0]] == name for e in expected)]
    cases += [(change, (), True, prior_drop) for _, change, prior_drop, expected in PLANTED_ACROSS_EDITIONS
              if any(types[e[0].split(":")[0]] == name for e in expected)]
    assert cases, f"no planted fixture of the toy family is meant to trigger a {name} rule"
    change, drop, with_prior, prior_drop = cases[0]
    result = planted_audit(change, drop, with_prior=with_prior, prior_drop=prior_drop)
    assert any(f.rule_type == name for f in result.findings), f"the planted fixture {change or drop} triggers no {name} finding"


def test_the_closing_note_covers_every_2022_finding():
    """docs/findings-2022.md shows the arithmetic for each finding the 2022 audit reports."""
    from audit.run import Paths, audit_edition

    result = audit_edition("2022", Paths(ROOT / "facts", ROOT / "expectations"))
    text = FINDINGS_DOC.read_text(encoding="utf-8")
    for finding in result.findings:
        assert f"`{finding.id}`" in text, f"docs/findings-2022.md does not cover {finding.id}"
        for culprit in finding.culprits[:1]:
            assert culprit.printed in text and culprit.suggested in text, finding.id
