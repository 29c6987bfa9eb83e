import datetime

import factory

from programmes.models import Phase, Programme, ProgrammeRequest, Project, Theme
from tests.lab.factories import OrganisationFactory, UserFactory, region


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Thème {n}")
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Programme {n}")
    slug = factory.Sequence(lambda n: f"programme-{n}")
    tagline = "Une promesse claire."
    description = "Un programme **pluridisciplinaire**."
    format = "Trois semaines d'immersion"
    typical_duration = "6 mois"
    start_year = 2011


class PhaseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Phase

    programme = factory.SubFactory(ProgrammeFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Phase {n}")
    weeks = 1


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Projet {n}")
    slug = factory.Sequence(lambda n: f"projet-{n}")
    programme = factory.SubFactory(ProgrammeFactory)
    host = factory.SubFactory(OrganisationFactory)
    region = factory.LazyFunction(lambda: region("bretagne"))
    start_year = 2012
    end_year = 2013
    status = Project.Status.COMPLETED
    summary = "Un résumé."
    body = ""
    published = True

    @factory.post_generation
    def themes(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.themes.set(extracted)


class ProgrammeRequestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProgrammeRequest

    programme = factory.SubFactory(ProgrammeFactory)
    requester = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    organisation_name = factory.LazyAttribute(
        lambda o: o.organisation.name if o.organisation else ""
    )
    need = "Repenser l'accueil de nos usagers."
    desired_start = datetime.date(2027, 3, 3)
    desired_end = datetime.date(2027, 9, 30)
    expected_participants = 12
    phone = "01 83 62 98 27"
    status = ProgrammeRequest.Status.ACCEPTED
