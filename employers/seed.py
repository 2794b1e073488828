"""Demo companies (fake), their contacts, exchanges and offers. Runs before youth."""

from datetime import timedelta

from employers.models import Contact, Entreprise, Interaction, Offre, luhn_ok


SECTEURS = [
    ("47.11F", "Commerce de détail (hypermarchés)"),
    ("56.10A", "Restauration traditionnelle"),
    ("81.21Z", "Nettoyage courant des bâtiments"),
    ("49.41A", "Transports routiers de fret"),
    ("52.10B", "Entreposage et logistique"),
    ("43.21A", "Travaux d'installation électrique"),
    ("87.10A", "Hébergement médicalisé pour personnes âgées"),
    ("10.71C", "Boulangerie et boulangerie-pâtisserie"),
    ("45.20A", "Entretien et réparation de véhicules"),
    ("88.10A", "Aide à domicile"),
    ("29.10Z", "Construction de véhicules automobiles"),
    ("96.02A", "Coiffure"),
]
SUFFIXES = ["SARL", "SAS", "& Fils", "Services", "Hainaut", "Nord", "Distribution", "Pro"]


def fake_siret(rng):
    base = "".join(str(rng.randint(0, 9)) for _ in range(13))
    return base + next(str(c) for c in range(10) if luhn_ok(base + str(c)))


def seed_demo(ctx):
    rng, faker = ctx.rng, ctx.faker
    ctx.extra["entreprises"] = {}
    plan = {"acsrv": (45, ["Valenciennes", "Anzin", "Saint-Saulve", "Marly", "Denain", "Raismes", "Onnaing"], "593")}
    plan["carvin"] = (28, ["Carvin", "Libercourt", "Oignies", "Courrières", "Hénin-Beaumont"], "622")
    for org_key, (count, communes, cp) in plan.items():
        org = ctx.orgs[org_key]
        entreprises = []
        for _ in range(count):
            naf, secteur = rng.choice(SECTEURS)
            bienveillante = rng.random() < (0.6 if org_key == "carvin" else 0.35)
            entreprises.append(
                Entreprise(
                    organisation=org,
                    nom=f"{faker.last_name()} {rng.choice(SUFFIXES)}",
                    siret=fake_siret(rng),
                    code_naf=naf,
                    secteur=secteur,
                    adresse=faker.street_address(),
                    code_postal=f"{cp}{rng.randint(0, 99):02d}",
                    commune=rng.choice(communes),
                    telephone=f"03 27 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                    bienveillante=bienveillante,
                    bienveillante_depuis=ctx.today - timedelta(days=rng.randint(30, 900)) if bienveillante else None,
                )
            )
        entreprises = Entreprise.objects.bulk_create(entreprises)
        contacts, interactions, offres = [], [], []
        for entreprise in entreprises:
            for _ in range(rng.randint(1, 2)):
                contacts.append(
                    Contact(
                        entreprise=entreprise,
                        nom=faker.last_name(),
                        prenom=faker.first_name(),
                        fonction=rng.choice(["Gérant·e", "Responsable RH", "Chef d'équipe", "Directeur·rice"]),
                        telephone="06 " + " ".join(str(rng.randint(10, 99)) for _ in range(4)),
                        email=f"contact{entreprise.pk}@exemple.fr",
                    )
                )
            for _ in range(rng.randint(1, 4)):
                kind = rng.choice(list(Interaction.Kind))
                interactions.append(
                    Interaction(
                        entreprise=entreprise,
                        kind=kind,
                        date=ctx.today - timedelta(days=rng.randint(1, 500)),
                        objet=rng.choice(
                            [
                                "Présentation du dispositif",
                                "Point sur les besoins de recrutement",
                                "Visite des locaux avec un groupe",
                                "Forum de l'emploi",
                                "Relance après immersion",
                            ]
                        ),
                        nb_jeunes=rng.randint(3, 10) if kind == Interaction.Kind.VISITE_JEUNES else 0,
                        auteur=ctx.users.get("entreprises@acsrv.demo") if org_key == "acsrv" else None,
                    )
                )
            if rng.random() < 0.3:
                offres.append(
                    Offre(
                        entreprise=entreprise,
                        intitule=rng.choice(
                            [
                                "Agent·e d'entretien",
                                "Employé·e polyvalent·e",
                                "Préparateur·rice de commandes",
                                "Aide à domicile",
                                "Commis de cuisine",
                            ]
                        ),
                        type_contrat=rng.choice(["cdi", "cdd", "interim", "alternance"]),
                        date_publication=ctx.today - timedelta(days=rng.randint(1, 120)),
                        nb_postes=rng.randint(1, 3),
                        statut=rng.choice(["ouverte", "ouverte", "pourvue", "close"]),
                    )
                )
        Contact.objects.bulk_create(contacts)
        Interaction.objects.bulk_create(interactions)
        Offre.objects.bulk_create(offres)
        ctx.extra["entreprises"][org_key] = entreprises
        ctx.log(f"employers : {len(entreprises)} entreprises pour {org}.")
