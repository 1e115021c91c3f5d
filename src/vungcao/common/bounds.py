"""The ranges every entry point accepts, declared once and matching the columns on SQLite and PostgreSQL.

Out of range is a refusal naming the field (422 over the API, a form error on a page), never a server
error. The API schemas are built from these types, so the OpenAPI document states each range.

* **ids** (``BigAutoField``): 1 … 2⁶³ − 1, the largest ``bigint``; beyond it SQLite cannot even bind
  the parameter.
* **years**: 1900 … 2100; a review, a budget or a programme year is further limited by its own rule.
* **dates**: 1900-01-01 … 2100-12-31.
* **counts** in a ``PositiveIntegerField`` (an ``integer`` on PostgreSQL): 0 … 2³¹ − 1.
* **texts**: no longer than their column's ``max_length`` (read from the model, see :func:`column_length`)
  and never holding a NUL character, which PostgreSQL cannot store.
* **money**: see :data:`vungcao.engine.money.MAX_AMOUNT_VND` (10¹⁵ dong per amount).
* **pages**: ``limit`` 1 … the configured maximum, ``offset`` 0 … :data:`MAX_OFFSET`.
"""

import datetime
import unicodedata
from typing import Annotated, Any

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy
from pydantic import Field

from vungcao.engine.money import SIGNED_64_BIT_MAX

BIGINT_MAX = SIGNED_64_BIT_MAX
INTEGER_MAX = 2**31 - 1
FIRST_YEAR, LAST_YEAR = 1900, 2100
FIRST_DATE, LAST_DATE = datetime.date(FIRST_YEAR, 1, 1), datetime.date(LAST_YEAR, 12, 31)
MAX_OFFSET = 10**9

TOO_LONG = gettext_lazy("At most {length} characters.")
NUL_CHARACTER = gettext_lazy("This text holds a NUL character, which cannot be stored.")
CONTROL_CHARACTER = gettext_lazy("This text holds an invisible control character (code {code}); delete it.")
"""Far beyond the largest list (tens of millions of household members), well inside every column type."""
NO_NUL = r"^[^\x00]*$"

Id = Annotated[int, Field(ge=1, le=BIGINT_MAX, description="an id, 1 … 2⁶³ − 1")]
Year = Annotated[int, Field(ge=FIRST_YEAR, le=LAST_YEAR, description="a year, 1900 … 2100")]
Day = Annotated[datetime.date, Field(ge=FIRST_DATE, le=LAST_DATE, description="1900-01-01 … 2100-12-31")]


def date_validators() -> list[Any]:
    """Validators of a form's date field: 1900-01-01 … 2100-12-31."""
    return [MinValueValidator(FIRST_DATE), MaxValueValidator(LAST_DATE)]


def column_length(model: type[models.Model], name: str) -> int:
    """The ``max_length`` of a model's text column, so a schema or form never disagrees with the table."""
    field = model._meta.get_field(name)
    assert isinstance(field, models.Field), f"{model.__name__}.{name} is not a column"
    assert field.max_length is not None, f"{model.__name__}.{name} has no max_length"
    return field.max_length


def control_character(text: str, *, one_line: bool = False) -> str | None:
    """The first invisible control character of ``text`` (tab and line breaks allowed but in
    ``one_line`` text: a name, a code), or None."""
    allowed = "" if one_line else "\t\n\r"
    return next(
        (
            character
            for character in text
            if unicodedata.category(character) == "Cc" and character not in allowed
        ),
        None,
    )


def text_problem(text: str, max_length: int, *, one_line: bool = False) -> str | None:
    """Why ``text`` cannot be stored in a column of ``max_length`` characters (too long, a NUL, an
    invisible control character, which would come back in exports and pages), or None."""
    if len(text) > max_length:
        return str(TOO_LONG).format(length=max_length)
    if "\x00" in text:
        return str(NUL_CHARACTER)
    control = control_character(text, one_line=one_line)
    if control is not None:
        return str(CONTROL_CHARACTER).format(code=ord(control))
    return None


def text(max_length: int, *, min_length: int = 0, **kwargs: Any) -> Any:
    """Field of a string of at most ``max_length`` characters without NUL: ``Annotated[str, text(40)]``."""
    return Field(min_length=min_length, max_length=max_length, pattern=NO_NUL, **kwargs)


def column(model: type[models.Model], name: str, *, min_length: int = 0, **kwargs: Any) -> Any:
    """Field of a string that fits the model's column ``name``: ``Annotated[str, column(Household, "code")]``."""
    return text(column_length(model, name), min_length=min_length, **kwargs)
