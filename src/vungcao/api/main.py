"""The REST API under /api/v1/: authentication, errors and the routers of every app."""

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.security import django_auth

from vungcao.api.auth import BearerToken
from vungcao.common.errors import ApplicationError, ImportRefusedError, NotFoundError, PermissionDeniedError
from vungcao.geo.api import router as geo_router
from vungcao.programs.api import router as programs_router
from vungcao.registry.api import router as registry_router

api = NinjaAPI(
    title="Vùng Cao API",
    version="1",
    description="Administrative units, crosswalks and programme monitoring data, scoped to the caller.",
    auth=[BearerToken(), django_auth],
    urls_namespace="api",
)


@api.exception_handler(NotFoundError)
def not_found(request: HttpRequest, error: NotFoundError) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(PermissionDeniedError)
def permission_denied(request: HttpRequest, error: PermissionDeniedError) -> HttpResponse:
    return api.create_response(request, {"detail": error.message}, status=403)


@api.exception_handler(ImportRefusedError)
def import_refused(request: HttpRequest, error: ImportRefusedError) -> HttpResponse:
    return api.create_response(
        request, {"detail": error.message, "problems": error.report.as_dicts()}, status=422
    )


@api.exception_handler(ApplicationError)
def application_error(request: HttpRequest, error: ApplicationError) -> HttpResponse:
    return api.create_response(request, {"detail": error.message, **error.extra}, status=400)


api.add_router("/", geo_router)
api.add_router("/", registry_router)
api.add_router("/", programs_router)
