"""The pages in a real browser: Playwright for Python driving Debian's chromium (never a browser
download) against `onrecord serve --review` run as a subprocess on a free port of 127.0.0.1.

Needs /usr/bin/chromium (`.ci/run` installs it where missing) and the founding document from
../shared: outside CI either missing skips these tests, under CI it fails them (tests/conftest.py).
"""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from onrecord.store import Corpus
from tests.conftest import missing
from tests.test_web import write_docs

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
SERVER_START_SECONDS = 60  # importing onrecord (spaCy) and opening the corpus, on a busy 2-core machine
PARSE_SECONDS = 90_000  # ms for a page that parses (/check loads the spaCy model in the server first)
SERVE = "from onrecord.cli import main; main()"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, founding_path):
    """A corpus of the founding document, the example, and the documents of test_web (one hostile)."""
    folder = tmp_path_factory.mktemp("browser")
    inputs = [*write_docs(folder), str(founding_path)]
    with Corpus(folder / "browser.db") as c:
        assert c.ingest(inputs).ok
        records = {doc_id: c.show(doc_id) for doc_id in ("ledger-1", "hostile", founding_path.stem)}
    return {"db": folder / "browser.db", "inputs": inputs, "records": records, "founding": founding_path.stem}


@pytest.fixture(scope="module")
def server(corpus, tmp_path_factory):
    """`onrecord serve --review` on a port of its own: (base URL, review token)."""
    port = free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.err"
    with log.open("w") as err:
        proc = subprocess.Popen([sys.executable, "-c", SERVE, "serve", "--db", str(corpus["db"]), "--port", str(port),
                                 "--review"], stdout=subprocess.DEVNULL, stderr=err, stdin=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        token = None
        deadline = time.monotonic() + SERVER_START_SECONDS
        while time.monotonic() < deadline:
            assert proc.poll() is None, f"onrecord serve ended: {log.read_text()}"
            found = re.search(r"review token: (\S+)", log.read_text())
            if found:
                token = found.group(1)
                try:
                    with urllib.request.urlopen(url + "/", timeout=5) as answer:
                        if answer.status == 200:
                            break
                except OSError:
                    pass
            time.sleep(0.2)
        else:
            pytest.fail(f"onrecord serve did not answer within {SERVER_START_SECONDS} s: {log.read_text()}")
        assert "serving" in log.read_text() and "127.0.0.1" in log.read_text()
        yield url, token
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        missing(CHROMIUM, "Debian's chromium (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1300, "height": 900})
    opened = context.new_page()
    yield opened
    context.close()


def _speaker(record, quote) -> str:
    speaker = record.speaker(quote.speaker)
    return speaker.name if speaker else ""


def test_the_founding_documents_quotes_are_highlighted_with_the_right_speakers(page, server, corpus):
    url, _ = server
    record = corpus["records"][corpus["founding"]]
    page.goto(f"{url}/documents/{record.doc_id}")
    shown = page.eval_on_selector_all("mark[tabindex]", "els => els.map(e => [e.dataset.quoteId, e.dataset.speaker])")
    assert dict(shown) == {q.id: _speaker(record, q) for q in record.quotes}
    assert "John Kirby" in dict(shown).values()
    first = page.locator("mark[tabindex]").first
    assert first.evaluate("e => e.previousElementSibling.textContent") == dict(shown)[first.get_attribute("data-quote-id")]
    assert page.locator(".quote-detail:visible").count() == 0


def test_a_quote_selected_with_the_keyboard_shows_its_diff_against_the_source_turn(page, server, corpus):
    url, _ = server
    record = corpus["records"][corpus["founding"]]
    page.goto(f"{url}/documents/{record.doc_id}")
    for _ in range(80):  # Tab through the page's links and quotes to the first quote with a word diff
        page.keyboard.press("Tab")
        focused = page.evaluate("() => [document.activeElement.dataset.quoteId, document.activeElement.dataset.fidelity]")
        if focused[1] in ("verbatim", "minor", "altered"):
            break
    else:
        pytest.fail("no checked quote reached with the Tab key")
    quote = next(q for q in record.quotes if q.id == focused[0])
    page.keyboard.press("Enter")
    panel = page.locator(f"#detail-{quote.id}")
    assert panel.is_visible()
    assert page.locator(f'mark[data-quote-id="{quote.id}"][aria-pressed="true"]').count() == 1
    turn = panel.locator(".turn").inner_text()
    assert turn.startswith(f"{quote.fidelity.speaker_match.label}:")
    if quote.fidelity.status != "verbatim":
        assert panel.locator(".turn del, .turn ins").count() >= 1
    assert _speaker(record, quote) in panel.locator("h3").inner_text()


def test_a_document_with_script_and_img_tags_renders_them_as_text_and_runs_nothing(page, server, corpus):
    url, _ = server
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.goto(f"{url}/documents/hostile")
    page.wait_for_load_state("load")
    text = page.locator(".text").inner_text()
    assert "<script>window.pwned=1</script>" in text and "<img src=x onerror=window.pwned=2>" in text
    assert "<script>window.pwnedTitle=1</script>" in page.title()
    page.locator("mark[tabindex]").last.click()
    assert "<img src=x" in page.locator(".quote-detail:visible blockquote").inner_text()
    assert page.evaluate("() => [window.pwned, window.pwnedTitle]") == [None, None]
    assert page.locator("main img").count() == 0 and dialogs == []


def test_search_and_follow_a_speaker(page, server):
    url, _ = server
    page.goto(f"{url}/")
    page.fill("#home-q", "shipping fees")
    page.press("#home-q", "Enter")
    page.wait_for_url(re.compile(r"/search\?q=shipping"))
    assert page.locator("tr.hit").count() >= 2
    page.locator("a.speaker-link", has_text="Adaeze Okafor").first.click()
    page.wait_for_url(re.compile(r"/speakers/person"))
    assert "Adaeze Okafor" in page.locator("h1").inner_text()
    assert page.locator("text=Titles over time").count() == 1


def _log_in(page, url, token, target) -> None:
    page.goto(f"{url}/login?next={target}")
    page.fill("#token", token)
    page.click("form.stack button[type=submit]")
    page.wait_for_url(re.compile(re.escape(target) + "$"))


def _review(page, scope: str, box: str, form: str, fields: dict[str, str], then: str) -> None:
    """Open the review box titled `box` inside `scope`, fill its form (field name -> value; a select
    by its option's value), submit it, and wait for the page it leads to (`then`, a pattern)."""
    page.locator(f"{scope} details.correct-box summary", has_text=box).click()
    found = page.locator(f"{scope} {form}")
    for name, value in fields.items():
        field = found.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value=value)
        else:
            field.fill(value)
    found.locator("button[type=submit]").click()
    page.wait_for_url(re.compile(then))


def test_a_correction_is_refused_without_the_token_and_shown_everywhere_with_it(page, server, corpus):
    url, token = server
    body = {"doc_id": "ledger-1", "quote_id": "q1", "field": "speaker", "value": "Marcus Bell", "reviewer": "ana"}
    refused = page.request.post(f"{url}/api/corrections", data=json.dumps(body), headers={"content-type": "application/json"})
    assert refused.status == 401 and "review token" in refused.json()["error"]
    page.goto(f"{url}/documents/ledger-1")
    page.locator('mark[data-quote-id="q1"]').first.click()
    assert page.locator("#detail-q1 form.correct").count() == 0  # not logged in: no form
    _log_in(page, url, token, "/documents/ledger-1")
    page.locator('mark[data-quote-id="q1"]').first.click()
    _review(page, "#detail-q1", "Correct the speaker", "form.correct-speaker",
            {"value": "Marcus Bell", "reviewer": "ana", "reason": "the tape says so"}, r"/documents/.+#quote-q1$")
    assert page.locator('mark[data-quote-id="q1"]').first.get_attribute("data-speaker") == "Marcus Bell"
    assert "by ana" in page.locator("#detail-q1 .corrections").inner_text()

    again = subprocess.run([sys.executable, "-c", SERVE, "ingest", *corpus["inputs"], "--db", str(corpus["db"])],
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "0 added" in again.stdout, again.stderr
    page.goto(f"{url}/documents/ledger-1")
    assert page.locator('mark[data-quote-id="q1"]').first.get_attribute("data-speaker") == "Marcus Bell"
    page.goto(f"{url}/search?q=federal+grant")
    assert "Marcus Bell" in page.locator("tr.hit").first.inner_text()
    record = page.request.get(f"{url}/api/documents/ledger-1").json()
    assert record["meta"]["corrections"][0]["new_value"] == "Marcus Bell"


def _quotes_by_speaker(page, url) -> dict[str, int]:
    return {s["name"]: s["quotes"] for s in page.request.get(f"{url}/api/speakers").json()["speakers"]}


def test_a_corrected_quote_speaker_moves_the_quote_in_search_and_on_the_speakers_pages(page, server):
    url, token = server
    body = {"doc_id": "ledger-1", "quote_id": "q2", "field": "speaker", "value": "Marcus Bell", "reviewer": "ana"}
    made = page.request.post(f"{url}/api/corrections", data=json.dumps(body),
                             headers={"content-type": "application/json", "authorization": f"Bearer {token}"})
    assert made.status == 201
    page.goto(f"{url}/search?q=building+resume&speaker=Marcus+Bell")
    hit = page.locator("tr.hit", has_text="building would resume in March")
    assert hit.count() == 1 and "Marcus Bell" in hit.inner_text()
    page.goto(f"{url}/search?q=building+resume&speaker=Adaeze+Okafor")
    assert page.locator("tr.hit", has_text="building would resume in March").count() == 0
    page.goto(f"{url}/speakers")
    page.locator("a", has_text="Marcus Bell").first.click()
    page.wait_for_url(re.compile(r"/speakers/person"))
    assert page.locator("table.hits", has_text="building would resume").count() == 1
    page.goto(f"{url}/speakers/person:adaeze okafor")
    assert page.locator("table.hits", has_text="building would resume").count() == 0


def test_a_reviewer_merges_and_splits_speakers_on_their_pages_and_both_survive_reingest(page, server, corpus,
                                                                                         tmp_path):
    url, token = server
    before = _quotes_by_speaker(page, url)
    _log_in(page, url, token, "/speakers/person:jane%20doe")
    _review(page, "main", "Merge into another speaker", "form.merge",
            {"into": "person:marcus bell", "reviewer": "ana", "reason": "the mayor is Bell"},
            r"/speakers/person%3Amarcus%20bell$")
    assert "Merged Jane Doe → Marcus Bell, by ana" in page.locator("ul.corrections").inner_text()
    page.goto(f"{url}/speakers")
    rows = page.locator("table.list tr", has_text="Marcus Bell")
    assert rows.count() == 1
    assert rows.locator("td.num").first.inner_text() == str(before["Marcus Bell"] + before["Jane Doe"])
    assert page.locator("table.list a", has_text="Jane Doe").count() == 0

    page.goto(f"{url}/speakers/person:adaeze okafor")
    wire = page.locator("form.split option", has_text=" in wire-1").get_attribute("value")
    _review(page, "main", "Split a document's speaker off", "form.split",
            {"speaker": wire, "new_name": "Adaeze Okafor (Lagos)", "reviewer": "ana"},
            r"/speakers/person%3Aadaeze%20okafor$")
    after = _quotes_by_speaker(page, url)
    assert after["Adaeze Okafor (Lagos)"] == 1 and after["Adaeze Okafor"] == before["Adaeze Okafor"] - 1

    # ingested again, with one more story quoting the mayor by her old name: the merge takes it too
    more = tmp_path / "more.jsonl"
    more.write_text(json.dumps({"id": "later-1", "title": "Ferry", "published": "2024-05-01", "text":
                                "Ferry line\n\n\"The ferry line will reopen in June,\" Mayor Jane Doe said.\n"}) + "\n",
                    encoding="utf-8")
    again = subprocess.run([sys.executable, "-c", SERVE, "ingest", *corpus["inputs"], str(more), "--db",
                            str(corpus["db"])], capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "1 added" in again.stdout, again.stderr
    shown = _quotes_by_speaker(page, url)
    assert "Jane Doe" not in shown and shown["Marcus Bell"] == after["Marcus Bell"] + 1
    assert shown["Adaeze Okafor (Lagos)"] == 1
    page.goto(f"{url}/search?q=ferry")
    assert "Marcus Bell" in page.locator("tr.hit").first.inner_text()


def test_the_check_page_shows_a_pasted_articles_record(page, server):
    url, _ = server
    page.goto(f"{url}/check")
    page.fill("#check-text", "\"We will reopen the ferry line in June,\" Mayor Jane Doe said on Monday.\n")
    page.fill("#check-source", "DOE: We will reopen the ferry line in July.")
    page.click("form.check-form button[type=submit]", timeout=PARSE_SECONDS)
    page.wait_for_selector("mark[data-quote-id]", timeout=PARSE_SECONDS)
    mark = page.locator("mark[tabindex]").first
    assert mark.get_attribute("data-speaker") == "Jane Doe" and mark.get_attribute("data-fidelity") == "altered"
    mark.focus()
    page.keyboard.press("Enter")
    assert page.locator(".quote-detail:visible .turn del").inner_text() == "July"
    assert "ALTERED" in page.locator("pre.report").inner_text()
