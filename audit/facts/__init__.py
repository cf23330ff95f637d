"""facts: an edition as printed figures.

``edition`` reads and checks an edition folder (manifest, fact tables, exclusions);
``numbers`` is the one parser of a printed figure and its interval; ``units`` the units and their
dimensions; ``coverage`` which printed numbers of the text no fact or exclusion accounts for. Imports only the floor
(errors, yamlio); never rules, checks or anything above.
"""
