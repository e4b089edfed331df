from tests.conftest import bearer


def test_signed_in_foster_carer_sees_their_home_page(client, login_as):
    login_as("familj1")
    page = client.get("/home")
    assert page.status_code == 200
    assert "Familjen Andersson" in page.get_data(as_text=True)


def test_api_me_describes_the_caller(client, demo):
    response = client.get("/api/v1/me", headers=bearer(client, "familj1"))
    assert response.status_code == 200
    body = response.get_json()
    assert body["role"] == "foster_carer"
    assert body["constellation_ids"] == [demo.constellations["Björnen"].id]
