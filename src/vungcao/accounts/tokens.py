"""Token secrets are stored as SHA-256 digests only."""

import hashlib


def token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()
