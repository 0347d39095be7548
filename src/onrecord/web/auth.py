"""Review access: one token per `onrecord serve --review` run, for the API and the pages.

The API takes it as ``Authorization: Bearer <token>``. The pages take it once in a login form,
which sets an HttpOnly, SameSite=Strict cookie holding a session value derived from the token
(never the token itself); each form a logged-in reviewer submits carries a CSRF value derived
from that session. The login form itself, before there is a session, is a double submit: its page
sets a random pre-session cookie and carries the same value in a hidden field, and a login is
taken only when both agree (another site can post a form, but can neither read nor set the
cookie). Every comparison is `hmac.compare_digest`, so timing tells nothing.
"""
from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

TOKEN_BYTES = 32
"""Random bytes of a review token (256 bits: beyond guessing, even at many requests a second)."""
SESSION_COOKIE = "onrecord_session"
SESSION_MAX_AGE = 12 * 3600
"""Seconds a login lasts: a working day; the token of the run still works to log in again."""


LOGIN_CSRF_COOKIE = "onrecord_login_csrf"
LOGIN_CSRF_MAX_AGE = 3600
"""Seconds a login form stays valid: time to fetch the token from the server's output and paste it."""
LOGIN_CSRF_BYTES = 16
"""Random bytes of the login form's CSRF value (128 bits: unguessable for as long as it lives)."""


def new_login_csrf() -> str:
    """A fresh pre-session CSRF value for the login form (cookie and hidden field)."""
    return secrets.token_urlsafe(LOGIN_CSRF_BYTES)


def login_csrf_ok(cookie: str | None, field: str | None) -> bool:
    """Whether a login's form field carries the value of its pre-session cookie (constant time)."""
    return bool(cookie) and bool(field) and hmac.compare_digest(str(cookie).encode(), str(field).encode())


def new_token() -> str:
    """A fresh review token, URL-safe text."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def _derive(key: str, purpose: str) -> str:
    return hmac.new(key.encode(), purpose.encode(), hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class Reviewers:
    """Who may write: whoever holds `token` (None: the server is read-only and nobody may)."""

    token: str | None

    @property
    def enabled(self) -> bool:
        return self.token is not None

    def token_ok(self, given: str | None) -> bool:
        """Whether `given` is this run's token (constant time)."""
        return self.token is not None and given is not None and hmac.compare_digest(given.encode(), self.token.encode())

    def bearer_ok(self, header: str | None) -> bool:
        """Whether an Authorization header carries this run's token as a Bearer token."""
        scheme, _, value = (header or "").partition(" ")
        return scheme.lower() == "bearer" and self.token_ok(value.strip())

    def session(self) -> str:
        """The cookie value a login sets."""
        assert self.token is not None
        return _derive(self.token, "session")

    def session_ok(self, cookie: str | None) -> bool:
        return self.token is not None and cookie is not None and hmac.compare_digest(cookie.encode(),
                                                                                     self.session().encode())

    def csrf(self) -> str:
        """The value every review form carries (known only to a page served to the logged-in reviewer)."""
        assert self.token is not None
        return _derive(self.token, "csrf")

    def csrf_ok(self, given: str | None) -> bool:
        return self.token is not None and given is not None and hmac.compare_digest(given.encode(), self.csrf().encode())
