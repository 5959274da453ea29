"""The demo conventions' articles: outlines shaped like the five seed conventions, and generic ones.

Every sentence is written for the demo (none is copied from a real convention). Texts are
``str.format`` templates filled by ``demo.conventions.write``: ``{edu}``/``{Edu}`` the education
party (« l’académie de Nice »), ``{partner}``/``{Partner}`` the main partner (« la CPME Exemple
Var »), ``{school}``, ``{company}``, ``{theme}``, ``{school_year}``, ``{parent}`` (the title of
the convention it descends from), ``{duration}`` and ``{termination}`` (written from the
convention's terms by ``duration_clause`` and ``termination_clause``).

An article's ``slot`` names its topic: a commitment goes under the first article of its
convention with the same slot.
"""

from dataclasses import dataclass
from datetime import date
from typing import Any

from partenariats.terms.dates import french


@dataclass(frozen=True)
class ArticleText:
    number: str
    heading: str
    text: str
    slot: str = ""
    children: tuple["ArticleText", ...] = ()


A = ArticleText

ROOMS = "la salle Estaque (24 places assises) et l’auditorium du Prado (140 places)"

CONFIDENTIALITY_CLAUSE = (
    "Les informations dont les personnels de l’Éducation nationale, les élèves et les stagiaires ont "
    "connaissance au sein des entreprises adhérentes sont confidentielles. L’académie en informe ses "
    "personnels ; les enseignants et les stagiaires sont tenus au secret professionnel. Toute utilisation "
    "de ces informations hors du partenariat requiert l’accord exprès de l’entreprise concernée."
)

DISPUTE_CLAUSE = (
    "En cas de désaccord, les parties se réunissent et recherchent une solution amiable avant toute "
    "résiliation ; à défaut, le litige est porté devant le tribunal administratif compétent."
)


# --- Outlines shaped like the five seed conventions (own wording) ---------------------------

GUIDANCE_CENTRE = (
    A(
        "",
        "Préambule",
        "{Partner}, labellisée lieu d’information sur les métiers et l’orientation, accueille tous les "
        "publics — jeunes, familles, salariés, entreprises — dans un même espace. {Edu} souhaite "
        "s’appuyer sur ce lieu pour que chaque élève construise son parcours de découverte du monde "
        "économique et professionnel, de la sixième à la terminale.",
    ),
    A(
        "1",
        "Axes de collaboration",
        "Les parties retiennent les axes de travail suivants.",
        children=(
            A(
                "1.1",
                "Information sur les métiers et les formations",
                "{Partner} organise pour les collégiens et les lycéens des rencontres avec des professionnels, "
                "des forums et des ateliers, préparés avec les équipes pédagogiques.",
                "discovery",
            ),
            A(
                "1.2",
                "Accueil d’élèves et d’apprentis",
                "Dans la mesure de ses moyens, {partner} accueille des élèves en stage d’observation et en "
                "période de formation en milieu professionnel.",
                "reception",
            ),
            A(
                "1.3",
                "Actions communes",
                "Chaque action est préparée en classe en amont et exploitée ensuite avec les enseignants.",
                children=(
                    A(
                        "1.3.1",
                        "Élèves de l’éducation prioritaire",
                        "Des élèves de troisième des collèges de l’éducation prioritaire sont accueillis pour "
                        "leur stage d’observation.",
                        "reception",
                    ),
                    A(
                        "1.3.2",
                        "Immersion d’enseignants",
                        "Des enseignants du second degré passent une journée dans les services du partenaire, "
                        "à la demande des services académiques ; une évaluation est faite chaque année.",
                        "staff",
                    ),
                ),
            ),
            A(
                "1.4",
                "Prêt de salles",
                "{Partner} prête gratuitement aux services académiques, pour leurs réunions et événements, "
                + ROOMS
                + ", du lundi au vendredi de 9 h 30 à 17 h 30, sous réserve de disponibilité.",
                "rooms",
            ),
            A(
                "1.5",
                "Communication",
                "Chaque partie fait connaître sur son site les actions communes et renvoie vers le site de l’autre.",
                "communication",
            ),
        ),
    ),
    A(
        "2",
        "Mise en œuvre de la convention",
        "La présente convention est le cadre des actions conduites ensemble.",
        children=(
            A(
                "2.1",
                "Suivi et bilan",
                "Un comité de pilotage réunit les parties une fois par an : bilan de l’année écoulée et "
                "programme de l’année suivante.",
                "governance",
            ),
            A(
                "2.2",
                "Différends",
                "Avant toute résiliation, les parties se réunissent pour examiner le différend.",
            ),
            A(
                "2.3",
                "Durée",
                "La convention est conclue pour cinq ans à compter de sa signature. Toute modification fait "
                "l’objet d’un avenant. Une partie qui veut y mettre fin prévient l’autre par lettre "
                "recommandée avec accusé de réception trois mois à l’avance ; la convention s’applique "
                "pendant ce préavis.",
            ),
        ),
    ),
)

