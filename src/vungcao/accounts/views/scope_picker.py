"""The scope picker: a scope typed as an official code or a name, resolved among the units the
administrator may give (never a database id). Typed in the box, htmx lists the matches as one types;
without JavaScript the "Find" button posts the form to list them, and each match is a button that puts
its code in the box. Only an exact official code is ever saved."""

from dataclasses import dataclass, field

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access, selectors
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.geo.models import AdministrativeUnit

SCOPE_NO_MATCH = _("No province or commune of your scope has this code or name.")
SCOPE_CHOOSE = _("Choose the unit below (its official code is then used), and check it before saving.")
# Buttons that only redraw the form (no saving): "Find", and each match of the list.
FIND, PICK = "find", "scope_pick"


@dataclass
class ScopePick:
    """What the box holds: the term typed, the unit of that exact code (None: whole country or not yet
    chosen), and the matches to choose from."""

    term: str
    national: bool = True  # whether the administrator may leave it empty (the whole country)
    unit: AdministrativeUnit | None = None
    matches: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""

    @property
    def chosen_label(self) -> str:
        return selectors.scope_label(self.unit)

    @property
    def resolved(self) -> bool:
        """An empty box (the whole country) or the exact code of a unit the administrator may give."""
        return not self.term or self.unit is not None

    def context(self) -> dict[str, object]:
        return {"scope_pick": self}


def scope_pick(*, actor: User, term: str) -> ScopePick:
    term = term.strip()[:100]
    national = access.is_national_administrator(actor)
    if not term:
        return ScopePick(term="", national=national)
    try:
        return ScopePick(term=term, national=national, unit=selectors.scope_find(actor=actor, code=term))
    except NotFoundError:
        pass
    matches = [
        (unit.code, selectors.scope_label(unit)) for unit in selectors.scope_search(actor=actor, term=term)
    ]
    error = SCOPE_CHOOSE if matches else SCOPE_NO_MATCH
    return ScopePick(term=term, national=national, matches=matches, error=str(error))


def scope_pick_from_post(*, actor: User, request: HttpRequest) -> tuple[ScopePick, bool]:
    """The scope of a posted form, and whether the post only asked to find or pick a unit (no saving)."""
    picked = request.POST.get(PICK, "")
    if picked:
        return scope_pick(actor=actor, term=picked), True
    return scope_pick(actor=actor, term=request.POST.get("scope", "")), FIND in request.POST


def scope_search(request: HttpRequest, actor: User) -> HttpResponse:
    """The htmx answer: the matches of the typed term, or the whole picker once a match is picked."""
    pick = scope_pick(actor=actor, term=request.GET.get("scope", ""))
    template = "accounts/_scope_picker.html" if PICK in request.GET else "accounts/_scope_results.html"
    return render(request, template, pick.context())
