from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgramsConfig(AppConfig):
    name = "vungcao.programs"
    verbose_name = _("Programmes, projects and money")
