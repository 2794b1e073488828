"""Indicators of a bilan: one function, ``compute(operation, du, au)``, used by the web page, the PDF,
the exports and the ``bilan`` command.

Counting rules: DESIGN.md "Counting rules for a period" and reference/fse-domain.md §6.4.
Everything is computed in SQL with conditional aggregates: the number of queries is constant
(3 queries, whatever the number of participants).

The caller is responsible for scoping: pass an ``Operation`` the user may read
(``get_for_request_or_404(request, Operation, ...)``); every figure is then restricted to that operation.
"""

from datetime import date

from django.db.models import Case, Count, ExpressionWrapper, F, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import ExtractDay, ExtractMonth, ExtractYear

from youth.models import CATEGORIES_SORTIE, Participation


SituationSortie = Participation.SituationSortie

CATEGORIES = CATEGORIES_SORTIE  # youth.models is the one home of the exit categories
CATEGORIE_PAR_SITUATION = {code: cat for cat, codes in CATEGORIES.items() for code in codes}
POSITIVES = ("emploi", "formation", "dispositif")
# Key used in ``sorties_par_situation`` for an exit recorded without a situation (counted as "autre").
SITUATION_NON_RENSEIGNEE = "non_renseignee"

# Common result indicators (reference/fse-domain.md §6.4). The funder's default counts alternance as
# employment for EECR02/EECR04, unlike the programme categories above.
EECR_FORMATION = (
    SituationSortie.FORMATION_QUALIFIANTE,
    SituationSortie.FORMATION_AUTRE,
    SituationSortie.REPRISE_ETUDES,
)
EECR_EMPLOI = (*CATEGORIES["emploi"], SituationSortie.ALTERNANCE)

# Highest diploma → ISCED groups.
ISCED = {
    "EECO09": (Participation.Diplome.AUCUN, Participation.Diplome.BREVET),  # ISCED 0-2
    "EECO10": (Participation.Diplome.CAP_BEP, Participation.Diplome.BAC),  # ISCED 3-4
    "EECO11": (Participation.Diplome.BAC_2, Participation.Diplome.BAC_3),  # ISCED 5-8
}

SEXES = ("F", "H", "X")
AGE_BANDS = {"16-17": (None, 17), "18-25": (18, 25), "26-29": (26, 29)}

# Entry items that make the FSE questionnaire complete (a "refus" counts as answered).
ITEMS_QUESTIONNAIRE = ("statut_entree", "diplome", "nationalite", "parent_ne_etranger", "handicap", "sans_logement")
SEUIL_COMPLETUDE = 0.65

# Labels (for the PDF, the exports and the web page).
LIBELLES_INDICATEURS = {
    "EECO01": "Nombre total de participants",
    "EECO02": "Chômeurs, y compris de longue durée",
    "EECO04": "Inactifs",
    "EECO05": "Personnes exerçant un emploi, y compris indépendants",
    "EECO06": "Moins de 18 ans",
    "EECO07": "18 à 29 ans",
    "EECO08": "55 ans et plus",
    "EECO09": "Niveau CITE 0 à 2 (au plus premier cycle du secondaire)",
    "EECO10": "Niveau CITE 3 ou 4 (deuxième cycle du secondaire ou post-secondaire)",
    "EECO11": "Niveau CITE 5 à 8 (enseignement supérieur)",
    "EECO12": "Participants handicapés",
    "EECO13": "Ressortissants de pays tiers",
    "EECO14": "Participants d'origine étrangère",
    "EECO16": "Sans domicile ou exclus du logement",
    "EECR01": "Inactifs à l'entrée, en recherche d'emploi à la sortie",
    "EECR02": "En études ou en formation à la sortie",
    "EECR03": "Qualification obtenue à la sortie",
    "EECR04": "Chômeurs ou inactifs à l'entrée, en emploi à la sortie",
    "EECO03": "Chômeurs de longue durée",
    "EECR05": "En emploi six mois après la sortie",
    "EECR06": "Situation améliorée sur le marché du travail six mois après la sortie",
}
# Immediate results: the exit situation observed within 4 weeks of the exit (reference/fse-domain.md §0.2).
DELAI_RESULTAT_IMMEDIAT_JOURS = 28
LIBELLES_CATEGORIES = {
    "emploi": "Emploi",
    "formation": "Formation",
    "dispositif": "Dispositif d'accompagnement",
    "autre": "Autre situation",
}
LIBELLES_OBJECTIFS = {
    "reperes": "Jeunes repérés",
    "entrees": "Entrées (suivis)",
    "sorties": "Sorties",
    "sorties_positives": "Sorties positives",
    "permis_am": "Permis AM financés",
}


