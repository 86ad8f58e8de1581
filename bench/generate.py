#!/usr/bin/env python3
"""Generate realistic, staffable agencies for benchmarks, tests and samples.

    python bench/generate.py --accounts 300 --people 600 --seed 7 -o agency.toml [--stats]
    python bench/generate.py --stats-of sample_agencies/boutique.toml

or, from Python, ``generate(accounts, people, seed) -> structplan.model.Agency``.

The same arguments always give the same agency and the same bytes: every random choice is
drawn from one ``random.Random(seed)`` through its ``random()`` method only, the one part of
the module Python promises to keep stable across versions.

What an agency looks like
-------------------------
* Accounts: invented client names ("Kestrel Logistics", "Alder Foods AG"; more than 6,000
  distinct), about 10% tier 1, 35% tier 2 and 55% tier 3 (exact quotas), yearly fees of
  400k-2M (tier 1), 120k-500k (tier 2) and 30k-150k (tier 3) EUR growing with the work,
  1-6 projects each with complexities skewed by tier (tier 1: flagships of complexity 4-5;
  tier 3: mostly 1-2), each in one of the account's service lines (brand, digital, social,
  media, content, events, crm). Ids ``acc-0001``.. in the order of the client names, project
  ids ``p-0001``.. in account order.
* People: invented names with ids such as ``ana-ruiz``; disciplines am 30%, pm 40%, pmo 3%
  (at least one from 40 people), client_service 7%, support 20%; a pyramid of levels 1-4
  per discipline (AM senior-leaning, support junior); FTE mostly 1.0, some 0.8 and 0.6;
  yearly cost by discipline and level (45k-160k EUR at full time, scaled by FTE); 1-3
  service lines each.
* Today's leads for 85% of the accounts (an AM-discipline person senior enough for the tier,
  not loaded past 80% of the ceiling by leading alone), hiring options for every discipline
  at a few levels, a policy with all three structures, a 0.9 utilization ceiling and two
  lead pins that keep today's lead of the two largest accounts.

Staffable by construction
-------------------------
Effort and seniority come from the bundled ``separate`` layout (the same numbers as every
bundled layout): relationship hours by tier, project hours by complexity, 40 coordination
hours per split account, lead level by tier, project level by complexity, support managing
complexity <= 2 only. Capacity is ``hours_per_fte * fte * utilization_ceiling``.

1. People are sized first. The AM disciplines (am, client_service) grow beyond their share
   only when the accounts' relationship and coordination hours would load them above the
   target; seniors are promoted when tier-1 accounts would overload the level-3+ leads.
2. Projects are fitted to the project staff (pm, pmo, support): for every complexity c, the
   hours of projects of complexity >= c must stay below ``load + 0.05`` of the capacity of the
   people allowed to manage complexity c (complex projects are downgraded, surplus projects
   dropped), and projects are added, up to each account's realistic maximum, until all
   project hours reach ``load - 0.05`` of the project staff's capacity (default load 0.65).
3. Service lines of project staff follow the demand; a max-flow over (service line,
   complexity) demand and (service lines, levels) supply then proves that every project hour
   can be placed on an eligible person, and adds service lines to people where it cannot.
4. ``measure`` re-checks the finished agency (it works on any agency file) and ``generate``
   refuses to return one whose bottleneck is above the ceiling.

With the layout's effort numbers an account needs 80-340 relationship hours a year, so when
there are fewer accounts than people (as in every bundled sample) the AM disciplines stay far
below the target load; the generator keeps their share realistic rather than shrinking it,
and ``--stats`` shows the real figures. Likewise, with three or more people per account even
six projects per account cannot fill the project staff to the target.
"""

from __future__ import annotations

import argparse
import math
import random
import shlex
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import attrs

try:
    from structplan import data, formats
except ModuleNotFoundError:  # run from a checkout without installing
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    from structplan import data, formats
from ortools.graph.python import max_flow

from structplan.model import (
    STRUCTURES,
    Account,
    Agency,
    HiringOption,
    Layout,
    Person,
    Pin,
    Policy,
    Project,
    Settings,
)

# --------------------------------------------------------------------------- the numbers

TARGET_LOAD = 0.65
"""Default share of the ceiling capacity that demand should take (project staff; AM at most)."""
UTILIZATION_CEILING = 0.9
HOURS_PER_FTE = 1600

TIER_SHARE = (0.10, 0.35, 0.55)
FEE_RANGE = {1: (400_000, 2_000_000), 2: (120_000, 500_000), 3: (30_000, 150_000)}
FEE_STEP = {1: 5_000, 2: 5_000, 3: 1_000}
#: Projects an account starts with (inclusive range) and the most it may get while fitting.
PROJECTS_START = {1: (3, 5), 2: (2, 4), 3: (1, 2)}
PROJECTS_MAX = {1: (5, 6), 2: (5, 6), 3: (2, 5)}
#: Relative weight of complexity 1..5 of a project by tier.
COMPLEXITY_WEIGHTS = {1: (8, 17, 30, 27, 18), 2: (18, 34, 32, 13, 3), 3: (40, 40, 17, 3, 0)}
#: How much more often an account of tier 1, 2, 3 is picked when projects are added.
GROWTH_WEIGHT = {1: 3.0, 2: 2.0, 3: 1.0}

SERVICE_LINES = ("brand", "digital", "social", "media", "content", "events", "crm")
LINE_WEIGHTS = (16, 22, 16, 12, 14, 9, 11)

DISCIPLINE_SHARE = {"am": 0.30, "pm": 0.40, "pmo": 0.03, "client_service": 0.07, "support": 0.20}
AM_DISCIPLINES = ("am", "client_service")
#: Share of levels 1..4 by discipline: the pyramid.
LEVEL_SHARE = {
    "am": (0.12, 0.38, 0.33, 0.17),
    "client_service": (0.10, 0.40, 0.35, 0.15),
    "pm": (0.15, 0.42, 0.31, 0.12),
    "pmo": (0.0, 0.0, 0.60, 0.40),
    "support": (0.70, 0.30, 0.0, 0.0),
}
#: Fully loaded yearly cost of a full-time person by discipline and level 1..4.
BASE_COST = {
    "am": (48_000, 62_000, 88_000, 130_000),
    "client_service": (50_000, 66_000, 92_000, 135_000),
    "pm": (47_000, 60_000, 82_000, 115_000),
    "pmo": (70_000, 78_000, 105_000, 150_000),
    "support": (45_000, 52_000, 60_000, 70_000),
}
FTE_CHOICES = ((1.0, 0.85), (0.8, 0.10), (0.6, 0.05))
LINES_PER_PERSON = ((1, 0.35), (2, 0.45), (3, 0.20))
LEAD_SHARE = 0.85
PINS = 2

#: (id, title, discipline, level, max per 100 people (at least 1)).
HIRING = (
    ("hire-account-manager", "Account Manager", "am", 2, 1.0),
    ("hire-account-director", "Account Director", "am", 3, 0.5),
    ("hire-client-service-lead", "Client Service Lead", "client_service", 3, 0.5),
    ("hire-project-coordinator", "Project Coordinator", "support", 1, 1.5),
    ("hire-project-manager", "Project Manager", "pm", 2, 1.0),
    ("hire-senior-pm", "Senior PM", "pm", 3, 1.0),
    ("hire-delivery-manager", "Delivery/PMO Manager", "pmo", 3, 0.3),
)
HIRING_PREMIUM = 1.08

