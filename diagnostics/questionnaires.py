"""Reference questionnaires every porteur gets a copy of (then edits through new versions).

``ANNEXE_1``: the NOE socio-professional diagnostic (CCAS de Carvin, Annexe 1), labels verbatim; its
"Ressources informatiques" axis also holds the JDC and driving-licence items. ``SAVOIRS_ETRE``: the soft-skills grid
(Annexe 2, "Évaluation de la progression socio-professionnelle"), worked on throughout the parcours.
"""

ANNEXE_1_TITRE = "Diagnostic socio-professionnel"
ANNEXE_1 = [
    (
        "Situation personnelle",
        [
            "Logement",
            "Financier",
            "Justice",
            "Santé",
            "Qualification professionnelle",
        ],
    ),
    (
        "Situation administrative",
        [
            "Carte d'identité",
            "Recensement",
            "Assurance responsabilité civile",
            "Sécurité sociale / CMU",
            "Livret de famille",
        ],
    ),
    (
        "Techniques de Recherche d'Emploi",
        [
            "CV",
            "Lettre de motivation",
            "Entretien de recrutement",
            "Connaissance des entreprises",
            "Démarches de recherche active",
        ],
    ),
    (
        "Connaissance de soi",
        [
            "Vous avez un projet professionnel défini",
            "Vous pouvez citer vos qualités",
            "Vous savez comment réaliser votre projet professionnel",
            "Vous faites beaucoup de démarches pour votre avenir",
            "Vous pensez pouvoir réussir votre projet",
        ],
    ),
    (
        "Connaissance des partenaires",
        [
            "La Médiathèque",
            "Le Sagittaire / CSAPA",
            "La Maison des Ados",
            "Rencontre et Loisirs",
            "Le CCAS",
        ],
    ),
    (
        "Connaissance des institutions et vie pratique",
        [
            "Vous êtes inscrit à France Travail",
            "Vous êtes inscrit à la Mission Locale",
            "Vous fréquentez le PIJ",
        ],
    ),
    (
        "Famille",
        [
            "Vous avez une famille qui vous soutient",
            "Vous avez un logement qui vous convient",
            "Vous avez des amis qui vous encouragent dans vos démarches",
            "Vous vous sentez bien dans votre vie",
            "Vous avez quelqu'un à qui vous confier",
        ],
    ),
    (
        "Hygiène de vie",
        [
            "Pratiquez-vous un sport ?",
            "Pratiquez-vous une activité en dehors de chez vous ?",
            "Avez-vous des horaires de vie classiques ?",
            "Avez-vous un médecin traitant ?",
            "Avez-vous réalisé un bilan de santé ?",
        ],
    ),
    (
        "Mobilité",
        [
            "Vous prenez le bus",
            "Vous prenez le train",
            "Vous voyagez seul",
            "Vous êtes déjà allé dans une autre région",
            "Vous êtes déjà allé à l'étranger",
        ],
    ),
    (
        "Ressources informatiques",
        [
            "Vous avez une adresse mail personnelle",
            "Vous êtes abonné aux offres d'emploi",
            "Vous savez utiliser un logiciel de traitement de texte",
            "Vous êtes inscrit sur les sites des agences intérimaires",
            "Vous êtes à l'aise avec l'outil informatique",
            "Vous avez effectué votre JDC",
            "Vous êtes inscrit au / Vous avez votre permis de conduire",
        ],
    ),
    (
        "Connaissance du métier",
        [
            "Vous savez décrire une journée-type",
            "Vous connaissez les compétences nécessaires pour ce poste",
            "Vous connaissez les études/formations à réaliser pour ce métier",
            "Vous avez connaissance des contraintes (horaires, physique...)",
            "Vous avez effectué un stage dans ce domaine",
        ],
    ),
    (
        "Connaissance du monde de l'entreprise",
        [
            "Vous connaissez les entreprises du territoire",
            "Vous connaissez vos droits et vos devoirs en tant qu'employé",
            "Vous savez repérer les bons interlocuteurs",
            "Vous connaissez les secteurs d'activité en demande",
            "Vous êtes intéressé par le monde économique",
        ],
    ),
]

SAVOIRS_ETRE_TITRE = "Savoirs-être"
SAVOIRS_ETRE = [
    ("Ponctualité", ["Arrive à l'heure aux rendez-vous et aux ateliers", "Prévient en cas de retard"]),
    ("Assiduité", ["Vient à tous les rendez-vous prévus", "Justifie ses absences"]),
    ("Présentation", ["Tenue adaptée à la situation", "Attitude et posture adaptées"]),
    ("Communication", ["S'exprime clairement", "Écoute les autres", "Adapte son langage à l'interlocuteur"]),
    ("Travail en équipe", ["Coopère avec les autres", "Respecte la place de chacun"]),
    ("Respect des consignes", ["Comprend les consignes", "Applique les consignes et les règles"]),
    ("Autonomie", ["Effectue seul ses démarches", "Prend des initiatives"]),
    ("Motivation", ["Montre de l'intérêt pour son parcours", "S'engage dans les actions proposées"]),
]

DEFAULTS = [
    (
        "socio_pro",
        ANNEXE_1_TITRE,
        "Annexe 1 du projet NOE : diagnostic à l'entrée et à la sortie du dispositif.",
        ANNEXE_1,
    ),
    ("savoirs_etre", SAVOIRS_ETRE_TITRE, "Annexe 2 : savoirs-être travaillés tout au long du parcours.", SAVOIRS_ETRE),
]
