"""The OpenRosa endpoints ODK Collect calls under ``/odk/``: the form list, a form, its manifest and its
media files, and the submission address (its check, and the sending of an instance with its photo).
Plain Django views (XML, multipart, a Basic challenge), each through :func:`openrosa_view`, which
authenticates, answers errors as ``OpenRosaResponse`` documents in Vietnamese (Collect sends no language)
and puts OpenRosa's headers on every response. The session is never read here, so a page's cookie cannot
post a submission: the submission address needs no CSRF token."""

from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import reverse
from django.utils import translation
from django.utils.http import http_date
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt

from vungcao.accounts.models import User
from vungcao.common.errors import ApplicationError, NotFoundError, PermissionDeniedError
from vungcao.field_capture import media, openrosa, selectors, xforms
from vungcao.field_capture.authentication import CHALLENGE, CredentialsRequiredError, basic_user
from vungcao.field_capture.services import intake
from vungcao.field_capture.xlsform import HOUSEHOLDS_FILE, VILLAGES_FILE
from vungcao.registry.models import PersonalDataRead
from vungcao.registry.services import personal_data_reads

ACCEPT_CONTENT_LENGTH = 20 * 1024 * 1024
"""The largest request a phone may send (``X-OpenRosa-Accept-Content-Length``): Collect splits a
submission whose photos pass it."""
XML_PART = "xml_submission_file"
INCOMPLETE = "*isIncomplete*"
"""The field of every sending but the last of an instance whose files Collect split."""
LOG_IN = _("Log in with your Vùng Cao account.")
METHOD_NOT_ALLOWED = _("This address does not take this kind of request.")
NO_SUCH_FILE = _("No such file.")
SENDING_TOO_LARGE = _("The sending is larger than 20 MB: nothing was received.")
NO_XML_PART = _("The sending has no answers (no xml_submission_file part): nothing was received.")

OpenRosaView = Callable[..., HttpResponse]


def xml_response(content: bytes, status: int = 200) -> HttpResponse:
    return HttpResponse(content, status=status, content_type=openrosa.CONTENT_TYPE)


def _error(message: str, status: int) -> HttpResponse:
    return xml_response(openrosa.response_xml(message, nature="error"), status)


def openrosa_view(*methods: str) -> Callable[[OpenRosaView], Callable[..., HttpResponse]]:
    """A view of ``methods`` called with the Basic-authenticated user after the request; a refusal
    answered with its status (400, 401 with the challenge, 403, 404, 405) and its message."""

    def decorator(view: OpenRosaView) -> Callable[..., HttpResponse]:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: object, **kwargs: object) -> HttpResponse:
            with translation.override(settings.LANGUAGE_CODE):
                response = _answer(request, view, methods, *args, **kwargs)
                response["X-OpenRosa-Version"] = "1.0"
                response["X-OpenRosa-Accept-Content-Length"] = str(ACCEPT_CONTENT_LENGTH)
                response["Date"] = http_date()
                response["Content-Language"] = translation.get_language()
            return response

        return wrapper

    return decorator


def _answer(
    request: HttpRequest, view: OpenRosaView, methods: tuple[str, ...], *args: object, **kwargs: object
) -> HttpResponse:
    if request.method not in methods:
        response = _error(str(METHOD_NOT_ALLOWED), 405)
        response["Allow"] = ", ".join(methods)
        return response
    try:
        return view(request, basic_user(request), *args, **kwargs)
    except CredentialsRequiredError:
        response = _error(str(LOG_IN), 401)
        response["WWW-Authenticate"] = CHALLENGE
        return response
    except intake.InstanceConflictError as error:
        return _error(error.message, 409)
    except NotFoundError as error:
        return _error(error.message, 404)
    except PermissionDeniedError as error:
        return _error(error.message, 403)
    except ApplicationError as error:
        return _error(error.message, 400)


