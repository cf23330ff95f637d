"""findings: from decided checks to what a reviewer reads.

``record`` is the one result record (``AuditResult``, ``Check``, ``FigureRef``, ...) that every
renderer reads; ``evaluate`` gives levels, ``diagnose`` culprits, ``localize`` root causes,
``conventions`` the rounding conventions an edition follows. Importing this package imports
nothing: renderers import ``findings.record`` only.
"""