ACADEMY_EMPLOYER_ASSOCIATION = (
    A(
        "",
        "Préambule",
        "Les trois parties veulent développer des relations suivies entre le système éducatif et les "
        "petites et moyennes entreprises, dans le respect des compétences de chacune. La présente "
        "convention décline dans l’académie l’accord national cité en référence.",
    ),
    A(
        "1",
        "Faire découvrir les métiers et les entreprises",
        "Les parties renforcent les actions d’information sur les métiers des PME auprès des élèves, des "
        "familles et des équipes éducatives.",
        children=(
            A(
                "1.1",
                "Information sur les métiers",
                "Visites d’entreprises, témoignages de professionnels, forums et accompagnement d’élèves.",
                "discovery",
            ),
            A(
                "1.2",
                "Immersion des enseignants",
                "Les entreprises adhérentes accueillent des enseignants volontaires pour une à trois journées.",
                "staff",
            ),
        ),
    ),
    A(
        "2",
        "Améliorer la formation professionnelle initiale et l’insertion",
        "Les parties veillent à l’adaptation de l’offre de formation aux besoins des PME du territoire.",
        children=(
            A(
                "2.1",
                "Stages et apprentissage",
                "Les adhérents sont incités à accueillir des élèves en PFMP et des apprentis.",
                "reception",
            ),
            A(
                "2.2",
                "Établissements pilotes",
                "Des établissements pilotes sont désignés chaque année ; une convention locale lie chacun "
                "d’eux à une entreprise adhérente.",
                "local",
            ),
        ),
    ),
    A(
        "3",
        "Mise en œuvre de la convention académique",
        "",
        children=(
            A("3.1", "Pilotage", "Un comité de pilotage se réunit une fois par an.", "governance"),
            A(
                "3.2",
                "Confidentialité",
                "Ce qui est appris au sein des entreprises reste confidentiel ; l’académie en informe ses personnels.",
                "data",
            ),
            A(
                "3.3",
                "Conventions locales",
                "Les conventions locales précisent les engagements d’une entreprise et d’un établissement.",
                "local",
            ),
            A(
                "3.4",
                "Durée et résiliation",
                "Conclue pour cinq ans à compter de la signature ; résiliable avec un préavis de trois mois.",
            ),
        ),
    ),
)

SOCIAL_ECONOMY_CHAMBER = (
    A(
        "Titre 1",
        "Objet de la convention",
        "La convention organise la coopération entre {edu} et {partner} pour faire connaître l’économie "
        "sociale et solidaire aux élèves et adapter les formations aux métiers du secteur.",
    ),
    A(
        "Titre 2",
        "Axes de collaboration",
        "Information et orientation des jeunes ; évolution des métiers et des formations ; formation des "
        "personnels ; actions pédagogiques.",
        "discovery",
    ),
    A(
        "Titre 3",
        "Mise en œuvre de la convention",
        "",
        children=(
            A(
                "3.1",
                "Comité de pilotage",
                "Il se réunit chaque année, arrête le plan d’action et en fait le bilan.",
                "governance",
            ),
            A(
                "3.2",
                "Durée et renégociation",
                "La convention est conclue pour trois ans. Si sa renégociation est engagée avant son terme, "
                "elle reste applicable pendant six mois au plus. Elle peut être dénoncée avec un préavis de "
                "trois mois.",
            ),
        ),
    ),
    A("Annexe 1", "Coordonnées des partenaires", "Correspondants désignés par chaque partie (tenus à jour)."),
    A(
        "Annexe 2",
        "Plan de partenariat",
        "Attentes de chaque partie par thème : promotion de l’ESS, évolution des métiers, orientation, "
        "formation initiale et continue.",
    ),
    A(
        "Annexe 3",
        "Plan d’action",
        "Actions numérotées, avec leur objectif, leurs modalités pour chaque partie et leur démarrage.",
        children=(
            A(
                "Action 1",
                "Professionnels de l’ESS dans les collèges",
                "Interventions de salariés et de bénévoles dans les classes de troisième ; démarrage à la "
                "rentrée {school_year}.",
                "discovery",
            ),
            A(
                "Action 2",
                "Mois de l’ESS",
                "Visites de structures et rencontres en novembre, préparées en classe.",
                "events",
            ),
            A(
                "Action 3",
                "Salon Métierama",
                "Stand commun en janvier, animé par des professionnels et des élèves ambassadeurs.",
                "events",
            ),
            A(
                "Action 4",
                "Carte des formations",
                "Consultation de la chambre sur l’évolution de la carte des formations professionnelles.",
                "training",
            ),
            A(
                "Action 5",
                "Ressources pour les enseignants de SES",
                "Mise à jour de fiches pédagogiques sur l’entrepreneuriat social pour le lycée.",
                "staff",
            ),
        ),
    ),
)

