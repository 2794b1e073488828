"""Production: base settings, everything from environment variables (SECRET_KEY required)."""

from config.settings.base import *  # noqa: F403


# Production: the cache (and so the sessions, cached_db) in Redis unless CACHE_URL says otherwise.
CACHES = {"default": env.cache("CACHE_URL", default=REDIS_URL)}  # noqa: F405
CACHES["default"].setdefault("KEY_PREFIX", "tremplin")
