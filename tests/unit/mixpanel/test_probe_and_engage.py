"""The probe's event names and top events, and profile look-ups (user-property mode):
batched distinct_ids, Mixpanel's session_id/page paging."""

from __future__ import annotations

import json
import urllib.parse

import httpx
import pytest

from tests.unit.mixpanel.fakes import json_response, make_client
from usage_analytics.mixpanel import EventCount, UnexpectedResponse


def test_event_names_asks_for_general_names_with_a_limit() -> None:
    client, mixpanel, _ = make_client(lambda r: json_response(["Signup", "Report Viewed"]))
    assert client.event_names(limit=50) == ["Signup", "Report Viewed"]
    (request,) = mixpanel.requests
    assert request.url.path == "/api/query/events/names"
    assert dict(request.url.params) == {"project_id": "4242", "type": "general", "limit": "50"}


def test_top_events_returns_names_with_amounts() -> None:
    payload = {
        "events": [
            {"amount": 75, "event": "pages", "percent_change": -0.2},
            {"amount": 2, "event": "funnel", "percent_change": 1},
        ],
        "type": "general",
    }
    client, mixpanel, _ = make_client(lambda r: json_response(payload))
    assert client.top_events() == [EventCount("pages", 75), EventCount("funnel", 2)]
    assert mixpanel.requests[0].url.path == "/api/query/events/top"


def test_a_malformed_answer_is_an_unexpected_response() -> None:
    client, _, _ = make_client(lambda r: json_response({"names": []}))
    with pytest.raises(UnexpectedResponse):
        client.event_names()
    with pytest.raises(UnexpectedResponse):
        client.top_events()


class FakeEngage:
    """Profiles `user-<n>` with a company_domain, served 1,000 a page with a session."""

    def __init__(self, page_size: int = 1000) -> None:
        self.page_size = page_size
        self.forms: list[dict[str, str]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        form = dict(urllib.parse.parse_qsl(request.content.decode()))
        self.forms.append(form)
        ids = [i for i in json.loads(form["distinct_ids"]) if i != "no-profile"]
        page = int(form.get("page", 0))
        if page and "session_id" not in form:
            return json_response({"error": "page requires session_id"}, 400)
        chunk = ids[page * self.page_size : (page + 1) * self.page_size]
        return json_response(
            {
                "page": page,
                "page_size": self.page_size,
                "session_id": "sess-1",
                "status": "ok",
                "total": len(chunk),
                "results": [
                    {"$distinct_id": i, "$properties": {"company_domain": f"{i}.example.com"}}
                    for i in chunk
                ],
            }
        )


def test_engage_batches_ids_and_follows_pages_until_a_short_page() -> None:
    engage = FakeEngage()
    client, mixpanel, _ = make_client(engage)
    ids = [f"user-{n}" for n in range(4500)]
    profiles = dict(client.engage_profiles(ids, ["company_domain"]))
    assert len(profiles) == 4500
    assert profiles["user-4499"] == {"company_domain": "user-4499.example.com"}
    batches = [json.loads(f["distinct_ids"]) for f in engage.forms]
    assert [len(b) for b in batches] == [2000, 2000, 2000, 2000, 500]
    assert [f.get("page") for f in engage.forms] == [None, "1", None, "1", None]
    assert all(f.get("session_id") == "sess-1" for f in engage.forms if "page" in f)
    assert all(json.loads(f["output_properties"]) == ["company_domain"] for f in engage.forms)
    assert {(r.method, r.url.path) for r in mixpanel.requests} == {("POST", "/api/query/engage")}
    assert mixpanel.requests[0].url.params["project_id"] == "4242"


def test_engage_dedupes_ids_skips_empty_ones_and_omits_ids_without_a_profile() -> None:
    engage = FakeEngage()
    client, _, _ = make_client(engage)
    profiles = list(
        client.engage_profiles(["a", "a", "", "no-profile", "b"], ["plan"], batch_size=2)
    )
    assert [pid for pid, _ in profiles] == ["a", "b"]
    assert [json.loads(f["distinct_ids"]) for f in engage.forms] == [["a", "no-profile"], ["b"]]


def test_a_full_page_asks_for_the_next_one_until_every_id_is_answered_or_a_page_is_short() -> None:
    engage = FakeEngage(page_size=2)
    client, _, _ = make_client(engage)
    assert len(list(client.engage_profiles(["a", "b", "c", "no-profile", "d"], ["plan"]))) == 4
    assert [f.get("page") for f in engage.forms] == [None, "1", "2"]
    engage.forms.clear()
    assert len(list(client.engage_profiles(["a", "b", "c", "d"], ["plan"]))) == 4
    assert [f.get("page") for f in engage.forms] == [None, "1"]


def test_nothing_is_asked_for_no_ids() -> None:
    client, mixpanel, _ = make_client(FakeEngage())
    assert list(client.engage_profiles([], ["plan"])) == []
    assert mixpanel.requests == []
