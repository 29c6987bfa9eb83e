"""Superpublic, the lab's 300 m² space in Paris: rooms, opening hours, closures, bookings."""

from __future__ import annotations

import datetime
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators
from django.contrib.postgres.fields.ranges import RangeEndsWith, RangeStartsWith
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Func, Q, Value
from django.db.models.lookups import LessThan, LessThanOrEqual
from django.urls import reverse
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from lab.lib.uploads import validate_image_size
from lab.lib.urls import slug_url
from lab.models import Organisation


class BookingStatus(models.TextChoices):
    PENDING = "pending", _("En attente de validation")
    CONFIRMED = "confirmed", _("Confirmée")
    REJECTED = "rejected", _("Refusée")
    CANCELLED = "cancelled", _("Annulée")
    EXPIRED = "expired", _("Expirée")


# The bookings that hold their slot (the exclusion constraint's condition).
ACTIVE_STATUSES = (BookingStatus.PENDING, BookingStatus.CONFIRMED)


# The floor of Superpublic as the plan draws it (superpublic/plan.py): a rectangle of
# 20 m by 15 m (300 m²), the street (rue la Vacquerie) along its top side. Spaces are placed on
# it in metres from its top left corner.
FLOOR_WIDTH = Decimal(20)
FLOOR_DEPTH = Decimal(15)
PLAN_MIN_SIDE = Decimal(1)


_WALL = Value(Decimal("0.05"))
PLAN_BOX = Func(
    Func(F("plan_x") + _WALL, F("plan_y") + _WALL, function="point"),
    Func(
        F("plan_x") + F("plan_width") - _WALL,
        F("plan_y") + F("plan_depth") - _WALL,
        function="point",
    ),
    function="box",
    output_field=models.Field(),
)


def _plan_field(label, help_text):
    return models.DecimalField(
        label, max_digits=3, decimal_places=1, null=True, blank=True, help_text=help_text
    )


