"""A new user's first session, with the real solver on the boutique sample: solve, save, edit a
project's complexity, solve again, read the diff against the saved plan, save, reopen."""

from __future__ import annotations

import shutil
from pathlib import Path

from structplan import data, formats
from structplan import diff as plan_diff
from structplan.solver import solve
from structplan.tui.screens.form import RecordForm

from .test_app import SIZE, settle, status_text


def plain(app, selector: str) -> str:
    """The text a Static shows, without styles."""
    content = app.main.query_one(selector).content
    return getattr(content, "plain", None) or "".join(getattr(r, "plain", str(r)) for r in content.renderables)


async def test_edit_solve_save_diff_reopen_with_the_real_solver(make_app, tmp_path: Path) -> None:
    agency_file = tmp_path / "studio.toml"
    shutil.copy(data.samples_dir() / "boutique.toml", agency_file)
    original = agency_file.read_text()
    app = make_app(agency_file, solve=solve, time_limit=3)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f5")
        await settle(pilot, app)
        first = app.plan_doc.plan
        assert first is not None, status_text(app)
        assert "Solved" in status_text(app)
        assert "plan unsaved" in app.sub_title and "modified" not in app.sub_title
        await pilot.press("ctrl+s")  # the agency is unchanged: only the plan is written
        await settle(pilot, app)
        assert agency_file.read_text() == original
        assert formats.load_plan(tmp_path / "studio.plan.toml") == first

        # The palette finds the flagship account; Tab to its projects (by id): the second is the
        # loyalty programme.
        await pilot.press("ctrl+p", *"tide")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.main.accounts.accounts_table.current_id == "tidewater-hotels"
        await pilot.press("tab", "down", "enter")
        await pilot.pause()
        assert isinstance(app.screen, RecordForm)
        await pilot.press("tab", "tab", "5", "enter")
        await pilot.pause()
        loyalty = app.document.agency.account("tidewater-hotels").projects[1]
        assert (loyalty.id, loyalty.complexity) == ("tidewater-loyalty", 5)
        assert "modified" in app.sub_title

        await pilot.press("f5")
        await settle(pilot, app)
        second = app.plan_doc.plan
        assert second is not None and second != first
        await pilot.press("6")
        app.main.plan_view.show_view("diff")
        await pilot.pause()
        expected = plan_diff.render_text(plan_diff.diff(first, second, "studio.plan.toml", "on screen"))
        shown = plain(app, "#diff-text")
        assert expected.strip() in shown

        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert "modified" not in app.sub_title and "unsaved" not in app.sub_title

    text = agency_file.read_text()
    assert text == original.replace(
        'id = "tidewater-loyalty"\nname = "Guest loyalty programme"\ncomplexity = 3',
        'id = "tidewater-loyalty"\nname = "Guest loyalty programme"\ncomplexity = 5',
    ), "only the edited value changes: comments and key order are kept"

    again = make_app(agency_file, solve=solve, time_limit=3)
    async with again.run_test(size=SIZE) as pilot:
        await pilot.pause()
        assert again.document.agency.account("tidewater-hotels").projects[1].complexity == 5
        assert again.plan_doc.saved == second and not again.plan_doc.unsaved
