"""Keeps credentials out of everything vpclink writes or raises.

Error messages from AWS can quote what was signed: `SignatureDoesNotMatch` echoes the
string to sign and the canonical request, with the access key id in the credential scope
and, for temporary credentials, the session token. Every message that reaches an event, a
progress line, an exception or the checkpoint goes through :meth:`Redactor.text` first.
"""

from __future__ import annotations

import re
from typing import Any, Iterable, List, Optional

from ._boto import Session

MASK = "[REDACTED]"

# Values that are secret wherever they appear, whoever's they are.
_PATTERNS = [
    # An Authorization header (SigV4: `AWS4-HMAC-SHA256 Credential=..., Signature=...`).
    re.compile(r"(?i)(authorization\s*[:=]\s*)[^\r\n\"']+"),
    # Presigned-URL and header forms of the signature, the credential scope and the token.
    re.compile(r"(?i)(x-amz-(?:security-token|credential|signature)\s*[:=]\s*)[^\s&\"',;]+"),
    re.compile(r"(?i)((?:credential|signature)=)[^\s&\"',;]+"),
    # Access key ids: long-term (AKIA) and temporary (ASIA) ones.
    re.compile(r"()\b(?:AKIA|ASIA)[A-Z0-9]{16}\b"),
    # `aws_secret_access_key = ...` / `aws_session_token: ...` as in config files and repr()s.
    re.compile(r"(?i)(aws_(?:secret_access_key|session_token|access_key_id)['\"]?\s*[:=]\s*['\"]?)[^\s'\",}]+"),
]

# Shorter values are too likely to occur by chance (a resource named "testing").
_MIN_SECRET_LENGTH = 8


class Redactor:
    """Masks the given secret values and anything that looks like a credential."""

    def __init__(self, secrets: Iterable[Optional[str]] = ()) -> None:
        kept = {s for s in secrets if isinstance(s, str) and len(s) >= _MIN_SECRET_LENGTH}
        # Longest first, so that a token containing a key id is masked whole.
        self._secrets: List[str] = sorted(kept, key=len, reverse=True)

    @classmethod
    def for_session(cls, session: Session) -> "Redactor":
        """A redactor for the credentials `session` signs with (resolved now, if not yet)."""
        secrets: List[Optional[str]] = []
        try:
            credentials = session.get_credentials()
        except Exception:  # a broken credential chain is reported by the first call
            credentials = None
        if credentials is not None:
            frozen = credentials.get_frozen_credentials()
            secrets = [frozen.access_key, frozen.secret_key, frozen.token]
        return cls(secrets)

    def text(self, text: str) -> str:
        for secret in self._secrets:
            text = text.replace(secret, MASK)
        for pattern in _PATTERNS:
            text = pattern.sub(lambda m: m.group(1) + MASK, text)
        return text

    def value(self, value: Any) -> Any:
        """`value` with every string in it (keys included) redacted."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(k) if isinstance(k, str) else k: self.value(v) for k, v in value.items()}
        if isinstance(value, (list, tuple)):
            return [self.value(v) for v in value]
        return value

    def exact(self, text: str) -> str:
        """Masks only the known secret values: for JSON documents (the checkpoint), where a
        pattern could also match harmless data. The mask holds no quote or backslash, so the
        JSON stays valid."""
        for secret in self._secrets:
            if secret in text:
                text = text.replace(secret, MASK)
        return text
