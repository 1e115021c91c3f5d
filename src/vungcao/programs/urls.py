from django.urls import path

from vungcao.programs.views import activities, money, money_records, programmes, report_forms

app_name = "programs"
urlpatterns = [
    path("", money.money_dashboard, name="dashboard"),
    path(
        "report-forms/<str:programme_code>/<str:era>/<str:unit_code>/<int:from_year>-<int:to_year>/"
        "<str:identifier>.<str:output>",
        report_forms.programme_report_form,
        name="report-form",
    ),
    path("records/", money_records.money_record_list, name="money-record-list"),
    path("records/new/", money_records.money_record_new, name="money-record-new"),
    path("records/units/", money_records.money_unit_choices, name="money-unit-choices"),
    path("records/works/", money_records.money_work_choices, name="money-work-choices"),
    path("programmes/", programmes.programme_list, name="programme-list"),
    path("programmes/new/", programmes.programme_define, name="programme-define"),
    path("programmes/<str:code>/", programmes.programme_detail, name="programme-detail"),
    path("programmes/<str:code>/components/", programmes.component_add, name="component-add"),
    path(
        "programmes/<str:code>/components/<str:component_code>/<str:action>/",
        programmes.component_change,
        name="component-change",
    ),
    path("works/", activities.work_list, name="work-list"),
    path("support/", activities.support_list, name="support-list"),
    path("revolving-funds/", activities.revolving_list, name="revolving-list"),
    path(
        "revolving-funds/<int:model_id>/handover/",
        activities.revolving_handover,
        name="revolving-handover",
    ),
]
