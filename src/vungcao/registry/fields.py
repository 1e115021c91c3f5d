"""Each field of a household and of a member, declared once: its name, its label (English here,
Vietnamese in the translations), how a text is read into it, its allowed values with their labels, an
example, and whether it holds a code that must stay text (leading zeros). The questionnaire import's
columns, labels, template lists and example, the household and member forms' choices and the API
schema's documented values are all built from these declarations.

The allowed values are the models' choices (``Member.Schooling`` …), with their labels in both
languages; the other ways officials write them (``THCS``, ``cấp 2``, ``ko``) are declared here, next to
them, as data."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import Annotated, Any

from django.db import models
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from pydantic import AfterValidator, WithJsonSchema

from vungcao.common.choices import model_choice_set
from vungcao.common.language import reader_language
from vungcao.engine import codes
from vungcao.engine.choices import YES_NO, Choice, ChoiceSet
from vungcao.engine.text import Label
from vungcao.registry.models import Area, Member
from vungcao.registry.reference import ethnic_groups

ABBREVIATIONS: Mapping[str, Mapping[str, tuple[str, ...]]] = {
    "area": {
        "rural": ("NT", "nông thôn", "xã"),
        "urban": ("TT", "thành thị", "đô thị", "phường", "thị trấn"),
    },
    "sex": {"male": ("nam", "m", "trai"), "female": ("nữ", "nu", "f", "gái")},
    "relation_to_head": {
        "head": ("chủ hộ", "CH", "chủ"),
        "spouse": ("vợ", "chồng", "vợ/chồng", "vợ chồng"),
        "child": ("con", "con đẻ", "con nuôi"),
        "parent": ("bố", "cha", "mẹ", "bố/mẹ", "cha/mẹ", "bố mẹ", "cha mẹ"),
        "grandchild": ("cháu", "cháu nội", "cháu ngoại"),
        "sibling": ("anh", "chị", "em", "anh/chị/em", "anh chị em"),
        "other": ("khác",),
    },
    "schooling": {
        "none": ("không đi học", "chưa đi học", "không biết chữ", "mù chữ"),
        "preschool": ("mẫu giáo", "nhà trẻ", "MG", "MN"),
        "primary": ("TH", "tiểu học", "cấp 1", "cấp I"),
        "lower_secondary": ("THCS", "trung học cơ sở", "cấp 2", "cấp II"),
        "upper_secondary": ("THPT", "trung học phổ thông", "cấp 3", "cấp III", "bổ túc"),
        "vocational": ("nghề", "học nghề", "trung cấp", "TC", "sơ cấp", "TCN"),
        "higher": ("ĐH", "CĐ", "đại học", "cao đẳng", "thạc sĩ", "tiến sĩ", "sau đại học"),
    },
    "work": {
        "wage_with_contract": ("có HĐLĐ", "làm công có hợp đồng", "công nhân viên chức", "CNVC"),
        "wage_without_contract": ("không HĐLĐ", "làm thuê", "làm công không hợp đồng"),
        "own_farm": ("làm ruộng", "làm nông", "nông nghiệp", "nông dân", "làm nương", "NLN"),
        "own_business": ("buôn bán", "kinh doanh", "tự kinh doanh", "dịch vụ"),
        "unemployed": ("không có việc", "không có việc làm"),
        "student": ("học sinh", "sinh viên", "HS", "SV"),
        "not_working": ("không làm việc", "nghỉ hưu", "hưu trí", "ốm đau", "già yếu", "còn nhỏ"),
    },
}


def _from_model(choices: type[models.TextChoices], name: str, blank: str | None = None) -> ChoiceSet:
    return model_choice_set(choices, ABBREVIATIONS.get(name, {}), blank)


def _ethnic_groups() -> ChoiceSet:
    local = {"08": ("mong", "h'mong", "hmong"), "05": ("khmer", "kho me", "khơ me")}
    return ChoiceSet(
        tuple(
            Choice(
                group.code,
                Label(group.name_vi, group.name_en),
                (*local.get(group.code, ()), *{group.name_vi.replace("-", " ")} - {group.name_vi}),
            )
            for group in ethnic_groups().values()
        )
    )


@cache
def choice_sets() -> Mapping[str, ChoiceSet]:
    """Each choice field's allowed values (built once: the labels come from the translations)."""
    return {
        "area": _from_model(Area, "area"),
        "sex": _from_model(Member.Sex, "sex"),
        "relation_to_head": _from_model(Member.Relation, "relation_to_head"),
        "schooling": _from_model(Member.Schooling, "schooling", blank=""),
        "work": _from_model(Member.Work, "work", blank=""),
        "ethnic_group": _ethnic_groups(),
        "health_insurance": ChoiceSet(YES_NO.choices, blank="no", prefixes=False),
        "disability": ChoiceSet(YES_NO.choices, blank="no", prefixes=False),
    }


