"""`onrecord serve` in process: pages and the JSON API through Starlette's TestClient, over a corpus
built by ingesting small documents written for these tests (and the example article)."""
from __future__ import annotations

import html
import json
import re
import warnings

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

import onrecord
from onrecord.cli import cli
from onrecord.record import Quote
from onrecord.store import Corpus
from tests.conftest import EXAMPLE

with warnings.catch_warnings():  # Starlette's TestClient announces it will move to httpx2 (a UserWarning)
    warnings.filterwarnings("ignore", message=".*httpx2")
    from fastapi.testclient import TestClient

from onrecord.web import MAX_BODY_BYTES, MAX_TEXT_CHARS, allowed_hosts, create_app
from onrecord.web.render import every_month, pieces, script_json

TOKEN = "test-review-token"
OKAFOR = "The terminal will be paid for by shipping fees and by the federal grant, not by residents,"
DOCS = [
    {"id": "ledger-1", "title": "Port plan approved", "published": "2024-03-01", "outlet": "Coastal Ledger",
     "text": "Port plan approved\n\nHALIFAX - The council approved the port plan on Friday.\n\n"
             f"\"{OKAFOR}\" Commissioner Adaeze Okafor said on Friday.\n\nShe said building would resume in March.\n"},
    {"id": "wire-1", "title": "Council backs terminal", "published": "2024-03-02", "outlet": "Harbour Wire",
     "text": "Council backs terminal\n\nHALIFAX - The council backed the terminal on Friday.\n\n"
             "\"The terminal will be paid for by shipping fees, not by residents,\" Adaeze Okafor told reporters.\n"},
    {"id": "hostile", "title": "<script>window.pwnedTitle=1</script> Roads", "published": "2024-04-01",
     "outlet": "Evil <b>Outlet</b>",
     "text": "Roads before winter\n\nMayor Jane Doe spoke at city hall on Monday.\n\n"
             "\"<script>window.pwned=1</script> We will fix the roads before winter,\" Doe said.\n\n"
             "\"\\\"><img src=x onerror=window.pwned=2> Nobody will pay more for it,\" said Doe.\n"},
]


def write_docs(folder):
    """The test documents as one JSON lines file (ids, outlets, dates) beside a copy of the example."""
    path = folder / "docs.jsonl"
    path.write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    example = folder / "harbour_interview.txt"
    example.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return [str(path), str(example)]


@pytest.fixture(scope="module")
def db_path(tmp_path_factory):
    folder = tmp_path_factory.mktemp("web")
    path = folder / "web.db"
    with Corpus(path) as corpus:
        summary = corpus.ingest(write_docs(folder))
    assert summary.added == 4 and summary.ok
    return path


@pytest.fixture(scope="module")
def client(db_path):
    """A read-only server: no token."""
    with TestClient(create_app(db_path)) as c:
        yield c


@pytest.fixture
def review_db(tmp_path, db_path):
    """A copy of the corpus a test may write corrections to."""
    path = tmp_path / "review.db"
    with Corpus(db_path, create=False) as source:
        source.db.conn.execute("VACUUM INTO ?", (str(path),))
    return path


@pytest.fixture
def reviewer(review_db):
    with TestClient(create_app(review_db, token=TOKEN)) as c:
        yield c


def marks(page: str) -> list[dict[str, str]]:
    """The attributes of every first piece of a highlighted quote on a page."""
    out = []
    for tag in re.findall(r"<mark [^>]*>", page):
        attrs = {k: html.unescape(v) for k, v in re.findall(r'([\w-]+)="([^"]*)"', tag)}
        if "tabindex" in attrs:
            out.append(attrs)
    return out


# Pages -------------------------------------------------------------------------------------------


def test_the_front_page_shows_counts_recent_documents_and_charts(client):
    page = client.get("/")
    assert page.status_code == 200
    assert "<strong>4</strong> documents" in page.text
    assert "Port plan approved" in page.text and "Quotes per speaker" in page.text
    assert "Quotes per outlet" in page.text and "Coastal Ledger" in page.text
    assert "Quoted speakers by gender" in page.text and "Quotes per month" in page.text
    assert re.search(r'<rect width="100\.0" height="10">', page.text)  # the largest bar is full length
    assert page.headers["content-security-policy"].startswith("default-src 'none'; script-src 'self'")


