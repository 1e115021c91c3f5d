"""The user's own page: role, scope and API tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from vungcao.accounts import access, selectors, services
from vungcao.accounts.forms import ApiTokenForm
from vungcao.common.errors import ApplicationError, NotFoundError


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    user = access.request_user(request)
    new_secret = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            _token, new_secret = services.api_token_create(
                user=user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                lifetime_days=form.cleaned_data["lifetime_days"],
            )
            form = ApiTokenForm()
        except ApplicationError as error:
            messages.error(request, error.message)
    return render(
        request,
        "accounts/profile.html",
        {
            "tokens": selectors.api_token_list(user=user),
            "new_secret": new_secret,
            "form": form,
            "now": timezone.now(),
        },
    )


@login_required
@require_POST
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        services.api_token_revoke(user=access.request_user(request), token_id=token_id)
        messages.success(request, _("The token was revoked."))
    except NotFoundError as error:
        raise Http404(error.message) from error
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("accounts:profile")
