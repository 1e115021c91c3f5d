"""A province defines its own programme (e.g. Quảng Ninh's action programme for Resolution 06-NQ/TU)
as a tree of target groups and tasks; components are renamed and retired without losing money."""

import pytest
from django.test import Client

from tests.conftest import DIEN_BIEN, QUANG_NINH, client_for, current_unit
from tests.imports.helpers import preview_and_apply
from tests.programs.helpers import admin, record
from vungcao.common.errors import PermissionDeniedError
from vungcao.programs.forms.programmes import LINE_FIELDS, LINE_TOO_DEEP, outline_parse
from vungcao.programs.models import Component, MoneyRecord, Programme
from vungcao.programs.selectors import money as money_selectors
from vungcao.programs.selectors import programmes as programme_selectors
from vungcao.programs.services import money as money_services
from vungcao.programs.services import programmes as services
from vungcao.programs.services.refusals import EntryRefused

pytestmark = pytest.mark.django_db
Spec = services.ComponentSpec

# The shape of a provincial resolution's action programme; names abbreviated for the test.
TREE = [
    Spec(
        "MT1",
        "Nhóm mục tiêu 1: Phát triển kinh tế",
        "Target group 1: economic development",
        "1",
        children=(
            Spec("MT1-NV1", "Phát triển sản xuất hàng hóa", "Commodity production", "1.1"),
            Spec("MT1-NV2", "Hạ tầng thiết yếu", "Essential infrastructure", "1.2"),
        ),
    ),
    Spec("MT2", "Nhóm mục tiêu 2: Văn hóa, xã hội", "Target group 2: culture and society", "2"),
]


def define(user, province_code: str = QUANG_NINH, **extra) -> Programme:
    values = {
        "code": "NQ06",
        "name_vi": "Chương trình hành động thực hiện Nghị quyết 06-NQ/TU",
        "name_en": "Action programme for Resolution 06-NQ/TU",
        "legal_basis": "Nghị quyết 06-NQ/TU",
        "start_year": 2021,
        "end_year": 2025,
        "components": TREE,
        **extra,
    }
    return services.programme_define(user=user, province=current_unit(province_code), **values)


def test_a_province_officer_defines_the_province_programme_as_a_tree(province_officer) -> None:
    programme = define(province_officer)
    assert (programme.code, programme.owner_unit.code, programme.owner) == (
        "22-NQ06",
        QUANG_NINH,
        "Quảng Ninh",
    )
    assert list(
        Component.objects.filter(programme=programme).values_list("code", "kind", "path", "numbering")
    ) == [
        ("22-NQ06-MT1", "target_group", "22-NQ06-MT1/", "1"),
        ("22-NQ06-MT1-NV1", "task", "22-NQ06-MT1/22-NQ06-MT1-NV1/", "1.1"),
        ("22-NQ06-MT1-NV2", "task", "22-NQ06-MT1/22-NQ06-MT1-NV2/", "1.2"),
        ("22-NQ06-MT2", "target_group", "22-NQ06-MT2/", "2"),
    ]
    # and money can be recorded against its tasks at once
    record("allocation", 2024, QUANG_NINH, 500, component="22-NQ06-MT1-NV1")
    assert MoneyRecord.objects.get().component.code == "22-NQ06-MT1-NV1"


def test_only_the_province_own_officers_and_administrators_may_define(
    commune_officer, province_officer, analyst
) -> None:
    for user, province in (
        (province_officer, DIEN_BIEN),
        (commune_officer, QUANG_NINH),
        (analyst, QUANG_NINH),
    ):
        with pytest.raises(PermissionDeniedError):
            define(user, province)
    assert not Programme.objects.filter(owner_unit__isnull=False).exists()
    assert define(admin(), DIEN_BIEN).code == "11-NQ06"


