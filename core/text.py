"""Text helpers shared by every app (pure functions, no model)."""

import unicodedata


def fold(text):
    """Lower-case and accent-free: « Éloïse » → « eloise ». The one accent folding of the project."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()
