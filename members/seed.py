"""Demo content of the membership app (called by `seed_demo`): the Région Pays de la Loire's
referent, the public pages of two member councils, and the Labo that Champagne-Ardenne made
official after its Transfo (SOURCES: 24 April 2015)."""

from __future__ import annotations

import datetime

from lab.models import Organisation, User
from members.models import OrganisationPage, Referent, Team
from programmes.selectors import projects_hosted_by

REFERENTS = [("referente@demo.test", "region-pays-de-la-loire")]
LISTED = {
    "region-pays-de-la-loire": "Région adhérente depuis 2012, hôte de La Transfo de 2012 à 2014 : "
    "la prospective au service de l'innovation régionale.",
    "region-champagne-ardenne": "Région adhérente de 2012 à la réforme de 2016 ; sa Transfo a "
    "donné naissance à un « Labo » interne.",
}
TEAMS = [
    (
        "region-champagne-ardenne",
        "Le Labo de la Région Champagne-Ardenne",
        datetime.date(2015, 4, 24),
        "la-transfo-champagne-ardenne",
        "Une équipe d'innovation interne, officialisée par la région après La Transfo.",
    ),
]


def run() -> None:
    for email, slug in REFERENTS:
        user = User.objects.filter(email=email).first()
        if user is not None:  # only with --accounts
            Referent.objects.update_or_create(
                user=user, defaults={"organisation": Organisation.objects.get(slug=slug)}
            )
    for slug, presentation in LISTED.items():
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is not None:
            OrganisationPage.objects.update_or_create(
                organisation=organisation,
                defaults={"listed": True, "presentation": presentation},
            )
    for slug, name, founded, project_slug, description in TEAMS:
        organisation = Organisation.objects.filter(slug=slug).first()
        if organisation is None:
            continue
        Team.objects.update_or_create(
            organisation=organisation,
            name=name,
            defaults={
                "founded": founded,
                "project": projects_hosted_by(organisation.pk).filter(slug=project_slug).first(),
                "description": description,
            },
        )
