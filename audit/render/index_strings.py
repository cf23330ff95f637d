"""Every word of the batch index page (index.html), in the language asked for.

The words are msgids of the catalogs (audit/i18n/locale/<lang>/LC_MESSAGES/audit.po), like every
other string of the interface: :func:`strings` gives the page's template a table of them,
translated. Placeholders in braces are filled later: ``{n}`` by the page, ``{shown}`` and
``{total}`` by the page's script.
"""
from __future__ import annotations

from audit.i18n import Translator, translator


def _table(_: Translator) -> dict[str, str]:
    return {
        "html_lang": "zh-CN" if _.zh else "en",
        "title": _("Audit index"),
        "heading": _("Audit of {n} reports"),
        "reports": _("reports"),
        "audited": _("audited"),
        "failed": _("failed"),
        "with_errors": _("with errors"),
        "findings": _("findings"),
        "by_publisher": _("By publisher"),
        "publisher": _("Publisher"),
        "no_publisher": _("(no publisher)"),
        "all_reports": _("Every report"),
        "filter_label": _("Filter"),
        "filter_placeholder": _("name, title, publisher, finding…"),
        "status_label": _("Show"),
        "status_all": _("all"),
        "status_errors": _("with errors"),
        "status_warnings": _("with warnings"),
        "status_failed": _("failed"),
        "status_clean": _("no finding"),
        "shown": _("{shown} of {total} shown"),
        "none_shown": _("No report matches the filter."),
        "col_reports": _("Reports"),
        "col_failed": _("Failed"),
        "col_with_errors": _("With errors"),
        "col_report": _("Report"),
        "col_title": _("Title"),
        "col_publisher": _("Publisher"),
        "col_period": _("Period"),
        "col_language": _("Language"),
        "col_checks": _("Checks"),
        "col_error": _("Errors"),
        "col_warning": _("Warnings"),
        "col_note": _("Notes"),
        "col_worst": _("Worst finding"),
        "col_status": _("Status"),
        "status_audited": _("audited"),
        "status_failed_word": _("failed"),
        "no_finding": _("no finding"),
        "open_report": _("open the report"),
        "level_error": _("error"),
        "level_warning": _("warning"),
        "level_note": _("note"),
        "sort_hint": _("Click a column's heading to sort by it."),
        "footer": _("Made by report-audit. Each report's own page lists its findings with their figures and culprits."),
    }


def strings(language: str | None = "en") -> dict[str, str]:
    """The page's words in ``language`` ("zh" or "en"; anything else: English)."""
    return _table(translator(language or "en"))
