"""A household's and its members' rules, the same for the form, the API and the import."""

from vungcao.engine import households
from vungcao.engine.households import MemberFacts, Problem

THIS_YEAR = 2026


def test_a_household_with_one_head_and_plausible_members_has_no_problem() -> None:
    members = [MemberFacts("head", 1970, "022070001234"), MemberFacts("child", 2000, "123456789")]
    assert households.household_problems(members, this_year=THIS_YEAR) == []


def test_every_broken_rule_is_listed_with_the_member_it_concerns() -> None:
    members = [
        MemberFacts("head", 2999, "12345"),
        MemberFacts("head", 1850, "022070001234"),
        MemberFacts("child", 2000, "022070001234"),
    ]
    assert households.household_problems(members, this_year=THIS_YEAR) == [
        Problem(0, "birth_year", households.BORN_IN_FUTURE),
        Problem(0, "identity_number", households.BAD_IDENTITY),
        Problem(1, "birth_year", households.BORN_TOO_EARLY),
        Problem(
            None,
            "relation_to_head",
            households.Label(
                "Mỗi hộ có đúng một chủ hộ; hộ này có 2.", "A household has exactly one head; this one has 2."
            ),
        ),
        Problem(2, "identity_number", households.SAME_IDENTITY_TWICE),
    ]


def test_a_household_without_a_head_is_refused() -> None:
    problems = households.household_problems([MemberFacts("child", 2000)], this_year=THIS_YEAR)
    assert [problem.reason.en for problem in problems] == [
        "A household has exactly one head; this one has 0."
    ]


def test_an_identity_number_has_nine_or_twelve_ascii_digits() -> None:
    assert households.identity_number_problem("") is None
    assert households.identity_number_problem("123456789") is None
    assert households.identity_number_problem("022070001234") is None
    for wrong in ("12345678", "0220700012345", "١٢٣٤٥٦٧٨٩", "12345678X"):
        assert households.identity_number_problem(wrong) == households.BAD_IDENTITY
