"""What the demo plans and activities are made of: action templates, levels, classes and wording.

Every text is our own. An :class:`ActionTemplate` turns a commitment (through its programme, else
its article's topic) into a plan's action: title, objective, what each side does, when (a wording
the plan keeps, « novembre 2025 »…), which kinds of activities realise it and what it counts.
"""

from dataclasses import dataclass

from partenariats.activities.models import ActivityKind as K
from partenariats.activities.models import Level as L
from partenariats.activities.models import Metric as M
from partenariats.directory.models import SchoolType as S


@dataclass(frozen=True)
class ActionTemplate:
    key: str
    title: str
    objective: str
    kinds: tuple[str, ...]
    metrics: tuple[str, ...]
    wording: str  # formatted with {start}, {end} (calendar years) and {label} (« 2025–2026 »)
    education: str  # what the académie or the school does
    partner: str  # what the partner does
    audiences: tuple[str, ...] = ()
    programmes: tuple[str, ...] = ()
    school_types: tuple[str, ...] = ()  # where its pupils come from; empty: no pupils
    levels: tuple[str, ...] = ()  # levels allowed; empty: any of the school's levels
    weight: float = 1.0  # how many activities it takes compared with the others
    owner: str = "education"  # the side that steers it


T = ActionTemplate
COLLEGES = (S.COLLEGE,)
LYCEES_PRO = (S.LYCEE_PRO, S.LYCEE_POLY)