THREE_ACADEMIES = (
    A(
        "",
        "Préambule",
        "Les trois académies et {partner} veulent développer, à l’échelle de leurs territoires, une "
        "coopération durable pour faire connaître les métiers du bâtiment et adapter les formations à "
        "leur évolution.",
    ),
    A(
        "1",
        "Faire connaître les métiers et les entreprises",
        "Les opérations peuvent être conduites au niveau académique, dans les bassins, les établissements "
        "ou les entreprises.",
        children=(
            A(
                "1.1",
                "Information sur les métiers",
                "Visites de chantiers, témoignages, forums et accueil d’élèves en observation.",
                "discovery",
            ),
            A(
                "1.2",
                "Immersion d’enseignants",
                "Les entreprises adhérentes accueillent des enseignants une à trois journées.",
                "staff",
            ),
        ),
    ),
    A(
        "2",
        "Former et insérer",
        "L’offre de formation, scolaire et par apprentissage, répond aux besoins des entreprises du secteur.",
        children=(
            A("2.1", "Accueil des élèves et des apprentis", "PFMP, apprentissage, pôles de stages.", "reception"),
            A("2.2", "Jurys", "Des professionnels siègent dans les jurys d’examen et de VAE.", "reception"),
        ),
    ),
    A(
        "3",
        "Mise en œuvre de la convention inter-académique",
        "",
        children=(
            A("3.1", "Comité de pilotage", "Une réunion annuelle, tour à tour dans chaque académie.", "governance"),
            A("3.2", "Litiges", "Règlement amiable, puis tribunal compétent."),
            A(
                "3.3",
                "Durée",
                "Trois ans à compter de la dernière signature ; préavis de trois mois pour y mettre fin.",
            ),
        ),
    ),
)

REGION_EMPLOYERS = (
    A(
        "",
        "Préambule",
        "La présente convention décline dans la région académique la convention nationale de coopération "
        "entre le ministère et le mouvement des entreprises.",
    ),
    A(
        "1",
        "Objet",
        "Rapprocher l’École et l’entreprise pour l’orientation, la formation et l’insertion des jeunes.",
    ),
    A(
        "2",
        "Publics concernés",
        "Élèves, apprentis, étudiants, stagiaires de la formation continue et personnels de l’Éducation nationale.",
    ),
    A(
        "3",
        "Engagement réciproque",
        "Chaque partie mobilise ses réseaux : établissements d’un côté, entreprises adhérentes de l’autre.",
        "governance",
    ),
    A(
        "4",
        "Découvrir l’entreprise et l’envie d’entreprendre",
        "Visites, témoignages, mini-entreprises et concours.",
        "discovery",
    ),
    A(
        "5",
        "Accueil et immersion",
        "Accueil des jeunes en formation et des personnels en entreprise ; synergie des voies de formation.",
        "reception",
    ),
    A("6", "Insertion professionnelle", "Job-datings d’apprentissage et parrainage de jeunes diplômés.", "insertion"),
    A(
        "7",
        "Ressources numériques",
        "Courtes vidéos de découverte des métiers réalisées par des élèves et publiées par le partenaire.",
        "communication",
    ),
    A(
        "8",
        "Pilotage et suivi",
        "",
        children=(
            A("8.1", "Réunion annuelle", "Les parties font chaque année le bilan des actions.", "governance"),
            A(
                "8.2",
                "Listes de contacts",
                "Chaque mois de septembre, les parties échangent leurs listes de correspondants, dans le "
                "respect du RGPD.",
                "data",
            ),
        ),
    ),
    A("9", "Communication", "Toute communication sur le partenariat est validée par les deux parties."),
    A(
        "10",
        "Durée",
        "Deux ans à compter de la signature, renouvelable par tacite reconduction pour la même durée.",
    ),
    A(
        "11",
        "Résiliation",
        "Par lettre recommandée avec accusé de réception ; elle prend effet à la rentrée scolaire suivante.",
    ),
    A("12", "Litiges", "Règlement amiable, puis tribunal administratif compétent."),
)

