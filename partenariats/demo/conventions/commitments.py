"""The demo conventions' commitments, by the kind of party that undertakes them (own wording).

``audiences`` and ``programmes`` are codes of the reference data
(``partenariats/conventions/data/reference.json``); ``slot`` is the topic of the article the
commitment goes under.
"""

from dataclasses import dataclass

from partenariats.demo.conventions.articles import ROOMS


@dataclass(frozen=True)
class CommitmentText:
    slot: str
    text: str
    audiences: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    confidential: bool = False


C = CommitmentText

EDUCATION = (
    C(
        "discovery",
        "Diffuser aux collèges et aux lycées le calendrier des actions de découverte des métiers proposées par "
        "le partenaire.",
        ("collegiens", "lyceens-gt", "lyceens-pro"),
        ("parcours-avenir",),
    ),
    C(
        "reception",
        "Recenser chaque année les besoins en stages d’observation de 3e et de seconde et les transmettre au "
        "partenaire avant la fin octobre.",
        ("collegiens", "lyceens-gt"),
        ("stage-3e", "stage-seconde", "poles-stages"),
    ),
    C(
        "staff",
        "Inscrire au plan académique de formation un module sur la connaissance de l’entreprise, ouvert aux "
        "professeurs principaux et aux psychologues de l’Éducation nationale.",
        ("enseignants", "psyen"),
        ("immersion-enseignants",),
    ),
    C(
        "staff",
        "Identifier les enseignants volontaires pour une journée d’immersion en entreprise et en valider les "
        "dates avec le partenaire.",
        ("enseignants",),
        ("immersion-enseignants",),
    ),
    C("governance", "Réunir le comité de pilotage une fois par an et en diffuser le bilan écrit."),
    C("communication", "Présenter le partenariat et ses correspondants sur le site académique."),
    C(
        "local",
        "Désigner les établissements pilotes et accompagner la signature de leurs conventions locales.",
        ("chefs-etablissement",),
        ("campus-metiers",),
    ),
    C(
        "reception",
        "Mobiliser les conseillers de l’enseignement technologique pour composer les jurys avec des professionnels.",
        ("lyceens-pro", "apprentis"),
        ("cet-cee", "jurys"),
    ),
    C(
        "data",
        "Tenir à jour la liste nominative des référents école–entreprise des établissements et ne la "
        "communiquer qu’au correspondant désigné par le partenaire.",
        ("enseignants",),
        (),
        True,
    ),
    C(
        "discovery",
        "Associer les psychologues de l’Éducation nationale et les familles aux forums des métiers.",
        ("psyen", "parents"),
        ("parcours-avenir",),
    ),
    C(
        "discovery",
        "Ouvrir les actions du partenariat aux élèves en situation de handicap et aux jeunes allophones, avec "
        "les adaptations nécessaires.",
        ("handicap", "allophones"),
    ),
    C(
        "reception",
        "Mettre en relation les jeunes sortis sans qualification suivis par la mission de lutte contre le "
        "décrochage avec les entreprises volontaires.",
        ("decrocheurs",),
    ),
)

EMPLOYERS = (
    C(
        "discovery",
        "Mobiliser les entreprises adhérentes pour des visites de sites et des témoignages de professionnels en "
        "classe.",
        ("collegiens", "lyceens-gt", "lyceens-pro"),
        ("parcours-avenir", "semaine-ecole-entreprise"),
    ),
    C(
        "reception",
        "Relayer auprès des adhérents les offres de stages d’observation et de PFMP déposées par les établissements.",
        ("collegiens", "lyceens-pro"),
        ("stage-3e", "pfmp", "poles-stages"),
    ),
    C(
        "staff",
        "Trouver chaque année une entreprise d’accueil pour au moins quinze enseignants en immersion.",
        ("enseignants",),
        ("immersion-enseignants",),
    ),
    C(
        "reception",
        "Proposer des professionnels pour les jurys d’examen et de validation des acquis de l’expérience.",
        ("lyceens-pro", "apprentis", "formation-continue"),
        ("jurys",),
    ),
    C(
        "discovery",
        "Participer à la Semaine École–Entreprise avec au moins une action dans chaque bassin.",
        ("collegiens", "lyceens-gt"),
        ("semaine-ecole-entreprise",),
    ),
    C(
        "data",
        "Communiquer à l’académie, pour son seul usage, la liste des entreprises adhérentes volontaires et de "
        "leurs contacts.",
        (),
        (),
        True,
    ),
    C(
        "insertion",
        "Informer l’académie des prévisions de recrutement des adhérents dans les métiers en tension ; ces "
        "informations restent confidentielles.",
        ("apprentis", "decrocheurs"),
        (),
        True,
    ),
    C("governance", "Désigner un correspondant école–entreprise qui siège au comité de pilotage."),
    C(
        "discovery",
        "Parrainer des mini-entreprises de lycéens par des chefs d’entreprise bénévoles.",
        ("lyceens-gt", "lyceens-pro"),
        ("mini-entreprises",),
    ),
    C(
        "insertion",
        "Proposer des périodes de découverte en entreprise aux jeunes sortis du système scolaire sans qualification.",
        ("decrocheurs",),
    ),
    C(
        "training",
        "Contribuer aux travaux du campus des métiers et des qualifications de son secteur.",
        ("etudiants", "apprentis"),
        ("campus-metiers",),
    ),
    C(
        "staff",
        "Fournir des études de branche pour les guides métiers de l’Observatoire des métiers.",
        ("psyen", "enseignants"),
        ("oma",),
    ),
)

