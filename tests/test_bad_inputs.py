"""Bad input across every command that reads files: exit 2, one line per problem naming the file,
never a traceback. The files are the corpus of tests/bad_files/ (see expected.toml) and paths
that are not regular files."""

from __future__ import annotations

import os
import tomllib
from pathlib import Path

import pytest

from structplan import formats
from structplan.cli import main
from structplan.solver.api import SolveOptions, solve

ROOT = Path(__file__).resolve().parent.parent
BAD = ROOT / "tests" / "bad_files"
AGENCY = ROOT / "sample_agencies" / "boutique.toml"
#: The editor's second line after a file that does not load.
EDIT_HINT = "structplan: fix the file (see `structplan validate`) and open it again"


EXPECTED: dict[str, dict] = tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))


def corpus() -> list[str]:
    """The corpus files that are bad whatever they are read as (not those bad only as one --kind)."""
    return sorted(name for name, entry in EXPECTED.items() if "kind" not in entry)


@pytest.fixture(scope="module")
def plan_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A valid plan of the boutique, for the commands that read a plan and something else."""
    outcome = solve(formats.load_agency(AGENCY), ["merged"], options=SolveOptions(effort=0.5, workers=1))
    assert outcome.plan is not None
    path = tmp_path_factory.mktemp("plan") / "b.plan.toml"
    formats.save(outcome.plan, path)
    return path


def commands(bad: str, plan: Path) -> list[list[str]]:
    """Every way a command reads the file `bad` (next to good files where it needs two)."""
    agency, good = str(AGENCY), str(plan)
    return [
        ["validate", bad],
        ["show", bad],
        ["show", bad, "--format", "markdown"],
        ["check", bad, agency],
        ["check", good, bad],
        ["check", good, agency, "--layout", bad],
        ["diff", bad, good],
        ["diff", good, bad],
        ["solve", bad],
        ["solve", agency, "--layout", bad],
        ["edit", bad],
    ]


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> tuple[int, str, str]:
    try:
        code = main(argv)
    except SystemExit as exc:  # argparse
        code = exc.code if isinstance(exc.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def problem_lines(err: str, argv: list[str]) -> list[str]:
    lines = err.splitlines()
    if argv[0] == "edit" and lines and lines[-1] == EDIT_HINT:
        lines = lines[:-1]
    return lines


def assert_rejected(capsys: pytest.CaptureFixture[str], argv: list[str], name: str, one_line: bool) -> None:
    code, out, err = run(capsys, argv)
    assert code == 2, (argv, out, err)
    assert "Traceback" not in out + err
    assert out == "", (argv, out)
    lines = problem_lines(err, argv)
    assert lines, argv
    for line in lines:
        assert line.startswith(f"{name}: "), (argv, line)
    if one_line:
        assert len(lines) == 1, (argv, lines)


#: Corpus files whose problem is the file itself, not its content: one line, whatever the command.
ONE_LINE = [n for n in corpus() if n.startswith("raw/") and n != "raw/unknown_kind.toml"] + [
    n
    for n in corpus()
    if n.startswith(
        ("agency/huge_", "agency/nan_", "agency/inf_", "layout/huge_", "plan/huge_", "plan/nan_", "plan/inf_")
    )
]


def _shaped_as_plan(name: str) -> bool:
    """Whether `check` reads the file as a plan (its content is then broken rules: exit 1)."""
    try:
        data = formats.read_toml(BAD / name)
        if formats.detect_kind(data) != "plan":
            return False
        formats.plan_as_written(data, name)
    except formats.LoadError:
        return False
    return True


def assert_broken(capsys: pytest.CaptureFixture[str], argv: list[str], name: str) -> None:
    """`check` on a file that is a plan in shape: exit 1, one line per broken rule naming the file."""
    code, out, err = run(capsys, argv)
    assert code == 1, (argv, out, err)
    assert "Traceback" not in out + err
    lines = out.splitlines()
    assert lines and all(line.startswith(f"{name}: ") for line in lines), (argv, out)


@pytest.mark.parametrize("name", corpus())
def test_every_command_rejects_every_corpus_file(
    name: str, plan_file: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(BAD)
    for argv in commands(name, plan_file):
        # read as another kind, a file's content may have more to say: one line each
        one_line = name in ONE_LINE and (name.startswith("raw/") or argv[0] == "validate")
        if argv[:2] == ["check", name] and _shaped_as_plan(name):
            assert_broken(capsys, argv, name)
        else:
            assert_rejected(capsys, argv, name, one_line=one_line)


# --------------------------------------------------------------------------- paths that are not files


def special_paths(tmp_path: Path) -> dict[str, str]:
    fifo = tmp_path / "agency.fifo"
    os.mkfifo(fifo)
    big = tmp_path / "big.toml"
    with big.open("wb") as fh:  # sparse: nothing is written, the size is what is refused
        fh.truncate(formats.MAX_FILE_BYTES + 1)
    folder = tmp_path / "folder.toml"
    folder.mkdir()
    return {
        "fifo": str(fifo),
        "/dev/zero": "/dev/zero",
        "/dev/full": "/dev/full",
        "/dev/null": "/dev/null",
        "big": str(big),
        "folder": str(folder),
    }


@pytest.mark.parametrize("which", ["fifo", "/dev/zero", "/dev/full", "/dev/null", "big", "folder"])
def test_paths_that_are_not_regular_files(
    which: str, tmp_path: Path, plan_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = special_paths(tmp_path)[which]
    for argv in commands(path, plan_file):
        if argv[0] == "edit" and which == "folder":
            code, _, err = run(capsys, argv)
            assert (code, err) == (2, f"{path}: is a folder: name an agency file\n")
            continue
        assert_rejected(capsys, argv, path, one_line=True)


def test_refusals_say_what_the_path_is(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = special_paths(tmp_path)
    code, _, err = run(capsys, ["validate", *paths.values()])
    assert code == 2
    assert err.splitlines() == [
        f"{paths['fifo']}: is a named pipe (FIFO), not a regular file; structplan reads files only",
        "/dev/zero: is a character device, not a regular file; structplan reads files only",
        "/dev/full: is a character device, not a regular file; structplan reads files only",
        "/dev/null: is a character device, not a regular file; structplan reads files only",
        f"{paths['big']}: is larger than 256 MiB, the most structplan reads "
        f"({formats.MAX_FILE_BYTES + 1:,} bytes or more)",
        f"{paths['folder']}: is a directory, not a file",
    ]


def test_a_file_that_grows_past_the_cap_while_read_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "a.toml"
    path.write_text('[agency]\nname = "A"\n' + "# padding\n" * 100, encoding="utf-8")
    monkeypatch.setattr(formats, "MAX_FILE_BYTES", 64)
    with pytest.raises(formats.LoadError, match="larger than"):
        formats.read_bytes(path)


def test_nesting_within_the_limit_is_read(tmp_path: Path) -> None:
    depth = formats.MAX_DEPTH
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * depth + "]" * depth + "\n", encoding="utf-8")
    assert formats.read_toml(path)["x"]
    path.write_text("x = " + "[" * (depth + 1) + "]" * (depth + 1) + "\n", encoding="utf-8")
    with pytest.raises(formats.LoadError, match=f"line 1, column {depth + 5}: arrays or tables nest more than"):
        formats.read_toml(path)
