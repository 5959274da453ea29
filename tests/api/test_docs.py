from html.parser import HTMLParser

import pytest

pytestmark = pytest.mark.django_db

API_OPERATIONS = {
    ("get", "/api/territories/regions"),
    ("get", "/api/territories/academies"),
    ("get", "/api/territories/basins"),
    ("get", "/api/organisations"),
    ("get", "/api/organisations/{organisation_id}"),
    ("get", "/api/people"),
    ("get", "/api/people/{person_id}"),
    ("get", "/api/conventions"),
    ("get", "/api/conventions/{convention_id}"),
    ("get", "/api/conventions/{convention_id}/timeline"),
    ("post", "/api/conventions/{convention_id}/events"),
    ("post", "/api/conventions/{convention_id}/follow"),
    ("delete", "/api/conventions/{convention_id}/follow"),
    ("get", "/api/plans"),
    ("get", "/api/plans/{plan_id}"),
    ("get", "/api/activities"),
    ("post", "/api/activities"),
    ("get", "/api/activities/{activity_id}"),
    ("get", "/api/indicators/conventions/{convention_id}"),
    ("get", "/api/indicators/organisations/{organisation_id}"),
    ("get", "/api/indicators/academies/{academy_id}"),
    ("get", "/api/indicators/basins/{basin_id}"),
}
API_PATHS = {path for _, path in API_OPERATIONS}


class ScriptsAndLinks(HTMLParser):
    def __init__(self):
        super().__init__()
        self.scripts: list[dict] = []
        self.urls: list[str] = []
        self.style_attributes = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag == "script":
            self.scripts.append(attributes)
        if attributes.get("src"):
            self.urls.append(attributes["src"])
        if tag == "link":
            self.urls.append(attributes["href"])
        if "style" in attributes or any(name.startswith("on") for name in attributes):
            self.style_attributes += 1


def test_it_serves_the_openapi_document_without_authentication(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    assert set(document["paths"]) == API_PATHS


def test_it_declares_the_bearer_scheme_on_every_operation(client):
    document = client.get("/api/openapi.json").json()
    schemes = document["components"]["securitySchemes"]
    assert schemes == {"TokenAuth": {"type": "http", "scheme": "bearer"}}
    operations = {(method, path): op for path, ops in document["paths"].items() for method, op in ops.items()}
    assert set(operations) == API_OPERATIONS
    for operation in operations.values():
        assert operation["security"] == [{"TokenAuth": []}], operation["operationId"]
        # Documented for people: a summary and a description, in French.
        assert operation["summary"], operation["operationId"]
        assert operation["description"], operation["operationId"]


def test_it_documents_the_pagination_limit_and_the_filters(client):
    document = client.get("/api/openapi.json").json()
    parameters = {p["name"]: p for p in document["paths"]["/api/organisations"]["get"]["parameters"]}
    assert parameters["limit"]["schema"]["maximum"] == 100
    assert parameters["limit"]["schema"]["default"] == 50
    assert {"q", "kind", "academy", "uai", "siret", "priority_education", "active", "offset"} <= set(parameters)
    assert parameters["q"]["description"].startswith("Recherche sans accents")


def test_it_serves_the_docs_page_without_authentication_under_the_strict_csp(client):
    response = client.get("/api/docs")
    assert response.status_code == 200
    policy = dict(
        directive.strip().split(" ", 1) for directive in response["Content-Security-Policy"].split(";") if directive
    )
    assert "'unsafe-inline'" not in policy["script-src"]
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["style-src"] == "'self'"


def test_it_loads_swagger_from_our_own_static_files_with_no_inline_script(client):
    page = ScriptsAndLinks()
    page.feed(client.get("/api/docs").content.decode())
    executable = [s for s in page.scripts if s.get("type") != "application/json"]
    assert executable, "Swagger UI is not loaded at all"
    assert all(script.get("src", "").startswith("/static/ninja/") for script in executable)
    assert all(url.startswith("/static/") for url in page.urls), page.urls
    assert page.style_attributes == 0
    for url in page.urls:
        assert client.get(url).status_code == 200, url