def test_the_documents_are_listed_a_page_at_a_time(client, monkeypatch):
    from onrecord.web import views

    monkeypatch.setattr(views, "DOCUMENTS_PER_PAGE", 3)
    first = client.get("/documents").text
    assert first.count('<a href="/documents/') == 3 and "?page=2" in first
    second = client.get("/documents", params={"page": 2}).text
    assert second.count('<a href="/documents/') == 1 and "?page=1" in second and "?page=3" not in second
    assert client.get("/documents", params={"page": 0}).status_code == 422


def test_a_document_page_marks_every_quote_with_its_speaker_type_and_verdict(client):
    page = client.get("/documents/harbour_interview")
    assert page.status_code == 200
    with Corpus(client.app.state.server.corpus.path, create=False) as corpus:
        record = corpus.show("harbour_interview")
    found = {m["data-quote-id"]: m for m in marks(page.text)}
    assert set(found) == {q.id for q in record.quotes}
    for q in record.quotes:
        speaker = record.speaker(q.speaker)
        mark = found[q.id]
        assert mark["data-speaker"] == (speaker.name if speaker else "")
        assert mark["data-type"] == q.type
        assert mark["data-fidelity"] == (q.fidelity.status if q.fidelity else "")
    assert 'class="who spk-' in page.text  # the speaker's name beside the colour
    assert "Transcript turns" in page.text and "Okafor" in page.text


def test_a_quote_panel_shows_the_diff_against_the_source_turn_as_that_turn(client):
    page = client.get("/documents/harbour_interview").text
    with Corpus(client.app.state.server.corpus.path, create=False) as corpus:
        record = corpus.show("harbour_interview")
    altered: Quote = next(q for q in record.quotes if q.fidelity and q.fidelity.status == "altered")
    panel = page[page.index(f'id="detail-{altered.id}"'):]
    panel = panel[:panel.index('class="quote-detail"', 10) if 'class="quote-detail"' in panel[10:] else len(panel)]
    label = altered.fidelity.speaker_match.label
    assert f'<strong class="label">{html.escape(label)}:</strong>' in panel
    assert "<del>" in panel or "<ins>" in panel
    assert "Cue" in panel and "Confidence" in panel


def test_untrusted_text_renders_as_text_in_every_context(client):
    page = client.get("/documents/hostile").text
    assert "<script>window" not in page and "<img src=x" not in page and "<b>Outlet" not in page
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in page
    assert "&lt;img src=x onerror=window.pwned=2&gt;" in page
    embedded = re.search(r'<script type="application/json" id="record-json">(.*?)</script>', page, re.S).group(1)
    assert "<" not in embedded and ">" not in embedded
    assert json.loads(embedded)["title"] == DOCS[2]["title"]
    for other in ("/", "/search?q=roads", "/speakers"):
        assert "<script>window" not in client.get(other).text


def test_search_takes_the_cli_filters_and_links_speakers_and_documents(client):
    page = client.get("/search", params={"q": "shipping fees", "outlet": "harbour wire"}).text
    assert "Council backs terminal" in page and "Port plan approved" not in page
    assert 'href="/speakers/person%3Aadaeze%20okafor"' in page
    api = client.get("/api/search", params={"q": "terminal", "speaker": "Okafor", "type": "direct",
                                            "since": "2024-03-02"}).json()
    assert [h["doc_id"] for h in api["hits"]] == ["wire-1"]
    assert api["hits"][0]["speaker"] == "Adaeze Okafor" and api["hits"][0]["variants"] == 3
    assert client.get("/api/search", params={"q": "terminal", "min_confidence": 2}).status_code == 422


def test_search_errors_are_messages(client):
    bad = client.get("/api/search", params={"q": "x", "since": "last week"})
    assert bad.status_code == 400 and "is not a date" in bad.json()["error"]
    assert client.get("/api/search", params={"speaker": "Nobody Atall"}).status_code == 404
    page = client.get("/search", params={"speaker": "Nobody Atall"})
    assert page.status_code == 404 and "no speaker named" in page.text


def test_speakers_and_a_speaker_page_with_titles_quotes_and_variants(client):
    listed = client.get("/api/speakers").json()
    okafor = next(s for s in listed["speakers"] if s["name"] == "Adaeze Okafor")
    assert okafor["key"] == "person:adaeze okafor" and okafor["documents"] == 3
    assert "Adaeze Okafor" in client.get("/speakers").text
    page = client.get("/speakers/person%3Aadaeze%20okafor")
    assert page.status_code == 200 and "Titles over time" in page.text and "Commissioner" in page.text
    assert "Quotes printed more than once" in page.text
    data = client.get("/api/speakers/person:adaeze okafor").json()
    assert data["quotes"] == len(data["recent_quotes"]) >= 3
    assert "Commissioner" in [t["title"] for t in data["titles"]]
    assert data["clusters"] and len(data["clusters"][0]["variants"]) == 3
    assert client.get("/api/speakers/person:nobody").status_code == 404


