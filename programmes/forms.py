from __future__ import annotations

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from programmes.models import PHONE_VALIDATOR


class ProgrammeRequestForm(forms.Form):
    organisation_name = forms.CharField(label=_("Votre organisation"), max_length=200)
    need = forms.CharField(
        label=_("Votre besoin, avec vos mots"),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 7}),
        help_text=_(
            "Le service ou la politique en question, ce qui coince, ce que vous espérez. 4 000 caractères au plus."
        ),
    )
    desired_start = forms.DateField(
        label=_("Début souhaité"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    desired_end = forms.DateField(
        label=_("Fin souhaitée"), widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})
    )
    expected_participants = forms.IntegerField(
        label=_("Nombre de participants attendus"), min_value=1, max_value=500
    )
    phone = forms.CharField(
        label=_("Téléphone"),
        max_length=20,
        validators=[PHONE_VALIDATOR],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )

    def clean_desired_start(self) -> datetime.date:
        start = self.cleaned_data["desired_start"]
        if start < timezone.localdate():
            raise forms.ValidationError(_("Choisissez une date à venir."))
        if start > timezone.localdate() + datetime.timedelta(days=3 * 365):
            raise forms.ValidationError(_("Choisissez une date dans les trois prochaines années."))
        return start

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("desired_start"), cleaned.get("desired_end")
        if start and end and end < start:
            self.add_error("desired_end", _("La fin souhaitée ne peut précéder le début."))
        return cleaned
