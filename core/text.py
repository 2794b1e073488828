"""Text helpers shared by every app (pure functions, no model)."""

import unicodedata


def fold(text):
    """Lower-case and accent-free: « Éloïse » → « eloise ». The one accent folding of the project."""
    text = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


# The placeholders of the messages to young people (``Organisation.texte_invitation``, ``texte_rappel``; replaced by
# ``messaging.texts.render``): what each stands for, and a sample value for the preview on /organisation/parametres/.
MESSAGE_PLACEHOLDERS = {
    "prenom": ("le prénom du jeune", "Inès"),
    "date": ("la date du rendez-vous", "lundi 23 novembre 2026"),
    "heure": ("l'heure du rendez-vous", "14 h 30"),
    "lieu": ("le lieu (ou « par téléphone », « en visio »)", "au local, 12 rue de la Gare"),
    "conseillere": ("le nom de la conseillère", "Camille Martin"),
    "structure": ("le nom de la structure", "la structure"),
    "telephone": ("le téléphone de la structure", "03 21 00 00 00"),
}


def unknown_placeholders(text):
    """Names between braces in ``text`` that are not message placeholders (``{nom}``), or a format error."""
    import string

    try:
        names = [name for _literal, name, _spec, _conv in string.Formatter().parse(text or "") if name is not None]
    except ValueError:
        return ["accolade non fermée"]
    return [name or "{}" for name in names if name not in MESSAGE_PLACEHOLDERS]
