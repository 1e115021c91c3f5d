"""The field capture pages under ``/field-capture/``."""

from django.urls import path

from vungcao.field_capture.views import pages, wording

app_name = "field_capture"

urlpatterns = [
    path("setup/", pages.phone_setup, name="setup"),
    path("cycles/<int:cycle_id>/xlsform.xlsx", wording.cycle_xlsform, name="cycle-xlsform"),
    path("cycles/<int:cycle_id>/xlsform/", wording.form_wording, name="form-wording"),
]