TEMPLATES: dict[str, ActionTemplate] = {
    t.key: t
    for t in (
        T(
            "visits",
            "Visites d’entreprises pendant la Semaine École–Entreprise",
            "Faire découvrir aux collégiens et aux lycéens professionnels des entreprises de leur bassin "
            "et la diversité de leurs métiers.",
            (K.COMPANY_VISIT,),
            (M.PUPILS, M.CLASSES, M.COMPANIES),
            "novembre {start}",
            "Recense les classes volontaires, prépare la visite avec le professeur principal et organise le transport.",
            "Propose des entreprises d’accueil, fixe les dates avec les établissements et désigne un guide par visite.",
            ("collegiens", "lyceens-pro"),
            ("semaine-ecole-entreprise",),
            (S.COLLEGE, S.LYCEE_PRO, S.EREA),
            (L.QUATRIEME, L.TROISIEME, L.SECONDE_PRO, L.CAP),
            weight=1.2,
        ),
        T(
            "talks",
            "Interventions de professionnels en classe (Parcours Avenir)",
            "Faire témoigner des professionnels de leur métier et de leur parcours devant les élèves.",
            (K.TALK_IN_SCHOOL, K.TALK_IN_SCHOOL, K.COMPANY_VISIT),
            (M.PUPILS, M.PROFESSIONALS, M.EVENTS),
            "d’octobre {start} à mai {end}",
            "Recueille les demandes des professeurs principaux et les transmet au partenaire chaque mois.",
            "Trouve un intervenant pour chaque demande dans les quinze jours et prépare avec lui son témoignage.",
            ("collegiens", "lyceens-gt"),
            ("parcours-avenir",),
            (S.COLLEGE, S.LYCEE, S.LYCEE_POLY),
            weight=1.5,
        ),
        T(
            "observation",
            "Stages d’observation des élèves de 3e",
            "Trouver un lieu de stage à chaque élève de 3e, en priorité dans les collèges de l’éducation prioritaire.",
            (K.OBSERVATION,),
            (M.PUPILS, M.COMPANIES, M.SCHOOLS),
            "1er trimestre {end}",
            "Transmet les besoins des collèges avant la fin octobre et suit les élèves sans stage.",
            "Relaie les besoins auprès de ses adhérents et publie les offres de stage.",
            ("collegiens",),
            ("stage-3e", "poles-stages"),
            (S.COLLEGE, S.EREA),
            (L.TROISIEME,),
            weight=2.0,
        ),
        T(
            "seconde",
            "Stages de seconde en milieu professionnel",
            "Offrir aux élèves de seconde générale et technologique deux semaines d’observation en juin.",
            (K.OBSERVATION,),
            (M.PUPILS, M.COMPANIES),
            "juin {end}",
            "Informe les familles et les lycées du calendrier et signe les conventions de stage.",
            "Propose des places de stage et un tuteur pour chacune.",
            ("lyceens-gt",),
            ("stage-seconde",),
            (S.LYCEE, S.LYCEE_POLY),
            (L.SECONDE_GT,),
            weight=1.2,
        ),
        T(
            "pfmp",
            "Accueil d’élèves de la voie professionnelle en PFMP",
            "Assurer à chaque élève de lycée professionnel une période de formation en milieu professionnel "
            "de qualité, avec un tuteur formé.",
            (K.PLACEMENT,),
            (M.PUPILS, M.COMPANIES),
            "toute l’année scolaire {label}",
            "Transmet les périodes de PFMP par diplôme et met en relation les équipes pédagogiques et les tuteurs.",
            "Accueille les élèves, désigne un tuteur pour chacun et participe à l’évaluation.",
            ("lyceens-pro",),
            ("pfmp",),
            LYCEES_PRO,
            (L.SECONDE_PRO, L.PREMIERE, L.TERMINALE, L.CAP),
            weight=2.0,
            owner="partner",
        ),
        T(
            "immersion",
            "Journées d’immersion d’enseignants en entreprise",
            "Permettre aux enseignants et aux psychologues de l’Éducation nationale de connaître les métiers "
            "qu’ils présentent aux élèves.",
            (K.TEACHER_IMMERSION,),
            (M.TEACHERS, M.COMPANIES, M.EVENTS),
            "2e trimestre",
            "Inscrit les journées au plan de formation et désigne les enseignants volontaires.",
            "Trouve les entreprises d’accueil et organise le programme de chaque journée.",
            ("enseignants", "psyen"),
            ("immersion-enseignants",),
        ),
        T(
            "juries",
            "Participation de professionnels aux jurys d’examen",
            "Associer des professionnels aux épreuves des diplômes professionnels.",
            (K.EXAM_JURY,),
            (M.PROFESSIONALS, M.EVENTS),
            "juin {end}",
            "Communique le calendrier des épreuves et convoque les professionnels.",
            "Propose des professionnels disponibles et veille à leur présence.",
            ("lyceens-pro", "apprentis"),
            ("jurys", "cet-cee"),
            weight=0.8,
        ),
        T(
            "ess",
            "Rencontres du Mois de l’économie sociale et solidaire",
            "Faire connaître aux élèves les structures de l’économie sociale et solidaire et leurs métiers.",
            (K.TALK_IN_SCHOOL, K.COMPANY_VISIT, K.FORUM_STAND),
            (M.PUPILS, M.SCHOOLS, M.EVENTS),
            "novembre {start}",
            "Diffuse le programme aux établissements et inscrit les classes.",
            "Organise les rencontres et mobilise les structures adhérentes.",
            ("collegiens", "lyceens-gt"),
            ("mois-ess",),
            (S.COLLEGE, S.LYCEE, S.LYCEE_POLY),
        ),
        T(
            "metierama",
            "Stand au salon Métierama",
            "Présenter les métiers du secteur aux élèves et à leurs familles pendant le salon.",
            (K.FORUM_STAND,),
            (M.PUPILS, M.PROFESSIONALS, M.SCHOOLS),
            "janvier {end}",
            "Inscrit les établissements et organise la venue des classes.",
            "Tient le stand avec des professionnels et des apprentis.",
            ("collegiens", "lyceens-gt", "lyceens-pro", "parents"),
            ("metierama",),
            (S.COLLEGE, S.LYCEE, S.LYCEE_PRO, S.LYCEE_POLY),
            (L.TROISIEME, L.SECONDE_GT, L.SECONDE_PRO, L.PREMIERE),
            weight=0.4,
            owner="partner",
        ),
        T(
            "oma",
            "Vidéos et fiches métiers pour les guides de l’Observatoire",
            "Produire avec les élèves des vidéos et des fiches sur les métiers du secteur.",
            (K.PUPIL_VIDEO, K.OTHER),
            (M.EVENTS, M.PUPILS),
            "2e trimestre",
            "Accompagne les classes volontaires et valide les productions.",
            "Fournit les études de branche et ouvre ses entreprises aux tournages.",
            ("psyen", "enseignants"),
            ("oma",),
            (S.COLLEGE, S.LYCEE_PRO),
            weight=0.5,
        ),
        T(
            "campus",
            "Travaux du campus des métiers et des qualifications",
            "Rapprocher les formations du campus et les entreprises de la filière.",
            (K.STAFF_TRAINING, K.COMPANY_VISIT),
            (M.EVENTS, M.TEACHERS, M.PUPILS),
            "toute l’année scolaire {label}",
            "Réunit les équipes du campus et associe le partenaire à ses groupes de travail.",
            "Ouvre des sites aux formations du campus et participe aux groupes de travail.",
            ("etudiants", "apprentis"),
            ("campus-metiers",),
            (S.LYCEE_PRO, S.LYCEE_POLY, S.CFA),
            (L.POST_BAC, L.APPRENTICES, L.TERMINALE),
            weight=0.6,
        ),
        T(
            "mini",
            "Parrainage de mini-entreprises",
            "Accompagner des mini-entreprises de lycéens par des chefs d’entreprise bénévoles.",
            (K.MENTORING, K.MENTORING, K.COMPETITION),
            (M.PUPILS, M.PROFESSIONALS),
            "d’octobre {start} à mai {end}",
            "Identifie les classes porteuses d’un projet et désigne un enseignant accompagnateur.",
            "Désigne un parrain par mini-entreprise et participe au jury du concours.",
            ("lyceens-gt", "lyceens-pro"),
            ("mini-entreprises",),
            (S.LYCEE, S.LYCEE_PRO, S.LYCEE_POLY),
            (L.SECONDE_GT, L.PREMIERE, L.SECONDE_PRO),
            weight=0.7,
            owner="partner",
        ),
        T(
            "forum",
            "Forum des métiers de l’établissement",
            "Réunir les familles, les élèves et des professionnels autour de l’orientation.",
            (K.FORUM_STAND, K.GUIDANCE_EVENT),
            (M.PUPILS, M.COMPANIES),
            "mars {end}",
            "Organise le forum et invite les entreprises partenaires.",
            "Tient un stand et présente ses métiers et ses offres d’apprentissage.",
            ("parents", "collegiens", "lyceens-pro"),
            ("parcours-avenir",),
            (S.COLLEGE, S.LYCEE, S.LYCEE_PRO, S.LYCEE_POLY),
            weight=0.5,
        ),
        T(
            "rooms",
            "Prêt de salles pour les réunions académiques",
            "Disposer de salles équipées pour les réunions des réseaux école–entreprise.",
            (K.ROOM_LOAN,),
            (M.EVENTS, M.HOURS),
            "toute l’année scolaire {label}",
            "Réserve les salles trois semaines à l’avance et en communique l’ordre du jour.",
            "Met gratuitement à disposition ses salles et leur équipement.",
            ("enseignants", "chefs-etablissement"),
            weight=0.5,
            owner="partner",
        ),
        T(
            "insertion",
            "Découverte de l’entreprise pour les jeunes sortis sans qualification",
            "Proposer aux jeunes suivis par la mission de lutte contre le décrochage des périodes de "
            "découverte et une mise en relation avec des employeurs.",
            (K.OBSERVATION, K.CV_CIRCULATION),
            (M.PUPILS, M.COMPANIES),
            "2e trimestre",
            "Identifie les jeunes volontaires et les accompagne pendant la période.",
            "Trouve des entreprises volontaires et transmet les offres de recrutement.",
            ("decrocheurs", "apprentis"),
            weight=0.6,
            owner="partner",
        ),
        T(
            "training",
            "Formation des personnels à la connaissance de l’entreprise",
            "Outiller les professeurs principaux et les psychologues de l’Éducation nationale pour "
            "accompagner l’orientation.",
            (K.STAFF_TRAINING,),
            (M.TEACHERS, M.EVENTS),
            "Rentrée scolaire {label}",
            "Inscrit le module au plan académique de formation et convoque les stagiaires.",
            "Anime une séquence de la formation avec des chefs d’entreprise.",
            ("enseignants", "psyen"),
            weight=0.5,
        ),
        T(
            "inclusion",
            "Découverte des métiers pour les élèves à besoins particuliers",
            "Ouvrir les actions de découverte aux élèves en situation de handicap et aux jeunes allophones.",
            (K.COMPANY_VISIT, K.TALK_IN_SCHOOL),
            (M.PUPILS, M.EVENTS),
            "2e trimestre",
            "Choisit avec les coordonnateurs ULIS et UPE2A les classes concernées et prévoit les adaptations.",
            "Adapte l’accueil et le discours des professionnels aux élèves.",
            ("handicap", "allophones"),
            (),
            (S.EREA, S.COLLEGE),
            (L.QUATRIEME, L.TROISIEME, L.CAP),
            weight=0.6,
        ),
    )
}

