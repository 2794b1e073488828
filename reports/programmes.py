"""The indicator set of an operation's programme, computed in Python from one row per participant.

FSE+ 2021-2027: common indicators of Regulation (EU) 2021/1057, Annex I (EECO01–EECO17 outputs on the period's
entrants, EECR01–EECR06 results on the period's leavers). FSE/IEJ 2014-2020: Regulation (EU) 1304/2013, Annex I
(CO01–CO23 outputs, CR01–CR09 results) and, for the IEJ, Annex II (IEJ-CR01–IEJ-CR12).
Rules and open points: reference/fse-domain.md §1 and §6.4; docs/reports-indicators.md.

A value is ``None`` when its data were not collected (the bilan prints « non collecté », never 0), and
``SANS_OBJET`` codes (entities supported, household data the app does not collect for a NEET public) stay None too.
"""

from youth.dossier import add_months
from youth.models import age_on


EMPLOI = {"emploi_cdi", "emploi_cdd_6m_plus", "emploi_cdd_moins_6m", "interim", "contrat_aide", "creation_entreprise"}
EMPLOI_EECR = EMPLOI | {"alternance"}  # the funder's default: alternance is employment in EECR04/05
EMPLOI_STABLE = {"emploi_cdi", "emploi_cdd_6m_plus", "creation_entreprise"}
FORMATION_EECR = {"formation_qualifiante", "formation_autre", "reprise_etudes"}
FORMATION_IEJ = FORMATION_EECR | {"alternance"}  # "continued education, training, apprenticeship or traineeship"
OFFRE_IEJ = EMPLOI | FORMATION_IEJ
INDEPENDANT = {"creation_entreprise"}
ISCED_0_2, ISCED_3_4, ISCED_5_8 = {"aucun", "brevet"}, {"cap_bep", "bac"}, {"bac_2", "bac_3_plus"}

PROGRAMME_SETS = {
    "fse_plus": "FSE+ 2021-2027 — indicateurs communs (règlement (UE) 2021/1057, annexe I)",
    "fse_2014": "FSE 2014-2020 — indicateurs communs (règlement (UE) 1304/2013, annexe I)",
    "iej": "FSE – IEJ 2014-2020 — indicateurs communs (règlement (UE) 1304/2013, annexes I et II)",
}
# Visibility: 2021-2027 « Cofinancé par l'Union européenne » (CPR 2021/1060 art. 47); 2014-2020 the emblem with
# « Union européenne » and the fund (Reg. 1303/2013 Annex XII).
EMBLEM_CAPTIONS = {
    "fse_plus": "Cofinancé par l'Union européenne",
    "fse_2014": "Union européenne",
    "iej": "Union européenne",
}
FOOTERS = {
    "fse_plus": "Cofinancé par l'Union européenne",
    "fse_2014": "Union européenne — Fonds social européen",
    "iej": "Union européenne — FSE, Initiative pour l'emploi des jeunes",
}
MENTIONS = {
    "fse_plus": "Cofinancé par l'Union européenne",
    "fse_2014": "Union européenne — cette opération est cofinancée par le Fonds social européen",
    "iej": "Union européenne — cette opération est cofinancée par le Fonds social européen dans le cadre de "
    "l'Initiative pour l'emploi des jeunes",
}


def long_term_unemployed(row):
    """Unemployed at entry since before entry − 6 months (under 25 at entry) or − 12 months (25 and over)."""
    if row["statut_entree"] != "chomeur" or not row["date_debut_chomage"] or not row["date_entree"]:
        return False
    months = 6 if row["age"] < 25 else 12
    return row["date_debut_chomage"] < add_months(row["date_entree"], -months)


def prepare(rows, degres_ruraux):
    """Add ``age``, ``ltu`` and ``rural`` to each participant row (dicts from ``indicators._facts``)."""
    for row in rows:
        row["age"] = age_on(row["jeune__date_naissance"], row["date_entree"])
        row["ltu"] = long_term_unemployed(row)
        degre = row.get("_degre")
        row["rural"] = None if degre is None else degre in degres_ruraux
    return rows


