"""Every URL of the project, for every kind of user: the expected status, never a 500.

The URL resolver is walked; a URL name without an expectation here fails the test, so a
new page cannot ship without someone deciding who may see it.
"""

from __future__ import annotations

import datetime

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from programmes.models import ProgrammeRequest
from superpublic import services as booking_services
from tests.community.factories import EventFactory, ProfileFactory
from tests.members.factories import OrganisationPageFactory
from tests.programmes.factories import (
    ProgrammeFactory,
    ProgrammeRequestFactory,
    ProjectFactory,
    ThemeFactory,
)
from tests.publications.factories import PublicationFactory
from tests.superpublic.factories import CalendarFeedFactory, SpaceFactory, next_weekday, slot

pytestmark = pytest.mark.django_db

WHO = ["anonymous", "agent", "partner", "lapsed", "staff"]
ALL_200 = dict.fromkeys(WHO, 200)
SIGNED_IN = {"anonymous": 302, "agent": 200, "partner": 200, "lapsed": 200, "staff": 200}
POST_ONLY = {"anonymous": 302, "agent": 405, "partner": 405, "lapsed": 405, "staff": 405}
OWNER_ONLY = {"anonymous": 302, "agent": 200, "partner": 404, "lapsed": 404, "staff": 200}
# A priority file answers as a file that does not exist, to anyone who may not download it.
PRIVILEGED_FILE = {"anonymous": 404, "agent": 404, "partner": 200, "lapsed": 404, "staff": 200}
# Staff tools outside the admin answer as pages that do not exist, to anyone else.
STAFF_ONLY = {"anonymous": 404, "agent": 404, "partner": 404, "lapsed": 404, "staff": 200}
ANONYMOUS_ONLY = {"anonymous": 200, "agent": 302, "partner": 302, "lapsed": 302, "staff": 302}

