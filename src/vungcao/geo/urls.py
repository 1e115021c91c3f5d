from django.urls import path

from vungcao.geo import views

app_name = "geo"
urlpatterns = [
    path("", views.unit_browser, name="unit-browser"),
    path("<str:era>/<str:code>/", views.unit_detail, name="unit-detail"),
    path("<str:era>/<str:code>/villages/", views.village_add, name="village-add"),
    path("<str:era>/<str:code>/rename/", views.village_rename, name="village-rename"),
    path("<str:era>/<str:code>/merge/", views.village_merge, name="village-merge"),
]
