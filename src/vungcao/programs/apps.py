from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from vungcao.common.rollups import Rollup


class ProgramsConfig(AppConfig):
    name = "vungcao.programs"
    verbose_name = _("Programmes, projects and money")

    def ready(self) -> None:
        from vungcao.geo.signals import history_links_changed, units_moved
        from vungcao.programs.rollups import money_follows_links, money_follows_units

        units_moved.connect(money_follows_units, dispatch_uid="money_follows_units")
        history_links_changed.connect(money_follows_links, dispatch_uid="money_follows_links")

    def rollups(self) -> "Iterable[Rollup]":
        """The tables of sums kept with this app's records (``vungcao rollups``)."""
        from vungcao.programs.rollups import MONEY_ROLLUPS

        return MONEY_ROLLUPS
