"""The CP-SAT solver: agency + layouts -> plan. The only package that imports ortools.

Public API (used by the CLI, the TUI and the tests):

    outcome = solve(agency, structures=("hybrid",), options=SolveOptions(time_limit=10),
                    on_progress=callback, stop=threading.Event())
    outcome.plan          # Plan or None
    outcome.explanation   # tuple of lines when no plan exists
"""

from structplan.solver.api import Outcome, Progress, SolveOptions, solve

__all__ = ["Outcome", "Progress", "SolveOptions", "solve"]
