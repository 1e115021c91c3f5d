"""Run a file through the import preview (and apply it when clean), as the web page and command do."""

import io

from vungcao.accounts.models import User
from vungcao.imports import services
from vungcao.imports.models import ImportBatch


def preview(
    kind: str, content: str | bytes, filename: str = "file.csv", user: User | None = None
) -> ImportBatch:
    data = content.encode("utf-8") if isinstance(content, str) else content
    return services.import_preview(user=user, kind=kind, stream=io.BytesIO(data), filename=filename)


def preview_and_apply(
    kind: str, content: str | bytes, filename: str = "file.csv", user: User | None = None
) -> ImportBatch:
    batch = preview(kind, content, filename, user)
    assert batch.status == ImportBatch.Status.READY, batch.problems
    return services.import_apply(user=user, batch=batch)


def problems(batch: ImportBatch) -> list[tuple[int, str, str, str]]:
    return sorted((p["row"], p["field"], p["value"], p["reason"]) for p in batch.problems)