# Which template a commitment's programme calls for; else its article's topic (``slot``).
BY_PROGRAMME = {
    "semaine-ecole-entreprise": "visits",
    "parcours-avenir": "talks",
    "stage-3e": "observation",
    "poles-stages": "observation",
    "stage-seconde": "seconde",
    "pfmp": "pfmp",
    "immersion-enseignants": "immersion",
    "jurys": "juries",
    "cet-cee": "juries",
    "mois-ess": "ess",
    "metierama": "metierama",
    "oma": "oma",
    "campus-metiers": "campus",
    "mini-entreprises": "mini",
}
BY_WORDS = (
    ("salle", "rooms"),
    ("forum", "forum"),
    ("sans qualification", "insertion"),
    ("décrochage", "insertion"),
    ("recrutement", "insertion"),
    ("embauche", "insertion"),
    ("handicap", "inclusion"),
    ("plan académique de formation", "training"),
)

LEVELS_BY_TYPE: dict[str, tuple[str, ...]] = {
    S.ECOLE: (L.PRIMARY,),
    S.COLLEGE: (L.SIXIEME, L.CINQUIEME, L.QUATRIEME, L.TROISIEME),
    S.LYCEE: (L.SECONDE_GT, L.PREMIERE, L.TERMINALE, L.POST_BAC),
    S.LYCEE_PRO: (L.SECONDE_PRO, L.PREMIERE, L.TERMINALE, L.CAP),
    S.LYCEE_POLY: (L.SECONDE_GT, L.SECONDE_PRO, L.PREMIERE, L.TERMINALE, L.CAP, L.POST_BAC),
    S.CFA: (L.APPRENTICES, L.CAP),
    S.EREA: (L.QUATRIEME, L.TROISIEME, L.CAP),
    S.OTHER: (L.OTHER,),
}
PRO_SPECIALITIES = ("MELEC", "MCV", "ASSP", "AGORA", "MSPC", "Cuisine", "MVA", "Logistique", "TMA")
PRO_FAMILIES = ("métiers de la relation client", "métiers de la construction", "GATL", "métiers de l’hôtellerie")
CAP_SPECIALITIES = ("ATMFC", "Pâtissier", "Électricien", "Maçon", "Équipier polyvalent du commerce", "Coiffure")
GT_SERIES = ("générale", "STMG", "STI2D", "ST2S")
BTS = ("MCO", "NDRC", "CIEL", "SIO", "CG")