def _as_date(value):
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _rate(numerator, denominator):
    return round(numerator / denominator, 4) if denominator else 0.0


def _age_entree():
    """Completed years at entry, always derived in SQL from the birth date (a corrected birth date corrects every
    age band; no stored age can go stale)."""
    birthday_not_reached = Q(_me__lt=F("_mn")) | Q(_me=F("_mn"), _de__lt=F("_dn"))
    return ExpressionWrapper(
        F("_ye") - F("_yn") - Case(When(birthday_not_reached, then=Value(1)), default=Value(0)),
        output_field=IntegerField(),
    )


def _entry_filters(du, au, prefix=""):
    """Named Q objects over the annotated participation queryset (``prefix``: the path to the participations,
    ``"participations__"`` from an operation)."""
    entree_, sortie_ = f"{prefix}date_entree", f"{prefix}date_sortie"
    fse = Q(**{f"{entree_}__isnull": False}) & (
        Q(**{f"{sortie_}__isnull": True}) | Q(**{f"{sortie_}__gt": F(entree_)}) | Q(**{f"{sortie_}__lt": F(entree_)})
    )
    entree = fse & Q(**{f"{entree_}__gte": du, f"{entree_}__lte": au})
    actif = fse & Q(**{f"{entree_}__lte": au}) & (Q(**{f"{sortie_}__isnull": True}) | Q(**{f"{sortie_}__gte": du}))
    sortie = fse & Q(**{f"{sortie_}__gte": du, f"{sortie_}__lte": au})
    return fse, entree, actif, sortie


def operation_flow_annotations(du, au):
    """Entries and exits of P=[du, au] counted as the bilan counts them, as ``Operation`` annotations
    (``nb_entrees``, ``nb_sorties``): the home dashboard shows the same figures as the bilan."""
    _fse, entree, _actif, sortie = _entry_filters(_as_date(du), _as_date(au), prefix="participations__")
    return {
        "nb_entrees": Count("participations", filter=entree),
        "nb_sorties": Count("participations", filter=sortie),
    }


def _entry_indicator_filters():
    """EECO filters, to be combined with the ``entree`` filter."""
    p = Participation
    filters = {
        "EECO01": Q(),
        "EECO02": Q(statut_entree=p.StatutEntree.CHOMEUR),
        "EECO04": Q(statut_entree=p.StatutEntree.INACTIF),
        "EECO05": Q(statut_entree=p.StatutEntree.EMPLOI),
        "EECO06": Q(_age__lt=18),
        "EECO07": Q(_age__gte=18, _age__lte=29),
        "EECO08": Q(_age__gte=55),
    }
    for code, diplomes in ISCED.items():
        filters[code] = Q(diplome__in=diplomes)
    filters["EECO12"] = Q(handicap="oui")
    filters["EECO13"] = Q(nationalite=p.Nationalite.HORS_UE)
    filters["EECO14"] = Q(parent_ne_etranger="oui")
    filters["EECO16"] = Q(sans_logement="oui")
    return filters


# Indicators of ``indicateurs`` computed in Python from the participant rows (None: data not collected).
INDICATEURS_CALCULES = ("EECO03", "EECR05", "EECR06")

REFUS_FIELDS = {"EECO12": "handicap", "EECO14": "parent_ne_etranger", "EECO16": "sans_logement"}


