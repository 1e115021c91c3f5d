"""The demo's SYNTHETIC households, made in memory from one seed: nothing here touches the database.

Each household has a latent "hardship" that follows an AR(1) process over the review years; it lowers
income and raises every deprivation (as in engine.synthetic), so deprivations are correlated, higher
among minority households, in remote communes and in Điện Biên, and households move in and out of
poverty from year to year. The answers of a year are built from the members living in the household
that year (members, dependants, children of school age …), so they agree with the household's roster;
the members' work, health insurance and schooling agree with the answers of the last year.
"""

from __future__ import annotations

import datetime
import math
import random
from dataclasses import dataclass, field

import numpy as np

from vungcao.engine.synthetic import (
    MINORITY_DEPRIVATION_SHIFT,
    MOUNTAIN_DEPRIVATION_SHIFT,
    URBAN_INCOME_FACTOR,
    URBAN_SHARE_BY_DIVISION,
)
from vungcao.engine.text import fold
from vungcao.registry import classification
from vungcao.registry.classification import AnswerValue
from vungcao.registry.demo import profiles
from vungcao.registry.demo.profiles import CommuneProfile, ProvinceProfile

YEARS = (2023, 2024, 2025)
CENSUS_YEAR = 2025  # ages are drawn as of this year
HARDSHIP_PERSISTENCE = 0.85
INCOME_NOISE_PERSISTENCE = 0.75
DEPRIVATION_PERSISTENCE = 0.7
INCOME_GROWTH = 1.07  # per year
DEPRIVATION_TREND = 0.12  # per year: services reach more households
URBAN_DEPRIVATION_SHIFT = -0.6
REMOTENESS_ON_INCOME = 0.45
SPLIT_RATE = 0.012  # households that a son's family leaves, per year
DISSOLVE_RATE = 0.006  # households that end (the last members died or left), per year
WORKING_AGE = range(15, 60)


@dataclass
class Person:
    full_name: str
    sex: str
    birth_year: int
    ethnic_group: str
    relation: str
    identity_number: str = ""
    schooling: str = ""
    has_health_insurance: bool = True
    has_disability: bool = False
    work: str = ""
    left_on: datetime.date | None = None  # when the person left the household (a split or its end)

    def age(self, year: int) -> int:
        return year - self.birth_year

    @property
    def left_in(self) -> int | None:
        return self.left_on.year if self.left_on else None


@dataclass
class PlannedHousehold:
    province: str
    commune: str
    village: int
    number: int
    area: str
    members: list[Person]
    established: datetime.date
    hardship: list[float]
    income_noise: list[float]
    latents: dict[str, list[float]]
    group_income: float
    deprivation_shift: float
    median_income: float
    floor_per_person: float  # m² per person of the dwelling when the household is not short of space
    first_year: int = YEARS[0]
    dissolved_on: datetime.date | None = None
    split_from: int | None = None  # index of the household it split from
    split_on: datetime.date | None = None
    assessed: set[int] = field(default_factory=set)
    answers: dict[int, dict[str, AnswerValue]] = field(default_factory=dict)

    @property
    def head(self) -> Person:
        return next(person for person in self.members if person.relation == "head")

    def exists_in(self, year: int) -> bool:
        ends = self.dissolved_on.year if self.dissolved_on else None
        return self.first_year <= year and (ends is None or year < ends)

    def roster(self, year: int) -> list[Person]:
        return [
            person
            for person in self.members
            if person.birth_year <= year and (person.left_in is None or person.left_in > year)
        ]


@dataclass
class PlannedCommune:
    province: str
    code: str
    villages: list[tuple[str, str]]  # (name, division type)


@dataclass
class DemoPlan:
    communes: list[PlannedCommune]
    households: list[PlannedHousehold]


