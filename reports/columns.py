"""Versioned column maps of the participant export.

A map is a list of ``(header, accessor)``; an accessor takes a ``Participation`` (with ``jeune`` and
``jeune.organisation_orienteuse`` selected) and returns a value (str, int, date or bool).
When the funder changes its template, add a new map here (and make it the default if it replaces
the old one): no migration, old maps stay selectable by name.
"""

from reports.indicators import CATEGORIE_PAR_SITUATION, ISCED, LIBELLES_CATEGORIES


CITE = {diplome: code for code, diplomes in ISCED.items() for diplome in diplomes}
CITE_LIBELLES = {"EECO09": "CITE 0-2", "EECO10": "CITE 3-4", "EECO11": "CITE 5-8"}
ITEMS_COMPLETUDE = ("statut_entree", "diplome", "nationalite", "parent_ne_etranger", "handicap", "sans_logement")


def _oui_non(value):
    return "oui" if value else "non"


def _identifiant(p):
    return p.reference or f"P{p.pk}"


def _cite(p):
    code = CITE.get(p.diplome)
    return CITE_LIBELLES[code] if code else ""


def _categorie(p):
    if not p.date_sortie:
        return ""
    return LIBELLES_CATEGORIES[CATEGORIE_PAR_SITUATION.get(p.situation_sortie, "autre")]


def _complet(p):
    return _oui_non(p.jeune.est_joignable and all(getattr(p, item) for item in ITEMS_COMPLETUDE))


def _oui_non_vide(value):
    return "" if value is None else _oui_non(value)


def _display(field):
    return lambda p: getattr(p, f"get_{field}_display")() if getattr(p, field) else ""


def _situation_6_mois(p):
    """From the 6-month follow-up (annotated ``_s6`` by ``exports.participants_queryset``)."""
    return getattr(p, "_s6", None) or ""


def _situation_6_mois_label(p):
    from youth.models import Participation

    code = _situation_6_mois(p)
    return dict(Participation.SituationSortie.choices).get(code, code)


def _origine(p):
    jeune = p.jeune
    if jeune.organisation_orienteuse_id:
        return str(jeune.organisation_orienteuse)
    return "aller-vers" if jeune.origine == "aller_vers" else jeune.origine


def _age(p):
    from youth.models import age_on

    return age_on(p.jeune.date_naissance, p.date_entree)  # always derived from the birth date


MDFSE_2021_V1 = [
    ("Identifiant du participant", _identifiant),
    ("Nom", lambda p: p.jeune.nom),
    ("Prénom", lambda p: p.jeune.prenom),
    ("Sexe", lambda p: p.jeune.sexe),
    ("Date de naissance", lambda p: p.jeune.date_naissance),
    ("Âge à l'entrée", _age),
    ("Code INSEE de la commune de résidence", lambda p: p.jeune.commune_insee),
    ("Téléphone", lambda p: p.jeune.telephone),
    ("Courriel", lambda p: p.jeune.email),
    ("Personne à contacter", lambda p: p.jeune.contact_nom),
    ("Date d'entrée", lambda p: p.date_entree),
    (
        "Situation sur le marché du travail à l'entrée",
        lambda p: p.get_statut_entree_display() if p.statut_entree else "",
    ),
    ("Plus haut diplôme obtenu", lambda p: p.get_diplome_display() if p.diplome else ""),
    ("Niveau CITE", _cite),
    ("Nationalité", lambda p: p.get_nationalite_display() if p.nationalite else ""),
    ("Parent(s) né(s) à l'étranger", lambda p: p.get_parent_ne_etranger_display() if p.parent_ne_etranger else ""),
    ("Handicap reconnu", lambda p: p.get_handicap_display() if p.handicap else ""),
    ("Sans domicile ou exclusion du logement", lambda p: p.get_sans_logement_display() if p.sans_logement else ""),
    ("Questionnaire d'entrée complet", _complet),
    ("Date de sortie", lambda p: p.date_sortie),
    ("Situation à la sortie", lambda p: p.get_situation_sortie_display() if p.situation_sortie else ""),
    ("Catégorie de sortie", _categorie),
    ("Qualification obtenue", lambda p: _oui_non(p.qualification_obtenue)),
    ("A terminé le parcours", lambda p: _oui_non(p.a_termine)),
]

# The columns of ``import_participants`` (codes, not labels): an export that can be re-imported as is.
TREMPLIN_IMPORT_V1 = [
    ("reference", _identifiant),
    ("nom", lambda p: p.jeune.nom),
    ("prenom", lambda p: p.jeune.prenom),
    ("sexe", lambda p: p.jeune.sexe),
    ("date_naissance", lambda p: p.jeune.date_naissance),
    ("date_reperage", lambda p: p.jeune.date_reperage),
    ("origine", _origine),
    ("telephone", lambda p: p.jeune.telephone),
    ("email", lambda p: p.jeune.email),
    ("contact_nom", lambda p: p.jeune.contact_nom),
    ("statut_entree", lambda p: p.statut_entree),
    ("diplome", lambda p: p.diplome),
    ("nationalite", lambda p: p.nationalite),
    ("parent_ne_etranger", lambda p: p.parent_ne_etranger),
    ("handicap", lambda p: p.handicap),
    ("sans_logement", lambda p: p.sans_logement),
    ("date_entree", lambda p: p.date_entree),
    ("date_sortie", lambda p: p.date_sortie),
    ("situation_sortie", lambda p: p.situation_sortie),
    ("emploi_pendant_parcours", lambda p: _oui_non(p.emploi_pendant_parcours)),
]


