"""User management's services: who may give which role in which scope, the record of every change, and
a refused change writing nothing."""

import pytest

from tests.accounts.conftest import changes_of
from tests.conftest import BA_CHE, DIEN_BIEN, MUONG_PHANG, PASSWORD, QUANG_NINH, TIEN_YEN, current_unit
from vungcao.accounts import access, services
from vungcao.accounts.models import Role, User, UserChange
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.geo.models import AdministrativeUnit, Era
from vungcao.geo.services import villages

pytestmark = pytest.mark.django_db

BA_CHE_PATH = "Xã Ba Chẽ · Tỉnh Quảng Ninh (06970)"
TIEN_YEN_PATH = "Xã Tiên Yên · Tỉnh Quảng Ninh (06862)"


def snapshot() -> tuple[list[tuple[object, ...]], int]:
    return list(User.objects.order_by("pk").values_list()), UserChange.objects.count()


def test_a_province_administrator_is_the_province_officer_for_data_and_no_superuser(
    province_administrator,
) -> None:
    quang_ninh, dien_bien = current_unit(QUANG_NINH), current_unit(DIEN_BIEN)
    assert (province_administrator.is_staff, province_administrator.is_superuser) == (False, False)
    assert access.is_scoped_administrator(province_administrator)
    assert not access.is_national_administrator(province_administrator)
    assert access.data_role(province_administrator) == Role.PROVINCE_OFFICER
    assert access.can_decide_review(province_administrator, quang_ninh)
    assert not access.can_decide_review(province_administrator, dien_bien)
    assert access.can_enter_answers(province_administrator, current_unit(BA_CHE))
    assert not access.can_enter_answers(province_administrator, current_unit(MUONG_PHANG))
    assert access.can_define_programme(province_administrator, quang_ninh)
    assert not access.can_define_programme(province_administrator, None)
    assert not access.can_manage_reference_data(province_administrator)
    assert not access.can_see_identity_numbers(province_administrator)
    assert access.can_view_unit(province_administrator, current_unit(TIEN_YEN))
    assert not access.can_view_unit(province_administrator, dien_bien)


def test_an_administrator_is_scoped_to_the_country_a_province_or_a_commune_of_today(administrator) -> None:
    old_ba_che = AdministrativeUnit.objects.get(era=Era.PRE2025, code=BA_CHE)
    village = villages.village_create(user=administrator, commune=current_unit(BA_CHE), name="Thôn Khe Giấy")
    before = snapshot()
    for scope in (old_ba_che, village):
        with pytest.raises(ApplicationError):
            services.user_create(
                actor=administrator,
                username="odd-admin",
                password=PASSWORD,
                role=Role.ADMINISTRATOR,
                scope=scope,
            )
    assert snapshot() == before


def test_a_commune_administrator_is_the_communes_officer_and_manages_inside_the_commune(
    make_user, province_officer
) -> None:
    commune_administrator = make_user("bache-admin", Role.ADMINISTRATOR, BA_CHE)
    assert access.data_role(commune_administrator) == Role.COMMUNE_OFFICER
    assert not access.can_decide_review(commune_administrator, current_unit(QUANG_NINH))
    assert access.can_enter_answers(commune_administrator, current_unit(BA_CHE))
    assert not access.can_enter_answers(commune_administrator, current_unit(TIEN_YEN))
    services.user_create(
        actor=commune_administrator,
        username="ba-che-2",
        password=PASSWORD,
        role=Role.COMMUNE_OFFICER,
        scope=current_unit(BA_CHE),
    )
    before = snapshot()
    with pytest.raises(ApplicationError):  # no province officer inside a commune
        services.user_create(
            actor=commune_administrator,
            username="too-high",
            password=PASSWORD,
            role=Role.PROVINCE_OFFICER,
            scope=current_unit(BA_CHE),
        )
    with pytest.raises(NotFoundError):  # the province's officer is above the commune
        services.user_deactivate(actor=commune_administrator, user_id=province_officer.pk)
    assert snapshot() == before


def test_creating_records_who_made_which_role_in_which_scope(province_administrator) -> None:
    user = services.user_create(
        actor=province_administrator,
        username="new-officer",
        password=PASSWORD,
        role=Role.COMMUNE_OFFICER,
        scope=current_unit(BA_CHE),
        full_name="Nguyễn Văn A",
        must_change_password=True,
    )
    assert (user.is_staff, user.is_superuser, user.must_change_password) == (False, False, True)
    change = UserChange.objects.get(user=user)
    assert (change.action, change.actor, change.role, change.scope_label, change.new_value) == (
        UserChange.Action.CREATED,
        province_administrator,
        Role.COMMUNE_OFFICER,
        BA_CHE_PATH,
        "new-officer",
    )
    assert change.new_shown == f"{Role.COMMUNE_OFFICER.label} · {BA_CHE_PATH}"


def test_every_change_is_recorded_old_to_new(province_administrator, commune_officer) -> None:
    actor = province_administrator
    services.user_rescope(
        actor=actor, user_id=commune_officer.pk, role=Role.COMMUNE_OFFICER, scope=current_unit(TIEN_YEN)
    )
    services.user_rescope(
        actor=actor, user_id=commune_officer.pk, role=Role.PROVINCE_OFFICER, scope=current_unit(QUANG_NINH)
    )
    services.user_deactivate(actor=actor, user_id=commune_officer.pk)
    services.user_reactivate(actor=actor, user_id=commune_officer.pk)
    _user, password = services.user_password_reset(actor=actor, user_id=commune_officer.pk)

    assert changes_of(commune_officer) == [
        ("created", "", "bache-officer", "system"),
        ("scope_changed", BA_CHE_PATH, TIEN_YEN_PATH, "qn-admin"),
        ("role_changed", "commune_officer", "province_officer", "qn-admin"),
        ("scope_changed", TIEN_YEN_PATH, "Tỉnh Quảng Ninh (22)", "qn-admin"),
        ("deactivated", "", "", "qn-admin"),
        ("reactivated", "", "", "qn-admin"),
        ("password_reset", "", "", "qn-admin"),
    ]
    commune_officer.refresh_from_db()
    assert commune_officer.check_password(password)
    assert commune_officer.must_change_password
    assert password not in str(list(UserChange.objects.values_list()))


