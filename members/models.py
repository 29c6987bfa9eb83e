"""Membership as a lifecycle: applications, referents, invitations, notices, public pages.

The membership itself (`lab.models.Membership`, with its dates and its exclusion constraint)
stays in the core, which the access policy reads; this app holds what happens around it.
"""

from __future__ import annotations

import datetime
import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lab.models import Membership, Organisation

SIRET_OR_SIREN = r"^([0-9]{9}|[0-9]{14})$"


class Application(models.Model):
    """Someone asks that their organisation become a member or a partner."""

    class Status(models.TextChoices):
        NEW = "new", _("Nouvelle")
        DISCUSSION = "discussion", _("En discussion")
        ACCEPTED = "accepted", _("Acceptée")
        DECLINED = "declined", _("Déclinée")

    class BodyKind(models.TextChoices):
        REGION = "region", _("Région")
        DEPARTEMENT = "departement", _("Département")
        COMMUNE = "commune", _("Commune ou intercommunalité")
        STATE = "state", _("État ou opérateur de l'État")
        OTHER = "other", _("Autre")

    OPEN_STATUSES = [Status.NEW, Status.DISCUSSION]
    # The organisation's kind when an accepted application creates it.
    ORGANISATION_KIND = {
        BodyKind.REGION: Organisation.Kind.REGIONAL_COUNCIL,
        BodyKind.DEPARTEMENT: Organisation.Kind.DEPARTMENTAL_COUNCIL,
        BodyKind.COMMUNE: Organisation.Kind.CITY,
        BodyKind.STATE: Organisation.Kind.STATE,
        BodyKind.OTHER: Organisation.Kind.PUBLIC_BODY,
    }

    applicant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_applications",
        verbose_name=_("demandeur"),
    )
    # An existing organisation (the applicant's, or one found by its SIRET or name), or none:
    # accepting then creates it from the fields below.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="membership_applications",
        verbose_name=_("organisation"),
    )
    organisation_name = models.CharField(_("organisation (telle que saisie)"), max_length=200)
    siret = models.CharField(
        _("SIRET ou SIREN"),
        max_length=14,
        blank=True,
        help_text=_("14 chiffres (SIRET) ou 9 chiffres (SIREN), si vous le connaissez."),
    )
    body_kind = models.CharField(_("type de structure"), max_length=15, choices=BodyKind.choices)
    tier = models.CharField(_("adhésion souhaitée"), max_length=10, choices=Membership.Tier.choices)
    contact_name = models.CharField(_("personne à contacter"), max_length=150)
    contact_email = models.EmailField(_("adresse de contact"))
    contact_role = models.CharField(_("fonction"), max_length=150, blank=True)
    message = models.TextField(_("message"), max_length=4000, blank=True)
    status = models.CharField(
        _("statut"), max_length=12, choices=Status.choices, default=Status.NEW
    )
    staff_note = models.TextField(
        _("message au contact"),
        max_length=4000,
        blank=True,
        help_text=_(
            "Envoyé tel quel au contact dans le courriel qui annonce chaque changement de statut."
        ),
    )
    starts = models.DateField(_("début de l'adhésion"), null=True, blank=True)
    ends = models.DateField(_("fin de l'adhésion"), null=True, blank=True)
    membership = models.OneToOneField(
        Membership,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="application",
        verbose_name=_("adhésion créée"),
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("traitée par"),
    )
    decided_at = models.DateTimeField(_("décidée le"), null=True, blank=True)
    created_at = models.DateTimeField(_("reçue le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("mise à jour le"), auto_now=True)

    class Meta:
        verbose_name = _("demande d'adhésion")
        verbose_name_plural = _("demandes d'adhésion")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(siret="") | Q(siret__regex=SIRET_OR_SIREN),
                name="application_siret_format",
                violation_error_message=_("Un SIRET compte 14 chiffres, un SIREN 9."),
            ),
            # One pending application per person, and per known organisation: a second one
            # would only split the conversation.
            models.UniqueConstraint(
                fields=["applicant"],
                condition=Q(status__in=["new", "discussion"]),
                name="application_one_open_per_applicant",
                violation_error_message=_("Vous avez déjà une demande d'adhésion en cours."),
            ),
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(status__in=["new", "discussion"]),
                name="application_one_open_per_organisation",
                violation_error_message=_(
                    "Une demande d'adhésion de cette organisation est déjà en cours."
                ),
            ),
            models.CheckConstraint(
                condition=~Q(status="accepted") | Q(starts__isnull=False),
                name="application_accepted_has_start",
                violation_error_message=_("Une demande acceptée a une date de début."),
            ),
            models.CheckConstraint(
                condition=Q(ends__isnull=True) | Q(starts__isnull=True) | Q(ends__gte=models.F("starts")),
                name="application_ends_after_starts",
                violation_error_message=_("La fin d'une adhésion ne peut précéder son début."),
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.organisation_name} · {self.get_status_display()}"

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES


class Referent(models.Model):
    """A person who acts for their organisation: invites, email domains, detaching. Set by staff.

    A referent acts only while attached to that organisation (members/permissions.py)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="referents",
        verbose_name=_("organisation"),
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="referent",
        verbose_name=_("personne"),
    )
    since = models.DateTimeField(_("depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("référent")
        verbose_name_plural = _("référents")
        ordering = ["organisation", "user"]

    def __str__(self) -> str:
        return f"{self.user} · {self.organisation}"


INVITATION_VALID_FOR = datetime.timedelta(days=14)


def token_digest(token: str) -> str:
    """Only a digest of an invitation's token is kept: a leaked table opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


class InvitationQuerySet(models.QuerySet):
    def usable(self) -> InvitationQuerySet:
        return self.filter(used_at__isnull=True, expires_at__gt=timezone.now())


class Invitation(models.Model):
    """A single-use, expiring invitation to join an organisation, sent to one address.

    The link carries a random token; the row keeps its digest. Accepting locks the row, so two
    clicks racing use it once (members/services.py `invitation_accept`)."""

    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        related_name="invitations",
        verbose_name=_("organisation"),
    )
    email = models.EmailField(_("adresse invitée"))
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invitée par"),
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("envoyée le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("valable jusqu'au"))
    used_at = models.DateTimeField(_("utilisée le"), null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("utilisée par"),
    )

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            # One live invitation per address and organisation: inviting again replaces it.
            models.UniqueConstraint(
                Lower("email"),
                "organisation",
                condition=Q(used_at__isnull=True),
                name="invitation_one_pending_per_address",
            ),
        ]  # fmt: skip

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"


class MembershipNotice(models.Model):
    """What was told to an organisation about one membership's end: each notice goes once.

    The unique constraint is what makes the daily job safe to run twice, or on two workers."""

    class Kind(models.TextChoices):
        REMINDER_60 = "reminder_60", _("Rappel à 60 jours")
        REMINDER_15 = "reminder_15", _("Rappel à 15 jours")
        LAPSED = "lapsed", _("Fin de l'adhésion")

    membership = models.ForeignKey(
        Membership,
        on_delete=models.CASCADE,
        related_name="notices",
        verbose_name=_("adhésion"),
    )
    kind = models.CharField(_("avis"), max_length=12, choices=Kind.choices)
    # The end date the notice spoke of: an end moved by staff gets its own reminders.
    ends = models.DateField(_("fin annoncée"))
    sent_to = models.JSONField(_("destinataires"), default=list)
    sent_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)

    class Meta:
        verbose_name = _("avis d'échéance")
        verbose_name_plural = _("avis d'échéance")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["membership", "kind", "ends"], name="membershipnotice_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.membership} · {self.get_kind_display()}"


class OrganisationPage(models.Model):
    """An organisation's agreement to a public page (/organisations/<slug>/), and its words."""

    organisation = models.OneToOneField(
        Organisation,
        on_delete=models.CASCADE,
        related_name="public_page",
        verbose_name=_("organisation"),
    )
    listed = models.BooleanField(
        _("page publique"),
        default=False,
        help_text=_("L'organisation accepte d'apparaître sur le site et dans l'API."),
    )
    presentation = models.TextField(_("présentation"), max_length=2000, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("page publique d'organisation")
        verbose_name_plural = _("pages publiques d'organisation")
        indexes = [
            models.Index(fields=["organisation"], condition=Q(listed=True), name="orgpage_listed_idx")
        ]  # fmt: skip

    def __str__(self) -> str:
        return str(self.organisation)


class Team(models.Model):
    """A lab or an innovation team an organisation set up after a programme with the lab (the
    who's who of labs): Champagne-Ardenne's « Labo », made official in April 2015."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="teams", verbose_name=_("organisation")
    )
    name = models.CharField(_("nom"), max_length=200)
    founded = models.DateField(_("créée le"), null=True, blank=True)
    project = models.ForeignKey(
        "programmes.Project",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="teams",
        verbose_name=_("issue du projet"),
    )
    description = models.TextField(_("description"), max_length=2000, blank=True)

    class Meta:
        verbose_name = _("labo ou équipe d'innovation")
        verbose_name_plural = _("labos et équipes d'innovation")
        ordering = ["organisation", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "name"], name="team_name_unique")
        ]

    def __str__(self) -> str:
        return self.name
