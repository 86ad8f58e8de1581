"""Import hygiene: the command-line modules start without the heavy libraries.

`structplan validate`, `check`, `diff` and `report` never touch the solver or the editor, so
importing what they use must not import textual, rich, ortools or numpy: each costs start-up
time on every command (ortools alone is about half a second). Each module is imported in a
fresh interpreter, since this test process has most of them loaded already.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

HEAVY = ("textual", "rich", "ortools", "numpy")
LIGHT = (
    "structplan.cli",
    "structplan.formats",
    "structplan.checks",
    "structplan.diff",
    "structplan.report",
    "structplan.scenario",
    "structplan.solver",
    "structplan.solver.api",
    "structplan.commands.validate",
    "structplan.commands.check",
    "structplan.commands.show",
    "structplan.commands.diff",
    "structplan.commands.solve",
    "structplan.commands.scenarios",
    "structplan.commands.edit",
)


@pytest.mark.parametrize("module", LIGHT)
def test_importing_loads_none_of_the_heavy_libraries(module: str) -> None:
    code = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(' '.join(sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"importing {module} loads {out}"


def test_the_solver_loads_them_when_used() -> None:
    """The check above can fail: the engine itself does import ortools."""
    code = "import sys\nimport structplan.solver.engine\nprint('ortools' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "True"
