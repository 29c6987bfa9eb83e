"""Writes of the membership's life: applying, deciding, renewing, notices, referents' acts.

Only staff create, extend or end memberships (`application_decide`, `membership_renew`, from
the admin); a referent acts within their own organisation (invitations, email domains,
detaching people), checked by the views through members/permissions.py and again here.
"""

from __future__ import annotations

import datetime
import re
import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, ExpressionWrapper, OuterRef
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from lab import access
from lab.models import EmailDomain, Membership, Organisation, User
from lab.outbox import email_send
from lab.services import organisation_for_siret
from members.models import (
    INVITATION_VALID_FOR,
    Application,
    Invitation,
    MembershipNotice,
    OrganisationPage,
    Referent,
    token_digest,
)


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "j F Y") if value else ""


def _admin_url(name: str, *args) -> str:
    return settings.SITE_URL + reverse(name, args=args)


# Applying ---------------------------------------------------------------------------------------


def application_create(
    *,
    applicant: User,
    organisation_name: str,
    siret: str,
    body_kind: str,
    tier: str,
    contact_name: str,
    contact_email: str,
    contact_role: str = "",
    message: str = "",
) -> Application:
    """Record an application and tell staff. The organisation is the applicant's own when they
    are attached to one, else an existing one found by SIRET (or SIREN) or exact name, else
    none (accepting creates it).

    Raises ValidationError (nothing stored) for a malformed SIRET, an organisation already a
    member, or an application already pending for this person or organisation."""
    siret = "".join(siret.split())
    if siret and not re.fullmatch(r"[0-9]{9}|[0-9]{14}", siret):
        raise ValidationError(
            {"siret": _("Un SIRET compte 14 chiffres et un SIREN 9, sans lettres.")}
        )
    organisation = applicant.organisation
    if organisation is None and siret:
        organisation = (
            organisation_for_siret(siret)
            if len(siret) == 14
            else Organisation.objects.filter(siren=siret).first()
        )
    if organisation is None:
        organisation = Organisation.objects.filter(name__iexact=organisation_name.strip()).first()
    if (
        organisation is not None
        and Membership.objects.active().filter(organisation=organisation).exists()
    ):
        raise ValidationError(
            _("%(name)s est déjà adhérente ou partenaire : rien à demander.")
            % {"name": organisation.name}
        )
    application = Application(
        applicant=applicant,
        organisation=organisation,
        organisation_name=organisation.name if organisation else organisation_name.strip(),
        siret=siret,
        body_kind=body_kind,
        tier=tier,
        contact_name=contact_name.strip(),
        contact_email=contact_email.strip().lower(),
        contact_role=contact_role.strip(),
        message=message.strip(),
    )
    application.full_clean()  # the constraints: one pending per person and per organisation
    try:
        with transaction.atomic():
            application.save()
            email_send(
                name="members/application_new",
                to=list(settings.STAFF_NOTIFICATION_EMAILS),
                context={
                    "organisation": application.organisation_name,
                    "tier": application.get_tier_display(),
                    "contact": application.contact_name,
                    "contact_email": application.contact_email,
                    "message": application.message,
                    "admin_url": _admin_url("admin:members_application_change", application.pk),
                },
                language="fr",
            )
            email_send(
                name="members/application_received",
                to=[application.contact_email],
                context={
                    "contact": application.contact_name,
                    "organisation": application.organisation_name,
                },
            )
    except IntegrityError as error:  # a second submit raced past full_clean()
        raise ValidationError(
            _("Une demande d'adhésion est déjà en cours pour vous ou votre organisation.")
        ) from error
    return application


def _new_organisation(application: Application) -> Organisation:
    base = slugify(application.organisation_name)[:180] or "organisation"
    slug, n = base, 1
    while Organisation.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    siret = application.siret if len(application.siret) == 14 else ""
    organisation = Organisation(
        name=application.organisation_name,
        slug=slug,
        kind=Application.ORGANISATION_KIND[application.body_kind],
        siret=siret,
        siren=application.siret[:9],
    )
    organisation.full_clean()
    organisation.save()
    return organisation


