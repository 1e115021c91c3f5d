from django.urls import path

from vungcao.indicators import views_completeness

app_name = "completeness"
urlpatterns = [
    path("", views_completeness.completeness, name="completeness"),
]
