"""Shared by the publications tests: a co-editing organisation and a catalogue of three books
(a draft, one in its priority window until RELEASE, one open to all), made at NOW."""

import pytest
import time_machine

from tests.lab.factories import OrganisationFactory, UserFactory
from tests.publications.factories import NOW, RELEASE, PublicationFactory


@pytest.fixture
def co_editor(db):
    organisation = OrganisationFactory(
        name="Ville coéditrice", slug="ville-coeditrice", kind="city"
    )
    return UserFactory(email="coeditrice@exemple.fr", organisation=organisation)


@pytest.fixture
def catalogue(co_editor):
    with time_machine.travel(NOW, tick=False):
        draft = PublicationFactory(slug="brouillon", draft=True)
        window = PublicationFactory(slug="avant-premiere", public_from=RELEASE)
        window.co_editors.add(co_editor.organisation)
        public = PublicationFactory(slug="ouverte")
    return {"draft": draft, "window": window, "public": public}