def _form_entry(request: HttpRequest, served: xforms.ServedForm) -> openrosa.FormListEntry:
    return openrosa.FormListEntry(
        form_id=served.form_id,
        name=served.title,
        version=served.version,
        md5=served.md5,
        download_url=request.build_absolute_uri(reverse("odk:form", args=[served.form_id])),
        manifest_url=request.build_absolute_uri(reverse("odk:manifest", args=[served.form_id])),
    )


@openrosa_view("GET", "HEAD")
def form_list(request: HttpRequest, user: User) -> HttpResponse:
    """The forms of the reviews open for the user's answers (``formID``: only that one)."""
    reviews = selectors.field_form_list(user=user, form_id=request.GET.get("formID"))
    entries = [_form_entry(request, xforms.review_xform(review)) for review in reviews]
    return xml_response(openrosa.form_list_xml(entries))


@openrosa_view("GET", "HEAD")
def form(request: HttpRequest, user: User, form_id: str) -> HttpResponse:
    review = selectors.field_form_get(user=user, form_id=form_id)
    return xml_response(xforms.review_xform(review).xml)


@openrosa_view("GET", "HEAD")
def manifest(request: HttpRequest, user: User, form_id: str) -> HttpResponse:
    review = selectors.field_form_get(user=user, form_id=form_id)
    entries = [
        openrosa.ManifestEntry(
            filename=file.filename,
            md5=file.md5,
            download_url=request.build_absolute_uri(reverse("odk:media", args=[form_id, file.filename])),
        )
        for file in media.review_media(user=user, review=review)
    ]
    return xml_response(openrosa.manifest_xml(entries))


@openrosa_view("GET", "HEAD")
def media_file(request: HttpRequest, user: User, form_id: str, filename: str) -> HttpResponse:
    """A media file of the form; the households' list is recorded as a read of personal data (their
    heads' names)."""
    review = selectors.field_form_get(user=user, form_id=form_id)
    if filename == HOUSEHOLDS_FILE:
        file = media.review_households(user=user, review=review)
        personal_data_reads.personal_data_read_record(
            user=user,
            kind=PersonalDataRead.Kind.PHONE_HOUSEHOLDS,
            address=personal_data_reads.request_address(request),
            household_count=file.household_count,
            filters={"unit": review.commune.code, "year": review.cycle.year},
        )
    elif filename == VILLAGES_FILE:
        file = media.review_villages(user=user, review=review)
    else:
        raise NotFoundError(str(NO_SUCH_FILE))
    return HttpResponse(file.content, content_type="text/csv; charset=utf-8")


@csrf_exempt
@openrosa_view("GET", "HEAD", "POST")
def submission(request: HttpRequest, user: User) -> HttpResponse:
    """Collect asks here before sending (with its credentials once known): 204 says this is an OpenRosa
    submission address and, in the headers, how much it takes. Then it posts an instance (the part
    ``xml_submission_file``) with its photo (a part named by the file's name): 201 for every instance
    kept, waiting or refused with its reason (any other answer makes Collect send it again and again), with
    the message Collect shows the officer; a sending larger than announced is refused unread (413)."""
    if request.method != "POST":
        return HttpResponse(status=204)
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > ACCEPT_CONTENT_LENGTH:
        return _error(str(SENDING_TOO_LARGE), 413)
    try:
        incomplete = request.POST.get(INCOMPLETE) == "yes"
        parts = request.FILES
    except (MultiPartParserError, SuspiciousOperation) as error:
        raise ApplicationError(str(openrosa.UNREADABLE)) from error
    answers = parts.get(XML_PART)
    if answers is None:
        raise ApplicationError(str(NO_XML_PART))
    files = [
        intake.ReceivedFile(upload.name or name, upload.read())
        for name, uploads in parts.lists()
        if name != XML_PART
        for upload in uploads
    ]
    receipt = intake.submission_receive(
        user=user,
        xml=answers.read(openrosa.MAX_XML_BYTES + 1),
        attachments=files,
        incomplete=incomplete,
        device_id=request.GET.get("deviceID", ""),
        user_agent=request.headers.get("User-Agent", ""),
    )
    return xml_response(openrosa.response_xml(receipt.message, nature="submit_success"), 201)
