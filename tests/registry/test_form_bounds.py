"""The registry's page forms hold the columns' bounds: out of range is a form error, never a server error."""

from vungcao.registry.forms import HouseholdForm, MemberForm, MoveForm


def test_an_address_over_255_characters_is_a_form_error_on_address() -> None:
    form = HouseholdForm({"village_code": "06970", "code": "KG-001", "area": "rural", "address": "x" * 256})
    assert not form.is_valid()
    assert list(form.errors) == ["address"]


def test_a_birth_year_beyond_2100_is_a_form_error_on_birth_year() -> None:
    form = MemberForm(
        {
            "full_name": "Lý Văn Sáng",
            "sex": "male",
            "birth_year": str(2**64),
            "ethnic_group": "09",
            "relation_to_head": "head",
        }
    )
    assert not form.is_valid()
    assert list(form.errors) == ["birth_year"]


def test_a_move_dated_before_1900_is_a_form_error_on_the_date() -> None:
    form = MoveForm({"village_code": "06970-001", "on": "1800-01-01"})
    assert not form.is_valid()
    assert list(form.errors) == ["on"]
