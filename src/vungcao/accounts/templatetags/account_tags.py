"""Template filters asking ``accounts.access`` (templates decide nothing about rights themselves)."""

from django import template
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.geo.models import Level

SCOPED_ADMINISTRATOR = {
    Level.PROVINCE: _("Province administrator"),
    Level.COMMUNE: _("Commune administrator"),
}

register = template.Library()


@register.filter
def manages_users(user: User) -> bool:
    """``{% if user|manages_users %}``: national and province administrators."""
    return access.can_manage_users(user)


@register.filter
def sees_households(user: User) -> bool:
    """``{% if user|sees_households %}``: every role but the aggregate-only viewer."""
    return access.can_view_households(user)


@register.filter
def role_label(user: User) -> str:
    """The role as officials say it: an administrator with a province scope is the province's."""
    if access.is_scoped_administrator(user) and user.scope is not None:
        return str(SCOPED_ADMINISTRATOR[Level(user.scope.level)])
    return str(user.get_role_display())
