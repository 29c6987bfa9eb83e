from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.utils.translation import gettext_lazy as _

from lab.models import Membership
from members.models import Application


class ApplicationForm(forms.Form):
    organisation_name = forms.CharField(
        label=_("Votre organisation"),
        max_length=200,
        help_text=_("Son nom officiel, par exemple « Conseil départemental du Val-de-Marne »."),
    )
    siret = forms.CharField(
        label=_("SIRET ou SIREN (facultatif)"),
        max_length=20,
        required=False,
        help_text=_("14 chiffres pour le SIRET, 9 pour le SIREN : il nous aide à retrouver votre organisation."),
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )  # fmt: skip
    body_kind = forms.ChoiceField(
        label=_("Type de structure"), choices=Application.BodyKind.choices
    )
    tier = forms.ChoiceField(
        label=_("Vous souhaitez devenir"),
        choices=Membership.Tier.choices,
        widget=forms.RadioSelect,
        initial=Membership.Tier.MEMBER,
    )
    contact_name = forms.CharField(
        label=_("Personne à contacter"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    contact_role = forms.CharField(label=_("Sa fonction"), max_length=150, required=False)
    contact_email = forms.EmailField(
        label=_("Son adresse électronique"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    message = forms.CharField(
        label=_("Votre message"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce que vous attendez de l'adhésion, vos projets. 4 000 caractères au plus."),
    )

    def clean_siret(self) -> str:
        siret = "".join(self.cleaned_data["siret"].split())
        if siret and not (siret.isdigit() and len(siret) in (9, 14)):
            raise forms.ValidationError(
                _("Un SIRET compte 14 chiffres et un SIREN 9, sans lettres.")
            )
        return siret


class InvitationForm(forms.Form):
    email = forms.EmailField(
        label=_("Adresse de votre collègue"), widget=forms.EmailInput(attrs={"autocomplete": "off"})
    )


class InvitationAcceptForm(forms.Form):
    first_name = forms.CharField(
        label=_("Prénom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    last_name = forms.CharField(
        label=_("Nom"),
        max_length=150,
        widget=forms.TextInput(attrs={"autocomplete": "family-name"}),
    )
    password = forms.CharField(
        label=_("Mot de passe"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("Au moins 10 caractères, pas seulement des chiffres."),
    )

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        password_validation.validate_password(password)
        return password


class DomainAddressForm(forms.Form):
    address = forms.EmailField(
        label=_("Une adresse sur le domaine à ajouter"),
        help_text=_("Un code y sera envoyé ; le domaine est ajouté quand vous le saisissez ici."),
    )


class DomainCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code reçu"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "one-time-code"}),
    )


class PageForm(forms.Form):
    listed = forms.BooleanField(
        label=_("Notre organisation accepte d'avoir une page publique sur le site et dans l'API"),
        required=False,
    )
    presentation = forms.CharField(
        label=_("Présentation (facultative)"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
