from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FieldCaptureConfig(AppConfig):
    name = "vungcao.field_capture"
    label = "field_capture"
    verbose_name = _("Field capture")
