"""report-audit: a consistency auditor for published statistical reports."""

__version__ = "0.1.0"
