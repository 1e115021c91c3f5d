"""A commune review's questionnaire as an XLSForm (biểu mẫu cho ODK Collect), generated from the cycle's
poverty standard and the registry's field declarations: the same questions, allowed values, bounds and
rules as the web's answers form and the questionnaire import, so that what a phone lets an officer
finish the server accepts.

Every question is named after the questionnaire's column it fills, so a submitted instance maps to the
questionnaire's rows name for name. Labels, hints and messages come in two languages: the standard's own
texts from its ``Label``s, ours as English msgids rendered in Vietnamese and English. The rows are written
to an xlsx workbook (:func:`xlsform_workbook`), which ``field_capture.xforms`` converts with pyxform and
officials may download.
"""

import hashlib
import io
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from openpyxl import Workbook

from vungcao.common.spreadsheets import sheet_row
from vungcao.engine import households
from vungcao.engine.choices import YES_NO, ChoiceSet
from vungcao.engine.poverty import Standard
from vungcao.engine.poverty.expression import referenced_names
from vungcao.engine.poverty.standard import AREA, INCOME, InputField
from vungcao.engine.poverty.xpath import standard_fields, xpath_holds
from vungcao.engine.text import Label, format_number
from vungcao.registry.fields import MEMBER_FIELDS, FieldSpec, choice_sets

Row = Mapping[str, str]
Wording = Mapping[str, Mapping[str, Mapping[str, str]]]
"""A province's wording of a form: by sheet (``survey``, ``choices``) and row (:func:`row_key`), the new
text of each of the row's ``WORDING_COLUMNS`` it changes."""

FORM_NAME = "household_review"
"""The root element of every instance a phone sends."""
LANGUAGES = {"vi": "Tiếng Việt (vi)", "en": "English (en)"}
"""Each language as the XLSForm's translated columns name it (``label::Tiếng Việt (vi)``)."""
DEFAULT_LANGUAGE = LANGUAGES["vi"]
TRANSLATED = ("label", "hint", "required_message", "constraint_message")
SURVEY_COLUMNS = (
    "type",
    "name",
    *(f"{column}::{name}" for column in TRANSLATED for name in LANGUAGES.values()),
    "required",
    "relevant",
    "constraint",
    "calculation",
    "trigger",
    "choice_filter",
    "appearance",
    "parameters",
)
CHOICE_COLUMNS = ("list_name", "name", *(f"label::{name}" for name in LANGUAGES.values()))
WORDING_COLUMNS = frozenset(
    {*(f"{column}::{name}" for column in TRANSLATED for name in LANGUAGES.values()), "appearance"}
)
"""The columns a province may reword (``FormWording``): the texts in each language, and how a question
is shown."""
SETTINGS_COLUMNS = ("form_title", "form_id", "version", "default_language", "instance_name", "name")

VILLAGES_FILE = "villages.csv"
HOUSEHOLDS_FILE = "households.csv"
PHONE_INTEGER_MAXIMUM = 999_999_999
"""The most an integer question takes on the phone (Collect's integer widget holds nine digits)."""
GROUPED_FROM = 10_000
"""An integer question that may reach this shows its thousands grouped as it is typed (an income)."""
NEW_HOUSEHOLD_CODE = r"^[0-9]{5}-[0-9]{3}-[0-9]{4}$"
"""A household code as villages number their households: the village's code, a dash and four digits."""
IDENTITY_NUMBER = "^({})$".format("|".join(f"[0-9]{{{length}}}" for length in households.IDENTITY_LENGTHS))
MAX_TEXT = {"address": 255, "member_name": 120}
"""The longest text of a typed answer: its column's length in the registry."""
PHOTO = "dwelling_photo"
PHOTO_PIXELS = 1600
"""The longest side of the dwelling's photo as the phone resizes it (about 0.3 MB)."""
YES_NO_LIST = "yes_no"
MEMBER_REPEAT = "member"
"""The repeat of a new household's members: one element per member in an instance."""
OTHER_PAGE = "household_answers"