# --------------------------------------------------------------------------- names

FIRST_NAMES = (
    "Ana",
    "Lucas",
    "Sofia",
    "Mateo",
    "Emma",
    "Noah",
    "Mia",
    "Leon",
    "Lea",
    "Finn",
    "Clara",
    "Jonas",
    "Marta",
    "Pablo",
    "Elena",
    "Marco",
    "Giulia",
    "Luca",
    "Chiara",
    "Matteo",
    "Sara",
    "Hugo",
    "Chloé",
    "Louis",
    "Camille",
    "Jules",
    "Inès",
    "Max",
    "Anna",
    "Paul",
    "Laura",
    "Tom",
    "Julia",
    "Nina",
    "Felix",
    "Hanna",
    "Oskar",
    "Ida",
    "Elias",
    "Maja",
    "Emil",
    "Freja",
    "Liam",
    "Olivia",
    "Ava",
    "James",
    "Grace",
    "Oliver",
    "Amelia",
    "Harry",
    "Isla",
    "Jack",
    "Ella",
    "Daan",
    "Sanne",
    "Bram",
    "Femke",
    "Lars",
    "Ingrid",
    "Nils",
    "Astrid",
    "Mikkel",
    "Sigrid",
    "Jakub",
    "Zofia",
    "Kacper",
    "Zuzanna",
    "Tomasz",
    "Agnieszka",
    "Piotr",
    "Katarzyna",
    "João",
    "Beatriz",
    "Tiago",
    "Rui",
    "Mariana",
    "Diego",
    "Lucía",
    "Javier",
    "Carmen",
    "Álvaro",
    "Irene",
    "Andrés",
    "Nuria",
    "Sergio",
    "Alba",
    "Dimitri",
    "Eleni",
    "Nikos",
    "Ioanna",
    "Aylin",
    "Emre",
    "Selin",
    "Can",
    "Amira",
    "Karim",
    "Yasmin",
    "Omar",
    "Priya",
    "Arjun",
    "Mei",
    "Kenji",
    "Hana",
    "Tariq",
    "Leila",
    "Samir",
    "Chidi",
    "Ada",
    "Kwame",
    "Zara",
    "Maëlle",
    "Théo",
    "Margaux",
    "Baptiste",
    "Anouk",
    "Sven",
    "Greta",
    "Moritz",
    "Frieda",
    "Anton",
    "Lotte",
    "Vera",
    "Igor",
    "Ilse",
    "Rosa",
    "Bruno",
    "Alma",
    "Otto",
    "Elsa",
    "Fatima",
    "Youssef",
    "Noor",
)
LAST_NAMES = (
    "Ruiz",
    "García",
    "Fernández",
    "López",
    "Gil",
    "Sánchez",
    "Moreno",
    "Navarro",
    "Romero",
    "Torres",
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Schulz",
    "Koch",
    "Rossi",
    "Russo",
    "Ferrari",
    "Esposito",
    "Bianchi",
    "Romano",
    "Colombo",
    "Ricci",
    "Marino",
    "Greco",
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Richard",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "de Vries",
    "Jansen",
    "van Dijk",
    "Bakker",
    "Visser",
    "Smit",
    "Meijer",
    "de Boer",
    "Mulder",
    "Bos",
    "Smith",
    "Jones",
    "Taylor",
    "Brown",
    "Williams",
    "Wilson",
    "Evans",
    "Walker",
    "Wright",
    "Hughes",
    "Hansen",
    "Nielsen",
    "Jensen",
    "Larsen",
    "Andersen",
    "Lindqvist",
    "Johansson",
    "Eriksson",
    "Berg",
    "Nyström",
    "Kowalski",
    "Nowak",
    "Wiśniewski",
    "Wójcik",
    "Lewandowski",
    "Silva",
    "Santos",
    "Ferreira",
    "Pereira",
    "Costa",
    "Oliveira",
    "Almeida",
    "Papadopoulos",
    "Georgiou",
    "Yılmaz",  # noqa: RUF001 - a Turkish name, spelled as it is
    "Kaya",
    "Demir",
    "Haddad",
    "Mansour",
    "Khan",
    "Patel",
    "Sharma",
    "Tanaka",
    "Sato",
    "Chen",
    "Wang",
    "Okafor",
    "Mensah",
    "Novak",
    "Horvat",
    "Kovač",
    "Dvořák",
    "Svoboda",
    "Nagy",
    "Szabó",
    "Popescu",
    "Ionescu",
    "Petrov",
    "O'Brien",
    "Murphy",
    "Kelly",
    "Byrne",
    "Lambert",
    "Fontaine",
    "Keller",
    "Brunner",
    "Huber",
    "Gruber",
    "Bauer",
    "Vogel",
    "Frank",
    "Lindgren",
    "Holm",
    "Virtanen",
    "Korhonen",
    "Laine",
    "Costa Reis",
    "El Amrani",
    "Benali",
    "Dahl",
    "Strand",
    "Aalto",
)
CLIENT_ROOTS = (
    "Alder",
    "Amberly",
    "Arcadia",
    "Ashford",
    "Aurora",
    "Avalon",
    "Beacon",
    "Birchwood",
    "Bluecrest",
    "Boreal",
    "Brightwater",
    "Briarwood",
    "Calder",
    "Cascade",
    "Cedar",
    "Clearwater",
    "Cobalt",
    "Copperfield",
    "Coral",
    "Crestline",
    "Driftwood",
    "Eastgate",
    "Ember",
    "Evergreen",
    "Fairhaven",
    "Falcon",
    "Fernhill",
    "Fjord",
    "Foxglove",
    "Glenmore",
    "Granite",
    "Greystone",
    "Halcyon",
    "Harbor",
    "Hawthorn",
    "Heron",
    "Highland",
    "Horizon",
    "Indigo",
    "Ironbridge",
    "Isola",
    "Juniper",
    "Kestrel",
    "Kingsley",
    "Lakeside",
    "Lark",
    "Linden",
    "Lumen",
    "Maple",
    "Marlow",
    "Meridian",
    "Millbrook",
    "Monarch",
    "Mosswood",
    "Nimbus",
    "Northwind",
    "Oakridge",
    "Onyx",
    "Orchid",
    "Pacifica",
    "Pebble",
    "Pinnacle",
    "Polaris",
    "Primrose",
    "Quarry",
    "Quill",
    "Radiant",
    "Redwood",
    "Ridgeway",
    "Riverstone",
    "Rowan",
    "Saffron",
    "Sable",
    "Seabright",
    "Sentinel",
    "Silverline",
    "Solstice",
    "Sparrow",
    "Stonebridge",
    "Summit",
    "Sunfield",
    "Tamarind",
    "Terra",
    "Thistle",
    "Tidewater",
    "Torren",
    "Upland",
    "Valora",
    "Vantage",
    "Velvet",
    "Verde",
    "Westbrook",
    "Whitfield",
    "Willow",
    "Wren",
    "Yarrow",
    "Zenith",
    "Zephyr",
    "Alpina",
    "Baltica",
    "Castellan",
    "Delmar",
)
CLIENT_TRADES = (
    "Foods",
    "Logistics",
    "Pharma",
    "Bank",
    "Insurance",
    "Motors",
    "Telecom",
    "Energy",
    "Retail",
    "Cosmetics",
    "Brewery",
    "Airlines",
    "Hotels",
    "Fashion",
    "Sports",
    "Software",
    "Health",
    "Dairy",
    "Coffee",
    "Mobility",
    "Outdoor",
    "Home",
    "Furniture",
    "Toys",
    "Pet Care",
    "Beverages",
    "Publishing",
    "Games",
    "Travel",
    "Optics",
    "Jewellery",
    "Chemicals",
    "Robotics",
    "Solar",
    "Water",
    "Realty",
    "Capital",
    "Labs",
    "Bakery",
    "Wines",
    "Fitness",
    "Clinics",
    "Cycles",
    "Audio",
    "Apparel",
    "Snacks",
    "Tea",
    "Payments",
    "Education",
    "Studios",
    "Marine",
    "Garden",
)
CLIENT_SUFFIXES = (
    ("", 24),
    (" Group", 2),
    (" & Co", 1),
    (" AG", 1),
    (" SA", 1),
    (" GmbH", 1),
    (" Ltd", 1),
    (" BV", 1),
    (" Holding", 1),
    (" International", 1),
)
AGENCY_WORDS = ("Collective", "& Partners", "Agency", "Studio", "Group", "Works")

