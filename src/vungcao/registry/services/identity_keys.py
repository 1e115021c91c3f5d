"""Changing the identity-number key (``IDENTITY_NUMBER_KEY``): every stored number is opened with the
previous key, sealed again under the current one and its digest recomputed, so numbers stay readable and
duplicates are still found. All or nothing: one transaction, walked in batches of members."""

from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext_lazy

from vungcao.common.errors import ApplicationError
from vungcao.registry import identity
from vungcao.registry.models import Member

ROTATION_BATCH_SIZE = 2000
PREVIOUS_KEY_MISSING = gettext_lazy("Give the previous identity-number key.")
PREVIOUS_KEY_IS_CURRENT = gettext_lazy(
    "The previous identity-number key is the current one: set IDENTITY_NUMBER_KEY to the new key."
)
MEMBER_UNREADABLE = gettext_lazy(
    "The identity number of member {member} opens under neither the previous nor the current key: "
    "nothing was changed."
)


@dataclass(frozen=True)
class KeyRotation:
    resealed: int
    already_current: int


@transaction.atomic
def identity_key_rotate(*, previous_key: str, batch_size: int = ROTATION_BATCH_SIZE) -> KeyRotation:
    """Seal every member's identity number under the current key. Members already sealed under it (a
    rotation run again after one that finished) are left as they are."""
    if not previous_key:
        raise ApplicationError(str(PREVIOUS_KEY_MISSING))
    if previous_key == settings.IDENTITY_NUMBER_KEY:
        raise ApplicationError(str(PREVIOUS_KEY_IS_CURRENT))
    resealed = already_current = 0
    last_pk = 0
    while True:
        batch = list(
            Member.objects.select_for_update()
            .filter(pk__gt=last_pk)
            .exclude(identity_encrypted="")
            .order_by("pk")
            .only("pk", "identity_encrypted")[:batch_size]
        )
        if not batch:
            return KeyRotation(resealed=resealed, already_current=already_current)
        changed = []
        for member in batch:
            try:
                sealed = identity.reseal(member.identity_encrypted, previous_key=previous_key)
            except ValueError as error:
                raise ApplicationError(str(MEMBER_UNREADABLE).format(member=member.pk)) from error
            if sealed is None:
                already_current += 1
                continue
            member.identity_digest = sealed.digest
            member.identity_encrypted = sealed.encrypted
            member.identity_last_digits = sealed.last_digits
            changed.append(member)
        Member.objects.bulk_update(changed, ["identity_digest", "identity_encrypted", "identity_last_digits"])
        resealed += len(changed)
        last_pk = batch[-1].pk
