"""Demo content of the programme catalogue, written from the lab's own sources."""

from __future__ import annotations

import datetime

from django.utils.text import slugify

from lab.models import Organisation, Region
from programmes.models import Phase, Programme, Project, Theme

THEMES = [
    "Accueil des publics", "Alimentation", "Commande publique", "Démocratie", "Développement économique",
    "Éducation", "Évaluation", "Formation des agents", "Jeunesse", "Mobilité", "Prospective",
    "Ruralité", "Santé et social",
]  # fmt: skip

PROGRAMMES = [
    {
        "slug": "territoires-en-residences",
        "name": "Territoires en résidences",
        "order": 1,
        "tagline": "Une équipe pluridisciplinaire s'installe chez vous et regarde votre service avec les yeux de ses usagers.",
        "format": "Résidence de 4 à 5 résidents et un agent de la collectivité, trois fois une semaine sur le terrain",
        "typical_duration": "6 à 7 mois",
        "start_year": 2009,
        "status": "active",
        "description": (
            "Le premier programme du laboratoire, lancé en 2009. Designers, sociologues, architectes, "
            "innovateurs sociaux, chercheurs ou artistes s'installent avec un agent de la collectivité "
            "dans un lieu bien réel : un quartier, un lycée, un centre de services. Ils y vivent trois "
            "semaines d'immersion, espacées, pour comprendre le quotidien des usagers et des agents.\n\n"
            "Depuis 2009, plus de seize sites ont accueilli une résidence, sur l'éducation, la santé, "
            "la mobilité, la démocratie ou la commande publique."
        ),
        "objectives": (
            "- remettre les usagers au centre de la conception des politiques publiques ;\n"
            "- mener une recherche-action courte : rencontrer et analyser, prototyper et tester, transmettre ;\n"
            "- croiser les disciplines et les regards ;\n"
            "- documenter la démarche en libre accès."
        ),
        # What comes out of a residency (maps of actors, usage scenarios, prototypes) is
        # documented openly under Creative Commons: no member privilege to claim here.
        "member_benefits": "",
        # Three one-week immersions spread over about seven months (weeks 0, 13 and 26).
        "phases": [
            (
                "Première semaine de résidence",
                1,
                0,
                "Rencontrer et analyser : observer le lieu, écouter usagers et agents.",
            ),
            (
                "Deuxième semaine de résidence",
                1,
                13,
                "Prototyper et tester sur place les premières pistes, avec les acteurs.",
            ),
            (
                "Troisième semaine de résidence",
                1,
                26,
                "Transmettre : cartes d'acteurs, scénarios d'usage, prototypes de services.",
            ),
        ],
    },
    {
        "slug": "la-transfo",
        "name": "La Transfo",
        "order": 2,
        "tagline": "Prototyper avec une région son propre laboratoire d'innovation, au sein même de l'administration.",
        "format": "Une équipe pluridisciplinaire intégrée dix semaines, réparties sur environ trois ans, comme laboratoire temporaire",
        "typical_duration": "2 à 3 ans",
        "start_year": 2011,
        "status": "active",
        "description": (
            "Programme inter-régional lancé en 2011. Une équipe pluridisciplinaire s'installe par "
            "périodes dans l'administration régionale et travaille un thème avec les agents, les élus, "
            "les habitants et les acteurs locaux. Une quinzaine d'agents sont accompagnés pendant deux "
            "ans ; dès le deuxième mois, ils prototypent et testent eux-mêmes leurs idées (personas, "
            "modèles de service). Des chantiers concrets en sont sortis, comme « repenser la carte "
            "Lycéo » ou « mieux manger au lycée ».\n\n"
            "Tous les six mois, les InterTransfos réunissent les équipes des différentes régions. Une "
            "seconde saison, depuis 2016, associe une dizaine de nouvelles collectivités : villes, "
            "départements, régions et grands organismes publics."
        ),
        "objectives": (
            "- installer dans la collectivité une fonction « design et innovation » qui lui appartienne ;\n"
            "- former les agents par la pratique ;\n"
            "- mettre en œuvre les idées, pas seulement les produire : la moitié des idées des premières "
            "Transfos l'ont été, comme Hub PME, une demande d'aide bien plus simple pour les petites entreprises."
        ),
        "member_benefits": "",
        # About ten weeks of presence spread over up to three years: here one week each
        # quarter, a rhythm given as an example that staff adjust per edition.
        "phases": [
            (f"Semaine de présence n° {n}", 1, 13 * (n - 1), description)
            for n, description in enumerate(
                [
                    "Immersion : l'équipe découvre l'administration, ses publics, et le thème se choisit.",
                    "Les agents prototypent et testent eux-mêmes leurs idées (personas, modèles de service).",
                    *[
                        "Travail avec les agents, les élus, les habitants et les acteurs locaux ; "
                        "tous les six mois, une InterTransfo réunit les équipes des régions."
                    ]
                    * 7,
                    "La collectivité fait vivre sa propre équipe d'innovation : ce qu'elle reprend, avec qui.",
                ],
                start=1,
            )
        ],
    },
    {
        "slug": "re-acteur-public",
        "name": "Re-acteur Public",
        "order": 3,
        "tagline": "Un consortium État, régions et départements pour outiller les agents et raconter une autre administration.",
        "format": "Quatre volets : communauté, prospective, formation, publications",
        "typical_duration": "4 ans (2014-2017)",
        "start_year": 2014,
        "status": "archived",
        "description": (
            "Lancé en mai 2014 avec l'État (le programme Futurs Publics du SGMAP), des régions "
            "(Rhône-Alpes, Centre, Bretagne et Pays de la Loire en tête) et des départements. "
            "Objectif affiché : former 2 000 agents en quatre ans."
        ),
        "objectives": (
            "- **faire communauté** : Remix Public, Apéros 27, Superpublic, journées d'été des résidents, who's who ;\n"
            "- **imaginer l'administration de demain** : La Pointeuse, prospective créative accélérée en deux jours ;\n"
            "- **outiller les agents publics** : modules « Réenchantez l'action publique », journées de sensibilisation, modules avec l'ENA ;\n"
            "- **diffuser de nouveaux récits** : livres, cahiers, catalogues d'exposition, vidéos, expositions."
        ),
        "member_benefits": (
            "Accès prioritaire aux productions et possibilité de coédition ; accès prioritaire aux "
            "ateliers La Pointeuse, aux expérimentations et aux modules de formation ; invitations aux "
            "rencontres ; accès privilégié à Superpublic ; accès au who's who."
        ),
        "training_target": 2000,
        "training_target_years": 4,
        "phases": [
            ("Faire communauté", None, None, "Rencontres, lieux et annuaire des praticiens."),
            (
                "Imaginer l'administration de demain",
                None,
                None,
                "La Pointeuse et ses ateliers de prospective.",
            ),
            (
                "Outiller les agents publics",
                None,
                None,
                "Modules de formation de trois jours pour 35 à 40 personnes.",
            ),
            (
                "Diffuser de nouveaux récits",
                None,
                None,
                "Une collection de publications et d'expositions.",
            ),
        ],
    },
]

# (slug, title, programme, host, region, start, end, status, themes, summary, body, outcomes, participants, starts_on, ends_on)
PROJECTS = [
    (
        "la-transfo-bourgogne",
        "La Transfo Bourgogne : la ruralité en prospective",
        "la-transfo",
        "region-bourgogne",
        "bourgogne",
        2011,
        2013,
        "completed",
        ["Ruralité", "Prospective"],
        "Une immersion prospective dans la Bourgogne rurale : comment l'action régionale peut-elle mieux vivre avec des territoires peu denses ?",
        "Première des quatre Transfos. L'équipe a sillonné les bourgs et les campagnes bourguignonnes avec les agents de la région pour imaginer les services publics de territoires ruraux en mutation.",
        "Des pistes de services itinérants et mutualisés, et une équipe d'agents formés aux méthodes du design.",
        None,
        None,
        None,
    ),
    (
        "la-transfo-champagne-ardenne",
        "La Transfo Champagne-Ardenne : repenser la politique jeunesse",
        "la-transfo",
        "region-champagne-ardenne",
        "champagne-ardenne",
        2011,
        2014,
        "completed",
        ["Jeunesse"],
        "Repenser la politique régionale de jeunesse pour renforcer le travail transversal entre services.",
        "Les agents de plusieurs directions ont travaillé ensemble, avec des jeunes, sur la façon dont la région conçoit et fait connaître ses dispositifs.",
        "La première promotion, une quinzaine d'agents, a créé sa propre équipe d'innovation : la région a officialisé son « Labo » le 24 avril 2015. Le réseau des agents des Transfos est passé de 15 à 70 personnes. La moitié des idées produites dans les premières Transfos ont été mises en œuvre ; les nombres d'idées saisis ici sont un exemple qui respecte cette proportion.",
        15,
        None,
        None,
    ),
    (
        "la-transfo-pays-de-la-loire",
        "La Transfo Pays de la Loire : la prospective au service de l'innovation régionale",
        "la-transfo",
        "region-pays-de-la-loire",
        "pays-de-la-loire-avant-2016",
        2012,
        2014,
        "completed",
        ["Prospective", "Développement économique"],
        "Mettre la prospective au service de l'innovation régionale, avec une quinzaine d'agents formés en faisant.",
        "L'équipe a accompagné les agents de la région dans l'exploration de futurs possibles pour l'action régionale, puis dans le prototypage de services.",
        "Une communauté d'agents innovateurs au sein de la région et des prototypes repris par les services.",
        None,
        None,
        None,
    ),
    (
        "la-transfo-provence-alpes-cote-d-azur",
        "La Transfo Provence-Alpes-Côte d'Azur : de l'emploi des jeunes à un Labo régional",
        "la-transfo",
        "region-provence-alpes-cote-d-azur",
        "provence-alpes-cote-d-azur-avant-2016",
        2012,
        2014,
        "completed",
        ["Jeunesse", "Développement économique", "Éducation"],
        "Partie de l'emploi des jeunes et des lycées, la Transfo a préparé la création d'un laboratoire régional.",
        "Travail de terrain auprès des lycéens, des missions locales et des entreprises, puis prototypes testés avec les agents.",
        "Un projet de Labo régional porté par la région elle-même.",
        None,
        None,
        None,
    ),
    (
        "residence-hopital-nord-aix-marseille",
        "L'hôpital Nord dans la métropole Aix-Marseille Provence",
        "territoires-en-residences",
        "mission-metropole-aix-marseille-provence",
        "provence-alpes-cote-d-azur-avant-2016",
        2014,
        None,
        "planned",
        ["Santé et social", "Mobilité"],
        "Quelle place pour l'hôpital Nord dans la future métropole ? Une résidence sur l'accès aux soins et les déplacements.",
        "Les résidents ont suivi patients, soignants et riverains pour comprendre comment on vient à l'hôpital et ce qu'il représente pour les quartiers nord.",
        "",
        None,
        None,
        None,
    ),
    (
        "residence-val-de-marne-accueil",
        "Accueil et accès aux services publics dans le Val-de-Marne",
        "territoires-en-residences",
        "cd-val-de-marne",
        "ile-de-france-avant-2016",
        2014,
        None,
        "planned",
        ["Accueil des publics"],
        "Comment améliorer l'accueil et l'accès aux services du département ? Une résidence aux guichets.",
        "Les résidents se sont installés dans des lieux d'accueil du conseil général pour observer les parcours des usagers et les conditions de travail des agents.",
        "",
        None,
        None,
        None,
    ),
    (
        "residence-meurthe-et-moselle-centres-medico-sociaux",
        "Les centres médico-sociaux de Meurthe-et-Moselle",
        "territoires-en-residences",
        "cd-meurthe-et-moselle",
        "lorraine",
        2014,
        None,
        "planned",
        ["Santé et social", "Accueil des publics"],
        "Une résidence dans les centres médico-sociaux du département : accueil, attente, accompagnement.",
        "L'équipe a partagé le quotidien des travailleurs sociaux et des usagers pour repenser l'organisation et l'accueil des centres.",
        "",
        None,
        None,
        None,
    ),
    (
        "residence-ville-de-paris-accueil-mairie",
        "L'accueil en mairie à Paris",
        "territoires-en-residences",
        "ville-de-paris",
        "ile-de-france-avant-2016",
        2014,
        None,
        "planned",
        ["Accueil des publics", "Démocratie"],
        "Repenser l'accueil dans les mairies parisiennes, du hall d'entrée au guichet.",
        "Observation des parcours et prototypes d'accueil testés avec les agents d'une mairie d'arrondissement.",
        "",
        None,
        None,
        None,
    ),
    (
        "residence-rhone-alpes-achats-durables",
        "Les achats durables de la région Rhône-Alpes",
        "territoires-en-residences",
        "region-rhone-alpes",
        "rhone-alpes",
        2012,
        2012,
        "completed",
        ["Commande publique"],
        "Une résidence sur la commande publique durable : comment acheteurs et fournisseurs peuvent-ils mieux travailler ensemble ?",
        "En mars 2012, les résidents ont suivi les acheteurs de la région et rencontré des fournisseurs pour rendre les achats plus durables et plus simples.",
        "",
        None,
        datetime.date(2012, 3, 1),
        datetime.date(2012, 3, 31),
    ),
    (
        "residence-hauts-de-garonne",
        "Résidence n° 6 : les Hauts-de-Garonne",
        "territoires-en-residences",
        "hauts-de-garonne",
        "aquitaine",
        2009,
        2009,
        "completed",
        ["Éducation", "Démocratie"],
        "La sixième résidence du programme, de juin à décembre 2009, sur la rive droite de Bordeaux.",
        "Une résidence des débuts du programme, qui a éprouvé le format en trois semaines d'immersion.",
        "",
        None,
        datetime.date(2009, 6, 1),
        datetime.date(2009, 12, 31),
    ),
    (
        "residence-bretagne-gares-regionales",
        "L'avenir des gares régionales en Bretagne",
        "territoires-en-residences",
        "region-bretagne",
        "bretagne-avant-2016",
        2014,
        None,
        "planned",
        ["Mobilité"],
        "Avec la région Bretagne et la SNCF, imaginer l'avenir des petites gares régionales.",
        "Les résidents ont passé du temps dans des gares bretonnes avec voyageurs, agents et élus pour imaginer de nouveaux usages.",
        "",
        None,
        None,
        None,
    ),
    (
        "la-pointeuse-reporting-mon-amour",
        "La Pointeuse : « Reporting mon amour »",
        "re-acteur-public",
        "sgmap",
        "ile-de-france",
        2015,
        2015,
        "completed",
        ["Évaluation", "Prospective"],
        "Le premier test de La Pointeuse, deux jours de prospective créative accélérée sur l'évaluation des politiques publiques.",
        "Agents, chercheurs et designers ont imaginé en deux jours d'autres manières de rendre compte de l'action publique.",
        "",
        None,
        None,
        None,
    ),
    (
        "reenchantez-l-action-publique",
        "Réenchantez l'action publique",
        "re-acteur-public",
        "sgmap",
        "ile-de-france",
        2015,
        2017,
        "completed",
        ["Formation des agents"],
        "Des modules de formation de trois jours pour 35 à 40 agents, un test par an jusqu'en 2017.",
        "Le volet formation de Re-acteur Public : des modules pratiques, des journées de sensibilisation pour 150 à 200 cadres et des modules avec l'ENA.",
        "",
        40,
        None,
        None,
    ),
    (
        "remix-public",
        "Remix Public",
        "re-acteur-public",
        "sgmap",
        "ile-de-france",
        2014,
        2017,
        "completed",
        ["Démocratie"],
        "Un rendez-vous pour travailler ensemble des questions transversales, entre agents de toutes les administrations.",
        "Le volet communauté de Re-acteur Public, avec les Apéros 27, Superpublic et les journées d'été des résidents.",
        "",
        None,
        None,
        None,
    ),
]