SOCIAL_ECONOMY = (
    C(
        "events",
        "Organiser pendant le Mois de l’ESS des rencontres entre élèves et structures de l’économie sociale et "
        "solidaire.",
        ("collegiens", "lyceens-gt"),
        ("mois-ess",),
    ),
    C(
        "events",
        "Tenir un stand au salon Métierama en janvier, animé par des professionnels et des bénévoles.",
        ("collegiens", "lyceens-gt", "lyceens-pro", "parents"),
        ("metierama",),
    ),
    C(
        "staff",
        "Mettre à jour avec les professeurs de SES des fiches pédagogiques sur l’entrepreneuriat social.",
        ("enseignants",),
    ),
    C(
        "data",
        "Transmettre à l’académie les coordonnées des structures employeuses volontaires, qui ne sont pas "
        "diffusées au-delà des établissements concernés.",
        (),
        (),
        True,
    ),
)

GUIDANCE = (
    C(
        "rooms",
        "Prêter gratuitement " + ROOMS + " pour les réunions académiques, réservées trois semaines à l’avance.",
        ("enseignants", "chefs-etablissement"),
    ),
    C("communication", "Publier sur son site le calendrier des actions école–entreprise transmis par la DAFPIC."),
    C(
        "reception",
        "Accueillir des élèves de 3e des collèges de l’éducation prioritaire en stage d’observation.",
        ("collegiens",),
        ("stage-3e",),
    ),
    C(
        "discovery",
        "Organiser chaque trimestre une soirée d’échanges avec les parents sur l’orientation.",
        ("parents",),
        ("parcours-avenir",),
    ),
    C(
        "staff",
        "Présenter son offre de services aux réunions des réseaux de formation.",
        ("chefs-etablissement", "psyen"),
    ),
    C(
        "staff",
        "Accueillir des enseignants pour une journée d’immersion.",
        ("enseignants",),
        ("immersion-enseignants",),
    ),
)

COMPANY = (
    C(
        "reception",
        "Accueillir chaque année des élèves de l’établissement en PFMP et désigner un tuteur pour chacun.",
        ("lyceens-pro",),
        ("pfmp",),
    ),
    C(
        "discovery",
        "Recevoir une classe pour une visite de site pendant la Semaine École–Entreprise.",
        ("collegiens", "lyceens-pro"),
        ("semaine-ecole-entreprise",),
    ),
    C(
        "discovery",
        "Présenter ses métiers en classe une fois par an.",
        ("collegiens", "lyceens-gt"),
        ("parcours-avenir",),
    ),
    C("reception", "Proposer des stages d’observation aux élèves de 3e.", ("collegiens",), ("stage-3e",)),
    C(
        "insertion",
        "Communiquer à l’établissement ses prévisions d’embauche d’apprentis, qui restent confidentielles.",
        ("apprentis",),
        (),
        True,
    ),
    C("reception", "Siéger dans un jury d’examen de l’établissement.", ("lyceens-pro",), ("jurys",)),
)

SCHOOL = (
    C("governance", "Désigner un professeur référent pour le suivi du partenariat.", ("enseignants",)),
    C(
        "school",
        "Préparer les élèves avant chaque visite et en exploiter les apports en classe.",
        ("collegiens", "lyceens-pro"),
        ("parcours-avenir",),
    ),
    C("school", "Inviter l’entreprise au forum des métiers de l’établissement.", ("parents",)),
    C(
        "data",
        "Ne transmettre à l’entreprise que les données des élèves nécessaires à leur accueil, par le seul "
        "professeur référent.",
        ("lyceens-pro",),
        (),
        True,
    ),
    C("school", "Associer l’entreprise au conseil pédagogique une fois par an.", ("chefs-etablissement",)),
)

COMMITMENTS: dict[str, tuple[CommitmentText, ...]] = {
    "education": EDUCATION,
    "employers": EMPLOYERS,
    "social_economy": SOCIAL_ECONOMY + EMPLOYERS[:5],
    "guidance": GUIDANCE,
    "company": COMPANY,
    "school": SCHOOL,
}
