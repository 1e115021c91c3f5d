"""The user's own page: role, scope and API tokens; logging in and changing one's password."""

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
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


class LoginView(auth_views.LoginView):
    """Django's login; a user whose password an administrator chose goes first to change it."""

    template_name = "accounts/login.html"

    def get_success_url(self) -> str:
        if access.request_user(self.request).must_change_password:
            return reverse("accounts:password-change")
        return super().get_success_url()


class PasswordChangeView(auth_views.PasswordChangeView):
    """The user's own password, checked by Django's validators; the change is recorded."""

    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form: PasswordChangeForm) -> HttpResponse:
        response = super().form_valid(form)
        services.user_password_changed(user=access.request_user(self.request))
        messages.success(self.request, _("Your password was changed."))
        return response
