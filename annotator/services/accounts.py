"""Accounts: creating users, checking passwords, personal API tokens."""

from __future__ import annotations

import hashlib
import re
import secrets
from datetime import timedelta

from flask import current_app
from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from annotator.app.extensions import db
from annotator.models import ApiToken, User, utcnow
from annotator.services.errors import NotFound, ValidationFailed

USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")
MIN_PASSWORD_LENGTH = 8
TOKEN_PREFIX = "ann_"  # noqa: S105 - a public prefix, not a secret
#: Token use is recorded at most this often, so scripts do not pay a write per request.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)

# A hash of a random password, checked when the username is unknown so that a failed login
# takes the same time whether or not the account exists.
_DUMMY_HASH: str | None = None


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def generate_password() -> str:
    """A random initial password, easy to read aloud (no look-alike characters)."""
    alphabet = "abcdefghijkmnpqrstuvwxyzACDEFGHJKLMNPQRTUVWXY34679"
    return "".join(secrets.choice(alphabet) for _ in range(14))


def validate_username(username: str) -> str:
    username = (username or "").strip()
    if not USERNAME_PATTERN.match(username):
        raise ValidationFailed(
            "Usernames are 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit.",
            field="username",
        )
    return username


def validate_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Passwords need at least {MIN_PASSWORD_LENGTH} characters.", field="password"
        )


def find_user(username: str) -> User | None:
    return db.session.execute(select(User).where(User.username == username)).scalar_one_or_none()


def get_user(username: str) -> User:
    user = find_user(username)
    if user is None:
        raise NotFound(f"No user named {username!r}.", field="username")
    return user


def create_user(
    username: str,
    password: str | None = None,
    *,
    name: str = "",
    email: str = "",
    is_admin: bool = False,
    must_change_password: bool = False,
) -> tuple[User, str]:
    """Create a user; returns the user and the password (generated when none is given)."""
    username = validate_username(username)
    if find_user(username) is not None:
        raise ValidationFailed(f"The username {username!r} is taken.", field="username")
    if password is None:
        password = generate_password()
    validate_password(password)
    email = (email or "").strip()
    if email and ("@" not in email or len(email) > 254):
        raise ValidationFailed(f"{email!r} is not an e-mail address.", field="email")
    user = User(
        username=username,
        name=(name or "").strip()[:200],
        email=email,
        password_hash=hash_password(password),
        is_admin=is_admin,
        must_change_password=must_change_password,
    )
    db.session.add(user)
    db.session.flush()
    return user, password


def authenticate(username: str, password: str) -> User | None:
    """The active user with these credentials, or ``None``."""
    global _DUMMY_HASH
    user = find_user((username or "").strip())
    if user is None:
        if _DUMMY_HASH is None:
            _DUMMY_HASH = hash_password(secrets.token_hex(8))
        check_password_hash(_DUMMY_HASH, password or "")
        return None
    if not check_password_hash(user.password_hash, password or ""):
        return None
    if not user.active:
        return None
    return user


def change_password(user: User, current: str, new: str) -> None:
    if not check_password_hash(user.password_hash, current or ""):
        raise ValidationFailed("The current password is not right.", field="current_password")
    set_password(user, new)


def set_password(user: User, new: str, *, must_change: bool = False) -> None:
    validate_password(new)
    user.password_hash = hash_password(new)
    user.must_change_password = must_change
    db.session.commit()


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def create_api_token(user: User, name: str) -> tuple[ApiToken, str]:
    """Create a personal token; the plain token is returned once and never stored."""
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationFailed("Give the token a name of 1-100 characters.", field="name")
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    record = ApiToken(
        user_id=user.id, name=name, token_hash=_token_digest(token), prefix=token[:10]
    )
    db.session.add(record)
    db.session.commit()
    return record, token


def list_api_tokens(user: User) -> list[ApiToken]:
    return list(
        db.session.execute(
            select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.created.desc())
        ).scalars()
    )


def revoke_api_token(user: User, token_id: int) -> ApiToken:
    record = db.session.get(ApiToken, token_id)
    if record is None or record.user_id != user.id:
        raise NotFound("No such token.")
    if record.revoked is None:
        record.revoked = utcnow()
        db.session.commit()
    return record


def user_for_api_token(token: str) -> User | None:
    """The active owner of an unrevoked token, or ``None``."""
    row = db.session.execute(
        select(ApiToken, User)
        .join(User, User.id == ApiToken.user_id)
        .where(ApiToken.token_hash == _token_digest(token))
    ).first()
    if row is None:
        return None
    record, user = row
    if record.revoked is not None or not user.active:
        return None
    now = utcnow()
    if record.last_used is None or now - record.last_used > TOKEN_TOUCH_INTERVAL:
        record.last_used = now
        db.session.commit()
    return user


def set_active(user: User, active: bool) -> None:
    """Deactivate or reactivate an account; the user's work is kept either way."""
    user.active = active
    db.session.commit()