def test_every_bad_field_is_named_and_nothing_written(province_officer) -> None:
    define(province_officer)
    before = Component.objects.count()
    with pytest.raises(EntryRefused) as refused:
        define(
            province_officer,
            name_vi=" ",
            start_year=2025,
            end_year=2021,
            components=[Spec("MT9", "Một"), Spec("MT9", "Hai"), Spec("bad code!", "Ba"), Spec("MT8", "")],
        )
    assert refused.value.errors == {
        "code": str(services.CODE_TAKEN).format(code="22-NQ06"),
        "name_vi": str(services.REQUIRED),
        "end_year": str(services.BAD_YEARS),
        "components.22-NQ06-MT9": str(services.CODE_REPEATED).format(code="22-NQ06-MT9"),
        "components.22-NQ06-bad code!": str(services.BAD_CODE).format(length=60),
        "components.22-NQ06-MT8": str(services.REQUIRED),
    }
    assert Component.objects.count() == before
    assert Programme.objects.filter(owner_unit__isnull=False).count() == 1


def test_retiring_and_renaming_keep_the_money_recorded(province_officer) -> None:
    # Given 300 allocated under task 1.1
    define(province_officer)
    record("allocation", 2024, QUANG_NINH, 300, component="22-NQ06-MT1-NV1")
    task = Component.objects.get(code="22-NQ06-MT1-NV1")
    scope = money_selectors.money_scope_get(
        user=province_officer, era="current", unit_code=QUANG_NINH, from_year=2024, to_year=2024
    )
    # When its target group is retired (with the tasks under it) and the task renamed
    group = Component.objects.get(code="22-NQ06-MT1")
    assert services.component_retire(user=province_officer, component=group) == 3
    services.component_rename(user=province_officer, component=task, name_vi="Sản xuất hàng hóa OCOP")
    # Then the money still counts, under the same code, in totals and by component
    assert money_selectors.money_summary(user=province_officer, scope=scope).allocated == 300
    task.refresh_from_db()
    assert (task.code, task.name_vi, task.is_active, task.money_records.count()) == (
        "22-NQ06-MT1-NV1",
        "Sản xuất hàng hóa OCOP",
        False,
        1,
    )
    # new money is refused against the retired task, nothing written
    with pytest.raises(money_services.MoneyRecordRefused) as refused:
        record("allocation", 2025, QUANG_NINH, 5, component="22-NQ06-MT1-NV1")
    assert refused.value.errors == {"component": str(money_services.RETIRED_COMPONENT)}
    assert MoneyRecord.objects.count() == 1
    # the public tree hides retired components; the programme's own page shows them
    trees = dict(programme_selectors.programme_trees(user=province_officer))
    programme = Programme.objects.get(code="22-NQ06")
    assert [node.component.code for node in trees[programme]] == ["22-NQ06-MT2"]
    assert [node.component.code for node in programme_selectors.programme_tree(programme=programme)] == [
        "22-NQ06-MT1",
        "22-NQ06-MT2",
    ]
    # and restoring the task brings its target group back too
    assert services.component_restore(user=province_officer, component=task) == 2
    assert Component.objects.filter(programme=programme, is_active=False).values_list(
        "code", flat=True
    ).get() == ("22-NQ06-MT1-NV2")


def test_a_component_is_added_under_a_parent_and_national_programmes_are_for_administrators(
    province_officer,
) -> None:
    programme = define(province_officer)
    parent = Component.objects.get(code="22-NQ06-MT2")
    added = services.component_add(
        user=province_officer, programme=programme, parent=parent, spec=Spec("NV1", "Bảo tồn văn hóa")
    )
    assert (added.code, added.kind, added.path, added.position) == (
        "22-NQ06-NV1",
        "task",
        "22-NQ06-MT2/22-NQ06-NV1/",
        0,
    )
    with pytest.raises(EntryRefused) as refused:
        services.component_add(
            user=province_officer, programme=programme, parent=None, spec=Spec("NV1", "Lại")
        )
    assert refused.value.errors == {"code": str(services.CODE_TAKEN).format(code="22-NQ06-NV1")}
    national = Component.objects.get(code="1719-DA1")
    with pytest.raises(PermissionDeniedError):
        services.component_retire(user=province_officer, component=national)
    assert Component.objects.get(code="1719-DA1").is_active


