"""An officer's decisions on phones' submissions, posted from their pages (``services.decisions``): one
accepted at once when it still changes what its page showed, several through an import batch (whose page
shows what they change, to apply there), rejected with a reason, or a refused one checked again."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from vungcao.accounts import access
from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError
from vungcao.common.language import reader_language
from vungcao.engine.text import format_number
from vungcao.field_capture import selectors
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services import decisions
from vungcao.field_capture.views.pages import submission_or_404
from vungcao.imports.models import ImportBatch
from vungcao.registry.models import CommuneReview
from vungcao.registry.views.lookups import commune_review_or_404, require_microdata, review_cycle_or_404

REVIEW_ACTIONS = ("accept", "accept-all", "reject")
SUBMISSION_ACTIONS = ("accept", "reject", "check-again")


def _chosen(request: HttpRequest, user: User, review: CommuneReview, action: str) -> list[Submission]:
    """The submissions the officer ticked (those of the review the user may see), or every one waiting."""
    if action == "accept-all":
        return list(
            selectors.review_submission_list(user=user, review=review, state=Submission.State.PENDING)
        )
    ids = []
    for text in request.POST.getlist("submission"):
        try:
            ids.append(uuid.UUID(text))
        except ValueError:
            continue
    return list(selectors.review_submission_list(user=user, review=review).filter(pk__in=ids))


@login_required
@require_POST
def review_decide(request: HttpRequest, cycle_id: int, commune_code: str, action: str) -> HttpResponse:
    """Accept the ticked submissions of a commune (or all those waiting) through an import batch, whose
    page shows what they change; or reject the ticked ones with the reason given."""
    require_microdata(request)
    user = access.request_user(request)
    cycle = review_cycle_or_404(request, cycle_id)
    review = commune_review_or_404(request, cycle, commune_code)
    if action not in REVIEW_ACTIONS:
        raise Http404(action)
    chosen = _chosen(request, user, review, action)
    try:
        if action == "reject":
            rejected = decisions.submissions_reject(
                user=user, submissions=chosen, reason=request.POST.get("reason", "")
            )
            count = len(rejected)
            messages.success(
                request,
                ngettext("{count} submission rejected.", "{count} submissions rejected.", count).format(
                    count=format_number(count, reader_language())
                ),
            )
        else:
            batch = decisions.submissions_accept(user=user, submissions=chosen)
            return redirect("imports:detail", batch_id=batch.pk)
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("field_capture:review-submissions", cycle_id=cycle.pk, commune_code=review.commune.code)


@login_required
@require_POST
def submission_decide(request: HttpRequest, submission_id: uuid.UUID, action: str) -> HttpResponse:
    """Accept the submission at once (when accepting it still changes what its page showed: otherwise
    the batch's page shows why, or what it changes now), reject it with a reason, or check it again."""
    user = access.request_user(request)
    submission = submission_or_404(request, submission_id)
    if action not in SUBMISSION_ACTIONS:
        raise Http404(action)
    try:
        if action == "accept":
            batch = decisions.submission_accept_one(
                user=user, submission=submission, fingerprint=request.POST.get("fingerprint", "")
            )
            if batch.status != ImportBatch.Status.APPLIED:
                messages.warning(request, _("Not accepted yet: accepting it now changes what is shown here."))
                return redirect("imports:detail", batch_id=batch.pk)
            messages.success(request, _("Accepted into the review."))
        elif action == "reject":
            decisions.submissions_reject(
                user=user, submissions=[submission], reason=request.POST.get("reason", "")
            )
            messages.success(request, _("Rejected."))
        else:
            checked = decisions.submission_check_again(user=user, submission=submission)
            messages.success(request, _("Checked again: {state}.").format(state=checked.get_state_display()))
    except ApplicationError as error:
        messages.error(request, error.message)
    return redirect("field_capture:submission-detail", submission_id=submission.pk)
