"""Recording every read of a household's personal data (ghi nhật ký truy cập dữ liệu cá nhân).

Personal data are a household's members (names, years of birth, ethnic groups, identity numbers,
masked or whole), its address and its answers. Each page and API operation that shows them calls
``household_read_record`` (one household) or ``households_read_record`` (a list or an export) itself,
after its scope check passed and before it answers: one row a response, whatever the number of
households in it.

A request refused by scope (another province's household, or a role that sees aggregates only) showed
nothing and is not recorded: the log answers "who has seen this household's data", and a refusal saw
none. Refusals answer 404 and are found in the web server's access log.

There is no function to change or delete a read: the log is append-only (the database refuses it too).
"""

import ipaddress
import re
from collections.abc import Mapping

from axes.helpers import get_client_ip_address
from django.http import HttpRequest

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.registry.models import Household, PersonalDataRead
from vungcao.registry.selectors.households import HouseholdDetail, HouseholdFilter

Kind = PersonalDataRead.Kind

MASK = "•••"
# Filter values that may hold a name, an address or an identity number: always masked.
MASKED_FILTERS = frozenset({"search", "q"})
# Any other value is kept only when it looks like a code (a unit, a status, an indicator, a year) and
# holds no run of nine digits or more (an identity number has nine or twelve).
CODE_LIKE = re.compile(r"[a-z0-9_.-]{1,40}")
IDENTITY_LIKE = re.compile(r"\d{9,}")
QUERY_LENGTH = PersonalDataRead._meta.get_field("query").max_length or 500

NOT_SIGNED_IN = "A read of personal data is recorded for a signed-in user only."
NO_COUNT = "A list or an export is recorded with the number of households it showed."


def request_address(request: HttpRequest) -> str | None:
    """The address a request came from, as the login lockout counts it (django-axes); None when it is
    not an IP address."""
    found = get_client_ip_address(request)
    try:
        return str(ipaddress.ip_address(found)) if found else None
    except ValueError:
        return None


def household_filter_values(filters: HouseholdFilter) -> dict[str, object]:
    """The household list's filter as the names the page and the API both take."""
    return {
        "unit": filters.unit.code if filters.unit else None,
        "year": filters.year,
        "status": filters.status,
        "ethnic_group": filters.ethnic_group,
        "deprived": filters.deprived,
        "change": filters.change,
        "search": filters.search,
    }


def filter_text(values: Mapping[str, object]) -> str:
    """``unit=06970 year=2025 search=•••``: the values given, in order, masked where they could be
    personal data, cut to the column."""
    parts = []
    for name, value in values.items():
        if value is None or value == "":
            continue
        text = str(value)
        if name in MASKED_FILTERS or not CODE_LIKE.fullmatch(text) or IDENTITY_LIKE.search(text):
            text = MASK
        parts.append(f"{name}={text}")
    return " ".join(parts)[:QUERY_LENGTH]


def identity_numbers_shown_whole(*, user: User, detail: HouseholdDetail) -> bool:
    """Whether a household's detail, as given to ``user``, shows a current member's number whole."""
    return access.can_see_identity_numbers(user) and any(
        view.member.identity_encrypted for view in detail.members
    )


def personal_data_read_record(
    *,
    user: User,
    kind: PersonalDataRead.Kind,
    address: str | None,
    household: Household | None = None,
    household_count: int | None = None,
    filters: Mapping[str, object] | None = None,
    identity_numbers_whole: bool = False,
) -> PersonalDataRead:
    """Record that ``user`` was shown personal data: one household (``household``), or the
    ``household_count`` households of a list or an export chosen by ``filters`` (masked here)."""
    if not user.is_authenticated:
        raise ValueError(NOT_SIGNED_IN)
    if household is not None:
        household_count = 1
    elif household_count is None:
        raise ValueError(NO_COUNT)
    return PersonalDataRead.objects.create(
        user=user,
        kind=kind,
        household=household,
        household_count=household_count,
        identity_numbers_whole=identity_numbers_whole,
        query=filter_text(filters or {}),
        address=address,
    )


def household_read_record(
    *, request: HttpRequest, user: User, kind: PersonalDataRead.Kind, detail: HouseholdDetail
) -> None:
    """Record that ``user`` was shown one household (``detail``, as given to them) in answer to
    ``request``."""
    personal_data_read_record(
        user=user,
        kind=kind,
        address=request_address(request),
        household=detail.household,
        identity_numbers_whole=identity_numbers_shown_whole(user=user, detail=detail),
    )


def households_read_record(
    *,
    request: HttpRequest,
    user: User,
    kind: PersonalDataRead.Kind,
    count: int,
    filters: HouseholdFilter,
    **position: object,
) -> None:
    """Record that ``user`` was shown ``count`` households of the household list chosen by ``filters``
    (and ``position``: a page, an offset) in answer to ``request``."""
    personal_data_read_record(
        user=user,
        kind=kind,
        address=request_address(request),
        household_count=count,
        filters={**household_filter_values(filters), **position},
    )