def application_decide(
    *,
    application: Application,
    status: str,
    by: User,
    staff_note: str = "",
    starts: datetime.date | None = None,
    ends: datetime.date | None = None,
    tier: str | None = None,
) -> Application:
    """Staff move an application on (new → in discussion → accepted or declined) and the
    contact is told. Accepting creates the organisation if needed, its membership with its
    dates, attaches the applicant to it and makes them its referent.

    Raises ValidationError (nothing stored) when the membership cannot be (dates missing or
    overlapping another membership), or the application was already decided."""
    with transaction.atomic():
        # Two staff deciding at once: the second sees the first's decision.
        application = Application.objects.select_for_update().get(pk=application.pk)
        if not application.is_open:
            raise ValidationError(_("Cette demande a déjà été tranchée."))
        if status not in Application.Status.values:
            raise ValidationError(_("Statut inconnu."))
        application.status = status
        application.staff_note = staff_note
        application.tier = tier or application.tier
        application.starts, application.ends = starts, ends
        if status == Application.Status.ACCEPTED:
            if starts is None:
                raise ValidationError({"starts": _("Indiquez la date de début de l'adhésion.")})
            organisation = application.organisation or _new_organisation(application)
            membership = Membership(
                organisation=organisation, tier=application.tier, starts=starts, ends=ends
            )
            membership.full_clean()  # ends before starts, an overlapping membership
            try:
                with transaction.atomic():
                    membership.save()
            except IntegrityError as error:  # another membership raced in
                raise ValidationError(
                    _("Cette organisation a déjà une adhésion sur cette période.")
                ) from error
            application.organisation = organisation
            application.membership = membership
            applicant = application.applicant
            if applicant is not None and applicant.organisation_id in (None, organisation.pk):
                User.objects.filter(pk=applicant.pk).update(organisation=organisation)
                Referent.objects.get_or_create(
                    user=applicant, defaults={"organisation": organisation}
                )
                access.forget(applicant)
        if status in (Application.Status.ACCEPTED, Application.Status.DECLINED):
            application.decided_by, application.decided_at = by, timezone.now()
        application.full_clean()
        application.save()
        email_send(
            name="members/application_status",
            to=[application.contact_email],
            context={
                "contact": application.contact_name,
                "organisation": application.organisation_name,
                "status": application.status,
                "status_label": application.get_status_display(),
                "tier": application.get_tier_display(),
                "starts": _date(application.starts),
                "ends": _date(application.ends),
                "note": staff_note,
                "space_url": settings.SITE_URL + reverse("members:space"),
            },
        )
    return application


# Renewal and lapse ------------------------------------------------------------------------------


def _successor() -> Exists:
    """A membership of the same organisation starting the day after this one ends."""
    day_after = ExpressionWrapper(
        OuterRef("ends") + datetime.timedelta(days=1), output_field=DateField()
    )
    return Exists(
        Membership.objects.filter(organisation=OuterRef("organisation"), starts=day_after)
    )