def plan(
    *,
    seed: int,
    households_per_commune: int,
    communes_per_province: int | None,
    divisions: dict[str, str],
) -> DemoPlan:
    """The whole demo from ``seed``: the same seed gives the same plan. ``divisions`` gives each
    commune's division type (xã, phường, đặc khu), which decides its share of urban households."""
    seeds = np.random.SeedSequence(seed)
    communes: list[PlannedCommune] = []
    households: list[PlannedHousehold] = []
    serials = _serials(seed)
    for province in profiles.PROVINCES:
        chosen = province.communes[:communes_per_province] if communes_per_province else province.communes
        for commune in chosen:
            (child,) = seeds.spawn(1)
            numbers = np.random.default_rng(child)
            names = random.Random(int(child.generate_state(1)[0]))
            planned, made = _commune(
                province, commune, households_per_commune, divisions[commune.code], numbers, names, serials
            )
            communes.append(planned)
            households.extend(made)
    (events,) = seeds.spawn(1)
    _splits_and_ends(households, random.Random(int(events.generate_state(1)[0])), serials)
    return DemoPlan(communes, households)


def _serials(seed: int) -> list[int]:
    """Distinct six-digit serials for identity numbers, in an order fixed by the seed."""
    return [int(serial) for serial in np.random.default_rng(seed).permutation(1_000_000)]


def _commune(
    province: ProvinceProfile,
    commune: CommuneProfile,
    households_per_commune: int,
    division: str,
    numbers: np.random.Generator,
    names: random.Random,
    serials: list[int],
) -> tuple[PlannedCommune, list[PlannedHousehold]]:
    count = max(1, round(households_per_commune * commune.weight * numbers.uniform(0.85, 1.15)))
    village_count = int(numbers.integers(3, 9)) if count >= 60 else 3
    groups = list(commune.composition)
    shares = np.array([commune.composition[group] for group in groups])
    concentration = 25.0 if division == "phường" else 4.0
    village_weights = numbers.dirichlet(np.full(village_count, 3.0))
    compositions = [numbers.dirichlet(shares * concentration + 1e-3) for _ in range(village_count)]
    villages = _village_names(commune, division, [groups[int(np.argmax(c))] for c in compositions], names)
    village_of = numbers.choice(village_count, size=count, p=village_weights)
    urban = numbers.random(count) < URBAN_SHARE_BY_DIVISION.get(division, 0.05)
    hardship, income_noise = (
        _ar1(numbers, count, HARDSHIP_PERSISTENCE),
        _ar1(numbers, count, INCOME_NOISE_PERSISTENCE),
    )
    latents = {
        indicator: _ar1(numbers, count, DEPRIVATION_PERSISTENCE) for indicator in _indicators(province.code)
    }
    cumulative = np.cumsum([c / c.sum() for c in compositions], axis=1)
    group_of = np.minimum(
        (numbers.random(count)[:, None] > cumulative[village_of]).sum(axis=1), len(groups) - 1
    )
    floor_per_person = numbers.uniform(9.0, 28.0, count)
    next_number = [1] * village_count
    made = []
    for index in range(count):
        village = int(village_of[index])
        group = groups[int(group_of[index])]
        minority = group not in (profiles.KINH, profiles.HOA)
        members = _members(group, commune.composition, province.code, names, serials)
        head = members[0]
        made.append(
            PlannedHousehold(
                province=province.code,
                commune=commune.code,
                village=village,
                number=next_number[village],
                area="urban" if urban[index] else "rural",
                members=members,
                established=datetime.date(
                    min(2022, head.birth_year + names.randint(20, 30)),
                    names.randint(1, 12),
                    names.randint(1, 28),
                ),
                hardship=hardship[index].tolist(),
                income_noise=income_noise[index].tolist(),
                latents={indicator: values[index].tolist() for indicator, values in latents.items()},
                group_income=profiles.GROUP_INCOME.get(group, 0.5)
                * (1 - REMOTENESS_ON_INCOME * commune.remoteness)
                * (URBAN_INCOME_FACTOR if urban[index] else 1.0),
                deprivation_shift=province.deprivation_shift
                + MINORITY_DEPRIVATION_SHIFT * minority
                + MOUNTAIN_DEPRIVATION_SHIFT * commune.remoteness
                + profiles.GROUP_DEPRIVATION.get(group, profiles.GROUP_DEPRIVATION_DEFAULT)
                + URBAN_DEPRIVATION_SHIFT * bool(urban[index]),
                median_income=province.median_income,
                floor_per_person=float(floor_per_person[index]),
            )
        )
        next_number[village] += 1
    return PlannedCommune(province.code, commune.code, villages), made


