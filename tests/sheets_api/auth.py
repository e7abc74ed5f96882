"""Service accounts and OAuth: generated keys, the JWT-bearer token exchange, bearer tokens.

google-auth signs an RS256 JWT with the key file's private key and POSTs it to ``token_uri``
(spec §2.4). The emulator checks the signature against the public keys registered for the
``iss`` account, so a token is only issued to someone holding a registered key.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

JWT_BEARER = "urn:ietf:params:oauth:grant-type:jwt-bearer"
# google-auth hard-codes this audience whatever token_uri says (spec §2.4).
GOOGLE_TOKEN_AUDIENCE = "https://oauth2.googleapis.com/token"
INVALID_SIGNATURE = {"error": "invalid_grant", "error_description": "Invalid JWT Signature."}
SHORT_LIVED = {
    "error": "invalid_grant",
    "error_description": "Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable "
    "timeframe. Check your iat and exp values in the JWT claim.",
}


def project_number(project_id: str) -> str:
    """A stable 12-digit project number for a project id (Google's errors name numbers)."""
    digest = hashlib.sha256(project_id.encode()).hexdigest()
    return str(100_000_000_000 + int(digest[:12], 16) % 900_000_000_000)


@dataclass
class Token:
    value: str
    email: str
    scopes: tuple[str, ...]
    expires_at: float


@dataclass
class Principal:
    """A registered service account: its project and the public keys allowed to sign for it."""

    email: str
    project_id: str
    keys: dict[str, rsa.RSAPublicKey] = field(default_factory=dict)


def new_key() -> tuple[str, str, rsa.RSAPublicKey]:
    """Return (private_key_id, PKCS#8 PEM, public key) of a fresh 2048-bit RSA key."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    ).decode()
    return secrets.token_hex(20), pem, private.public_key()


def key_file(email: str, project_id: str, key_id: str, pem: str, token_uri: str) -> dict[str, str]:
    """A dict shaped like a real service-account key file."""
    return {
        "type": "service_account",
        "project_id": project_id,
        "private_key_id": key_id,
        "private_key": pem,
        "client_email": email,
        "client_id": str(int(hashlib.sha256(email.encode()).hexdigest()[:17], 16)).zfill(21)[:21],
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": token_uri,
        "auth_provider_x509_cert_url": "https://www.googleapis.com/oauth2/v1/certs",
        "client_x509_cert_url": f"https://www.googleapis.com/robot/v1/metadata/x509/{quote(email)}",
        "universe_domain": "googleapis.com",
    }


@functools.lru_cache(maxsize=64)
def _private_key(pem: str) -> rsa.RSAPrivateKey:
    # Loading a PEM validates the RSA key, ~40 ms; the same few keys are loaded over and over.
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    assert isinstance(private, rsa.RSAPrivateKey)
    return private


def public_key_of(info: dict[str, Any]) -> rsa.RSAPublicKey:
    return _private_key(info["private_key"]).public_key()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def sign_assertion(info: dict[str, Any], scopes: str, now: float | None = None) -> str:
    """Build the RS256 JWT google-auth would send for ``info`` (used by the cassette replay)."""
    issued = int(time.time() if now is None else now)
    header = {"typ": "JWT", "alg": "RS256", "kid": info.get("private_key_id", "")}
    claims = {
        "iat": issued,
        "exp": issued + 3600,
        "iss": info["client_email"],
        "aud": GOOGLE_TOKEN_AUDIENCE,
        "scope": scopes,
    }
    signing_input = f"{_b64(json.dumps(header).encode())}.{_b64(json.dumps(claims).encode())}"
    signature = _private_key(info["private_key"]).sign(
        signing_input.encode(), padding.PKCS1v15(), hashes.SHA256()
    )
    return f"{signing_input}.{_b64(signature)}"


class Accounts:
    """Registered principals and the tokens issued to them."""

    def __init__(self, clock: Callable[[], float]) -> None:
        self.clock = clock
        self.principals: dict[str, Principal] = {}
        self.tokens: dict[str, Token] = {}
        self.token_lifetime = 3599
        self._issued = 0

    def register(
        self, email: str, project_id: str, key_id: str, public_key: rsa.RSAPublicKey
    ) -> None:
        principal = self.principals.setdefault(email, Principal(email, project_id))
        principal.project_id = project_id
        principal.keys[key_id] = public_key

    def exchange(self, form: dict[str, str]) -> tuple[int, dict[str, Any]]:
        """Handle ``POST /token``; return (status, JSON body)."""
        grant = form.get("grant_type", "")
        if grant != JWT_BEARER:
            return 400, {
                "error": "unsupported_grant_type",
                "error_description": f"Invalid grant_type: {grant}",
            }
        claims = self._verified_claims(form.get("assertion", ""))
        if claims is None:
            return 400, INVALID_SIGNATURE
        if claims.get("aud") not in (GOOGLE_TOKEN_AUDIENCE,) and not str(
            claims.get("aud", "")
        ).endswith("/token"):
            return 400, {
                "error": "invalid_grant",
                "error_description": "Invalid JWT: Failed audience check.",
            }
        try:
            lifetime = int(claims["exp"]) - int(claims["iat"])
        except (KeyError, TypeError, ValueError):
            return 400, SHORT_LIVED
        if not 0 < lifetime <= 3600:
            return 400, SHORT_LIVED
        self._issued += 1
        value = f"emu-{self._issued}-{secrets.token_urlsafe(16)}"
        scopes = tuple(str(claims.get("scope", "")).split())
        self.tokens[value] = Token(
            value, str(claims["iss"]), scopes, self.clock() + self.token_lifetime
        )
        return 200, {
            "access_token": value,
            "expires_in": self.token_lifetime,
            "token_type": "Bearer",
        }

    def _verified_claims(self, assertion: str) -> dict[str, Any] | None:
        try:
            header_part, claims_part, signature_part = assertion.split(".")
            header = json.loads(_unb64(header_part))
            claims = json.loads(_unb64(claims_part))
            signature = _unb64(signature_part)
        except ValueError:
            return None
        principal = self.principals.get(str(claims.get("iss")))
        if principal is None or header.get("alg") != "RS256":
            return None
        keys = (
            [principal.keys[header["kid"]]]
            if header.get("kid") in principal.keys
            else list(principal.keys.values())
        )
        for key in keys:
            try:
                key.verify(
                    signature,
                    f"{header_part}.{claims_part}".encode(),
                    padding.PKCS1v15(),
                    hashes.SHA256(),
                )
            except InvalidSignature:
                continue
            return dict(claims)
        return None

    def bearer(self, authorization: str | None) -> Token | None:
        """The live token named by an ``Authorization: Bearer`` header, if any."""
        if not authorization or not authorization.lower().startswith("bearer "):
            return None
        token = self.tokens.get(authorization[7:].strip())
        if token is None or token.expires_at <= self.clock():
            return None
        return token

    def expire_all(self) -> None:
        """Invalidate every issued token: the next API call gets 401 and google-auth refreshes."""
        self.tokens.clear()

    def project_of(self, email: str) -> str:
        principal = self.principals.get(email)
        return principal.project_id if principal else "unknown-project"
