"""The field capture pages officers use in the browser: what phones sent, commune by commune, and how to
set up a phone."""

import uuid

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _

from vungcao.accounts import access
from vungcao.common import sealing
from vungcao.common.errors import NotFoundError
from vungcao.common.file_limits import MEGABYTE
from vungcao.field_capture import importers, sealed, selectors, settings_qr, xforms
from vungcao.field_capture.models import Submission
from vungcao.field_capture.services import decisions
from vungcao.field_capture.views.openrosa import ACCEPT_CONTENT_LENGTH
from vungcao.imports.changes import changes_shown
from vungcao.registry.models import PersonalDataRead
from vungcao.registry.selectors import reviews as review_selectors
from vungcao.registry.services import personal_data_reads
from vungcao.registry.views.lookups import (
    PAGE_SIZE,
    commune_review_or_404,
    require_microdata,
    review_cycle_or_404,
)


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


@login_required
def submission_overview(request: HttpRequest) -> HttpResponse:
    """The communes whose reviews take or took phones' answers, with their submissions by state; and each
    review cycle's form, to download or reword."""
    require_microdata(request)
    user = access.request_user(request)
    context = {
        "page": Paginator(selectors.review_submission_counts(user=user), PAGE_SIZE).get_page(
            request.GET.get("page")
        ),
        "cycles": review_selectors.review_cycle_list(user=user),
        "sends": access.can_enter_answers_somewhere(user),
    }
    return render(request, "field_capture/submission_overview.html", context)


def _shown_state(request: HttpRequest) -> str:
    state = request.GET.get("state", "all")
    return state if state in selectors.SHOWN_STATES else "all"


@login_required
def review_submissions(request: HttpRequest, cycle_id: int, commune_code: str) -> HttpResponse:
    """A commune's submissions to its review, newest first (of one state, if asked), each with its
    household and head, its sender, the status its answers give, what it changes and why it stands where
    it does; recorded as a read of personal data."""
    require_microdata(request)
    user = access.request_user(request)
    cycle = review_cycle_or_404(request, cycle_id)
    review = commune_review_or_404(request, cycle, commune_code)
    state = _shown_state(request)
    submissions = selectors.review_submission_list(user=user, review=review, state=state)
    page = Paginator(submissions, PAGE_SIZE).get_page(request.GET.get("page"))
    personal_data_reads.personal_data_read_record(
        user=user,
        kind=PersonalDataRead.Kind.PHONE_LIST,
        address=personal_data_reads.request_address(request),
        household_count=len(page),
        filters={"unit": review.commune.code, "year": cycle.year, "state": state, "page": page.number},
    )
    counts = selectors.review_state_counts(user=user, review=review)
    context = {
        "cycle": cycle,
        "review": review,
        "page": page,
        "rows": selectors.submission_rows(user=user, review=review, submissions=page.object_list),
        "state": state,
        "states": [
            ("all", _("All"), sum(counts.values())),
            *((value, label, counts[value]) for value, label in Submission.State.choices),
        ],
        "pending": counts[Submission.State.PENDING],
        "can_decide": access.can_enter_answers(user, review.commune),
    }
    return render(request, "field_capture/review_submissions.html", context)


def submission_or_404(request: HttpRequest, submission_id: uuid.UUID) -> Submission:
    require_microdata(request)
    try:
        return selectors.submission_get(user=access.request_user(request), submission_id=submission_id)
    except NotFoundError as error:
        raise Http404(_("No such submission, or it is outside your scope.")) from error


@login_required
def submission_detail(request: HttpRequest, submission_id: uuid.UUID) -> HttpResponse:
    """One submission: the answers and members as sent, the change they make to the registry, the photo
    and the household's other submissions; recorded as a read of the household's personal data."""
    user = access.request_user(request)
    submission = submission_or_404(request, submission_id)
    detail = selectors.submission_detail(user=user, submission=submission)
    review = submission.commune_review
    personal_data_reads.personal_data_read_record(
        user=user,
        kind=PersonalDataRead.Kind.PHONE_DETAIL,
        address=personal_data_reads.request_address(request),
        household=submission.household,
        household_count=1,
        filters={"unit": review.commune.code, "household": submission.household_code},
        identity_numbers_whole=detail.identity_numbers_whole,
    )
    can_decide = access.can_enter_answers(user, review.commune)
    # Waiting, it is shown as accepting it changes the registry now: the button accepts that (its
    # fingerprint), not what it changed when it arrived.
    acceptance = (
        importers.submission_plan(user=user, submission=submission)
        if can_decide and submission.state == Submission.State.PENDING
        else None
    )
    context = {
        "detail": detail,
        "submission": submission,
        "review": review,
        "cycle": review.cycle,
        "acceptance": acceptance,
        "changes": changes_shown(acceptance.changes, user=user, show="all") if acceptance else detail.changes,
        "can_check_again": can_decide
        and submission.state == Submission.State.REFUSED
        and submission.reason in decisions.CHECKED_AGAIN,
    }
    return render(request, "field_capture/submission_detail.html", context)


@login_required
def submission_file(request: HttpRequest, submission_id: uuid.UUID, filename: str) -> HttpResponse:
    """A file sent with a submission (the dwelling's photo): shown when it is a picture, downloaded
    otherwise; never cached by a shared cache, never read as another type; recorded as a read of the
    household's personal data, whether opened alone or shown in the submission's page."""
    require_microdata(request)
    try:
        attachment = selectors.submission_attachment_get(
            user=access.request_user(request), submission_id=submission_id, filename=filename
        )
        content = sealed.attachment_content(attachment)
    except (NotFoundError, sealing.SealBrokenError) as error:
        raise Http404(_("No such file.")) from error
    submission = attachment.submission
    personal_data_reads.personal_data_read_record(
        user=access.request_user(request),
        kind=PersonalDataRead.Kind.PHONE_FILE,
        address=personal_data_reads.request_address(request),
        household=submission.household,
        household_count=1,
        filters={"unit": submission.commune_review.commune.code, "household": submission.household_code},
    )
    response = HttpResponse(content, content_type=attachment.content_type)
    response["Cache-Control"] = "private"
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Disposition"] = (
        content_disposition_header(not attachment.is_picture, attachment.filename) or ""
    )
    return response
