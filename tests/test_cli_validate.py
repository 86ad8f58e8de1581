"""`structplan validate` on the bad-file corpus: exit 2, words that say why, no traceback."""

from __future__ import annotations

import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from structplan.cli import main

BAD = Path(__file__).resolve().parent / "bad_files"
EXPECTED: dict[str, dict] = tomllib.loads((BAD / "expected.toml").read_text(encoding="utf-8"))
LAYOUTS = Path(__file__).resolve().parent.parent / "layouts"


def corpus_files() -> list[str]:
    """Every corpus file, relative to bad_files/, except the corpus's own bookkeeping."""
    return sorted(
        p.relative_to(BAD).as_posix()
        for p in BAD.rglob("*")
        if p.is_file() and p.name not in ("expected.toml", ".gitattributes")
    )


def run_validate(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    """Run `structplan validate ARGS` in process: exit code and everything printed."""
    code = main(["validate", *args])
    out, err = capsys.readouterr()
    return code, out + err


def assert_lines_name_file(output: str, name: str) -> None:
    lines = output.splitlines()
    assert lines, "nothing printed"
    for line in lines:
        assert line.startswith(f"{name}: "), f"line does not start with the file name: {line!r}"


# --------------------------------------------------------------------------- the corpus itself


def test_corpus_is_big_enough_and_covers_every_kind() -> None:
    names = corpus_files()
    assert len(names) >= 30
    for folder in ("raw", "agency", "layout", "plan"):
        assert any(n.startswith(f"{folder}/") for n in names), folder


def test_every_corpus_file_is_listed_and_every_listed_file_exists() -> None:
    assert sorted(EXPECTED) == corpus_files()
    for name, entry in EXPECTED.items():
        assert set(entry) <= {"expect", "kind"}, name
        assert entry["expect"] and all(isinstance(w, str) and w for w in entry["expect"]), name


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_with_its_words(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    entry = EXPECTED[name]
    path = str(BAD / name)
    args = [path] + (["--kind", entry["kind"]] if "kind" in entry else [])
    code, output = run_validate(capsys, *args)
    assert code == 2, output
    assert "Traceback" not in output
    for word in entry["expect"]:
        assert word in output, f"{word!r} missing from:\n{output}"
    assert_lines_name_file(output, path)


def test_relative_name_is_kept_as_given(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(BAD)
    code, output = run_validate(capsys, "agency/tier_four.toml")
    assert code == 2
    assert output == "agency/tier_four.toml: accounts[1].tier (account 'globex'): 4 is outside 1..3\n"


def test_error_format_of_syntax_and_content(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The two shapes of a problem line that docs/formats.md shows."""
    monkeypatch.chdir(BAD)
    code, output = run_validate(capsys, "raw/syntax_missing_value.toml", "agency/complexity_seven.toml")
    assert code == 2
    assert output.splitlines() == [
        "raw/syntax_missing_value.toml: line 5, column 16: TOML syntax: invalid value",
        "agency/complexity_seven.toml: accounts[1].projects[0].complexity (account 'globex', project 'globex-app'): "
        "7 is outside 1..5",
    ]


# --------------------------------------------------------------------------- files that are not there


def test_missing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "nope.toml")
    code, output = run_validate(capsys, path)
    assert code == 2
    assert output == f"{path}: no such file\n"


def test_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = run_validate(capsys, str(tmp_path))
    assert code == 2
    assert output == f"{tmp_path}: is a directory, not a file\n"


def test_missing_file_with_kind(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(tmp_path / "nope.toml")
    code, output = run_validate(capsys, path, "--kind", "agency")
    assert (code, output) == (2, f"{path}: no such file\n")


# --------------------------------------------------------------------------- several files


def test_good_and_bad_files_together(capsys: pytest.CaptureFixture[str]) -> None:
    """Every file is checked; one bad file makes the exit code 2; good files say ok on stdout."""
    good = str(LAYOUTS / "hybrid.toml")
    bad1 = str(BAD / "agency" / "tier_four.toml")
    bad2 = str(BAD / "layout" / "duty_two_accountable.toml")
    code = main(["validate", bad1, good, bad2])
    out, err = capsys.readouterr()
    assert code == 2
    assert out == f"ok: layout 'hybrid' (hybrid): 4 roles, 12 duties ({good})\n"
    assert [line.split(": ")[0] for line in err.splitlines()] == [bad1, bad2]


def test_good_files_exit_zero(capsys: pytest.CaptureFixture[str]) -> None:
    paths = sorted(str(p) for p in LAYOUTS.glob("*.toml"))
    code = main(["validate", *paths])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    assert len(out.splitlines()) == len(paths)
    assert all(line.startswith("ok: ") for line in out.splitlines())


def test_usage_errors_exit_two(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["validate"])
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        main(["validate", "--kind", "budget", "x.toml"])
    assert exc.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err and "invalid choice" in err


# --------------------------------------------------------------------------- a real process


def _structplan(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PYTHONIOENCODING"] = "utf-8"
    return subprocess.run(
        [sys.executable, "-m", "structplan", "validate", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.mark.parametrize(
    "name",
    ["raw/not_utf8_latin1.toml", "raw/binary_nul.toml", "agency/unknown_key_person.toml", "plan/unknown_person.toml"],
)
def test_subprocess(name: str) -> None:
    proc = _structplan(name, cwd=BAD)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert "Traceback" not in proc.stderr
    for word in EXPECTED[name]["expect"]:
        assert word in proc.stderr
    assert_lines_name_file(proc.stderr, name)


def test_subprocess_whole_corpus_at_once() -> None:
    """One process, every file: each file is still reported, none stops the others."""
    names = [n for n in sorted(EXPECTED) if "kind" not in EXPECTED[n]]
    proc = _structplan(*names, cwd=BAD)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    reported = {line.split(": ")[0] for line in proc.stderr.splitlines()}
    assert reported == set(names)
