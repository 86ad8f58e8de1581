"""The git recipe of docs/diff.md, in a temporary repository: `git diff` and `git log -p` show
plans through structplan, and a plan that does not load never stops git."""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from structplan import formats
from structplan.model import AccountPlan, Contact, Cost, Coverage, MentoringPair, PersonPlan, Plan

pytestmark = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")

STRUCTPLAN = f"{shlex.quote(sys.executable)} -m structplan"


def _plan() -> Plan:
    return Plan(
        agency="Git Agency",
        structure="separate",
        layout="separate",
        cost=Cost(200_000, 0, 3_200, 203_200),
        headcount=(("account_manager", 1), ("project_manager", 1)),
        accounts=(
            AccountPlan(
                "acme", "split", "ana-ruiz", 240, (Coverage("web", "cy-ng", 300),), Contact("ana-ruiz", "cy-ng")
            ),
        ),
        people=(
            PersonPlan("ana-ruiz", "account_manager", 240, 1600, 0.15, ("acme",)),
            PersonPlan("bo-li", "account_manager", 0, 1600, 0.0),
            PersonPlan("cy-ng", "project_manager", 300, 1600, 0.188, ("acme",)),
            PersonPlan("eve-ho", "pmo_manager", 0, 1600, 0.0),
        ),
        run=(("wall_s", 0.5),),
    )


def _changed(plan: Plan) -> Plan:
    acme = plan.accounts[0]
    return attrs.evolve(
        plan,
        structure="hybrid",
        layout="hybrid",
        accounts=(
            attrs.evolve(
                acme,
                mode="end_to_end",
                lead="bo-li",
                contact=Contact("bo-li", "bo-li"),
                coverage=(Coverage("web", "bo-li", 300),),
            ),
        ),
        people=(
            PersonPlan("ana-ruiz", "account_manager", 0, 1600, 0.0),
            PersonPlan("bo-li", "account_manager", 540, 1600, 0.338, ("acme",)),
            PersonPlan("cy-ng", "project_manager", 0, 1600, 0.0),
            PersonPlan("eve-ho", "pmo_manager", 40, 1600, 0.025),
        ),
        mentoring=(MentoringPair("eve-ho", "bo-li"),),
        run=(("wall_s", 7.5),),
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository with the recipe of docs/diff.md and two commits of x.plan.toml."""
    root = tmp_path / "plans"
    root.mkdir()
    git(root, "init", "-q")
    git(root, "config", "user.name", "Test Planner")
    git(root, "config", "user.email", "planner@example.com")
    (root / ".gitattributes").write_text("*.plan.toml diff=structplan\n", encoding="utf-8")
    git(root, "config", "diff.structplan.command", f"{STRUCTPLAN} diff --git")
    git(root, "config", "diff.structplan.textconv", f"{STRUCTPLAN} show --textconv")
    formats.save(_plan(), root / "x.plan.toml")
    git(root, "add", ".gitattributes", "x.plan.toml")
    git(root, "commit", "-q", "-m", "Q2 plan")
    formats.save(_changed(_plan()), root / "x.plan.toml")
    git(root, "commit", "-q", "-a", "-m", "Q3 plan: hybrid")
    return root


def git(root: Path, *args: str) -> str:
    env = {
        **os.environ,
        "GIT_CONFIG_NOSYSTEM": "1",
        "GIT_CONFIG_GLOBAL": os.devnull,
        "HOME": str(root),
        "GIT_PAGER": "cat",
        "PAGER": "cat",
        "NO_COLOR": "1",
    }
    env.pop("GIT_PAGER_IN_USE", None)
    out = subprocess.run(["git", *args], cwd=root, env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert "external diff died" not in out.stderr
    return out.stdout


SEMANTIC = [
    "structplan diff a/x.plan.toml b/x.plan.toml",
    "structure separate -> hybrid (layout separate -> hybrid)",
    "acme  split -> end to end; lead ana-ruiz -> bo-li",
    "eve-ho  mentors +bo-li",
]


def test_git_diff_shows_the_semantic_diff(repo: Path) -> None:
    out = git(repo, "diff", "HEAD~1", "--", "x.plan.toml")
    for line in SEMANTIC:
        assert line in out
    assert "wall_s" not in out  # run statistics are not a change
    assert "\x1b[" not in out


def test_git_log_and_show_with_ext_diff(repo: Path) -> None:
    out = git(repo, "log", "-p", "--ext-diff", "--", "x.plan.toml")
    assert "Q3 plan: hybrid" in out
    for line in SEMANTIC:
        assert line in out
    assert "new file: plan (separate), 1 account, 4 people, 0 hires, cost 203,200 EUR" in out
    show = git(repo, "show", "--ext-diff", "HEAD")
    assert SEMANTIC[2] in show


def test_git_log_without_ext_diff_uses_the_report(repo: Path) -> None:
    out = git(repo, "log", "-p", "-1", "--", "x.plan.toml")
    assert "-structure  separate (layout separate)" in out
    assert "+structure  hybrid (layout hybrid)" in out


def test_a_plan_that_does_not_load_never_stops_git(repo: Path) -> None:
    (repo / "x.plan.toml").write_text("[plan\nbroken", encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "oops")
    out = git(repo, "log", "-p", "--ext-diff", "-1")
    assert "cannot compare the plans:" in out
    assert "b/x.plan.toml: line 1" in out and "TOML syntax" in out
    assert "+[plan" in out  # the plain text diff instead
    out = git(repo, "diff", "HEAD~2", "HEAD~1")
    assert SEMANTIC[2] in out


def test_the_textconv_never_stops_git_log_at_a_broken_plan(repo: Path) -> None:
    (repo / "x.plan.toml").write_text("[plan\nbroken", encoding="utf-8")
    git(repo, "commit", "-q", "-a", "-m", "oops")
    formats.save(_plan(), repo / "x.plan.toml")
    git(repo, "commit", "-q", "-a", "-m", "back to Q2")
    out = git(repo, "log", "-p", "--", "x.plan.toml")  # git() asserts exit 0
    assert out.count("structplan: not a plan that loads: ") == 2  # the broken side of both commits
    assert "TOML syntax" in out
    assert "+structure  separate (layout separate)" in out  # the commit after the broken one
    assert "Q2 plan" in out  # git went on to the first commit


@pytest.mark.parametrize("name", ["--git.plan.toml", "-rf.plan.toml", "--detail.plan.toml"])
def test_plans_named_like_options_are_paths(repo: Path, name: str) -> None:
    git(repo, "mv", "--", "x.plan.toml", name)
    git(repo, "commit", "-q", "-m", "renamed")
    formats.save(_plan(), repo / name)
    out = git(repo, "diff", "--", name)  # the work tree's file: git passes the name itself
    assert f"structplan diff a/{name} b/{name}" in out
    assert "acme  end to end -> split; lead bo-li -> ana-ruiz" in out
    git(repo, "commit", "-q", "-a", "-m", "Q2 again")
    out = git(repo, "log", "-p", "--ext-diff", "-1", "--", name)
    assert "acme  end to end -> split; lead bo-li -> ana-ruiz" in out
    out = git(repo, "log", "-p", "-1", "--", name)  # the textconv
    assert "+structure  separate (layout separate)" in out
    assert (repo / name).exists() and (repo / ".gitattributes").exists()


def test_git_arguments_are_checked(capsys: pytest.CaptureFixture[str]) -> None:
    from structplan.cli import main

    assert main(["diff", "--git", "x.plan.toml", "a", "b"]) == 2
    assert "expected git's 7" in capsys.readouterr().err