EXPECTED = {
    "healthz": ALL_200, "robots_txt": ALL_200, "sitemap": ALL_200,
    "home": ALL_200, "legal": ALL_200, "accessibility": ALL_200, "privacy": ALL_200, "open_data": ALL_200,
    "api-schema": ALL_200, "api-docs": ALL_200, "v1:api-root": ALL_200,
    "v1:programme-list": ALL_200, "v1:programme-detail": ALL_200, "v1:project-list": ALL_200, "v1:project-detail": ALL_200,
    "v1:theme-list": ALL_200, "v1:theme-detail": ALL_200, "v1:region-list": ALL_200, "v1:region-detail": ALL_200,
    "v1:organisation-list": ALL_200, "v1:organisation-detail": ALL_200, "v1:publication-list": ALL_200,
    "v1:publication-detail": ALL_200, "v1:space-list": ALL_200, "v1:space-detail": ALL_200,
    "v1:space-availability": ALL_200, "v1:event-list": ALL_200, "v1:event-detail": ALL_200,
    "programmes:list": ALL_200, "programmes:detail": ALL_200, "programmes:projects": ALL_200, "programmes:project": ALL_200,
    "programmes:regions": ALL_200, "programmes:region": ALL_200, "programmes:my_requests": SIGNED_IN, "programmes:request": SIGNED_IN,
    "superpublic:index": ALL_200, "superpublic:agenda_ics": ALL_200, "superpublic:space": ALL_200, "superpublic:space_ics": ALL_200,
    "superpublic:book": SIGNED_IN, "superpublic:my_bookings": SIGNED_IN, "superpublic:feed_reset": POST_ONLY,
    # the cancel page asks to confirm (GET) before it cancels (POST)
    "superpublic:booking": OWNER_ONLY, "superpublic:cancel": OWNER_ONLY, "superpublic:release": ALL_200,
    "superpublic:private_feed": ALL_200,  # the secret token is the permission
    "publications:list": ALL_200, "publications:feed": ALL_200, "publications:preference": POST_ONLY,
    "publications:detail": ALL_200, "publications:release_alert": POST_ONLY, "publications:download": PRIVILEGED_FILE,
    "community:directory": ALL_200, "community:my_profile": SIGNED_IN, "community:my_data": SIGNED_IN,
    "community:delete_profile": POST_ONLY, "community:delete_account": POST_ONLY, "community:events": ALL_200,
    "community:event": ALL_200, "community:event_ics": ALL_200, "community:register": POST_ONLY, "community:cancel": POST_ONLY,
    "community:attendance": STAFF_ONLY,
    "community:profile": ALL_200,
    # allauth
    "account_login": ANONYMOUS_ONLY, "account_signup": ANONYMOUS_ONLY, "account_logout": {**SIGNED_IN, "anonymous": 302},
    "account_inactive": ALL_200, "account_reauthenticate": SIGNED_IN, "account_email": SIGNED_IN,
    "account_email_verification_sent": ALL_200, "account_change_password": SIGNED_IN, "account_set_password": {**SIGNED_IN, "agent": 302, "partner": 302, "lapsed": 302, "staff": 302},
    "account_reset_password": ALL_200, "account_confirm_login_code": dict.fromkeys(WHO, 302),
    "account_confirm_email": ALL_200, "account_reset_password_from_key_done": ALL_200,
    "account_reset_password_from_key": ALL_200, "account_reset_password_done": ALL_200,
    "mfa_index": SIGNED_IN, "mfa_authenticate": dict.fromkeys(WHO, 302), "mfa_reauthenticate": {**SIGNED_IN, "agent": 302, "partner": 302, "lapsed": 302},
    "mfa_activate_totp": {**SIGNED_IN, "agent": 302, "partner": 302, "lapsed": 302, "staff": 302},
    "mfa_deactivate_totp": {**SIGNED_IN, "agent": 404, "partner": 404, "lapsed": 404, "staff": 302},
    "mfa_view_recovery_codes": {**SIGNED_IN, "agent": 404, "partner": 404, "lapsed": 404, "staff": 404},
    "mfa_generate_recovery_codes": {**SIGNED_IN, "agent": 302, "partner": 302, "lapsed": 302, "staff": 302},
    "mfa_download_recovery_codes": {**SIGNED_IN, "agent": 404, "partner": 404, "lapsed": 404, "staff": 404},
    # allauth's social accounts and ProConnect (not configured here: its flow answers 404)
    "socialaccount_login_cancelled": ALL_200, "socialaccount_login_error": dict.fromkeys(WHO, 401),
    "socialaccount_signup": dict.fromkeys(WHO, 302), "socialaccount_connections": SIGNED_IN,
    "proconnect_login": dict.fromkeys(WHO, 404), "proconnect_callback": dict.fromkeys(WHO, 404),
    "proconnect_logged_out": dict.fromkeys(WHO, 302), "proconnect_attachment_request": POST_ONLY,
    # The code sent to a staff address before its second factor is set up (lab/security.py).
    "staff_address_check": {**dict.fromkeys(WHO, 302), "staff_without_mfa": 200},
    # Membership's life (members/): joining, the organisation's space, referents' acts, invitations,
    # public organisation pages. The referent's column (below) differs only where a referent acts.
    "members:join": ALL_200, "members:space": SIGNED_IN,
    "members:apply": {**SIGNED_IN, "partner": 302},  # a member is sent to its space
    # counts for people of an organisation that holds or held a membership; staff use the admin
    "members:usage_csv": {"anonymous": 302, "agent": 403, "partner": 200, "lapsed": 200, "staff": 403},
    "members:invite": POST_ONLY, "members:detach": POST_ONLY, "members:page_settings": POST_ONLY,
    "members:domains": {"anonymous": 302, "agent": 403, "partner": 403, "lapsed": 403, "staff": 403},
    # the link is for one address: a visitor may create the account, anyone signed in at
    # another address is refused
    "members:invitation": {"anonymous": 200, "agent": 403, "partner": 403, "lapsed": 403, "staff": 403},
    "members:organisations": ALL_200, "members:organisation": ALL_200,
    "v1:organisationpage-list": ALL_200, "v1:organisationpage-detail": ALL_200,
}  # fmt: skip