@dataclass(frozen=True)
class FieldSpec:
    """One field of a household or a member. ``code`` is the shape of a code column (kept as text, its
    leading zeros restored) or None; ``choices`` names the field's :func:`choice_sets` entry."""

    name: str
    label: Promise
    example: Callable[[], str]
    required: bool = True
    choices: bool = False
    code: codes.CodeShape | None = None
    # Whether the template offers the allowed values as a drop-down list (not the 54 ethnic groups,
    # whose codes officials type).
    listed: bool = True

    def choice_set(self) -> ChoiceSet:
        return choice_sets()[self.name]

    def choice_labels(self) -> tuple[str, ...]:
        """The allowed values as the reader reads them."""
        return self.choice_set().labels(reader_language())


def _label_of(name: str, code: str) -> Callable[[], str]:
    return lambda: choice_sets()[name].label(code).in_language(reader_language())


def _text(value: str) -> Callable[[], str]:
    return lambda: value


HOUSEHOLD_FIELDS = (
    FieldSpec("review_year", _("Review year"), _text("2025")),
    FieldSpec("household_code", _("Household code"), _text("06970-001-0001"), code=codes.HOUSEHOLD),
    FieldSpec("village_code", _("Village code"), _text("06970-001"), code=codes.VILLAGE),
    FieldSpec("address", _("Address"), _text("Thôn Khe Giấy"), required=False),
    FieldSpec("area", _("Area (rural/urban)"), _label_of("area", "rural"), choices=True),
    FieldSpec("income_per_capita_month", _("Income per person per month (VND)"), _text("1.200.000")),
)
MEMBER_FIELDS = (
    FieldSpec("member_name", _("Member's full name"), _text("Hoàng Văn A")),
    FieldSpec("sex", _("Sex"), _label_of("sex", "male"), choices=True),
    FieldSpec("birth_year", _("Year of birth"), _text("1980")),
    FieldSpec(
        "ethnic_group", _("Ethnic group"), _text("09"), choices=True, code=codes.ETHNIC_GROUP, listed=False
    ),
    FieldSpec(
        "relation_to_head", _("Relation to the head"), _label_of("relation_to_head", "head"), choices=True
    ),
    FieldSpec(
        "identity_number", _("Identity number"), _text("022080001234"), False, code=codes.IDENTITY_NUMBER
    ),
    FieldSpec("schooling", _("Schooling"), _label_of("schooling", "primary"), False, choices=True),
    FieldSpec("health_insurance", _("Health insurance"), _label_of("health_insurance", "yes"), False, True),
    FieldSpec("disability", _("Disability"), _label_of("disability", "no"), False, True),
    FieldSpec("work", _("Work"), _label_of("work", "own_farm"), False, choices=True),
)
FIELDS = {spec.name: spec for spec in (*HOUSEHOLD_FIELDS, *MEMBER_FIELDS)}


MODEL_CHOICES: Mapping[str, type[models.TextChoices]] = {
    "area": Area,
    "sex": Member.Sex,
    "relation_to_head": Member.Relation,
    "schooling": Member.Schooling,
    "work": Member.Work,
}
"""The fields whose allowed values are a model's choices."""


def choice_codes(name: str) -> tuple[str, ...]:
    """A choice field's codes in their order, without reading a translation."""
    if name in MODEL_CHOICES:
        return tuple(MODEL_CHOICES[name].values)
    if name == "ethnic_group":
        return tuple(ethnic_groups())
    return YES_NO.codes


def form_choices(name: str, *, blank: Promise | str | None = None) -> list[tuple[str, object]]:
    """A choice field's (code, label) pairs for a form, the labels translated when shown."""
    pairs: list[tuple[str, object]] = list(MODEL_CHOICES[name].choices)
    return [("", blank), *pairs] if blank is not None else pairs


def api_choice(name: str, *, blank: bool = False) -> Any:
    """A choice field of the API: one of the codes, documented as an enum with each code's label."""
    values = [*([""] if blank else []), *MODEL_CHOICES[name].values]
    with translation.override("en"):
        labels = "; ".join(f"{value}: {label}" for value, label in MODEL_CHOICES[name].choices)

    def one_of(value: str) -> str:
        if value not in values:
            raise ValueError(f"not one of: {', '.join(repr(allowed) for allowed in values)}")
        return value

    schema = {
        "type": "string",
        "enum": values,
        "description": labels + ("; empty: not recorded" if blank else ""),
    }
    return Annotated[str, AfterValidator(one_of), WithJsonSchema(schema)]
