"""Money records made through the service, as an administrator, for the tests that read them."""

from vungcao.accounts.models import Role, User
from vungcao.programs.models import MoneyRecord
from vungcao.programs.services.money import money_record_create


def admin() -> User:
    user, _created = User.objects.get_or_create(username="money-admin", defaults={"role": Role.ADMINISTRATOR})
    return user


def record(
    kind: str,
    year: int,
    unit_code: str,
    amount: int | str,
    *,
    component: str = "1719-DA4-TDA1",
    source: str = "central_investment",
    era: str = "current",
    to_year: int | None = None,
    document_no: str | None = None,
    document_date: str | None = None,
) -> MoneyRecord:
    values = {
        "kind": kind,
        "year": year,
        "to_year": to_year,
        "era": era,
        "unit_code": unit_code,
        "component": component,
        "source": source,
        "amount_vnd": amount,
        "document_no": document_no or f"{kind}-{year}-{unit_code}-{component}-{source}-{to_year}",
        "document_date": document_date or f"{year}-03-01",
    }
    return money_record_create(user=admin(), values=values)