# --- The term clauses of the generic outlines, written from the convention's terms -------------

NUMBERS = {1: "un", 2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 9: "neuf", 10: "dix"}
EFFECTS = {
    "end_of_notice": "la convention reste applicable jusqu’au terme du préavis",
    "end_of_period": "la convention prend fin au terme de la période en cours",
    "next_school_year_start": "la résiliation prend effet à la rentrée scolaire suivante",
}


def spelled(months: int) -> str:
    """« cinq ans », « un an », « six mois »."""
    if months % 12 == 0:
        years = months // 12
        return f"{NUMBERS.get(years, years)} an{'s' if years > 1 else ''}"
    return f"{NUMBERS.get(months, months)} mois"


def duration_clause(terms: dict[str, Any]) -> str:
    """The duration and renewal, as the convention states them."""
    start: date | None = terms.get("start_date")
    since = f"du {french(start)}" if start else "de sa signature"
    if terms.get("indefinite") or not terms.get("duration_months"):
        sentences = [f"La présente convention est conclue pour une durée indéterminée à compter {since}."]
    else:
        sentences = [f"La présente convention est conclue pour {spelled(terms['duration_months'])} à compter {since}."]
    if terms.get("tacit_renewal"):
        renewal = terms.get("renewal_months") or terms["duration_months"]
        length = spelled(renewal)
        sentences.append(f"Elle est reconduite tacitement par périodes {'d’' if length[0] == 'u' else 'de '}{length}.")
    elif terms.get("tacit_renewal") is False:
        sentences.append("Elle ne peut être renouvelée que par un avenant ou par une nouvelle convention.")
    if terms.get("provisional_extension_months"):
        sentences.append(
            "Si sa renégociation est engagée avant son terme, elle reste applicable "
            f"{spelled(terms['provisional_extension_months'])} au plus."
        )
    return " ".join(sentences)


def termination_clause(terms: dict[str, Any]) -> str:
    """How a party ends it: notice, form, and when it takes effect."""
    how = " par lettre recommandée avec accusé de réception" if terms.get("notice_by_registered_letter") else ""
    notice = f" moyennant un préavis de {spelled(terms['notice_months'])}" if terms.get("notice_months") else ""
    effect = EFFECTS.get(terms.get("termination_effect") or "", "")
    if terms.get("termination_effect") == "fixed_date" and terms.get("termination_date"):
        effect = f"la résiliation prend effet le {french(terms['termination_date'])}"
    return f"Chaque partie peut y mettre fin{how}{notice}" + (f" ; {effect}." if effect else ".")


# --- Generic outlines --------------------------------------------------------------------------

NATIONAL = (
    A(
        "",
        "Préambule",
        "Le ministère et {partner} partagent l’objectif d’une meilleure connaissance mutuelle de l’École et "
        "du monde économique. La présente convention en fixe le cadre national.",
    ),
    A("1", "Objet", "La convention porte sur {theme}.", "discovery"),
    A(
        "2",
        "Découverte des métiers et orientation",
        "Les parties développent les actions de découverte des métiers dans le cadre du parcours Avenir.",
        "discovery",
    ),
    A(
        "3",
        "Stages, PFMP et apprentissage",
        "Le partenaire incite ses membres à accueillir des élèves et des apprentis.",
        "reception",
    ),
    A("4", "Formation des personnels", "Immersions en entreprise et modules de formation communs.", "staff"),
    A(
        "5",
        "Déclinaison dans les académies",
        "Des conventions académiques ou de région académique précisent les actions sur chaque territoire.",
        "local",
    ),
    A("6", "Suivi et évaluation", "Un comité national se réunit une fois par an.", "governance"),
    A("7", "Communication", "L’usage des logos est soumis à l’accord de chaque partie.", "communication"),
    A("8", "Durée et résiliation", "{duration} {termination}"),
)