def _exit_indicator_filters():
    p = Participation
    return {
        "EECR01": Q(statut_entree=p.StatutEntree.INACTIF, situation_sortie=SituationSortie.RECHERCHE_EMPLOI),
        "EECR02": Q(situation_sortie__in=EECR_FORMATION),
        "EECR03": Q(qualification_obtenue=True),
        "EECR04": Q(
            statut_entree__in=(p.StatutEntree.CHOMEUR, p.StatutEntree.INACTIF), situation_sortie__in=EECR_EMPLOI
        ),
    }


def contactable_q(prefix="jeune__"):
    """Reachable for the 6-month survey: own phone or e-mail, or a contact person with a phone or e-mail of its
    own (a contact name alone reaches nobody)."""
    contact = ~Q(**{f"{prefix}contact_nom": ""}) & (
        ~Q(**{f"{prefix}contact_telephone": ""}) | ~Q(**{f"{prefix}contact_email": ""})
    )
    return ~Q(**{f"{prefix}telephone": ""}) | ~Q(**{f"{prefix}email": ""}) | contact


def _complet():
    contactable = contactable_q()
    answered = Q()
    for field in ITEMS_QUESTIONNAIRE:
        answered &= ~Q(**{field: ""})
    return answered & contactable, contactable


def _age_band_filter(band):
    low, high = AGE_BANDS[band]
    q = Q(_age__lte=high)
    if low is not None:
        q &= Q(_age__gte=low)
    return q


def _aggregate(operation, du, au):
    """One SQL query: every count of the bilan."""
    _fse, entree, actif, sortie = _entry_filters(du, au)
    complet, contactable = _complet()
    aggregates = {
        "reperes": Count("pk", filter=Q(jeune__date_reperage__gte=du, jeune__date_reperage__lte=au)),
        "entrees": Count("pk", filter=entree),
        "actifs": Count("pk", filter=actif),
        "sorties": Count("pk", filter=sortie),
        "emploi_pendant_parcours": Count("pk", filter=actif & Q(emploi_pendant_parcours=True)),
        "complets": Count("pk", filter=entree & complet),
        "joignables": Count("pk", filter=entree & contactable),
    }
    for sexe in SEXES:
        aggregates[f"sexe_{sexe}"] = Count("pk", filter=entree & Q(jeune__sexe=sexe))
        for band in AGE_BANDS:
            aggregates[f"sexe_age_{sexe}_{band}"] = Count(
                "pk", filter=entree & Q(jeune__sexe=sexe) & _age_band_filter(band)
            )
    for band in AGE_BANDS:
        aggregates[f"age_{band}"] = Count("pk", filter=entree & _age_band_filter(band))
    for code, q in _entry_indicator_filters().items():
        aggregates[f"ind_{code}"] = Count("pk", filter=entree & q)
        for sexe in SEXES:
            aggregates[f"ind_{code}_{sexe}"] = Count("pk", filter=entree & q & Q(jeune__sexe=sexe))
    for code, field in REFUS_FIELDS.items():
        aggregates[f"refus_{code}"] = Count("pk", filter=entree & Q(**{field: "refus"}))
    for code, q in _exit_indicator_filters().items():
        aggregates[f"ind_{code}"] = Count("pk", filter=sortie & q)
        for sexe in SEXES:
            aggregates[f"ind_{code}_{sexe}"] = Count("pk", filter=sortie & q & Q(jeune__sexe=sexe))
    for code in SituationSortie.values:
        aggregates[f"sit_{code}"] = Count("pk", filter=sortie & Q(situation_sortie=code))
    aggregates[f"sit_{SITUATION_NON_RENSEIGNEE}"] = Count("pk", filter=sortie & Q(situation_sortie=""))

    queryset = (
        operation.participations.filter(jeune__supprime_le__isnull=True)  # a deleted dossier counts nowhere
        .annotate(
            _ye=ExtractYear("date_entree"),
            _me=ExtractMonth("date_entree"),
            _de=ExtractDay("date_entree"),
            _yn=ExtractYear("jeune__date_naissance"),
            _mn=ExtractMonth("jeune__date_naissance"),
            _dn=ExtractDay("jeune__date_naissance"),
        )
        .annotate(_age=_age_entree())
    )
    return queryset.aggregate(**aggregates)


