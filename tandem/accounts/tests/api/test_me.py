from tandem.testing.kit import api_client, make_member


def test_me_returns_user_tenant_roles_and_permissions(tenant):
    member = make_member(tenant, "sales", username="chenxiao", display_name="陈晓")
    response = api_client(member).get("/api/v1/me/")
    assert response.status_code == 200
    body = response.json()
    assert body["user"]["username"] == "chenxiao"
    assert body["tenant"]["slug"] == tenant.slug
    assert body["roles"] == ["sales"]
    assert "core.add_attachment" in body["permissions"]
    assert "accounts.view_user" not in body["permissions"]
    assert body["data_scopes"]["core.add_attachment"] == "own"


def test_me_anonymous_is_problem_401(db):
    response = api_client().get("/api/v1/me/")
    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
