"""Every kind of file the system imports, gathered from the ``importers`` module of each installed app."""

from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps

from vungcao.common.importing import Importer


@cache
def importers() -> dict[str, Importer]:
    """Kind → importer, read once from every ``vungcao.<app>.importers.IMPORTERS``."""
    found: dict[str, Importer] = {}
    for config in apps.get_app_configs():
        module_name = f"{config.name}.importers"
        if not config.name.startswith("vungcao.") or find_spec(module_name) is None:
            continue
        for importer in import_module(module_name).IMPORTERS:
            if importer.kind in found:
                raise RuntimeError(f"two importers of kind {importer.kind!r}")
            found[importer.kind] = importer
    return found