REGIONAL = (
    A(
        "",
        "Préambule",
        "{Edu} et {partner} conviennent de coordonner leurs actions à l’échelle de la région académique.",
    ),
    A("1", "Objet", "La convention porte sur {theme}.", "discovery"),
    A(
        "2",
        "Publics",
        "Collégiens, lycéens, apprentis, étudiants, familles et équipes éducatives des deux académies.",
    ),
    A(
        "3",
        "Axes de travail",
        "",
        children=(
            A("3.1", "Découverte des métiers", "Visites, témoignages, forums, Semaine École–Entreprise.", "discovery"),
            A("3.2", "Stages et PFMP", "Recherche de lieux de stage, pôles de stages, apprentissage.", "reception"),
            A("3.3", "Formation des personnels", "Immersions et formations communes.", "staff"),
        ),
    ),
    A("4", "Gouvernance", "Un comité régional se réunit une fois par an.", "governance"),
    A("5", "Durée", "{duration}"),
    A("6", "Résiliation", "{termination}"),
    A("7", "Litiges", "Règlement amiable, puis tribunal compétent."),
)

FRAMEWORK = (
    A("", "Préambule", "{Edu} et {partner} souhaitent structurer leur coopération au service des élèves."),
    A("1", "Objet", "La présente convention porte sur {theme}.", "discovery"),
    A(
        "2",
        "Axes de collaboration",
        "",
        children=(
            A(
                "2.1",
                "Orientation et découverte des métiers",
                "Interventions en classe, visites, forums et actions du parcours Avenir.",
                "discovery",
            ),
            A(
                "2.2",
                "Accueil des élèves",
                "Stages d’observation, stages de seconde, PFMP et apprentissage.",
                "reception",
            ),
            A("2.3", "Personnels", "Immersions d’enseignants et formations communes.", "staff"),
        ),
    ),
    A(
        "3",
        "Conventions locales",
        "Une convention locale peut lier un établissement et une entreprise dans le cadre de la présente convention.",
        "local",
    ),
    A("4", "Pilotage", "Un comité de pilotage se réunit une fois par an et dresse le bilan.", "governance"),
    A("5", "Communication", "Chaque partie présente le partenariat sur son site.", "communication"),
    A(
        "6",
        "Données personnelles",
        "Les données des élèves et des correspondants sont limitées au nécessaire et conservées le moins "
        "longtemps possible.",
        "data",
    ),
    A("7", "Durée", "{duration}"),
    A("8", "Résiliation", "{termination}"),
)

LOCAL = (
    A(
        "",
        "Préambule",
        "La présente convention locale est conclue dans le cadre de la convention « {parent} ».",
    ),
    A("1", "Objet", "Elle précise les engagements réciproques de deux parties : {company} et {school}.", "discovery"),
    A("2", "Engagements de l’entreprise", "Accueil d’élèves, visites et interventions en classe.", "reception"),
    A("3", "Engagements de l’établissement", "Préparation des élèves et suivi des actions.", "school"),
    A("4", "Suivi", "Un point annuel réunit le tuteur et le professeur référent.", "governance"),
    A(
        "5",
        "Confidentialité",
        "Les élèves et les enseignants sont tenus à la discrétion sur ce qu’ils apprennent dans l’entreprise.",
        "data",
    ),
    A("6", "Durée", "{duration} {termination}"),
)

APPLICATION = (
    A("1", "Objet", "La présente convention applique, pour {school_year}, la convention « {parent} ».", "discovery"),
    A("2", "Calendrier", "Les dates des actions sont arrêtées au plus tard un mois avant leur tenue.", "events"),
    A("3", "Rôle de chacun", "Chaque partie désigne un correspondant pour l’organisation.", "governance"),
    A("4", "Moyens", "Locaux, transport des élèves et intervenants sont précisés action par action.", "rooms"),
    A("5", "Bilan", "Un bilan écrit est établi à la fin de l’année scolaire.", "governance"),
    A("6", "Durée", "{duration} {termination}"),
)

OUTLINES: dict[str, tuple[ArticleText, ...]] = {
    "guidance_centre": GUIDANCE_CENTRE,
    "academy_employer_association": ACADEMY_EMPLOYER_ASSOCIATION,
    "social_economy_chamber": SOCIAL_ECONOMY_CHAMBER,
    "three_academies": THREE_ACADEMIES,
    "region_employers": REGION_EMPLOYERS,
    "national": NATIONAL,
    "regional": REGIONAL,
    "framework": FRAMEWORK,
    "local": LOCAL,
    "application": APPLICATION,
}

# --- Life events ------------------------------------------------------------

NOTICE_NOTES = {
    "partner": "Courrier du partenaire : réorganisation de son réseau, il ne souhaite pas poursuivre.",
    "academy": "Décision du comité de pilotage : une nouvelle convention sera proposée à la rentrée.",
    "company": "L’entreprise ferme son site de production dans le bassin.",
}
