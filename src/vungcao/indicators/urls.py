from django.urls import path

from vungcao.indicators import views, views_changes, views_completeness, views_definitions, views_plans

app_name = "indicators"
urlpatterns = [
    path("", views.catalogue, name="catalogue"),
    path("catalogue/<str:code>/", views.indicator_detail, name="indicator-detail"),
    path("units/<str:era>/<str:code>/", views.scorecard, name="scorecard"),
    path("explore/", views.explore, name="explore"),
    path("explore/provenance/", views.explore_provenance, name="explore-provenance"),
    path("explore/export/", views.explore_export, name="explore-export"),
    path("targets/new/", views.target_new, name="target-new"),
    path("targets/<int:target_id>/", views.target_detail, name="target-detail"),
    path("targets/<int:target_id>/change/", views_changes.target_change, name="target-change"),
    path("targets/<int:target_id>/delete/", views_changes.target_delete, name="target-delete"),
    path("values/new/", views.value_new, name="value-new"),
    path("values/<int:value_id>/change/", views_changes.value_change, name="value-change"),
    path("values/<int:value_id>/delete/", views_changes.value_delete, name="value-delete"),
    path("completeness/", views_completeness.completeness, name="completeness"),
    # A province's own indicators and groups of units.
    path("province/", views_definitions.province_indicator_list, name="province-indicator-list"),
    path("province/new/", views_definitions.province_indicator_new, name="province-indicator-new"),
    path(
        "province/<str:code>/change/",
        views_definitions.province_indicator_change,
        name="province-indicator-change",
    ),
    path(
        "province/<str:code>/delete/",
        views_definitions.province_indicator_delete,
        name="province-indicator-delete",
    ),
    path("groups/", views_definitions.group_list, name="group-list"),
    path("groups/new/", views_definitions.group_new, name="group-new"),
    path("groups/<int:group_id>/", views_definitions.group_detail, name="group-detail"),
    path("groups/<int:group_id>/change/", views_definitions.group_change, name="group-change"),
    path("groups/<int:group_id>/delete/", views_definitions.group_delete, name="group-delete"),
]

# Plans and their objectives; opening a reporting period.
urlpatterns += [
    path("plans/", views_plans.plan_list, name="plan-list"),
    path("plans/new/", views_plans.plan_new, name="plan-new"),
    path("plans/<int:plan_id>/", views_plans.plan_detail, name="plan-detail"),
    path("plans/<int:plan_id>/change/", views_plans.plan_change, name="plan-change"),
    path("plans/<int:plan_id>/objectives/new/", views_plans.objective_new, name="objective-new"),
    path("plans/objectives/<int:objective_id>/", views_plans.objective_change, name="objective-change"),
    path(
        "plans/objectives/<int:objective_id>/delete/", views_plans.objective_delete, name="objective-delete"
    ),
    path("targets/objectives/", views_plans.target_objectives, name="target-objectives"),
    path("completeness/new/", views_completeness.reporting_period_new, name="reporting-period-new"),
    path("completeness/deadline/", views_completeness.reporting_deadline, name="reporting-deadline"),
]
