"""The shared core: people, their organisations, memberships and regions."""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.contrib.postgres.constraints import ExclusionConstraint
from django.contrib.postgres.fields import RangeOperators
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Exists, F, Func, OuterRef, Q, Value
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lab.lib.urls import slug_url


class Region(models.Model):
    """A French region, before or after the 2016 reform (INSEE codes)."""

    class Generation(models.TextChoices):
        PRE2016 = "pre2016", _("Avant 2016")
        CURRENT = "current", _("Depuis 2016")
        OVERSEAS = "overseas", _("Outre-mer")

    code = models.CharField(_("code INSEE"), max_length=3)
    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant d'URL"), max_length=100, unique=True)
    generation = models.CharField(_("génération"), max_length=10, choices=Generation.choices)
    successor = models.ForeignKey(
        "self",
        verbose_name=_("région issue de la réforme"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="predecessors",
        limit_choices_to={"generation": Generation.CURRENT},
    )

    class Meta:
        verbose_name = _("région")
        verbose_name_plural = _("régions")
        ordering = ["name"]
        constraints = [
            # Codes repeat across generations (Bretagne is 53 before and after 2016).
            models.UniqueConstraint(
                fields=["code", "generation"], name="region_code_generation_unique"
            ),
            # Only a pre-2016 region has a successor.
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(generation="pre2016"),
                name="region_successor_only_pre2016",
            ),
        ]

    def __str__(self) -> str:
        if self.generation == self.Generation.PRE2016:
            return _("%(name)s (avant 2016)") % {"name": self.name}
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("programmes:region", self.slug)

    @property
    def merged_in_2016(self) -> bool:
        """A region of before 2016 that the reform merged into another (Bourgogne into
        Bourgogne-Franche-Comté), not one whose outline and name it kept (Pays de la Loire,
        Bretagne): only then does « avant 2016 » or « aujourd'hui … » tell the reader anything.
        Reads the successor: select it with the region."""
        return (
            self.generation == self.Generation.PRE2016
            and self.successor_id is not None
            and self.successor.name != self.name
        )

    def lineage_ids(self) -> set[int]:
        """This region, its successor and its predecessors: where its history lives."""
        if "_lineage_ids" not in self.__dict__:  # asked by several filters of one page
            ids = {self.pk}
            if self.successor_id:
                ids.add(self.successor_id)
            ids.update(p.pk for p in self.predecessors.all())  # prefetched on a region page
            self._lineage_ids = ids
        return set(self._lineage_ids)


class OrganisationQuerySet(models.QuerySet):
    def with_active_membership(self, on: datetime.date | None = None) -> OrganisationQuerySet:
        return self.filter(
            Exists(Membership.objects.active(on).filter(organisation=OuterRef("pk")))
        )


