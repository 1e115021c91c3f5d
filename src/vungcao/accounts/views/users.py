"""User management (quản lý người dùng) for national and province administrators: list, create,
deactivate and reactivate, change role and scope, reset a password, and the record of every change.

Who may see and do what is decided by ``accounts.access`` through the selectors and services; a user
out of the administrator's reach is "not found", whether or not it exists."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from vungcao.accounts import access, selectors, services
from vungcao.accounts.forms import PasswordResetForm, RoleScopeForm, UserCreateForm, UserFilterForm
from vungcao.accounts.models import User
from vungcao.accounts.views import scope_picker
from vungcao.common.errors import ApplicationError, NotFoundError

USERS_PER_PAGE = 50
CHANGES_PER_PAGE = 100


def _administrator(request: HttpRequest) -> User:
    user = access.request_user(request)
    if not access.can_manage_users(user):
        raise PermissionDenied
    return user


def _managed(request: HttpRequest, username: str) -> tuple[User, User]:
    """The administrator and the user they manage named ``username``; "not found" for anyone else,
    whether or not the user exists (and for a non-administrator, whoever it is)."""
    actor = access.request_user(request)
    if not access.can_manage_users(actor):
        raise Http404("user")
    try:
        return actor, selectors.user_get(actor=actor, username=username)
    except NotFoundError as error:
        raise Http404(error.message) from error


@login_required
@require_GET
def user_list(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    form = UserFilterForm(request.GET or None)
    cleaned = form.cleaned_data if form.is_valid() else {}
    users = selectors.user_list(
        actor=actor, search=cleaned.get("q", ""), role=cleaned.get("role", ""), active=form.active_value()
    )
    page = Paginator(users, USERS_PER_PAGE).get_page(request.GET.get("page"))
    rows = [(user, selectors.scope_label(user.scope)) for user in page]
    template = "accounts/_user_table.html" if request.headers.get("HX-Request") else "accounts/user_list.html"
    return render(request, template, {"form": form, "page": page, "rows": rows})


@login_required
def user_create(request: HttpRequest) -> HttpResponse:
    actor = _administrator(request)
    roles = access.assignable_roles(actor)
    pick = scope_picker.scope_pick(actor=actor, term="")
    form = UserCreateForm(request.POST or None, roles=roles)
    if request.method == "POST":
        pick, only_finding = scope_picker.scope_pick_from_post(actor=actor, request=request)
        if not only_finding and pick.resolved and form.is_valid():
            chosen = form.cleaned_data["password"]
            password = chosen or services.password_generate()
            try:
                user = services.user_create(
                    actor=actor,
                    username=form.cleaned_data["username"],
                    full_name=form.cleaned_data["full_name"],
                    email=form.cleaned_data["email"],
                    role=form.cleaned_data["role"],
                    scope=pick.unit,
                    password=password,
                    must_change_password=True,
                )
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("The user {username} was created.").format(username=user.username)
                )
                return _password_shown_once(request, user, "" if chosen else password)
    return render(request, "accounts/user_create.html", {"form": form, **pick.context()})


def _password_shown_once(request: HttpRequest, user: User, password: str) -> HttpResponse:
    """The answer to a creation or reset: the user's page, with a generated password shown this once
    (never stored in clear, never sent again; the page is not kept by the browser's cache)."""
    response = _detail(request, access.request_user(request), user, new_password=password)
    response["Cache-Control"] = "no-store"
    return response


def _detail(
    request: HttpRequest,
    actor: User,
    user: User,
    *,
    form: RoleScopeForm | None = None,
    pick: scope_picker.ScopePick | None = None,
    new_password: str = "",
) -> HttpResponse:
    changeable = access.can_change_user(actor, user)
    if form is None:
        form = RoleScopeForm(initial={"role": user.role}, roles=access.assignable_roles(actor))
    if pick is None:
        pick = scope_picker.scope_pick(actor=actor, term=user.scope.code if user.scope else "")
    return render(
        request,
        "accounts/user_detail.html",
        {
            "managed": user,
            "managed_scope": selectors.scope_label(user.scope),
            "changeable": changeable,
            "form": form,
            "password_form": PasswordResetForm(),
            "new_password": new_password,
            "changes": selectors.user_change_list(actor=actor, username=user.username)[:CHANGES_PER_PAGE],
            **pick.context(),
        },
    )


@login_required
def user_detail(request: HttpRequest, username: str) -> HttpResponse:
    """A user's account, the form changing their role and scope, and the changes made to it."""
    actor, user = _managed(request, username)
    if request.method != "POST":
        return _detail(request, actor, user)
    form = RoleScopeForm(request.POST, roles=access.assignable_roles(actor))
    pick, only_finding = scope_picker.scope_pick_from_post(actor=actor, request=request)
    if not only_finding and pick.resolved and form.is_valid():
        try:
            services.user_rescope(
                actor=actor, user_id=user.pk, role=form.cleaned_data["role"], scope=pick.unit
            )
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The role and scope were saved."))
            return redirect("accounts:user-detail", username=user.username)
    return _detail(request, actor, user, form=form, pick=pick)


def _state_change(request: HttpRequest, username: str, *, active: bool) -> HttpResponse:
    actor, user = _managed(request, username)
    change = services.user_reactivate if active else services.user_deactivate
    try:
        change(actor=actor, user_id=user.pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    else:
        done = _("The user was reactivated.") if active else _("The user was deactivated.")
        messages.success(request, done)
    return redirect("accounts:user-detail", username=user.username)


@login_required
@require_POST
def user_deactivate(request: HttpRequest, username: str) -> HttpResponse:
    return _state_change(request, username, active=False)


@login_required
@require_POST
def user_reactivate(request: HttpRequest, username: str) -> HttpResponse:
    return _state_change(request, username, active=True)


@login_required
@require_POST
def user_password_reset(request: HttpRequest, username: str) -> HttpResponse:
    actor, user = _managed(request, username)
    form = PasswordResetForm(request.POST)
    chosen = form.cleaned_data["password"] if form.is_valid() else ""
    try:
        user, password = services.user_password_reset(actor=actor, user_id=user.pk, password=chosen)
    except ApplicationError as error:
        messages.error(request, error.message)
        return redirect("accounts:user-detail", username=user.username)
    messages.success(request, _("The password was reset; the user must change it at the next login."))
    return _password_shown_once(request, user, "" if chosen else password)


@login_required
@require_GET
def user_changes(request: HttpRequest) -> HttpResponse:
    """Every change to the accounts the administrator manages: who changed what, when, old → new."""
    actor = _administrator(request)
    page = Paginator(selectors.user_change_list(actor=actor), CHANGES_PER_PAGE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/user_changes.html", {"page": page})


@login_required
@require_GET
def scope_search(request: HttpRequest) -> HttpResponse:
    return scope_picker.scope_search(request, _administrator(request))
