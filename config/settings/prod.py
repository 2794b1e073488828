"""Production: base settings, everything from environment variables (SECRET_KEY required)."""

from config.settings.base import *  # noqa: F403
