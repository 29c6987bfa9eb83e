from __future__ import annotations

import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from lab.lib.dates import paris_datetime
from lab.lib.inputs import validate_within_bounds
from superpublic.models import BookingSeries, Space

TIMES = [
    (f"{hour:02d}:{minute:02d}", f"{hour:02d}:{minute:02d}")
    for hour in range(7, 23)
    for minute in (0, 15, 30, 45)
]


class BookingForm(forms.Form):
    space = forms.ModelChoiceField(
        label=_("Espace"), queryset=Space.objects.filter(active=True), to_field_name="slug"
    )
    day = forms.DateField(
        label=_("Date"),
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[validate_within_bounds],
    )
    start = forms.ChoiceField(label=_("Début"), choices=TIMES)
    end = forms.ChoiceField(label=_("Fin"), choices=TIMES)
    attendees = forms.IntegerField(label=_("Nombre de participants"), min_value=1, max_value=1000)
    title = forms.CharField(label=_("Titre"), max_length=150)
    purpose = forms.CharField(
        label=_("Objet"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Ce que vous y ferez, pour l'équipe. Jamais affiché publiquement."),
    )  # fmt: skip
    repeat = forms.BooleanField(label=_("Répéter chaque semaine"), required=False)
    repeat_until = forms.DateField(
        label=_("Jusqu'au"),
        required=False,
        widget=forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"}),
        validators=[validate_within_bounds],
    )
    repeat_count = forms.IntegerField(
        label=_("ou nombre de semaines"), required=False, min_value=2, max_value=52
    )
    conflict_mode = forms.ChoiceField(
        label=_("Si une date est déjà prise"),
        choices=BookingSeries.ConflictMode.choices,
        initial=BookingSeries.ConflictMode.SKIP,
        widget=forms.RadioSelect,
    )
    is_public = forms.BooleanField(
        label=_("Événement public"), required=False,
        help_text=_(
            "Il devient un événement : dans l'agenda public de Superpublic, son flux iCal et la "
            "liste des événements, avec sa page où l'on s'inscrit."
        ),
    )  # fmt: skip
    public_description = forms.CharField(
        label=_("Présentation publique"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, privileged: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not privileged:
            del self.fields["is_public"]
            del self.fields["public_description"]

    def clean(self):
        cleaned = super().clean()
        day, start, end = cleaned.get("day"), cleaned.get("start"), cleaned.get("end")
        if day and start and end:
            cleaned["start_at"] = paris_datetime(day, datetime.time.fromisoformat(start))
            cleaned["end_at"] = paris_datetime(day, datetime.time.fromisoformat(end))
            if cleaned["end_at"] <= cleaned["start_at"]:
                self.add_error("end", _("La fin doit suivre le début."))
        if cleaned.get("repeat"):
            until, count = cleaned.get("repeat_until"), cleaned.get("repeat_count")
            if bool(until) == bool(count):
                self.add_error(
                    "repeat_until", _("Indiquez soit une date de fin, soit un nombre de semaines.")
                )
            elif until and day and until <= day:
                self.add_error(
                    "repeat_until", _("La fin de la série doit suivre la première date.")
                )
        if cleaned.get("is_public") and not (cleaned.get("public_description") or "").strip():
            self.add_error(
                "public_description",
                _("Présentez l'événement en quelques lignes pour l'agenda public."),
            )
        return cleaned


class CancelForm(forms.Form):
    scope = forms.ChoiceField(
        choices=[
            ("one", _("Cette date seulement")),
            ("rest", _("Cette date et les suivantes de la série")),
        ],
        initial="one",
        required=False,
    )