# How the titles name a company's trade, from its activity group (``demo.specs.ACTIVITY_GROUPS``).
SECTORS = {
    "btp": "du bâtiment",
    "industrie": "de l’industrie",
    "commerce": "du commerce",
    "services": "des services",
    "hotellerie": "de l’hôtellerie-restauration",
    "numerique": "du numérique",
    "transport": "du transport et de la logistique",
    "sante": "de la santé",
    "ess": "de l’économie sociale et solidaire",
    "artisanat": "de l’artisanat",
}

TITLES: dict[str, tuple[str, ...]] = {
    K.COMPANY_VISIT: (
        "Visite de {company} par les élèves de {klass}",
        "Découverte des métiers {sector} : visite de {company}",
        "Visite de site chez {company}",
    ),
    K.TALK_IN_SCHOOL: (
        "Témoignage d’un professionnel {sector} devant les {klass}",
        "Intervention de {company} en classe de {klass}",
        "Rencontre métiers {sector} au {school}",
    ),
    K.FORUM_STAND: ("Stand au forum des métiers de {city}", "Forum de l’orientation : stand de {partner}"),
    K.OBSERVATION: ("Stage d’observation chez {company}", "Séquence d’observation en entreprise : {company}"),
    K.PLACEMENT: ("PFMP des élèves de {klass} chez {company}", "Accueil en PFMP chez {company}"),
    K.TEACHER_IMMERSION: (
        "Journée d’immersion d’enseignants chez {company}",
        "Immersion des professeurs principaux chez {company}",
    ),
    K.EXAM_JURY: ("Jury du {exam}", "Participation au jury du {exam}"),
    K.ROOM_LOAN: ("Prêt de salle pour {meeting}",),
    K.GUIDANCE_EVENT: ("Soirée des familles sur l’orientation au {school}", "Forum de l’orientation au {school}"),
    K.COMPETITION: ("Finale académique du concours de mini-entreprises", "Concours « Mon métier en images » : jury"),
    K.MENTORING: ("Parrainage de la mini-entreprise des {klass}", "Tutorat d’élèves par un cadre de {company}"),
    K.STAFF_TRAINING: (
        "Formation « connaître l’entreprise » pour les professeurs principaux",
        "Atelier du campus des métiers {sector}",
    ),
    K.PUPIL_VIDEO: (
        "Vidéo métier tournée par les {klass} chez {company}",
        "Reportage des {klass} : les métiers {sector}",
    ),
    K.CV_CIRCULATION: ("Diffusion de CV de jeunes aux entreprises {sector}", "Transmission de CV aux adhérents"),
    K.OTHER: ("Relecture d’une fiche métier {sector} pour le guide", "Contribution à un guide des métiers {sector}"),
}
EXAMS = ("CAP", "baccalauréat professionnel", "chef-d’œuvre de CAP", "BTS", "oral du baccalauréat professionnel")
MEETINGS = (
    "la réunion des référents école–entreprise",
    "le comité de pilotage",
    "la formation des professeurs principaux",
    "la réunion du CLEE",
    "le séminaire des chefs d’établissement",
)
FORUM_CITIES = ("Marseille (parc Chanot)", "Toulon", "Nice", "Avignon", "Aix-en-Provence", "Gap")

