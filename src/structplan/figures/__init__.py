"""Every figure a plan states, recomputed from the agency, the layout and the plan's own staffing.

`checks.violations` holds the staffing rules (who may do what, capacity, pins); this package
checks what the plan *says* about that staffing: each person's hours, capacity, utilization and
accounts, the RACI rows and contact sheet, cost and its parts, the objective and its bound,
headcount, staffing and surplus rows, the structure comparison, the warnings and the figures
quoted in the reason. Nothing here comes from the solver: each figure is derived again as
docs/formats.md defines it. Every problem is one line that starts with its key path.

By job: `common` (who is who, the objective's parts recomputed, shared helpers), `checks`
(every stated figure but the reason) and `reason` (the figures the reason quotes).
"""

from structplan.figures.checks import problems
from structplan.figures.common import Found
from structplan.figures.reason import NOT_TRIED, TERM_WORDS, UNPROVEN

__all__ = ["NOT_TRIED", "TERM_WORDS", "UNPROVEN", "Found", "problems"]
