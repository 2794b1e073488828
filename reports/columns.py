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
    jeune = p.jeune
    contactable = bool(jeune.telephone or jeune.email or jeune.contact_nom)
    return _oui_non(contactable and all(getattr(p, item) for item in ITEMS_COMPLETUDE))


def _origine(p):
    jeune = p.jeune
    if jeune.organisation_orienteuse_id:
        return str(jeune.organisation_orienteuse)
    return "aller-vers" if jeune.origine == "aller_vers" else jeune.origine


def _age(p):
    from youth.models import age_on

    return p.age_entree if p.age_entree is not None else age_on(p.jeune.date_naissance, p.date_entree)


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

COLUMN_MAPS = {
    "mdfse-2021-v1": MDFSE_2021_V1,
    "tremplin-import-v1": TREMPLIN_IMPORT_V1,
}
DEFAULT_COLUMN_MAP = "mdfse-2021-v1"
COLUMN_MAP_LABELS = {
    "mdfse-2021-v1": "Ma Démarche FSE+ (2021-2027), version 1",
    "tremplin-import-v1": "Format d'import Tremplin (codes), version 1",
}


def get_column_map(name=None):
    """The map called ``name`` (default: the latest funder template). Unknown name → ``KeyError``."""
    name = name or DEFAULT_COLUMN_MAP
    if name not in COLUMN_MAPS:
        raise KeyError(f"Modèle de colonnes inconnu : « {name} » (disponibles : {', '.join(COLUMN_MAPS)}).")
    return COLUMN_MAPS[name]
