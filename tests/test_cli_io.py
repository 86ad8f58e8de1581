"""What reaches and leaves the command: options out of range, output paths, standard output that
cannot be written, signals before and during the write, and agencies with nothing to plan. Each
case exits non-zero with one line and never a traceback; no test waits for the clock."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from structplan import cli, formats
from structplan.cli import main
from structplan.commands import solve as command

ROOT = Path(__file__).resolve().parent.parent
AGENCY = ROOT / "sample_agencies" / "boutique.toml"
LAYOUT = ROOT / "layouts" / "merged.toml"
QUICK = ["--structure", "merged", "--effort", "0.3", "--workers", "1"]


def _usage_error(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "Traceback" not in err, err
    return err


@pytest.mark.parametrize(
    ("option", "value", "words"),
    [
        ("--seed", "2147483648", "2147483648 is outside -2147483648..2147483647"),
        ("--seed", "-2147483649", "is outside -2147483648..2147483647"),
        ("--seed", str(2**63), "is outside"),
        ("--seed", "1.5", "expected a whole number, got '1.5'"),
        ("--workers", "0", "0 is outside 1..64"),
        ("--workers", "100000", "100000 is outside 1..64"),
        ("--workers", "2147483648", "is outside 1..64"),
        ("--time-limit", "nan", "'nan' is not a finite number of seconds"),
        ("--time-limit", "inf", "'inf' is not a finite number of seconds"),
        ("--time-limit", "-1", "'-1' is not a finite number of seconds, 0 or more"),
        ("--time-limit", "soon", "expected a number of seconds, got 'soon'"),
        ("--effort", "nan", "'nan' is not a finite number of seconds"),
        ("--effort", "-0.5", "is not a finite number of seconds"),
        ("-o", "", "argument -o/--output: the file name is empty"),
        ("--layout", "", "argument --layout: the file name is empty"),
    ],
)
def test_solve_options_out_of_range(option: str, value: str, words: str, capsys: pytest.CaptureFixture[str]) -> None:
    given = [f"{option}={value}"] if value.startswith("-") else [option, value]
    err = _usage_error(capsys, ["solve", str(AGENCY), *given])
    assert words in err


def test_check_layout_may_not_be_empty(capsys: pytest.CaptureFixture[str]) -> None:
    assert "the file name is empty" in _usage_error(capsys, ["check", "p.toml", str(AGENCY), "--layout", ""])


def test_no_limit_at_all_is_refused(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["solve", str(AGENCY), "--time-limit", "0", "--effort", "0"]) == 2
    assert capsys.readouterr().err == (
        "structplan: --time-limit 0 and --effort 0 together leave nothing to end the search\n"
    )


def test_kinds_match_the_formats() -> None:
    assert cli.KINDS == formats.KINDS


# --------------------------------------------------------------------------- -o PATH


@pytest.fixture
def no_solving(monkeypatch: pytest.MonkeyPatch) -> None:
    """A bad output path is found before any search."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("the solver ran")

    monkeypatch.setattr(command, "solve", refuse)


def output_cases(tmp_path: Path) -> dict[str, tuple[str, str]]:
    """(path given to -o, the line expected) by case."""
    fifo = tmp_path / "plan.fifo"
    os.mkfifo(fifo)
    agency = tmp_path / "agency.toml"
    agency.write_bytes(AGENCY.read_bytes())
    (tmp_path / "sub").mkdir()
    link = tmp_path / "agency-link.toml"
    link.symlink_to(agency)
    other_way = tmp_path / "sub" / ".." / "agency.toml"
    return {
        "missing folder": (
            str(tmp_path / "missing" / "q3.plan.toml"),
            f"{tmp_path / 'missing' / 'q3.plan.toml'}: no such folder {tmp_path / 'missing'}",
        ),
        "directory": (str(tmp_path), f"{tmp_path}: is a directory; name a file to write"),
        "device": ("/dev/null", "/dev/null: is a character device; structplan writes regular files only"),
        "fifo": (str(fifo), f"{fifo}: is a named pipe (FIFO); structplan writes regular files only"),
        "the agency": (
            str(agency),
            f"{agency}: is the input file {agency}; writing there would replace it (name another file)",
        ),
        "the agency by another path": (
            str(other_way),
            f"{other_way}: is the input file {agency}; writing there would replace it (name another file)",
        ),
        "a link to the agency": (
            str(link),
            f"{link}: is the input file {agency}; writing there would replace it (name another file)",
        ),
    }