def _years_after(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def membership_renew(*, membership: Membership, years: int = 1) -> Membership:
    """Staff renew: a new membership from the day after the old end, for `years` years, so
    that not one day is left uncovered. Raises ValidationError for an open-ended membership
    or one already renewed."""
    if membership.ends is None:
        raise ValidationError(_("Une adhésion sans date de fin n'a pas à être renouvelée."))
    starts = membership.ends + datetime.timedelta(days=1)
    renewed = Membership(
        organisation=membership.organisation,
        tier=membership.tier,
        starts=starts,
        ends=_years_after(membership.ends, years),
        note=_("Renouvellement de l'adhésion qui finissait le %(date)s")
        % {"date": membership.ends.isoformat()},
    )
    renewed.full_clean()  # the overlap constraint: already renewed
    try:
        with transaction.atomic():
            renewed.save()
    except IntegrityError as error:
        raise ValidationError(
            _("Cette organisation a déjà une adhésion sur cette période.")
        ) from error
    return renewed


def _contacts(membership: Membership) -> list[str]:
    """Who hears of a membership's end: its organisation's referents, else the contact of the
    application that created it, else the lab's team (who will call)."""
    emails = list(
        Referent.objects.filter(
            organisation=membership.organisation_id,
            user__organisation=membership.organisation_id,
            user__is_active=True,
        ).values_list("user__email", flat=True)
    )
    if not emails:
        emails = list(
            Application.objects.filter(
                organisation=membership.organisation_id, status=Application.Status.ACCEPTED
            )
            .order_by("-decided_at")
            .values_list("contact_email", flat=True)[:1]
        )
    return sorted(set(emails)) or list(settings.STAFF_NOTIFICATION_EMAILS)


# Which notice a membership gets, by how many days are left before its end (the day after the
# end: -1). A day the job did not run is caught up the next day; a lapse more than a week old
# is not announced (a first run on old data must not write to long-gone members).
REMINDER_WINDOWS = [
    (MembershipNotice.Kind.REMINDER_60, 16, 60),
    (MembershipNotice.Kind.REMINDER_15, 0, 15),
    (MembershipNotice.Kind.LAPSED, -7, -1),
]


def membership_notices_send(*, today: datetime.date | None = None) -> int:
    """Remind the contacts 60 and 15 days before a membership ends and tell them, the day
    after, what changed. Each notice once per membership and end date, even when two runs
    overlap: the notice's row is written with its email, under a unique constraint.
    Returns how many notices left."""
    today = today or timezone.localdate()
    sent = 0
    for kind, nearest, farthest in REMINDER_WINDOWS:
        due = (
            Membership.objects.filter(
                ends__gte=today + datetime.timedelta(days=nearest),
                ends__lte=today + datetime.timedelta(days=farthest),
            )
            .exclude(_successor())  # renewed: nothing to remind, nothing lapses
            .exclude(Exists(MembershipNotice.objects.filter(membership=OuterRef("pk"), kind=kind, ends=OuterRef("ends"))))
            .select_related("organisation")
        )  # fmt: skip
        for membership in due:
            sent += _notice_send(membership=membership, kind=kind, today=today)
    return sent


def _notice_send(*, membership: Membership, kind: str, today: datetime.date) -> int:
    to = _contacts(membership)
    try:
        with transaction.atomic():
            # The row first: a concurrent run that wrote it already makes this one stop here,
            # and its email is rolled back with it.
            MembershipNotice.objects.create(
                membership=membership, kind=kind, ends=membership.ends, sent_to=to
            )
            email_send(
                name=f"members/{'lapsed' if kind == MembershipNotice.Kind.LAPSED else 'reminder'}",
                to=to,
                context={
                    "organisation": membership.organisation.name,
                    "tier": membership.get_tier_display(),
                    "ends": _date(membership.ends),
                    "days_left": (membership.ends - today).days,
                    "space_url": settings.SITE_URL + reverse("members:space"),
                    "join_url": settings.SITE_URL + reverse("members:join"),
                },
                language="fr",
                reply_to=list(settings.STAFF_NOTIFICATION_EMAILS),
            )
    except IntegrityError:
        return 0
    return 1


# Referents' acts --------------------------------------------------------------------------------


def _check_referent(by: User, organisation: Organisation) -> None:
    """Defence in depth: the views ask members/permissions.py first."""
    from members.permissions import referent_of

    acting_for = referent_of(by)
    if acting_for is None or acting_for.pk != organisation.pk:
        raise ValidationError(_("Vous n'agissez que pour votre propre organisation."))


def invitation_create(
    *, organisation: Organisation, email: str, by: User
) -> tuple[Invitation, str]:
    """A referent invites a colleague; the email carries a single-use link valid 14 days.

    Raises ValidationError (nothing stored) for an address whose account belongs to another
    organisation, or already to this one. Inviting the same address again replaces the
    pending invitation (the old link stops working)."""
    _check_referent(by, organisation)
    email = email.strip().lower()
    existing = User.objects.annotate(lower=Lower("email")).filter(lower=email).first()
    if existing is not None and existing.organisation_id == organisation.pk:
        raise ValidationError(
            {"email": _("Cette personne fait déjà partie de votre organisation.")}
        )
    if existing is not None and existing.organisation_id is not None:
        raise ValidationError(
            {"email": _("Cette adresse appartient au compte d'une autre organisation : elle ne peut pas être invitée.")}
        )  # fmt: skip
    token = secrets.token_urlsafe(32)
    try:
        return _invitation_replace(
            organisation=organisation, email=email, by=by, token=token
        ), token
    except IntegrityError as error:  # the same address invited twice at once
        raise ValidationError(
            {"email": _("Une invitation vient de partir vers cette adresse.")}
        ) from error


def _invitation_replace(
    *, organisation: Organisation, email: str, by: User, token: str
) -> Invitation:
    with transaction.atomic():
        Invitation.objects.annotate(lower=Lower("email")).filter(
            lower=email, organisation=organisation, used_at__isnull=True
        ).delete()
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            invited_by=by,
            token_hash=token_digest(token),
            expires_at=timezone.now() + INVITATION_VALID_FOR,
        )
        email_send(
            name="members/invitation",
            to=[email],
            context={
                "organisation": organisation.name,
                "inviter": by.get_full_name() or by.email,
                "url": settings.SITE_URL + reverse("members:invitation", args=[token]),
                "expires": _date(timezone.localdate(invitation.expires_at)),
            },
        )
    return invitation


class InvitationError(ValidationError):
    """An invitation that cannot be used, with the reason a person can read; `gone` when the
    link itself is spent (410) rather than unknown (404) or not theirs (403)."""

    def __init__(self, message: str, status: int):
        super().__init__(message)
        self.status = status