@pytest.mark.parametrize(
    ("role", "scope_code"),
    [
        (Role.ADMINISTRATOR, None),  # national administrator
        (Role.MINISTRY_ANALYST, None),
        (Role.AGGREGATE_VIEWER, QUANG_NINH),  # a national role, even scoped inside the province
        (Role.PROVINCE_OFFICER, DIEN_BIEN),  # another province
        (Role.ADMINISTRATOR, DIEN_BIEN),
        (Role.COMMUNE_OFFICER, MUONG_PHANG),
    ],
)
def test_a_province_administrator_cannot_give_a_role_above_their_own_or_outside_the_province(
    province_administrator, commune_officer, role: str, scope_code: str | None
) -> None:
    scope = current_unit(scope_code) if scope_code else None
    before = snapshot()
    with pytest.raises(PermissionDeniedError) as refused:
        services.user_rescope(
            actor=province_administrator, user_id=commune_officer.pk, role=role, scope=scope
        )
    assert refused.value.message == str(services.ROLE_NOT_ALLOWED).format(role=Role(role).label)
    with pytest.raises(PermissionDeniedError):
        services.user_create(
            actor=province_administrator, username="escalated", password=PASSWORD, role=role, scope=scope
        )
    assert snapshot() == before


def test_nobody_changes_their_own_account_here(province_administrator, administrator) -> None:
    before = snapshot()
    for actor in (province_administrator, administrator):
        with pytest.raises(PermissionDeniedError) as refused:
            services.user_rescope(actor=actor, user_id=actor.pk, role=Role.ADMINISTRATOR, scope=None)
        assert refused.value.message == str(services.OWN_ACCOUNT_REFUSED)
        with pytest.raises(PermissionDeniedError):
            services.user_deactivate(actor=actor, user_id=actor.pk)
        with pytest.raises(PermissionDeniedError):
            services.user_password_reset(actor=actor, user_id=actor.pk)
    assert snapshot() == before


def test_users_out_of_reach_are_not_found_like_users_that_do_not_exist(
    province_administrator, elsewhere, administrator, analyst
) -> None:
    before = snapshot()
    missing = User.objects.order_by("pk").last().pk + 1000  # type: ignore[union-attr]
    for target in (
        elsewhere["province"].pk,
        elsewhere["administrator"].pk,
        administrator.pk,
        analyst.pk,
        missing,
    ):
        with pytest.raises(NotFoundError) as refused:
            services.user_deactivate(actor=province_administrator, user_id=target)
        assert refused.value.message == str(services.USER_NOT_FOUND)
    assert snapshot() == before


@pytest.mark.parametrize("kind", ["province_officer", "commune_officer", "analyst", "viewer"])
def test_only_administrators_manage_users(roles, kind: str) -> None:
    actor, target = roles[kind], roles["commune_officer"]
    before = snapshot()
    with pytest.raises(PermissionDeniedError):
        services.user_create(
            actor=actor,
            username="x-officer",
            password=PASSWORD,
            role=Role.COMMUNE_OFFICER,
            scope=target.scope,
        )
    with pytest.raises(PermissionDeniedError):
        services.user_deactivate(actor=actor, user_id=target.pk)
    assert snapshot() == before


def test_a_weak_password_or_a_taken_name_is_refused_with_nothing_written(province_administrator) -> None:
    before = snapshot()
    with pytest.raises(ApplicationError):
        services.user_create(
            actor=province_administrator,
            username="weak",
            password="123",
            role=Role.COMMUNE_OFFICER,
            scope=current_unit(BA_CHE),
        )
    with pytest.raises(ApplicationError) as taken:
        services.user_create(
            actor=province_administrator,
            username="QN-ADMIN",
            password=PASSWORD,
            role=Role.COMMUNE_OFFICER,
            scope=current_unit(BA_CHE),
        )
    assert taken.value.message == str(services.USERNAME_TAKEN).format(username="QN-ADMIN")
    assert snapshot() == before


def test_the_national_administrator_makes_a_province_administrator(administrator, province_officer) -> None:
    services.user_rescope(
        actor=administrator,
        user_id=province_officer.pk,
        role=Role.ADMINISTRATOR,
        scope=province_officer.scope,
    )
    province_officer.refresh_from_db()
    assert access.is_scoped_administrator(province_officer)
    assert (province_officer.is_staff, province_officer.is_superuser) == (False, False)


@pytest.mark.parametrize("username", ["a b", "x/../admin", "<script>", "=cmd()", "n" * 151])
def test_a_user_name_is_what_django_accepts_and_nothing_else(province_administrator, username: str) -> None:
    before = snapshot()
    with pytest.raises(ApplicationError):
        services.user_create(
            actor=province_administrator,
            username=username,
            password=PASSWORD,
            role=Role.COMMUNE_OFFICER,
            scope=current_unit(BA_CHE),
        )
    assert snapshot() == before
