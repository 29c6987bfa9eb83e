import datetime

import factory
from django.core.files.base import ContentFile
from django.utils import timezone

from publications.models import Publication, PublicationFile
from publications.seed import pdf_bytes

# The fixed clock of the publications tests' catalogue: now, and the end of its priority window.
NOW = datetime.datetime(2026, 11, 22, 10, 0, tzinfo=datetime.UTC)
RELEASE = NOW + datetime.timedelta(days=30)


class PublicationFactory(factory.django.DjangoModelFactory):
    """A published book, public since yesterday, with one PDF (`public_from` for a window,
    `draft=True` for an unpublished one, `pdf=False` for none)."""

    class Meta:
        model = Publication
        django_get_or_create = ["slug"]
        skip_postgeneration_save = True

    slug = factory.Sequence(lambda n: f"publication-{n}")
    title = factory.LazyAttribute(lambda o: f"Titre {o.slug}")
    kind = Publication.Kind.BOOK
    year = 2026
    summary = factory.LazyAttribute(lambda o: f"Résumé {o.slug}")
    body = factory.LazyAttribute(lambda o: f"Corps {o.slug}")
    status = Publication.Status.PUBLISHED
    published_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(days=1))
    public_from = None

    class Params:
        draft = factory.Trait(status=Publication.Status.DRAFT, published_at=None)

    @factory.post_generation
    def pdf(obj, create, extracted, **kwargs):
        if create and extracted is not False:
            file = PublicationFile(
                publication=obj, label="PDF", content_type="application/pdf", size=10
            )
            file.file.save(f"{obj.slug}.pdf", ContentFile(pdf_bytes(obj.slug)), save=False)
            file.save()
