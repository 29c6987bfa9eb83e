"""The publication collection, with a priority window for members and partners."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lab import access
from lab.lib.uploads import validate_image_size
from lab.lib.urls import slug_url
from lab.models import Organisation
from lab.search import search_vector
from programmes.models import Project, Theme
from publications.storage import private_storage
from publications.validators import validate_publication_file

ISBN_VALIDATOR = RegexValidator(
    r"^(97[89][- ]?)?[0-9][- 0-9]{7,14}[0-9Xx]$",
    _("Saisissez un ISBN, par exemple 978-2-11-009932-7."),
)


class PublicationQuerySet(models.QuerySet):
    def published(self) -> PublicationQuerySet:
        return self.filter(status=Publication.Status.PUBLISHED, published_at__lte=timezone.now())

    def public(self) -> PublicationQuerySet:
        """Published and past their priority window, as of this very request."""
        return self.published().filter(
            Q(public_from__isnull=True) | Q(public_from__lte=timezone.now())
        )

    def in_window(self) -> PublicationQuerySet:
        return self.published().filter(public_from__gt=timezone.now())

    def visible_to(self, user) -> PublicationQuerySet:
        """What a person may see at least the teaser of: drafts for staff only."""
        if access.reader(user).staff:
            return self.all()
        return self.published()

    def readable_by(self, user) -> PublicationQuerySet:
        """What a person may read and download in full (feeds and APIs use this)."""
        if access.reader(user).staff:
            return self.all()
        if access.reader(user).privileged:
            return self.published()
        public = self.public()
        if access.reader(user).verified and user.organisation_id:
            return (public | self.published().filter(co_editors=user.organisation_id)).distinct()
        return public


# What anyone who may see a publication may see of it (its teaser), in the page, the list,
# the API and its metadata; the rest waits until they may read it (publications/permissions.py).
TEASER_FIELDS = ("title", "subtitle", "summary", "cover", "kind", "year", "themes")


class Publication(models.Model):
    class Kind(models.TextChoices):
        BOOK = "book", _("Livre")
        NOTEBOOK = "notebook", _("Cahier")
        REPORT = "report", _("Rapport")
        CATALOGUE = "catalogue", _("Catalogue d'exposition")
        VIDEO = "video", _("Vidéo")
        DOCUMENTARY = "documentary", _("Documentaire")
        WEB = "web", _("Site ou interface web")
        OTHER = "other", _("Autre")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Brouillon")
        PUBLISHED = "published", _("Publiée")

    title = models.CharField(_("titre"), max_length=250)
    slug = models.SlugField(_("identifiant d'URL"), max_length=250, unique=True)
    subtitle = models.CharField(_("sous-titre"), max_length=250, blank=True)
    kind = models.CharField(_("type"), max_length=12, choices=Kind.choices)
    summary = models.TextField(_("résumé"), max_length=2000)
    body = models.TextField(_("présentation"), blank=True, help_text=_("Markdown."))
    cover = models.ImageField(
        _("couverture"),
        upload_to="publications/covers/",
        blank=True,
        validators=[validate_image_size],
    )
    authors = models.CharField(_("auteurs"), max_length=500, blank=True)
    publisher = models.CharField(_("éditeur"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True, validators=[ISBN_VALIDATOR])
    year = models.PositiveSmallIntegerField(
        _("année"), validators=[MinValueValidator(2008), MaxValueValidator(2100)]
    )
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="publications", verbose_name=_("thèmes")
    )
    related_projects = models.ManyToManyField(
        Project, blank=True, related_name="publications", verbose_name=_("projets liés")
    )
    co_editors = models.ManyToManyField(
        Organisation, blank=True, related_name="coedited_publications", verbose_name=_("coéditeurs"),
        help_text=_("Leurs membres lisent la publication dès sa parution, comme les adhérents."),
    )  # fmt: skip
    licence = models.CharField(_("licence"), max_length=100, blank=True, default="CC BY-SA 4.0")
    external_url = models.URLField(
        _("lien externe"), blank=True, help_text=_("Pour une vidéo ou un site.")
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    published_at = models.DateTimeField(_("parue le"), null=True, blank=True)
    public_from = models.DateTimeField(
        _("publique à partir du"), null=True, blank=True,
        help_text=_("Heure de Paris. Avant, seuls les adhérents, partenaires et coéditeurs y ont accès. Vide : publique dès la parution."),
    )  # fmt: skip
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_document = models.GeneratedField(
        expression=search_vector(
            ("title", "A"), ("subtitle", "B"), ("authors", "B"), ("summary", "B"), ("body", "C")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )
    # What the teaser shows (TEASER_FIELDS), the only text searched for those who may not
    # read the publication yet: its authors and body must not be testable word by word.
    teaser_document = models.GeneratedField(
        expression=search_vector(("title", "A"), ("subtitle", "B"), ("summary", "B")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = PublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-year", "title"]
        indexes = [
            GinIndex(fields=["search_document"], name="publication_search_gin"),
            GinIndex(fields=["teaser_document"], name="publication_teaser_gin"),
            models.Index(
                fields=["status", "published_at", "public_from"], name="publication_release_idx"
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(published_at__isnull=False),
                name="publication_published_has_date",
                violation_error_message=_("Une publication parue a une date de parution."),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("publications:detail", self.slug)

    @property
    def kind_label(self) -> str:
        """get_kind_display() without rebuilding the choices' dict on each call (lists)."""
        return str(self.Kind(self.kind).label)

    @property
    def is_published(self) -> bool:
        return (
            self.status == self.Status.PUBLISHED
            and self.published_at is not None
            and self.published_at <= timezone.now()
        )

    @property
    def in_window(self) -> bool:
        return (
            self.is_published and self.public_from is not None and self.public_from > timezone.now()
        )


