"""Names a person reads.

Files, pins, diffs' json and the solver refer to records by id; reports, warnings, the text of a
diff and explanations show the account's, project's or person's name instead. Where two records
of one kind share a name, each shows its id in brackets: ``Ana Ruiz (ana-ruiz-2)``. A record
without a name (an older plan file) shows its id.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from structplan.model import Agency, Plan


def _labels(pairs: Iterable[tuple[str, str]]) -> dict[str, str]:
    named = {id_: name for id_, name in pairs}
    seen = Counter(name for name in named.values() if name)
    return {
        id_: (f"{name} ({id_})" if seen[name] > 1 else name) if name and name != id_ else id_
        for id_, name in named.items()
    }


@attrs.frozen
class Names:
    """What to call each account, project and person; an unknown id is shown as it is."""

    accounts: Mapping[str, str] = attrs.field(factory=dict)
    projects: Mapping[str, str] = attrs.field(factory=dict)
    people: Mapping[str, str] = attrs.field(factory=dict)

    @classmethod
    def of(
        cls,
        accounts: Iterable[tuple[str, str]] = (),
        projects: Iterable[tuple[str, str]] = (),
        people: Iterable[tuple[str, str]] = (),
    ) -> Names:
        """Names from (id, name) pairs of each kind."""
        return cls(_labels(accounts), _labels(projects), _labels(people))

    @classmethod
    def of_agency(cls, agency: Agency, hires: Iterable[tuple[str, str]] = ()) -> Names:
        """The agency file's names, and the names of the hires given as (id, name)."""
        return cls.of(
            ((a.id, a.name) for a in agency.accounts),
            ((p.id, p.name) for a in agency.accounts for p in a.projects),
            [*((p.id, p.name) for p in agency.people), *hires],
        )

    @classmethod
    def of_plan(cls, plan: Plan) -> Names:
        """The names a plan file carries (its accounts, projects, people and hires)."""
        people = {h.id: h.name for h in plan.hires} | {p.id: p.name for p in plan.people if p.name}
        return cls.of(
            ((a.id, a.name) for a in plan.accounts),
            ((c.project, c.project_name) for a in plan.accounts for c in a.coverage),
            people.items(),
        )

    def account(self, id_: str) -> str:
        """What to call the account."""
        return self.accounts.get(id_, id_)

    def project(self, id_: str) -> str:
        """What to call the project."""
        return self.projects.get(id_, id_)

    def person(self, id_: str) -> str:
        """What to call the person or hire ("-" for nobody)."""
        return self.people.get(id_, id_) if id_ else "-"

    def persons(self, ids: Iterable[str]) -> str:
        """People named and joined with commas, in the order given."""
        return ", ".join(self.person(i) for i in ids)

    def union(self, other: Names) -> Names:
        """These names, with `other`'s for ids these do not know."""
        return Names(
            {**other.accounts, **self.accounts}, {**other.projects, **self.projects}, {**other.people, **self.people}
        )