def invitation_check(token: str, *, user: Any = None) -> Invitation:
    """The invitation behind a link, if it may be used now by this person (anyone, for a
    visitor about to create the account). Raises InvitationError otherwise."""
    invitation = Invitation.objects.filter(token_hash=token_digest(token)).select_related("organisation").first()  # fmt: skip
    if invitation is None:
        raise InvitationError(_("Ce lien d'invitation n'existe pas."), 404)
    if invitation.used_at is not None:
        raise InvitationError(_("Cette invitation a déjà servi : elle ne vaut qu'une fois."), 410)
    if invitation.expires_at <= timezone.now():
        raise InvitationError(
            _("Cette invitation a expiré : demandez-en une nouvelle à la personne qui vous l'a envoyée."),
            410,
        )  # fmt: skip
    if user is not None and getattr(user, "is_authenticated", False):
        if user.email.lower() != invitation.email.lower():
            raise InvitationError(
                _("Cette invitation est adressée à une autre adresse que celle de votre compte."), 403
            )  # fmt: skip
        if user.organisation_id not in (None, invitation.organisation_id):
            raise InvitationError(
                _("Votre compte appartient déjà à une autre organisation : cette invitation ne peut pas vous y faire entrer."),
                403,
            )  # fmt: skip
    return invitation


def invitation_accept(
    *,
    token: str,
    user: User | None = None,
    first_name: str = "",
    last_name: str = "",
    password: str = "",
) -> User:
    """Use an invitation, once. A visitor gets an account at the invited address, verified by
    this very click (the link only ever reached that mailbox); a signed-in person at that
    address is attached. Either way the account joins the invitation's organisation.

    The invitation's row is locked: two clicks racing (or a replayed link) use it once, and
    the second gets InvitationError."""
    with transaction.atomic():
        invitation = invitation_check(token, user=user)
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.used_at is not None:  # the other click won the race
            raise InvitationError(
                _("Cette invitation a déjà servi : elle ne vaut qu'une fois."), 410
            )
        if user is None:
            from allauth.account.models import EmailAddress

            if (
                User.objects.annotate(lower=Lower("email"))
                .filter(lower=locked.email.lower())
                .exists()
            ):
                raise InvitationError(
                    _("Un compte existe déjà à cette adresse : connectez-vous, puis rouvrez le lien."), 409
                )  # fmt: skip
            user = User.objects.create_user(
                email=locked.email,
                password=password,
                first_name=first_name.strip(),
                last_name=last_name.strip(),
            )
            EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=True)
        # Only an unattached account (or one already there) joins: a concurrent staff edit wins.
        updated = User.objects.filter(pk=user.pk, organisation__isnull=True).update(
            organisation=locked.organisation
        )
        if not updated and user.organisation_id != locked.organisation_id:
            raise InvitationError(
                _("Votre compte appartient déjà à une autre organisation : cette invitation ne peut pas vous y faire entrer."),
                403,
            )  # fmt: skip
        user.organisation = locked.organisation
        locked.used_at, locked.used_by = timezone.now(), user
        locked.save(update_fields=["used_at", "used_by"])
        access.forget(user)
    return user


def person_detach(*, person: User, by: User) -> None:
    """A referent detaches someone who left their organisation (their account stays; it no
    longer speaks for the organisation). A referent does not detach themselves here."""
    organisation = by.organisation
    _check_referent(by, organisation)
    if person.pk == by.pk:
        raise ValidationError(_("Vous ne pouvez pas vous retirer vous-même : demandez à l'équipe."))
    with transaction.atomic():
        updated = User.objects.filter(pk=person.pk, organisation=organisation).update(
            organisation=None
        )
        if not updated:
            raise ValidationError(_("Cette personne ne fait pas partie de votre organisation."))
        Referent.objects.filter(user=person).delete()
    access.forget(person)


# Email domains: added only once a code sent to an address on the domain is typed back.

