"""The questionnaire file's columns, their labels, the values officials write in them, and the messages
of its checks."""

from django.utils.translation import gettext_lazy

from vungcao.registry.models import Member

HOUSEHOLD_COLUMNS = (
    "review_year",
    "household_code",
    "village_code",
    "address",
    "area",
    "income_per_capita_month",
)
MEMBER_COLUMNS = (
    "member_name",
    "sex",
    "birth_year",
    "ethnic_group",
    "relation_to_head",
    "identity_number",
    "schooling",
    "health_insurance",
    "disability",
    "work",
)
COLUMNS = HOUSEHOLD_COLUMNS + MEMBER_COLUMNS
OPTIONAL_COLUMNS = frozenset(
    {"address", "identity_number", "schooling", "health_insurance", "disability", "work"}
)
LABELS = {
    "review_year": gettext_lazy("Review year"),
    "household_code": gettext_lazy("Household code"),
    "village_code": gettext_lazy("Village code"),
    "address": gettext_lazy("Address"),
    "area": gettext_lazy("Area (rural/urban)"),
    "income_per_capita_month": gettext_lazy("Income per person per month (VND)"),
    "member_name": gettext_lazy("Member's full name"),
    "sex": gettext_lazy("Sex"),
    "birth_year": gettext_lazy("Year of birth"),
    "ethnic_group": gettext_lazy("Ethnic group"),
    "relation_to_head": gettext_lazy("Relation to the head"),
    "identity_number": gettext_lazy("Identity number"),
    "schooling": gettext_lazy("Schooling"),
    "health_insurance": gettext_lazy("Health insurance"),
    "disability": gettext_lazy("Disability"),
    "work": gettext_lazy("Work"),
}

# Values as officials write them, folded (no diacritics, lower case), to the stored codes.
SEX_VALUES = {"male": "male", "nam": "male", "female": "female", "nu": "female"}
AREA_VALUES = {"rural": "rural", "nong thon": "rural", "urban": "urban", "thanh thi": "urban"}
RELATION_VALUES = {
    **{choice: choice for choice in Member.Relation.values},
    "chu ho": "head",
    "vo": "spouse",
    "chong": "spouse",
    "vo/chong": "spouse",
    "con": "child",
    "bo": "parent",
    "cha": "parent",
    "me": "parent",
    "bo/me": "parent",
    "chau": "grandchild",
    "anh": "sibling",
    "chi": "sibling",
    "em": "sibling",
    "anh/chi/em": "sibling",
    "khac": "other",
}
BOOLEAN_VALUES = {
    "": False,
    "0": False,
    "khong": False,
    "no": False,
    "false": False,
    "1": True,
    "co": True,
    "x": True,
    "yes": True,
    "true": True,
}
SCHOOLING_VALUES = {choice: choice for choice in Member.Schooling.values}
WORK_VALUES = {choice: choice for choice in Member.Work.values}
SCHOOLING_OR_BLANK = {"": "", **SCHOOLING_VALUES}
WORK_OR_BLANK = {"": "", **WORK_VALUES}
TEMPLATE_CHOICES = (
    ("area", ("nông thôn", "thành thị")),
    ("sex", ("nam", "nữ")),
    ("relation_to_head", ("chủ hộ", "vợ/chồng", "con", "bố/mẹ", "cháu", "anh/chị/em", "khác")),
    ("health_insurance", ("có", "không")),
    ("disability", ("có", "không")),
    ("schooling", tuple(Member.Schooling.values)),
    ("work", tuple(Member.Work.values)),
)
EXAMPLE = (
    "2025",
    "06970-001-0001",
    "06970-001",
    "Thôn Khe Giấy",
    "nông thôn",
    "1200000",
    "Hoàng Văn A",
    "nam",
    "1980",
    "09",
    "chủ hộ",
    "022080001234",
    "primary",
    "có",
    "không",
    "own_farm",
)

UNKNOWN_VALUE = gettext_lazy("Not one of: {values}.")
NOT_A_NUMBER = gettext_lazy("Not a whole number.")
BORN_IN_FUTURE = gettext_lazy("A member cannot be born in the future.")
BORN_TOO_EARLY = gettext_lazy("A year of birth before 1900 is not plausible.")
REQUIRED = gettext_lazy("This column is required.")
UNKNOWN_VILLAGE = gettext_lazy("No open village with this code in a commune you may change.")
NO_OPEN_REVIEW = gettext_lazy("The commune has no review of {year} open for entry.")
DIFFERS_FROM_FIRST_ROW = gettext_lazy("Differs from the household's first row ({row}).")
NOT_ONE_HEAD = gettext_lazy("A household has exactly one head; this one has {count}.")
SAME_IDENTITY_IN_FILE = gettext_lazy("The same identity number is on row {row}, in household {code}.")
SAME_IDENTITY_STORED = gettext_lazy("This identity number already belongs to a member of household {code}.")
BAD_IDENTITY = gettext_lazy("An identity number has 9 or 12 digits.")
UNKNOWN_ETHNIC_GROUP = gettext_lazy("Unknown ethnic group; write its code (01–54) or its name.")
HOUSEHOLD_ELSEWHERE = gettext_lazy("This household code belongs to a household of another commune.")
CHANGED_MEANWHILE = gettext_lazy(
    "Another import or entry registered some of these households or identity numbers while this file was "
    "being applied; nothing was written. Preview the file again."
)
