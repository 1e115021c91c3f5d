from django.urls import path

from vungcao.programs import views

app_name = "programs"
urlpatterns = [
    path("", views.money_dashboard, name="dashboard"),
    path("export.xlsx", views.money_dashboard_export, name="dashboard-export"),
    path("programmes/", views.programme_list, name="programme-list"),
]