def test_the_outline_is_read_as_a_tree_with_line_errors() -> None:
    specs, problems = outline_parse(
        "MT1 | Nhóm 1 | Group 1 | 1 | target_group\n  NV1 | Việc 1\n\tNV2 | Việc 2\nMT2 | Nhóm 2\n"
    )
    assert problems == []
    assert [(spec.code, [child.code for child in spec.children]) for spec in specs] == [
        ("MT1", ["NV1", "NV2"]),
        ("MT2", []),
    ]
    _specs, problems = outline_parse("MT1 | Nhóm 1\n    NV1 | Việc\nchỉ một cột\n")
    assert problems == [str(LINE_TOO_DEEP).format(line=2), str(LINE_FIELDS).format(line=3)]


# --- pages and API ---------------------------------------------------------------------------------------


OUTLINE = "MT1 | Nhóm mục tiêu 1 | Target group 1 | 1\n  MT1-NV1 | Nhiệm vụ 1.1 | Task 1.1 | 1.1\n"


def test_a_province_officer_defines_a_programme_on_its_page_and_manages_it(province_officer) -> None:
    client = client_for(province_officer)
    assert 'id="define-programme"' in client.get("/programs/programmes/").content.decode()
    response = client.post(
        "/programs/programmes/new/",
        {
            "code": "NQ06",
            "name_vi": "Nghị quyết 06",
            "start_year": 2021,
            "end_year": 2025,
            "components": OUTLINE,
        },
    )
    assert response.status_code == 302
    assert response["Location"] == "/programs/programmes/22-NQ06/"
    html = client.get("/programs/programmes/22-NQ06/").content.decode()
    assert "22-NQ06-MT1-NV1" in html
    assert "/programs/programmes/22-NQ06/components/22-NQ06-MT1-NV1/retire/" in html
    client.post("/programs/programmes/22-NQ06/components/22-NQ06-MT1-NV1/retire/")
    assert not Component.objects.get(code="22-NQ06-MT1-NV1").is_active
    client.post("/programs/programmes/22-NQ06/components/22-NQ06-MT1/rename/", {"name_vi": "Nhóm 1 mới"})
    assert Component.objects.get(code="22-NQ06-MT1").name_vi == "Nhóm 1 mới"
    client.post(
        "/programs/programmes/22-NQ06/components/",
        {"parent": "22-NQ06-MT1", "code": "NV2", "name_vi": "Việc 2"},
    )
    assert Component.objects.get(code="22-NQ06-NV2").parent.code == "22-NQ06-MT1"