def _insert_after(columns, after, new):
    index = next(i for i, (header, _) in enumerate(columns) if header == after) + 1
    return [*columns[:index], *new, *columns[index:]]


# Version 2 adds the data of EECO03 / EECO17 / QPV / immediate and 6-month results, and the repérage columns, so
# that the export re-imports as is (import_participants recognises these headers).
MDFSE_2021_V2 = MDFSE_2021_V1
MDFSE_2021_V2 = _insert_after(
    MDFSE_2021_V2,
    "Date de naissance",
    [("Date de repérage", lambda p: p.jeune.date_reperage), ("Origine", _origine)],
)
MDFSE_2021_V2 = _insert_after(
    MDFSE_2021_V2,
    "Personne à contacter",
    [
        ("Téléphone de la personne à contacter", lambda p: p.jeune.contact_telephone),
        ("Courriel de la personne à contacter", lambda p: p.jeune.contact_email),
    ],
)
MDFSE_2021_V2 = _insert_after(
    MDFSE_2021_V2,
    "Situation sur le marché du travail à l'entrée",
    [
        ("Au chômage depuis le", lambda p: p.date_debut_chomage),
        ("Inscrit à France Travail", _display("inscrit_france_travail")),
    ],
)
MDFSE_2021_V2 = _insert_after(
    MDFSE_2021_V2, "Sans domicile ou exclusion du logement", [("Réside en QPV", _display("qpv"))]
)
MDFSE_2021_V2 = _insert_after(
    MDFSE_2021_V2, "Situation à la sortie", [("Situation de sortie constatée le", lambda p: p.date_situation_sortie)]
)
MDFSE_2021_V2 = [
    (header, (lambda p: _oui_non_vide(p.qualification_obtenue)) if header == "Qualification obtenue" else accessor)
    for header, accessor in MDFSE_2021_V2
]
MDFSE_2021_V2 = _insert_after(
    MDFSE_2021_V2,
    "Qualification obtenue",
    [
        ("Situation à 6 mois", _situation_6_mois_label),
        ("Emploi court pendant le parcours", lambda p: _oui_non(p.emploi_pendant_parcours)),
    ],
)

TREMPLIN_IMPORT_V2 = [
    *TREMPLIN_IMPORT_V1[:10],
    ("contact_telephone", lambda p: p.jeune.contact_telephone),
    ("contact_email", lambda p: p.jeune.contact_email),
    ("commune_insee", lambda p: p.jeune.commune_insee),
    ("statut_entree", lambda p: p.statut_entree),
    ("date_debut_chomage", lambda p: p.date_debut_chomage),
    ("inscrit_france_travail", lambda p: p.inscrit_france_travail),
    *TREMPLIN_IMPORT_V1[11:16],
    ("qpv", lambda p: p.qpv),
    *TREMPLIN_IMPORT_V1[16:19],
    ("date_situation_sortie", lambda p: p.date_situation_sortie),
    ("qualification_obtenue", lambda p: _oui_non_vide(p.qualification_obtenue)),
    ("situation_6_mois", _situation_6_mois),
    *TREMPLIN_IMPORT_V1[19:],
]

COLUMN_MAPS = {
    "mdfse-2021-v1": MDFSE_2021_V1,
    "mdfse-2021-v2": MDFSE_2021_V2,
    "tremplin-import-v1": TREMPLIN_IMPORT_V1,
    "tremplin-import-v2": TREMPLIN_IMPORT_V2,
}
DEFAULT_COLUMN_MAP = "mdfse-2021-v2"
COLUMN_MAP_LABELS = {
    "mdfse-2021-v1": "Ma Démarche FSE+ (2021-2027), version 1",
    "mdfse-2021-v2": "Ma Démarche FSE+ (2021-2027), version 2 (ré-importable)",
    "tremplin-import-v1": "Format d'import Tremplin (codes), version 1",
    "tremplin-import-v2": "Format d'import Tremplin (codes), version 2",
}


def get_column_map(name=None):
    """The map called ``name`` (default: the latest funder template). Unknown name → ``KeyError``."""
    name = name or DEFAULT_COLUMN_MAP
    if name not in COLUMN_MAPS:
        raise KeyError(f"Modèle de colonnes inconnu : « {name} » (disponibles : {', '.join(COLUMN_MAPS)}).")
    return COLUMN_MAPS[name]