ROSTER_ITEM = "instance('households')/root/item[code = ${household_code}]"
NEW = "${new_household} = 'yes'"
EXISTING = "${new_household} = 'no'"

VILLAGE = _("Village")
NEW_HOUSEHOLD = _("Is this a new household, not yet on the list?")
HOUSEHOLD = _("Household")
NEW_HOUSEHOLD_CODE_LABEL = _("The new household's code")
NEW_HOUSEHOLD_CODE_HINT = _("The village's code, a dash and four digits, not yet given to a household.")
NEW_HOUSEHOLD_CODE_WRONG = _(
    "Write the village's code, a dash and four digits; the code must not belong to a listed household."
)
ADDRESS = _("Address")
TEXT_WRONG = _("At most {length} characters, not beginning with =.")
MEMBERS = _("Members of the new household")
MEMBER = _("Member")
ONE_HEAD = _("Add the household's members with exactly one head.")
OTHER_ANSWERS = _("The household")
AT_LEAST = _("At least {minimum}.")
AT_MOST = _("At most {maximum}.")
FROM_TO = _("From {minimum} to {maximum}.")
DWELLING_PHOTO = _("Photo of the dwelling")
TITLE = _("Poverty review")


def ours(message: Promise, **values: object) -> Label:
    """One of our texts (an English msgid) in both languages, ``values`` filled in (a ``Label`` value in
    each language)."""
    texts = []
    for language in LANGUAGES:
        with translation.override(language):
            texts.append(str(message))
    return Label(*texts).format(**values) if values else Label(*texts)


def _number(value: float) -> Label:
    return Label(format_number(value, "vi"), format_number(value, "en"))


def _texts(column: str, text: Label | None) -> dict[str, str]:
    if text is None:
        return {}
    return {f"{column}::{LANGUAGES[language]}": text.in_language(language) for language in LANGUAGES}


def _question(
    type_: str,
    name: str,
    label: Label | None = None,
    *,
    required: bool = False,
    hint: Label | None = None,
    constraint: str = "",
    constraint_message: Label | None = None,
    **columns: str,
) -> dict[str, str]:
    return {
        "type": type_,
        "name": name,
        **_texts("label", label),
        **_texts("hint", hint),
        **({"required": "yes"} if required else {}),
        **({"constraint": constraint} if constraint else {}),
        **_texts("constraint_message", constraint_message),
        **{column: value for column, value in columns.items() if value},
    }


# --- The standard's answers ---------------------------------------------------------------------------


def _xpath_number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else repr(float(value))


def _range(input_field: InputField) -> list[tuple[str, Label]]:
    """The constraint that keeps a number within its field's bounds (and what the phone's integer widget
    can hold), with its message; none for a number without bounds."""
    minimum = input_field.minimum
    maximum = input_field.maximum
    if input_field.type == "integer":
        maximum = PHONE_INTEGER_MAXIMUM if maximum is None else min(maximum, PHONE_INTEGER_MAXIMUM)
    if minimum is not None and maximum is not None:
        message = ours(FROM_TO, minimum=_number(minimum), maximum=_number(maximum))
        return [(f". >= {_xpath_number(minimum)} and . <= {_xpath_number(maximum)}", message)]
    if minimum is not None:
        return [(f". >= {_xpath_number(minimum)}", ours(AT_LEAST, minimum=_number(minimum)))]
    if maximum is not None:
        return [(f". <= {_xpath_number(maximum)}", ours(AT_MOST, maximum=_number(maximum)))]
    return []


def _messages(messages: list[Label]) -> Label | None:
    """The messages of a question's constraints as one (the phone shows one), in each language."""
    if not messages:
        return None
    return Label(*(" ".join(message.in_language(language) for message in messages) for language in LANGUAGES))


