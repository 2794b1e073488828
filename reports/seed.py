"""Demo reference data of the reports app: a density grid for the demo communes (EECO17 / CO19).

The degrees below are illustrative (demo data, not the INSEE file): a real structure loads the INSEE « grille
communale de densité » from /bilans/grilles-densite/ or with ``manage.py load_grille_densite``.
"""

from datetime import date

from reports.models import CommuneDensite, GrilleDensite


# 4-level grid: 1 dense, 2 intermédiaire, 3 peu dense, 4 très peu dense (3 and 4 are rural areas).
DEMO_GRID = {
    "59606": 1,  # Valenciennes
    "59014": 1,  # Anzin
    "59544": 2,  # Saint-Saulve
    "59383": 2,  # Marly
    "59172": 2,  # Denain
    "59491": 2,  # Raismes
    "62215": 2,  # Carvin
    "62907": 2,  # Libercourt
    "62637": 2,  # Oignies
    "62311": 3,  # Estevelles
}


def seed_demo(ctx):
    for org_key in ("acsrv", "carvin"):
        organisation = ctx.orgs[org_key]
        grid, _created = GrilleDensite.objects.for_organisation(organisation).update_or_create(
            organisation=organisation,
            millesime=2015,
            defaults={
                "valable_du": date(2015, 1, 1),
                "niveaux": 4,
                "nom_fichier": "grille-densite-demo.csv (degrés indicatifs)",
                "communes": len(DEMO_GRID),
            },
        )
        grid.lignes.all().delete()
        CommuneDensite.objects.bulk_create(
            CommuneDensite(grille=grid, code_insee=code, degre=degre) for code, degre in DEMO_GRID.items()
        )
    ctx.log("reports : grille communale de densité de démonstration chargée.")
