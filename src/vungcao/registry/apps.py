from collections.abc import Callable, Iterable

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegistryConfig(AppConfig):
    name = "vungcao.registry"
    verbose_name = _("Household registry and poverty review")

    def database_checks(self) -> list[Callable[[], Iterable[str]]]:
        """What ``vungcao database_check`` asks of this app's tables."""
        from vungcao.registry.checks import identity_numbers_readable

        return [identity_numbers_readable]
