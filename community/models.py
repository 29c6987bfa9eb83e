"""The practitioners' directory (who's who) and the community's events."""

from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import BooleanField, Exists, ExpressionWrapper, F, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lab import access
from lab.lib.uploads import validate_image_size
from lab.lib.urls import slug_url
from lab.models import Region
from lab.search import search_vector
from programmes.models import Programme, Project
from superpublic.models import Booking, BookingGroup, BookingStatus


class Vocabulary(models.Model):
    name = models.CharField(_("nom"), max_length=100, unique=True)
    name_en = models.CharField(_("nom en anglais"), max_length=100)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name_en if get_language() == "en" else self.name


class Discipline(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("discipline")
        verbose_name_plural = _("disciplines")


class Method(Vocabulary):
    class Meta(Vocabulary.Meta):
        verbose_name = _("méthode")
        verbose_name_plural = _("méthodes")


def audience(user) -> list[str]:
    """The visibilities of the profiles this person may see: everyone with the same list sees
    the same directory (the directory's shared results are filed under it)."""
    if access.reader(user).privileged:
        return [Profile.Visibility.PUBLIC, Profile.Visibility.MEMBERS]
    return [Profile.Visibility.PUBLIC]


class ProfileQuerySet(models.QuerySet):
    def consented(self) -> ProfileQuerySet:
        """Profiles whose owner agreed to the current text and that staff have not hidden."""
        return self.filter(consent_version=settings.COMMUNITY_POLICY_VERSION, hidden_by_staff=False)

    def visible_to(self, user) -> ProfileQuerySet:
        """Public profiles for everyone; members-only ones for privileged users too."""
        return self.consented().filter(visibility__in=audience(user))


class Profile(models.Model):
    class Visibility(models.TextChoices):
        PUBLIC = "public", _("Publique : visible de tous")
        MEMBERS = "members", _("Adhérents : visible des adhérents et partenaires")
        HIDDEN = "hidden", _("Masquée : visible de moi seul")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    display_name = models.CharField(_("nom affiché"), max_length=150)
    slug = models.SlugField(_("identifiant d'URL"), max_length=160, unique=True)
    role = models.CharField(_("fonction"), max_length=200, blank=True)
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("région"),
    )
    disciplines = models.ManyToManyField(
        Discipline, blank=True, related_name="profiles", verbose_name=_("disciplines")
    )
    methods = models.ManyToManyField(
        Method, blank=True, related_name="profiles", verbose_name=_("méthodes")
    )
    bio = models.TextField(_("présentation"), max_length=3000, blank=True)
    website = models.URLField(_("site web"), blank=True)
    photo = models.ImageField(
        _("photo"), upload_to="community/", blank=True, validators=[validate_image_size]
    )
    projects = models.ManyToManyField(
        Project,
        blank=True,
        related_name="practitioners",
        verbose_name=_("projets auxquels j'ai pris part"),
    )
    languages = models.CharField(
        _("langues"), max_length=200, blank=True, help_text=_("Par exemple : français, anglais.")
    )
    visibility = models.CharField(
        _("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.HIDDEN
    )
    consent_at = models.DateTimeField(_("consentement donné le"), null=True, blank=True)
    consent_version = models.CharField(_("version du texte accepté"), max_length=20, blank=True)
    last_confirmed = models.DateField(_("dernière confirmation"), null=True, blank=True)
    hidden_by_staff = models.BooleanField(_("masquée par l'équipe"), default=False)
    moderation_reason = models.TextField(
        _("motif de la modération"),
        blank=True,
        help_text=_(
            "La personne le lit sur sa fiche et dans son espace ; le public ne le voit pas."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    search_document = models.GeneratedField(
        expression=search_vector(
            ("display_name", "A"), ("role", "B"), ("languages", "C"), ("bio", "C")
        ),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ProfileQuerySet.as_manager()

    class Meta:
        verbose_name = _("fiche de praticien")
        verbose_name_plural = _("fiches de praticiens")
        ordering = ["display_name"]
        indexes = [
            GinIndex(fields=["search_document"], name="profile_search_gin"),
            models.Index(fields=["visibility", "consent_version"], name="profile_visibility_idx"),
            # The directory (community/views.py `directory`): its list walks this index in
            # name order and stops at the page; its facet counts (community/selectors.py
            # `profile_facets`), its count and its version (`directory_version`) read the
            # visible profiles from it alone (index-only), never the wide rows. Only the
            # profiles anyone may see are in it.
            models.Index(
                fields=["display_name"],
                include=["id", "region", "user", "visibility", "consent_version", "updated_at"],
                condition=Q(visibility__in=["public", "members"], hidden_by_staff=False),
                name="profile_directory_idx",
            ),
        ]
        constraints = [
            # Shown to anyone only with a recorded consent.
            models.CheckConstraint(
                condition=Q(visibility="hidden")
                | (Q(consent_at__isnull=False) & ~Q(consent_version="")),
                name="profile_visible_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def get_absolute_url(self) -> str:
        return slug_url("community:profile", self.slug)

    @property
    def needs_consent(self) -> bool:
        return self.consent_version != settings.COMMUNITY_POLICY_VERSION

    @property
    def effective_visibility(self) -> str:
        if self.hidden_by_staff or self.needs_consent:
            return self.Visibility.HIDDEN
        return self.visibility


class ContactMessage(models.Model):
    """That a message was relayed (for the daily limit); its text is not kept."""

    sender = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    recipient = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["sender", "sent_at"], name="contact_sender_sent_idx")]

    def __str__(self) -> str:
        return f"{self.sender_id} → {self.recipient_id}"


class EventQuerySet(models.QuerySet):
    def visible_to(self, user) -> EventQuerySet:
        if access.reader(user).privileged:
            return self.all()
        return self.filter(audience=Event.Audience.PUBLIC)

    def with_state(self) -> EventQuerySet:
        """`is_confirmed`: its rooms are confirmed (or it holds none); `is_held`: it still holds
        rooms (confirmed or waiting for the team's decision), or holds none."""
        group = OuterRef("booking_group_id")
        no_rooms = Q(booking_group__isnull=True)
        return self.annotate(
            is_confirmed=ExpressionWrapper(
                no_rooms
                | Exists(Booking.objects.filter(group_id=group, status=BookingStatus.CONFIRMED)),
                output_field=BooleanField(),
            ),
            is_held=ExpressionWrapper(
                no_rooms | Exists(Booking.objects.filter(group_id=group).active()),
                output_field=BooleanField(),
            ),
        )

    def listed(self) -> EventQuerySet:
        """The events that take place: not cancelled, their rooms confirmed (the Superpublic
        agenda shows the same ones, from the same bookings)."""
        return self.with_state().filter(cancelled_at__isnull=True, is_confirmed=True)

    def with_rooms(self) -> EventQuerySet:
        """Each event's held bookings, with their space, in two queries for the whole list."""
        return self.select_related("booking_group").prefetch_related(
            Prefetch(
                "booking_group__bookings",
                queryset=Booking.objects.active()
                .select_related("space")
                .order_by("space__order", "space__name", "period"),
                to_attr="held",
            )
        )

    def upcoming(self) -> EventQuerySet:
        return self.filter(ends__gt=timezone.now()).order_by("starts")

    def past(self) -> EventQuerySet:
        return self.filter(ends__lte=timezone.now()).order_by("-starts")


class Event(models.Model):
    class Kind(models.TextChoices):
        APERO = "apero", _("Apéro 27")
        REMIX = "remix", _("Remix Public")
        INTERTRANSFO = "intertransfo", _("InterTransfo")
        SUMMER = "summer", _("Journées d'été")
        WORKSHOP = "workshop", _("Atelier")
        TRAINING = "training", _("Formation")
        OTHER = "other", _("Autre")

    class Audience(models.TextChoices):
        PUBLIC = "public", _("Ouvert à tous")
        MEMBERS = "members", _("Réservé aux adhérents et partenaires")

    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=15, choices=Kind.choices)
    starts = models.DateTimeField(_("début"))
    ends = models.DateTimeField(_("fin"))
    # The rooms an event holds at Superpublic are bookings of one group, made, moved and freed
    # by community/services.py (event_schedule) through Superpublic's booking services.
    booking_group = models.OneToOneField(
        BookingGroup,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event",
        verbose_name=_("salles réservées"),
        editable=False,
    )
    address = models.CharField(
        _("adresse"),
        max_length=300,
        blank=True,
        help_text=_("Si l'événement n'a pas lieu à Superpublic."),
    )
    region = models.ForeignKey(
        Region,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("région"),
    )
    programme = models.ForeignKey(
        Programme,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("programme"),
        help_text=_(
            "Le programme dont relève l'événement : les présents d'une formation de "
            "Re-acteur Public comptent pour son objectif d'agents formés."
        ),
    )
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    capacity = models.PositiveIntegerField(_("places"))
    audience = models.CharField(
        _("public"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC
    )
    members_registration_opens = models.DateTimeField(
        _("inscriptions des adhérents à partir du"), null=True, blank=True,
        help_text=_("Les adhérents et partenaires s'inscrivent dès cette date, avant tout le monde."),
    )  # fmt: skip
    walk_in_attendees = models.PositiveIntegerField(
        _("présents sans inscription"),
        default=0,
        help_text=_("Comptés à la porte : les présents qui ne s'étaient pas inscrits en ligne."),
    )
    registration_opens = models.DateTimeField(_("inscriptions ouvertes à partir du"))
    registration_closes = models.DateTimeField(_("inscriptions closes le"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("annulé le"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement")
        verbose_name_plural = _("événements")
        ordering = ["starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__gt=F("starts")),
                name="event_ends_after_starts",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="event_capacity_positive"),
            models.CheckConstraint(
                condition=Q(members_registration_opens__isnull=True)
                | Q(members_registration_opens__lte=F("registration_opens")),
                name="event_members_open_first",
                violation_error_message=_(
                    "Les adhérents s'inscrivent avant les autres, pas après."
                ),
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return slug_url("community:event", self.slug)

    @property
    def held_bookings(self) -> list[Booking]:
        """The active bookings of its rooms (prefetched by `with_rooms()`, else one query)."""
        group = self.booking_group
        if group is None:
            return []
        if not hasattr(group, "held"):
            group.held = list(
                group.bookings.active()
                .select_related("space")
                .order_by("space__order", "space__name", "period")
            )
        return group.held

    @property
    def rooms(self) -> list:
        return list({b.space_id: b.space for b in self.held_bookings}.values())

    @property
    def place(self) -> str:
        if rooms := self.rooms:
            names = ", ".join(room.name for room in rooms)
            return f"{names}, Superpublic, 4 rue la Vacquerie, 75011 Paris"
        return self.address


class Registration(models.Model):
    class Status(models.TextChoices):
        REGISTERED = "registered", _("Inscrit")
        WAITLISTED = "waitlisted", _("Sur liste d'attente")
        CANCELLED = "cancelled", _("Annulé")

    event = models.ForeignKey(
        Event, on_delete=models.CASCADE, related_name="registrations", verbose_name=_("événement")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="registrations",
        verbose_name=_("personne"),
    )
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices)
    created_at = models.DateTimeField(_("inscrit le"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Marked by staff at the door (or afterwards): what impact figures count.
    attended_at = models.DateTimeField(_("présence constatée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(fields=["event", "user"], name="registration_once_per_event")
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"], name="registration_queue_idx")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.event} · {self.get_status_display()}"
