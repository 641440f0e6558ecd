"""One Settings object, read from the environment once."""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass, field, replace
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

ROOT = Path(__file__).resolve().parent.parent


class ConfigError(RuntimeError):
    """Raised when the environment cannot give a working configuration."""


def _dev_secret(var_dir: Path) -> str:
    path = var_dir / "secret_key"
    if path.exists():
        return path.read_text().strip()
    var_dir.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    path.write_text(key)
    path.chmod(0o600)
    return key


def _time_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ValueError, ZoneInfoNotFoundError):
        raise ConfigError(
            f"TIME_ZONE must be a time zone name like UTC or Asia/Tehran, not {name!r}"
        ) from None
    return name


def _words(value: str) -> tuple[str, ...]:
    """MODERATION_WORDS: words or phrases separated by commas or new lines."""
    return tuple(w for w in (" ".join(p.split()) for p in value.replace("\n", ",").split(",")) if w)


def _count(name: str, value: str, low: int, high: int) -> int:
    try:
        n = int(value)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number, not {value!r}") from None
    if not low <= n <= high:
        raise ConfigError(f"{name} must be between {low} and {high}")
    return n


def _seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ConfigError(f"READ_CACHE_SECONDS must be a number, not {value!r}") from None
    if not 0 <= seconds <= 60:
        raise ConfigError("READ_CACHE_SECONDS must be between 0 and 60")
    return seconds


@dataclass(frozen=True)
class Settings:
    env: str = "development"
    database_url: str = ""
    redis_url: str | None = None
    secret_key: str = ""
    base_url: str = "http://127.0.0.1:8000"
    default_locale: str = "en"
    time_zone: str = "UTC"  # zoneinfo name: times are shown and typed in it
    smtp_url: str | None = None
    mail_from: str = "Participation <no-reply@participation.local>"
    var_dir: Path = ROOT / "var"
    db_pool_size: int = 20
    # Tunables of the domains; documented in the README.
    comment_min_length: int = 2
    comment_max_length: int = 5000
    comment_edit_minutes: int = 15
    comments_per_minute: int = 10
    login_attempts_per_email_per_minute: int = 5
    login_attempts_per_ip_per_minute: int = 100
    petition_sponsors_needed: int = 5
    # Moderation: words and phrases that send a comment to pre-moderation instead of
    # publishing it; the queue size and the flag count that make the moderators' alert mail.
    moderation_words: tuple[str, ...] = ()
    moderation_alert_queue: int = 20
    moderation_alert_flags: int = 5
    # Signers' names and addresses of a closed petition are anonymised this many days after it
    # closed (the counts stay): about six months by default.
    signer_retention_days: int = 183
    run_scheduler: bool = True
    read_cache_seconds: float = 0.0  # see participation/caching.py
    # every request in the log (ACCESS_LOG=1); otherwise only slow ones and server errors
    access_log: bool = False
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def production(self) -> bool:
        return self.env == "production"

    @property
    def is_postgres(self) -> bool:
        return self.database_url.startswith(("postgres://", "postgresql://"))

    @property
    def mail_dir(self) -> Path:
        return self.var_dir / "mail"

    @property
    def upload_dir(self) -> Path:
        return self.var_dir / "uploads"

    def with_(self, **changes: object) -> Settings:
        return replace(self, **changes)  # type: ignore[arg-type]

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        e = dict(os.environ if environ is None else environ)
        env = e.get("ENV", "development")
        if env not in ("development", "production"):
            raise ConfigError(f"ENV must be development or production, not {env!r}")
        var_dir = Path(e.get("VAR_DIR", str(ROOT / "var")))
        secret = e.get("SECRET_KEY", "")
        if not secret:
            if env == "production":
                raise ConfigError("SECRET_KEY is required when ENV=production")
            secret = _dev_secret(var_dir)
        elif env == "production" and len(secret) < 32:
            raise ConfigError("SECRET_KEY must be at least 32 characters in production")
        locale = e.get("DEFAULT_LOCALE", "en")
        from participation.i18n import LOCALES

        if locale not in LOCALES:
            raise ConfigError(f"DEFAULT_LOCALE must be one of {', '.join(LOCALES)}")
        return cls(
            env=env,
            database_url=e.get("DATABASE_URL") or f"sqlite://{var_dir / 'participation.sqlite3'}",
            redis_url=e.get("REDIS_URL") or None,
            secret_key=secret,
            base_url=e.get("BASE_URL", "http://127.0.0.1:8000").rstrip("/"),
            default_locale=locale,
            time_zone=_time_zone(e.get("TIME_ZONE", "UTC")),
            smtp_url=e.get("SMTP_URL") or None,
            mail_from=e.get("MAIL_FROM", cls.mail_from),
            var_dir=var_dir,
            db_pool_size=int(e.get("DB_POOL_SIZE", "20")),
            run_scheduler=e.get("RUN_SCHEDULER", "1") != "0",
            access_log=e.get("ACCESS_LOG", "0") == "1",
            moderation_words=_words(e.get("MODERATION_WORDS", "")),
            moderation_alert_queue=_count(
                "MODERATION_ALERT_QUEUE", e.get("MODERATION_ALERT_QUEUE", "20"), 1, 1_000_000
            ),
            moderation_alert_flags=_count(
                "MODERATION_ALERT_FLAGS", e.get("MODERATION_ALERT_FLAGS", "5"), 1, 1_000_000
            ),
            signer_retention_days=_count(
                "SIGNER_RETENTION_DAYS", e.get("SIGNER_RETENTION_DAYS", "183"), 1, 36_500
            ),
            read_cache_seconds=_seconds(
                e.get("READ_CACHE_SECONDS", "1" if env == "production" else "0")
            ),
        )