class Space(models.Model):
    class Kind(models.TextChoices):
        EVENT_HALL = "event_hall", _("Salle d'événements")
        WORKSHOP = "workshop", _("Salle d'atelier")
        MEETING = "meeting", _("Salle de réunion")
        COWORKING = "coworking", _("Espace de co-working")

    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    capacity = models.PositiveSmallIntegerField(_("capacité"), validators=[MinValueValidator(1)])
    area = models.PositiveSmallIntegerField(_("surface (m²)"), null=True, blank=True)
    equipment = models.TextField(_("équipement"), blank=True, help_text=_("Un élément par ligne."))
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    photo = models.ImageField(
        _("photo"), upload_to="superpublic/", blank=True, validators=[validate_image_size]
    )
    accessibility = models.TextField(_("accessibilité"), blank=True)
    active = models.BooleanField(_("réservable"), default=True)
    requires_approval = models.BooleanField(
        _("validation par l'équipe"),
        default=False,
        help_text=_(
            "Si coché, même les réservations des adhérents attendent la validation de l'équipe."
        ),
    )
    allows_residency = models.BooleanField(
        _("accueille des résidences"),
        default=False,
        help_text=_(
            "Si coché, on peut y demander une résidence de quelques jours à quelques semaines "
            "(toujours validée par l'équipe)."
        ),
    )
    order = models.PositiveSmallIntegerField(_("ordre d'affichage"), default=0)
    # Where the space is on the plan of the floor (in metres; all four or none).
    plan_x = _plan_field(
        _("plan : x (m)"),
        format_lazy(
            _("Distance en mètres du bord gauche du plateau au mur gauche de l'espace (le plateau fait {width} m de large). Les quatre champs du plan vides : l'espace n'est pas dessiné, seulement listé."),
            width=FLOOR_WIDTH,
        ),
    )  # fmt: skip
    plan_y = _plan_field(
        _("plan : y (m)"),
        format_lazy(
            _("Distance en mètres de la façade sur rue (le haut du plan) au mur du haut de l'espace (le plateau fait {depth} m de profondeur)."),
            depth=FLOOR_DEPTH,
        ),
    )  # fmt: skip
    plan_width = _plan_field(
        _("plan : largeur (m)"),
        _("Largeur de l'espace en mètres, de gauche à droite, au moins 1 m."),
    )
    plan_depth = _plan_field(
        _("plan : profondeur (m)"),
        _("Profondeur de l'espace en mètres, de haut en bas, au moins 1 m."),
    )

    class Meta:
        verbose_name = _("espace")
        verbose_name_plural = _("espaces")
        ordering = ["order", "name"]
        constraints = [
            models.CheckConstraint(condition=Q(capacity__gte=1), name="space_capacity_positive"),
            models.CheckConstraint(
                condition=Q(
                    plan_x__isnull=True,
                    plan_y__isnull=True,
                    plan_width__isnull=True,
                    plan_depth__isnull=True,
                )
                | Q(
                    plan_x__isnull=False,
                    plan_y__isnull=False,
                    plan_width__isnull=False,
                    plan_depth__isnull=False,
                ),
                name="space_plan_complete",
                violation_error_message=_(
                    "Pour dessiner l'espace sur le plan, remplissez ses quatre champs "
                    "(x, y, largeur, profondeur) ; pour ne pas le dessiner, videz-les tous."
                ),
            ),
            models.CheckConstraint(
                condition=Q(plan_x__isnull=True)
                | Q(
                    LessThanOrEqual(F("plan_x") + F("plan_width"), Value(FLOOR_WIDTH)),
                    LessThanOrEqual(F("plan_y") + F("plan_depth"), Value(FLOOR_DEPTH)),
                    plan_x__gte=0,
                    plan_y__gte=0,
                    plan_width__gte=PLAN_MIN_SIDE,
                    plan_depth__gte=PLAN_MIN_SIDE,
                ),
                name="space_plan_within_floor",
                violation_error_message=format_lazy(
                    _(
                        "L'espace doit tenir dans le plateau de {width} m × {depth} m : x et y positifs, largeur et profondeur d'au moins 1 m, x + largeur ≤ {width} et y + profondeur ≤ {depth}."
                    ),
                    width=FLOOR_WIDTH,
                    depth=FLOOR_DEPTH,
                ),
            ),
            # Two spaces never overlap on the plan (sharing a wall is fine: each box is taken
            # 5 cm inside its walls). Boxes are core GiST, like the bookings' ranges.
            ExclusionConstraint(
                name="space_plan_no_overlap",
                expressions=[(PLAN_BOX, "&&")],
                condition=Q(plan_x__isnull=False),
                violation_error_message=_("Sur le plan, cet espace chevauche un autre espace."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("superpublic:space", self.slug)

    @property
    def equipment_list(self) -> list[str]:
        return [line.strip() for line in self.equipment.splitlines() if line.strip()]

    @property
    def on_plan(self) -> bool:
        return self.plan_x is not None

    @property
    def floor_area(self) -> int | None:
        """The area typed in, else the one its place on the plan gives."""
        if self.area is not None:
            return self.area
        if self.on_plan:
            return round(self.plan_width * self.plan_depth)
        return None


class OpeningHours(models.Model):
    """When a space may be booked on a weekday, in Paris time."""

    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("lundi")
        TUESDAY = 1, _("mardi")
        WEDNESDAY = 2, _("mercredi")
        THURSDAY = 3, _("jeudi")
        FRIDAY = 4, _("vendredi")
        SATURDAY = 5, _("samedi")
        SUNDAY = 6, _("dimanche")

    space = models.ForeignKey(
        Space, on_delete=models.CASCADE, related_name="opening_hours", verbose_name=_("espace")
    )
    weekday = models.PositiveSmallIntegerField(_("jour"), choices=Weekday.choices)
    opens = models.TimeField(_("ouverture"))
    closes = models.TimeField(_("fermeture"))

    class Meta:
        verbose_name = _("horaire d'ouverture")
        verbose_name_plural = _("horaires d'ouverture")
        ordering = ["space", "weekday"]
        constraints = [
            models.UniqueConstraint(fields=["space", "weekday"], name="openinghours_one_per_day"),
            models.CheckConstraint(
                condition=Q(opens__lt=F("closes")),
                name="openinghours_opens_before_closes",
                violation_error_message=_("L'ouverture doit précéder la fermeture."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"


class ClosureQuerySet(models.QuerySet):
    def affecting(self, space: Space) -> ClosureQuerySet:
        return self.filter(Q(all_spaces=True) | Q(spaces=space)).distinct()


class Closure(models.Model):
    period = DateTimeRangeField(_("période"))
    reason = models.CharField(_("motif"), max_length=200)
    all_spaces = models.BooleanField(_("tous les espaces"), default=True)
    spaces = models.ManyToManyField(
        Space, blank=True, related_name="closures", verbose_name=_("espaces concernés")
    )

    objects = ClosureQuerySet.as_manager()

    class Meta:
        verbose_name = _("fermeture")
        verbose_name_plural = _("fermetures")
        ordering = ["-period"]
        constraints = [
            models.CheckConstraint(
                condition=LessThan(RangeStartsWith("period"), RangeEndsWith("period")),
                name="closure_period_ordered",
                violation_error_message=_("La fin doit suivre le début."),
            ),
        ]

    def __str__(self) -> str:
        start = timezone.localtime(self.period.lower)
        end = timezone.localtime(self.period.upper)
        return f"{self.reason} ({start:%d/%m/%Y} – {end:%d/%m/%Y})"


class BookingSeries(models.Model):
    """A weekly repetition: the same wall-clock hours, every week, until a date or N times."""

    class ConflictMode(models.TextChoices):
        SKIP = "skip", _("Ignorer les dates en conflit")
        ALL_OR_NOTHING = "all", _("Tout ou rien")

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    until = models.DateField(_("jusqu'au"), null=True, blank=True)
    count = models.PositiveSmallIntegerField(
        _("nombre d'occurrences"),
        null=True,
        blank=True,
        validators=[MinValueValidator(2), MaxValueValidator(52)],
    )
    conflict_mode = models.CharField(
        _("en cas de conflit"), max_length=4, choices=ConflictMode.choices
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("série de réservations")
        verbose_name_plural = _("séries de réservations")
        constraints = [
            models.CheckConstraint(
                condition=(Q(until__isnull=True) & Q(count__isnull=False))
                | (Q(until__isnull=False) & Q(count__isnull=True)),
                name="series_until_xor_count",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.pk} · {self.get_conflict_mode_display()}"


class BookingGroup(models.Model):
    """Bookings made together and kept together: the days of a multi-day booking (one booking
    per room and day, so the nights stay free), the rooms and days of an event. They are made,
    moved and cancelled all or nothing; the agenda shows a group as one entry."""

    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The public page of what the group holds (an event's page), written by the app that owns
    # it, so the agenda links there without Superpublic knowing that app.
    page = models.CharField(_("page publique"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("groupe de réservations")
        verbose_name_plural = _("groupes de réservations")

    def __str__(self) -> str:
        return f"#{self.pk}"


class BookingKind(models.TextChoices):
    BOOKING = "booking", _("Réservation")
    EVENT = "event", _("Événement")
    RESIDENCY = "residency", _("Résidence")


class BookingQuerySet(models.QuerySet):
    def active(self) -> BookingQuerySet:
        return self.filter(status__in=ACTIVE_STATUSES)

    def overlapping(self, start: datetime.datetime, end: datetime.datetime) -> BookingQuerySet:
        return self.filter(period__overlap=(start, end))

    def public_events(self) -> BookingQuerySet:
        return self.filter(status=Booking.Status.CONFIRMED, is_public=True)

    def owned_by(self, user) -> BookingQuerySet:
        return self.filter(booked_by=user)


class Booking(models.Model):
    Status = BookingStatus
    Kind = BookingKind

    space = models.ForeignKey(
        Space, on_delete=models.PROTECT, related_name="bookings", verbose_name=_("espace")
    )
    # Empty once the person deleted their account: the booking stays, anonymised, for the records.
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("réservé par"),
    )
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("organisation"),
        help_text=_("Celle de la personne au moment de la réservation."),
    )
    title = models.CharField(_("titre"), max_length=150)
    purpose = models.TextField(_("objet"), max_length=2000, blank=True)
    attendees = models.PositiveSmallIntegerField(
        _("participants"), validators=[MinValueValidator(1)]
    )
    period = DateTimeRangeField(_("créneau"))
    status = models.CharField(
        _("statut"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    is_public = models.BooleanField(_("événement public"), default=False)
    public_description = models.TextField(
        _("présentation publique"),
        max_length=2000,
        blank=True,
        help_text=_(
            "Lue par tous dans l'agenda de Superpublic et son flux iCal si l'événement est public."
        ),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name=_("décidée par"),
    )  # fmt: skip
    decision_note = models.TextField(
        _("motif de la décision"),
        blank=True,
        max_length=2000,
        help_text=_(
            "Envoyé tel quel à la personne qui a réservé, et affiché sur la page de sa réservation."
        ),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    series = models.ForeignKey(
        BookingSeries,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("série"),
    )
    kind = models.CharField(_("nature"), max_length=10, choices=Kind.choices, default=Kind.BOOKING)
    group = models.ForeignKey(
        BookingGroup,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="bookings",
        verbose_name=_("groupe"),
    )
    # Who is in residence (a residency's period runs day and night, from midnight to midnight).
    resident = models.ForeignKey(
        Organisation,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="residencies",
        verbose_name=_("organisation résidente"),
    )
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    objects = BookingQuerySet.as_manager()

    class Meta:
        verbose_name = _("réservation")
        verbose_name_plural = _("réservations")
        ordering = ["period"]
        constraints = [
            # Two pending or confirmed bookings of one space never overlap. A one-element
            # int8range stands in for the space id, so core GiST suffices (no btree_gist).
            ExclusionConstraint(
                name="booking_no_overlap",
                expressions=[
                    (
                        Func(F("space"), F("space"), Value("[]"), function="int8range"),
                        RangeOperators.OVERLAPS,
                    ),
                    ("period", RangeOperators.OVERLAPS),
                ],
                condition=Q(status__in=ACTIVE_STATUSES),
                violation_error_message=_("Ce créneau vient d'être pris."),
            ),
            models.CheckConstraint(
                condition=Q(
                    LessThan(RangeStartsWith("period"), RangeEndsWith("period")),
                    period__startswith__isnull=False,
                    period__endswith__isnull=False,
                ),
                name="booking_period_ordered",
                violation_error_message=_("La fin doit suivre le début."),
            ),
            models.CheckConstraint(
                condition=Q(attendees__gte=1), name="booking_attendees_positive"
            ),
            models.CheckConstraint(
                condition=Q(kind=BookingKind.RESIDENCY, resident__isnull=False)
                | (~Q(kind=BookingKind.RESIDENCY) & Q(resident__isnull=True)),
                name="booking_residency_has_resident",
                violation_error_message=_("Une résidence nomme l'organisation résidente."),
            ),
            models.CheckConstraint(
                condition=Q(is_public=False) | ~Q(public_description=""),
                name="booking_public_event_described",
                violation_error_message=_("Un événement public a besoin d'une présentation."),
            ),
        ]
        indexes = [
            # "My bookings" and the quota count.
            models.Index(fields=["booked_by", "status"], name="booking_owner_status_idx"),
            # Expiry and the approval queue.
            models.Index(fields=["status", "created_at"], name="booking_status_created_idx"),
            # The public agenda (superpublic/selectors.py `public_agenda`, on the home page and
            # Superpublic's, and agenda.ics): public events ending after a moment, among
            # bookings of every kind (was a scan of them all).
            models.Index(
                Func(F("period"), function="UPPER"),
                condition=Q(status=BookingStatus.CONFIRMED, is_public=True),
                name="booking_public_end_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} · {self.space} · {self.local_start:%d/%m/%Y %H:%M}"

    def get_absolute_url(self) -> str:
        return reverse("superpublic:booking", args=[self.pk])

    @property
    def start(self) -> datetime.datetime:
        return self.period.lower

    @property
    def end(self) -> datetime.datetime:
        return self.period.upper

    @property
    def local_start(self) -> datetime.datetime:
        return timezone.localtime(self.period.lower)

    @property
    def local_end(self) -> datetime.datetime:
        return timezone.localtime(self.period.upper)

    @property
    def is_active(self) -> bool:
        return self.status in ACTIVE_STATUSES

    @property
    def is_future(self) -> bool:
        return self.period.lower > timezone.now()


def _new_token() -> str:
    return secrets.token_urlsafe(24)


class CalendarFeed(models.Model):
    """The secret address of a person's own iCal feed; resetting it revokes the old one."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_feed"
    )
    token = models.CharField(max_length=64, unique=True, default=_new_token)
    created_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("flux iCal personnel")
        verbose_name_plural = _("flux iCal personnels")

    def __str__(self) -> str:
        return str(self.user)