def _objectifs(operation, du, au, realises):
    """Targets that apply to the period.

    - a period within one calendar year: that year's target (else the whole-operation target);
    - a multi-year period: the sum of the yearly targets of the years it covers, when every covered year of the
      convention has one (else the whole-operation target). ``portee`` says which."""
    from funding.models import AideKind, Objectif

    years = list(range(max(du.year, operation.date_debut.year), min(au.year, operation.date_fin.year) + 1)) or [
        du.year
    ]
    rows = list(Objectif.objects.filter(operation=operation))
    objectifs = {}
    for indicateur in dict.fromkeys(o.indicateur for o in rows):
        yearly = {o.annee: o.cible for o in rows if o.indicateur == indicateur and o.annee is not None}
        global_target = next((o.cible for o in rows if o.indicateur == indicateur and o.annee is None), None)
        if len(years) == 1 and years[0] in yearly:
            objectifs[indicateur] = {"cible": yearly[years[0]], "annee": years[0], "portee": f"année {years[0]}"}
        elif len(years) > 1 and all(y in yearly for y in years):
            objectifs[indicateur] = {
                "cible": sum(yearly[y] for y in years),
                "annee": None,
                "portee": f"somme des objectifs {years[0]} à {years[-1]}",
            }
        elif global_target is not None:
            objectifs[indicateur] = {"cible": global_target, "annee": None, "portee": "toute l'opération"}
    if "permis_am" in objectifs:
        from funding.models import Aide

        realises = {
            **realises,
            "permis_am": Aide.objects.for_organisation(operation.organisation_id)
            .filter(
                participation__operation=operation,
                kind=AideKind.PERMIS_AM,
                date_attribution__gte=du,
                date_attribution__lte=au,
            )
            .count(),
        }
    result = {}
    for name, objectif in objectifs.items():
        realise = realises.get(name, 0)
        result[name] = {
            "cible": objectif["cible"],
            "realise": realise,
            "taux": _rate(realise, objectif["cible"]),
            "annee": objectif["annee"],
            "portee": objectif["portee"],
            "libelle": LIBELLES_OBJECTIFS.get(name, name),
        }
    return result


FACT_FIELDS = (
    "pk",
    "date_entree",
    "date_sortie",
    "statut_entree",
    "date_debut_chomage",
    "diplome",
    "nationalite",
    "parent_ne_etranger",
    "handicap",
    "sans_logement",
    "qpv",
    "situation_sortie",
    "date_situation_sortie",
    "qualification_obtenue",
    "a_termine",
    "jeune__sexe",
    "jeune__date_naissance",
    "jeune__commune_insee",
)


def _facts(operation, du, au):
    """The period's entrants and leavers, one dict per participant with the data of the indicators computed in
    Python (long-term unemployment, rural area, 6-month follow-up): two queries (the density grid, the rows)."""
    from reports.models import GrilleDensite
    from youth.models import SuiviPostSortie

    grid = GrilleDensite.objects.for_organisation(operation.organisation_id).for_date(au)
    six_months = (
        SuiviPostSortie.objects.for_organisation(operation.organisation_id)
        .filter(participation=OuterRef("pk"), echeance=SuiviPostSortie.Echeance.SIX_MOIS)
        .values("situation")[:1]
    )
    queryset = (
        operation.participations.filter(jeune__supprime_le__isnull=True)
        .fse()
        .filter(Q(date_entree__gte=du, date_entree__lte=au) | Q(date_sortie__gte=du, date_sortie__lte=au))
        .annotate(_s6=Subquery(six_months))
    )
    fields = [*FACT_FIELDS, "_s6"]
    if grid is not None:
        from reports.models import CommuneDensite

        degre = CommuneDensite.objects.filter(grille=grid, code_insee=OuterRef("jeune__commune_insee")).values(
            "degre"
        )[:1]
        queryset = queryset.annotate(_degre=Subquery(degre))
        fields.append("_degre")
    rows = list(queryset.values(*fields))
    from reports.programmes import prepare

    prepare(rows, grid.degres_ruraux if grid else ())
    entrants = [r for r in rows if r["date_entree"] and du <= r["date_entree"] <= au]
    sortants = [r for r in rows if r["date_sortie"] and du <= r["date_sortie"] <= au]
    return entrants, sortants, grid


