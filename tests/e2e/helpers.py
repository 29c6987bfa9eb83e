"""What the browser journeys do the same way: sign up, confirm the address, sign in (with a TOTP
code for staff) and out, book a room from the week grid or a booking link, ask for a programme,
download a file, act and save in the admin; and axe-core's serious findings."""

import datetime
import re

from axe_playwright_python.sync_playwright import Axe
from django.core import mail

from superpublic.selectors import week_label
from tests.conftest import PASSWORD, totp_code

PASSWORD_LABEL = re.compile(r"^Mot de passe\W*$")
WEEKDAYS = ["lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"]


# Accounts ---------------------------------------------------------------------------------------


def sign_up(page, *, first_name: str, last_name: str, email: str) -> None:
    """From any page: « Se connecter », « Créer un compte », the form filled and sent."""
    page.get_by_role("link", name="Se connecter").click()
    page.get_by_role("link", name="Créer un compte").click()
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label(re.compile(r"^Nom\W*$")).fill(last_name)
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_role("button", name="Créer mon compte").click()


def confirm_email(page) -> None:
    """Follow the confirmation link of the last email sent, and confirm."""
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link)
    page.get_by_role("button", name="Confirmer").click()


def sign_in(
    page, email: str, *, secret: str | None = None, go_to_login: bool = True, wait_home: bool = True
) -> None:
    if go_to_login:
        page.goto("/accounts/login/")
    page.get_by_label("Courriel").fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    if secret:
        page.get_by_label(re.compile("Code")).fill(totp_code(secret))
        page.get_by_role(
            "button", name=re.compile("Se connecter|Connexion|Valider|Confirmer")
        ).click()
    if wait_home and go_to_login:
        # The home page itself: every page of the sign-in steps ends with a slash too.
        page.wait_for_url(re.compile(r"^https?://[^/]+/$"))


def sign_in_as_staff(page, staff) -> None:
    """Password and TOTP code, for the `staff` of tests/conftest.py (it keeps its secret)."""
    sign_in(page, staff.email, secret=staff.totp_secret)


def sign_out(page) -> None:
    page.goto("/")
    page.locator(".account-menu summary").click()
    page.get_by_role("button", name="Se déconnecter").click()


# Superpublic ------------------------------------------------------------------------------------


def open_free_slot(
    page, space: str, day: datetime.date, time: str, *, keyboard: bool = False
) -> None:
    """On `space`'s week grid for `day`'s week, follow the free slot of `day` at `time` (with a
    click, or the keyboard only) to the prefilled booking form."""
    page.goto(f"/superpublic/espaces/{space}/?semaine={week_label(day)}")
    name = re.compile(rf"Réserver le {WEEKDAYS[day.weekday()]} {day.day} \S+, {time}")
    link = page.get_by_role("link", name=name)
    if keyboard:
        link.focus()
        page.keyboard.press("Enter")
    else:
        link.click()


def open_booking_form(page, space: str, day: datetime.date, time: str) -> None:
    """The booking form prefilled for `space` from `day` at `time`, as a booking link opens it."""
    page.goto(f"/superpublic/reserver/?espace={space}&debut={day.isoformat()}T{time}")


def book(
    page,
    *,
    title: str,
    end: str | None = None,
    attendees: str | None = None,
    public_description: str | None = None,
) -> None:
    """On the booking form (opened from the week grid or a booking link): fill it and book."""
    if end:
        page.get_by_label(re.compile(r"^Fin\W*$")).select_option(end)
    page.get_by_label("Titre").fill(title)
    if attendees:
        page.get_by_label(re.compile(r"^Nombre de participants")).fill(attendees)
    if public_description:
        page.get_by_label("Événement public").check()
        page.get_by_label("Présentation publique").fill(public_description)
    page.get_by_role("button", name="Réserver", exact=True).click()


def wait_for_booking_page(page) -> None:
    """Booked: the booking's own page opens."""
    page.wait_for_url(re.compile(r"/superpublic/reservations/\d+/"))


# Programmes and publications --------------------------------------------------------------------


def ask_for_programme(
    page,
    *,
    need: str,
    start: str,
    end: str,
    participants: str,
    phone: str,
    organisation: str | None = None,
) -> None:
    """On a programme's request form: fill it, send it, and land on « Mes demandes »."""
    if organisation:
        page.get_by_label("Votre organisation").fill(organisation)
    page.get_by_label("Votre besoin, avec vos mots").fill(need)
    page.get_by_label("Début souhaité").fill(start)
    page.get_by_label("Fin souhaitée").fill(end)
    page.get_by_label("Nombre de participants attendus").fill(participants)
    page.get_by_label("Téléphone").fill(phone)
    page.get_by_role("button", name="Envoyer ma demande").click()
    page.wait_for_url(re.compile(r"/programmes/mes-demandes/"))


def download(page, link: str | re.Pattern):
    """Follow the link named `link` and give back the file the browser downloads."""
    with page.expect_download() as info:
        page.get_by_role("link", name=link).click()
    return info.value


# The admin --------------------------------------------------------------------------------------


def admin_action(page, changelist: str, *, row: str, action: str) -> None:
    """On the admin list at `changelist`, tick the row whose name matches `row` and run
    `action` on it."""
    page.goto(changelist)
    page.get_by_role("checkbox", name=re.compile(row)).check()
    page.locator("select[name=action]").select_option(action)
    page.get_by_role("button", name="Envoyer").click()


def confirm_pending_booking(page, title: str) -> None:
    """Staff confirm the pending booking `title` from the admin's list of pending bookings."""
    admin_action(
        page, "/admin/superpublic/booking/?status__exact=pending", row=title, action="confirm"
    )
    page.get_by_text("1 réservation confirmée.").wait_for()


def admin_save(page, model: str) -> None:
    """Save the admin form and wait for the list of `model` ("app/model") it goes back to."""
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    page.wait_for_url(re.compile(rf"/admin/{model}/$"))


# Accessibility ----------------------------------------------------------------------------------


def serious_violations(page) -> list[str]:
    """axe-core's serious and critical findings on the page as it is."""
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v["impact"] in {"serious", "critical"}
    ]
