"""Screenshots of the main pages of `onrecord serve`, for the README: docs/serve-*.png.

    python docs/screenshots.py

Ingests the example article and two short reports of its commissioner written here into a
temporary corpus, serves it, and photographs the pages with Playwright driving Debian's
chromium (/usr/bin/chromium; nothing is downloaded).
"""
from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from playwright.sync_api import sync_playwright

from onrecord.store import Corpus

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
REPORTS = [
    {"id": "ledger-1", "title": "Port plan approved", "published": "2024-03-01", "outlet": "Coastal Ledger",
     "text": "Port plan approved\n\nHALIFAX - The council approved the port plan on Friday.\n\n\"The terminal will be "
             "paid for by shipping fees and by the federal grant, not by residents,\" Commissioner Adaeze Okafor said "
             "on Friday.\n\nShe said building would resume in March.\n"},
    {"id": "wire-1", "title": "Council backs terminal", "published": "2024-04-02", "outlet": "Harbour Wire",
     "text": "Council backs terminal\n\nHALIFAX - The council backed the terminal on Tuesday.\n\n\"The terminal will be "
             "paid for by shipping fees, not by residents,\" Adaeze Okafor told reporters.\n"},
]


@contextmanager
def served(db: Path, *, review: bool = False) -> Iterator[tuple[str, str | None]]:
    """`onrecord serve` on the corpus `db` on a free port until the block ends: (base URL, review token)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryFile("w+") as err:
        server = subprocess.Popen([sys.executable, "-c", "from onrecord.cli import main; main()", "serve", "--db",
                                   str(db), "--port", str(port), *(["--review"] if review else [])], stderr=err)
        try:
            for _ in range(200):
                try:
                    urllib.request.urlopen(url + "/", timeout=2).read()
                    break
                except OSError:
                    time.sleep(0.2)
            err.seek(0)
            token = re.search(r"review token: (\S+)", err.read())
            yield url, token.group(1) if token else None
        finally:
            server.terminate()
            server.wait(timeout=20)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        reports = Path(folder, "reports.jsonl")
        reports.write_text("".join(json.dumps(r) + "\n" for r in REPORTS), encoding="utf-8")
        db = Path(folder, "screens.db")
        with Corpus(db) as corpus:
            corpus.ingest([str(ROOT / "examples" / "harbour_interview.txt"), str(reports)])
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 860})
            with served(db) as (url, _):
                page.goto(url + "/")
                page.screenshot(path=OUT / "serve-home.png", full_page=True)
                page.goto(url + "/documents/harbour_interview")
                altered = page.locator('mark[tabindex][data-fidelity="altered"]').first
                altered.focus()
                page.keyboard.press("Enter")
                page.screenshot(path=OUT / "serve-document.png")
                page.goto(url + "/speakers/person%3Aadaeze%20okafor")
                page.screenshot(path=OUT / "serve-speaker.png", full_page=True)
                page.goto(url + "/search?q=terminal")
                page.screenshot(path=OUT / "serve-search.png")
                cluster = re.search(r'href="/clusters/(\d+)"', page.content()) or re.search(
                    r"/clusters/(\d+)", urllib.request.urlopen(url + "/speakers/person%3Aadaeze%20okafor").read().decode())
                if cluster:
                    page.goto(f"{url}/clusters/{cluster.group(1)}")
                    page.screenshot(path=OUT / "serve-cluster.png")
            with served(db, review=True) as (url, token):  # a reviewer's speaker page: merge and split
                page.goto(url + "/login?next=/speakers/person%3Aadaeze%20okafor")
                page.fill("#token", token or "")
                page.click("form.stack button[type=submit]")
                page.wait_for_url(re.compile(r"/speakers/"))
                for summary in page.locator("details.correct-box summary").all():
                    summary.click()
                page.fill("#merge-into", "person:marcus bell")
                page.fill("#split-new", "Adaeze Okafor (Lagos)")
                page.locator("h2", has_text="Review").scroll_into_view_if_needed()
                page.screenshot(path=OUT / "serve-speaker-review.png")
            browser.close()
    print("wrote", ", ".join(sorted(p.name for p in OUT.glob("serve-*.png"))))


if __name__ == "__main__":
    main()
