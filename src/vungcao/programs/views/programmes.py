"""The programme trees; a province defines its own programme and renames, retires or restores its
components; thin: the forms parse, the services decide."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError
from vungcao.geo.models import Level
from vungcao.programs.forms.activities import field_errors
from vungcao.programs.forms.programmes import ComponentAddForm, ComponentRenameForm, ProgrammeForm
from vungcao.programs.models import Component, Programme
from vungcao.programs.selectors import programmes as selectors
from vungcao.programs.services import programmes as services
from vungcao.programs.services.refusals import EntryRefused


def _may_define_any(user: User) -> bool:
    province = user.scope if user.scope is not None and user.scope.level == Level.PROVINCE else None
    return access.can_define_programme(user, province) if province else access.can_manage_reference_data(user)


@login_required
def programme_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    trees = selectors.programme_trees(user=user)
    return render(
        request, "programs/programme_list.html", {"trees": trees, "can_define": _may_define_any(user)}
    )


@login_required
def programme_define(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    if not _may_define_any(user):
        raise PermissionDenied(_("You may not define programmes."))
    form = ProgrammeForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            programme = services.programme_define(user=user, **form.arguments())  # type: ignore[arg-type]
        except EntryRefused as refused:
            for name, message in refused.errors.items():
                if name in form.fields:
                    form.add_error(name, message)
                else:
                    form.add_error("components", f"{name.removeprefix('components.')}: {message}")
        except ApplicationError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("The programme {code} was defined.").format(code=programme.code))
            return redirect("programs:programme-detail", code=programme.code)
    return render(request, "programs/programme_define.html", {"form": form})


def _programme(request: HttpRequest, code: str) -> Programme:
    try:
        return selectors.programme_get(user=access.request_user(request), code=code)
    except NotFoundError as error:
        raise Http404(_("No such programme.")) from error


def _component(programme: Programme, code: str) -> Component:
    try:
        return selectors.component_get(programme=programme, code=code)
    except NotFoundError as error:
        raise Http404(_("No such component.")) from error


@login_required
def programme_detail(request: HttpRequest, code: str) -> HttpResponse:
    user = access.request_user(request)
    programme = _programme(request, code)
    context = {
        "programme": programme,
        "nodes": selectors.programme_tree(programme=programme),
        "can_manage": access.can_define_programme(user, programme.owner_unit),
        "can_record_money": access.can_import_money(user),
        "add_form": ComponentAddForm(),
    }
    return render(request, "programs/programme_detail.html", context)


def _report(request: HttpRequest, error: ApplicationError) -> None:
    if isinstance(error, EntryRefused):
        for message in error.errors.values():
            messages.error(request, message)
    else:
        messages.error(request, error.message)


@login_required
@require_POST
def component_add(request: HttpRequest, code: str) -> HttpResponse:
    programme = _programme(request, code)
    form = ComponentAddForm(request.POST)
    if not form.is_valid():
        for message in field_errors(form).values():
            messages.error(request, message)
        return redirect("programs:programme-detail", code=programme.code)
    data = form.cleaned_data
    parent = _component(programme, data["parent"].strip()) if data["parent"].strip() else None
    spec = services.ComponentSpec(
        code=data["code"],
        name_vi=data["name_vi"],
        name_en=data["name_en"],
        numbering=data["numbering"],
        kind=data["kind"],
    )
    try:
        added = services.component_add(
            user=access.request_user(request), programme=programme, parent=parent, spec=spec
        )
    except ApplicationError as error:
        _report(request, error)
    else:
        messages.success(request, _("The component {code} was added.").format(code=added.code))
    return redirect("programs:programme-detail", code=programme.code)


@login_required
@require_POST
def component_change(request: HttpRequest, code: str, component_code: str, action: str) -> HttpResponse:
    """Rename, retire or restore one component."""
    user = access.request_user(request)
    programme = _programme(request, code)
    component = _component(programme, component_code)
    try:
        if action == "rename":
            form = ComponentRenameForm(request.POST)
            if not form.is_valid():
                raise EntryRefused(field_errors(form))
            services.component_rename(user=user, component=component, **form.cleaned_data)
            messages.success(request, _("The component {code} was renamed.").format(code=component.code))
        elif action == "retire":
            count = services.component_retire(user=user, component=component)
            messages.success(
                request,
                _("{count} components were retired; the money recorded against them still counts.").format(
                    count=count
                ),
            )
        elif action == "restore":
            services.component_restore(user=user, component=component)
            messages.success(request, _("The component {code} was restored.").format(code=component.code))
        else:
            raise Http404(_("No such action."))
    except ApplicationError as error:
        _report(request, error)
    return redirect("programs:programme-detail", code=programme.code)
