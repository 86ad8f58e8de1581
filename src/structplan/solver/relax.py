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
import time
from collections.abc import Callable
from concurrent.futures import Future

from ortools.linear_solver import linear_solver_pb2, pywraplp
from ortools.sat.python import cp_model

from structplan.solver.cpsat import stopper

#: GLOP settings that solved the LP of every structure of the large sample fastest (2 cores,
#: seconds for separate / merged / hybrid with both modes free): dual simplex without GLOP's
#: presolve 1.5 / 2.6 / 10.3; the defaults (primal, presolve) 1.8 / 4.4 / 44; dual simplex with
#: presolve 1.0 / 23.9 / 12.4. PDLP took 115 s for hybrid to the same bound.
GLOP_PARAMETERS = "use_preprocessing: false use_dual_simplex: true"

#: Model variables above which the LP is not solved: its time grows faster than the model (25
#: copies of the mid-size sample, separate, 111,416 variables: 31 s alone and 266 MB, where the
#: large sample's biggest model, merged, 83,423 variables, takes 2.6 s); the priced floor
#: (bound.py) stands in for it there.
MAX_VARS = 90_000

#: Seconds of the clock the LP leaves for what follows it (reading its duals, the plan).
AFTER_S = 1.0

#: Solving again after variables' bounds were widened: the first basis stays primal feasible.
GLOP_WARM_PARAMETERS = "use_preprocessing: false use_dual_simplex: false"

_BIG = 2**62


