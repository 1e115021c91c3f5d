"""The field capture pages officers use in the browser: how to set up a phone."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.field_capture import selectors, settings_qr, xforms
from vungcao.field_capture.views.openrosa import ACCEPT_CONTENT_LENGTH

MEGABYTE = 1024 * 1024


def _server_url(request: HttpRequest) -> str:
    """The address phones are given: this server's ``/odk``, over HTTPS."""
    return settings_qr.server_url(
        request.build_absolute_uri(reverse("odk:form-list").removesuffix("formList"))
    )


@login_required
def phone_setup(request: HttpRequest) -> HttpResponse:
    """How an officer sets up ODK Collect: the server's address, their username, the forms their phone
    will list, and a QR code holding all of it but the password."""
    user = access.request_user(request)
    sends = access.can_enter_answers_somewhere(user)
    server = _server_url(request)
    qr = None
    if sends:
        payload = settings_qr.settings_payload(
            settings_qr.collect_settings(
                server=server,
                username=user.username,
                full_name=user.get_full_name(),
                scope_name=user.scope.name if user.scope is not None else None,
            )
        )
        qr = settings_qr.settings_qr_svg(payload, title=_("Settings for ODK Collect"))
    context = {
        "sends": sends,
        "server_url": server,
        "forms": [xforms.review_title(review) for review in selectors.field_form_list(user=user)]
        if sends
        else [],
        "forms_named_only": access.is_national_administrator(user),
        "qr": qr,
        "limit_megabytes": ACCEPT_CONTENT_LENGTH // MEGABYTE,
    }
    return render(request, "field_capture/phone_setup.html", context)