def _ar1(numbers: np.random.Generator, count: int, persistence: float) -> np.ndarray:
    """``count`` standard-normal series over the review years, each year correlated with the last."""
    values = np.empty((count, len(YEARS)))
    values[:, 0] = numbers.standard_normal(count)
    for year in range(1, len(YEARS)):
        values[:, year] = persistence * values[:, year - 1] + math.sqrt(
            1 - persistence**2
        ) * numbers.standard_normal(count)
    return values


def _indicators(province_code: str) -> list[str]:
    """Every indicator of the standards the province's review years use, in a stable order."""
    found: dict[str, None] = {}
    for year in YEARS:
        identifier = classification.standard_for_province(year, province_code).identifier
        found.update(
            {indicator.identifier: None for indicator in classification.standard(identifier).indicators}
        )
    return list(found)


def _village_names(
    commune: CommuneProfile, division: str, main_groups: list[str], names: random.Random
) -> list[tuple[str, str]]:
    if division == "phường":
        return [(f"Tổ dân phố {number}", "tổ dân phố") for number in range(1, len(main_groups) + 1)]
    villages: list[tuple[str, str]] = []
    seen: set[str] = set()
    for group in main_groups:
        style = profiles.VILLAGE_STYLE.get(group, profiles.KINH)
        first, second = profiles.VILLAGE_SYLLABLES[style]
        kind = "bản" if commune.code.startswith("03") and style != profiles.KINH else "thôn"
        while True:
            name = f"{kind.capitalize()} {names.choice(first)} {names.choice(second)}"
            if fold(name) not in seen:
                break
        seen.add(fold(name))
        villages.append((name, kind))
    return villages


def _name(group: str, sex: str, names: random.Random, surname: str | None = None) -> str:
    table = profiles.NAMES.get(group, profiles.NAMES[profiles.KINH])
    middle = table.male_middle if sex == "male" else table.female_middle
    given = table.male if sex == "male" else table.female
    return f"{surname or names.choice(table.surnames)} {names.choice(middle)} {names.choice(given)}"


def _person(
    group: str,
    sex: str,
    age: int,
    relation: str,
    province: str,
    names: random.Random,
    serials: list[int],
    surname: str | None = None,
) -> Person:
    birth_year = CENSUS_YEAR - max(0, age)
    person = Person(_name(group, sex, names, surname), sex, birth_year, group, relation)
    share = profiles.IDENTITY_SHARE.get(group, profiles.IDENTITY_SHARE_DEFAULT)
    if age >= 14 and names.random() < share and serials:
        century = 0 if birth_year < 2000 else 2
        person.identity_number = (
            f"{profiles.IDENTITY_PROVINCE[province]}{century + (sex == 'female')}"
            f"{birth_year % 100:02d}{serials.pop():06d}"
        )
    person.has_disability = names.random() < (0.02 if age < 60 else 0.08)
    return person


def _members(
    group: str, composition: dict[str, float], province: str, names: random.Random, serials: list[int]
) -> list[Person]:
    """A plausible family: a head, usually a spouse, children, sometimes a parent or grandchildren."""
    others = min(
        10, max(0, round(names.gauss(profiles.GROUP_SIZE.get(group, profiles.GROUP_SIZE_DEFAULT), 1.4)))
    )
    head_age = min(88, max(20, round(names.gauss(46, 13))))
    head_sex = (
        "male" if names.random() < (0.78 if group in (profiles.KINH, profiles.HOA) else 0.88) else "female"
    )
    head = _person(group, head_sex, head_age, "head", province, names, serials)
    surname = head.full_name.split()[0]
    members = [head]
    if others and names.random() < (0.9 if head_age < 70 else 0.55):
        spouse_group = (
            group if names.random() < 0.9 else names.choices(list(composition), list(composition.values()))[0]
        )
        spouse_sex = "female" if head_sex == "male" else "male"
        spouse_age = max(18, head_age + (-3 if head_sex == "male" else 3) + round(names.gauss(0, 3)))
        members.append(_person(spouse_group, spouse_sex, spouse_age, "spouse", province, names, serials))
        others -= 1
    if others and head_age < 45 and names.random() < 0.35:
        members.append(
            _person(
                group,
                names.choice(("male", "female")),
                head_age + names.randint(22, 30),
                "parent",
                province,
                names,
                serials,
                surname,
            )
        )
        others -= 1
    for _ in range(others):
        oldest_child = head_age - 19
        if head_age >= 55 and names.random() < 0.45:
            sex = names.choice(("male", "female"))
            members.append(
                _person(group, sex, names.randint(0, 15), "grandchild", province, names, serials, surname)
            )
        elif oldest_child >= 0:
            sex = names.choice(("male", "female"))
            age = names.randint(max(0, oldest_child - 22), oldest_child)
            members.append(_person(group, sex, age, "child", province, names, serials, surname))
        else:
            members.append(
                _person(
                    group,
                    names.choice(("male", "female")),
                    names.randint(15, 40),
                    "sibling",
                    province,
                    names,
                    serials,
                    surname,
                )
            )
    return members


