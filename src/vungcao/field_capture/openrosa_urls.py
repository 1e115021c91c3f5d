"""ODK Collect's addresses, given the server address ``https://host/odk`` (no trailing slash: Collect
appends ``/formList`` and ``/submission`` itself)."""

from django.urls import path

from vungcao.field_capture.views import openrosa

app_name = "odk"

urlpatterns = [
    path("formList", openrosa.form_list, name="form-list"),
    path("forms/<str:form_id>/form.xml", openrosa.form, name="form"),
    path("forms/<str:form_id>/manifest", openrosa.manifest, name="manifest"),
    path("forms/<str:form_id>/media/<str:filename>", openrosa.media_file, name="media"),
    path("submission", openrosa.submission, name="submission"),
]
