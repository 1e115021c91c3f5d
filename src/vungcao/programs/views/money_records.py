"""Money records one by one: the list of the user's scope with its filters, and the entry pages of plans,
allocations, disbursements and extensions; thin: the forms parse, the service decides."""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from vungcao.accounts import access
from vungcao.geo.names import unit_full_name
from vungcao.programs.forms.money import MoneyRecordFilterForm, MoneyRecordForm, unit_choice, unit_code_of
from vungcao.programs.models import MoneyRecord, RecordKind
from vungcao.programs.selectors import money_records as selectors
from vungcao.programs.services.money import money_record_create
from vungcao.programs.views.forms import submit

PAGE_SIZE = 50
TITLES = {
    RecordKind.PLAN: gettext_lazy("Record a capital plan"),
    RecordKind.ALLOCATION: gettext_lazy("Record an allocation"),
    RecordKind.DISBURSEMENT: gettext_lazy("Record a disbursement"),
    RecordKind.EXTENSION: gettext_lazy("Record an extension into a later year"),
}


@login_required
def money_record_list(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    form = MoneyRecordFilterForm(request.GET or None, user=user)
    filters = form.filters() if form.is_bound else selectors.RecordFilter()
    if filters is None:
        form.add_error("unit", _("No such unit, or it is outside your scope."))
        rows = MoneyRecord.objects.none()
    else:
        rows = selectors.money_record_list(user=user, filters=filters)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    for record in page:
        record.alert = selectors.record_alert(record)  # type: ignore[attr-defined]
        record.unit_path = unit_full_name(record.unit)  # type: ignore[attr-defined]
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "kinds": RecordKind.choices if access.can_import_money(user) else [],
    }
    return render(request, "programs/money_record_list.html", context)


@login_required
def money_record_new(request: HttpRequest) -> HttpResponse:
    """The entry form of one kind of record (``?kind=``, an allocation by default)."""
    user = access.request_user(request)
    kind = request.GET.get("kind") or RecordKind.ALLOCATION
    if kind not in RecordKind.values:
        raise Http404(_("No such kind of money record."))
    if not access.can_import_money(user):
        raise PermissionDenied(_("You may not record money."))
    form = MoneyRecordForm(request.POST or None, user=user, kind=kind)
    if request.method == "POST":
        record = submit(form, money_record_create, user)
        if isinstance(record, MoneyRecord):
            messages.success(
                request,
                _("{kind} {document} of {unit} was recorded.").format(
                    kind=record.get_kind_display(), document=record.document_no, unit=record.unit.name
                ),
            )
            alert = selectors.record_alert(record)
            if alert:
                messages.warning(request, alert)
            return redirect(f"{request.path}?{urlencode({'kind': kind, 'recorded': record.pk})}")
    recent = _recent(request, request.GET.get("recorded", ""))
    context = {
        "form": form,
        "kind": kind,
        "kinds": RecordKind.choices,
        "title": TITLES[RecordKind(kind)],
        "kind_label": RecordKind(kind).label,
        "recent": recent,
        "recent_rows": [recent] if recent else [],
    }
    return render(request, "programs/money_record_new.html", context)


def _recent(request: HttpRequest, recorded: str) -> MoneyRecord | None:
    """The record just entered (shown above the empty form), if the user may see it."""
    if not recorded.isdigit():
        return None
    rows = selectors.money_record_list(user=access.request_user(request), filters=selectors.RecordFilter())
    record = rows.filter(pk=int(recorded)).first()
    if record is not None:
        record.alert = selectors.record_alert(record)  # type: ignore[attr-defined]
        record.unit_path = unit_full_name(record.unit)  # type: ignore[attr-defined]
    return record


@login_required
def money_unit_choices(request: HttpRequest) -> HttpResponse:
    """The units matching what is typed in a unit box, as the options of its list (htmx)."""
    user = access.request_user(request)
    text = request.GET.get("unit_code") or request.GET.get("unit") or ""
    units = selectors.money_unit_choices(user=user, search=unit_code_of(text[:200]))
    options = [unit_choice(unit) for unit in units]
    return render(request, "programs/_unit_choices.html", {"options": options})


@login_required
def money_work_choices(request: HttpRequest) -> HttpResponse:
    """The works a disbursement may pay for, once unit and component are chosen (htmx)."""
    user = access.request_user(request)
    if not access.can_import_money(user):
        raise PermissionDenied(_("You may not record money."))
    form = MoneyRecordForm(request.GET, user=user, kind=RecordKind.DISBURSEMENT)
    return render(request, "programs/_work_choices.html", {"choices": form.work_choices()})
