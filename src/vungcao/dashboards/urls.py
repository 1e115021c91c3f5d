from django.urls import path

from vungcao.dashboards import views

app_name = "dashboards"
urlpatterns = [
    path("", views.national_dashboard, name="national"),
    path("<str:era>/<str:code>/", views.province_dashboard, name="province"),
]
