"""Names from a file are plain text on every screen: Rich markup in them is shown as written,
never parsed (a `[/]` does not crash the editor, a `[@click=...]` does nothing)."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import DataTable

from .conftest import TINY

SIZE = (120, 40)
HOSTILE = {
    '"Ana Alves"': '"[@click=app.quit]CLICK-ME[/] Ana"',
    '"Ben Berg"': '"Ben [bold]Berg"',
    '"Tiny Agency"': '"Tiny [/] Agency"',  # control characters in names are refused by validation
}


def hostile_agency(tmp_path: Path) -> Path:
    text = TINY
    for old, new in HOSTILE.items():
        assert old in text, old
        text = text.replace(old, new)
    account = text.index("[[accounts]]")
    name = text.index("name = ", account)
    end = text.index("\n", name)
    text = text[:name] + 'name = "Alma [/] Roasters [link=https://example.com]x[/link]"' + text[end:]
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return path


def cells(app) -> str:
    return "\n".join(
        " ".join(str(c) for c in table.get_row_at(i)) for table in app.query(DataTable) for i in range(table.row_count)
    )


async def test_markup_in_names_is_shown_as_written(make_app, tmp_path: Path) -> None:
    app = make_app(hostile_agency(tmp_path))
    async with app.run_test(size=SIZE) as pilot:
        for tab in "123456":
            await pilot.press(tab)
            await pilot.pause()
        await pilot.press("f5")
        await app.workers.wait_for_complete()
        await pilot.pause()
        for tab in "123456":
            await pilot.press(tab)
            await pilot.pause()
        for _ in range(7):
            await pilot.press("]")
            await pilot.pause()
        shown = cells(app)
        assert app.is_running
    assert "Alma [/] Roasters" in shown
    assert "[@click=app.quit]CLICK-ME[/] Ana" in shown
