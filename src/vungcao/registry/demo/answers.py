"""The questionnaire answers of each planned household in each review year, under the year's standard.

A household is deprived in an indicator when its latent (0.8 × hardship + the indicator's own
persistent noise + the household's shift − the yearly trend) passes the indicator's cut, the cuts of
engine.synthetic. The answers are then written so that the engine finds exactly that (a count of one
member, a floor area under 8 m² per person …) where the household's roster allows it; the engine,
never this module, decides the status. Indicators whose rule reads fields this module does not know
are given as the reviewer's recorded yes/no (``deprived__<indicator>``).
"""

from __future__ import annotations

import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.synthetic import DEPRIVATION_CUTS, HARDSHIP_ON_INCOME, INCOME_SPREAD
from vungcao.registry import classification
from vungcao.registry.classification import AnswerValue
from vungcao.registry.demo.generate import (
    DEPRIVATION_TREND,
    INCOME_GROWTH,
    WORKING_AGE,
    YEARS,
    DemoPlan,
    Person,
    PlannedHousehold,
)
from vungcao.registry.demo.profiles import HOA, KINH

Facts = dict[str, AnswerValue]


@dataclass(frozen=True)
class Roster:
    """The members living in a household in a year, with their ages that year."""

    household: PlannedHousehold
    people: list[Person]
    ages: list[int]

    def count(self, low: int, high: int = 200) -> int:
        return sum(low <= age < high for age in self.ages)


Builder = Callable[[Roster, dict[str, bool], random.Random], AnswerValue]


def _count_if(deprived: bool, eligible: int, chance: random.Random, most: int = 2) -> int:
    return chance.randint(1, min(most, eligible)) if deprived and eligible else 0


def _optional_count(eligible: int, deprived: bool) -> int | None:
    """Blank when nobody in the household is of the age the indicator asks about."""
    return None if not eligible else int(deprived)


def _floor_area(roster: Roster, deprived: dict[str, bool], _chance: random.Random) -> float:
    """The dwelling stays the same from year to year; it is short of space when the household is."""
    per_person = roster.household.floor_per_person
    if deprived["housing_area"]:
        per_person = 4.0 + (per_person - 9.0) / 19.0 * 3.5
    return round(len(roster.ages) * per_person, 1)


def _employment(roster: Roster, deprived: dict[str, bool], chance: random.Random) -> tuple[int, int]:
    working = roster.count(WORKING_AGE.start, WORKING_AGE.stop)
    if not (deprived["employment"] and working):
        return 0, 0
    unemployed = int(chance.random() < 0.35)
    return unemployed, max(0, min(working - unemployed, 1 - unemployed + int(chance.random() < 0.2)))


BUILDERS: dict[str, Builder] = {
    "members_total": lambda roster, _d, _c: len(roster.ages),
    "dependants": lambda roster, _d, _c: sum(
        age < 15 or age >= 60 or person.has_disability
        for age, person in zip(roster.ages, roster.people, strict=True)
    ),
    "children_under16_malnourished": lambda roster, d, _c: _optional_count(
        roster.count(0, 16), d["nutrition"]
    ),
    "members_age6plus_without_health_insurance": lambda roster, d, c: _count_if(
        d["health_insurance"], roster.count(6), c
    ),
    "members_16_30_without_required_education": lambda roster, d, _c: _optional_count(
        roster.count(16, 31), d["adult_education"]
    ),
    "children_3_15_not_in_age_appropriate_school": lambda roster, d, _c: _optional_count(
        roster.count(3, 16), d["child_schooling"]
    ),
    "main_structures_non_durable": lambda roster, d, _c: (
        2 + (roster.household.floor_per_person < 15)
        if d["housing_quality"]
        else int(roster.household.floor_per_person < 12)
    ),
    "housing_floor_area_m2": _floor_area,
    "has_clean_water_source": lambda _r, d, _c: not d["water_source"],
    "uses_hygienic_latrine": lambda _r, d, _c: not d["latrine"],
}
EMPLOYMENT_FIELDS = ("members_working_age_unemployed", "members_wage_job_without_contract")
KNOWN_FIELDS = frozenset(BUILDERS) | frozenset(EMPLOYMENT_FIELDS)
INDICATORS_READ = (
    "employment",
    "nutrition",
    "health_insurance",
    "adult_education",
    "child_schooling",
    "housing_quality",
    "housing_area",
    "water_source",
    "latrine",
)
DEMO_SPREAD = 0.85  # the demo's communes are more alike than the whole country
NEUTRAL: dict[str, AnswerValue] = {"integer": 0, "number": 0.0, "boolean": False, "string": ""}


@dataclass(frozen=True)
class Layout:
    fields: list[tuple[str, str]]  # the standard's answer fields with their types
    recorded: list[tuple[str, str]]  # indicators given as the reviewer's yes/no: (identifier, column)
    cuts: list[tuple[str, float]]  # each indicator's cut


@cache
def _layout(identifier: str) -> Layout:
    rule = classification.standard(identifier)
    known = classification.known_answer_columns(identifier)
    return Layout(
        fields=[(name, known[name]) for name in classification.answer_fields(identifier)],
        recorded=[
            (indicator.identifier, indicator.column)
            for indicator in rule.indicators
            if indicator.deprived_when is not None
            and not referenced_names(indicator.deprived_when) <= KNOWN_FIELDS
        ],
        cuts=[
            (indicator.identifier, DEPRIVATION_CUTS[position % len(DEPRIVATION_CUTS)])
            for position, indicator in enumerate(rule.indicators)
        ],
    )


