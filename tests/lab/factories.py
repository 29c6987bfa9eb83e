import datetime

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from lab.models import EmailDomain, Membership, Organisation, OutgoingEmail, Region, User


def region(slug: str) -> Region:
    """Regions come from a data migration; tests look them up by slug."""
    return Region.objects.get(slug=slug)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Collectivité {n}")
    slug = factory.Sequence(lambda n: f"collectivite-{n}")
    kind = Organisation.Kind.REGIONAL_COUNCIL
    region = factory.LazyFunction(lambda: region("pays-de-la-loire"))


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organisation = factory.SubFactory(OrganisationFactory)
    tier = Membership.Tier.MEMBER
    starts = factory.LazyFunction(lambda: timezone.localdate() - datetime.timedelta(days=365))
    ends = None


class EmailDomainFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = EmailDomain

    organisation = factory.SubFactory(OrganisationFactory)
    domain = factory.Sequence(lambda n: f"collectivite{n}.fr")


class UserFactory(factory.django.DjangoModelFactory):
    """A user with a verified primary address (allauth's EmailAddress)."""

    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = "Claude"
    last_name = factory.Sequence(lambda n: f"Martin{n}")
    password = factory.django.Password("un-mot-de-passe-solide")
    organisation = None

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        if create:
            EmailAddress.objects.create(
                user=obj, email=obj.email, primary=True, verified=extracted is not False
            )


class OutgoingEmailFactory(factory.django.DjangoModelFactory):
    """An email waiting in the outbox (`status`, `sent_at`, `created_at` to age it)."""

    class Meta:
        model = OutgoingEmail

    template = "account/confirm_email"
    to = factory.LazyFunction(lambda: ["personne@exemple.fr"])
