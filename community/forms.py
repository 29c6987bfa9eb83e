from django import forms
from django.utils.translation import gettext_lazy as _

from community.models import Discipline, Method, Profile
from lab.models import Region
from programmes.models import Project


class ProfileForm(forms.Form):
    display_name = forms.CharField(label=_("Nom affiché"), max_length=150)
    role = forms.CharField(label=_("Fonction"), max_length=200, required=False)
    region = forms.ModelChoiceField(
        label=_("Région"), queryset=Region.objects.exclude(generation="pre2016"), required=False
    )
    disciplines = forms.ModelMultipleChoiceField(
        label=_("Disciplines"),
        queryset=Discipline.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    methods = forms.ModelMultipleChoiceField(
        label=_("Méthodes"),
        queryset=Method.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    bio = forms.CharField(
        label=_("Présentation"),
        max_length=3000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    website = forms.URLField(label=_("Site web"), required=False, assume_scheme="https")
    languages = forms.CharField(label=_("Langues"), max_length=200, required=False)
    projects = forms.ModelMultipleChoiceField(
        label=_("Projets auxquels j'ai pris part"), queryset=Project.objects.published().order_by("title"),
        required=False, widget=forms.CheckboxSelectMultiple,
    )  # fmt: skip
    visibility = forms.ChoiceField(
        label=_("Qui voit ma fiche"), choices=Profile.Visibility.choices, widget=forms.RadioSelect
    )
    consent = forms.BooleanField(
        label=_(
            "J'accepte que ma fiche figure dans l'annuaire selon la visibilité choisie, et je peux la masquer ou la supprimer à tout moment."
        ),
        required=False,
    )


class ContactForm(forms.Form):
    message = forms.CharField(
        label=_("Votre message"),
        min_length=10,
        max_length=3000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )


class DeleteAccountForm(forms.Form):
    confirm = forms.CharField(
        label=_("Pour confirmer, écrivez SUPPRIMER"),
        max_length=20,
    )

    def clean_confirm(self):
        if self.cleaned_data["confirm"].strip().upper() != "SUPPRIMER":
            raise forms.ValidationError(_("Écrivez SUPPRIMER pour confirmer la suppression."))
        return self.cleaned_data["confirm"]