def check_constraints(input_field: InputField, standard: Standard) -> list[tuple[str, Label]]:
    """The standard's checks that read ``input_field``, each as a constraint (it fails only when the
    check is false, as the server refuses it) with the check's message. A check is put on every field it
    reads: the phone evaluates a constraint when its own question is answered, and all again when the
    form is finished."""
    fields = standard_fields(standard)
    return [
        (xpath_holds(check.holds, fields), check.message)
        for check in standard.checks
        if input_field.name in referenced_names(check.holds)
    ]


def _answer(input_field: InputField, standard: Standard) -> dict[str, str]:
    """The question asking ``input_field``: a yes/no field asked so that "yes" means the household has
    it (the stored value is ``stored_from_answer``); a category among its allowed values; a number within
    its bounds; each with the standard's checks that read it."""
    label = input_field.asked
    if input_field.type == "boolean":
        type_ = f"select_one {YES_NO_LIST}"
    elif input_field.type == "category":
        type_ = f"select_one {input_field.name}"
    else:
        type_ = "integer" if input_field.type == "integer" else "decimal"
    constraints = _range(input_field) if input_field.type in ("integer", "number") else []
    constraints += check_constraints(input_field, standard)
    grouped = input_field.type == "integer" and (input_field.maximum or 0) >= GROUPED_FROM
    return _question(
        type_,
        input_field.name,
        label,
        required=input_field.required,
        hint=input_field.unit,
        constraint=" and ".join(constraint for constraint, _message in constraints),
        constraint_message=_messages([message for _constraint, message in constraints]),
        appearance="thousands-sep" if grouped else "",
    )


def _dimension_of(standard: Standard) -> dict[str, str]:
    """Each answer's dimension: the first (in the standard's order) whose indicators read it."""
    found: dict[str, str] = {}
    for dimension in standard.dimensions:
        for indicator in standard.dimension_indicators(dimension.identifier):
            names = referenced_names(indicator.deprived_when) if indicator.deprived_when else set()
            for name in sorted(names | {indicator.column}):
                found.setdefault(name, dimension.identifier)
    return found


def _answers(standard: Standard) -> list[dict[str, str]]:
    """The standard's answers after area and income, one page (``field-list``) per dimension, those no
    indicator reads first."""
    dimension_of = _dimension_of(standard)
    pages: dict[str, tuple[Label, list[InputField]]] = {OTHER_PAGE: (ours(OTHER_ANSWERS), [])}
    for dimension in standard.dimensions:
        pages[f"dimension_{dimension.identifier}"] = (dimension.label, [])
    for input_field in standard.all_fields:
        if input_field.name not in (AREA, INCOME):
            identifier = dimension_of.get(input_field.name)
            pages[OTHER_PAGE if identifier is None else f"dimension_{identifier}"][1].append(input_field)
    rows: list[dict[str, str]] = []
    for name, (label, page) in pages.items():
        if page:
            rows.append(_question("begin_group", name, label, appearance="field-list"))
            rows.extend(_answer(input_field, standard) for input_field in page)
            rows.append({"type": "end_group", "name": name})
    return rows


# --- The household and its members --------------------------------------------------------------------


def _text_constraint(name: str) -> tuple[str, Label]:
    length = MAX_TEXT[name]
    return (
        f"string-length(.) <= {length} and not(starts-with(., '='))",
        ours(TEXT_WRONG, length=_number(length)),
    )


