"""The field capture pages under ``/field-capture/``."""

from django.urls import path

from vungcao.field_capture.views import decisions, pages, wording

app_name = "field_capture"

urlpatterns = [
    path("", pages.submission_overview, name="overview"),
    path("setup/", pages.phone_setup, name="setup"),
    path(
        "reviews/<int:cycle_id>/<str:commune_code>/",
        pages.review_submissions,
        name="review-submissions",
    ),
    path(
        "reviews/<int:cycle_id>/<str:commune_code>/<str:action>/",
        decisions.review_decide,
        name="review-decide",
    ),
    path("submissions/<uuid:submission_id>/", pages.submission_detail, name="submission-detail"),
    path(
        "submissions/<uuid:submission_id>/<str:action>/",
        decisions.submission_decide,
        name="submission-decide",
    ),
    path(
        "submissions/<uuid:submission_id>/files/<str:filename>",
        pages.submission_file,
        name="submission-file",
    ),
    path("cycles/<int:cycle_id>/xlsform.xlsx", wording.cycle_xlsform, name="cycle-xlsform"),
    path("cycles/<int:cycle_id>/xlsform/", wording.form_wording, name="form-wording"),
]