class _Set:
    """Helpers over the period's entrants / leavers; each method returns an int or None (not collected)."""

    def __init__(self, entrants, sortants):
        self.e, self.s = entrants, sortants

    @staticmethod
    def count(rows, test):
        return sum(1 for r in rows if test(r))

    def entry(self, test):
        return self.count(self.e, test)

    def exit(self, test):
        return self.count(self.s, test)

    def ltu(self, test=lambda r: True):
        chomeurs = [r for r in self.e if r["statut_entree"] == "chomeur"]
        if chomeurs and not any(r["date_debut_chomage"] for r in chomeurs):
            return None
        return self.count(chomeurs, lambda r: r["ltu"] and test(r))

    def rural(self, grid_loaded):
        if not grid_loaded or (self.e and not any(r["jeune__commune_insee"] for r in self.e)):
            return None
        return self.entry(lambda r: bool(r["rural"]))

    def qualification(self, test=lambda r: True):
        if self.s and all(r["qualification_obtenue"] is None for r in self.s):
            return None
        return self.exit(lambda r: r["qualification_obtenue"] is True and test(r))

    def six_months(self, test):
        if self.s and not any(r["_s6"] for r in self.s):
            return None
        return self.exit(lambda r: bool(r["_s6"]) and test(r))

    def exit_ltu(self, test):
        leavers = [r for r in self.s if r["statut_entree"] == "chomeur"]
        if leavers and not any(r["date_debut_chomage"] for r in leavers):
            return None
        return self.count(leavers, lambda r: r["ltu"] and test(r))


def fse_plus(data, grid_loaded):
    x = _Set(*data)
    sit = lambda codes: lambda r: r["situation_sortie"] in codes  # noqa: E731
    return {
        "EECO01": x.entry(lambda r: True),
        "EECO02": x.entry(lambda r: r["statut_entree"] == "chomeur"),
        "EECO03": x.ltu(),
        "EECO04": x.entry(lambda r: r["statut_entree"] == "inactif"),
        "EECO05": x.entry(lambda r: r["statut_entree"] == "emploi"),
        "EECO06": x.entry(lambda r: r["age"] < 18),
        "EECO07": x.entry(lambda r: 18 <= r["age"] <= 29),
        "EECO08": x.entry(lambda r: r["age"] >= 55),
        "EECO09": x.entry(lambda r: r["diplome"] in ISCED_0_2),
        "EECO10": x.entry(lambda r: r["diplome"] in ISCED_3_4),
        "EECO11": x.entry(lambda r: r["diplome"] in ISCED_5_8),
        "EECO12": x.entry(lambda r: r["handicap"] == "oui"),
        "EECO13": x.entry(lambda r: r["nationalite"] == "hors_ue"),
        "EECO14": x.entry(lambda r: r["parent_ne_etranger"] == "oui"),
        "EECO15": None,  # minorities: not collected (national law)
        "EECO16": x.entry(lambda r: r["sans_logement"] == "oui"),
        "EECO17": x.rural(grid_loaded),
        "EECR01": x.exit(lambda r: r["statut_entree"] == "inactif" and r["situation_sortie"] == "recherche_emploi"),
        "EECR02": x.exit(sit(FORMATION_EECR)),
        "EECR03": x.qualification(),
        "EECR04": x.exit(
            lambda r: r["statut_entree"] in ("chomeur", "inactif") and r["situation_sortie"] in EMPLOI_EECR
        ),
        "EECR05": x.six_months(lambda r: r["_s6"] in EMPLOI_EECR),
        # Improved situation: employed at entry, in stable employment 6 months after (precarious → stable).
        "EECR06": x.six_months(lambda r: r["statut_entree"] == "emploi" and r["_s6"] in EMPLOI_STABLE),
    }


