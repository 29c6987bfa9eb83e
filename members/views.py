"""Pages of the membership's life: joining, the organisation's space, referents' acts,
invitations and public organisation pages. Thin: parse, ask the access policy, call a service
or a selector, render."""

from __future__ import annotations

import csv

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from lab import access
from lab.lib.cache_pages import cache_page_for_anonymous
from lab.models import EmailDomain, Organisation, User
from members import permissions, selectors, services
from members.forms import (
    ApplicationForm,
    DomainAddressForm,
    DomainCodeForm,
    InvitationAcceptForm,
    InvitationForm,
    PageForm,
)
from members.models import Application, OrganisationPage


def _errors(error: ValidationError) -> list[str]:
    return [str(m) for m in error.messages]


# Joining ----------------------------------------------------------------------------------------


@require_safe
def join(request):
    """« Devenir adhérent ou partenaire »: what each kind of membership gives, and the way in."""
    reader = access.reader(request.user)
    pending = None
    if reader.verified:
        pending = Application.objects.filter(
            applicant=request.user, status__in=Application.OPEN_STATUSES
        ).first()
    return render(request, "members/join.html", {"member": reader.member, "pending": pending})


@access.verified_required
@require_http_methods(["GET", "POST"])
def apply(request):
    user = request.user
    reader = access.reader(user)
    if reader.member:
        messages.info(request, _("Votre organisation est déjà adhérente ou partenaire."))
        return redirect("members:space")
    organisation = user.organisation
    initial = {
        "organisation_name": organisation.name if organisation else "",
        "siret": organisation.siret if organisation else "",
        "contact_name": user.get_full_name(),
        "contact_email": user.email,
    }
    form = ApplicationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_create(applicant=user, **form.cleaned_data)
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                for field, errors in error.message_dict.items():
                    form.add_error(field if field in form.fields else None, errors)
            else:
                form.add_error(None, error)
        else:
            messages.success(
                request,
                _(
                    "Votre demande est envoyée : l'équipe vous répond sous quinze jours, par courriel."
                ),
            )
            return redirect("members:join")
    return render(
        request,
        "members/apply.html",
        {"form": form, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


# The organisation's space ------------------------------------------------------------------------


@access.verified_required
@require_safe
def space(request):
    user = request.user
    organisation = user.organisation
    context = {"organisation": organisation, "allowed": permissions.may_see_space(user)}
    if organisation is not None and context["allowed"]:
        memberships = selectors.memberships_of(organisation)
        referent_of = permissions.referent_of(user)
        context.update(
            memberships=memberships,
            membership=selectors.current_or_last_membership(memberships),
            active=access.reader(user).member,
            people=list(selectors.people_of(organisation)),
            report=selectors.usage_report(organisation),
            referent=referent_of is not None,
            domains=list(organisation.email_domains.all()),
            invitations=list(organisation.invitations.usable()) if referent_of else [],
            invitation_form=InvitationForm(),
            page_form=PageForm(initial=_page_initial(organisation)),
            today=timezone.localdate(),
        )
    return render(request, "members/space.html", context)


def _page_initial(organisation: Organisation) -> dict:
    page = OrganisationPage.objects.filter(organisation=organisation).first()
    return {"listed": page.listed, "presentation": page.presentation} if page else {}


def usage_csv_response(organisation: Organisation) -> HttpResponse:
    """The usage report as CSV (the organisation's space and the admin both serve it)."""
    report = selectors.usage_report(organisation)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    filename = f"usage-{organisation.slug}-{report.years[-1]}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write("\ufeff")  # spreadsheets read UTF-8 then
    writer = csv.writer(response)
    writer.writerows(report.as_rows())
    return response


@access.verified_required
@require_safe
def usage_csv(request):
    if not permissions.may_see_space(request.user):
        return render(request, "members/not_allowed.html", status=403)
    return usage_csv_response(request.user.organisation)


# Referents' acts: POST only, within their own organisation ---------------------------------------


def _referent_or_403(request):
    organisation = permissions.referent_of(request.user)
    if organisation is None:
        return None, render(request, "members/not_allowed.html", status=403)
    return organisation, None


@access.verified_required
@require_POST
def invite(request):
    organisation, refused = _referent_or_403(request)
    if refused:
        return refused
    form = InvitationForm(request.POST)
    if form.is_valid():
        try:
            services.invitation_create(
                organisation=organisation, email=form.cleaned_data["email"], by=request.user
            )
        except ValidationError as error:
            for message in _errors(error):
                messages.error(request, message)
        else:
            messages.success(
                request,
                _("Invitation envoyée à %(email)s ; le lien vaut quatorze jours, une fois.")
                % {"email": form.cleaned_data["email"]},
            )
    else:
        messages.error(request, _("Saisissez une adresse électronique valide."))
    return redirect("members:space")


@access.verified_required
@require_POST
def detach(request, pk: int):
    organisation, refused = _referent_or_403(request)
    if refused:
        return refused
    # Only someone of the referent's own organisation: anyone else is not found.
    person = get_object_or_404(User, pk=pk, organisation=organisation)
    try:
        services.person_detach(person=person, by=request.user)
    except ValidationError as error:
        for message in _errors(error):
            messages.error(request, message)
    else:
        messages.success(
            request,
            _("%(name)s ne fait plus partie de votre organisation sur la plateforme.")
            % {"name": person.get_full_name() or person.email},
        )
    return redirect("members:space")


@access.verified_required
@require_POST
def page_settings(request):
    organisation, refused = _referent_or_403(request)
    if refused:
        return refused
    form = PageForm(request.POST)
    if form.is_valid():
        services.page_set(organisation=organisation, by=request.user, **form.cleaned_data)
        messages.success(request, _("Votre choix de page publique est enregistré."))
    else:
        messages.error(request, _("La présentation compte 2 000 caractères au plus."))
    return redirect("members:space")


@never_cache
@access.verified_required
@require_http_methods(["GET", "POST"])
def domains(request):
    organisation, refused = _referent_or_403(request)
    if refused:
        return refused
    address_form, code_form = DomainAddressForm(), DomainCodeForm()
    status = 200
    action = request.POST.get("action")
    if request.method == "POST" and action == "send":
        address_form = DomainAddressForm(request.POST)
        if address_form.is_valid():
            try:
                domain = services.domain_claim_start(
                    session=request.session,
                    organisation=organisation,
                    address=address_form.cleaned_data["address"],
                    by=request.user,
                )
            except ValidationError as error:
                address_form.add_error("address", _errors(error))
            else:
                messages.info(
                    request,
                    _("Un code vient de partir vers %(address)s pour le domaine %(domain)s.")
                    % {"address": address_form.cleaned_data["address"], "domain": domain},
                )
                return redirect("members:domains")
        status = 400
    elif request.method == "POST" and action == "confirm":
        code_form = DomainCodeForm(request.POST)
        if code_form.is_valid():
            try:
                domain = services.domain_claim_confirm(
                    session=request.session,
                    organisation=organisation,
                    code=code_form.cleaned_data["code"],
                    by=request.user,
                )
            except ValidationError as error:
                code_form.add_error("code", _errors(error))
            else:
                messages.success(
                    request,
                    _("Le domaine %(domain)s est ajouté : les adresses vérifiées qui s'y trouvent rejoignent votre organisation.")
                    % {"domain": domain.domain},
                )  # fmt: skip
                return redirect("members:domains")
        status = 400
    elif request.method == "POST" and action == "remove":
        domain = get_object_or_404(
            EmailDomain, pk=request.POST.get("domain", "0") if request.POST.get("domain", "").isdigit() else 0,
            organisation=organisation,
        )  # fmt: skip
        services.domain_remove(domain=domain, by=request.user)
        messages.success(
            request, _("Le domaine %(domain)s est retiré.") % {"domain": domain.domain}
        )
        return redirect("members:domains")
    elif request.method == "POST":
        status = 400
    pending = request.session.get(services.SESSION_DOMAIN)
    return render(
        request,
        "members/domains.html",
        {
            "organisation": organisation,
            "domains": list(organisation.email_domains.all()),
            "address_form": address_form,
            "code_form": code_form,
            "pending": pending if pending and pending["organisation"] == organisation.pk else None,
        },
        status=status,
    )


# Invitations ---------------------------------------------------------------------------------------


@never_cache
@require_http_methods(["GET", "POST"])
def invitation(request, token: str):
    """The link of an invitation email: one click joins (an account is created for a visitor
    at the invited address, verified by this click; a signed-in person at that address is
    attached)."""
    user = request.user if request.user.is_authenticated else None
    if len(token) > 100:
        raise Http404
    try:
        found = services.invitation_check(token, user=user)
    except services.InvitationError as error:
        return render(
            request, "members/invitation.html", {"error": error.messages[0]}, status=error.status
        )
    if user is None and User.objects.filter(email__iexact=found.email).exists():
        # An account exists at this address: its owner signs in first, then comes back.
        return render(request, "members/invitation.html", {"invitation": found, "sign_in": True})
    form = InvitationAcceptForm(request.POST or None) if user is None else None
    if request.method == "POST" and (user is not None or form.is_valid()):
        try:
            joined = services.invitation_accept(
                token=token, user=user, **(form.cleaned_data if form else {})
            )
        except services.InvitationError as error:
            return render(
                request,
                "members/invitation.html",
                {"error": error.messages[0]},
                status=error.status,
            )
        if user is None:
            login(request, joined, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(
            request,
            _("Bienvenue : votre compte fait partie de %(name)s.")
            % {"name": found.organisation.name},
        )
        return redirect("members:space")
    return render(
        request,
        "members/invitation.html",
        {"invitation": found, "form": form},
        status=400 if request.method == "POST" else 200,
    )  # fmt: skip


# Public organisation pages -------------------------------------------------------------------------


@cache_page_for_anonymous(60)
@require_safe
def organisations(request):
    return render(
        request, "members/organisations.html", {"organisations": list(selectors.listed_organisations())}
    )  # fmt: skip


@cache_page_for_anonymous(60)
@require_safe
def organisation(request, slug: str):
    found = get_object_or_404(selectors.listed_organisations(), slug=slug)
    return render(
        request,
        "members/organisation.html",
        {"organisation": found, **selectors.public_page_of(found)},
    )
