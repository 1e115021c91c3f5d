"""The review forms a phone may download: one per commune review open for entry whose answers the user
may enter."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import NotFoundError
from vungcao.field_capture.models import FormWording
from vungcao.field_capture.xforms import form_identity
from vungcao.registry.models import CommuneReview, ReviewCycle
from vungcao.registry.services.reviews import ENTRY_STATES

NO_SUCH_FORM = _("No such form, or it is not open for your answers.")


def _open_reviews(user: User) -> QuerySet[CommuneReview]:
    reviews = CommuneReview.objects.filter(state__in=ENTRY_STATES).select_related("cycle", "commune")
    return access.restrict_answer_entry(reviews, user)


def field_form_list(*, user: User, form_id: str | None = None) -> list[CommuneReview]:
    """The reviews whose forms the user's phone lists, by commune, or only the one ``form_id`` names. A
    national administrator's phone lists only a form named by its id: thousands of communes' forms would
    make the list unusable."""
    if form_id is None:
        if access.is_national_administrator(user):
            return []
        return list(_open_reviews(user).order_by("cycle__year", "commune__code"))
    identity = form_identity(form_id)
    if identity is None:
        return []
    return list(_open_reviews(user).filter(cycle__year=identity.year, commune__code=identity.commune_code))


def field_form_get(*, user: User, form_id: str) -> CommuneReview:
    """The review of ``form_id``, when its form is open for the user's answers; ``NotFoundError`` for any
    other (another commune's, a submitted review's, an unknown one: the same answer)."""
    found = field_form_list(user=user, form_id=form_id)
    if not found:
        raise NotFoundError(str(NO_SUCH_FORM))
    return found[0]


def form_wording_get(*, cycle: ReviewCycle) -> FormWording | None:
    """The province's wording of the cycle's form (a cycle the user was allowed to open), if any."""
    return FormWording.objects.filter(cycle=cycle).select_related("uploaded_by").first()
