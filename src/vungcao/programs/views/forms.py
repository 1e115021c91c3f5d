"""Submitting an entry form to its service: the refusal's fields go under the form's fields."""

from collections.abc import Callable

from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.programs.forms.activities import EntryForm
from vungcao.programs.services.refusals import EntryRefused


def submit(form: EntryForm, create: Callable[..., object], user: User) -> object | None:
    """The created row, or None with every problem added to ``form`` (nothing written)."""
    if not form.is_valid():
        return None
    try:
        return create(user=user, **form.arguments())
    except EntryRefused as refused:
        for name, message in refused.errors.items():
            form.refusal(name, message)
    except ApplicationError as error:
        form.add_error(None, error.message)
    return None
