"""rules: what must hold among figures, as declared in a rules file.

``registry`` holds the rule-type registry, reads and compiles rules files; ``expr`` parses a
relation (recursive descent, no ``eval``). Imports the floor and, for a rules file's name,
``facts.edition.check_plain_name``; never checks or anything above.
"""