def test_a_cluster_shows_each_printing_with_its_diff(client):
    cluster_id = client.get("/api/speakers/person:adaeze okafor").json()["clusters"][0]["id"]
    data = client.get(f"/api/clusters/{cluster_id}").json()
    assert {v["doc_id"] for v in data["variants"]} == {"ledger-1", "wire-1", "harbour_interview"}
    assert all("diff" in v for v in data["variants"][1:])
    page = client.get(f"/clusters/{cluster_id}").text
    assert "3 printings" in page and ("<del>" in page or "<ins>" in page)
    assert client.get("/api/clusters/999999").json() == {"error": "no cluster 999999"}
    assert client.get("/clusters/abc").status_code == 422


def test_the_document_api_is_the_stored_record(client):
    data = client.get("/api/documents/ledger-1").json()
    with Corpus(client.app.state.server.corpus.path, create=False) as corpus:
        assert data == corpus.show("ledger-1").to_dict()
    missing = client.get("/api/documents/nope")
    assert missing.status_code == 404 and missing.json()["error"].startswith("no document 'nope'")
    assert client.get("/documents/nope").status_code == 404


def test_the_founding_documents_quotes_are_marked_with_their_speakers(founding_path, tmp_path):
    with Corpus(tmp_path / "f.db") as corpus:
        corpus.ingest([str(founding_path)])
        record = corpus.show(founding_path.stem)
    with TestClient(create_app(tmp_path / "f.db")) as c:
        page = c.get(f"/documents/{founding_path.stem}").text
    shown = {m["data-quote-id"]: m["data-speaker"] for m in marks(page)}
    expected = {q.id: (s.name if (s := record.speaker(q.speaker)) else "") for q in record.quotes}
    assert shown == expected and "John Kirby" in shown.values()


# Text in, record out (nothing stored) ------------------------------------------------------------


def test_extract_and_verify_return_records_and_store_nothing(client):
    before = client.get("/").text
    text = "\"We will reopen the ferry line in June,\" Mayor Jane Doe said on Monday.\n"
    record = client.post("/api/extract", json={"text": text, "title": "Ferry"}).json()
    assert record["schema"] == "onrecord/1" and record["title"] == "Ferry"
    assert [q["text"] for q in record["quotes"]] == ["We will reopen the ferry line in June,"]
    source = "DOE: We will reopen the ferry line in July. Thank you all."
    checked = client.post("/api/verify", json={"text": text, "sources": [{"text": source, "title": "briefing"}]}).json()
    assert checked["quotes"][0]["fidelity"]["status"] == "altered"
    assert client.get("/").text == before


def test_the_check_page_shows_a_pasted_articles_record_and_report(client):
    text = "\"We will reopen the ferry line in June,\" Mayor Jane Doe said on Monday.\n"
    page = client.post("/check", data={"text": text, "source": "DOE: We will reopen the ferry line in June."})
    assert page.status_code == 200
    assert [m["data-speaker"] for m in marks(page.text)] == ["Jane Doe"]
    assert "Fidelity report" in page.text and "VERBATIM" in page.text
    assert f"{MAX_TEXT_CHARS:,} characters" in client.get("/check").text


