"""What is collected about a young person, why, and who reads it: one wording for the processing register
(``privacy``) and the help texts of the forms (entretien), so the two never disagree. Readers follow the role table
(``core.permissions``): diagnostics and entretiens are read by the conseillères and coordination of the structure,
never by partners; a confidential entretien by its author and coordination."""

DIAGNOSTIC_THEMES_SENSIBLES = "santé, justice, médecin traitant, bilan de santé"

DIAGNOSTIC = (
    "Diagnostic socio-professionnel : le jeune se situe, par une note et un commentaire facultatif, sur des thèmes "
    "dont certains touchent à sa santé et à la justice (« Santé », « Justice », « Avez-vous un médecin traitant ? », "
    "« Avez-vous réalisé un bilan de santé ? »), pour repérer les freins et construire son plan d'actions. Rien "
    "d'autre : ni diagnostic médical, ni nature d'une affaire. Lu par sa conseillère et la coordination de la "
    "structure ; jamais par les partenaires ; les bilans FSE n'en reprennent que la progression globale, sans nom."
)

ENTRETIEN_NOTES = (
    "Notes factuelles : démarches, échanges, prochaines étapes. Le jeune peut les lire (droit d'accès) ; les "
    "conseillères et la coordination de la structure les lisent (une note confidentielle : son auteur et la "
    "coordination). N'y écrivez aucune donnée de santé ni d'infraction : un besoin de santé ou de justice se note "
    "seulement dans le diagnostic, par la note de son thème."
)

# The register's lines (privacy.views.registre), beside the categories of TREMPLIN_PROCESSING_REGISTER.
REGISTRE_COLLECTE = [
    (
        "Entretiens de suivi",
        "suivre le parcours et préparer les étapes",
        "conseillères et coordination de la structure (note confidentielle : son auteur et la coordination)",
        ENTRETIEN_NOTES,
    ),
    (
        "Diagnostic socio-professionnel",
        "repérer les freins (logement, ressources, santé, justice, mobilité…) et construire le plan d'actions",
        "conseillères et coordination de la structure",
        DIAGNOSTIC,
    ),
]
