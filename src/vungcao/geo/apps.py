from collections.abc import Callable, Iterable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GeoConfig(AppConfig):
    name = "vungcao.geo"
    verbose_name = _("Administrative units")

    def database_checks(self) -> list[Callable[[], Iterable[str]]]:
        """What ``vungcao database_check`` asks of this app's tables."""
        from vungcao.geo.checks import official_units_present

        return [official_units_present]