class PublicationFile(models.Model):
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="files", verbose_name=_("publication")
    )
    file = models.FileField(
        _("fichier"),
        storage=private_storage,
        upload_to="publications/%Y/",
        validators=[validate_publication_file],
    )
    label = models.CharField(_("intitulé"), max_length=200)
    size = models.PositiveBigIntegerField(_("taille"), default=0, editable=False)
    content_type = models.CharField(
        _("type de contenu"), max_length=100, editable=False, default=""
    )
    downloads = models.PositiveIntegerField(_("téléchargements"), default=0, editable=False)

    class Meta:
        verbose_name = _("fichier")
        verbose_name_plural = _("fichiers")
        ordering = ["pk"]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        return reverse("publications:download", args=[self.publication.slug, self.pk])


class Download(models.Model):
    """One download, counted by organisation (no person is recorded)."""

    file = models.ForeignKey(
        PublicationFile, on_delete=models.CASCADE, related_name="download_records"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    in_window = models.BooleanField(default=False)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("téléchargement")
        verbose_name_plural = _("téléchargements")
        indexes = [models.Index(fields=["file", "organisation"], name="download_file_org_idx")]

    def __str__(self) -> str:
        return f"{self.file} · {self.organisation or '—'} · {self.at:%Y-%m-%d}"


class ReaderPreference(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reader_preference"
    )
    priority_alerts = models.BooleanField(
        _("me prévenir des parutions en accès prioritaire"), default=False
    )

    class Meta:
        verbose_name = _("préférence de lecture")
        verbose_name_plural = _("préférences de lecture")

    def __str__(self) -> str:
        return str(self.user)


class ReleaseAlert(models.Model):
    """Someone asked to be told when a publication becomes public ("prévenez-moi à la sortie")."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="release_alerts"
    )
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="release_alerts"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "publication"], name="releasealert_once")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.publication}"


class Notification(models.Model):
    """An email sent about a publication: the unique constraint makes each one go out once."""

    class Event(models.TextChoices):
        WINDOW = "window", _("parution en accès prioritaire")
        PUBLIC = "public", _("ouverture au public")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    publication = models.ForeignKey(
        Publication, on_delete=models.CASCADE, related_name="notifications"
    )
    event = models.CharField(max_length=10, choices=Event.choices)
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "publication", "event"], name="notification_once_per_event"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.publication} · {self.event}"