# The residencies the 2014 brochure lists as upcoming: their year is the brochure's, their
# dates and outcome unknown to these sources.
ANNOUNCED_IN_2014 = {
    "residence-hopital-nord-aix-marseille", "residence-val-de-marne-accueil",
    "residence-meurthe-et-moselle-centres-medico-sociaux", "residence-ville-de-paris-accueil-mairie",
    "residence-bretagne-gares-regionales",
}  # fmt: skip
ANNOUNCED = "Annoncée en 2014 parmi les résidences à venir ; ses dates et ses suites ne sont pas documentées ici."

# Figures per project (the home page sums them). The sources give the first Transfos' network
# (15 agents grown to 70) and a proportion of ideas implemented (half); the idea counts are an
# example keeping that proportion, as the project's text says.
FIGURES = {
    "la-transfo-champagne-ardenne": {"participants": 15, "network_size": 70,
                                     "ideas_generated": 12, "ideas_implemented": 6},
}  # fmt: skip

EXTRA_HOSTS = [
    ("hauts-de-garonne", "Hauts-de-Garonne (rive droite de Bordeaux)", "city", "aquitaine")
]


def run() -> None:
    themes = {}
    for name in THEMES:
        themes[name], _ = Theme.objects.update_or_create(
            slug=slugify(name), defaults={"name": name}
        )
    for slug, name, kind, region in EXTRA_HOSTS:
        Organisation.objects.update_or_create(
            slug=slug,
            defaults={"name": name, "kind": kind, "region": Region.objects.get(slug=region)},
        )
    for data in PROGRAMMES:
        data = dict(data)
        phases = data.pop("phases")
        programme, _ = Programme.objects.update_or_create(slug=data.pop("slug"), defaults=data)
        for order, (name, weeks, starts_week, description) in enumerate(phases, start=1):
            Phase.objects.update_or_create(
                programme=programme,
                order=order,
                defaults={"name": name, "weeks": weeks, "starts_week": starts_week,
                          "description": description},
            )  # fmt: skip
        programme.phases.filter(order__gt=len(phases)).delete()
    for (slug, title, programme, host, region, start, end, status, theme_names, summary, body, outcomes,
         participants, starts_on, ends_on) in PROJECTS:  # fmt: skip
        if slug in ANNOUNCED_IN_2014:
            body = f"{ANNOUNCED} {body}"
        project, _ = Project.objects.update_or_create(
            slug=slug,
            defaults={
                "title": title,
                "programme": Programme.objects.get(slug=programme),
                "host": Organisation.objects.get(slug=host),
                "region": Region.objects.get(slug=region),
                "start_year": start,
                "end_year": end,
                "status": status,
                "summary": summary,
                "body": body,
                "outcomes": outcomes,
                "participants": participants,
                "starts_on": starts_on,
                "ends_on": ends_on,
                "published": True,
            },
        )
        project.themes.set([themes[name] for name in theme_names])
        if slug in FIGURES:
            Project.objects.filter(pk=project.pk).update(**FIGURES[slug])
