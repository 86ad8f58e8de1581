"""The scenario file as the Scenarios tab edits it: comments kept, every shape of the file
written back as valid TOML holding exactly the scenarios shown, nothing written otherwise."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from structplan import formats
from structplan.formats import LoadError
from structplan.scenario_edit import ScenarioBook, changes_text, check, from_form, path_for

ROOT = Path(__file__).resolve().parents[1]
NEW = {"id": "frozen", "name": "Hiring is frozen", "freeze_hiring": True}


def _book(tmp_path: Path, text: str) -> ScenarioBook:
    path = tmp_path / "a.scenarios.toml"
    path.write_text(text, encoding="utf-8")
    return ScenarioBook.open(path, tmp_path / "a.toml")


@pytest.mark.parametrize(
    "text",
    [
        '# mine\nbase = "a.toml"  # the base\n',
        'base = "a.toml"\nscenarios = []\n',
        '# mine\nbase = "a.toml"\nscenarios = [{ id = "lose", lose = ["x"] }]\n',
        '# mine\nbase = "a.toml"\n\n[[scenarios]]\nid = "lose"  # the first\nlose = ["x"]\n',
    ],
)
def test_adding_and_deleting_keep_the_file_valid_and_its_other_scenarios(tmp_path: Path, text: str) -> None:
    book = _book(tmp_path, text)
    before = book.raw()
    book.put(NEW)
    book.save()
    written = book.path.read_text(encoding="utf-8")
    data = tomllib.loads(written)
    assert data["base"] == "a.toml"
    assert data["scenarios"] == [*before, NEW]
    if text.startswith("# mine"):
        assert written.startswith("# mine")  # the comments stay
    book.put(dict(NEW, name="Frozen"), replace="frozen")
    book.delete("lose")
    book.save()
    assert tomllib.loads(book.path.read_text(encoding="utf-8"))["scenarios"] == [dict(NEW, name="Frozen")]


def test_a_text_that_would_not_read_back_is_not_written(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    book = _book(tmp_path, 'base = "a.toml"\n')
    book.put(NEW)
    monkeypatch.setattr(ScenarioBook, "text", lambda self: 'base = "a.toml"\nscenarios = [\n')
    with pytest.raises(OSError, match="nothing written"):
        book.save()
    assert book.path.read_text(encoding="utf-8") == 'base = "a.toml"\n'


def test_a_new_book_is_written_next_to_the_agency_with_it_as_base(tmp_path: Path) -> None:
    agency = tmp_path / "wren.toml"
    book = ScenarioBook.open(path_for(agency), agency, "Wren")
    assert book.path == tmp_path / "wren.scenarios.toml" and not book.exists and not book.path.exists()
    book.put(NEW)
    book.save()
    assert book.exists and tomllib.loads(book.path.read_text(encoding="utf-8"))["base"] == "wren.toml"


def test_the_form_is_checked_like_the_file() -> None:
    path = ROOT / "sample_agencies" / "midsize.scenarios.toml"
    book = ScenarioBook.open(path, ROOT / "sample_agencies" / "midsize.toml")
    base = formats.load_agency(ROOT / "sample_agencies" / "midsize.toml")
    record = f"scenarios[{len(book.ids())}]"
    first = book.raw()[0]
    assert (
        from_form(
            {**{k: first.get(k, "") for k in ("id", "name", "description")}, "changes": changes_text(first)}, "r", "f"
        )
        == first
    )
    with pytest.raises(LoadError) as err:
        from_form({"id": "x", "changes": "leave = ["}, record, str(path))
    assert err.value.problems[0].where == f"{record}.changes" and "TOML syntax" in err.value.problems[0].message
    with pytest.raises(LoadError) as err:
        check(book, base, from_form({"id": "x", "changes": "levae = ['a']"}, record, str(path)))
    assert err.value.problems[0].where == f"{record}.levae" and "did you mean 'leave'" in err.value.problems[0].message
    with pytest.raises(LoadError) as err:
        check(book, base, from_form({"id": first["id"], "changes": "freeze_hiring = true"}, record, str(path)))
    assert "duplicate scenario id" in err.value.problems[0].message
    resolved = check(book, base, from_form({"id": "x", "changes": "freeze_hiring = true"}, record, str(path)))
    assert all(h.max == 0 for h in resolved.agency.hiring)


def test_a_changed_scenario_keeps_the_comments_around_it(tmp_path: Path) -> None:
    text = (
        '# c\nbase = "a.toml"\n\n# the first\n[[scenarios]]\nid = "a"  # why\nlose = ["q"]\n'
        '\n# the second\n[[scenarios]]\nid = "b"\nlose = ["r"]\n'
    )
    book = _book(tmp_path, text)
    book.put({"id": "a", "lose": ["s"]}, replace="a")
    book.save()
    assert book.path.read_text(encoding="utf-8") == text.replace('lose = ["q"]', 'lose = ["s"]')
