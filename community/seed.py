"""Demo content of the community: vocabularies, about forty practitioners, the lab's events."""

from __future__ import annotations

import datetime
import random

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from faker import Faker

from community import services
from community.models import Discipline, Event, Method, Profile, Registration
from lab import access
from lab.lib.dates import paris_datetime
from lab.models import Organisation, Region, User
from programmes.models import Programme, Project
from superpublic.models import Closure, Space

DISCIPLINES = [
    ("Design", "Design"), ("Sociologie", "Sociology"), ("Ethnographie", "Ethnography"), ("Architecture", "Architecture"),
    ("Science politique", "Political science"), ("Management public", "Public management"), ("Arts", "Arts"),
    ("Recherche", "Research"), ("Innovation sociale", "Social innovation"),
]  # fmt: skip
METHODS = [
    ("Immersion ethnographique", "Ethnographic immersion"), ("Prototypage rapide", "Rapid prototyping"),
    ("Design de services", "Service design"), ("Personas", "Personas"), ("Prospective", "Foresight"),
    ("Co-conception", "Co-design"), ("Recherche-action", "Action research"),
]  # fmt: skip
# Each role in its masculine and feminine form, so that a title agrees with the name it goes with.
ROLES = [
    ("Designer de services", "Designer de services"),
    ("Chargé de mission innovation", "Chargée de mission innovation"),
    ("Sociologue", "Sociologue"),
    ("Directeur de l'action territoriale", "Directrice de l'action territoriale"),
    ("Ethnographe", "Ethnographe"),
    ("Architecte", "Architecte"),
    ("Chef de projet modernisation", "Cheffe de projet modernisation"),
    ("Chercheur associé", "Chercheuse associée"),
    ("Agent d'accueil", "Agente d'accueil"),
    ("Responsable du laboratoire d'innovation", "Responsable du laboratoire d'innovation"),
    ("Politiste", "Politiste"),
    ("Facilitateur", "Facilitatrice"),
]
# A practitioner's presentation, written in the first person from what the profile says
# (organisation, disciplines, methods, projects): example people, plausible and consistent.
OPENINGS = [
    "Je m'occupe de {theme} ({organisation}).",
    "{role}, je travaille sur {theme} avec les agents de terrain et les usagers.",
    "Depuis quelques années, j'accompagne des équipes publiques sur {theme}.",
]
MIDDLES = [
    "Formation d'origine : {discipline}. J'aime confronter les politiques publiques au terrain.",
    "Discipline de départ : {discipline} ; mon terrain, les guichets et les bureaux.",
    "Je fais le lien entre les services et leurs usagers, avec un regard venu de {discipline}.",
]
CLOSINGS = [
    "Mes outils de prédilection : {methods}.",
    "Je cherche d'autres praticiens avec qui échanger sur ces méthodes : {methods}.",
    "Volontiers disponible pour raconter ce qui a marché, et ce qui n'a pas marché.",
]
THEMES = [
    "l'accueil des publics", "la commande publique", "la politique jeunesse", "l'évaluation",
    "la mobilité en zone rurale", "la restauration scolaire", "l'accès aux droits",
    "la formation des agents", "la participation des habitants",
]  # fmt: skip
SEED_AFTER = [
    "superpublic"
]  # events hold Superpublic's rooms (lab/management/commands/seed_demo.py)
VISIBILITIES = ["public"] * 5 + ["members"] * 3 + ["hidden"] * 2


def run() -> None:
    disciplines = [
        Discipline.objects.update_or_create(slug=slugify(fr), defaults={"name": fr, "name_en": en})[
            0
        ]
        for fr, en in DISCIPLINES
    ]
    methods = [
        Method.objects.update_or_create(slug=slugify(fr), defaults={"name": fr, "name_en": en})[0]
        for fr, en in METHODS
    ]
    _profiles(disciplines, methods)
    _events()
    _trainings()