# The other kinds of account, decided from the five above unless said otherwise:
# - a staff account without its second factor is an ordinary person (the agent's column), but
#   never the owner of the agent's booking;
# - staff without superuser rights see the site as staff do;
# - a signed-in person whose address is unverified is sent to verify it wherever an account is
#   needed; an inactive account is signed out, so it is a visitor.
# - a referent (of the partner's organisation) is the partner, who may also act for it.
MORE = ["referent", "staff_without_mfa", "plain_staff", "unverified", "inactive"]
OVERRIDES = {
    "referent": {"members:domains": 200, "superpublic:booking": 404, "superpublic:cancel": 404},
    "staff_without_mfa": {"superpublic:booking": 404, "superpublic:cancel": 404, "mfa_activate_totp": 302, "mfa_reauthenticate": 302},
    "unverified": {"publications:download": 404, "community:attendance": 404, "members:invitation": 403},
}  # fmt: skip
# allauth's own pages treat a signed-in account as signed in, verified or not.
ALLAUTH = ("account_", "mfa_", "socialaccount_", "proconnect_")


def _derived(name: str, row: dict, who: str) -> int:
    if name in OVERRIDES.get(who, {}):
        return OVERRIDES[who][name]
    if who == "referent":
        return row["partner"]
    if who == "staff_without_mfa":
        return row["agent"]
    if who == "plain_staff":
        return row["staff"]
    if who == "inactive":
        return row["anonymous"]
    if name.startswith(ALLAUTH):  # unverified
        return row["agent"]
    return 200 if row["anonymous"] == 200 else 302


EXPECTED = {
    name: {**row, **{who: _derived(name, row, who) for who in MORE if who not in row}}
    for name, row in EXPECTED.items()
}
WHO = [*WHO, *MORE]


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            yield from _walk(
                pattern.url_patterns,
                f"{namespace}:{inner}" if namespace and inner else inner or namespace,
            )
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}:{pattern.name}" if namespace else pattern.name, pattern


@pytest.fixture
def world(users, settings):
    """One real object behind every URL parameter."""
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    agent, partner = users["agent"], users["partner"]
    programme = ProgrammeFactory(slug="la-transfo")
    theme = ThemeFactory(slug="jeunesse")
    project = ProjectFactory(slug="transfo-pdl", programme=programme, themes=[theme])
    space = SpaceFactory(slug="atelier")
    start, end = slot(next_weekday(1), "14:00", "16:00")
    booking = booking_services.booking_create(
        space=space, user=agent, start=start, end=end, title="x", attendees=2
    )
    feed = CalendarFeedFactory(user=agent)
    now = timezone.now()
    publication = PublicationFactory(slug="fenetre", title="Fenêtre", summary="s", published_at=now,
                                     public_from=now + datetime.timedelta(days=30))  # fmt: skip
    file = publication.files.get()
    event = EventFactory(slug="apero", title="Apéro", starts=start, ends=end, capacity=5)
    profile = ProfileFactory(user=partner, display_name="Dominique", slug="dominique")
    ProgrammeRequestFactory(programme=programme, requester=agent, organisation=None, organisation_name="x", need="x",
                            desired_start=start.date(), desired_end=end.date(), expected_participants=3, phone="0183629827",
                            status=ProgrammeRequest.Status.NEW)  # fmt: skip
    from members.services import invitation_create

    OrganisationPageFactory(organisation=partner.organisation)
    _invitation, invitation_token = invitation_create(
        organisation=partner.organisation, email="invitee@exemple.fr", by=users["referent"]
    )
    slugs = {"programme": programme.slug, "organisationpage": partner.organisation.slug, "project": project.slug, "theme": theme.slug, "region": "bretagne",
             "organisation": agent.organisation.slug, "publication": publication.slug, "space": space.slug, "event": event.slug}  # fmt: skip
    return {
        "booking": booking,
        "feed": feed,
        "file": file,
        "profile": profile,
        "slugs": slugs,
        "release": booking_services.release_token(booking),
        "invitation": invitation_token,
    }


