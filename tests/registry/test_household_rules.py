"""One set of household and member rules (``engine.households``) for the household page, the API and
the questionnaire import: the same input is refused by each with the same reason, and nothing is
written; numbers in the answers form are read as officials write them."""

import pytest
from django.utils import translation

from tests.conftest import client_for
from tests.imports.helpers import preview, problems
from tests.registry.conftest import QuestionnaireRow, csv_text
from vungcao.engine import households as rules
from vungcao.registry.forms import NumberField
from vungcao.registry.models import Household, Member
from vungcao.registry.services.households import MEMBER_PROBLEM

pytestmark = pytest.mark.django_db

BAD_IDENTITY = "12345"  # five digits: neither a 9- nor a 12-digit number, nor one a spreadsheet shortened


def page_post(client, member: dict[str, str]):  # type: ignore[no-untyped-def]
    rows = {
        "form-TOTAL_FORMS": "6",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    rows.update({f"form-0-{name}": value for name, value in member.items()})
    return client.post(
        "/registry/households/new/",
        {"village_code": "06970-001", "code": "06970-001-0100", "area": "rural", **rows},
    )


HEAD = {
    "full_name": "Lò Văn Hặc",
    "sex": "male",
    "birth_year": "1970",
    "ethnic_group": "03",
    "relation_to_head": "head",
}


def test_a_bad_identity_number_is_refused_alike_by_the_page_the_api_and_the_import(
    commune_officer, ba_che_villages, ba_che_review, questionnaire_row: QuestionnaireRow
) -> None:
    client = client_for(commune_officer)
    page = page_post(client, {**HEAD, "identity_number": BAD_IDENTITY})  # the pages are in Vietnamese
    assert page.status_code == 200
    with translation.override("vi"):
        expected = str(MEMBER_PROBLEM).format(number=1, reason=rules.BAD_IDENTITY.vi)
    assert page.context["form"].non_field_errors() == [expected]
    api = client.post(
        "/api/v1/households",
        data={
            "code": "06970-001-0101",
            "village_code": "06970-001",
            "area": "rural",
            "members": [{**HEAD, "birth_year": 1970, "identity_number": BAD_IDENTITY}],
        },
        content_type="application/json",
    )
    assert api.status_code == 400
    assert rules.BAD_IDENTITY.vi in str(api.json()) or rules.BAD_IDENTITY.en in str(api.json())
    with translation.override("vi"):
        batch = preview(
            "questionnaire",
            csv_text([questionnaire_row("H1", "Hoàng Văn A", identity_number="123456789012345")]),
            user=commune_officer,
        )
    assert [(field, reason) for _row, field, _value, reason in problems(batch)] == [
        ("identity_number", "Số định danh cá nhân có 9 hoặc 12 chữ số; ô này có 15.")
    ]
    assert (Household.objects.count(), Member.objects.count()) == (0, 0)


def test_two_heads_are_refused_by_the_page_with_the_engines_reason(commune_officer, ba_che_villages) -> None:
    client = client_for(commune_officer)
    second = {**HEAD, "full_name": "Lò Thị Ín", "sex": "female"}
    rows = {
        "form-TOTAL_FORMS": "6",
        "form-INITIAL_FORMS": "0",
        "form-MIN_NUM_FORMS": "0",
        "form-MAX_NUM_FORMS": "30",
    }
    rows.update({f"form-0-{name}": value for name, value in HEAD.items()})
    rows.update({f"form-1-{name}": value for name, value in second.items()})
    response = client.post(
        "/registry/households/new/",
        {"village_code": "06970-001", "code": "06970-001-0100", "area": "rural", **rows},
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["Mỗi hộ có đúng một chủ hộ; hộ này có 2."]
    assert not Household.objects.exists()


@pytest.mark.parametrize(
    ("whole", "text", "value"),
    [
        (True, "1.500.000", 1_500_000),
        (True, "1,5 triệu", 1_500_000),
        (True, "1 200 000", 1_200_000),
        (False, "32,5", 32.5),
        (False, "32.5", 32.5),
        (False, "1.1250", 1.125),
    ],
)
def test_the_answers_form_reads_numbers_as_officials_write_them(whole: bool, text: str, value: float) -> None:
    assert NumberField(whole=whole).clean(text) == value


def test_a_number_the_answers_form_cannot_read_is_refused_with_how_to_write_it() -> None:
    from django.forms import ValidationError

    with translation.override("vi"), pytest.raises(ValidationError) as raised:
        NumberField(whole=True).clean("1,500")
    assert "ghi 1.500" in raised.value.messages[0]
    with translation.override("en"), pytest.raises(ValidationError) as raised:
        NumberField(whole=True, max_value=100).clean("101")
    assert raised.value.messages == ["Above the maximum of 100."]


def test_a_saved_decimal_is_shown_so_that_it_reads_back_the_same() -> None:
    field = NumberField(whole=False)
    for saved in (1.125, 32.5, 1234.125, 0.5):
        assert field.clean(field.prepare_value(saved)) == saved


def test_the_api_documents_its_choices_from_the_models(commune_officer) -> None:
    document = client_for(commune_officer).get("/api/v1/openapi.json").json()
    member = document["components"]["schemas"]["MemberIn"]["properties"]
    assert member["schooling"]["enum"] == ["", *Member.Schooling.values]
    assert "lower_secondary: Lower secondary" in member["schooling"]["description"]
    assert member["relation_to_head"]["enum"] == list(Member.Relation.values)
    assert document["components"]["schemas"]["HouseholdIn"]["properties"]["area"]["enum"] == [
        "rural",
        "urban",
    ]