#: Project names by service line, each with the complexities it usually comes in.
PROJECT_NAMES: dict[str, tuple[tuple[str, int, int], ...]] = {
    "brand": (
        ("Brand platform", 3, 5),
        ("Rebrand", 4, 5),
        ("Visual identity", 2, 4),
        ("Brand guidelines", 1, 2),
        ("Naming", 1, 3),
        ("Packaging redesign", 2, 4),
        ("Brand tracking", 1, 2),
        ("Brand refresh", 2, 3),
        ("Brand architecture", 3, 5),
        ("Tone of voice", 1, 2),
    ),
    "digital": (
        ("Website relaunch", 3, 5),
        ("E-commerce platform", 4, 5),
        ("App redesign", 3, 5),
        ("Product pages", 1, 2),
        ("Customer portal", 3, 5),
        ("Landing pages", 1, 2),
        ("Digital ads", 1, 2),
        ("SEO programme", 1, 3),
        ("Web analytics setup", 2, 3),
        ("Accessibility audit", 1, 2),
    ),
    "social": (
        ("Always-on social", 1, 3),
        ("Influencer programme", 2, 4),
        ("Community management", 1, 2),
        ("Social campaign", 2, 3),
        ("Creator series", 2, 3),
        ("Short-form video", 1, 2),
        ("Social commerce launch", 3, 5),
        ("Social listening", 1, 2),
        ("Social hub", 4, 5),
    ),
    "media": (
        ("Media planning", 2, 4),
        ("Programmatic buying", 2, 4),
        ("Paid search", 1, 2),
        ("Media flight", 1, 3),
        ("Out-of-home campaign", 2, 3),
        ("Sponsorship", 3, 5),
        ("Media review", 3, 4),
        ("Retail media", 2, 3),
        ("Cross-market media plan", 4, 5),
    ),
    "content": (
        ("Content hub", 3, 4),
        ("Video series", 2, 3),
        ("Editorial calendar", 1, 2),
        ("Podcast", 1, 3),
        ("Photo shoot", 1, 2),
        ("Customer magazine", 2, 3),
        ("Content factory", 4, 5),
        ("Product content", 1, 2),
        ("Documentary film", 3, 5),
    ),
    "events": (
        ("Annual conference", 3, 5),
        ("Trade fair stand", 2, 4),
        ("Product launch event", 3, 4),
        ("Roadshow", 2, 4),
        ("Dealer meeting", 1, 2),
        ("Customer summit", 2, 3),
        ("Webinar series", 1, 2),
        ("Sales kick-off", 2, 3),
        ("World tour", 5, 5),
    ),
    "crm": (
        ("CRM journeys", 2, 4),
        ("Loyalty programme", 3, 5),
        ("Email automation", 2, 3),
        ("Newsletter", 1, 1),
        ("Lead nurturing", 1, 3),
        ("Customer data platform", 4, 5),
        ("Marketing automation migration", 4, 5),
        ("Preference centre", 1, 2),
        ("Win-back campaign", 1, 2),
    ),
}
SCOPE_WORDS = {5: ("Global", "Pan-European"), 4: ("International", "Multi-market")}
SCOPE_SHARE = 0.4


# --------------------------------------------------------------------------- randomness


class Rng:
    """Seeded choices built on `random.Random.random` alone (stable across Python versions)."""

    def __init__(self, seed: int) -> None:
        self._r = random.Random(seed)

    def random(self) -> float:
        return self._r.random()

    def below(self, n: int) -> int:
        """0 <= i < n."""
        return min(int(self._r.random() * n), n - 1)

    def between(self, low: int, high: int) -> int:
        """low <= i <= high."""
        return low + self.below(high - low + 1)

    def pick(self, seq: Sequence):
        return seq[self.below(len(seq))]

    def weighted(self, weights: Sequence[float]) -> int:
        """An index, drawn with the given relative weights."""
        x = self._r.random() * sum(weights)
        last = 0
        for i, w in enumerate(weights):
            if w > 0:
                last = i
                x -= w
                if x < 0:
                    return i
        return last

    def shuffle(self, items: list) -> None:
        for i in range(len(items) - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]

    def sample(self, n: int, k: int) -> list[int]:
        """k distinct numbers of range(n), in random order (sparse Fisher-Yates)."""
        moved: dict[int, int] = {}
        out = []
        for i in range(k):
            j = i + self.below(n - i)
            out.append(moved.get(j, j))
            moved[j] = moved.get(i, i)
        return out


