from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from vungcao.api.main import api

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="geo:unit-browser", permanent=False), name="home"),
    path("accounts/", include("vungcao.accounts.urls")),
    path("units/", include("vungcao.geo.urls")),
    path("imports/", include("vungcao.imports.urls")),
    path("registry/", include("vungcao.registry.urls")),
    path("programs/", include("vungcao.programs.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
]
