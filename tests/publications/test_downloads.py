"""Files and downloads: private in the window, counted by organisation, never at a public
address, handed to nginx in production."""

import pytest
import time_machine

from lab.lib.typography import french_text
from publications.models import Download
from tests.publications.factories import NOW

pytestmark = pytest.mark.django_db


@time_machine.travel(NOW, tick=False)
def test_downloads_in_the_window_are_private_and_counted_by_organisation(
    client, catalogue, partner
):
    client.force_login(partner)
    file = catalogue["window"].files.get()
    response = client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="avant-premiere.pdf"'
    file.refresh_from_db()
    assert file.downloads == 1
    assert Download.objects.get().organisation == partner.organisation


@time_machine.travel(NOW, tick=False)
def test_staff_see_downloads_by_organisation(client, catalogue, partner, staff):
    client.force_login(partner)
    file = catalogue["window"].files.get()
    client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    client.force_login(staff)
    page = client.get(
        f"/admin/publications/publication/{catalogue['window'].pk}/change/"
    ).content.decode()
    assert french_text("<li>Région Pays de la Loire : 1</li>") in page


@time_machine.travel(NOW, tick=False)
def test_private_files_have_no_public_address(client, catalogue, settings):
    file = catalogue["window"].files.get()
    with pytest.raises(ValueError, match="no public URL"):
        file.file.url  # noqa: B018
    assert str(settings.PRIVATE_MEDIA_ROOT) in file.file.path
    assert not file.file.path.startswith(str(settings.MEDIA_ROOT))
    for guess in [
        f"/media/{file.file.name}",
        f"/static/{file.file.name}",
        f"/publications/ouverte/fichiers/{file.pk}/",
        "/publications/avant-premiere/fichiers/999999/",
    ]:
        assert client.get(guess).status_code in {302, 404}, guess
    feed = client.get("/publications/feed/").content.decode()
    assert "ouverte" in feed and "avant-premiere" not in feed and "brouillon" not in feed


@time_machine.travel(NOW, tick=False)
def test_x_accel_redirect_in_production(client, catalogue, partner, settings):
    settings.PRIVATE_MEDIA_ACCEL_PREFIX = "/_private/"
    client.force_login(partner)
    file = catalogue["window"].files.get()
    response = client.get(f"/publications/avant-premiere/fichiers/{file.pk}/")
    assert response["X-Accel-Redirect"] == f"/_private/{file.file.name}"
    assert response.content == b""