def quota(total: int, shares: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `shares` (largest remainder, ties to the first)."""
    s = sum(shares)
    if total <= 0 or s <= 0:
        return [0] * len(shares)
    raw = [total * x / s for x in shares]
    out = [math.floor(r) for r in raw]
    order = sorted(range(len(shares)), key=lambda i: (-(raw[i] - out[i]), i))
    for i in order[: total - sum(out)]:
        out[i] += 1
    return out


def slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    out = "".join(c if c.isalnum() else "-" for c in ascii_text.lower())
    return "-".join(part for part in out.split("-") if part)


# --------------------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rules:
    """The numbers of a layout that decide whether an agency can be staffed."""

    hours_per_fte: int
    ceiling: float
    account_hours: tuple[int, ...]
    coordination: int
    project_hours: tuple[int, ...]
    lead_level: tuple[int, ...]
    project_level: tuple[int, ...]
    leads: frozenset[str]
    """Disciplines whose role leads split accounts."""
    covers: dict[str, int]
    """Discipline -> highest complexity its role manages in split accounts."""

    def capacity(self, fte: float) -> float:
        return self.hours_per_fte * fte * self.ceiling

    def lead_hours(self, tier: int) -> int:
        return self.account_hours[tier - 1] + self.coordination

    def hours(self, project: Project) -> int:
        if project.effort_hours is not None:
            return project.effort_hours
        return self.project_hours[project.complexity - 1]

    def can_lead(self, role: str, level: int, tier: int) -> bool:
        return role in self.leads and level >= self.lead_level[tier - 1]

    def can_manage(self, role: str, level: int, complexity: int) -> bool:
        return complexity <= self.covers.get(role, 0) and level >= self.project_level[complexity - 1]


def rules_for(
    hours_per_fte: int = HOURS_PER_FTE,
    ceiling: float = UTILIZATION_CEILING,
    separate: Layout | None = None,
) -> Rules:
    """Rules from the bundled separate layout (or the one given)."""
    separate = separate or formats.load_layout(data.layout_path("separate"))
    leads = frozenset(d for r in separate.roles if "split" in r.leads for d in r.staffed_by)
    covers = {d: r.max_complexity for r in separate.roles if "split" in r.covers for d in r.staffed_by}
    return Rules(
        hours_per_fte=hours_per_fte,
        ceiling=ceiling,
        account_hours=tuple(separate.effort.account_hours_by_tier),
        coordination=separate.effort.coordination_hours,
        project_hours=tuple(separate.effort.project_hours_by_complexity),
        lead_level=tuple(separate.seniority.lead_level_by_tier),
        project_level=tuple(separate.seniority.project_level_by_complexity),
        leads=leads,
        covers=covers,
    )


_RULES: dict[tuple[int, float], Rules] = {}


def _rules(hours_per_fte: int, ceiling: float) -> Rules:
    key = (hours_per_fte, ceiling)
    if key not in _RULES:
        _RULES[key] = rules_for(hours_per_fte, ceiling)
    return _RULES[key]


# --------------------------------------------------------------------------- measuring


def _bottleneck(
    demand: dict[object, int],
    supply: dict[object, float],
    eligible: callable,  # type: ignore[valid-type]
) -> float:
    """The smallest share of every supply that still carries all demand (max-flow, bisection).

    This is the highest utilization some group of people must reach: at most 1.0 means the
    demand fits (as divisible hours), above 1.0 means it cannot.
    """
    demand = {k: v for k, v in demand.items() if v > 0}
    total = sum(demand.values())
    if total == 0:
        return 0.0
    dkeys = sorted(demand, key=repr)
    skeys = sorted((k for k, v in supply.items() if v > 0), key=repr)
    arcs = [(i, j) for i, d in enumerate(dkeys) for j, s in enumerate(skeys) if eligible(d, s)]
    if {i for i, _ in arcs} != set(range(len(dkeys))):
        return math.inf
    source, sink = 0, 1 + len(dkeys) + len(skeys)

    def feasible(scale: float) -> bool:
        flow = max_flow.SimpleMaxFlow()
        for i, d in enumerate(dkeys):
            flow.add_arc_with_capacity(source, 1 + i, demand[d])
        for i, j in arcs:
            flow.add_arc_with_capacity(1 + i, 1 + len(dkeys) + j, total)
        for j, s in enumerate(skeys):
            flow.add_arc_with_capacity(1 + len(dkeys) + j, sink, int(supply[s] * scale))
        flow.solve(source, sink)
        return flow.optimal_flow() >= total

    high = 1.0
    while not feasible(high):
        high *= 2
        if high > 1e6:
            return math.inf
    low = 0.0
    while high - low > 0.001:
        mid = (low + high) / 2
        if feasible(mid):
            high = mid
        else:
            low = mid
    return high


def _lead_flow(agency: Agency, rules: Rules) -> float:
    demand: dict[object, int] = {}
    for a in agency.accounts:
        demand[a.tier] = demand.get(a.tier, 0) + rules.lead_hours(a.tier)
    supply: dict[object, float] = {}
    for p in agency.people:
        if p.role in rules.leads:
            supply[p.level] = supply.get(p.level, 0.0) + rules.capacity(p.fte)
    return _bottleneck(demand, supply, lambda tier, level: level >= rules.lead_level[tier - 1])


def _project_flow(agency: Agency, rules: Rules) -> float:
    demand: dict[object, int] = {}
    for a in agency.accounts:
        for pr in a.projects:
            key = (pr.service_line, pr.complexity)
            demand[key] = demand.get(key, 0) + rules.hours(pr)
    supply: dict[object, float] = {}
    for p in agency.people:
        elig = tuple(c for c in range(1, 6) if rules.can_manage(p.role, p.level, c))
        if elig:
            key = (tuple(sorted(p.service_lines)), elig)
            supply[key] = supply.get(key, 0.0) + rules.capacity(p.fte)

    def eligible(d: tuple[str, int], s: tuple[tuple[str, ...], tuple[int, ...]]) -> bool:
        line, complexity = d
        lines, elig = s
        return complexity in elig and (not line or not lines or line in lines)

    return _bottleneck(demand, supply, eligible)


@dataclass(frozen=True)
class Stats:
    """Demand against capacity (hours a year at the utilization ceiling)."""

    accounts: int
    projects: int
    people: int
    relationship: int
    """Relationship hours of all accounts."""
    coordination: int
    """Coordination hours if every account is split (the separate structure)."""
    lead_capacity: int
    """Capacity of the disciplines that lead accounts (am, client_service)."""
    top_tier_hours: int
    """Relationship and coordination hours of accounts that need the most senior lead."""
    top_tier_capacity: int
    """Capacity of lead disciplines senior enough for them."""
    project_hours: int
    """Project-management hours of all projects."""
    project_capacity: int
    """Capacity of the disciplines that manage projects (pm, pmo, support)."""
    complex_hours: int
    """Hours of projects that need the most senior project manager (complexity 4-5)."""
    complex_capacity: int
    """Capacity of project managers senior enough for them."""
    lead_bottleneck: float
    """Highest utilization some group of leads must reach to lead every account (max-flow)."""
    project_bottleneck: float
    """Same for project management, with service lines and seniority (max-flow)."""

    @property
    def bottleneck(self) -> float:
        return max(self.lead_bottleneck, self.project_bottleneck)

    @property
    def staffable(self) -> bool:
        """Whether separate (and so hybrid) can staff every account without hiring."""
        return self.bottleneck <= 1.0

    def line(self) -> str:
        def pct(a: int, b: int) -> str:
            return f"{100 * a / b:.0f}%" if b else "n/a"

        def h(x: int) -> str:
            return f"{x:,} h"

        verdict = "staffable" if self.staffable else "NOT staffable"
        bottleneck = "inf" if math.isinf(self.bottleneck) else f"{100 * self.bottleneck:.0f}%"
        return (
            f"{self.accounts} accounts, {self.projects} projects, {self.people} people: "
            f"relationship {h(self.relationship)} / AM capacity {h(self.lead_capacity)} "
            f"({pct(self.relationship, self.lead_capacity)}; "
            f"{pct(self.relationship + self.coordination, self.lead_capacity)} with coordination); "
            f"projects {h(self.project_hours)} / PM+PMO+support capacity {h(self.project_capacity)} "
            f"({pct(self.project_hours, self.project_capacity)}); "
            f"tier-1 leads {pct(self.top_tier_hours, self.top_tier_capacity)} of senior AM; "
            f"complexity 4-5 {pct(self.complex_hours, self.complex_capacity)} of senior PM; "
            f"bottleneck {bottleneck} of ceiling: {verdict}"
        )


def measure(agency: Agency, rules: Rules | None = None) -> Stats:
    """Demand against capacity of any agency, with the bundled layouts' numbers."""
    rules = rules or _rules(agency.agency.hours_per_fte, agency.policy.utilization_ceiling)
    top_level = max(rules.lead_level)
    complex_level = max(rules.project_level)
    lead_cap = top_cap = project_cap = complex_cap = 0.0
    for p in agency.people:
        cap = rules.capacity(p.fte)
        if p.role in rules.leads:
            lead_cap += cap
            if p.level >= top_level:
                top_cap += cap
        if p.role in rules.covers:
            project_cap += cap
            if rules.can_manage(p.role, p.level, 5):
                complex_cap += cap
    relationship = sum(rules.account_hours[a.tier - 1] for a in agency.accounts)
    top_hours = sum(rules.lead_hours(a.tier) for a in agency.accounts if rules.lead_level[a.tier - 1] >= top_level)
    project_hours = complex_hours = 0
    for a in agency.accounts:
        for pr in a.projects:
            hours = rules.hours(pr)
            project_hours += hours
            if rules.project_level[pr.complexity - 1] >= complex_level:
                complex_hours += hours
    return Stats(
        accounts=len(agency.accounts),
        projects=sum(len(a.projects) for a in agency.accounts),
        people=len(agency.people),
        relationship=relationship,
        coordination=rules.coordination * len(agency.accounts),
        lead_capacity=int(lead_cap),
        top_tier_hours=top_hours,
        top_tier_capacity=int(top_cap),
        project_hours=project_hours,
        project_capacity=int(project_cap),
        complex_hours=complex_hours,
        complex_capacity=int(complex_cap),
        lead_bottleneck=_lead_flow(agency, rules),
        project_bottleneck=_project_flow(agency, rules),
    )


# --------------------------------------------------------------------------- generating


@dataclass(eq=False)
class _Person:
    role: str
    level: int
    fte: float = 1.0
    cost: int = 0
    name: str = ""
    id: str = ""
    lines: list[str] = field(default_factory=list)
    lead_load: float = 0.0


@dataclass(eq=False)
class _Project:
    complexity: int
    line: str = ""
    name: str = ""


@dataclass(eq=False)
class _Account:
    tier: int
    max_projects: int
    projects: list[_Project] = field(default_factory=list)
    lines: list[str] = field(default_factory=list)
    name: str = ""
    fee: int = 0
    lead: _Person | None = None
    id: str = ""


def generate(accounts: int, people: int, seed: int, load: float = TARGET_LOAD) -> Agency:
    """A realistic agency of `accounts` clients and `people` staff, the same for the same seed.

    `load` is the share of the ceiling capacity the project work should take (0.3..0.85).
    Raises ValueError when the accounts cannot be staffed by so few people.
    """
    if accounts < 1:
        raise ValueError("an agency needs at least 1 account")
    if people < 4:
        raise ValueError("an agency needs at least 4 people (AM, PM and support)")
    if not 0.3 <= load <= 0.85:
        raise ValueError(f"load {load} is outside 0.3..0.85")
    rng = Rng(seed)
    rules = _rules(HOURS_PER_FTE, UTILIZATION_CEILING)
    high, low = load + 0.05, load - 0.05

    tiers = [t for t, n in zip((1, 2, 3), quota(accounts, TIER_SHARE), strict=False) for _ in range(n)]
    rng.shuffle(tiers)
    staff = _make_people(people, tiers, rules, rng, high)
    accts = [_Account(t, rng.between(*PROJECTS_MAX[t])) for t in tiers]
    _make_projects(accts, staff, rules, rng, high, low)
    _set_fees(accts, rules, rng)
    _name_accounts(accts, rng)
    _set_lines(accts, staff, rules, rng)
    _name_projects(accts, rng)
    _set_leads(accts, staff, rules, rng)
    _name_people(staff, rng)
    agency = _build(accts, staff, people, rng)
    stats = measure(agency, rules)
    if not stats.staffable:  # pragma: no cover - the construction above prevents it
        raise RuntimeError(f"generated an agency that cannot be staffed: {stats.line()}")
    return agency


def _make_people(n: int, tiers: list[int], rules: Rules, rng: Rng, high: float) -> list[_Person]:
    roles = list(DISCIPLINE_SHARE)
    counts = dict(zip(roles, quota(n, list(DISCIPLINE_SHARE.values())), strict=False))
    if n >= 40 and counts["pmo"] == 0:
        counts["pmo"], counts["pm"] = 1, counts["pm"] - 1
    for role in ("am", "pm"):
        if counts[role] == 0:
            donor = max(counts, key=lambda r: counts[r])
            counts[donor] -= 1
            counts[role] += 1
    # Grow the AM disciplines when the accounts need more lead hours than they have at `high`.
    lead_demand = sum(rules.lead_hours(t) for t in tiers)
    mean_fte = sum(f * w for f, w in FTE_CHOICES)
    per_lead = rules.capacity(mean_fte) * (1 - LEVEL_SHARE["am"][0])
    needed = math.ceil(lead_demand / (high * per_lead))
    have = counts["am"] + counts["client_service"]
    if needed > have:
        if needed > 0.75 * n:
            raise ValueError(
                f"{len(tiers)} accounts need about {needed} account managers; "
                f"{n} people are too few (give at least {math.ceil(needed / 0.75)})"
            )
        extra = needed - have
        take = dict(zip(("pm", "support"), quota(extra, (counts["pm"], counts["support"])), strict=False))
        for role, k in take.items():
            counts[role] -= k
        add = dict(zip(AM_DISCIPLINES, quota(extra, (0.30, 0.07)), strict=False))
        for role, k in add.items():
            counts[role] += k

    staff: list[_Person] = []
    for role in roles:
        for level, k in zip((1, 2, 3, 4), quota(counts[role], LEVEL_SHARE[role]), strict=False):
            staff.extend(_Person(role, level) for _ in range(k))
    rng.shuffle(staff)
    for p in staff:
        p.fte = FTE_CHOICES[rng.weighted([w for _, w in FTE_CHOICES])][0]

    # Promote leads until tier-1 accounts (and then all accounts) fit the senior AMs.
    for tier in sorted(set(tiers)):
        need_level = rules.lead_level[tier - 1]
        demand = sum(rules.lead_hours(t) for t in tiers if rules.lead_level[t - 1] >= need_level)
        while True:
            able = [p for p in staff if p.role in rules.leads and p.level >= need_level]
            if demand <= high * sum(rules.capacity(p.fte) for p in able):
                break
            below = [p for p in staff if p.role in rules.leads and p.level < need_level]
            if not below:
                raise ValueError(f"{len(tiers)} accounts need more senior account managers than {n} people can hold")
            below.sort(key=lambda p: -p.level)
            below[0].level += 1

    for p in staff:
        base = BASE_COST[p.role][p.level - 1]
        jitter = 0.92 + 0.16 * rng.random()
        p.cost = round(base * jitter * p.fte / 500.0) * 500
    return staff


def _make_projects(
    accts: list[_Account], staff: list[_Person], rules: Rules, rng: Rng, high: float, low: float
) -> None:
    """Projects per account, fitted to the capacity of the project staff (see module doc)."""
    cap = [0.0] * 6  # cap[c]: capacity of people who may manage complexity c
    for p in staff:
        for c in range(1, 6):
            if rules.can_manage(p.role, p.level, c):
                cap[c] += rules.capacity(p.fte)
    hours = (0, *rules.project_hours)
    suffix = [0.0] * 7  # suffix[c]: hours of projects of complexity >= c

    def add(account: _Account, complexity: int) -> None:
        account.projects.append(_Project(complexity))
        for c in range(1, complexity + 1):
            suffix[c] += hours[complexity]

    def fits(complexity: int) -> bool:
        return all(suffix[c] + hours[complexity] <= high * cap[c] for c in range(1, complexity + 1))

    for a in accts:
        for _ in range(rng.between(*PROJECTS_START[a.tier])):
            add(a, 1 + rng.weighted(COMPLEXITY_WEIGHTS[a.tier]))

    everything = [(a, pr) for a in accts for pr in a.projects]

    def random_project(min_c: int, avoid_flagships: bool) -> tuple[_Account, _Project] | None:
        def ok(a: _Account, pr: _Project) -> bool:
            if pr not in a.projects or pr.complexity < min_c:
                return False
            return not (avoid_flagships and a.tier == 1)

        for _ in range(64):
            a, pr = rng.pick(everything)
            if ok(a, pr):
                return a, pr
        found = [(a, pr) for a, pr in everything if ok(a, pr)]
        return rng.pick(found) if found else None

    # 1. Remove overload: downgrade complex projects, drop surplus ones.
    while True:
        over = [c for c in range(5, 0, -1) if suffix[c] > high * cap[c]]
        if not over:
            break
        c = over[0]
        if c > 1:
            hit = random_project(c, True) or random_project(c, False)
            if hit is None:
                raise ValueError("the project staff cannot hold the accounts' projects")
            _, pr = hit
            for k in range(1, pr.complexity + 1):
                suffix[k] -= hours[pr.complexity]
            pr.complexity -= 1
            for k in range(1, pr.complexity + 1):
                suffix[k] += hours[pr.complexity]
            continue
        multi = [a for a in accts if len(a.projects) > 1]
        if not multi:
            # Every account is down to one project: make them all as small as possible.
            big = [pr for a in accts for pr in a.projects if pr.complexity > 1]
            if not big:
                raise ValueError(f"{len(accts)} accounts need more project staff than {len(staff)} people hold")
            pr = rng.pick(big)
            for k in range(1, pr.complexity + 1):
                suffix[k] -= hours[pr.complexity]
            pr.complexity -= 1
            for k in range(1, pr.complexity + 1):
                suffix[k] += hours[pr.complexity]
            continue
        a = rng.pick(multi)
        pr = a.projects.pop(rng.below(len(a.projects)))
        for k in range(1, pr.complexity + 1):
            suffix[k] -= hours[pr.complexity]

    # 2. Fill: add projects (at most each account's maximum) until the target load is reached.
    growing = [a for a in accts if len(a.projects) < a.max_projects]
    while suffix[1] < low * cap[1] and growing:
        i = rng.below(len(growing))
        a = growing[i]
        if rng.random() * 3.0 > GROWTH_WEIGHT[a.tier]:
            continue
        c = 1 + rng.weighted(COMPLEXITY_WEIGHTS[a.tier])
        while c > 1 and not fits(c):
            c -= 1
        if not fits(c):
            break
        add(a, c)
        if len(a.projects) >= a.max_projects:
            growing[i] = growing[-1]
            growing.pop()
    for a in accts:
        a.projects.sort(key=lambda pr: -pr.complexity)


def _set_fees(accts: list[_Account], rules: Rules, rng: Rng) -> None:
    """Fees grow with the work: rank of the account's hours within its tier, plus chance."""
    for tier in (1, 2, 3):
        group = [a for a in accts if a.tier == tier]
        load = {
            id(a): rules.account_hours[tier - 1] + sum(rules.project_hours[p.complexity - 1] for p in a.projects)
            for a in group
        }
        order = sorted(range(len(group)), key=lambda i: load[id(group[i])])
        lo, hi = FEE_RANGE[tier]
        for rank, i in enumerate(order):
            u = 0.55 * (rank + 0.5) / len(group) + 0.45 * rng.random()
            fee = lo * (hi / lo) ** u
            group[i].fee = round(fee / FEE_STEP[tier]) * FEE_STEP[tier]


def _name_accounts(accts: list[_Account], rng: Rng) -> None:
    """Distinct client names: invented roots, then family names ("Keller Foods"), by trade.

    Small agencies draw from the invented roots only; large ones also from family names
    (12,000 distinct names in all); beyond that a legal suffix keeps names apart.
    """
    suffixes = [s for s, _ in CLIENT_SUFFIXES]
    weights = [w for _, w in CLIENT_SUFFIXES]
    trades = len(CLIENT_TRADES)
    roots = list(CLIENT_ROOTS)
    if len(accts) > len(roots) * trades // 2:
        roots += [n for n in LAST_NAMES if n not in roots]
    pairs = len(roots) * trades
    names = []
    if len(accts) <= len(roots):  # few clients: no two share a root
        for k in rng.sample(len(roots), len(accts)):
            suffix = suffixes[rng.weighted(weights)]
            names.append(f"{roots[k]} {rng.pick(CLIENT_TRADES)}{suffix}")
    elif len(accts) <= pairs:
        for k in rng.sample(pairs, len(accts)):
            suffix = suffixes[rng.weighted(weights)]
            names.append(f"{roots[k % len(roots)]} {CLIENT_TRADES[k // len(roots)]}{suffix}")
    else:
        for k in rng.sample(pairs * len(suffixes), len(accts)):
            base, s = divmod(k, len(suffixes))
            names.append(f"{roots[base % len(roots)]} {CLIENT_TRADES[base // len(roots)]}{suffixes[s]}")
    for a, name in zip(accts, names, strict=False):
        a.name = name
    accts.sort(key=lambda a: (a.name.lower(), a.name))
    width = max(4, len(str(len(accts))))
    for i, a in enumerate(accts, 1):
        a.id = f"acc-{i:0{width}d}"


def _set_lines(accts: list[_Account], staff: list[_Person], rules: Rules, rng: Rng) -> None:
    """Service lines of accounts and projects, then of people to match the demand."""
    for a in accts:
        extra = {1: (1, 2, 2), 2: (0, 1, 1, 2), 3: (0, 0, 1)}[a.tier]
        lines = [SERVICE_LINES[rng.weighted(LINE_WEIGHTS)]]
        for _ in range(rng.pick(extra)):
            weights = [0 if s in lines else w for s, w in zip(SERVICE_LINES, LINE_WEIGHTS, strict=False)]
            lines.append(SERVICE_LINES[rng.weighted(weights)])
        a.lines = lines
        for i, pr in enumerate(a.projects):
            others = lines[1:]
            pr.line = lines[0] if i == 0 or not others or rng.random() < 0.5 else rng.pick(others)

    # People who manage projects: primary lines by quota of the demand they are for.
    demand = {(pr.line, pr.complexity): 0 for a in accts for pr in a.projects}
    for a in accts:
        for pr in a.projects:
            demand[(pr.line, pr.complexity)] += rules.project_hours[pr.complexity - 1]
    managers = [p for p in staff if p.role in rules.covers]
    top = {id(p): max((c for c in range(1, 6) if rules.can_manage(p.role, p.level, c)), default=0) for p in managers}
    bands = sorted({top[id(p)] for p in managers if top[id(p)] > 0})
    for i, band in enumerate(bands):
        floor = bands[i - 1] if i else 0
        group = [p for p in managers if top[id(p)] == band]
        weights = [sum(h for (line, c), h in demand.items() if line == s and floor < c <= band) for s in SERVICE_LINES]
        if not any(weights):
            weights = list(LINE_WEIGHTS)
        primaries = [s for s, k in zip(SERVICE_LINES, quota(len(group), weights), strict=False) for _ in range(k)]
        rng.shuffle(primaries)
        for p, line in zip(group, primaries, strict=False):
            p.lines = [line]
    overall = [sum(h for (line, _), h in demand.items() if line == s) for s in SERVICE_LINES]
    account_lines = [sum(1 for a in accts if a.lines[0] == s) for s in SERVICE_LINES]
    for p in staff:
        weights = overall if p.role in rules.covers else account_lines
        if not any(weights):
            weights = list(LINE_WEIGHTS)
        if not p.lines:
            p.lines = [SERVICE_LINES[rng.weighted(weights)]]
        n = LINES_PER_PERSON[rng.weighted([w for _, w in LINES_PER_PERSON])][0]
        while len(p.lines) < n:
            free = [0 if s in p.lines else w for s, w in zip(SERVICE_LINES, weights, strict=False)]
            p.lines.append(SERVICE_LINES[rng.weighted(free)])

    # Where the lines still block some demand, widen people's lines (max-flow tells where).
    for _ in range(2000):
        missing = _line_shortage(accts, managers, rules)
        if missing is None:
            break
        line, complexity = missing
        able = [p for p in managers if rules.can_manage(p.role, p.level, complexity) and line not in p.lines]
        if not able:  # pragma: no cover - seniority was fitted without lines
            raise RuntimeError(f"nobody can manage {line} projects of complexity {complexity}")
        narrow = [p for p in able if len(p.lines) < 3]
        p = rng.pick(narrow) if narrow else rng.pick(able)
        if len(p.lines) >= 3:
            p.lines.pop()
        p.lines.append(line)
    for p in staff:
        p.lines.sort(key=SERVICE_LINES.index)


def _line_shortage(
    accts: list[_Account], managers: list[_Person], rules: Rules, scale: float = 0.9
) -> tuple[str, int] | None:
    """The (line, complexity) demand that people at `scale` of the ceiling cannot carry, if any."""
    demand: dict[tuple[str, int], int] = {}
    for a in accts:
        for pr in a.projects:
            key = (pr.line, pr.complexity)
            demand[key] = demand.get(key, 0) + rules.project_hours[pr.complexity - 1]
    supply: dict[tuple[tuple[str, ...], tuple[int, ...]], float] = {}
    for p in managers:
        elig = tuple(c for c in range(1, 6) if rules.can_manage(p.role, p.level, c))
        key = (tuple(sorted(p.lines)), elig)
        supply[key] = supply.get(key, 0.0) + rules.capacity(p.fte)
    dkeys = sorted(demand)
    skeys = sorted(supply)
    flow = max_flow.SimpleMaxFlow()
    total = sum(demand.values())
    sink = 1 + len(dkeys) + len(skeys)
    for i, d in enumerate(dkeys):
        flow.add_arc_with_capacity(0, 1 + i, demand[d])
        for j, (lines, elig) in enumerate(skeys):
            if d[1] in elig and d[0] in lines:
                flow.add_arc_with_capacity(1 + i, 1 + len(dkeys) + j, total)
    for j, s in enumerate(skeys):
        flow.add_arc_with_capacity(1 + len(dkeys) + j, sink, int(supply[s] * scale))
    flow.solve(0, sink)
    if flow.optimal_flow() >= total:
        return None
    worst, short = None, 0
    for arc in range(flow.num_arcs()):
        if flow.tail(arc) == 0:
            gap = flow.capacity(arc) - flow.flow(arc)
            if gap > short:
                worst, short = dkeys[flow.head(arc) - 1], gap
    return worst


def _name_projects(accts: list[_Account], rng: Rng) -> None:
    """Names that fit the line and complexity, distinct within an account."""
    for a in accts:
        used: set[str] = set()
        for pr in a.projects:
            catalog = PROJECT_NAMES[pr.line]
            fitting = [n for n, lo, hi in catalog if lo <= pr.complexity <= hi and n not in used]
            free = fitting or [n for n, _, _ in catalog if n not in used]
            name = rng.pick(free) if free else f"{rng.pick(catalog)[0]} (phase {len(used) + 1})"
            used.add(name)
            if (
                pr.complexity in SCOPE_WORDS
                and rng.random() < SCOPE_SHARE
                and not name.startswith(("Cross-market", "World"))
            ):
                head = name if name[1:2].isupper() else name[0].lower() + name[1:]
                name = f"{rng.pick(SCOPE_WORDS[pr.complexity])} {head}"
            pr.name = name


def _set_leads(accts: list[_Account], staff: list[_Person], rules: Rules, rng: Rng) -> None:
    """Today's leads: senior enough, sharing a service line where possible, not overloaded."""
    chosen = list(range(len(accts)))
    rng.shuffle(chosen)
    chosen = chosen[: round(LEAD_SHARE * len(accts))]
    chosen.sort(key=lambda i: (accts[i].tier, i))
    leads = [p for p in staff if p.role in rules.leads]
    by_level = {need: [p for p in leads if p.level >= need] for need in set(rules.lead_level)}
    for i in chosen:
        a = accts[i]
        need = rules.lead_level[a.tier - 1]
        hours = rules.lead_hours(a.tier)
        able = by_level[need]
        if not able:
            continue

        def score(p: _Person, a: _Account = a, need: int = need) -> tuple[bool, int, float]:
            return (bool(set(p.lines) & set(a.lines)), -(p.level - need), -p.lead_load)

        def room(p: _Person, hours: int = hours) -> bool:
            return p.lead_load + hours <= 0.8 * rules.capacity(p.fte)

        tries = [rng.pick(able) for _ in range(min(8, len(able)))]
        tries = [p for p in tries if room(p)] or [p for p in able if room(p)]
        if not tries:
            continue
        best = max(tries, key=score)
        best.lead_load += hours
        a.lead = best


def _name_people(staff: list[_Person], rng: Rng) -> None:
    firsts, lasts = len(FIRST_NAMES), len(LAST_NAMES)
    pairs = firsts * lasts
    picks = rng.sample(pairs, min(len(staff), pairs))
    while len(picks) < len(staff):
        picks.append(rng.below(pairs))
    used: set[str] = set()
    for p, k in zip(staff, picks, strict=False):
        p.name = f"{FIRST_NAMES[k % firsts]} {LAST_NAMES[k // firsts]}"
        base = slug(p.name)
        ident, n = base, 2
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        p.id = ident


def _agency_name(rng: Rng) -> str:
    return f"{rng.pick(CLIENT_ROOTS)} {rng.pick(AGENCY_WORDS)}"


def _build(accts: list[_Account], staff: list[_Person], n_people: int, rng: Rng) -> Agency:
    name = _agency_name(rng)
    width = max(4, len(str(sum(len(a.projects) for a in accts))))
    counter = 0
    accounts = []
    for a in accts:
        projects = []
        for pr in a.projects:
            counter += 1
            projects.append(
                Project(id=f"p-{counter:0{width}d}", name=pr.name, complexity=pr.complexity, service_line=pr.line)
            )
        accounts.append(
            Account(
                id=a.id,
                name=a.name,
                fee=a.fee,
                tier=a.tier,
                lead=a.lead.id if a.lead else None,
                projects=tuple(projects),
            )
        )
    people = tuple(
        Person(id=p.id, name=p.name, role=p.role, level=p.level, cost=p.cost, fte=p.fte, service_lines=tuple(p.lines))
        for p in staff
    )
    per100 = n_people / 100
    hiring = tuple(
        HiringOption(
            id=hid,
            name=title,
            role=role,
            level=level,
            cost=round(BASE_COST[role][level - 1] * HIRING_PREMIUM / 1000) * 1000,
            max=max(1, round(rate * per100)),
        )
        for hid, title, role, level, rate in HIRING
    )
    led = sorted((a for a in accts if a.lead), key=lambda a: (-a.fee, a.id))
    pins = tuple(Pin(account=a.id, lead=a.lead.id) for a in led[:PINS] if a.lead)
    policy = Policy(structures=STRUCTURES, utilization_ceiling=UTILIZATION_CEILING, pins=pins)
    agency = Agency(
        agency=Settings(name=name, currency="EUR", hours_per_fte=HOURS_PER_FTE),
        people=people,
        accounts=tuple(accounts),
        hiring=hiring,
        policy=policy,
    )
    return formats.canonical(agency)


# --------------------------------------------------------------------------- replicas


def replicate(agency: Agency, copies: int) -> Agency:
    """``copies`` renamed copies of an agency side by side, as one agency.

    Copy ``c`` (from 1) suffixes every id of people, accounts, projects and hiring options
    with ``-c<c>`` and renames today's leads and the pins with them; names get `` (c<c>)``.
    Nobody and nothing is shared between copies, so the replicated agency can be staffed at
    ``copies`` times the cost of one copy: a solver that does worse is not searching well.
    The policy's structures, ceilings and weights are the original's.
    """
    if copies < 1:
        raise ValueError("copies must be at least 1")
    people, accounts, hiring, pins = [], [], [], []
    for c in range(1, copies + 1):
        tag = f"-c{c}"

        def rid(old: str | None, tag: str = tag) -> str | None:
            return None if old is None else old + tag

        suffix = f" (c{c})"
        people += [attrs.evolve(p, id=p.id + tag, name=p.name + suffix) for p in agency.people]
        hiring += [attrs.evolve(h, id=h.id + tag) for h in agency.hiring]
        accounts += [
            attrs.evolve(
                a,
                id=a.id + tag,
                name=a.name + suffix,
                lead=rid(a.lead),
                projects=tuple(attrs.evolve(j, id=j.id + tag) for j in a.projects),
            )
            for a in agency.accounts
        ]
        pins += [attrs.evolve(pin, account=pin.account + tag, lead=rid(pin.lead)) for pin in agency.policy.pins]
    return formats.canonical(
        attrs.evolve(
            agency,
            agency=attrs.evolve(agency.agency, name=f"{agency.agency.name} x{copies}"),
            people=tuple(people),
            accounts=tuple(accounts),
            hiring=tuple(hiring),
            policy=attrs.evolve(agency.policy, pins=tuple(pins)),
        )
    )


# --------------------------------------------------------------------------- the command


def header(command: str, stats: Stats) -> str:
    """The comment block written above a generated agency."""
    return (
        "# A synthetic agency generated by bench/generate.py (seeded and deterministic).\n"
        "# Re-create it byte for byte with:\n"
        f"#   {command}\n"
        "# Demand vs capacity (hours a year at the utilization ceiling):\n"
        f"#   {stats.line()}\n\n"
    )


def render(agency: Agency, command: str) -> str:
    """The file text of a generated agency: comment header and TOML."""
    return header(command, measure(agency)) + formats.dumps(agency)


def _command(args: argparse.Namespace) -> str:
    parts = [
        "python",
        "bench/generate.py",
        "--accounts",
        str(args.accounts),
        "--people",
        str(args.people),
        "--seed",
        str(args.seed),
    ]
    if args.load != TARGET_LOAD:
        parts += ["--load", str(args.load)]
    if args.output:
        parts += ["-o", args.output]
    return shlex.join(parts)


def main(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bench/generate.py",
        description="Generate a realistic, staffable agency file (seeded, deterministic).",
    )
    parser.add_argument("--accounts", type=int, metavar="N", help="client accounts")
    parser.add_argument("--people", type=int, metavar="M", help="people on staff")
    parser.add_argument("--seed", type=int, default=0, metavar="S", help="random seed (default 0)")
    parser.add_argument(
        "--load",
        type=float,
        default=TARGET_LOAD,
        metavar="X",
        help=f"share of project staff capacity to fill (default {TARGET_LOAD})",
    )
    parser.add_argument("-o", "--output", metavar="FILE", help="write here (default: stdout)")
    parser.add_argument("--stats", action="store_true", help="print one line of demand vs capacity")
    parser.add_argument("--stats-of", metavar="AGENCY", help="only print the stats of this agency file")
    parser.add_argument(
        "--replicate",
        nargs=2,
        metavar=("K", "AGENCY"),
        help="write K renamed copies of an agency file as one agency instead",
    )
    args = parser.parse_args(None if argv is None else list(argv))

    if args.replicate:
        copies, source = args.replicate
        try:
            text = formats.dumps(replicate(formats.load_agency(source), int(copies)))
        except (formats.LoadError, ValueError) as exc:
            print(f"generate.py: {exc}", file=sys.stderr)
            return 2
        if args.output:
            formats.write_text_atomic(args.output, text)
        else:
            sys.stdout.write(text)
        return 0

    if args.stats_of:
        try:
            agency = formats.load_agency(args.stats_of)
        except formats.LoadError as exc:
            print(exc, file=sys.stderr)
            return 2
        print(measure(agency).line())
        return 0
    if args.accounts is None or args.people is None:
        parser.error("--accounts and --people are required")
    try:
        agency = generate(args.accounts, args.people, args.seed, args.load)
    except ValueError as exc:
        print(f"generate.py: {exc}", file=sys.stderr)
        return 2
    stats = measure(agency)
    text = header(_command(args), stats) + formats.dumps(agency)
    if args.output:
        formats.write_text_atomic(args.output, text)
    else:
        sys.stdout.write(text)
    if args.stats:
        print(stats.line(), file=sys.stdout if args.output else sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