def _splits_and_ends(households: list[PlannedHousehold], events: random.Random, serials: list[int]) -> None:
    """A few households end in 2024 and 2025; from a few others, a grown son's family splits off."""
    numbers = {(h.commune, h.village): 0 for h in households}
    for household in households:
        key = (household.commune, household.village)
        numbers[key] = max(numbers[key], household.number)
    for year in YEARS[1:]:
        current = [index for index, household in enumerate(households) if household.exists_in(year - 1)]
        ending = [
            index
            for index in current
            if households[index].dissolved_on is None
            and households[index].split_from is None
            and len(households[index].roster(year - 1)) <= 2
            and households[index].head.age(year) >= 60
        ]
        for index in events.sample(ending, min(len(ending), max(1, round(len(current) * DISSOLVE_RATE)))):
            household = households[index]
            household.dissolved_on = datetime.date(year, events.randint(1, 8), events.randint(1, 28))
            for person in household.members:
                person.left_on = person.left_on or household.dissolved_on
        candidates = [
            index
            for index in current
            if households[index].dissolved_on is None
            and any(
                person.relation == "child"
                and person.sex == "male"
                and person.age(year) >= 22
                and person.left_in is None
                for person in households[index].members
            )
        ]
        for index in events.sample(
            candidates, min(len(candidates), max(1, round(len(current) * SPLIT_RATE)))
        ):
            key = (households[index].commune, households[index].village)
            numbers[key] += 1
            households.append(_split(households, index, numbers[key], year, events, serials))


def _split(
    households: list[PlannedHousehold],
    index: int,
    number: int,
    year: int,
    events: random.Random,
    serials: list[int],
) -> PlannedHousehold:
    parent = households[index]
    son = next(
        person
        for person in parent.members
        if person.relation == "child"
        and person.sex == "male"
        and person.age(year) >= 22
        and person.left_in is None
    )
    moving = [son] + [
        person for person in parent.members if person.relation == "grandchild" and person.left_in is None
    ]
    on = datetime.date(year, events.randint(1, 8), events.randint(1, 28))
    for person in moving:
        person.left_on = on
    members = [
        Person(**{**vars(person), "relation": "head" if person is son else "child", "left_on": None})
        for person in moving
    ]
    if events.random() < 0.8:
        wife = _person(
            son.ethnic_group,
            "female",
            son.age(CENSUS_YEAR) - events.randint(0, 4),
            "spouse",
            parent.province,
            events,
            serials,
        )
        members.insert(1, wife)
    return PlannedHousehold(
        province=parent.province,
        commune=parent.commune,
        village=parent.village,
        number=number,
        area=parent.area,
        members=members,
        established=on,
        hardship=[0.6 * value + 0.8 * events.gauss(0, 1) for value in parent.hardship],
        income_noise=[events.gauss(0, 1) for _ in YEARS],
        latents={
            name: [0.5 * value + 0.87 * events.gauss(0, 1) for value in values]
            for name, values in parent.latents.items()
        },
        group_income=parent.group_income,
        deprivation_shift=parent.deprivation_shift,
        median_income=parent.median_income,
        floor_per_person=events.uniform(9.0, 20.0),
        first_year=year,
        split_from=index,
        split_on=on,
    )
