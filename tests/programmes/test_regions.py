"""Regions before and after the 2016 reform: « avant 2016 » and « issue de » only where they
tell the reader something, and a council recorded under its old region is still the council."""

import pytest

from lab.lib.typography import french_text
from tests.lab.factories import MembershipFactory, OrganisationFactory, region
from tests.programmes.factories import ProjectFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pays_de_la_loire_council():
    """Recorded, as in the demo, under the Pays de la Loire of before 2016."""
    council = OrganisationFactory(
        name="Région Pays de la Loire",
        slug="region-pdl",
        kind="regional_council",
        region=region("pays-de-la-loire-avant-2016"),
    )
    MembershipFactory(organisation=council)
    return council


def test_a_region_the_reform_kept_is_not_said_to_be_issued_from_itself(
    client, pays_de_la_loire_council
):
    body = client.get("/regions/pays-de-la-loire/").content.decode()
    assert "Issue de" not in body and "périmètre inchangé" in body
    # The council recorded under the old region is this region's member council.
    assert french_text("Région Pays de la Loire : adhérent depuis") in body
    assert "n'est pas adhérent" not in body


def test_a_merged_region_names_the_regions_it_came_from(client):
    body = client.get("/regions/bourgogne-franche-comte/").content.decode()
    assert "Issue de la fusion de" in body and "Bourgogne" in body and "Franche-Comté" in body


def test_a_merged_regions_former_council_is_not_named_as_todays(client):
    OrganisationFactory(
        name="Région Bourgogne", slug="rb", kind="regional_council", region=region("bourgogne")
    )
    body = client.get("/regions/bourgogne-franche-comte/").content.decode()
    assert "Région Bourgogne n" not in body
    assert "Le conseil régional n'est pas adhérent." in body.replace("&#x27;", "'")


def test_cards_and_pages_say_before_2016_only_for_a_merged_region(client):
    ProjectFactory(slug="pdl", title="Transfo PDL", region=region("pays-de-la-loire-avant-2016"))
    ProjectFactory(slug="bourgogne", title="Transfo Bourgogne", region=region("bourgogne"))
    cards = client.get("/projets/").content.decode()
    assert cards.count("avant 2016") == 1  # Bourgogne's card only
    assert "aujourd" not in client.get("/projets/pdl/").content.decode()
    assert "Bourgogne-Franche-Comté" in client.get("/projets/bourgogne/").content.decode()
