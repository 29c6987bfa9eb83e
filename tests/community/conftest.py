"""Shared by the community tests: a small directory of three profiles, one per visibility."""

import pytest

from tests.community.factories import DisciplineFactory, ProfileFactory
from tests.lab.factories import UserFactory
from tests.programmes.factories import ProjectFactory


@pytest.fixture
def directory(settings):
    """Profiles `fiche-public`, `fiche-members` and `fiche-hidden`, all in Design and on the
    project Transfo X, by visibility."""
    settings.COMMUNITY_POLICY_VERSION = "2026-11"
    design = DisciplineFactory(name="Design", slug="design")
    project = ProjectFactory(slug="transfo-x", title="Transfo X")
    return {
        visibility: ProfileFactory(
            user=UserFactory(email=f"{visibility}@exemple.fr"),
            display_name=f"fiche-{visibility}",
            slug=f"fiche-{visibility}",
            visibility=visibility,
            bio=f"Designer {visibility} rurale",
            disciplines=[design],
            projects=[project],
        )
        for visibility in ["public", "members", "hidden"]
    }