class Organisation(models.Model):
    class Kind(models.TextChoices):
        REGIONAL_COUNCIL = "regional_council", _("Conseil régional")
        DEPARTMENTAL_COUNCIL = "departmental_council", _("Conseil départemental")
        CITY = "city", _("Commune ou intercommunalité")
        STATE = "state", _("Service ou agence de l'État")
        PUBLIC_BODY = "public_body", _("Autre organisme public")
        ASSOCIATION = "association", _("Association")
        COMPANY = "company", _("Entreprise")
        SCHOOL = "school", _("École ou université")

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant d'URL"), max_length=200, unique=True)
    kind = models.CharField(_("type"), max_length=30, choices=Kind.choices)
    region = models.ForeignKey(
        Region,
        verbose_name=_("région"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="organisations",
    )
    website = models.URLField(_("site web"), blank=True)
    # INSEE's identifiers (open data): ProConnect gives the SIRET of an agent's employer.
    siren = models.CharField(
        _("SIREN"),
        max_length=9,
        blank=True,
        help_text=_("9 chiffres : l'entité juridique. Rempli d'après le SIRET s'il est vide."),
    )
    siret = models.CharField(
        _("SIRET"),
        max_length=14,
        blank=True,
        help_text=_("14 chiffres : l'établissement (le SIREN suivi de 5 chiffres)."),
    )

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(siren="") | Q(siren__regex=r"^[0-9]{9}$"),
                name="organisation_siren_9_digits",
                violation_error_message=_("Un SIREN compte 9 chiffres."),
            ),
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=r"^[0-9]{14}$"),
                name="organisation_siret_14_digits",
                violation_error_message=_("Un SIRET compte 14 chiffres."),
            ),
            # A SIRET names one establishment, so one organisation: attachment must not be
            # ambiguous. Several organisations may share a SIREN (services of one entity).
            models.UniqueConstraint(
                fields=["siret"],
                condition=~Q(siret=""),
                name="organisation_siret_unique",
                violation_error_message=_("Une autre organisation porte déjà ce SIRET."),
            ),
            # The SIREN is the first 9 digits of the SIRET.
            models.CheckConstraint(
                condition=Q(siret="") | Q(siren="") | Q(siret__startswith=F("siren")),
                name="organisation_siret_in_siren",
                violation_error_message=_("Le SIRET doit commencer par le SIREN."),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        # The SIREN follows from the SIRET: staff need not type it twice.
        if self.siret and not self.siren:
            self.siren = self.siret[:9]


class EmailDomain(models.Model):
    """A domain whose verified addresses attach their owner to an organisation."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="email_domains",
        verbose_name=_("organisation"),
    )
    domain = models.CharField(
        _("domaine"), max_length=253, help_text=_("Par exemple paysdelaloire.fr, sans @.")
    )

    class Meta:
        verbose_name = _("domaine de messagerie")
        verbose_name_plural = _("domaines de messagerie")
        ordering = ["domain"]
        constraints = [
            # One domain points at one organisation, or attachment would be ambiguous.
            models.UniqueConstraint(Lower("domain"), name="emaildomain_domain_unique"),
            models.CheckConstraint(
                condition=~Q(domain__contains="@") & ~Q(domain=""), name="emaildomain_domain_bare"
            ),
        ]

    def __str__(self) -> str:
        return self.domain


ENDS_BEFORE_STARTS = _("La fin d'une adhésion ne peut précéder son début.")


class MembershipQuerySet(models.QuerySet):
    def active(self, on: datetime.date | None = None) -> MembershipQuerySet:
        on = on or timezone.localdate()
        return self.filter(Q(starts__lte=on) & (Q(ends__isnull=True) | Q(ends__gte=on)))


class Membership(models.Model):
    """An organisation's membership of the lab, as a member (adhérent) or a partner."""

    class Tier(models.TextChoices):
        MEMBER = "member", _("Adhérent")
        PARTNER = "partner", _("Partenaire")

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="memberships",
        verbose_name=_("organisation"),
    )
    tier = models.CharField(_("niveau"), max_length=10, choices=Tier.choices)
    starts = models.DateField(_("début"))
    ends = models.DateField(
        _("fin"), null=True, blank=True, help_text=_("Vide : sans date de fin.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("adhésion")
        verbose_name_plural = _("adhésions")
        ordering = ["-starts"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(ends__gte=F("starts")),
                name="membership_ends_after_starts",
                violation_error_message=ENDS_BEFORE_STARTS,
            ),
            # One organisation never holds two memberships on the same day.
            ExclusionConstraint(
                name="membership_no_overlap",
                expressions=[
                    (
                        Func(
                            F("organisation"), F("organisation"), Value("[]"), function="int8range"
                        ),
                        RangeOperators.OVERLAPS,
                    ),
                    (
                        Func(F("starts"), F("ends"), Value("[]"), function="daterange"),
                        RangeOperators.OVERLAPS,
                    ),
                ],
                violation_error_message=_(
                    "Cette organisation a déjà une adhésion sur cette période."
                ),
            ),
        ]

    def __str__(self) -> str:
        end = self.ends.isoformat() if self.ends else "…"
        return (
            f"{self.organisation} · {self.get_tier_display()} · {self.starts.isoformat()} → {end}"
        )

    def is_active(self, on: datetime.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.starts <= on and (self.ends is None or on <= self.ends)

    def validate_constraints(self, exclude=None) -> None:
        # daterange() refuses an end before the start, so the overlap check could not
        # even run: report the broken dates on their own.
        if self.starts and self.ends and self.ends < self.starts:
            raise ValidationError({"ends": ENDS_BEFORE_STARTS})
        super().validate_constraints(exclude=exclude)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)


class User(AbstractUser):
    """A person with an account; the email address is the login."""

    username = None
    email = models.EmailField(_("adresse électronique"), unique=True)
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="users",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.get_full_name() or self.email

    def get_absolute_url(self) -> str:
        return reverse("account_email")


class OutgoingEmail(models.Model):
    """An email waiting to leave, written in the same transaction as what caused it (an outbox).

    The worker sends it with retries; a broker or mail server that is down only delays it.
    Rendered at send time from templates/emails/<template>.* in `language`.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("À envoyer")
        SENT = "sent", _("Envoyé")
        FAILED = "failed", _("Abandonné")

    template = models.CharField(_("modèle"), max_length=100)
    to = models.JSONField(_("destinataires"))
    reply_to = models.JSONField(_("répondre à"), default=list, blank=True)
    context = models.JSONField(_("contexte"), default=dict, blank=True)
    language = models.CharField(_("langue"), max_length=8, default="fr")
    status = models.CharField(
        _("état"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("tentatives"), default=0)
    next_attempt_at = models.DateTimeField(_("prochaine tentative"), default=timezone.now)
    last_error = models.TextField(_("dernière erreur"), blank=True)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("envoyé le"), null=True, blank=True)

    class Meta:
        verbose_name = _("courriel sortant")
        verbose_name_plural = _("courriels sortants")
        ordering = ["-created_at"]
        indexes = [
            # What the sweep asks every minute: the queued ones that are due.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="queued"),
                name="outgoingemail_due_idx",
            ),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="outgoingemail_sent_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.template} → {', '.join(self.to)}"