class Relaxation:
    """The LP relaxation of one CP-SAT model, read when made and solved by `solve`."""

    def __init__(self, model: cp_model.CpModel) -> None:
        proto = model.proto
        self.low = [float(v.domain[0]) for v in proto.variables]
        self.high = [float(v.domain[len(v.domain) - 1]) for v in proto.variables]
        #: rows as (low side, high side, variables, coefficients), math.inf for a missing side
        self.rows: list[tuple[float, float, list[int], list[float]]] = []
        for ct in proto.constraints:
            self._read(ct)
        obj = proto.objective
        if obj.scaling_factor not in (0.0, 1.0):  # the builder minimizes a whole-number sum
            raise ValueError("the objective is expected to be an unscaled sum")
        self.offset = float(obj.offset)
        self.cost = [0.0] * len(self.low)
        for v, c in zip(obj.vars, obj.coeffs, strict=True):
            self.cost[v] += c
        self._solver: pywraplp.Solver | None = None

    def _read(self, ct) -> None:
        if ct.has_linear():
            if len(ct.enforcement_literal):
                return  # a sum that holds only sometimes is left out: a weaker, valid bound
            dom = ct.linear.domain
            lo = dom[0] if dom[0] > -_BIG else -math.inf
            hi = dom[len(dom) - 1] if dom[len(dom) - 1] < _BIG else math.inf
            self._row(lo, hi, list(ct.linear.vars), list(ct.linear.coeffs))
        elif ct.has_bool_and():  # each enforcing literal implies each literal: l - e >= 0
            for lit in ct.bool_and.literals:
                for e in ct.enforcement_literal:
                    self._literals([lit, _negated(e)], at_least=1.0)
        elif len(ct.enforcement_literal):
            return
        elif ct.has_bool_or():
            self._literals(list(ct.bool_or.literals), at_least=1.0)
        elif ct.has_exactly_one():
            self._literals(list(ct.exactly_one.literals), at_least=1.0, at_most=1.0)
        elif ct.has_at_most_one():
            self._literals(list(ct.at_most_one.literals), at_most=1.0)
        # any other kind of constraint is left out (the builder writes none)

    def _literals(self, lits: list[int], at_least: float = -math.inf, at_most: float = math.inf) -> None:
        """at_least <= the sum of `lits` <= at_most, a negated literal (index -i-1) being 1 - x."""
        vs: list[int] = []
        cs: list[float] = []
        ones = 0
        for lit in lits:
            if lit >= 0:
                vs.append(lit)
                cs.append(1.0)
            else:
                vs.append(-lit - 1)
                cs.append(-1.0)
                ones += 1
        self._row(at_least - ones, at_most - ones, vs, cs)

    def _row(self, lo: float, hi: float, vs: list[int], cs: list[float]) -> None:
        if len(set(vs)) < len(vs):  # a variable twice in a row: one coefficient, the sum
            merged: dict[int, float] = {}
            for v, c in zip(vs, cs, strict=True):
                merged[v] = merged.get(v, 0.0) + c
            vs, cs = list(merged), list(merged.values())
        self.rows.append((lo, hi, vs, cs))

    def interrupt(self) -> bool:
        """Stop a running `solve` (it then returns None); False while there is none to stop."""
        return self._solver is not None and self._solver.InterruptSolve()

    def solve(self, time_limit_s: float = 0.0, zero_first: tuple[int, ...] = ()) -> int | None:
        """The bound, or None when GLOP did not finish (the time limit, a stop). With variables
        `zero_first`, the LP is solved with them held at 0, then from that basis with them free
        (large sample, hybrid, the clarity literal: 5.4 s and 1.3 s against 10.5 s at once)."""
        mp = linear_solver_pb2.MPModelProto()
        for lo, hi, c in zip(self.low, self.high, self.cost, strict=True):
            mp.variable.add(lower_bound=lo, upper_bound=hi, objective_coefficient=c)
        for lo, hi, vs, cs in self.rows:
            row = mp.constraint.add(lower_bound=lo, upper_bound=hi)
            row.var_index.extend(vs)
            row.coefficient.extend(cs)
        s = pywraplp.Solver.CreateSolver("GLOP")
        if s is None or not s.SetSolverSpecificParametersAsString(GLOP_PARAMETERS):
            raise RuntimeError("GLOP is not available")
        error = s.LoadModelFromProto(mp)
        if error:
            raise RuntimeError(f"GLOP refused the relaxation: {error}")
        del mp
        start = time.monotonic()
        self._solver = s
        for held in (True, False) if zero_first else (False,):
            for v in zero_first:
                s.variable(v).SetBounds(self.low[v], 0.0 if held else self.high[v])
            if not held and zero_first:  # from the basis of the first solve: primal simplex
                s.SetSolverSpecificParametersAsString(GLOP_WARM_PARAMETERS)
            if time_limit_s > 0:
                s.SetTimeLimit(max(1, int((time_limit_s - (time.monotonic() - start)) * 1000)))
            if s.Solve() != pywraplp.Solver.OPTIMAL:
                return None
        response = linear_solver_pb2.MPSolutionResponse()
        s.FillSolutionResponseProto(response)
        return self.certify(list(response.dual_value))

    def certify(self, duals: list[float]) -> int:
        """What `duals` prove (module docstring), rounded up to a whole number."""
        reduced = list(self.cost)
        proven = self.offset
        for y, (lo, hi, vs, cs) in zip(duals, self.rows, strict=True):
            if y == 0 or (y > 0 and lo == -math.inf) or (y < 0 and hi == math.inf):
                continue  # a dual of the wrong sign for the row's sides proves nothing: left at 0
            proven += y * (lo if y > 0 else hi)
            for v, c in zip(vs, cs, strict=True):
                reduced[v] -= c * y
        for r, lo, hi in zip(reduced, self.low, self.high, strict=True):
            proven += min(r * lo, r * hi)
        # the sums above are of floats: step down by more than their rounding before rounding up
        return math.ceil(proven - 1e-9 * abs(proven) - 1e-6)


def _negated(lit: int) -> int:
    return -lit - 1


class Solving:
    """The LP bound of a copy of a model (the search may go on changing the model's hints),
    solved on a thread of its own once started, a daemon: a run that ends early does not wait."""

    def __init__(self, model: cp_model.CpModel, time_limit_s: float = 0.0, zero_first: tuple[int, ...] = ()) -> None:
        self._copy: cp_model.CpModel | None = model.clone()
        # a deadline, not a length: reading the model on the thread counts against it too
        self._deadline = time.monotonic() + time_limit_s if time_limit_s > 0 else 0.0
        self._zero_first = zero_first
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
            copy, self._copy = self._copy, None  # read once: the copy is not needed again
            assert copy is not None
            lp = Relaxation(copy)
            del copy
            ender = stopper(lp.interrupt, self._quit)
            try:
                left = max(0.001, self._deadline - time.monotonic()) if self._deadline else 0.0
                self._result.set_result(None if self._quit.is_set() else lp.solve(left, self._zero_first))
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

    def then(self, use: Callable[[int], object]) -> None:
        """Call `use` with the bound once there is one (on GLOP's thread, or now if it is done)."""

        def found(result: Future[int | None]) -> None:
            if result.exception() is None and (bound := result.result()) is not None:
                use(bound)

        self._result.add_done_callback(found)

    def cancel(self) -> None:
        """Stop solving: the bound is not wanted."""
        self._quit.set()
