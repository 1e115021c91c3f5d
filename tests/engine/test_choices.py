"""One resolver for every choice: code, label in either language, without diacritics, any case, or an
abbreviation; an ambiguous beginning or an unknown text is refused with the labels."""

import pytest

from vungcao.engine.choices import NO, YES, YES_NO, Choice, ChoiceError, ChoiceSet, yes_no_words
from vungcao.engine.text import Label

SCHOOLING = ChoiceSet(
    (
        Choice("primary", Label("Tiểu học", "Primary"), ("TH", "cấp 1")),
        Choice("lower_secondary", Label("Trung học cơ sở", "Lower secondary"), ("THCS", "cấp 2")),
        Choice("upper_secondary", Label("Trung học phổ thông", "Upper secondary"), ("THPT", "cấp 3")),
    ),
    blank="",
)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("lower_secondary", "lower_secondary"),
        ("Lower secondary", "lower_secondary"),
        ("Trung học cơ sở", "lower_secondary"),
        ("TRUNG HOC CO SO", "lower_secondary"),
        ("  trung   hoc co so ", "lower_secondary"),
        ("THCS", "lower_secondary"),
        ("thcs", "lower_secondary"),
        ("cấp 2", "lower_secondary"),
        ("tiểu", "primary"),
        ("upper", "upper_secondary"),
        ("", ""),
    ],
)
def test_a_choice_is_read_however_an_official_writes_it(text: str, code: str) -> None:
    assert SCHOOLING.resolve(text) == code


def test_a_beginning_shared_by_several_choices_is_refused_with_them() -> None:
    with pytest.raises(ChoiceError) as raised:
        SCHOOLING.resolve("trung hoc")
    assert raised.value.message("vi") == (
        "Không rõ là giá trị nào trong: Trung học cơ sở, Trung học phổ thông; ghi đầy đủ hơn."
    )
    assert (
        raised.value.message("en") == "Could be any of: Lower secondary, Upper secondary; write more of it."
    )


@pytest.mark.parametrize("text", ["university", "tr", "=1+1", "THCS\x00", "9" * 10_000])
def test_an_unknown_text_is_refused_with_every_label_in_the_readers_language(text: str) -> None:
    with pytest.raises(ChoiceError) as raised:
        SCHOOLING.resolve(text)
    assert (
        raised.value.message("vi")
        == "Không thuộc các giá trị: Tiểu học, Trung học cơ sở, Trung học phổ thông."
    )
    assert raised.value.message("en") == "Not one of: Primary, Lower secondary, Upper secondary."


def test_a_required_choice_left_empty_is_refused() -> None:
    required = ChoiceSet(SCHOOLING.choices)
    with pytest.raises(ChoiceError) as raised:
        required.resolve("  ")
    assert raised.value.message("en").startswith("Choose one of: Primary")


def test_two_choices_may_not_share_a_name() -> None:
    with pytest.raises(ValueError, match="names both"):
        ChoiceSet((Choice("a", Label("Có", "Yes")), Choice("b", Label("Khác", "Other"), ("co",))))


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("có", YES),
        ("Có", YES),
        ("co", YES),
        ("c", YES),
        ("x", YES),
        ("y", YES),
        ("1", YES),
        ("yes", YES),
        ("không", NO),
        ("KHÔNG", NO),
        ("khong", NO),
        ("k", NO),
        ("ko", NO),
        ("n", NO),
        ("0", NO),
        ("no", NO),
    ],
)
def test_yes_and_no_are_the_same_words_everywhere(text: str, answer: str) -> None:
    assert YES_NO.resolve(text) == answer
    assert text.lower() in yes_no_words(answer)


def test_yes_no_takes_no_beginnings() -> None:
    """ "kh" or "co ban" are not answers: a short word begins too many others."""
    assert YES_NO.get("kh") is None
    assert YES_NO.get("co ban") is None
