"""TOML <-> domain: bundled files load and round-trip; generated documents survive a save."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from structplan import formats, tomlout, validation
from structplan.model import (
    DUTIES,
    MODES,
    PERSON_ROLES,
    STRUCTURES,
    Account,
    AccountPlan,
    Agency,
    Contact,
    Cost,
    Coverage,
    Hire,
    HiringOption,
    Layout,
    MentoringPair,
    Person,
    PersonPlan,
    Pin,
    Plan,
    PlanWarning,
    Policy,
    Project,
    Raci,
    Settings,
    SolverInfo,
    StructureResult,
    Weights,
)

ROOT = Path(__file__).resolve().parent.parent
PROPERTY = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


# --------------------------------------------------------------------------- bundled files


def _bundled(folder: str) -> list[Any]:
    """The .toml files of a folder, globbed at collection; one skipped case when there are none."""
    # scenario files are no agency, layout or plan: tests/test_scenarios.py loads them
    paths = sorted(p for p in (ROOT / folder).glob("*.toml") if not p.name.endswith(".scenarios.toml"))
    if not paths:
        return [pytest.param(None, marks=pytest.mark.skip(reason=f"{folder}/ has no .toml files yet"))]
    return [pytest.param(p, id=f"{folder}/{p.name}") for p in paths]


BUNDLED = _bundled("layouts") + _bundled("sample_agencies")


def test_every_layout_is_bundled() -> None:
    assert {p.stem for p in (ROOT / "layouts").glob("*.toml")} >= set(STRUCTURES)


def assert_round_trips(obj: Agency | Layout | Plan, tmp_path: Path) -> str:
    """load -> dumps -> parse -> equal; dumps is repeatable and a fixed point; save() agrees."""
    kind = formats.kind_of(obj)
    text = formats.dumps(obj)
    assert formats.dumps(obj) == text, "two dumps of one object differ"
    again = formats.from_data(tomllib.loads(text), kind, "<dumped>")
    assert again == formats.canonical(obj)
    assert formats.dumps(again) == text
    path = tmp_path / f"saved.{kind}.toml"
    formats.save(obj, path)
    assert path.read_bytes() == text.encode("utf-8")
    assert formats.load(path) == (kind, again)
    return text


@pytest.mark.parametrize("path", BUNDLED)
def test_bundled_file_loads_validates_and_round_trips(path: Path, tmp_path: Path) -> None:
    kind, obj = formats.load(path)
    assert kind == ("layout" if path.parent.name == "layouts" else "agency")
    assert validation.problems(obj) == []
    assert obj == formats.canonical(obj)
    assert_round_trips(obj, tmp_path)


def test_load_gives_canonical_order(tmp_path: Path) -> None:
    """Records come back sorted by id whatever order the file has them in."""
    agency = Agency(
        agency=Settings(name="Order"),
        people=(Person("zoe", "Zoe", "am", 3, 1), Person("al", "Al", "pm", 2, 1)),
        accounts=(
            Account("b", "B", 1, 2, projects=(Project("p2", "P2", 1), Project("p1", "P1", 1))),
            Account("a", "A", 1, 3, projects=(Project("p3", "P3", 1),)),
        ),
        policy=Policy(pins=(Pin("b", mode="split"), Pin("a", lead="al"))),
    )
    path = tmp_path / "order.toml"
    unsorted = formats._prune(formats.CONVERTER.unstructure(agency))  # file order as given
    path.write_text(tomlout.dumps(unsorted), "utf-8")
    loaded = formats.load_agency(path)
    assert [p.id for p in loaded.people] == ["al", "zoe"]
    assert [a.id for a in loaded.accounts] == ["a", "b"]
    assert [p.id for p in loaded.accounts[1].projects] == ["p1", "p2"]
    assert [p.account for p in loaded.policy.pins] == ["a", "b"]
    assert_round_trips(agency, tmp_path)


def test_defaults_are_written_out(tmp_path: Path) -> None:
    """A saved file states every value (so a reader sees the defaults), except absent ones."""
    agency = Agency(
        agency=Settings(name="Defaults"),
        people=(Person("ana", "Ana", "am", 3, 1),),
        accounts=(Account("a", "A", 1, 1, projects=(Project("p", "P", 2),)),),
    )
    data = tomllib.loads(assert_round_trips(agency, tmp_path))
    assert data["agency"] == {"name": "Defaults", "currency": "EUR", "hours_per_fte": 1600}
    assert data["people"][0]["fte"] == 1.0
    assert "lead" not in data["accounts"][0]
    assert "effort_hours" not in data["accounts"][0]["projects"][0]
    assert data["policy"]["structures"] == list(STRUCTURES)
    assert data["policy"]["weights"] == {
        "continuity": 6000,
        "friction": 4000,
        "overload": 60,
        "imbalance": 300,
        "seniority": 10,
        "voices": 0,
    }


# --------------------------------------------------------------------------- strategies

_ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
ID = st.builds(str.__add__, st.sampled_from(_ALNUM), st.text(alphabet=_ALNUM + "_.-", max_size=10))
#: Text a user may type: any printable or control character, quotes, backslashes, newlines, emoji.
TEXT = st.one_of(
    st.text(max_size=30),
    st.text(alphabet=st.sampled_from(list("\"\\'\n\r\t #=[]{}.,é漢🙂\u200b\x7f\x00\u2028")), max_size=12),
)
#: A name: one line of text a user may type (no control characters or line separators, which
#: validation refuses), quotes, backslashes, TOML's own characters and emoji included.
NAME = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), max_size=30),
    st.text(alphabet=st.sampled_from(list("\"\\' #=[]{}.,é漢🙂\u200b")), max_size=12),
).filter(lambda s: s.strip() != "")
CURRENCY = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ", min_size=3, max_size=3)
MONEY = st.integers(min_value=0, max_value=10**12)
SHARE = st.floats(min_value=0.0, max_value=1.0, exclude_min=True)


def unique_ids(n_min: int, n_max: int, taken: frozenset[str] = frozenset()) -> st.SearchStrategy[list[str]]:
    return st.lists(ID.filter(lambda i: i not in taken), min_size=n_min, max_size=n_max, unique=True)


@st.composite
def agencies(draw: st.DrawFn) -> Agency:
    """Any agency that passes validation."""
    settings_ = Settings(
        name=draw(NAME),
        currency=draw(CURRENCY),
        hours_per_fte=draw(st.integers(1, 4000)),
    )
    person_ids = draw(unique_ids(0, 6))
    people = tuple(
        Person(
            id=pid,
            name=draw(NAME),
            role=draw(st.sampled_from(PERSON_ROLES)),
            level=draw(st.integers(1, 4)),
            cost=draw(MONEY),
            fte=draw(SHARE),
            service_lines=tuple(draw(st.lists(TEXT, max_size=3))),
        )
        for pid in person_ids
    )
    hiring = tuple(
        HiringOption(
            id=hid,
            name=draw(NAME),
            role=draw(st.sampled_from(PERSON_ROLES)),
            level=draw(st.integers(1, 4)),
            cost=draw(MONEY),
            max=draw(st.integers(0, 1000)),
            fte=draw(SHARE),
            service_lines=tuple(draw(st.lists(TEXT, max_size=2))),
        )
        for hid in draw(unique_ids(0, 3, frozenset(person_ids)))
    )
    account_ids = draw(unique_ids(0, 5))
    project_ids = iter(draw(unique_ids(len(account_ids) * 3, len(account_ids) * 3)))
    accounts = []
    for aid in account_ids:
        projects = tuple(
            Project(
                id=next(project_ids),
                name=draw(NAME),
                complexity=draw(st.integers(1, 5)),
                service_line=draw(TEXT),
                effort_hours=draw(st.none() | st.integers(0, 20000)),
            )
            for _ in range(draw(st.integers(1, 3)))
        )
        accounts.append(
            Account(
                id=aid,
                name=draw(NAME),
                fee=draw(MONEY),
                tier=draw(st.integers(1, 3)),
                lead=draw(st.none() | st.sampled_from(person_ids)) if person_ids else None,
                projects=projects,
            )
        )
    pins = []
    for aid in draw(st.lists(st.sampled_from(account_ids), unique=True)) if account_ids else []:
        lead = draw(st.none() | st.sampled_from(person_ids)) if person_ids else None
        mode = draw(st.none() | st.sampled_from(MODES)) if lead else draw(st.sampled_from(MODES))
        pins.append(Pin(account=aid, lead=lead, mode=mode))
    policy = Policy(
        structures=tuple(draw(st.lists(st.sampled_from(STRUCTURES), min_size=1, max_size=3))),
        utilization_ceiling=draw(SHARE),
        target_utilization=draw(SHARE),
        mentoring_span=draw(st.none() | st.integers(1, 100)),
        pins=tuple(pins),
        weights=Weights(*(draw(st.integers(0, 10**9)) for _ in range(4))),
    )
    agency = Agency(
        agency=settings_,
        people=tuple(draw(st.permutations(people))),
        accounts=tuple(draw(st.permutations(accounts))),
        hiring=hiring,
        policy=policy,
    )
    return agency


@st.composite
def plans(draw: st.DrawFn) -> Plan:
    """Any plan that passes validation (its staffing need not make sense)."""
    people_ids = draw(unique_ids(1, 5))
    who = st.sampled_from(people_ids)
    number = st.floats(min_value=0, max_value=1e6, allow_nan=False)
    count = st.integers(0, 10**9)
    pairs_int = st.dictionaries(TEXT, count, max_size=3).map(lambda d: tuple(d.items()))
    pairs_float = st.dictionaries(TEXT, st.floats(allow_nan=False, allow_infinity=False), max_size=3).map(
        lambda d: tuple(d.items())
    )
    accounts = tuple(
        AccountPlan(
            id=aid,
            mode=draw(st.sampled_from(MODES)),
            lead=draw(who),
            lead_hours=draw(count),
            coverage=tuple(draw(st.lists(st.builds(Coverage, project=ID, person=who, hours=count), max_size=3))),
            contact=draw(st.none() | st.builds(Contact, strategy=who, updates=who)),
            raci=tuple(
                Raci(
                    duty=duty,
                    accountable=draw(who | st.just("")),
                    responsible=tuple(draw(st.lists(who, max_size=2))),
                    consulted=tuple(draw(st.lists(who, max_size=2))),
                    informed=tuple(draw(st.lists(who, max_size=2))),
                )
                for duty in draw(st.lists(st.sampled_from(DUTIES), unique=True, max_size=3))
            ),
        )
        for aid in draw(unique_ids(0, 4))
    )
    people = tuple(
        PersonPlan(
            id=pid,
            role=draw(ID),
            hours=draw(count),
            capacity=draw(count),
            utilization=draw(number),
            accounts=tuple(draw(st.lists(ID, max_size=3))),
        )
        for pid in people_ids
    )
    return Plan(
        agency=draw(NAME),
        structure=draw(st.sampled_from(STRUCTURES)),
        layout=draw(ID),
        currency=draw(CURRENCY),
        reason=draw(TEXT),
        solver=draw(
            st.builds(
                SolverInfo,
                status=st.sampled_from(["optimal", "feasible", "hand"]),
                objective=count,
                bound=count,
                gap=number,
                seed=count,
                workers=st.integers(1, 64),
                time_limit=number,
            )
        ),
        cost=Cost(draw(count), draw(count), draw(count), draw(count), penalties=draw(pairs_int)),
        headcount=draw(pairs_int),
        comparison=tuple(
            draw(
                st.lists(
                    st.builds(
                        StructureResult,
                        structure=st.sampled_from(STRUCTURES),
                        status=ID,
                        objective=count,
                        cost=count,
                        hires=count,
                        utilization=number,
                        warnings=count,
                        gap=number,
                    ),
                    max_size=3,
                )
            )
        ),
        accounts=accounts,
        people=people,
        mentoring=tuple(draw(st.lists(st.builds(MentoringPair, mentor=who, mentee=who), max_size=3))),
        hires=tuple(
            draw(
                st.lists(
                    st.builds(
                        Hire,
                        id=ID,
                        option=ID,
                        name=NAME,
                        role=st.sampled_from(PERSON_ROLES),
                        level=st.integers(1, 4),
                        cost=count,
                    ),
                    max_size=3,
                    unique_by=lambda h: h.id,
                )
            )
        ),
        warnings=tuple(
            draw(
                st.lists(
                    st.builds(PlanWarning, kind=ID, message=TEXT, account=ID | st.just(""), person=ID | st.just("")),
                    max_size=3,
                )
            )
        ),
        run=draw(pairs_float),
    )


# --------------------------------------------------------------------------- properties


@PROPERTY
@given(agencies())
def test_agency_survives_dumps_then_load(agency: Agency) -> None:
    assert validation.problems(agency) == [], "the strategy builds valid agencies"
    text = formats.dumps(agency)
    data = tomllib.loads(text)  # plain TOML, readable by any parser
    assert formats.from_data(data, "agency", "<generated>") == formats.canonical(agency)
    assert formats.dumps(formats.from_data(data, "agency", "<generated>")) == text
    assert formats.dumps(agency) == text


@PROPERTY
@given(plans())
def test_plan_survives_dumps_then_load(plan: Plan) -> None:
    assert validation.problems(plan) == [], "the strategy builds valid plans"
    text = formats.dumps(plan)
    data = tomllib.loads(text)
    loaded = formats.from_data(data, "plan", "<generated>")
    assert loaded == formats.canonical(plan)
    assert formats.dumps(loaded) == text
    assert list(data)[-1] == "run", "the table diff ignores comes last"


@PROPERTY
@given(st.sampled_from(STRUCTURES), NAME, TEXT, st.data())
def test_edited_layout_survives_dumps_then_load(
    structure: str, name: str, description: str, data: st.DataObject
) -> None:
    """A bundled layout with user text in it still round-trips."""
    layout = formats.load_layout(ROOT / "layouts" / f"{structure}.toml")
    roles = tuple(attrs.evolve(r, name=data.draw(NAME)) for r in layout.roles)
    duties = tuple(attrs.evolve(d, name=data.draw(TEXT)) for d in layout.duties)
    layout = attrs.evolve(layout, name=name, description=description, roles=roles, duties=duties)
    assert validation.problems(layout) == []
    text = formats.dumps(layout)
    assert formats.from_data(tomllib.loads(text), "layout", "<edited>") == layout


# --------------------------------------------------------------------------- the shape of the file


def _person(name: str, lines: tuple[str, ...] = ()) -> Person:
    return Person(id=f"p-{len(name)}", name=name, role="am", level=1, cost=0, service_lines=lines)


@pytest.mark.parametrize(
    "person",
    [
        _person("A"),
        _person("B" * 5000, tuple(f"line-{i}" for i in range(200))),
        _person('quote " backslash \\ newline \n emoji 🙂'),
    ],
    ids=["tiny", "huge", "awkward"],
)
def test_records_are_blocks_whatever_their_length(person: Person) -> None:
    agency = Agency(agency=Settings(name="Shape"), people=(person, _person("Z")))
    text = formats.dumps(agency)
    lines = text.splitlines()
    assert lines.count("[[people]]") == 2
    assert not any(line.startswith("people =") for line in lines)
    assert "[agency]" in lines
    assert tomllib.loads(text)["people"][0]["name"] in (person.name, "Z")


def test_tomlout_shape_is_independent_of_length() -> None:
    for width in (1, 10, 500):
        doc = {"table": {"k": "v" * width}, "rows": [{"a": "x" * width, "sub": [{"b": 1}]}]}
        text = tomlout.dumps(doc)
        assert text == (f'[table]\nk = "{"v" * width}"\n\n[[rows]]\na = "{"x" * width}"\n\n[[rows.sub]]\nb = 1\n')
        assert tomllib.loads(text) == doc


def test_rows_are_one_inline_table_per_line() -> None:
    rows = [{"project": "p" * n, "person": "x", "hours": n} for n in (1, 300)]
    text = tomlout.dumps({"accounts": [{"id": "a", "coverage": rows}]}, rows=frozenset({"coverage"}))
    assert text.splitlines()[2:] == [
        "coverage = [",
        '    { project = "p", person = "x", hours = 1 },',
        f'    {{ project = "{"p" * 300}", person = "x", hours = 300 }},',
        "]",
    ]
    assert tomllib.loads(text)["accounts"][0]["coverage"] == rows


@pytest.mark.parametrize("key", ["plain", "with space", "dotted.key", "é", "", 'q"uote', "new\nline"])
def test_awkward_keys_are_quoted(key: str) -> None:
    doc = {"headcount": {key: 1}}
    assert tomllib.loads(tomlout.dumps(doc)) == doc


def test_an_error_place_names_the_records_it_goes_through() -> None:
    from structplan.formats import Problem, named, records_on

    data = {
        "accounts": [{"id": "acme"}, {"id": "globex", "projects": [{"id": "a"}, {"name": "Site"}]}],
        "people": [{"id": "evil\x1b]0;title\x07"}],
        "policy": {"pins": [{"account": "acme"}]},
    }
    assert records_on("accounts[1].projects[1].complexity", data) == "account 'globex', project 'Site'"
    assert records_on("accounts[0]", data) == "account 'acme'"
    assert records_on("policy.pins[0].lead", data) == "pin of account 'acme'"
    assert records_on("people[0].cost", data) == "person 'evil\\x1b]0;title\\x07'"  # written out, never obeyed
    assert records_on("accounts[7].fee", data) == ""  # beyond the file: only the path
    assert records_on("agency.currency", data) == ""
    assert records_on("line 3, column 7", data) == ""
    problem = named([Problem("a.toml", "accounts[1].projects[0].complexity", "7 is outside 1..5")], data)[0]
    assert problem.where == "accounts[1].projects[0].complexity"  # the key path itself is kept
    assert (
        str(problem) == "a.toml: accounts[1].projects[0].complexity (account 'globex', project 'a'): 7 is outside 1..5"
    )
