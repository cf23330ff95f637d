"""rules: what must hold among figures, as declared in a rules file.

``registry`` holds the rule-type registry, reads and compiles rules files; ``expr`` parses a
relation (recursive descent, no ``eval``). Imports only the floor; never facts or checks.
"""
