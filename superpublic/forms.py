from __future__ import annotations

import datetime
import re

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from lab.lib.dates import paris_datetime
from lab.lib.inputs import validate_within_bounds
from lab.templatetags.lab_tags import SELECTED
from superpublic import rules
from superpublic.models import BookingKind, BookingSeries, Space

# When nothing tells which space or day: the widest day the site has ever offered.
DEFAULT_HOURS = (datetime.time(7), datetime.time(22))


class TimeSelect(forms.Widget):
    """A <select> of times written in one pass. Django's Select renders each option through
    its own template: the ~130 options of the two menus cost 5 to 14 ms of CPU a page."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.times: list[str] = []

    def format_value(self, value) -> str:
        if isinstance(value, datetime.time):
            return f"{value:%H:%M}"
        return "" if value is None else str(value)

    def render(self, name, value, attrs=None, renderer=None):
        value = self.format_value(value)
        times = self.times
        if re.fullmatch(r"\d\d:\d\d", value) and value not in times:
            times = sorted([*times, value])  # what was sent stays shown, with its error
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            ((time, SELECTED if time == value else "", time) for time in times),
        )
        final = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final), options)


class StepTimeField(forms.TimeField):
    """A time on the site's step (on the hour or the half hour), chosen from a menu."""

    widget = TimeSelect
    input_formats = ["%H:%M"]
    default_error_messages = {"invalid": _("Choisissez une heure dans la liste.")}

    def validate(self, value):
        super().validate(value)
        if value is not None and not rules.on_step(value):
            raise forms.ValidationError(
                _("Choisissez une heure pile ou une demi-heure (par exemple 14:00 ou 14:30)."),
                code="off_step",
            )


def _date_input() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


class BookingForm(forms.Form):
    space = forms.ModelChoiceField(
        label=_("Espace"), queryset=Space.objects.filter(active=True), to_field_name="slug"
    )
    kind = forms.ChoiceField(
        label=_("Vous demandez"),
        choices=[
            (BookingKind.BOOKING, _("une réservation, sur un ou plusieurs jours")),
            (BookingKind.RESIDENCY, _("une résidence, jour et nuit")),
        ],
        initial=BookingKind.BOOKING,
        required=False,
        widget=forms.RadioSelect,
    )
    day = forms.DateField(
        label=_("Date"), widget=_date_input(), validators=[validate_within_bounds]
    )
    last_day = forms.DateField(
        label=_("Dernier jour"), required=False, widget=_date_input(),
        validators=[validate_within_bounds],
    )  # fmt: skip
    start = StepTimeField(label=_("Début"), required=False)
    end = StepTimeField(label=_("Fin"), required=False)
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
        widget=_date_input(),
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
        self.fields["last_day"].help_text = _(
            "Facultatif : pour plusieurs jours d'affilée, aux mêmes heures chaque jour "
            "(%(max)s jours au plus)."
        ) % {"max": rules.MAX_DAYS}
        if not privileged:
            del self.fields["is_public"]
            del self.fields["public_description"]
        # Each space's opening hours by weekday, in one query: the time menus follow the space
        # and the day chosen (js/booking.js keeps them in step when they change).
        self.hours: dict[str, dict[int, tuple[datetime.time, datetime.time]]] = {}
        residency_spaces: list[str] = []
        for slug, name, residency, weekday, opens, closes in (
            Space.objects.filter(active=True)
            .values_list("slug", "name", "allows_residency", "opening_hours__weekday",
                         "opening_hours__opens", "opening_hours__closes")
            .order_by("order", "name")
        ):  # fmt: skip
            self.hours.setdefault(slug, {})
            if weekday is not None:
                self.hours[slug][weekday] = (opens, closes)
            if residency and name not in residency_spaces:
                residency_spaces.append(name)
        if residency_spaces:
            self.fields["kind"].help_text = _(
                "Une résidence se demande au nom de votre organisation, de %(min)s à %(max)s "
                "jours, pour : %(spaces)s. L'équipe la valide toujours."
            ) % {
                "min": rules.RESIDENCY_MIN_DAYS,
                "max": rules.RESIDENCY_MAX_DAYS,
                "spaces": ", ".join(residency_spaces),
            }
        else:
            del self.fields["kind"]
        opens, closes = self.day_hours(self["space"].value(), self["day"].value())
        times = [f"{time:%H:%M}" for time in rules.step_times(opens, closes)]
        self.fields["start"].widget.times = times[:-1]
        self.fields["end"].widget.times = times[1:]

    def day_hours(self, slug, day) -> tuple[datetime.time, datetime.time]:
        """The hours the menus offer: the space's on that weekday; all its week's when the day
        is closed or unknown; every space's when no space is chosen."""
        if isinstance(day, str):
            try:
                day = datetime.date.fromisoformat(day)
            except ValueError:
                day = None
        spaces = [self.hours[slug]] if slug in self.hours else list(self.hours.values())
        if len(spaces) == 1 and isinstance(day, datetime.date) and day.weekday() in spaces[0]:
            return spaces[0][day.weekday()]
        every = [hours for space in spaces for hours in space.values()]
        if not every:
            return DEFAULT_HOURS
        return min(h[0] for h in every), max(h[1] for h in every)

    @property
    def hours_data(self) -> dict:
        """The opening hours for js/booking.js: {slug: {weekday: [opens, closes]}}."""
        return {
            slug: {str(day): [f"{o:%H:%M}", f"{c:%H:%M}"] for day, (o, c) in days.items()}
            for slug, days in self.hours.items()
        }

    def clean(self):
        cleaned = super().clean()
        residency = cleaned.get("kind") == BookingKind.RESIDENCY
        cleaned["kind"] = BookingKind.RESIDENCY if residency else BookingKind.BOOKING
        day, last_day = cleaned.get("day"), cleaned.get("last_day")
        start, end = cleaned.get("start"), cleaned.get("end")
        if last_day and day and last_day < day:
            self.add_error("last_day", _("Le dernier jour doit suivre le premier."))
        if residency:
            if not last_day:
                self.add_error("last_day", _("Indiquez le dernier jour de la résidence."))
            if cleaned.get("repeat"):
                self.add_error("repeat", _("Une résidence ne se répète pas."))
            if cleaned.get("is_public"):
                self.add_error("is_public", _("Une résidence n'est pas un événement public."))
            return cleaned
        for name, value in (("start", start), ("end", end)):
            if value is None and name not in self.errors:
                self.add_error(name, _("Choisissez l'heure dans la liste."))
        if day and start and end:
            cleaned["start_at"] = paris_datetime(day, start)
            cleaned["end_at"] = paris_datetime(day, end)
            if end <= start:
                self.add_error("end", _("La fin doit suivre le début."))
        several_days = bool(last_day and day and last_day > day)
        cleaned["several_days"] = several_days
        if cleaned.get("repeat"):
            until, count = cleaned.get("repeat_until"), cleaned.get("repeat_count")
            if several_days:
                self.add_error(
                    "repeat",
                    _("Plusieurs jours d'affilée ou chaque semaine : choisissez l'un ou l'autre."),
                )
            elif bool(until) == bool(count):
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
        widget=forms.RadioSelect,
        label=_("Que voulez-vous annuler ?"),
    )
    reason = forms.CharField(
        label=_("Motif envoyé à la personne"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
