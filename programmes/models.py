"""The programme catalogue: programmes, their phases, themes, projects and requests."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from lab.lib.uploads import validate_image_size
from lab.lib.urls import slug_url
from lab.models import Organisation, Region
from lab.search import search_vector

YEAR_VALIDATORS = [MinValueValidator(2008), MaxValueValidator(2100)]


class Theme(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Programme(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("En cours")
        ARCHIVED = "archived", _("Archivé")

    name = models.CharField(_("nom"), max_length=150)
    slug = models.SlugField(_("identifiant d'URL"), max_length=150, unique=True)
    tagline = models.CharField(_("promesse"), max_length=250)
    description = models.TextField(_("description"), help_text=_("Markdown."))
    format = models.CharField(_("format"), max_length=250)
    typical_duration = models.CharField(_("durée type"), max_length=100)
    start_year = models.PositiveSmallIntegerField(
        _("année de lancement"), validators=YEAR_VALIDATORS
    )
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.ACTIVE
    )
    objectives = models.TextField(_("objectifs"), blank=True, help_text=_("Markdown."))
    member_benefits = models.TextField(
        _("ce que les adhérents y gagnent"), blank=True, help_text=_("Markdown.")
    )
    cover = models.ImageField(
        _("image de couverture"),
        upload_to="programmes/",
        blank=True,
        validators=[validate_image_size],
    )
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    training_target = models.PositiveIntegerField(
        _("objectif d'agents formés"),
        null=True,
        blank=True,
        help_text=_(
            "Les présents aux formations rattachées au programme comptent pour cet objectif, "
            "affiché en progression sur sa page et sur l'accueil."
        ),
    )
    training_target_years = models.PositiveSmallIntegerField(
        _("en combien d'années"), null=True, blank=True
    )
    search_document = models.GeneratedField(
        expression=search_vector(("name", "A"), ("tagline", "B"), ("description", "C")),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    class Meta:
        verbose_name = _("programme")
        verbose_name_plural = _("programmes")
        ordering = ["order", "name"]
        indexes = [GinIndex(fields=["search_document"], name="programme_search_gin")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("programmes:detail", self.slug)


class Phase(models.Model):
    programme = models.ForeignKey(
        Programme, on_delete=models.CASCADE, related_name="phases", verbose_name=_("programme")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    name = models.CharField(_("nom"), max_length=150)
    weeks = models.PositiveSmallIntegerField(_("semaines"), null=True, blank=True)
    starts_week = models.PositiveSmallIntegerField(
        _("commence la semaine"),
        null=True,
        blank=True,
        help_text=_(
            "Semaine du calendrier type où la phase commence, comptée depuis le début de "
            "l'édition (0 : la première). Sert à dater les phases d'une nouvelle édition."
        ),
    )
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["programme", "order"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "order"], name="phase_order_unique"),
        ]

    def __str__(self) -> str:
        return self.name


def in_region(region: Region) -> Q:
    """Projects of this region, its successor and its predecessors (the 2016 reform)."""
    return Q(region_id__in=region.lineage_ids())


def running_during(year: int) -> Q:
    """Projects running at some point of `year`."""
    return Q(start_year__lte=year) & (
        Q(end_year__gte=year) | Q(end_year__isnull=True, start_year=year)
    )


def about_theme(theme: Theme) -> Q:
    """Projects with this theme, as an IN over the link table: no join, so no row repeats, and
    Postgres hashes it once when it is asked for every row (the facets' single scan)."""
    links = Project.themes.through.objects.filter(theme_id=theme.pk).values("project_id")
    return Q(pk__in=links)


class ProjectQuerySet(models.QuerySet):
    def published(self) -> ProjectQuerySet:
        return self.filter(published=True)

    def in_region(self, region: Region) -> ProjectQuerySet:
        return self.filter(in_region(region))

    def during(self, year: int) -> ProjectQuerySet:
        return self.filter(running_during(year))

    def for_list(self) -> ProjectQuerySet:
        """What a project card shows, and nothing more (the story and the search document are
        the widest columns of the row). The themes' names come as an array in the same query
        (a subquery run for the listed rows only), not as a prefetch: one query less."""
        theme_names = Theme.objects.filter(projects=models.OuterRef("pk")).values("name")
        return (
            self.select_related("programme", "host", "region__successor")
            .only(
                "title", "slug", "start_year", "end_year", "status", "summary",
                "programme__name", "host__name", "region__name", "region__generation",
                "region__successor__name",
            )
            .annotate(theme_names=ArraySubquery(theme_names))
        )  # fmt: skip


class Project(models.Model):
    """One run of a programme, hosted by an organisation in a region over a period."""

    class Status(models.TextChoices):
        PLANNED = "planned", _("À venir")
        ONGOING = "ongoing", _("En cours")
        COMPLETED = "completed", _("Terminé")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="projects", verbose_name=_("programme")
    )
    host = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        related_name="hosted_projects",
        verbose_name=_("structure d'accueil"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="projects", verbose_name=_("région")
    )
    start_year = models.PositiveSmallIntegerField(_("année de début"), validators=YEAR_VALIDATORS)
    end_year = models.PositiveSmallIntegerField(
        _("année de fin"), null=True, blank=True, validators=YEAR_VALIDATORS
    )
    starts_on = models.DateField(_("date de début"), null=True, blank=True)
    ends_on = models.DateField(_("date de fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices)
    themes = models.ManyToManyField(
        Theme, blank=True, related_name="projects", verbose_name=_("thèmes")
    )
    summary = models.TextField(_("résumé"), max_length=1000)
    body = models.TextField(_("récit"), blank=True, help_text=_("Markdown."))
    outcomes = models.TextField(_("résultats"), blank=True, help_text=_("Markdown."))
    participants = models.PositiveIntegerField(_("participants"), null=True, blank=True)
    ideas_generated = models.PositiveIntegerField(_("idées produites"), null=True, blank=True)
    network_size = models.PositiveIntegerField(
        _("agents dans le réseau"),
        null=True,
        blank=True,
        help_text=_("Les agents qui font vivre la démarche après le programme."),
    )
    ideas_implemented = models.PositiveIntegerField(
        _("idées mises en œuvre"), null=True, blank=True
    )
    cover = models.ImageField(
        _("image de couverture"),
        upload_to="projects/",
        blank=True,
        validators=[validate_image_size],
    )
    published = models.BooleanField(_("publié"), default=True)
    # The order it came from, when staff made it from a request (programmes/services.py
    # `edition_create_from_request`): its requester follows it under « Mes demandes ».
    request = models.OneToOneField(
        "ProgrammeRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="edition",
        verbose_name=_("demande d'origine"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Host, region (and its successor) and programme names, kept by a database trigger
    # (migration 0002) so that searching "Bourgogne" or "Val-de-Marne" finds the projects.
    search_context = models.TextField(editable=False, default="")
    search_document = models.GeneratedField(
        expression=search_vector(
            ("title", "A"),
            ("summary", "B"),
            ("search_context", "B"),
            ("body", "C"),
            ("outcomes", "C"),
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["-start_year", "title"]
        indexes = [
            GinIndex(fields=["search_document"], name="project_search_gin"),
            # The list page's default order and its year filter.
            models.Index(fields=["-start_year", "title"], name="project_year_title_idx"),
            # Everything the list page's facets count, narrow enough for index-only scans
            # (programmes/selectors.py: project_facets); the wide rows are never read for them.
            models.Index(
                fields=["programme", "region", "status", "start_year", "end_year"],
                include=["id"],
                condition=Q(published=True),
                name="project_facets_idx",
            ),
            # Each project's programme without its wide row: the directory's programme facet
            # (community/selectors.py `profile_facets`) joins practitioners' projects to it.
            models.Index(fields=["id"], include=["programme"], name="project_programme_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_year__isnull=True) | Q(end_year__gte=F("start_year")),
                name="project_end_year_after_start",
                violation_error_message=_("L'année de fin ne peut précéder l'année de début."),
            ),
            models.CheckConstraint(
                condition=Q(ends_on__isnull=True)
                | Q(starts_on__isnull=True)
                | Q(ends_on__gte=F("starts_on")),
                name="project_end_date_after_start",
                violation_error_message=_("La date de fin ne peut précéder la date de début."),
            ),
            models.CheckConstraint(
                condition=Q(ideas_implemented__isnull=True)
                | Q(ideas_generated__isnull=True)
                | Q(ideas_implemented__lte=F("ideas_generated")),
                name="project_ideas_implemented_le_generated",
                violation_error_message=_(
                    "On ne peut mettre en œuvre plus d'idées qu'on n'en a produit."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("programmes:project", self.slug)

    @property
    def status_label(self) -> str:
        """get_status_display() without rebuilding the choices' dict on each call (lists)."""
        return str(self.Status(self.status).label)

    @property
    def years(self) -> str:
        if self.end_year and self.end_year != self.start_year:
            return f"{self.start_year}–{self.end_year}"
        return str(self.start_year)

    @property
    def implementation_rate(self) -> int | None:
        if self.ideas_generated and self.ideas_implemented is not None:
            return round(100 * self.ideas_implemented / self.ideas_generated)
        return None


class ProjectLink(models.Model):
    """A link or a document attached to a project."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="links")
    label = models.CharField(_("intitulé"), max_length=200)
    url = models.URLField(_("adresse"), blank=True)
    document = models.FileField(_("document"), upload_to="projects/documents/", blank=True)
    order = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("lien ou document")
        verbose_name_plural = _("liens et documents")
        ordering = ["order", "pk"]
        constraints = [
            # Exactly one of an address or an uploaded document.
            models.CheckConstraint(
                condition=(Q(url="") & ~Q(document="")) | (~Q(url="") & Q(document="")),
                name="projectlink_url_xor_document",
                violation_error_message=_("Indiquez soit une adresse, soit un document."),
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def href(self) -> str:
        return self.url or self.document.url


class ProjectPhase(models.Model):
    """A dated step of one edition, first copied from its programme's template phases."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phases", verbose_name=_("projet")
    )
    order = models.PositiveSmallIntegerField(_("ordre"))
    name = models.CharField(_("nom"), max_length=150)
    starts_on = models.DateField(_("début"))
    ends_on = models.DateField(_("fin"))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        verbose_name = _("étape datée")
        verbose_name_plural = _("étapes datées")
        ordering = ["project", "order"]
        constraints = [
            models.UniqueConstraint(fields=["project", "order"], name="projectphase_order_unique"),
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="projectphase_ends_after_starts",
                violation_error_message=_("La fin d'une étape ne peut précéder son début."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


PHONE_VALIDATOR = RegexValidator(
    r"^\+?[0-9][0-9 .\-()]{7,19}$",
    _("Saisissez un numéro de téléphone, par exemple 01 83 62 98 27."),
)


class ProgrammeRequestQuerySet(models.QuerySet):
    def open(self) -> ProgrammeRequestQuerySet:
        return self.filter(status__in=ProgrammeRequest.OPEN_STATUSES)


class ProgrammeRequest(models.Model):
    """Someone asks for a programme for their organisation ("demander ce programme")."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        DISCUSSION = "discussion", _("En discussion")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")

    OPEN_STATUSES = [Status.NEW, Status.DISCUSSION]
    MAX_OPEN_PER_USER = 5

    programme = models.ForeignKey(
        Programme, on_delete=models.PROTECT, related_name="requests", verbose_name=_("programme")
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="programme_requests",
        verbose_name=_("demandeur"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="programme_requests",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (telle que saisie)"), max_length=200)
    need = models.TextField(_("besoin"), max_length=4000)
    desired_start = models.DateField(_("début souhaité"))
    desired_end = models.DateField(_("fin souhaitée"))
    expected_participants = models.PositiveSmallIntegerField(
        _("participants attendus"), validators=[MinValueValidator(1), MaxValueValidator(500)]
    )
    phone = models.CharField(_("téléphone"), max_length=20, validators=[PHONE_VALIDATOR])
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    staff_note = models.TextField(
        _("réponse au demandeur"),
        blank=True,
        max_length=4000,
        help_text=_(
            "Le demandeur lit ce texte tel quel dans « Mes demandes » et dans le courriel qui "
            "lui annonce chaque changement de statut."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = ProgrammeRequestQuerySet.as_manager()

    class Meta:
        verbose_name = _("demande de programme")
        verbose_name_plural = _("demandes de programme")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["requester", "status"], name="request_requester_status_idx")
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(desired_end__gte=F("desired_start")),
                name="request_period_ordered",
                violation_error_message=_("La fin souhaitée ne peut précéder le début."),
            ),
            models.CheckConstraint(
                condition=Q(expected_participants__gte=1) & Q(expected_participants__lte=500),
                name="request_participants_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.programme} · {self.organisation_name}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES
