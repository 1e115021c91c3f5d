"""The out-of-scope sweep, generated from the URL configuration and the OpenAPI document.

On the demo data, each scoped demo user asks every page and every API operation for the objects of the
other province: each answers "not found" (the same status on pages and in the API, telling nothing of
whether the object exists), never a server error, and nothing is written. Lists are asked for the
other province's units and must not show one of its households.

A new page or operation with a parameter this module does not know fails the sweep until its
out-of-scope values are given in ``PAGE_PARAMETERS`` or ``API_PARAMETERS``: nothing can be missed.
"""

import base64
import datetime
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from django.apps import apps
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from vungcao.accounts import services as account_services
from vungcao.accounts.models import ApiToken, User
from vungcao.api.main import api
from vungcao.common import database
from vungcao.demo.services import DEMO_PASSWORD
from vungcao.exports.models import Export
from vungcao.field_capture.models import Submission
from vungcao.field_capture.xforms import review_form_id
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.imports.models import ImportBatch
from vungcao.indicators.models import (
    Indicator,
    IndicatorValue,
    Objective,
    Plan,
    ReportingPeriod,
    Target,
    UnitGroup,
)
from vungcao.programs.models import Component, Programme, RevolvingModel
from vungcao.registry.models import CommuneReview, Household, PersonalDataRead

pytestmark = pytest.mark.django_db

# Pages outside the sweep, and why.
NOT_SCOPED_PAGES = {
    "admin",  # Django's admin: administrators only, checked by its own permission system
    "set_language",  # the language switch
    "accounts:login",
    "accounts:logout",
    "api",  # the API is swept from its OpenAPI document below
}
# Status of an out-of-scope object: the same on pages and in the API ("method not allowed" is answered
# before any object is looked up, so it tells nothing either).
NOT_FOUND = 404
REFUSED = {NOT_FOUND, 405}


@dataclass(frozen=True)
class Elsewhere:
    """Objects of the province the user does not belong to."""

    unit: AdministrativeUnit
    commune: AdministrativeUnit
    village: AdministrativeUnit
    household: Household
    review: CommuneReview
    batch: ImportBatch
    export: Export
    token: ApiToken
    user: User
    programme: Programme | None
    component: Component | None
    revolving_model: RevolvingModel | None
    target: Target
    period: ReportingPeriod
    indicator: Indicator
    plan: Plan
    objective: Objective
    group: UnitGroup
    value: IndicatorValue
    submission: Submission
    household_codes: frozenset[str]

    @property
    def form_id(self) -> str:
        """The phones' form of the other province's commune review."""
        return review_form_id(self.review)


def _in(unit: AdministrativeUnit, path: str) -> bool:
    return path.startswith(unit.path)


def elsewhere_for(user: User) -> Elsewhere:
    scope = user.scope
    assert scope is not None
    province_path = "/".join(scope.path.split("/")[:2]) + "/"
    other_household = next(
        h for h in Household.objects.select_related("village") if not _in(scope, h.village.path)
    )
    other_province_path = "/".join(other_household.village.path.split("/")[:2]) + "/"
    commune = other_household.village.parent
    assert commune is not None
    other_user = next(
        u
        for u in User.objects.exclude(scope=None)
        if u.scope and u.scope.path.startswith(other_province_path)
    )
    batch = ImportBatch.objects.create(
        user=other_user, kind="questionnaire", filename="x.csv", status="refused"
    )
    export = Export.objects.create(user=other_user, kind=Export.Kind.HOUSEHOLDS, status=Export.Status.READY)
    token, _secret = account_services.api_token_create(user=other_user, name="sweep")
    programme = next(
        (
            p
            for p in Programme.objects.exclude(owner_unit=None).select_related("owner_unit")
            if p.owner_unit is not None and not p.owner_unit.path.startswith(province_path)
        ),
        None,
    )
    model = next(
        (
            m
            for m in RevolvingModel.objects.select_related("unit")
            if not m.unit.path.startswith(province_path)
        ),
        None,
    )
    other_province = AdministrativeUnit.objects.get(path=other_province_path)
    target = Target.objects.create(
        indicator="poverty_rate",
        era=other_province.era,
        unit=other_province,
        baseline_year=2024,
        target_year=2030,
        kind="at_most",
        value=5,
    )
    # The other province's communes reporting their review (a year the demo opens no period for).
    period = ReportingPeriod.objects.create(
        subject="review",
        year=2031,
        level="commune",
        era=other_province.era,
        owner=other_province,
        deadline=datetime.date(2031, 12, 14),
    )
    indicator = Indicator.objects.create(
        code="sweep_own_indicator",
        name_vi="Chỉ tiêu riêng",
        name_en="Own indicator",
        unit="households",
        kind="entered",
        aggregation="sum",
        source="sweep",
        owner=other_province,
    )
    plan = Plan.objects.create(name="Kế hoạch quét", unit=other_province, from_year=2026, to_year=2030)
    objective = Objective.objects.create(plan=plan, name="Mục tiêu quét", position=1)
    group = UnitGroup.objects.create(name="Nhóm quét", owner=other_province, era=other_province.era)
    group.members.add(commune)
    value = IndicatorValue.objects.create(
        indicator="communes_with_hardened_road", unit=commune, year=2031, value=1, entered_by=other_user
    )
    review = CommuneReview.objects.filter(commune=commune).select_related("cycle").first()
    assert review is not None
    # A phone's answers for the other province's household (refused on arrival: nothing to decide).
    submission = Submission.objects.create(
        commune_review=review,
        form_id=review_form_id(review),
        instance_id="uuid:sweep",
        household_code=other_household.code,
        new_household=False,
        household=other_household,
        submitted_by=other_user,
        xml=b"",
        xml_digest="0" * 64,
        state=Submission.State.REFUSED,
        reason=Submission.Reason.NOT_YOUR_COMMUNE,
    )
    return Elsewhere(
        unit=other_province,
        commune=commune,
        village=other_household.village,
        household=other_household,
        review=review,
        batch=batch,
        export=export,
        token=token,
        user=other_user,
        programme=programme,
        component=programme.components.first() if programme else None,
        revolving_model=model,
        target=target,
        period=period,
        indicator=indicator,
        plan=plan,
        objective=objective,
        group=group,
        value=value,
        submission=submission,
        household_codes=frozenset(
            h.code for h in Household.objects.select_related("village") if not _in(scope, h.village.path)
        ),
    )


def page_parameters(name: str, other: Elsewhere) -> list[dict[str, object]]:
    """The out-of-scope values of each page's parameters (one dict per request)."""
    unit = {"era": Era.CURRENT, "code": other.commune.code}
    village = {"era": Era.CURRENT, "code": other.village.code}
    review = {"cycle_id": other.review.cycle_id, "commune_code": other.commune.code}
    household = {"code": other.household.code}
    programme = (
        {"code": other.programme.code, "component_code": other.component.code if other.component else "x"}
        if other.programme
        else None
    )
    form = {"form_id": other.form_id}
    table: dict[str, list[dict[str, object]]] = {
        # ODK Collect's addresses: the other commune's form, its manifest and its files.
        "odk:form": [form],
        "odk:manifest": [form],
        "odk:media": [{**form, "filename": name} for name in ("households.csv", "villages.csv")],
        # The kind of file, not an object: nothing of a province in it.
        "imports:upload": [],
        "imports:template": [],
        "accounts:token-revoke": [{"token_id": other.token.pk}],
        # A user of the other province (managed by its administrators alone) and a national one.
        **{
            name: [{"username": other.user.username}, {"username": "admin"}]
            for name in (
                "accounts:user-detail",
                "accounts:user-deactivate",
                "accounts:user-reactivate",
                "accounts:user-password",
            )
        },
        "geo:unit-detail": [unit, {"era": Era.CURRENT, "code": other.unit.code}],
        "geo:village-add": [unit],
        "geo:village-rename": [village],
        "geo:village-merge": [village],
        "imports:detail": [{"batch_id": other.batch.pk}],
        "imports:apply": [{"batch_id": other.batch.pk}],
        "imports:problems": [{"batch_id": other.batch.pk}],
        "registry:review-dashboard": [{"cycle_id": other.review.cycle_id}],
        # The other province's commune's phone submissions, one of them, and its photo.
        "field_capture:review-submissions": [review],
        "field_capture:review-decide": [
            {**review, "action": action} for action in ("accept", "accept-all", "reject")
        ],
        "field_capture:submission-detail": [{"submission_id": other.submission.pk}],
        "field_capture:submission-decide": [
            {"submission_id": other.submission.pk, "action": action}
            for action in ("accept", "reject", "check-again")
        ],
        "field_capture:submission-file": [{"submission_id": other.submission.pk, "filename": "photo.jpg"}],
        # The other province's phone form, to download and to reword.
        "field_capture:cycle-xlsform": [{"cycle_id": other.review.cycle_id}],
        "field_capture:form-wording": [{"cycle_id": other.review.cycle_id}],
        "registry:commune-review": [review],
        "registry:commune-review-action": [
            {**review, "action": action} for action in ("submit", "recall", "approve", "return", "reopen")
        ],
        "registry:household-detail": [household],
        # The review's summary forms of the other province, of its commune, and of the whole country.
        "registry:report-form": [
            {
                "year": other.review.cycle.year,
                "unit_code": code,
                "identifier": "official-results",
                "output": output,
            }
            for code in (other.unit.code, other.commune.code, "country")
            for output in ("xlsx", "pdf")
        ],
        # The programme's implementation report of the other province, of its commune, and of the country.
        "programs:report-form": [
            {
                "programme_code": "1719",
                "era": Era.CURRENT,
                "unit_code": code,
                "from_year": 2021,
                "to_year": 2025,
                "identifier": identifier,
                "output": output,
            }
            for code in (other.unit.code, other.commune.code, "country")
            for identifier in ("programme-capital", "programme-targets")
            for output in ("xlsx", "pdf")
        ],
        # Another user's export, even of the user's own province: an export is its user's alone.
        "exports:detail": [{"export_id": other.export.pk}],
        "exports:download": [{"export_id": other.export.pk}],
        "registry:household-change": [
            {**household, "change": change} for change in ("move", "split", "merge")
        ],
        "registry:household-answers": [{**household, "cycle_id": other.review.cycle_id}],
        "programs:programme-detail": [programme] if programme else [],
        "programs:component-add": [programme] if programme else [],
        "programs:component-change": (
            [{**programme, "action": action} for action in ("rename", "retire")] if programme else []
        ),
        # A province's dashboard, in both eras (history is kept under the former province's code).
        "dashboards:province": [
            {"era": Era.CURRENT, "code": other.unit.code},
            {"era": Era.PRE2025, "code": other.unit.code},
        ],
        # A unit's scorecard in both eras, a target and a province's own indicator of the other province.
        "indicators:scorecard": [
            unit,
            {"era": Era.CURRENT, "code": other.unit.code},
            {"era": Era.PRE2025, "code": other.unit.code},
        ],
        **{
            name: [{"target_id": other.target.pk}]
            for name in ("indicators:target-detail", "indicators:target-change", "indicators:target-delete")
        },
        **{
            name: [{"code": other.indicator.code}]
            for name in (
                "indicators:indicator-detail",
                "indicators:province-indicator-change",
                "indicators:province-indicator-delete",
            )
        },
        # A plan of the other province and its objective.
        **{
            name: [{"plan_id": other.plan.pk}]
            for name in ("indicators:plan-detail", "indicators:plan-change", "indicators:objective-new")
        },
        **{
            name: [{"objective_id": other.objective.pk}]
            for name in ("indicators:objective-change", "indicators:objective-delete")
        },
        # An indicator value entered for the other province's commune.
        **{
            name: [{"value_id": other.value.pk}]
            for name in ("indicators:value-change", "indicators:value-delete")
        },
        # A group of units of the other province.
        **{
            name: [{"group_id": other.group.pk}]
            for name in ("indicators:group-detail", "indicators:group-change", "indicators:group-delete")
        },
        "programs:revolving-handover": [{"model_id": other.revolving_model.pk}]
        if other.revolving_model
        else [],
    }
    if name not in table:
        pytest.fail(f"the page {name} has parameters the sweep does not know: add its out-of-scope values")
    return [
        {key: value for key, value in kwargs.items() if key in parameters(name)} for kwargs in table[name]
    ]


def api_requests(
    path: str, other: Elsewhere, own: Household
) -> list[tuple[dict[str, object], dict[str, object]]]:
    """(path parameters, body) of each out-of-scope request of an operation: bodies valid on their own and
    pointing into the user's own scope, so that only the out-of-scope object can refuse them."""
    household = {"code": other.household.code}
    member = other.household.members.values_list("pk", flat=True).first()
    day = "2026-01-15"
    programme = (
        {"code": other.programme.code, "component_code": other.component.code if other.component else "x"}
        if other.programme
        else None
    )
    table: dict[str, list[tuple[dict[str, object], dict[str, object]]]] = {
        "/api/v1/units/{era}/{code}": [({"era": Era.CURRENT, "code": other.commune.code}, {})],
        "/api/v1/households/{code}": [(household, {})],
        "/api/v1/households/{code}/move": [(household, {"village_code": own.village.code, "on": day})],
        "/api/v1/households/{code}/split": [
            (household, {"member_ids": [member], "new_code": "SWEEP-1", "new_head_id": member, "on": day})
        ],
        "/api/v1/households/{code}/merge": [(household, {"into_code": own.code, "on": day})],
        "/api/v1/review-cycles/{cycle_id}/communes": [({"cycle_id": other.review.cycle_id}, {})],
        "/api/v1/review-cycles/{cycle_id}/communes/{commune_code}/{action}": [
            (
                {"cycle_id": other.review.cycle_id, "commune_code": other.commune.code, "action": action},
                {"reason": "sweep"},
            )
            for action in ("submit", "approve", "return", "reopen")
        ],
        "/api/v1/review-cycles/{cycle_id}/households/{code}/answers": [
            (
                {"cycle_id": other.review.cycle_id, "code": other.household.code},
                {"answers": {"area": "rural", "income_per_capita_month": 1_000_000}},
            )
        ],
        "/api/v1/review-cycles/{cycle_id}/results": [({"cycle_id": other.review.cycle_id}, {})],
        "/api/v1/revolving-funds/{model_id}/handovers": (
            [({"model_id": other.revolving_model.pk}, {"household_code": own.code, "received_on": day})]
            if other.revolving_model
            else []
        ),
        "/api/v1/programmes/{code}/components/{component_code}/rename": (
            [(programme, {"name_vi": "Quét"})] if programme else []
        ),
        "/api/v1/targets/{target_id}/progress": [({"target_id": other.target.pk}, {})],
        # A province's own indicator of the other province, changed.
        "/api/v1/indicators/{code}": [
            (
                {"code": other.indicator.code},
                {
                    "name_vi": "Quét",
                    "name_en": "Sweep",
                    "unit": "households",
                    "kind": "entered",
                    "aggregation": "sum",
                    "source": "sweep",
                },
            )
        ],
        # A group of units of the other province, given a commune of the user's own.
        "/api/v1/unit-groups/{group_id}": [
            (
                {"group_id": other.group.pk},
                {"name": "Quét", "member_codes": [own.village.parent.code if own.village.parent else ""]},
            )
        ],
        # A value entered for the other province's commune, corrected.
        "/api/v1/indicator-values/{value_id}": [({"value_id": other.value.pk}, {"value": 2})],
        # A target of the other province, changed to one of the user's own commune.
        "/api/v1/targets/{target_id}": [
            (
                {"target_id": other.target.pk},
                {
                    "indicator": "poverty_rate",
                    "unit_code": own.village.parent.code if own.village.parent else "",
                    "baseline_year": 2024,
                    "target_year": 2030,
                    "kind": "at_most",
                    "value": 5,
                },
            )
        ],
        "/api/v1/reporting-periods/{period_id}/completeness": [({"period_id": other.period.pk}, {})],
        "/api/v1/plans/{plan_id}/objectives": [({"plan_id": other.plan.pk}, {"name": "Quét"})],
        "/api/v1/programmes/{code}/components/{component_code}/retire": [(programme, {})]
        if programme
        else [],
    }
    if path not in table:
        pytest.fail(
            f"the operation {path} has parameters the sweep does not know: add its out-of-scope values"
        )
    return table[path]


def database_rows() -> dict[str, int]:
    """A digest of every row of every table (transient ones left out): an update shows as well as an insert."""
    return {
        model._meta.label: hash(repr(list(model._base_manager.order_by("pk").values_list())))
        for model in apps.get_models(include_auto_created=True)
        if model._meta.managed and model._meta.db_table not in database.TRANSIENT_TABLES
    }


