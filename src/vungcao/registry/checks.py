"""What a complete database holds of the registry (``vungcao database_check``)."""

from collections.abc import Iterator

from vungcao.registry import identity
from vungcao.registry.models import Member

# Identity numbers opened to check the key: spread over the whole table, a few milliseconds in all.
IDENTITY_SAMPLE = 1000


def identity_numbers_readable() -> Iterator[str]:
    """A sample of the stored identity numbers opens with the configured key and gives back its digest:
    a database restored beside the wrong ``IDENTITY_NUMBER_KEY`` is found before anyone needs a number."""
    protected = Member.objects.exclude(identity_encrypted="")
    total = protected.count()
    if not total:
        return
    step = max(1, total // IDENTITY_SAMPLE)
    pks = list(protected.order_by("pk").values_list("pk", flat=True)[::step][:IDENTITY_SAMPLE])
    unreadable = 0
    for encrypted, digest in Member.objects.filter(pk__in=pks).values_list(
        "identity_encrypted", "identity_digest"
    ):
        try:
            readable = identity.identity_digest(identity.reveal(encrypted)) == digest
        except Exception:
            readable = False
        unreadable += not readable
    if unreadable:
        yield (
            f"{unreadable} of {len(pks)} sampled identity numbers cannot be read with IDENTITY_NUMBER_KEY "
            "or do not match their digest: is this the key the backup was made with?"
        )
