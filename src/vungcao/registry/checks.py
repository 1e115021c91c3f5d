"""What a complete database holds of the registry (``vungcao database_check``)."""

from collections.abc import Iterator

from vungcao.geo import tree
from vungcao.registry import identity
from vungcao.registry.models import Household, Member

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


def households_in_their_villages_provinces() -> Iterator[str]:
    """Every household holds the province its village lies in (``Household.province``, which a province's
    household list reads): a database written past the application (a bulk load, a hand-made update) may
    not. One reading of the households."""
    wrong = Household.objects.exclude(tree.under_own("village", "province"))
    count = wrong.count()
    if count:
        example = wrong.order_by("code").values_list("code", flat=True).first()
        yield (
            f"{count} households hold another province than their village's (e.g. {example}): they were "
            "written past the application, which keeps a household's province with its village"
        )