def patterns(
    resolvers: list[URLPattern | URLResolver], prefix: str = "", namespace: str = ""
) -> Iterator[tuple[str, str]]:
    """(name with namespace, route) of every page."""
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            if entry.namespace in NOT_SCOPED_PAGES or entry.app_name in NOT_SCOPED_PAGES:
                continue
            yield from patterns(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", prefix + str(entry.pattern)


ROUTES = dict(patterns(get_resolver().url_patterns))


def parameters(name: str) -> set[str]:
    return set(re.findall(r"<(?:\w+:)?(\w+)>", ROUTES[name]))


def url_of(route: str, values: dict[str, object]) -> str:
    return "/" + re.sub(r"<(?:\w+:)?(\w+)>", lambda match: str(values[match.group(1)]), route)


@pytest.fixture
def demo() -> None:
    call_command(
        "demo",
        "--no-serve",
        "--households-per-commune",
        "12",
        "--communes-per-province",
        "1",
        stdout=io.StringIO(),
    )


def leaked(body: str, other: Elsewhere) -> list[str]:
    return sorted(code for code in (*other.household_codes, other.form_id) if code in body)


LIST_QUERY = {"unit": "", "unit_code": "", "parent": "", "era": "current", "province": "", "commune": ""}


@pytest.mark.parametrize("username", ["bache", "muongphang", "quangninh", "dienbien", "qn-admin"])
def test_every_page_and_operation_refuses_the_other_province(demo, username: str) -> None:
    user = User.objects.get(username=username)
    other = elsewhere_for(user)
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    # ODK Collect's addresses ignore the session: a phone logs in with Basic on every request, over HTTPS.
    credentials = base64.b64encode(f"{username}:{DEMO_PASSWORD}".encode()).decode()
    phone = Client(headers={"Authorization": f"Basic {credentials}"})
    own = next(h for h in Household.objects.select_related("village") if _in(user.scope, h.village.path))
    before = database_rows()
    last_read = PersonalDataRead.objects.order_by("pk").values_list("pk", flat=True).last() or 0
    failures = []

    for name, route in ROUTES.items():
        if name in NOT_SCOPED_PAGES:
            continue
        asker, secure = (phone, True) if name.startswith("odk:") else (client, False)
        if not parameters(name):
            query = {key: value if value else other.commune.code for key, value in LIST_QUERY.items()}
            url = url_of(route, {})
            for response in (asker.get(url, secure=secure), asker.get(url, query, secure=secure)):
                body = response.content.decode(errors="replace")
                if response.status_code >= 500 or leaked(body, other):
                    failures.append(f"GET {url}: {response.status_code}, shows {leaked(body, other)}")
            continue
        for values in page_parameters(name, other):
            url = url_of(route, values)
            for method in ("get", "post"):
                status = getattr(asker, method)(url, secure=secure).status_code
                if status not in REFUSED:
                    failures.append(f"{method.upper()} {url}: {status}, expected {NOT_FOUND}")

    schema = api.get_openapi_schema()
    for path, operations in schema["paths"].items():
        has_parameters = "{" in path
        for method in operations:
            if not has_parameters:
                if method == "get":
                    query = {key: value if value else other.commune.code for key, value in LIST_QUERY.items()}
                    response = client.get(path, query)
                    body = response.content.decode(errors="replace")
                    if response.status_code >= 500 or leaked(body, other):
                        failures.append(f"GET {path}: {response.status_code}, shows {leaked(body, other)}")
                continue
            for values, payload in api_requests(path, other, own):
                url = path.format(**values)
                body = (
                    {}
                    if method == "get"
                    else {"data": json.dumps(payload), "content_type": "application/json"}
                )
                response = getattr(client, method)(url, **body)
                if response.status_code not in REFUSED:
                    failures.append(f"{method.upper()} {url}: {response.status_code}, expected {NOT_FOUND}")

    assert failures == [], "\n".join(failures)
    # The sweep made a batch, an export and a token of the other province's user before asking; nothing changed after
    # but the reads of the user's own lists, recorded as every read of personal data is: none of them
    # names a household of the other province (a refused read is not recorded).
    reads = PersonalDataRead.objects.filter(pk__gt=last_read)
    assert not reads.filter(household__code__in=other.household_codes).exists()
    assert set(reads.values_list("kind", flat=True)) <= {
        PersonalDataRead.Kind.LIST_PAGE,
        PersonalDataRead.Kind.EXPORT,
    }
    read_log = PersonalDataRead._meta.label
    assert {**database_rows(), read_log: None} == {**before, read_log: None}
