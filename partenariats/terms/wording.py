"""The French words the engine writes into assumptions and timeline labels."""

ZONE_LABELS = {
    "A": "zone A",
    "B": "zone B",
    "C": "zone C",
    "corse": "Corse",
    "guadeloupe": "Guadeloupe",
    "guyane": "Guyane",
    "martinique": "Martinique",
    "mayotte": "Mayotte",
    "reunion": "La Réunion",
}

ZONE_NAMES = {
    "A": "la zone A",
    "B": "la zone B",
    "C": "la zone C",
    "corse": "la Corse",
    "guadeloupe": "la Guadeloupe",
    "guyane": "la Guyane",
    "martinique": "la Martinique",
    "mayotte": "Mayotte",
    "reunion": "La Réunion",
}

EVENT_DATE_NAMES = {
    "notice_given": "la date de réception du préavis",
    "renegotiation_opened": "la date d'ouverture de la renégociation",
    "renewed": "la date du renouvellement",
    "terminated": "la date de résiliation",
    "amended": "la date de l'avenant",
}

TERM_LABELS = {
    "duration_months": "durée",
    "indefinite": "durée indéterminée",
    "tacit_renewal": "reconduction tacite",
    "renewal_months": "durée de reconduction",
    "provisional_extension_months": "maintien provisoire",
    "notice_months": "préavis",
    "notice_by_registered_letter": "lettre recommandée",
    "termination_effect": "effet de la résiliation",
    "termination_date": "date de résiliation",
    "start": "point de départ",
}
EFFECT_LABELS = {
    "end_of_notice": "à la fin du préavis",
    "end_of_period": "à la fin de la période",
    "next_school_year_start": "à la rentrée scolaire suivante",
    "fixed_date": "à date fixe",
}
