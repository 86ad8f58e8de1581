"""A lower bound from the LP relaxation of a structure's CP-SAT model.

Every constraint the model builder writes is linear once its booleans may take any value
between 0 and 1: exactly-one and at-most-one rows, implications (a <= b), sums with bounds.
Relaxing integrality can only lower the optimum, and so can leaving out a constraint this
module does not read, so the LP's optimum is a bound on every plan of the model. Unlike
bound.py's floor it keeps people's capacity, which is what decides where seniors are scarce
(large sample, separate: floor 666,700, LP 755,874, best plan found 782,877).

The LP is solved by GLOP; the bound is not GLOP's objective but what its duals prove. For any
duals y (one per row, of the sign the row's finite side allows) and the reduced costs
r = c - A'y, every x within the variables' bounds has c'x >= y't + sum_j min(r_j l_j, r_j u_j),
with t each row's side that y presses on. All of the model's variables are bounded, so the bound
holds whatever tolerance GLOP stopped at, and it is rounded up only because every plan's
objective is a whole number.

GLOP releases the GIL while it solves: `Relaxation.solve` runs beside CP-SAT's search on a
thread, and without a time limit it is as repeatable as the search.
"""

from __future__ import annotations

import math
import threading
from concurrent.futures import Future

from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from structplan.solver.cpsat import stopper

#: GLOP settings that solved the LP of every structure of the large sample fastest (2 cores,
#: seconds for separate / merged / hybrid with both modes free): dual simplex without GLOP's
#: presolve 1.5 / 2.6 / 10.3; the defaults (primal, presolve) 1.8 / 4.4 / 44; dual simplex with
#: presolve 1.0 / 23.9 / 12.4. PDLP took 115 s for hybrid to the same bound.
GLOP_PARAMETERS = "use_preprocessing: false use_dual_simplex: true"

_BIG = 2**62