def _kwargs(name: str, pattern, world) -> dict:
    keys = set(pattern.pattern.converters) | set(pattern.pattern.regex.groupindex)
    kwargs = {}
    resource = name.split(":")[-1].split("-")[0] if name.startswith("v1:") else None
    for key in keys - {"format"}:
        if key == "slug":
            if resource:
                kwargs[key] = world["slugs"][resource]
            else:
                kwargs[key] = {
                    "programmes:detail": "la-transfo", "programmes:request": "la-transfo", "programmes:project": "transfo-pdl",
                    "programmes:region": "bretagne", "superpublic:space": "atelier", "superpublic:space_ics": "atelier",
                    "publications:detail": "fenetre", "publications:release_alert": "fenetre", "publications:download": "fenetre",
                    "community:event": "apero", "community:event_ics": "apero", "community:register": "apero", "community:cancel": "apero", "community:attendance": "apero",
                    "community:profile": "dominique", "members:organisation": world["slugs"]["organisationpage"],
                }[name]  # fmt: skip
        elif key == "pk":
            kwargs[key] = world["booking"].pk
        elif key == "file_id":
            kwargs[key] = world["file"].pk
        elif key == "token":
            kwargs[key] = {
                "superpublic:private_feed": world["feed"].token,
                "members:invitation": world["invitation"],
            }.get(name, world["release"])
        elif key == "key":
            kwargs[key] = "not-a-real-key"
        elif key == "uidb36":
            kwargs[key] = "zz"
    return kwargs


def _urls(world):
    seen = set()
    for name, pattern in _walk(get_resolver().url_patterns):
        if (
            name.startswith("admin:")
            or "format" in pattern.pattern.converters
            or "(?P<format>" in str(pattern.pattern)
        ):
            continue
        if name in seen:
            continue
        seen.add(name)
        yield name, reverse(name, kwargs=_kwargs(name, pattern, world))


def test_every_url_has_an_expectation(world):
    missing = [name for name, _url in _urls(world) if name not in EXPECTED]
    assert not missing, f"Decide who may open these URLs: {missing}"


@pytest.mark.parametrize("who", WHO)
def test_every_url_answers_as_expected(client, users, world, who):
    if users[who]:
        client.force_login(users[who])
    wrong = {}
    for name, url in _urls(world):
        status = client.get(url).status_code
        assert status != 500, url
        expected = EXPECTED[name][who]
        if status != expected:
            wrong[name] = (url, status, expected)
        ours = not name.startswith(("account_", "mfa_"))
        if (
            ours
            and status == 302
            and who == "anonymous"
            and EXPECTED[name]["agent"] in {200, 404, 405}
        ):
            assert "/accounts/login/" in client.get(url)["Location"], url
    assert not wrong, "\n".join(
        f"{name}: {url} answered {status}, expected {expected}"
        for name, (url, status, expected) in wrong.items()
    )


@pytest.mark.parametrize("who", WHO)
def test_every_admin_page_is_for_staff_with_mfa_only(client, users, who):
    if users[who]:
        client.force_login(users[who])
    for model, model_admin in admin.site._registry.items():
        info = (model._meta.app_label, model._meta.model_name)
        for view, expected_staff in [
            ("changelist", 200),
            ("add", 200 if model_admin.has_add_permission(_request(users["staff"])) else 403),
        ]:
            status = client.get(reverse(f"admin:{info[0]}_{info[1]}_{view}")).status_code
            assert status != 500
            # Staff without superuser rights have only the permissions they were given: none.
            expected = {"staff": expected_staff, "plain_staff": 403}.get(who, 302)
            assert status == expected, (who, info, view, status)


def _request(user):
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = user
    return request