@pytest.mark.parametrize(
    "case",
    [
        "missing folder",
        "directory",
        "device",
        "fifo",
        "the agency",
        "the agency by another path",
        "a link to the agency",
    ],
)
@pytest.mark.usefixtures("no_solving")
def test_bad_output_paths_are_refused_before_solving(
    case: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path, line = output_cases(tmp_path)[case]
    before = (tmp_path / "agency.toml").read_bytes()
    assert main(["solve", str(tmp_path / "agency.toml"), "-o", path]) == 2
    assert capsys.readouterr().err == line + "\n"
    assert (tmp_path / "agency.toml").read_bytes() == before


@pytest.mark.usefixtures("no_solving")
def test_output_naming_the_layout_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    layout = tmp_path / "mine.toml"
    layout.write_bytes(LAYOUT.read_bytes())
    assert main(["solve", str(AGENCY), "--layout", str(layout), "-o", str(layout)]) == 2
    assert "is the input file" in capsys.readouterr().err


def test_output_through_a_symlink_writes_its_target(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "plans" / "q3.plan.toml"
    target.parent.mkdir()
    target.write_text("old\n")
    link = tmp_path / "current.plan.toml"
    link.symlink_to(target)
    assert main(["solve", str(AGENCY), *QUICK, "-o", str(link)]) == 0
    assert link.is_symlink() and link.resolve() == target
    assert formats.load_plan(target).structure == "merged"
    assert sorted(p.name for p in target.parent.iterdir()) == ["q3.plan.toml"]  # no temporary file left


def test_sigterm_during_the_write_leaves_no_temporary_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "q3.plan.toml"
    out.write_text("the plan of last quarter\n")
    real_fsync = os.fsync

    def fsync_then_term(fd: int) -> None:  # the signal lands while the temporary file is open
        real_fsync(fd)
        os.kill(os.getpid(), signal.SIGTERM)

    monkeypatch.setattr(formats.os, "fsync", fsync_then_term)
    handler = signal.getsignal(signal.SIGTERM)
    assert main(["solve", str(AGENCY), *QUICK, "-o", str(out)]) == 143
    assert capsys.readouterr().err.splitlines()[-1] == "structplan: terminated"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["q3.plan.toml"]
    assert out.read_text() == "the plan of last quarter\n"
    assert signal.getsignal(signal.SIGTERM) == handler  # the command's handler is gone again


# --------------------------------------------------------------------------- standard output


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("plan") / "b.plan.toml"
    assert main(["solve", str(AGENCY), *QUICK, "-o", str(path)]) == 0
    return path


def stdout_commands(plan: Path) -> list[list[str]]:
    return [
        ["validate", str(AGENCY)],
        ["show", str(plan)],
        ["show", str(plan), "--format", "markdown"],
        ["check", str(plan), str(AGENCY)],
        ["diff", str(AGENCY), str(plan)],
        ["solve", str(AGENCY), *QUICK],
        ["--help"],
        ["solve", "--help"],
        ["--version"],
    ]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("index", range(9))
@pytest.mark.parametrize("stdout", ["full", "closed"])
def test_stdout_that_cannot_be_written(index: int, stdout: str, plan_file: Path) -> None:
    argv = stdout_commands(plan_file)[index]
    kwargs: dict = {}
    if stdout == "full":
        kwargs["stdout"] = open("/dev/full", "w")  # noqa: SIM115
    else:
        kwargs["preexec_fn"] = lambda: os.close(1)
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "structplan", *argv],
            stderr=subprocess.PIPE,
            text=True,
            env=_env(),
            timeout=300,
            check=False,
            **kwargs,
        )
    finally:
        if "stdout" in kwargs:
            kwargs["stdout"].close()
    assert proc.returncode == 2, proc.stderr
    reason = "No space left on device" if stdout == "full" else "standard output is closed"
    assert proc.stderr.splitlines()[-1:] == [f"structplan: cannot write the output: {reason}"], proc.stderr
    assert "Traceback" not in proc.stderr and "Exception ignored" not in proc.stderr


# --------------------------------------------------------------------------- Ctrl-C before the search

