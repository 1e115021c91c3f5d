from django.urls import path

from vungcao.exports import views

app_name = "exports"
urlpatterns = [
    path("households/", views.household_export, name="households"),
    path("money/", views.money_export, name="money"),
    path("<uuid:export_id>/", views.export_detail, name="detail"),
    path("<uuid:export_id>/download/", views.export_download, name="download"),
]
