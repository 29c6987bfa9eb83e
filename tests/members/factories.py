import factory

from lab.models import Membership
from members.models import Application, OrganisationPage, Referent, Team
from tests.lab.factories import OrganisationFactory, UserFactory


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A new application from a council not yet known to the platform."""

    class Meta:
        model = Application

    organisation_name = factory.Sequence(lambda n: f"Commune candidate {n}")
    body_kind = Application.BodyKind.COMMUNE
    tier = Membership.Tier.MEMBER
    contact_name = "Camille Martin"
    contact_email = factory.Sequence(lambda n: f"contact{n}@commune.fr")
    message = "Nous aimerions rejoindre le réseau."
    status = Application.Status.NEW


class ReferentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Referent

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory, organisation=factory.SelfAttribute("..organisation"))


class OrganisationPageFactory(factory.django.DjangoModelFactory):
    """An organisation that chose to have its public page."""

    class Meta:
        model = OrganisationPage
        django_get_or_create = ["organisation"]

    organisation = factory.SubFactory(OrganisationFactory)
    listed = True


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Labo {n}")