DOMAIN_CODE_VALID_FOR = 15 * 60  # seconds
DOMAIN_MAX_TRIES = 5
SESSION_DOMAIN = "members_domain_claim"
# Addresses anyone can open: attaching by them would attach strangers.
PUBLIC_MAIL_DOMAINS = {
    "gmail.com", "googlemail.com", "yahoo.fr", "yahoo.com", "hotmail.fr", "hotmail.com",
    "outlook.fr", "outlook.com", "live.fr", "orange.fr", "wanadoo.fr", "free.fr", "sfr.fr",
    "laposte.net", "icloud.com", "me.com", "gmx.fr", "protonmail.com", "proton.me",
}  # fmt: skip
DOMAIN_RE = re.compile(r"^(?=.{3,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def domain_claim_start(*, session, organisation: Organisation, address: str, by: User) -> str:
    """Send a six-digit code to `address`; its domain is added once the code comes back.
    Returns the domain. Raises ValidationError for a domain that is malformed, public, or
    already another organisation's."""
    _check_referent(by, organisation)
    address = address.strip().lower()
    local, _at, domain = address.rpartition("@")
    if not local or not DOMAIN_RE.match(domain):
        raise ValidationError({"address": _("Saisissez une adresse complète, par exemple prenom.nom@votre-collectivite.fr.")})  # fmt: skip
    if domain in PUBLIC_MAIL_DOMAINS:
        raise ValidationError({"address": _("Ce domaine est une messagerie ouverte à tous : il ne peut pas désigner votre organisation.")})  # fmt: skip
    owner = EmailDomain.objects.annotate(lower=Lower("domain")).filter(lower=domain).first()
    if owner is not None:
        message = (
            _("Ce domaine est déjà celui de votre organisation.")
            if owner.organisation_id == organisation.pk
            else _("Ce domaine est déjà rattaché à une autre organisation : écrivez à l'équipe.")
        )
        raise ValidationError({"address": message})
    code = f"{secrets.randbelow(10**6):06d}"
    session[SESSION_DOMAIN] = {
        "organisation": organisation.pk,
        "domain": domain,
        "address": address,
        "hash": make_password(code),
        "until": timezone.now().timestamp() + DOMAIN_CODE_VALID_FOR,
        "tries": 0,
    }
    email_send(
        name="members/domain_code",
        to=[address],
        context={"organisation": organisation.name, "domain": domain, "code": code},
    )
    return domain


def domain_claim_confirm(
    *, session, organisation: Organisation, code: str, by: User
) -> EmailDomain:
    """The code typed back: the domain joins the organisation's. Raises ValidationError for a
    wrong, expired or over-tried code (nothing stored)."""
    _check_referent(by, organisation)
    pending = session.get(SESSION_DOMAIN)
    entered = "".join(code.split())
    if (
        not pending
        or pending["organisation"] != organisation.pk
        or pending["until"] < timezone.now().timestamp()
    ):
        raise ValidationError({"code": _("Ce code n'est plus valable : demandez-en un nouveau.")})  # fmt: skip
    if pending["tries"] >= DOMAIN_MAX_TRIES:
        raise ValidationError({"code": _("Trop d'essais : demandez un nouveau code.")})
    if not check_password(entered, pending["hash"]):
        pending["tries"] += 1
        session[SESSION_DOMAIN] = pending
        raise ValidationError({"code": _("Ce code ne correspond pas.")})
    del session[SESSION_DOMAIN]
    domain = EmailDomain(organisation=organisation, domain=pending["domain"])
    try:
        domain.full_clean()
        with transaction.atomic():
            domain.save()
    except (ValidationError, IntegrityError) as error:  # taken meanwhile
        raise ValidationError({"code": _("Ce domaine vient d'être rattaché à une autre organisation.")}) from error  # fmt: skip
    return domain


def domain_remove(*, domain: EmailDomain, by: User) -> None:
    _check_referent(by, domain.organisation)
    domain.delete()


def page_set(
    *, organisation: Organisation, listed: bool, presentation: str, by: User
) -> OrganisationPage:
    """A referent decides whether their organisation appears publicly, and in which words."""
    _check_referent(by, organisation)
    page, _created = OrganisationPage.objects.update_or_create(
        organisation=organisation,
        defaults={"listed": listed, "presentation": presentation.strip()[:2000]},
    )
    return page


# A person's account ------------------------------------------------------------------------------


def account_export(user: User) -> dict:
    return {
        "membership_applications": [
            {
                "organisation": a.organisation_name,
                "tier": a.tier,
                "status": a.status,
                "contact_name": a.contact_name,
                "contact_email": a.contact_email,
                "message": a.message,
                "created_at": a.created_at.isoformat(),
            }
            for a in Application.objects.filter(applicant=user)
        ],
        "referent_of": getattr(getattr(user, "referent", None), "organisation_id", None),
    }


def account_forget(user: User) -> None:
    """Pending applications go with the person; decided ones stay (they made a membership) with
    no link to the account. The referent row cascades with the account."""
    Application.objects.filter(applicant=user, status__in=Application.OPEN_STATUSES).delete()
