"""The demonstration deployment: accounts for every role and a few villages, all clearly labelled.

Every name made here is synthetic. The units are real (Quảng Ninh 22 and Điện Biên 11 of the
current era); the villages and people are not.
"""

from dataclasses import dataclass

from django.db import transaction

from vungcao.accounts import services as account_services
from vungcao.accounts.models import Role, User
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import villages

DEMO_PASSWORD = "demo-Vung-Cao-2026"
DEMO_LABEL = "[demo]"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    role: str
    scope_code: str | None


DEMO_ACCOUNTS = (
    DemoAccount("admin", "Quản trị hệ thống [demo]", Role.ADMINISTRATOR, None),
    DemoAccount("analyst", "Chuyên viên Bộ [demo]", Role.MINISTRY_ANALYST, None),
    DemoAccount("viewer", "Nhà tài trợ [demo]", Role.AGGREGATE_VIEWER, None),
    DemoAccount("quangninh", "Cán bộ tỉnh Quảng Ninh [demo]", Role.PROVINCE_OFFICER, "22"),
    DemoAccount("dienbien", "Cán bộ tỉnh Điện Biên [demo]", Role.PROVINCE_OFFICER, "11"),
    DemoAccount("bache", "Cán bộ xã Ba Chẽ, Quảng Ninh [demo]", Role.COMMUNE_OFFICER, "06970"),
    DemoAccount("muongphang", "Cán bộ xã Mường Phăng, Điện Biên [demo]", Role.COMMUNE_OFFICER, "03325"),
)

# Synthetic villages for the two demo communes (real communes, invented village names).
DEMO_VILLAGES = {
    "06970": [("Thôn Làng Cổng", "thôn"), ("Thôn Nam Hả Ngoài", "thôn"), ("Thôn Khe Giấy", "thôn")],
    "03325": [("Bản Che Căn", "bản"), ("Bản Cang", "bản"), ("Bản Khẩu Cắm", "bản"), ("Bản Nghịu", "bản")],
}


@transaction.atomic
def demo_accounts_ensure() -> list[tuple[DemoAccount, User]]:
    """Create the demo accounts, or reset them to their demo role, scope and password."""
    made = []
    for account in DEMO_ACCOUNTS:
        scope = (
            AdministrativeUnit.objects.get(era=Era.CURRENT, code=account.scope_code)
            if account.scope_code
            else None
        )
        user, _created = account_services.user_update_or_create(
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            scope=scope,
            full_name=account.full_name,
        )
        made.append((account, user))
    return made


@transaction.atomic
def demo_villages_ensure() -> int:
    """Add the demo villages that are missing; return how many were added."""
    administrator = User.objects.get(username="admin")
    added = 0
    for commune_code, names in DEMO_VILLAGES.items():
        commune = AdministrativeUnit.objects.get(era=Era.CURRENT, code=commune_code)
        existing = set(commune.children.values_list("name", flat=True))
        for name, kind in names:
            if name not in existing:
                villages.village_create(user=administrator, commune=commune, name=name, division_type=kind)
                added += 1
    return added