def _immediate_results(sortants):
    """Exit situations observed within 4 weeks of the exit (immediate results), later, or without a date."""
    from datetime import timedelta

    delai = timedelta(days=DELAI_RESULTAT_IMMEDIAT_JOURS)
    dans_delai = sum(
        1 for r in sortants if r["date_situation_sortie"] and r["date_situation_sortie"] - r["date_sortie"] <= delai
    )
    sans_date = sum(1 for r in sortants if not r["date_situation_sortie"])
    return {
        "sorties": len(sortants),
        "constatees_4_semaines": dans_delai,
        "constatees_plus_tard": len(sortants) - dans_delai - sans_date,
        "sans_date": sans_date,
        "suivis_6_mois": sum(1 for r in sortants if r["_s6"]),
    }


def _partitions(indicateurs, entrees):
    """Partitions of the entrants that must add up (status at entry, diploma groups): the gap = records at fault."""
    statut = indicateurs["EECO02"] + indicateurs["EECO04"] + indicateurs["EECO05"]
    diplome = indicateurs["EECO09"] + indicateurs["EECO10"] + indicateurs["EECO11"]
    return {
        "statut_entree": {"total": entrees, "somme": statut, "ecart": entrees - statut},
        "diplome": {"total": entrees, "somme": diplome, "ecart": entrees - diplome},
    }


def partition_faults(operation, du, au, limit=None):
    """The entrants of [du, au] who break a partition (no status at entry, no diploma): for the coordinator's page.
    One query (the first ``limit`` only, if given); the caller scopes ``operation``."""
    du, au = _as_date(du), _as_date(au)
    queryset = (
        operation.participations.filter(date_entree__gte=du, date_entree__lte=au)
        .fse()
        .filter(Q(statut_entree="") | Q(diplome=""))
        .select_related("jeune")
        .order_by("date_entree", "pk")
    )
    return list(queryset[:limit] if limit else queryset)


def compute(operation, du, au) -> dict:
    """The figures of ``compute_uncached``, computed once per (operation, period) and kept in the cache until a
    write changes the organisation's data (``core.dataversion``): the page, the PDF, the exports and the JSON of
    ``bilan --format json`` all read this."""
    from core import dataversion

    du, au = _as_date(du), _as_date(au)
    return dataversion.cached(
        "bilan", operation.organisation_id, (operation.pk, du, au), lambda: compute_uncached(operation, du, au)
    )


