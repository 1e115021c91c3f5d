"""The demonstration deployment: accounts for every role and a few villages, all clearly labelled.

Every name made here is synthetic. The units are real (Quảng Ninh 22 and Điện Biên 11 of the
current era); the villages and people are not.
"""

import ctypes
import signal
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
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
    DemoAccount("qn-admin", "Quản trị tỉnh Quảng Ninh [demo]", Role.ADMINISTRATOR, "22"),
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


# The demo's task worker: the development server's companion, run from the same Python and settings (the
# environment carries DJANGO_SETTINGS_MODULE and DEBUG). No autoreload (nor has the demo's server); it
# checks the queue every second. A production server runs ``vungcao db_worker`` under systemd (README).
WORKER_COMMAND = ("db_worker", "--no-reload", "--no-startup-delay", "--interval", "1")
WORKER_STOP_SECONDS = 10
PR_SET_PDEATHSIG = 1  # linux/prctl.h
VUNGCAO = "import sys; from vungcao.cli import main; sys.exit(main(sys.argv[1:]))"


def _stop_with_parent() -> None:
    """In the worker's process, before it starts (Linux): be sent SIGTERM when the demo's process ends
    however it ends, since the development server leaves with ``os._exit`` (its port taken, say), past any
    ``finally``. Elsewhere the worker is stopped on leaving ``demo_worker_running`` only."""
    if sys.platform.startswith("linux"):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)


@contextmanager
def demo_worker_running(*, arguments: Sequence[str] = WORKER_COMMAND) -> Iterator[subprocess.Popen[bytes]]:
    """Run a task worker in a process of its own while the block runs; on leaving, ask it to stop (it ends
    the task in hand) and kill it when it does not within ``WORKER_STOP_SECONDS`` (an apply it was in is
    rolled back: one transaction)."""
    worker = subprocess.Popen([sys.executable, "-c", VUNGCAO, *arguments], preexec_fn=_stop_with_parent)
    try:
        yield worker
    finally:
        if worker.poll() is None:
            worker.terminate()
            try:
                worker.wait(timeout=WORKER_STOP_SECONDS)
            except subprocess.TimeoutExpired:
                worker.kill()
                worker.wait()