def _profiles(disciplines, methods) -> None:
    if Profile.objects.filter(slug__startswith="demo-").count() >= 40:
        return
    fake = Faker("fr_FR")
    fake.seed_instance(27)
    chance = random.Random(27)  # noqa: S311 (demo content, not security)
    organisations = list(Organisation.objects.select_related("region__successor"))
    regions = list(Region.objects.filter(generation="current"))
    projects = list(Project.objects.published())
    for n in range(40):
        feminine = n % 2 == 0
        first = fake.first_name_female() if feminine else fake.first_name_male()
        last = fake.last_name()
        organisation = chance.choice(organisations)
        role = chance.choice(ROLES)[1 if feminine else 0]
        email = f"{slugify(first)}.{slugify(last)}.{n}@praticiens.demo.test"
        user, _ = User.objects.get_or_create(
            email=email,
            defaults={"first_name": first, "last_name": last, "organisation": organisation},
        )
        user.set_unusable_password()
        user.save(update_fields=["password"])
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        visibility = VISIBILITIES[n % len(VISIBILITIES)]
        chosen_disciplines = chance.sample(disciplines, k=chance.randint(1, 2))
        chosen_methods = chance.sample(methods, k=chance.randint(1, 3))
        chosen_projects = (
            chance.sample(projects, k=min(2, len(projects))) if projects and n % 3 == 0 else []
        )
        words = {
            "organisation": organisation.name,
            "role": role,
            "theme": chance.choice(THEMES),
            "discipline": chosen_disciplines[0].name.lower(),  # "la" would not fit every name
            "methods": ", ".join(method.name.lower() for method in chosen_methods),
        }
        bio = " ".join(
            chance.choice(sentences).format(**words) for sentences in (OPENINGS, MIDDLES, CLOSINGS)
        )
        if chosen_projects:
            bio += " J'ai pris part à « " + chosen_projects[0].title + " »."
        region = organisation.region
        if region and region.successor_id:
            region = region.successor
        profile, created = Profile.objects.get_or_create(
            user=user,
            defaults={
                "display_name": f"{first} {last}", "slug": f"demo-{slugify(first)}-{slugify(last)}-{n}",
                "role": role, "region": region or chance.choice(regions), "bio": bio,
                "languages": chance.choice(["français", "français, anglais", "français, espagnol", "français, anglais, allemand"]),
                "visibility": visibility,
                "consent_at": timezone.now() if visibility != "hidden" else None,
                "consent_version": settings.COMMUNITY_POLICY_VERSION if visibility != "hidden" else "",
            },
        )  # fmt: skip
        if created:
            profile.disciplines.set(chosen_disciplines)
            profile.methods.set(chosen_methods)
            profile.projects.set(chosen_projects)


def _the_team() -> User:
    """The account in whose name the lab's own events hold their rooms: it has no password and
    no verified address, so nobody signs in with it; the seed lends it the team's powers, since
    the seed is the team's own programme (with or without the demo accounts)."""
    team, _ = User.objects.get_or_create(
        email="programmation@demo.test",
        defaults={"first_name": "La 27e Région", "last_name": "(programmation)"},
    )
    if team.has_usable_password() or not team.is_active:
        team.set_unusable_password()
        team.is_active = True
        team.save(update_fields=["password", "is_active"])
    team.__dict__["_reader"] = access.Reader(
        user=team, verified=True, staff_account=True, second_factor=True
    )
    return team


def _next_weekday(weekday: int, weeks: int) -> datetime.date:
    today = timezone.localdate()
    return today + datetime.timedelta(days=(weekday - today.weekday()) % 7 + 7 * weeks)


# (slug, title, kind, weekday, weeks ahead, days, start, end, capacity, audience,
#  members first by days, rooms, address, description)
EVENTS = [
    ("apero-27", "Apéro 27", "apero", 3, 1, 1, "18:30", "20:30", 40, "public", None, ["grande-salle"], "",
     "Le rendez-vous informel des agents publics qui innovent : trois projets racontés en cinq minutes, puis on discute."),
    ("remix-public", "Remix Public : l'accueil des publics", "remix", 2, 3, 1, "09:30", "17:30", 60, "public", 7,
     ["grande-salle"], "",
     "Une journée pour remixer, entre administrations, une question qui les traverse toutes : l'accueil des publics."),
    # The InterTransfos are held in the regions, not at Superpublic.
    ("intertransfo", "InterTransfo", "intertransfo", 3, 4, 1, "10:00", "17:00", 30, "members", None, [],
     "Dans l'une des régions de La Transfo, à tour de rôle",
     "La retraite semestrielle des équipes des Transfos : échanges de pratiques, échecs utiles, idées à reprendre."),
    # La Pointeuse lasts two days: the workshop holds its room each day, not the night between.
    ("atelier-la-pointeuse", "Atelier La Pointeuse", "workshop", 1, 5, 2, "09:00", "18:00", 20, "public", 14,
     ["atelier"], "",
     "Deux jours de prospective créative accélérée ; les adhérents et partenaires s'inscrivent en premier."),
]  # fmt: skip