def compute_uncached(operation, du, au) -> dict:
    """All figures of the bilan of ``operation`` for P=[du, au] (dates, inclusive). Bounded number of queries
    (aggregate/annotate in SQL, no per-participant loop over the ORM).

    ``operation`` is an ``funding.Operation`` (already scoped by the caller); ``du``/``au`` are dates
    (ISO strings accepted). Returns a JSON-serialisable dict (dates as ISO strings, rates as floats).
    """
    du, au = _as_date(du), _as_date(au)
    row = _aggregate(operation, du, au)

    sorties_par_situation = {code: row[f"sit_{code}"] for code in SituationSortie.values}
    sorties_par_situation[SITUATION_NON_RENSEIGNEE] = row[f"sit_{SITUATION_NON_RENSEIGNEE}"]
    sorties_par_categorie = dict.fromkeys(CATEGORIES, 0)
    for code, n in sorties_par_situation.items():
        sorties_par_categorie[CATEGORIE_PAR_SITUATION.get(code, "autre")] += n
    sorties = row["sorties"]
    positives = sum(sorties_par_categorie[c] for c in POSITIVES)

    indicateurs = {code: row[f"ind_{code}"] for code in (*_entry_indicator_filters(), *_exit_indicator_filters())}
    indicateurs_par_sexe = {sexe: {code: row[f"ind_{code}_{sexe}"] for code in indicateurs} for sexe in SEXES}
    entrees = row["entrees"]
    realises = {
        "reperes": row["reperes"],
        "entrees": entrees,
        "sorties": sorties,
        "sorties_positives": positives,
    }
    taux_completude = _rate(row["complets"], entrees)
    from reports import programmes

    entrants, sortants, grid = _facts(operation, du, au)
    loaded = grid is not None
    fse_plus = programmes.fse_plus((entrants, sortants), loaded)
    par_sexe = {
        sexe: programmes.fse_plus(
            ([r for r in entrants if r["jeune__sexe"] == sexe], [r for r in sortants if r["jeune__sexe"] == sexe]),
            loaded,
        )
        for sexe in SEXES
    }
    for code in INDICATEURS_CALCULES:  # added keys; the SQL ones above keep their meaning
        indicateurs[code] = fse_plus[code]
        for sexe in SEXES:
            indicateurs_par_sexe[sexe][code] = par_sexe[sexe][code]
    programme_code = operation.programme if operation.programme in programmes.PROGRAMME_SETS else "fse_plus"
    indicateurs_programme = programmes.programme_indicators(programme_code, entrants, sortants, loaded)
    programme_par_sexe = {
        sexe: programmes.programme_indicators(
            programme_code,
            [r for r in entrants if r["jeune__sexe"] == sexe],
            [r for r in sortants if r["jeune__sexe"] == sexe],
            loaded,
        )
        for sexe in SEXES
    }
    non_collectes = sorted(code for code, value in {**fse_plus, **indicateurs_programme}.items() if value is None)
    return {
        "operation": operation.code,
        "periode": {"du": du.isoformat(), "au": au.isoformat()},
        "reperes": row["reperes"],
        "entrees": entrees,
        "actifs": row["actifs"],
        "sorties": sorties,
        "sorties_par_categorie": sorties_par_categorie,
        "sorties_positives": positives,
        "taux_sorties_positives": _rate(positives, sorties),
        "taux_par_categorie": {cat: _rate(n, sorties) for cat, n in sorties_par_categorie.items()},
        "emploi_pendant_parcours": row["emploi_pendant_parcours"],
        "entrees_par_sexe": {sexe: row[f"sexe_{sexe}"] for sexe in SEXES},
        "entrees_par_age": {band: row[f"age_{band}"] for band in AGE_BANDS},
        "entrees_par_sexe_et_age": {
            sexe: {band: row[f"sexe_age_{sexe}_{band}"] for band in AGE_BANDS} for sexe in SEXES
        },
        "indicateurs": indicateurs,
        "indicateurs_par_sexe": indicateurs_par_sexe,
        "indicateurs_refus": {code: row[f"refus_{code}"] for code in REFUS_FIELDS},
        "objectifs": _objectifs(operation, du, au, realises),
        "completude": {
            "taux": taux_completude,
            "complets": row["complets"],
            "total": entrees,
            "alerte": bool(entrees) and taux_completude < SEUIL_COMPLETUDE,
        },
        "contactabilite": {
            "taux": _rate(row["joignables"], entrees),
            "joignables": row["joignables"],
            "total": entrees,
        },
        "sorties_par_situation": sorties_par_situation,
        "programme": {
            "code": programme_code,
            "libelle": programmes.PROGRAMME_SETS[programme_code],
            "mention": programmes.MENTIONS[programme_code],
            "legende_embleme": programmes.EMBLEM_CAPTIONS[programme_code],
            "pied_de_page": programmes.FOOTERS[programme_code],
        },
        "indicateurs_programme": indicateurs_programme,
        "indicateurs_programme_par_sexe": programme_par_sexe,
        "indicateurs_non_collectes": non_collectes,
        "grille_densite": grid.millesime if grid else None,
        "resultats_immediats": _immediate_results(sortants),
        "partitions": _partitions(indicateurs, entrees),
    }


def compute_bilan(operation, du, au) -> dict:
    """``compute`` plus the period finance of the ledger under ``finance`` (amounts as strings with two decimals):
    the JSON of ``bilan --format json``. ``compute`` keeps its 3 queries; the finance adds a fixed number."""
    from expenses.finance import finance_json, period_finance

    du, au = _as_date(du), _as_date(au)
    data = compute(operation, du, au)
    data["finance"] = finance_json(period_finance(operation, du, au))
    return data