EVALUATIONS_GOOD = (
    "Élèves très attentifs, nombreuses questions sur les parcours de formation.",
    "Le professionnel a adapté son discours à l’âge des élèves ; à renouveler.",
    "Questions préparées en amont avec le professeur principal, échanges riches.",
    "Restitution en classe la semaine suivante sous forme d’affiches.",
    "Deux élèves ont ensuite demandé un stage dans l’entreprise.",
    "Très bon accueil ; consignes de sécurité bien expliquées.",
    "Les élèves ont découvert des métiers qu’ils ne connaissaient pas ; bilan écrit joint au dossier.",
    "Les élèves ont présenté leur compte rendu aux familles lors de la réunion parents-professeurs.",
)
EVALUATIONS_MIXED = (
    "Visite écourtée : le car est arrivé avec quarante minutes de retard.",
    "Groupe trop nombreux pour l’atelier : prévoir deux demi-groupes l’an prochain.",
    "Peu d’échanges : les élèves n’avaient pas préparé de questions.",
    "Date à avancer : trop proche des conseils de classe.",
    "Intervenant remplacé la veille ; le contenu était moins adapté au niveau des élèves.",
)
EVALUATIONS_ADULTS = (
    "Partenaire disponible et réactif, calendrier tenu.",
    "Organisation à reconduire l’an prochain, avec une date fixée dès la rentrée.",
    "Participants satisfaits ; compte rendu diffusé aux établissements.",
    "Date déplacée une fois à la demande du partenaire ; bon déroulement ensuite.",
)
EVALUATIONS_BY_KIND = {
    K.EXAM_JURY: "Professionnels ponctuels, grilles d’évaluation prises en main rapidement.",
    K.TEACHER_IMMERSION: "Les enseignants demandent un temps d’échange avec des apprentis de l’entreprise.",
    K.PLACEMENT: "Bilan de PFMP positif ; l’entreprise propose de reprendre un élève l’an prochain.",
    K.ROOM_LOAN: "Salle prêtée gratuitement, vidéoprojecteur et accès au réseau en état.",
    K.OBSERVATION: "Rapport de stage rendu par chaque élève ; tuteurs satisfaits.",
    K.FORUM_STAND: "Stand très fréquenté en fin de matinée ; prévoir davantage de documentation.",
    K.STAFF_TRAINING: "Stagiaires satisfaits ; demande d’une seconde journée sur l’apprentissage.",
    K.CV_CIRCULATION: "Trois entretiens d’embauche obtenus à la suite de la diffusion.",
}

PLAN_NOTES = (
    "Plan adopté en comité de pilotage.",
    "Plan établi avec les correspondants des deux parties.",
    "Actions reconduites de l’an dernier, cibles revues à la hausse.",
    "",
)
