from django.urls import path

from vungcao.imports import views

app_name = "imports"
urlpatterns = [
    path("", views.import_list, name="list"),
    path("new/<str:kind>/", views.import_upload, name="upload"),
    path("template/<str:kind>.xlsx", views.import_template, name="template"),
    path("<uuid:batch_id>/", views.import_detail, name="detail"),
    path("<uuid:batch_id>/apply/", views.import_apply, name="apply"),
    path("<uuid:batch_id>/problems.xlsx", views.import_problems, name="problems"),
]
