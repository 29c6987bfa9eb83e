import datetime

import factory
from django.conf import settings
from django.utils import timezone

from community.models import Discipline, Event, Method, Profile, Registration
from tests.lab.factories import UserFactory


class DisciplineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Discipline
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Discipline {n}")
    name_en = factory.LazyAttribute(lambda o: o.name)
    slug = factory.Sequence(lambda n: f"discipline-{n}")


class MethodFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Method
        django_get_or_create = ["slug"]

    name = factory.Sequence(lambda n: f"Méthode {n}")
    name_en = factory.LazyAttribute(lambda o: o.name)
    slug = factory.Sequence(lambda n: f"methode-{n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    """A public profile whose owner consented to the current policy (`consented=False`: not
    yet); `disciplines=[...]` and `projects=[...]` link it."""

    class Meta:
        model = Profile
        skip_postgeneration_save = True

    class Params:
        consented = True

    user = factory.SubFactory(UserFactory)
    display_name = factory.LazyAttribute(lambda o: o.user.get_full_name() or o.user.email)
    slug = factory.Sequence(lambda n: f"praticien-{n}")
    role = "Designer de services"
    visibility = Profile.Visibility.PUBLIC
    consent_at = factory.LazyAttribute(lambda o: timezone.now() if o.consented else None)
    consent_version = factory.LazyAttribute(
        lambda o: settings.COMMUNITY_POLICY_VERSION if o.consented else ""
    )

    @factory.post_generation
    def disciplines(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.disciplines.set(extracted)

    @factory.post_generation
    def projects(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.projects.set(extracted)


class EventFactory(factory.django.DjangoModelFactory):
    """A public Apéro 27 next week, registrations open."""

    class Meta:
        model = Event
        django_get_or_create = ["slug"]

    title = "Apéro 27"
    slug = factory.Sequence(lambda n: f"evenement-{n}")
    kind = Event.Kind.APERO
    starts = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=7))
    ends = factory.LazyAttribute(lambda o: o.starts + datetime.timedelta(hours=2))
    capacity = 30
    registration_opens = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration

    event = factory.SubFactory(EventFactory)
    user = factory.SubFactory(UserFactory)
    status = Registration.Status.REGISTERED