def fse_2014(data, grid_loaded):
    x = _Set(*data)
    inactif_neet = lambda r: r["statut_entree"] == "inactif"  # noqa: E731 - a NEET operation: inactive = not in training
    return {
        "CO01": x.entry(lambda r: r["statut_entree"] == "chomeur"),
        "CO02": x.ltu(),
        "CO03": x.entry(lambda r: r["statut_entree"] == "inactif"),
        "CO04": x.entry(inactif_neet),
        "CO05": x.entry(lambda r: r["statut_entree"] == "emploi"),
        "CO06": x.entry(lambda r: r["age"] < 25),
        "CO07": x.entry(lambda r: r["age"] > 54),
        "CO08": x.entry(lambda r: r["age"] > 54 and r["statut_entree"] in ("chomeur", "inactif")),
        "CO09": x.entry(lambda r: r["diplome"] in ISCED_0_2),
        "CO10": x.entry(lambda r: r["diplome"] in ISCED_3_4),
        "CO11": x.entry(lambda r: r["diplome"] in ISCED_5_8),
        "CO12": None,  # jobless households: not collected
        "CO13": None,
        "CO14": None,
        "CO15": x.entry(lambda r: r["parent_ne_etranger"] == "oui" or r["nationalite"] == "hors_ue"),
        "CO16": x.entry(lambda r: r["handicap"] == "oui"),
        "CO17": None,  # other disadvantaged: not collected
        "CO18": x.entry(lambda r: r["sans_logement"] == "oui"),
        "CO19": x.rural(grid_loaded),
        "CO20": None,  # CO20–CO23: entities / projects, not participants
        "CO21": None,
        "CO22": None,
        "CO23": None,
        "CR01": x.exit(lambda r: r["statut_entree"] == "inactif" and r["situation_sortie"] == "recherche_emploi"),
        "CR02": x.exit(lambda r: r["situation_sortie"] in FORMATION_EECR),
        "CR03": x.qualification(),
        "CR04": x.exit(lambda r: r["situation_sortie"] in EMPLOI_EECR),
        "CR05": None,  # disadvantaged participants: not collected
        "CR06": x.six_months(lambda r: r["_s6"] in EMPLOI_EECR),
        "CR07": x.six_months(lambda r: r["statut_entree"] == "emploi" and r["_s6"] in EMPLOI_STABLE),
        "CR08": x.six_months(lambda r: r["age"] > 54 and r["_s6"] in EMPLOI_EECR),
        "CR09": None,  # disadvantaged: not collected
    }


def iej(data, grid_loaded):
    x = _Set(*data)
    base = fse_2014(data, grid_loaded)
    groups = {
        "chomeur": lambda r: r["statut_entree"] == "chomeur",
        "ltu": lambda r: r["ltu"],
        "inactif": lambda r: r["statut_entree"] == "inactif",
    }
    iej_codes = {}
    for n, (name, group) in enumerate(groups.items()):
        complete = lambda r, g=group: g(r) and r["a_termine"]  # noqa: E731 - drop-outs do not "complete"
        offer = lambda r, g=group: g(r) and r["situation_sortie"] in OFFRE_IEJ  # noqa: E731
        outcome = lambda r, g=group: g(r) and (r["situation_sortie"] in OFFRE_IEJ or r["qualification_obtenue"])  # noqa: E731
        if name == "ltu":
            values = (x.exit_ltu(complete), x.exit_ltu(offer), x.exit_ltu(outcome))
        else:
            values = (x.exit(complete), x.exit(offer), x.exit(outcome))
        for k, value in enumerate(values):
            iej_codes[f"IEJ-CR{3 * n + k + 1:02d}"] = value
    iej_codes["IEJ-CR10"] = x.six_months(lambda r: r["_s6"] in FORMATION_IEJ)
    iej_codes["IEJ-CR11"] = x.six_months(lambda r: r["_s6"] in EMPLOI_EECR)
    iej_codes["IEJ-CR12"] = x.six_months(lambda r: r["_s6"] in INDEPENDANT)
    return {**base, **iej_codes}


def programme_indicators(programme, entrants, sortants, grid_loaded):
    """{code: value or None} for the operation's programme (FSE+ for « autre »)."""
    if programme == "iej":
        return iej((entrants, sortants), grid_loaded)
    if programme == "fse_2014":
        return fse_2014((entrants, sortants), grid_loaded)
    return fse_plus((entrants, sortants), grid_loaded)


