from django.contrib import admin
from django.urls import include, path

from vungcao.api.main import api
from vungcao.dashboards.views import home

urlpatterns = [
    path("", home, name="home"),
    path("dashboards/", include("vungcao.dashboards.urls")),
    path("accounts/", include("vungcao.accounts.urls")),
    path("units/", include("vungcao.geo.urls")),
    path("imports/", include("vungcao.imports.urls")),
    path("registry/", include("vungcao.registry.urls")),
    path("programs/", include("vungcao.programs.urls")),
    path("exports/", include("vungcao.exports.urls")),
    path("indicators/", include("vungcao.indicators.urls")),
    # ODK Collect's OpenRosa addresses (the server address phones are given ends in /odk).
    path("odk/", include("vungcao.field_capture.openrosa_urls")),
    path("field-capture/", include("vungcao.field_capture.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
