"""The field capture pages under ``/field-capture/``."""

from django.urls import path

from vungcao.field_capture.views import pages

app_name = "field_capture"

urlpatterns = [
    path("setup/", pages.phone_setup, name="setup"),
]
