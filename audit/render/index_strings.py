"""Every word of the batch index page (index.html), in one place, per language.

To translate the page, add a language with the same keys (tests check every language has
them all); :func:`strings` falls back to English for a language not here.
Placeholders in braces are filled by the page's script ({shown}, {total}).
"""
from __future__ import annotations

STRINGS: dict[str, dict[str, str]] = {
    "en": {
        "html_lang": "en",
        "title": "Audit index",
        "heading": "Audit of {n} reports",
        "reports": "reports",
        "audited": "audited",
        "failed": "failed",
        "with_errors": "with errors",
        "findings": "findings",
        "by_publisher": "By publisher",
        "publisher": "Publisher",
        "no_publisher": "(no publisher)",
        "all_reports": "Every report",
        "filter_label": "Filter",
        "filter_placeholder": "name, title, publisher, finding…",
        "status_label": "Show",
        "status_all": "all",
        "status_errors": "with errors",
        "status_warnings": "with warnings",
        "status_failed": "failed",
        "status_clean": "no finding",
        "shown": "{shown} of {total} shown",
        "none_shown": "No report matches the filter.",
        "col_reports": "Reports",
        "col_failed": "Failed",
        "col_with_errors": "With errors",
        "col_report": "Report",
        "col_title": "Title",
        "col_publisher": "Publisher",
        "col_period": "Period",
        "col_language": "Language",
        "col_checks": "Checks",
        "col_error": "Errors",
        "col_warning": "Warnings",
        "col_note": "Notes",
        "col_worst": "Worst finding",
        "col_status": "Status",
        "status_audited": "audited",
        "status_failed_word": "failed",
        "no_finding": "no finding",
        "open_report": "open the report",
        "level_error": "error",
        "level_warning": "warning",
        "level_note": "note",
        "sort_hint": "Click a column's heading to sort by it.",
        "footer": "Made by report-audit. Each report's own page lists its findings with their figures and culprits.",
    },
}


def strings(language: str = "en") -> dict[str, str]:
    """The page's words in ``language`` (a key of :data:`STRINGS`), else in English."""
    return {**STRINGS["en"], **STRINGS.get(language, {})}
