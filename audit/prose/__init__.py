"""prose: Chinese statistical language. Every figure of a document with its unit, subject and
role, grouped in statements (sentences and table rows). Used by ``audit scan`` and ``audit
extract``; the words it knows are in ``vocabulary.yml``. Imports the floor and
``facts.numbers`` (the one parser of a printed figure, which imports nothing); never facts'
edition reader or anything above."""
from __future__ import annotations

from audit.prose.figures import Distractor, Figure, find_figures
from audit.prose.statements import Statement, read_statements
from audit.prose.vocabulary import vocabulary

__all__ = ["Distractor", "Figure", "Statement", "find_figures", "read_statements", "vocabulary"]
