"""solve: the interval linear programs (HiGHS through scipy): is a check's system feasible
inside the printed intervals, how far must it widen, what range can one figure take.
Imports numpy and scipy only; nothing of the package above it.
"""
