from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vungcao.common.rollups import Rollup


class RegistryConfig(AppConfig):
    name = "vungcao.registry"
    verbose_name = _("Household registry and poverty review")

    def ready(self) -> None:
        from vungcao.geo.signals import units_moved
        from vungcao.registry.services.households import households_follow_their_villages

        units_moved.connect(households_follow_their_villages, dispatch_uid="households_follow_their_villages")

    def database_checks(self) -> list[Callable[[], Iterable[str]]]:
        """What ``vungcao database_check`` asks of this app's tables."""
        from vungcao.registry.checks import households_in_their_villages_provinces, identity_numbers_readable

        return [identity_numbers_readable, households_in_their_villages_provinces]

    def rollups(self) -> "Iterable[Rollup]":
        """The tables of counts kept with this app's records (``vungcao rollups``)."""
        from vungcao.registry.rollups import REGISTRY_ROLLUPS

        return REGISTRY_ROLLUPS
