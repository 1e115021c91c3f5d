from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IndicatorsConfig(AppConfig):
    name = "vungcao.indicators"
    verbose_name = _("Indicators and targets")

    def ready(self) -> None:
        """The targets join the programme's implementation report as its form 4: the programmes, below
        this app, may not read them (``programs.selectors.report_forms``). Imported here: the selectors
        read models, which are loaded by now."""
        from vungcao.indicators.selectors import report_forms
        from vungcao.programs.selectors.report_forms import report_form_contribute

        report_form_contribute(source=report_forms.SOURCE, form=report_forms.CONTRIBUTION)
