"""The REST API under /api/v1/: authentication, errors and the routers of every app.

Every operation documents the errors it may answer besides its own (see :data:`ERRORS`), so a client —
and schemathesis in the test suite — knows each status and the shape of its body.
"""

from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.openapi.schema import OpenAPISchema
from ninja.security import django_auth
from pydantic.json_schema import models_json_schema

from vungcao.api.auth import BearerToken
from vungcao.common.errors import ApplicationError, ImportRefusedError, NotFoundError, PermissionDeniedError
from vungcao.geo.api import router as geo_router
from vungcao.indicators.api import router as indicators_router
from vungcao.programs.api import router as programs_router
from vungcao.registry.api import router as registry_router


class ErrorOut(Schema):
    """A refusal: ``detail`` says why; some refusals add fields of their own."""

    detail: str


class ValidationIssue(Schema):
    type: str
    loc: list[str | int] = []
    msg: str


class ValidationErrorsOut(Schema):
    """The request did not match the operation's parameters: each issue names its field in ``loc``
    (e.g. ``["body", "payload", "amount_vnd"]``)."""

    detail: list[ValidationIssue]


ERRORS: dict[int, tuple[str, type[Schema]]] = {
    400: ("Refused: the request cannot be carried out as asked", ErrorOut),
    401: ("No valid token or session", ErrorOut),
    403: ("The caller's role or scope does not allow it", ErrorOut),
    404: ("Not found, or outside the caller's scope", ErrorOut),
    422: (
        "A parameter is missing, malformed or out of range; each issue names its field",
        ValidationErrorsOut,
    ),
}


class VungCaoApi(NinjaAPI):
    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> OpenAPISchema:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        document_errors(schema)
        return schema


def document_errors(schema: dict[str, Any]) -> None:
    """Add :data:`ERRORS` to every operation; where an operation answers 422 with its own body (a refusal
    naming every bad field), the 422 is either that body or the validation issues."""
    refs, definitions = models_json_schema(
        [(model, "serialization") for _description, model in ERRORS.values()],
        ref_template="#/components/schemas/{model}",
    )
    schema.setdefault("components", {}).setdefault("schemas", {}).update(definitions.get("$defs", {}))
    for operations in schema["paths"].values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, (description, model) in ERRORS.items():
                error = refs[(model, "serialization")]
                own = responses.get(status)
                if own is None:
                    responses[status] = {
                        "description": description,
                        "content": {"application/json": {"schema": error}},
                    }
                else:
                    content = own["content"]["application/json"]
                    content["schema"] = {"anyOf": [content["schema"], error]}


api = VungCaoApi(
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
api.add_router("/", indicators_router)