def income(household: PlannedHousehold, year: int) -> int:
    """Lognormal, lowered by hardship: the model of engine.synthetic, with the demo's medians."""
    step = YEARS.index(year)
    median = household.median_income * household.group_income * INCOME_GROWTH**step
    log_income = math.log(median) + INCOME_SPREAD * DEMO_SPREAD * (
        -HARDSHIP_ON_INCOME * household.hardship[step]
        + math.sqrt(1 - HARDSHIP_ON_INCOME**2) * household.income_noise[step]
    )
    return max(0, int(round(math.exp(log_income), -3)))


def deprivations(household: PlannedHousehold, year: int, identifier: str) -> dict[str, bool]:
    step = YEARS.index(year)
    base = 0.8 * household.hardship[step] + household.deprivation_shift - DEPRIVATION_TREND * step
    return {
        indicator: base + household.latents[indicator][step] > cut
        for indicator, cut in _layout(identifier).cuts
    }


def year_answers(household: PlannedHousehold, year: int, identifier: str, chance: random.Random) -> Facts:
    """The answers of ``household`` in ``year`` with ``area`` and ``income_per_capita_month``."""
    layout = _layout(identifier)
    people = household.roster(year)
    roster = Roster(household, people, [person.age(year) for person in people])
    decided = deprivations(household, year, identifier)
    answers: Facts = {"area": household.area, "income_per_capita_month": income(household, year)}
    padded = dict.fromkeys(INDICATORS_READ, False) | decided
    unemployed, without_contract = _employment(roster, padded, chance)
    for name, kind in layout.fields:
        if name in BUILDERS:
            answers[name] = BUILDERS[name](roster, padded, chance)
        elif name == EMPLOYMENT_FIELDS[0]:
            answers[name] = unemployed
        elif name == EMPLOYMENT_FIELDS[1]:
            answers[name] = without_contract
        elif name.startswith("deprived__"):
            answers[name] = decided.get(name.removeprefix("deprived__"), False)
        else:
            answers[name] = NEUTRAL.get(kind)
    for indicator, column in layout.recorded:
        answers[column] = decided[indicator]
    return answers


def fill(plan: DemoPlan, standards: dict[tuple[str, int], str], seed: int) -> None:
    """Answers for every year each household exists, then members that agree with the last year's."""
    chance = random.Random(seed)
    for household in plan.households:
        for year in YEARS:
            if household.exists_in(year):
                household.answers[year] = year_answers(
                    household, year, standards[household.province, year], chance
                )
        _members_agree(household, chance)


def _members_agree(household: PlannedHousehold, chance: random.Random) -> None:
    last = max(year for year in YEARS if household.exists_in(year))
    answers = household.answers[last]
    roster = household.roster(last)
    urban = household.area == "urban"
    for person in household.members:
        _defaults(person, last, urban, chance)
    if person_list := [p for p in roster if p.age(last) >= 6]:
        for person in chance.sample(
            person_list,
            min(len(person_list), int(str(answers.get("members_age6plus_without_health_insurance") or 0))),
        ):
            person.has_health_insurance = False
    working = [p for p in roster if p.age(last) in WORKING_AGE]
    chance.shuffle(working)
    unemployed = int(str(answers.get("members_working_age_unemployed") or 0))
    without_contract = int(str(answers.get("members_wage_job_without_contract") or 0))
    for person in working[:unemployed]:
        person.work = "unemployed"
    for person in working[unemployed : unemployed + without_contract]:
        person.work = "wage_without_contract"
    if answers.get("children_3_15_not_in_age_appropriate_school"):
        child = next(p for p in roster if 3 <= p.age(last) < 16)
        child.schooling, child.work = "none", "not_working"
    if answers.get("members_16_30_without_required_education"):
        young = next(p for p in roster if 16 <= p.age(last) <= 30)
        young.schooling = chance.choice(("none", "primary"))


def _defaults(person: Person, year: int, urban: bool, chance: random.Random) -> None:
    age = person.age(year)
    majority = person.ethnic_group in (KINH, HOA)
    person.has_health_insurance = True
    if age < 3:
        person.schooling, person.work = "", ""
    elif age < 6:
        person.schooling, person.work = "preschool", ""
    elif age < 11:
        person.schooling, person.work = "primary", "student"
    elif age < 15:
        person.schooling, person.work = "lower_secondary", "student"
    elif age < 18:
        person.schooling, person.work = "upper_secondary", "student"
    else:
        levels = ("none", "primary", "lower_secondary", "upper_secondary", "vocational", "higher")
        weights: tuple[float, ...] = (1, 3, 5, 6, 3, 3) if majority else (4, 8, 6, 3, 1, 0.5)
        if age >= 60:
            weights = (4, 6, 4, 2, 0.5, 0.3) if majority else (10, 6, 2, 0.5, 0.1, 0.1)
        person.schooling = chance.choices(levels, weights)[0]
        if person.has_disability or (age >= 60 and chance.random() < 0.6):
            person.work = "not_working"
        else:
            jobs = ("own_farm", "wage_with_contract", "own_business")
            person.work = chance.choices(jobs, (15, 50, 35) if urban else (70, 15, 15))[0]
