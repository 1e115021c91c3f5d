"""Why a catalogue or an indicator is refused: one bilingual reason per rule, naming the indicator.

Each reason is a :class:`~vungcao.engine.text.Label` template with ``{code}`` (the indicator's code) and
the rule's own fields; :func:`problem` fills both languages at once. Tests compare against these
constants, formatted the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from vungcao.engine.text import Label

NOT_TOML = Label(
    "Tệp danh mục không đúng định dạng TOML: {error}", "The catalogue is not valid TOML: {error}"
)
MISSING_VERSION = Label("Danh mục thiếu phiên bản (version).", "The catalogue has no version.")
NOT_A_TABLE = Label(
    "Mỗi chỉ tiêu là một bảng [[indicator]] gồm các trường.",
    "Each indicator is an [[indicator]] table of fields.",
)
MISSING_FIELD = Label("Chỉ tiêu {code}: thiếu {field}.", "Indicator {code}: {field} is missing.")
UNKNOWN_FIELD = Label(
    "Chỉ tiêu {code}: không có trường {field}.", "Indicator {code}: there is no field {field}."
)
BAD_CODE = Label(
    "Mã chỉ tiêu {code!r} không hợp lệ: chỉ gồm chữ thường không dấu, chữ số và dấu gạch dưới, bắt đầu "
    "bằng một chữ.",
    "Indicator code {code!r} is not valid: lower-case letters, digits and underscores, beginning with a "
    "letter.",
)
DUPLICATE_CODE = Label(
    "Mã chỉ tiêu {code} đã được dùng cho một chỉ tiêu khác.", "Indicator code {code} is already used."
)
UNKNOWN_VALUE = Label(
    "Chỉ tiêu {code}: {field} = {value!r} không thuộc các giá trị: {allowed}.",
    "Indicator {code}: {field} = {value!r} is not one of: {allowed}.",
)
NOT_A_NUMBER = Label(
    "Chỉ tiêu {code}: {field} = {value!r} không phải là số.",
    "Indicator {code}: {field} = {value!r} is not a number.",
)
NOT_TRUE_OR_FALSE = Label(
    "Chỉ tiêu {code}: {field} phải là true hoặc false.", "Indicator {code}: {field} must be true or false."
)
BAD_DECIMALS = Label(
    "Chỉ tiêu {code}: số chữ số thập phân phải là số nguyên từ 0 đến {most}.",
    "Indicator {code}: decimals must be a whole number from 0 to {most}.",
)
BAD_RECORD_FILTER = Label(
    "Chỉ tiêu {code}: record_filter phải là bảng các cặp tên = giá trị dạng văn bản.",
    "Indicator {code}: record_filter must be a table of text names and values.",
)
DERIVED_WITHOUT_FORMULA = Label(
    "Chỉ tiêu {code} tính theo công thức nhưng không có công thức.",
    "Indicator {code} is derived but has no formula.",
)
DERIVED_NOT_RECOMPUTED = Label(
    "Chỉ tiêu {code} tính theo công thức nên phải được tính lại từ các thành phần (aggregation = "
    '"recompute").',
    'Indicator {code} is derived, so it must be recomputed from its parts (aggregation = "recompute").',
)
FORMULA_NOT_DERIVED = Label(
    "Chỉ tiêu {code} không phải loại tính theo công thức nên không có công thức.",
    "Indicator {code} is not derived, so it cannot have a formula.",
)
RECOMPUTE_NOT_DERIVED = Label(
    'Chỉ tiêu {code} không có công thức nên không thể "tính lại từ các thành phần"; dùng "sum" hoặc "none".',
    'Indicator {code} has no formula to recompute; its aggregation is "sum" or "none".',
)
COMPUTED_WITHOUT_RECORD = Label(
    "Chỉ tiêu {code} tính từ dữ liệu của hệ thống nhưng không nêu phép tính (record).",
    "Indicator {code} is computed from records but names no computation (record).",
)
RECORD_NOT_COMPUTED = Label(
    "Chỉ tiêu {code} không tính từ dữ liệu của hệ thống nên không có record hay record_filter.",
    "Indicator {code} is not computed from records, so it has no record or record_filter.",
)
FALLBACK_NOT_COMPUTED = Label(
    "Chỉ tiêu {code}: chỉ chỉ tiêu tính từ dữ liệu của hệ thống mới có entered_fallback.",
    "Indicator {code}: only an indicator computed from records can have entered_fallback.",
)
MINIMUM_ABOVE_MAXIMUM = Label(
    "Chỉ tiêu {code}: giá trị tối thiểu {minimum} lớn hơn giá trị tối đa {maximum}.",
    "Indicator {code}: the minimum {minimum} is above the maximum {maximum}.",
)
UNKNOWN_OP = Label(
    "Chỉ tiêu {code}: phép tính {op!r} không thuộc các phép: {allowed}.",
    "Indicator {code}: the formula's op {op!r} is not one of: {allowed}.",
)
BAD_FORMULA = Label(
    'Chỉ tiêu {code}: công thức phải là bảng có op, ví dụ {{ op = "ratio", numerator = …, denominator = … }}.',
    'Indicator {code}: a formula is a table with an op, e.g. {{ op = "ratio", numerator = …, denominator = … }}.',
)
FORMULA_MISSING_PART = Label(
    "Chỉ tiêu {code}: công thức {op} thiếu {part} (mã một chỉ tiêu).",
    "Indicator {code}: the {op} formula needs {part} (an indicator's code).",
)
EMPTY_SUM = Label(
    "Chỉ tiêu {code}: công thức tổng cần ít nhất một chỉ tiêu (terms).",
    "Indicator {code}: a sum formula needs at least one indicator (terms).",
)
BAD_SCALE = Label(
    "Chỉ tiêu {code}: hệ số (scale) của tỷ lệ phải là số dương.",
    "Indicator {code}: the ratio's scale must be a positive number.",
)
UNKNOWN_REFERENCE = Label(
    "Công thức của chỉ tiêu {code} dùng chỉ tiêu {reference}, không có trong danh mục.",
    "The formula of indicator {code} reads {reference}, which is not in the catalogue.",
)
CYCLE = Label(
    "Công thức của chỉ tiêu {code} vòng lại chính nó: {path}.",
    "The formula of indicator {code} reads itself: {path}.",
)


@dataclass(frozen=True)
class CatalogueProblem:
    """One problem of a catalogue: the ``code`` of the indicator concerned ("" for the catalogue as a
    whole), the ``reason`` in both languages, and the key of the indicator's table it is ``about``
    (``unit``, ``formula``, ``formula.denominator`` …; "" when it concerns no one key), so that a form
    shows it under its field."""

    code: str
    reason: Label
    about: str = ""


def problem(template: Label, code: str, *, about: str = "", **values: object) -> CatalogueProblem:
    """``template`` filled with ``code`` and ``values`` in both languages, ``about`` the key it concerns:
    given, or else the ``field`` the reason names."""
    return CatalogueProblem(code, template.format(code=code, **values), about or str(values.get("field", "")))


class CatalogueError(ValueError):
    """A catalogue (or an indicator added to one) that breaks the rules; ``problems`` lists them all."""

    def __init__(self, problems: Iterable[CatalogueProblem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(found.reason.en for found in self.problems))

    def message(self, language: str) -> str:
        return "\n".join(found.reason.in_language(language) for found in self.problems)