def _member(spec: FieldSpec) -> dict[str, str]:
    label = ours(spec.label)
    if spec.name == "member_name":
        constraint, message = _text_constraint(spec.name)
        return _question(
            "text", spec.name, label, required=True, constraint=constraint, constraint_message=message
        )
    if spec.name == "birth_year":
        return _question(
            "integer",
            spec.name,
            label,
            required=True,
            constraint=(f". >= {households.FIRST_BIRTH_YEAR} and . <= number(format-date(today(), '%Y'))"),
            constraint_message=Label(
                f"{households.BORN_TOO_EARLY.vi} {households.BORN_IN_FUTURE.vi}",
                f"{households.BORN_TOO_EARLY.en} {households.BORN_IN_FUTURE.en}",
            ),
        )
    if spec.name == "identity_number":
        return _question(
            "text",
            spec.name,
            label,
            constraint=f"regex(., '{IDENTITY_NUMBER}')",
            constraint_message=households.BAD_IDENTITY,
            appearance="numbers",
        )
    choices = spec.choice_set()
    list_name = YES_NO_LIST if choices.codes == YES_NO.codes else spec.name
    return _question(
        f"select_one {list_name}",
        spec.name,
        label,
        required=spec.required,
        appearance="" if spec.listed else "autocomplete",
    )


def _household(standard: Standard) -> list[dict[str, str]]:
    """Which household: a listed one of a village (its head's name and area looked up in the list the
    phone holds), or a new one with its code, address and members."""
    address_constraint, address_message = _text_constraint("address")
    area, income = standard.field(AREA), standard.field(INCOME)
    return [
        _question("start", "start"),
        _question("end", "end"),
        _question("deviceid", "deviceid"),
        _question(
            f"select_one_from_file {VILLAGES_FILE}",
            "village_code",
            ours(VILLAGE),
            required=True,
            parameters="value=code label=name",
        ),
        _question(f"select_one {YES_NO_LIST}", "new_household", ours(NEW_HOUSEHOLD), required=True),
        _question(
            f"select_one_from_file {HOUSEHOLDS_FILE}",
            "household_code",
            ours(HOUSEHOLD),
            required=True,
            relevant=EXISTING,
            choice_filter="village = ${village_code}",
            appearance="autocomplete",
            parameters="value=code label=label",
        ),
        _question("calculate", "head_name", calculation=f"{ROSTER_ITEM}/head_name"),
        _question(
            "text",
            "new_household_code",
            ours(NEW_HOUSEHOLD_CODE_LABEL),
            required=True,
            hint=ours(NEW_HOUSEHOLD_CODE_HINT),
            relevant=NEW,
            constraint=(
                f"regex(., '{NEW_HOUSEHOLD_CODE}') and starts-with(., concat(${{village_code}}, '-'))"
                " and count(instance('households')/root/item[code = ${new_household_code}]) = 0"
            ),
            constraint_message=ours(NEW_HOUSEHOLD_CODE_WRONG),
        ),
        _question(
            "text",
            "address",
            ours(ADDRESS),
            relevant=NEW,
            constraint=address_constraint,
            constraint_message=address_message,
        ),
        _question("begin_repeat", MEMBER_REPEAT, ours(MEMBERS), relevant=NEW),
        *(_member(spec) for spec in MEMBER_FIELDS),
        {"type": "end_repeat", "name": MEMBER_REPEAT},
        _question("calculate", "head_count", calculation="count(${member}[relation_to_head = 'head'])"),
        _question(
            "acknowledge",
            "one_head",
            households.NOT_ONE_HEAD.format(count="${head_count}"),
            required=True,
            relevant=f"{NEW} and ${{head_count}} != 1",
            constraint="false()",
            constraint_message=ours(ONE_HEAD),
        ),
        {
            **_answer(area, standard),
            "trigger": "${household_code}",
            "calculation": f"{ROSTER_ITEM}/area",
        },
        _answer(income, standard),
    ]


# --- Choices, settings, the whole form ----------------------------------------------------------------


def _choice_rows(list_name: str, choices: Iterable[tuple[str, Label]]) -> list[dict[str, str]]:
    return [{"list_name": list_name, "name": code, **_texts("label", label)} for code, label in choices]


def _choice_set_rows(list_name: str, choices: ChoiceSet) -> list[dict[str, str]]:
    return _choice_rows(list_name, ((choice.code, choice.label) for choice in choices.choices))