class Relaxation:
    """The LP relaxation of one CP-SAT model, read when made and solved by `solve`."""

    def __init__(self, model: cp_model.CpModel) -> None:
        proto = model.proto
        self.low = [float(v.domain[0]) for v in proto.variables]
        self.high = [float(v.domain[len(v.domain) - 1]) for v in proto.variables]
        #: rows as (low side, high side, [(variable, coefficient)]), math.inf for a missing side
        self.rows: list[tuple[float, float, list[tuple[int, float]]]] = []
        for ct in proto.constraints:
            self._read(ct)
        obj = proto.objective
        scale = obj.scaling_factor if obj.scaling_factor not in (0.0, 1.0) else 1.0
        if scale != 1.0:  # the builder minimizes a whole-number sum; anything else is not ours
            raise ValueError("the objective is expected to be an unscaled sum")
        self.offset = float(obj.offset)
        self.cost = [0.0] * len(self.low)
        for v, c in zip(obj.vars, obj.coeffs, strict=True):
            self.cost[v] += c
        self._solver: pywraplp.Solver | None = None

    def _read(self, ct) -> None:
        enforced = list(ct.enforcement_literal)
        if ct.has_bool_and():  # each enforcing literal implies each literal: l >= e
            for lit in ct.bool_and.literals:
                for e in enforced:
                    self._literal_row([lit], [e])
        elif enforced:
            return  # a constraint that holds only sometimes is left out: a weaker, valid bound
        elif ct.has_linear():
            dom = list(ct.linear.domain)
            lo = dom[0] if dom[0] > -_BIG else -math.inf
            hi = dom[-1] if dom[-1] < _BIG else math.inf
            self.rows.append((lo, hi, [(v, float(c)) for v, c in zip(ct.linear.vars, ct.linear.coeffs, strict=True)]))
        elif ct.has_bool_or():
            self._literal_row(list(ct.bool_or.literals), [], at_least=1)
        elif ct.has_exactly_one():
            self._literal_row(list(ct.exactly_one.literals), [], at_least=1, at_most=1)
        elif ct.has_at_most_one():
            self._literal_row(list(ct.at_most_one.literals), [], at_most=1)
        # any other kind of constraint is left out (the builder writes none)

    def _literal_row(self, plus: list[int], minus: list[int], at_least: float = 0.0, at_most: float = math.inf) -> None:
        """at_least <= sum(plus literals) - sum(minus literals) <= at_most, a negated literal
        (index -i-1) standing for 1 - x."""
        terms: list[tuple[int, float]] = []
        const = 0.0
        for lits, sign in ((plus, 1.0), (minus, -1.0)):
            for lit in lits:
                if lit >= 0:
                    terms.append((lit, sign))
                else:
                    terms.append((-lit - 1, -sign))
                    const += sign
        self.rows.append((at_least - const, at_most - const, terms))

    def interrupt(self) -> bool:
        """Stop a running `solve` (it then returns None); False while there is none to stop."""
        return self._solver is not None and self._solver.InterruptSolve()

    def solve(self, time_limit_s: float = 0.0) -> int | None:
        """The bound, or None when GLOP did not finish (the time limit, a stop)."""
        s = pywraplp.Solver.CreateSolver("GLOP")
        if s is None or not s.SetSolverSpecificParametersAsString(GLOP_PARAMETERS):
            raise RuntimeError("GLOP is not available")
        inf = s.infinity()
        xs = [s.NumVar(lo, hi, "") for lo, hi in zip(self.low, self.high, strict=True)]
        cts = []
        for lo, hi, terms in self.rows:
            ct = s.Constraint(-inf if lo == -math.inf else lo, inf if hi == math.inf else hi)
            for v, c in terms:
                ct.SetCoefficient(xs[v], ct.GetCoefficient(xs[v]) + c)
            cts.append(ct)
        objective = s.Objective()
        for j, c in enumerate(self.cost):
            if c:
                objective.SetCoefficient(xs[j], c)
        objective.SetMinimization()
        if time_limit_s > 0:
            s.SetTimeLimit(max(1, int(time_limit_s * 1000)))
        self._solver = s
        if s.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        return self.certify([ct.dual_value() for ct in cts])

    def certify(self, duals: list[float]) -> int:
        """What `duals` prove (module docstring), rounded up to a whole number."""
        reduced = list(self.cost)
        proven = self.offset
        for y, (lo, hi, terms) in zip(duals, self.rows, strict=True):
            if y == 0 or (y > 0 and lo == -math.inf) or (y < 0 and hi == math.inf):
                continue  # a dual of the wrong sign for the row's sides proves nothing: left at 0
            proven += y * (lo if y > 0 else hi)
            for v, c in terms:
                reduced[v] -= c * y
        for r, lo, hi in zip(reduced, self.low, self.high, strict=True):
            proven += min(r * lo, r * hi)
        # the sums above are of floats: step down by more than their rounding before rounding up
        return math.ceil(proven - 1e-9 * abs(proven) - 1e-6)


class Solving:
    """The LP bound of a copy of a model (the search may go on changing the model's hints),
    solved on a thread of its own once started, a daemon: a run that ends early does not wait."""

    def __init__(self, model: cp_model.CpModel, time_limit_s: float = 0.0) -> None:
        self._copy = model.clone()
        self._limit = time_limit_s
        self._result: Future[int | None] = Future()
        self._quit = threading.Event()

    def start(self) -> Solving:
        threading.Thread(target=self._work, name="structplan-lp", daemon=True).start()
        return self

    def _work(self) -> None:
        try:
            if self._quit.is_set():
                self._result.set_result(None)
                return
            lp = Relaxation(self._copy)
            ender = stopper(lp.interrupt, self._quit)
            try:
                self._result.set_result(None if self._quit.is_set() else lp.solve(self._limit))
            finally:
                ender.set()
        except BaseException as exc:  # raised again to whoever reads the result
            self._result.set_exception(exc)

    def result(self, timeout: float | None = None) -> int | None:
        """The bound; None when the time limit or `cancel` ended GLOP first, or when it is not
        there within `timeout` seconds."""
        try:
            return self._result.result(timeout)
        except TimeoutError:
            return None

    def cancel(self) -> None:
        """Stop solving: the bound is not wanted."""
        self._quit.set()
