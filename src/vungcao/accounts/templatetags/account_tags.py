"""Template filters asking ``accounts.access`` (templates decide nothing about rights themselves)."""

from django import template

from vungcao.accounts import access
from vungcao.accounts.models import User

register = template.Library()


@register.filter
def manages_users(user: User) -> bool:
    """``{% if user|manages_users %}``: national and province administrators."""
    return access.can_manage_users(user)