def _events() -> None:
    """The lab's events, through the service that holds their rooms (Superpublic is seeded
    first: lab/management/commands/seed_demo.py), on the first free dates from the planned week
    (never in a closure, never on another booking)."""
    team = _the_team()
    now = timezone.now()
    for (
        slug, title, kind, weekday, weeks, days, start, end, capacity, audience, members_first_days,
        room_slugs, address, description,
    ) in EVENTS:  # fmt: skip
        event = Event.objects.filter(slug=slug).first()
        rooms = list(Space.objects.filter(slug__in=room_slugs))
        if event is not None and (event.booking_group_id or not rooms):
            continue  # in place (an older seed's event without its rooms gets them below)
        opens = now if not members_first_days else now + datetime.timedelta(days=members_first_days)
        event = event or Event(slug=slug)
        fields = {
            "title": title, "kind": kind, "capacity": capacity, "audience": audience,
            "description": description, "address": address, "registration_opens": opens,
            "members_registration_opens": now if members_first_days else None,
        }  # fmt: skip
        for name, value in fields.items():
            setattr(event, name, value)
        for extra in range(12):
            first = _next_weekday(weekday, weeks + extra)
            event.starts = paris_datetime(first, datetime.time.fromisoformat(start))
            event.ends = paris_datetime(
                first + datetime.timedelta(days=days - 1), datetime.time.fromisoformat(end)
            )
            if not rooms:
                if Closure.objects.filter(
                    all_spaces=True, period__overlap=(event.starts, event.ends)
                ).exists():
                    continue  # not during the lab's own break either
                event.full_clean()
                event.save()
                break
            try:
                with transaction.atomic():
                    services.event_schedule(event=event, rooms=rooms, by=team)
                break
            except ValidationError:
                if not Event.objects.filter(pk=event.pk).exists():  # its insert was undone
                    event.pk, event._state.adding = None, True
                continue


# Re-acteur Public's training strand: "Réenchantez l'action publique", three-day modules for
# 35 to 40 people, one test a year until 2017. Their dates and attendance are examples (the
# sources give neither), said so in their description; the attendance marked here is what the
# programme's training progress counts.
TRAININGS = [(2015, 5, 18), (2016, 5, 23), (2017, 5, 22)]


def _trainings() -> None:
    programme = Programme.objects.filter(slug="re-acteur-public").first()
    if programme is None:
        return
    people = list(User.objects.filter(email__endswith="@praticiens.demo.test").order_by("email"))
    for index, (year, month, day) in enumerate(TRAININGS):
        slug = f"reenchantez-l-action-publique-{year}"
        if Event.objects.filter(slug=slug).exists():
            continue
        first_day = datetime.date(year, month, day)
        event = Event.objects.create(
            slug=slug, kind=Event.Kind.TRAINING, programme=programme, capacity=40,
            title=f"Réenchantez l'action publique : module de trois jours ({year})",
            description=(
                "Le module de formation de Re-acteur Public, trois jours pour 35 à 40 agents. "
                "Dates et présences de démonstration : les sources n'en donnent pas le détail."
            ),
            starts=paris_datetime(first_day, datetime.time(9, 30)),
            ends=paris_datetime(first_day + datetime.timedelta(days=2), datetime.time(17, 30)),
            registration_opens=paris_datetime(first_day - datetime.timedelta(days=60), datetime.time(9)),
        )  # fmt: skip
        attended = paris_datetime(first_day, datetime.time(9, 30))
        for person in people[index * 6 : index * 6 + 6]:
            Registration.objects.create(
                event=event,
                user=person,
                status=Registration.Status.REGISTERED,
                attended_at=attended,
            )