def test_oversized_requests_get_413_and_bad_ones_a_json_message(client):
    too_long = client.post("/api/extract", json={"text": "word " * (MAX_TEXT_CHARS // 5 + 1)})
    assert too_long.status_code == 413 and "at most" in too_long.json()["error"]
    too_big = client.post("/api/extract", content=b" " * (MAX_BODY_BYTES + 1), headers={"content-type": "application/json"})
    assert too_big.status_code == 413 and "larger than" in too_big.json()["error"]
    missing = client.post("/api/extract", json={"title": "no text"})
    assert missing.status_code == 422 and "text" in missing.json()["error"]


def test_an_unexpected_error_is_a_message_without_traceback(db_path, monkeypatch):
    from onrecord.web import views

    def broken(corpus):
        raise RuntimeError("secret internals")

    monkeypatch.setattr(views, "speakers", broken)
    with TestClient(create_app(db_path), raise_server_exceptions=False) as c:
        answer = c.get("/api/speakers")
    assert answer.status_code == 500
    assert "Traceback" not in answer.text and "secret internals" not in answer.text
    assert "a bug in onrecord" in answer.json()["error"]


def test_openapi_and_the_docs_page_are_served_locally(client):
    spec = client.get("/openapi.json").json()
    assert {"/api/documents/{doc_id}", "/api/search", "/api/speakers", "/api/speakers/{key}", "/api/clusters/{cluster_id}",
            "/api/extract", "/api/verify", "/api/corrections"} <= set(spec["paths"])
    docs = client.get("/docs").text
    assert "http://" not in docs and "https://" not in docs
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


# Review -----------------------------------------------------------------------------------------


CORRECTION = {"doc_id": "ledger-1", "quote_id": "q1", "field": "speaker", "value": "Marcus Bell", "reviewer": "ana",
              "reason": "the tape says so"}


def test_corrections_need_the_token(client, reviewer):
    assert client.post("/api/corrections", json=CORRECTION).status_code == 401
    assert client.post("/api/corrections", json=CORRECTION, headers={"Authorization": f"Bearer {TOKEN}"}).status_code == 401
    refused = reviewer.post("/api/corrections", json=CORRECTION)
    assert refused.status_code == 401 and refused.headers["www-authenticate"] == "Bearer"
    assert reviewer.post("/api/corrections", json=CORRECTION, headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert reviewer.get("/api/corrections").json() == []


def test_a_correction_with_the_token_shows_in_pages_api_search_and_export(reviewer, review_db):
    made = reviewer.post("/api/corrections", json=CORRECTION, headers={"Authorization": f"Bearer {TOKEN}"})
    assert made.status_code == 201
    assert made.json()["old_value"] == "Adaeze Okafor" and made.json()["new_value"] == "Marcus Bell"
    record = reviewer.get("/api/documents/ledger-1").json()
    q1 = next(q for q in record["quotes"] if q["id"] == "q1")
    assert next(s["name"] for s in record["speakers"] if s["id"] == q1["speaker"]) == "Marcus Bell"
    assert record["meta"]["corrections"][0]["reviewer"] == "ana"
    page = reviewer.get("/documents/ledger-1").text
    assert {m["data-quote-id"]: m["data-speaker"] for m in marks(page)}["q1"] == "Marcus Bell"
    assert "Corrected speaker: Adaeze Okafor → Marcus Bell, by ana" in page
    hits = reviewer.get("/api/search", params={"q": "federal grant"}).json()["hits"]
    assert [h["speaker"] for h in hits if h["doc_id"] == "ledger-1"] == ["Marcus Bell"]
    bad = reviewer.post("/api/corrections", json={**CORRECTION, "field": "fidelity", "value": "great"},
                        headers={"Authorization": f"Bearer {TOKEN}"})
    assert bad.status_code == 400 and "choose one of" in bad.json()["error"]
    result = CliRunner().invoke(cli, ["export", "--db", str(review_db), "--corrections"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout.splitlines()[0])["new_value"] == "Marcus Bell"


def test_corrections_survive_reingest(tmp_path, review_db):
    with TestClient(create_app(review_db, token=TOKEN)) as c:
        c.post("/api/corrections", json={**CORRECTION, "field": "not_quote"}, headers={"Authorization": f"Bearer {TOKEN}"})
    with Corpus(review_db) as corpus:
        summary = corpus.ingest(write_docs(tmp_path))
        assert summary.present == 4 and summary.added == 0
    with TestClient(create_app(review_db)) as c:
        assert [q["id"] for q in c.get("/api/documents/ledger-1").json()["quotes"]] == ["q2"]


def login_csrf(client) -> str:
    """The CSRF value of a fresh login form (its pre-session cookie is now in the client)."""
    return re.search(r'name="csrf" value="([^"]+)"', client.get("/login").text).group(1)


def log_in(client) -> str:
    """Log in through the form; the CSRF value the pages' review forms then carry."""
    client.post("/login", data={"token": TOKEN, "csrf": login_csrf(client)})
    return re.search(r'name="csrf" value="([0-9a-f]+)"', client.get("/").text).group(1)


def test_a_login_without_its_forms_csrf_value_is_refused(reviewer):
    value = login_csrf(reviewer)
    assert reviewer.post("/login", data={"token": TOKEN}).status_code == 403
    assert reviewer.post("/login", data={"token": TOKEN, "csrf": value + "x"}).status_code == 403
    reviewer.cookies.clear()  # another site's form: it cannot send the login page's cookie
    refused = reviewer.post("/login", data={"token": TOKEN, "csrf": value}, follow_redirects=False)
    assert refused.status_code == 403 and "onrecord_session" not in refused.headers.get("set-cookie", "")
    assert "Log in to review" in reviewer.get("/").text
    assert reviewer.post("/login", data={"token": TOKEN, "csrf": login_csrf(reviewer)},
                         follow_redirects=False).status_code == 303


def test_the_pages_log_in_with_the_token_and_forms_carry_a_csrf_value(reviewer):
    assert "Log in to review" in reviewer.get("/documents/ledger-1").text
    assert reviewer.post("/login", data={"token": "wrong", "csrf": login_csrf(reviewer)}).status_code == 401
    form = {"quote_id": "q1", "field": "fidelity", "value": "altered", "reviewer": "ana", "csrf": "x"}
    assert reviewer.post("/documents/ledger-1/corrections", data=form).status_code == 401
    login = reviewer.post("/login", data={"token": TOKEN, "next": "//evil.example/", "csrf": login_csrf(reviewer)},
                          follow_redirects=False)
    assert login.status_code == 303 and login.headers["location"] == "/"
    cookie = login.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie and TOKEN not in cookie
    page = reviewer.get("/documents/ledger-1").text
    csrf = re.search(r'name="csrf" value="([0-9a-f]+)"', page).group(1)
    assert reviewer.post("/documents/ledger-1/corrections", data=form).status_code == 403
    saved = reviewer.post("/documents/ledger-1/corrections", data={**form, "csrf": csrf}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("#quote-q1")
    assert {m["data-quote-id"]: m["data-fidelity"] for m in marks(reviewer.get("/documents/ledger-1").text)}["q1"] == "altered"


AUTH = {"Authorization": f"Bearer {TOKEN}"}


def counts(client) -> dict[str, int]:
    return {s["name"]: s["quotes"] for s in client.get("/api/speakers").json()["speakers"]}


def searched(client, **params) -> set[tuple[str, str]]:
    return {(h["doc_id"], h["quote_id"]) for h in client.get("/api/search", params=params).json()["hits"]}


def test_a_corrected_quote_moves_in_speaker_lists_pages_counts_and_search(reviewer):
    assert counts(reviewer)["Adaeze Okafor"] == 8 and counts(reviewer)["Marcus Bell"] == 3
    reviewer.post("/api/corrections", json=CORRECTION, headers=AUTH)
    assert counts(reviewer)["Adaeze Okafor"] == 7 and counts(reviewer)["Marcus Bell"] == 4
    assert ("ledger-1", "q1") in searched(reviewer, speaker="Marcus Bell")
    assert ("ledger-1", "q1") in searched(reviewer, q="federal grant", speaker="Bell")
    assert ("ledger-1", "q1") not in searched(reviewer, speaker="Okafor")
    assert searched(reviewer, q="federal grant", speaker="Okafor") == set()
    bell = reviewer.get("/speakers/person:marcus bell").text
    assert "federal grant" in bell and "4 quotes" in bell
    okafor = reviewer.get("/api/speakers/person:adaeze okafor").json()
    assert okafor["quotes"] == 7
    assert ("ledger-1", "q1") not in {(h["doc_id"], h["quote_id"]) for h in okafor["recent_quotes"]}
    # the same words are now credited to two people: a misattribution flag with both sides
    assert {side["speaker"] for c in okafor["misattributed"] for side in c["sides"]} == {"Adaeze Okafor", "Marcus Bell"}
    assert "<strong>Marcus Bell</strong> in ledger-1" in reviewer.get("/speakers/person:adaeze okafor").text
    cluster = reviewer.get(f"/api/clusters/{okafor['misattributed'][0]['id']}").json()
    assert {v["doc_id"]: v["speaker"] for v in cluster["variants"]}["ledger-1"] == "Marcus Bell"
    reviewer.post("/api/corrections", json={**CORRECTION, "quote_id": "q2", "field": "fidelity", "value": "altered"},
                  headers=AUTH)
    assert ("ledger-1", "q2") in searched(reviewer, fidelity="altered")
    def charted(page: str) -> tuple[str, str]:  # the front page's quote count and Okafor's bar
        found = re.search(r"<strong>(\d+)</strong> quotes", page), re.search(r">Adaeze Okafor</a></th>.*?"
                                                                          r'class="num">(\d+)<', page, re.S)
        return found[0].group(1), found[1].group(1)

    quotes = charted(reviewer.get("/").text)
    assert quotes[1] == "7"
    assert ("wire-1", "q1") in searched(reviewer, q="shipping fees")
    reviewer.post("/api/corrections", json={**CORRECTION, "doc_id": "wire-1", "field": "not_quote"}, headers=AUTH)
    assert counts(reviewer)["Adaeze Okafor"] == 6
    assert ("wire-1", "q1") not in searched(reviewer, q="shipping fees")
    assert charted(reviewer.get("/").text) == (str(int(quotes[0]) - 1), "6")  # the front page moved too


def split_choice(page: str, doc_id: str) -> str:
    """The value the split form's select gives the speaker of `doc_id`."""
    return html.unescape(re.search(r'<option value="([^"]+)">[^<]* in ' + doc_id, page).group(1))


def test_a_reviewer_merges_and_splits_corpus_speakers_on_their_pages(reviewer):
    page = reviewer.get("/speakers/person:jane doe").text
    assert "Log in</a> to merge or split" in page and 'action="/speaker-merges"' not in page
    merge = {"key": "person:jane doe", "into": "Marcus Bell", "reviewer": "ana", "reason": "one person", "csrf": "x"}
    assert reviewer.post("/speaker-merges", data=merge).status_code == 401
    csrf = log_in(reviewer)
    assert reviewer.post("/speaker-merges", data=merge).status_code == 403
    done = reviewer.post("/speaker-merges", data={**merge, "csrf": csrf}, follow_redirects=False)
    assert done.status_code == 303 and done.headers["location"] == "/speakers/person%3Amarcus%20bell"
    assert "Jane Doe" not in counts(reviewer) and counts(reviewer)["Marcus Bell"] == 5
    assert reviewer.get("/speakers/person:jane doe").status_code == 404
    assert "Merged Jane Doe → Marcus Bell, by ana" in reviewer.get(done.headers["location"]).text
    okafor = reviewer.get("/speakers/person:adaeze okafor").text
    split = {"key": "person:adaeze okafor", "speaker": split_choice(okafor, "wire-1"), "new_name": "Adaeze Okafor (Lagos)",
             "reviewer": "ana", "csrf": csrf}
    assert reviewer.post("/speaker-splits", data=split, follow_redirects=False).status_code == 303
    assert counts(reviewer)["Adaeze Okafor"] == 7 and counts(reviewer)["Adaeze Okafor (Lagos)"] == 1
    assert searched(reviewer, speaker="Adaeze Okafor (Lagos)") == {("wire-1", "q1")}
    hits = reviewer.get("/api/search", params={"q": "shipping fees", "speaker": "Adaeze Okafor (Lagos)"}).json()["hits"]
    assert hits[0]["misattributed"] and "Adaeze Okafor" in hits[0]["also_credited_to"]  # the words are hers elsewhere
    bad = reviewer.post("/speaker-merges", data={**merge, "key": "person:marcus bell", "into": "Nobody Atall", "csrf": csrf})
    assert bad.status_code == 404 and "Nobody Atall" in bad.text


def test_speaker_corrections_through_the_api_need_the_token_and_survive_reingest(tmp_path, review_db, reviewer):
    merge = {"action": "merge", "speaker_key": "person:jane doe", "into": "person:marcus bell", "reviewer": "ana"}
    assert reviewer.post("/api/speaker-corrections", json=merge).status_code == 401
    assert reviewer.post("/api/speaker-corrections", json=merge, headers={"Authorization": "Bearer no"}).status_code == 401
    made = reviewer.post("/api/speaker-corrections", json=merge, headers=AUTH)
    assert made.status_code == 201 and made.json()["new_name"] == "Marcus Bell"
    split = {"action": "split", "speaker_key": "person:adaeze okafor", "doc_id": "wire-1", "doc_speaker": "s1",
             "new_name": "Adaeze Okafor (Lagos)", "reviewer": "ana"}
    assert reviewer.post("/api/speaker-corrections", json=split, headers=AUTH).status_code == 201
    bad = reviewer.post("/api/speaker-corrections", json={**split, "doc_speaker": "s9"}, headers=AUTH)
    assert bad.status_code == 404 and "s9" in bad.json()["error"]
    assert [c["action"] for c in reviewer.get("/api/speaker-corrections").json()] == ["merge", "split"]
    expected = counts(reviewer)
    assert expected["Marcus Bell"] == 5 and expected["Adaeze Okafor (Lagos)"] == 1
    with Corpus(review_db) as corpus:
        assert corpus.ingest(write_docs(tmp_path)).present == 4
        with corpus.db.transaction():  # and the speakers placed again, as a new identity rule would
            corpus.db.set_meta("identity", "0")
    with Corpus(review_db):
        pass
    with TestClient(create_app(review_db)) as again:
        assert counts(again) == expected
    result = CliRunner().invoke(cli, ["export", "--db", str(review_db), "--corrections"])
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["correction"], r["field"], r["new_value"]) for r in rows] == [
        ("speaker", "merge", "person:marcus bell"), ("speaker", "split", "reviewed:adaeze okafor lagos")]
    listed = CliRunner().invoke(cli, ["speakers", "--db", str(review_db)])
    assert listed.exit_code == 0 and "Adaeze Okafor (Lagos)" in listed.stdout and "Jane Doe" not in listed.stdout
    quotes = CliRunner().invoke(cli, ["export", "--db", str(review_db)])
    keys = {json.loads(line)["corpus_speaker_key"] for line in quotes.stdout.splitlines()}
    assert "person:jane doe" not in keys and "reviewed:adaeze okafor lagos" in keys


def test_a_read_only_server_offers_no_review(client):
    assert "read-only" in client.get("/").text
    assert "read-only" in client.get("/login").text and 'name="token"' not in client.get("/login").text
    client.cookies.set("onrecord_login_csrf", "v", path="/login")
    try:
        assert client.post("/login", data={"token": TOKEN, "csrf": "v"}).status_code == 401
    finally:
        client.cookies.clear()


# Pieces of the page -----------------------------------------------------------------------------


def test_crossing_quotes_nest_as_pieces_with_one_focus_stop_each():
    a = Quote("a", "direct", 0, 6, "abcdef")
    b = Quote("b", "indirect", 3, 9, "defghi")
    out = pieces("abcdefghij", [a, b])
    opened = [p["open"] for p in out if "open" in p]
    assert opened == ["a", "b", "b"] and [p.get("first") for p in out if "open" in p] == [True, True, False]
    assert "".join(p["text"] for p in out if "text" in p) == "abcdefghij"
    depth = 0
    for p in out:
        depth += ("open" in p) - ("close" in p)
        assert depth >= 0
    assert depth == 0


@given(st.lists(st.tuples(st.integers(0, 30), st.integers(0, 30)), max_size=8))
def test_any_quote_spans_become_well_nested_pieces_holding_each_quote_once(spans):
    text = "".join(chr(ord("a") + i % 26) for i in range(25))
    quotes = [Quote(f"q{i}", "direct", a, b, text[a:b]) for i, (a, b) in enumerate(spans)]
    out = pieces(text, quotes)
    assert "".join(p["text"] for p in out if "text" in p) == text
    kept = {q.id: q for q in quotes if 0 <= q.start < q.end <= len(text)}
    assert sorted(p["open"] for p in out if p.get("first")) == sorted(kept)
    inside: dict[str, str] = {}
    stack: list[str] = []
    for p in out:
        if "open" in p:
            stack.append(p["open"])
        elif "close" in p:
            assert stack.pop() == p["close"]  # every close ends the innermost open piece
        else:
            for qid in stack:
                inside[qid] = inside.get(qid, "") + p["text"]
    assert not stack
    assert inside == {qid: q.text for qid, q in kept.items()}


def test_a_document_without_quotes_and_an_empty_check_are_pages(client, tmp_path):
    assert client.post("/check", data={"text": "   "}).status_code in (400, 422)
    with Corpus(tmp_path / "plain.db") as corpus:
        corpus.add(onrecord.extract("The council met on Monday and adjourned.", doc_id="https://news.example/a/plain"))
    with TestClient(create_app(tmp_path / "plain.db")) as c:
        page = c.get("/documents/https://news.example/a/plain")  # ids of JSON lines may hold slashes
        assert page.status_code == 200 and marks(page.text) == [] and "No quote selected" in page.text
        assert c.get("/api/documents/https://news.example/a/plain").json()["doc_id"] == "https://news.example/a/plain"


def test_a_timeline_shows_the_months_without_quotes():
    assert every_month([("2023-11", 2), ("2024-02", 1)]) == [("2023-11", 2), ("2023-12", 0), ("2024-01", 0), ("2024-02", 1)]
    assert every_month([]) == []


def test_json_for_a_script_element_cannot_close_it():
    value = {"t": "</script><!-- \u2028 & <img>"}
    text = script_json(value)
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == value


def test_a_server_on_this_machine_answers_only_its_own_host_names(db_path):
    assert allowed_hosts("127.0.0.1") == ["127.0.0.1", "localhost", "[::1]"] and allowed_hosts("0.0.0.0") is None
    with TestClient(create_app(db_path, allowed_hosts=allowed_hosts("127.0.0.1")), base_url="http://127.0.0.1:8000") as c:
        assert c.get("/api/speakers").status_code == 200
        assert c.get("/api/speakers", headers={"host": "rebound.example:8000"}).status_code == 400


def test_serve_is_a_command_bound_to_this_machine_by_default():
    result = CliRunner().invoke(cli, ["serve", "--help"])
    assert result.exit_code == 0 and "127.0.0.1" in result.output and "--review" in result.output
    missing = CliRunner().invoke(cli, ["serve", "--db", "/nonexistent/x.db"])
    assert missing.exit_code == 1 and "no corpus database" in missing.output


def test_serve_with_two_workers_answers_and_both_take_the_token(review_db):
    import socket
    import subprocess
    import sys
    import time
    import urllib.error
    import urllib.request

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-c", "from onrecord.cli import main; main()", "serve", "--db", str(review_db),
                             "--port", str(port), "--workers", "2", "--review"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        token = None
        while token is None:
            line = proc.stderr.readline()
            assert line, "onrecord serve ended before printing its token"
            if "review token:" in line:
                token = line.split("review token:")[1].strip()
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/api/speakers", timeout=5) as answer:
                    assert answer.status == 200
                    break
            except OSError:
                assert time.monotonic() < deadline, "no answer from the workers"
                time.sleep(0.3)
        made = []
        for reviewer in ("ana", "ben", "cleo", "dev"):  # several connections: both workers serve some
            body = json.dumps({**CORRECTION, "field": "fidelity", "value": "minor", "reviewer": reviewer}).encode()
            request = urllib.request.Request(url + "/api/corrections", data=body, method="POST", headers={
                "Authorization": f"Bearer {token}", "Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=30) as answer:
                made.append(answer.status)
        assert made == [201] * 4
        with pytest.raises(urllib.error.HTTPError) as refused:
            urllib.request.urlopen(urllib.request.Request(url + "/api/speakers", headers={"Host": "rebound.example"}))
        assert refused.value.code == 400
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def test_review_tokens_are_checked_whole_and_a_read_only_server_takes_none():
    from onrecord.web.auth import Reviewers, new_token

    token = new_token()
    assert len(token) >= 43 and new_token() != token
    reviewers = Reviewers(token)
    assert reviewers.bearer_ok(f"Bearer {token}") and reviewers.bearer_ok(f"bearer {token}")
    assert not reviewers.bearer_ok(f"Bearer {token[:-1]}") and not reviewers.bearer_ok(token)
    assert not reviewers.bearer_ok(f"Basic {token}") and not reviewers.bearer_ok(None)
    assert reviewers.session_ok(reviewers.session()) and token not in reviewers.session()
    assert reviewers.csrf_ok(reviewers.csrf()) and not reviewers.csrf_ok("")
    closed = Reviewers(None)
    assert not closed.enabled and not closed.token_ok("") and not closed.bearer_ok("Bearer ")
    assert not closed.session_ok("") and not closed.csrf_ok("")


def test_a_reviewers_speaker_names_render_as_text(reviewer):
    hostile = '<img src=x onerror="alert(1)">'
    split = {"action": "split", "speaker_key": "person:adaeze okafor", "doc_id": "ledger-1", "doc_speaker": "s1",
             "new_name": hostile, "reviewer": "<b>ana</b>", "reason": "</li><script>alert(2)</script>"}
    made = reviewer.post("/api/speaker-corrections", json=split, headers=AUTH).json()
    for path in ("/speakers", "/speakers/" + made["new_value"], "/speakers/person:adaeze okafor"):
        page = reviewer.get(path).text
        assert "<img src=x" not in page and "<script>alert" not in page and "<b>ana" not in page
    assert "&lt;img src=x onerror=&#34;alert(1)&#34;&gt;" in reviewer.get("/speakers/" + made["new_value"]).text