def _choices(standard: Standard) -> list[dict[str, str]]:
    rows = _choice_set_rows(YES_NO_LIST, YES_NO)
    for input_field in standard.all_fields:
        if input_field.type == "category":
            rows += _choice_rows(input_field.name, input_field.allowed_values.items())
    for spec in MEMBER_FIELDS:
        if spec.choices and spec.choice_set().codes != YES_NO.codes:
            rows += _choice_set_rows(spec.name, choice_sets()[spec.name])
    return rows


def row_key(sheet: str, row: Row) -> str:
    """How a wording names a row: a question (or group) by its name, the end of a group by its type and
    name (``end_group/dimension_health``), a choice by its list and name (``area/rural``)."""
    if sheet == "choices":
        return f"{row.get('list_name', '')}/{row.get('name', '')}"
    kind = row.get("type", "")
    return f"{kind}/{row.get('name', '')}" if kind.startswith("end_") else row.get("name", "")


def _worded(sheet: str, rows: Iterable[Row], wording: Wording) -> tuple[Row, ...]:
    texts = wording.get(sheet, {})
    return tuple(
        {
            **row,
            **{
                column: text
                for column, text in texts.get(row_key(sheet, row), {}).items()
                if column in WORDING_COLUMNS
            },
        }
        for row in rows
    )


@dataclass(frozen=True)
class XLSForm:
    """An XLSForm's three sheets as rows of text by column."""

    survey: tuple[Row, ...]
    choices: tuple[Row, ...]
    settings: Row

    def sheets(self) -> dict[str, tuple[Sequence[str], list[list[str]]]]:
        """Each sheet's header and rows, rectangular (a cell left empty is the empty text)."""
        return {
            name: (columns, [[row.get(column, "") for column in columns] for row in rows])
            for name, columns, rows in (
                ("survey", SURVEY_COLUMNS, self.survey),
                ("choices", CHOICE_COLUMNS, self.choices),
                ("settings", SETTINGS_COLUMNS, (self.settings,)),
            )
        }

    def digest(self) -> str:
        """SHA-256 of the rows, serialised canonically: changes with any rule, label or setting."""
        canonical = json.dumps(self.sheets(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        return hashlib.sha256(canonical.encode()).hexdigest()


def questionnaire_xlsform(
    standard: Standard, *, form_id: str, title: str, year: int, wording: Wording | None = None
) -> XLSForm:
    """The questionnaire of ``standard`` as a form ``form_id`` titled ``title``, reworded by the
    province's ``wording``; its version is the year and the digest of everything else in it, so it
    changes exactly when a rule, a label, the wording or the title does (the household list is the form's
    media, not the form)."""
    instance_name = f"if({NEW}, ${{new_household_code}}, concat(${{household_code}}, ' · ', ${{head_name}}))"
    settings = {
        "form_title": title,
        "form_id": form_id,
        "default_language": DEFAULT_LANGUAGE,
        "instance_name": instance_name,
        "name": FORM_NAME,
    }
    photo = _question("image", PHOTO, ours(DWELLING_PHOTO), parameters=f"max-pixels={PHOTO_PIXELS}")
    unversioned = XLSForm(
        survey=_worded("survey", (*_household(standard), *_answers(standard), photo), wording or {}),
        choices=_worded("choices", _choices(standard), wording or {}),
        settings=settings,
    )
    version = f"{year}.{unversioned.digest()[:12]}"
    return XLSForm(unversioned.survey, unversioned.choices, {**settings, "version": version})


def xlsform_workbook(form: XLSForm) -> bytes:
    """The form as an xlsx workbook, as pyxform reads it and officials open it."""
    workbook = Workbook(write_only=True)
    for name, (columns, rows) in form.sheets().items():
        sheet = workbook.create_sheet(name)
        sheet.append(list(columns))
        for row in rows:
            sheet.append(sheet_row(sheet, row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