def test_the_define_page_shows_errors_under_the_fields_and_writes_nothing(province_officer) -> None:
    response = client_for(province_officer).post(
        "/programs/programmes/new/",
        {"code": "NQ06", "name_vi": "", "start_year": 2025, "end_year": 2021, "components": "chỉ một cột"},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="error-name_vi"' in html
    assert 'id="error-components"' in html
    assert not Programme.objects.filter(owner_unit__isnull=False).exists()


def test_others_may_not_define_or_change_a_province_programme(
    commune_officer, province_officer, make_user
) -> None:
    define(province_officer)
    commune = client_for(commune_officer)
    assert commune.get("/programs/programmes/new/").status_code == 403
    commune.post("/programs/programmes/22-NQ06/components/22-NQ06-MT1/retire/")
    assert Component.objects.get(code="22-NQ06-MT1").is_active
    dien_bien = client_for(make_user("db-officer", "province_officer", DIEN_BIEN))
    assert dien_bien.get("/programs/programmes/22-NQ06/").status_code == 404
    assert dien_bien.post("/api/v1/programmes/22-NQ06/components/22-NQ06-MT1/retire").status_code == 404
    assert post_programme(dien_bien, {"province_code": QUANG_NINH}).status_code == 403
    assert Component.objects.filter(programme__code="22-NQ06", is_active=True).count() == 4


def post_programme(client: Client, extra: dict[str, object]):
    body = {
        "code": "KH99",
        "name_vi": "Kế hoạch 99",
        "start_year": 2024,
        "end_year": 2026,
        "components": [
            {"code": "MT1", "name_vi": "Nhóm 1", "components": [{"code": "NV1", "name_vi": "Việc 1"}]}
        ],
        **extra,
    }
    return client.post("/api/v1/programmes", body, content_type="application/json")


def test_the_api_defines_renames_and_retires(province_officer) -> None:
    client = client_for(province_officer)
    response = post_programme(client, {})
    assert response.status_code == 201, response.content
    assert response.json()["components"] == [
        {
            "code": "22-KH99-MT1",
            "numbering": "",
            "name": "Nhóm 1",
            "kind": "target_group",
            "components": [
                {"code": "22-KH99-NV1", "numbering": "", "name": "Việc 1", "kind": "task", "components": []}
            ],
        }
    ]
    assert "22-KH99" in [item["code"] for item in client.get("/api/v1/programmes").json()["items"]]
    again = post_programme(client, {})
    assert (again.status_code, again.json()["errors"]) == (
        422,
        {
            "code": str(services.CODE_TAKEN).format(code="22-KH99"),
            "components.22-KH99-MT1": str(services.CODE_TAKEN).format(code="22-KH99-MT1"),
            "components.22-KH99-NV1": str(services.CODE_TAKEN).format(code="22-KH99-NV1"),
        },
    )
    renamed = client.post(
        "/api/v1/programmes/22-KH99/components/22-KH99-NV1/rename",
        {"name_vi": "Việc một", "numbering": "1.1"},
        content_type="application/json",
    )
    assert (renamed.status_code, renamed.json()["name"], renamed.json()["numbering"]) == (
        200,
        "Việc một",
        "1.1",
    )
    retired = client.post("/api/v1/programmes/22-KH99/components/22-KH99-MT1/retire")
    assert (retired.json()["is_active"], retired.json()["changed"]) == (False, 2)


def test_a_component_kind_is_read_by_its_label_and_a_wrong_one_refused_with_the_labels(
    province_officer,
) -> None:
    """Given kinds written as officials write them ("Dự án", "tieu du an", "task"), they are stored as
    their codes; "gift" is refused with every kind named in Vietnamese, and nothing is written."""
    tree = [
        Spec("DA1", "Dự án 1", kind="Dự án", children=(Spec("DA1-TDA1", "Tiểu dự án 1", kind="tieu du an"),)),
        Spec("NV1", "Nhiệm vụ 1", kind="task"),
    ]
    programme = define(province_officer, components=tree)
    assert list(Component.objects.filter(programme=programme).values_list("code", "kind")) == [
        ("22-NQ06-DA1", "project"),
        ("22-NQ06-DA1-TDA1", "sub_project"),
        ("22-NQ06-NV1", "task"),
    ]
    with pytest.raises(EntryRefused) as refused:
        define(province_officer, code="NQ07", components=[Spec("X1", "Quà", kind="gift")])
    (message,) = refused.value.errors.values()
    assert message.startswith("Không thuộc các giá trị: ")
    assert "Dự án" in message
    assert "gift" not in message
    assert not Programme.objects.filter(code="22-NQ07").exists()
    page = client_for(province_officer).get("/programs/programmes/new/").content.decode()
    assert "target_group" not in page
    assert "Nhóm mục tiêu" in page


def test_a_money_file_names_the_kind_by_its_vietnamese_label(province_officer) -> None:
    content = (
        "kind,year,to_year,era,unit_code,component,source,amount_vnd,document_no,document_date\n"
        "Giao vốn,2024,,current,22,1719-DA4-TDA1,central_investment,1 tỷ,QĐ-1,2024-03-01\n"
        "giai ngan,2024,,current,22,1719-DA4-TDA1,central_investment,200 triệu,UNC-1,2024-06-01\n"
    )
    batch = preview_and_apply("money_records", content, user=province_officer)
    assert batch.created_count == 2
    assert sorted(MoneyRecord.objects.values_list("kind", flat=True)) == ["allocation", "disbursement"]