LIBELLES = {
    # FSE+ 2021-2027 (the EECO/EECR labels not in reports.indicators.LIBELLES_INDICATEURS)
    "EECO03": "Chômeurs de longue durée",
    "EECO15": "Minorités (y compris les communautés marginalisées telles que les Roms)",
    "EECO17": "Participants issus de zones rurales",
    "EECR05": "Participants exerçant un emploi, y compris indépendants, six mois après la fin de leur participation",
    "EECR06": "Participants dont la situation sur le marché du travail s'est améliorée six mois après la fin de "
    "leur participation",
    # FSE 2014-2020, Annex I
    "CO01": "Chômeurs, y compris les chômeurs de longue durée",
    "CO02": "Chômeurs de longue durée",
    "CO03": "Personnes inactives",
    "CO04": "Personnes inactives ne suivant ni enseignement ni formation",
    "CO05": "Personnes exerçant un emploi, y compris les indépendants",
    "CO06": "Moins de 25 ans",
    "CO07": "Plus de 54 ans",
    "CO08": "Plus de 54 ans, chômeurs (y compris de longue durée) ou inactifs ne suivant ni enseignement ni formation",
    "CO09": "Titulaires d'un diplôme de l'enseignement primaire (CITE 1) ou du premier cycle du secondaire (CITE 2)",
    "CO10": "Titulaires d'un diplôme du deuxième cycle du secondaire (CITE 3) ou post-secondaire (CITE 4)",
    "CO11": "Titulaires d'un diplôme de l'enseignement supérieur (CITE 5 à 8)",
    "CO12": "Participants vivant dans un ménage sans emploi",
    "CO13": "Participants vivant dans un ménage sans emploi avec des enfants à charge",
    "CO14": "Participants vivant dans un ménage d'un seul adulte avec des enfants à charge",
    "CO15": "Migrants, participants d'origine étrangère, minorités",
    "CO16": "Participants handicapés",
    "CO17": "Autres personnes défavorisées",
    "CO18": "Sans domicile fixe ou confrontés à l'exclusion de leur logement",
    "CO19": "Personnes venant de zones rurales",
    "CO20": "Projets mis en œuvre en tout ou en partie par des partenaires sociaux ou des ONG",
    "CO21": "Projets consacrés à la participation durable et à la progression des femmes dans l'emploi",
    "CO22": "Projets ciblant les administrations publiques ou les services publics",
    "CO23": "Micro, petites et moyennes entreprises soutenues",
    "CR01": "Participants inactifs engagés dans la recherche d'un emploi au terme de leur participation",
    "CR02": "Participants suivant des études ou une formation au terme de leur participation",
    "CR03": "Participants obtenant une qualification au terme de leur participation",
    "CR04": "Participants exerçant un emploi, y compris indépendant, au terme de leur participation",
    "CR05": "Participants défavorisés à la recherche d'un emploi, suivant un enseignement, une formation, une "
    "qualification ou exerçant un emploi au terme de leur participation",
    "CR06": "Participants exerçant un emploi, y compris indépendant, six mois après la fin de leur participation",
    "CR07": "Participants jouissant d'une meilleure situation sur le marché du travail six mois après la fin de "
    "leur participation",
    "CR08": "Participants de plus de 54 ans exerçant un emploi six mois après la fin de leur participation",
    "CR09": "Participants défavorisés exerçant un emploi six mois après la fin de leur participation",
    # IEJ, Annex II
    "IEJ-CR01": "Chômeurs qui suivent l'intervention soutenue par l'IEJ jusqu'à son terme",
    "IEJ-CR02": "Chômeurs recevant une offre d'emploi, d'éducation ou de formation continue, d'apprentissage ou "
    "de stage au terme de leur participation",
    "IEJ-CR03": "Chômeurs suivant un enseignement ou une formation, obtenant une qualification ou exerçant un "
    "emploi au terme de leur participation",
    "IEJ-CR04": "Chômeurs de longue durée qui suivent l'intervention soutenue par l'IEJ jusqu'à son terme",
    "IEJ-CR05": "Chômeurs de longue durée recevant une offre au terme de leur participation",
    "IEJ-CR06": "Chômeurs de longue durée suivant un enseignement ou une formation, obtenant une qualification ou "
    "exerçant un emploi au terme de leur participation",
    "IEJ-CR07": "Inactifs ne suivant ni enseignement ni formation qui suivent l'intervention jusqu'à son terme",
    "IEJ-CR08": "Inactifs ne suivant ni enseignement ni formation recevant une offre au terme de leur participation",
    "IEJ-CR09": "Inactifs ne suivant ni enseignement ni formation suivant un enseignement ou une formation, "
    "obtenant une qualification ou exerçant un emploi au terme de leur participation",
    "IEJ-CR10": "Participants suivant un enseignement ou une formation continue, un apprentissage ou un stage six "
    "mois après la fin de leur participation",
    "IEJ-CR11": "Participants exerçant un emploi six mois après la fin de leur participation",
    "IEJ-CR12": "Participants exerçant une activité d'indépendant six mois après la fin de leur participation",
}
SANS_OBJET = {"CO20", "CO21", "CO22", "CO23"}
RESULTATS_6_MOIS = {"EECR05", "EECR06", "CR06", "CR07", "CR08", "CR09", "IEJ-CR10", "IEJ-CR11", "IEJ-CR12"}
