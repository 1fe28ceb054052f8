"""Random identifiers, tokens and join codes, and the checks that keep garbage away from SQL.

Every token is drawn from :mod:`secrets` and is independent of every other one, so no
token can be derived from another (the share link says nothing about the edit link).
Tokens that grant write access (edit token, facilitator key) are stored only as SHA-256
hashes: a leaked database dump does not let anyone change answers. A plain hash (no salt,
no slow KDF) is enough because the tokens carry 192 random bits, not a human password.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

from ktmsc.model.limits import MAX_CODE_INPUT

TOKEN_BYTES = 24  # 192 bits; token_urlsafe(24) is exactly 32 characters
TOKEN_LENGTH = 32
ID_LENGTH = 32  # token_hex(16): 128 bits

# Join codes are read aloud and typed on phones: no 0/O, 1/I/L, 5/S, 2/Z, 8/B.
JOIN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
JOIN_CODE_LENGTH = 8  # 25**8 ≈ 1.5·10¹¹ codes; with the join throttle, guessing takes years
JOIN_CODE_SPACE = len(JOIN_ALPHABET) ** JOIN_CODE_LENGTH
_OLD_JOIN_CODE_LENGTH = 6  # workshops created before codes grew to eight characters keep theirs

_TOKEN_RE = re.compile(rf"[A-Za-z0-9_-]{{{TOKEN_LENGTH}}}")
_ID_RE = re.compile(rf"[0-9a-f]{{{ID_LENGTH}}}")
_CODE_RE = re.compile(rf"[{JOIN_ALPHABET}]{{{JOIN_CODE_LENGTH}}}|[{JOIN_ALPHABET}]{{{_OLD_JOIN_CODE_LENGTH}}}")
_CODE_SEPARATORS = re.compile(r"[\s\-‐‑‒–—]+")


def new_id() -> str:
    """A primary key: 128 random bits as 32 lowercase hex characters."""
    return secrets.token_hex(ID_LENGTH // 2)


def new_token() -> str:
    """An edit, share, join or facilitator token: 192 random bits, URL-safe, 32 characters."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def new_join_code() -> str:
    """Eight characters from :data:`JOIN_ALPHABET` (about 37 bits: enough to join, not to edit;
    what keeps it from being guessed is :mod:`ktmsc.workshop.throttle`)."""
    return "".join(secrets.choice(JOIN_ALPHABET) for _ in range(JOIN_CODE_LENGTH))


def hash_token(token: str) -> str:
    """SHA-256 hex digest: what the database stores instead of a write-granting token."""
    return hashlib.sha256(token.encode("ascii")).hexdigest()


def same_hash(a: str, b: str) -> bool:
    """Constant-time comparison, so timing does not reveal how much of a hash matched."""
    return hmac.compare_digest(a.encode("ascii"), b.encode("ascii"))


def is_token(value: object) -> bool:
    """Whether ``value`` has the exact shape of a token this module makes (checked before any query)."""
    return isinstance(value, str) and _TOKEN_RE.fullmatch(value) is not None


def is_id(value: object) -> bool:
    return isinstance(value, str) and _ID_RE.fullmatch(value) is not None


def normalise_join_code(value: object) -> str | None:
    """``"acde-fg hj"`` → ``"ACDEFGHJ"``; None when the input cannot be a join code."""
    if not isinstance(value, str) or len(value) > MAX_CODE_INPUT:
        return None
    code = _CODE_SEPARATORS.sub("", value).upper()
    return code if _CODE_RE.fullmatch(code) else None