EARLY = """
import os, signal, sys

if os.environ.get("STRUCTPLAN_EARLY_IGNORE"):  # as `cmd &` in a script or nohup starts it
    signal.signal(signal.SIGINT, signal.SIG_IGN)
else:  # as a terminal starts it, whatever this test run inherited (CI in the background: ignored)
    signal.signal(signal.SIGINT, signal.default_int_handler)
LOG = os.environ["STRUCTPLAN_EARLY_LOG"]  # what happened, for the assertion's message
with open(LOG, "a") as log:
    log.write(f"loaded before the finder: {sys.argv[1] in sys.modules}\\n")

class CtrlC:  # Ctrl-C at the moment the command imports this module
    def find_spec(self, name, path, target=None):
        if name == sys.argv[1]:
            with open(LOG, "a") as log:
                log.write(f"SIGINT at its import; handler {signal.getsignal(signal.SIGINT)!r}\\n")
            os.kill(os.getpid(), signal.SIGINT)
        return None

sys.meta_path.insert(0, CtrlC())
from structplan.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _early(module: str, tmp_path: Path, log: Path, ignored: bool = False) -> subprocess.CompletedProcess[str]:
    """`structplan solve` with a SIGINT at the moment it imports `module` (EARLY), started with
    Ctrl-C as a terminal gives it, or ignored."""
    script = tmp_path / "early.py"
    script.write_text(EARLY)
    env = _env() | {"STRUCTPLAN_EARLY_LOG": str(log)} | ({"STRUCTPLAN_EARLY_IGNORE": "1"} if ignored else {})
    return subprocess.run(
        [sys.executable, str(script), module, "solve", str(AGENCY), *QUICK, "-o", str(tmp_path / "p.toml")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process")
@pytest.mark.parametrize("module", ["cattrs", "structplan.solver.engine", "ortools"])
def test_ctrl_c_before_the_search_is_one_line(
    module: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    log = tmp_path_factory.mktemp("early-log") / "log.txt"
    proc = _early(module, tmp_path, log)
    assert proc.returncode == 130, proc.stderr + log.read_text()
    assert len(proc.stderr.splitlines()) == 1 and proc.stderr.startswith("structplan: interrupted"), proc.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["early.py"]


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a process")
@pytest.mark.parametrize("module", ["cattrs", "structplan.solver.engine"])
def test_a_command_started_with_ctrl_c_ignored_keeps_ignoring_it(
    module: str, tmp_path: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    log = tmp_path_factory.mktemp("early-log") / "log.txt"
    proc = _early(module, tmp_path, log, ignored=True)
    assert "SIGINT at its import" in log.read_text()  # the signal was sent
    assert proc.returncode == 0, proc.stderr + log.read_text()
    assert (tmp_path / "p.toml").exists()


# --------------------------------------------------------------------------- what the agency says


def test_service_line_nobody_offers_is_a_warning(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = AGENCY.read_text(encoding="utf-8")
    assert 'service_line = "digital"' in text
    agency = tmp_path / "typo.toml"
    agency.write_text(text.replace('service_line = "digital"', 'service_line = "digitl"', 1), encoding="utf-8")
    index, project, ids = next(
        (i, j, (a["id"], p["id"]))
        for i, a in enumerate(formats.read_toml(agency)["accounts"])
        for j, p in enumerate(a["projects"])
        if p.get("service_line") == "digitl"
    )
    line = (
        f"{agency}: accounts[{index}].projects[{project}].service_line (account {ids[0]!r}, project {ids[1]!r}): "
        "warning: 'digitl' is a service line that nobody on staff or in hiring offers (did you mean 'digital'?)"
    )
    assert main(["validate", str(agency)]) == 0
    out, err = capsys.readouterr()
    assert err == line + "\n" and out.startswith("ok: ")
    assert main(["solve", str(agency), *QUICK, "--format", "toml"]) == 0
    assert capsys.readouterr().err.splitlines()[0] == line


def test_agency_without_accounts_has_nothing_to_plan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    agency = tmp_path / "new.toml"
    agency.write_text('[agency]\nname = "New"\n\n[[people]]\nid = "a"\nname = "A"\nrole = "am"\nlevel = 2\ncost = 1\n')
    assert main(["solve", str(agency)]) == 2
    out, err = capsys.readouterr()
    assert (out, err) == ("", f"{agency}: has no accounts: there is nothing to plan\n")


# --------------------------------------------------------------------------- untrusted text

#: An agency name that would clear the screen, set the window title and forge a hyperlink.
HOSTILE = "Fieldnote \\u001b[2J\\u001b]0;title\\u0007 \\u001b]8;;http://x\\u001b\\\\link \\u009b31m \\u202e Studio"


def test_escape_sequences_in_names_never_reach_the_terminal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = AGENCY.read_text(encoding="utf-8")
    agency = tmp_path / "hostile.toml"
    agency.write_text(text.replace('name = "Fieldnote Studio"', f'name = "{HOSTILE}"', 1), encoding="utf-8")
    # an agency file's names are one line of plain text: refused, and the refusal prints no control
    for argv in (["validate", str(agency)], ["solve", str(agency), *QUICK]):
        assert main(argv) == 2
        out, err = capsys.readouterr()
        assert "agency.name: contains the control character '\\x1b'" in err
        for control in ("\x1b[2J", "\x1b]", "\x07", "\x9b", "\u202e"):
            assert control not in out + err, (argv, control)
    # a plan (written by hand or by another tool) is not an agency file: what it says is shown,
    # its control characters written out
    good = tmp_path / "good.plan.toml"
    assert main(["solve", str(AGENCY), *QUICK, "-o", str(good)]) == 0
    capsys.readouterr()
    plan = tmp_path / "p.plan.toml"
    plan.write_text(
        good.read_text(encoding="utf-8").replace('agency = "Fieldnote Studio"', f'agency = "{HOSTILE}"', 1),
        encoding="utf-8",
    )
    runs = [
        ["show", str(plan)],
        ["show", str(plan), "--format", "markdown"],
        ["diff", str(good), str(plan), "--color", "always"],
        ["check", str(plan), str(AGENCY)],
    ]
    for argv in runs:
        main(argv)
        out, err = capsys.readouterr()
        for control in ("\x1b[2J", "\x1b]", "\x07", "\x9b", "\u202e"):
            assert control not in out + err, (argv, control)
    main(["show", str(plan)])
    assert "Fieldnote \\x1b[2J\\x1b]0;title\\x07" in capsys.readouterr().out
