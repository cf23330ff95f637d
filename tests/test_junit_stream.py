"""junit.xml is written line by line (audit.render.junit), not through an ElementTree: the same
bytes as ElementTree with ET.indent(space="  ") gives, checked here against that writer on the
real editions, the render fixture and a result full of characters XML must escape."""
from __future__ import annotations

import dataclasses
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from audit.context import run_context
from audit.gx import validate_direct
from audit.i18n import translator
from audit.render import junit, wording
from audit.render._common import sorted_checks
from audit.run import Paths, audit_edition

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "render"))
import sample  # noqa: E402


def tree_junit(result, lang: str = "en") -> str:
    """The writer junit.xml had before: an ElementTree, indented, serialised."""
    _ = translator(lang)
    checks = sorted_checks(result)
    failed = [c for c in checks if not c.passed]
    skipped = [c for c in failed if c.id in result.reviews]
    suites = ET.Element("testsuites", {"name": "report-audit"})
    suite = ET.SubElement(suites, "testsuite", {"name": junit._x(f"report-audit {result.edition}"),
                                                "tests": str(len(checks)), "failures": str(len(failed) - len(skipped)),
                                                "errors": "0", "skipped": str(len(skipped))})
    for k, v in (("tests", str(len(checks))), ("failures", str(len(failed) - len(skipped))), ("errors", "0"),
                 ("skipped", str(len(skipped)))):
        suites.set(k, v)
    props = ET.SubElement(suite, "properties")
    for name, value in (("edition", result.edition), ("family", result.family), ("title", result.title),
                        ("prior_edition", result.prior_edition)):
        if value:
            ET.SubElement(props, "property", {"name": name, "value": junit._x(value)})
    for check in checks:
        case = ET.SubElement(suite, "testcase", {"classname": junit._x(check.rule), "name": junit._x(check.id)})
        if check.passed:
            continue
        review = result.reviews.get(check.id)
        if review is not None:
            ET.SubElement(case, "skipped", {"message": junit._x(_("reviewed: {status}: {reason}",
                                                                status=review.status, reason=review.reason))})
            continue
        failure = ET.SubElement(case, "failure", {"message": junit._x(wording.message(_, check)),
                                                  "type": junit._x(f"{check.level}/{check.kind}")})
        failure.text = junit._x(junit.failure_body(check, _))
    if not len(props):
        suite.remove(props)
    ET.indent(suites, space="  ")
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


@pytest.mark.parametrize("name", ["2022", "fengcheng-2025-05", "tangshan-2024-11"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_same_bytes_as_the_tree_on_the_editions(name, lang):
    with run_context():
        result = audit_edition(name, Paths(ROOT / "facts", ROOT / "expectations"), now="2000-01-01T00:00:00Z",
                               validate=validate_direct)
    if name != "fengcheng-2025-05":  # that one passes every check
        assert result.findings  # failures and (2022) reviewed findings are written, not only passing cases
    assert junit.render_junit(result, lang) == tree_junit(result, lang)


def test_same_bytes_with_characters_to_escape_and_no_properties():
    result = sample.sample_result()
    assert junit.render_junit(result) == tree_junit(result)
    tricky = 'a & b < c > d "quoted"\ttab\r\nline\x01bell'
    checks = [dataclasses.replace(c, id=c.id + tricky, rule=c.rule + tricky, message=c.message + tricky,
                                  title=c.title + tricky) for c in result.checks]
    odd = dataclasses.replace(result, checks=checks, edition="", family="", title="", prior_edition="")
    text = junit.render_junit(odd)
    assert text == tree_junit(odd)
    assert "<properties" not in text and "&quot;quoted&quot;" in text and "&#09;tab" in text
    ET.fromstring(text.encode("utf-8"))  # well-formed
