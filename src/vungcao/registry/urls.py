from django.urls import path

from vungcao.registry import views

app_name = "registry"
urlpatterns = [
    path("", views.review_list, name="review-list"),
    path("reviews/open/", views.review_open, name="review-open"),
    path("reviews/<int:cycle_id>/", views.review_dashboard, name="review-dashboard"),
    path("reviews/<int:cycle_id>/<str:commune_code>/", views.commune_review, name="commune-review"),
    path(
        "reviews/<int:cycle_id>/<str:commune_code>/<str:action>/",
        views.commune_review_action,
        name="commune-review-action",
    ),
    path("households/", views.household_list, name="household-list"),
    path("households/new/", views.household_new, name="household-new"),
    path("households/<str:code>/", views.household_detail, name="household-detail"),
    path("households/<str:code>/<str:change>/", views.household_change, name="household-change"),
    path("households/<str:code>/answers/<int:cycle_id>/", views.household_answers, name="household-answers"),
    path("changes/", views.changes, name="changes"),
    path("policy-simulation/", views.policy_simulation, name="policy-simulation"),
    path(
        "report-forms/<int:year>/<str:unit_code>/<str:identifier>.<str:output>",
        views.report_form,
        name="report-form",
    ),
    path("personal-data-reads/", views.personal_data_reads, name="personal-data-reads"),
]
