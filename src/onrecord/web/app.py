"""`onrecord serve`: the corpus as web pages to read, audit and correct, and as a JSON API.

A FastAPI application over one corpus file. Every page and API answer comes from a view of
`views.py` (one dict for the HTML and the JSON); the store does all SQL. What a reader can rely on:

- Read-only unless started with `--review`: the file is then opened read-only, and every write
  is refused (401) whatever the request carries.
- With `--review`, a token is made at start: the API takes it as a Bearer token, the pages through
  a login form (HttpOnly cookie, CSRF value on every form); see `auth.py`.
- All document text is untrusted: templates autoescape everything, JSON in a page is escaped for
  <script>, and pages carry a Content-Security-Policy that runs only this package's own script.
- Errors are a JSON {"error": message} under /api (an HTML page elsewhere), never a traceback.
  A request body over `MAX_BODY_BYTES`, or texts over `MAX_TEXT_CHARS`, get 413.
"""
from __future__ import annotations

import logging
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Sequence
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import quote

import jinja2
from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import BaseModel, Field
from starlette.exceptions import HTTPException
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .. import __version__
from ..errors import NotFoundError, OnrecordError, StoreError
from ..record import FIDELITY_STATUSES, QUOTE_TYPES
from ..settings import Options, load_options
from ..store import Corpus
from . import views
from .auth import (
    LOGIN_CSRF_COOKIE,
    LOGIN_CSRF_MAX_AGE,
    SESSION_COOKIE,
    SESSION_MAX_AGE,
    Reviewers,
    login_csrf_ok,
    new_login_csrf,
)

log = logging.getLogger("onrecord.web")

MAX_BODY_BYTES = 1 << 20
"""Largest request body (1 MiB): room for `MAX_TEXT_CHARS` of text even percent-encoded in a form."""
MAX_TEXT_CHARS = 100_000
"""Most characters /check and the extract and verify API take in one request (article and sources
together): a parse of about a few seconds on one core, so one request cannot hold the server long."""
MAX_SOURCES = 5
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
            "form-action 'self'; base-uri 'none'; frame-ancestors 'none'")
"""Pages run only /static scripts and styles: even text that escaped escaping could run nothing."""
DOCS_CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
            "connect-src 'self'; base-uri 'none'; frame-ancestors 'none'")
"""The API docs page: swagger-ui sets inline styles on its elements."""
SECURITY_HEADERS = {"X-Content-Type-Options": "nosniff", "Referrer-Policy": "no-referrer", "X-Frame-Options": "DENY"}
STATIC = Path(__file__).parent / "static"


class BodyLimit:
    """ASGI middleware: a request body over `limit` bytes is answered 413 before the app reads it
    (by its Content-Length, or while it streams in)."""

    def __init__(self, app: ASGIApp, limit: int = MAX_BODY_BYTES):
        self.app, self.limit = app, limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, send)
            return
        messages: list[Message] = []
        size = 0
        while True:
            message = await receive()
            messages.append(message)
            size += len(message.get("body", b""))
            if size > self.limit:
                await self._refuse(scope, send)
                return
            if message["type"] != "http.request" or not message.get("more_body"):
                break
        replay = iter(messages)

        async def replayed() -> Message:
            return next(replay, None) or await receive()

        await self.app(scope, replayed, send)

    async def _refuse(self, scope: Scope, send: Send) -> None:
        message = f"the request body is larger than {self.limit} bytes"
        response = JSONResponse({"error": message}, status_code=413)
        await response(scope, _no_receive, send)


async def _no_receive() -> Message:
    return {"type": "http.disconnect"}


class SearchParams(BaseModel):
    """The search filters of the page, the API and `onrecord search`."""

    q: str = ""
    speaker: str | None = None
    outlet: str | None = None
    since: str | None = None
    until: str | None = None
    type: str | None = None
    fidelity: str | None = None
    min_confidence: float | None = None
    limit: int = views.SEARCH_LIMIT
    raw: bool = False


def search_params(
    q: Annotated[str, Query(description="Words that must all match (or an FTS5 query with raw)")] = "",
    speaker: Annotated[str | None, Query(description="Full name or surname")] = None,
    outlet: Annotated[str | None, Query()] = None,
    since: Annotated[str | None, Query(description="YYYY-MM-DD, YYYY-MM or YYYY")] = None,
    until: Annotated[str | None, Query(description="YYYY-MM-DD, YYYY-MM or YYYY")] = None,
    type: Annotated[str | None, Query(description=" | ".join(QUOTE_TYPES))] = None,
    fidelity: Annotated[str | None, Query(description=" | ".join(FIDELITY_STATUSES))] = None,
    min_confidence: Annotated[float | None, Query(ge=0, le=1)] = None,
    limit: Annotated[int, Query(ge=1, le=views.MAX_SEARCH_LIMIT)] = views.SEARCH_LIMIT,
    raw: Annotated[bool, Query()] = False,
) -> SearchParams:
    # Empty form fields ("speaker=") mean "no filter", as a blank box does.
    return SearchParams(q=q, speaker=speaker or None, outlet=outlet or None, since=since or None, until=until or None,
                        type=type or None, fidelity=fidelity or None, min_confidence=min_confidence, limit=limit, raw=raw)


class Source(BaseModel):
    text: str
    title: str | None = None


class ExtractRequest(BaseModel):
    text: str = Field(description=f"The article, at most {MAX_TEXT_CHARS} characters")
    title: str | None = None


class VerifyRequest(ExtractRequest):
    sources: list[Source] = Field(default_factory=list, max_length=MAX_SOURCES,
                                  description="Primary sources (transcripts, releases) to check the quotes against")


class CorrectionRequest(BaseModel):
    doc_id: str = Field(description="The document's id or content hash")
    quote_id: str
    field: str = Field(description="speaker | fidelity | not_quote")
    value: str | None = Field(None, description="The new speaker name (or the document's speaker id) or verdict")
    reviewer: str
    reason: str | None = None


class SpeakerCorrectionRequest(BaseModel):
    action: Literal["merge", "split"]
    speaker_key: str = Field(description='The corpus speaker corrected, by key ("person:john kirby")')
    into: str | None = Field(None, description="merge: the key or name of the speaker to merge into; "
                                               "split: the key of the speaker to move to")
    doc_id: str | None = Field(None, description="split: the document's id or content hash")
    doc_speaker: str | None = Field(None, description="split: the speaker's id in that document's record (s0, s1, …)")
    new_name: str | None = Field(None, description="split: the name of a new corpus speaker to move to")
    reviewer: str
    reason: str | None = None


class Server:
    """What the application holds: the corpus (one connection, used under a lock), the reviewers'
    token, the settings and the templates."""

    def __init__(self, db: str | Path, *, token: str | None, options: Options):
        if not Path(db).is_file():
            raise StoreError(f"{db}: no corpus database here (onrecord ingest creates one)")
        self.reviewers = Reviewers(token)
        self.options = options
        self.corpus = Corpus(db, options=options, create=self.reviewers.enabled)
        self._corpus_lock = threading.Lock()
        self._parse_lock = threading.Lock()  # one parse at a time: spaCy's pipeline is not shared across threads
        self.templates = jinja2.Environment(loader=jinja2.PackageLoader("onrecord.web", "templates"),
                                            autoescape=True, trim_blocks=True,
                                            lstrip_blocks=True)

    @contextmanager
    def reading(self) -> Iterator[Corpus]:
        with self._corpus_lock:
            yield self.corpus

    @contextmanager
    def parsing(self) -> Iterator[None]:
        with self._parse_lock:
            yield

    def close(self) -> None:
        self.corpus.close()

    def logged_in(self, request: Request) -> bool:
        return self.reviewers.session_ok(request.cookies.get(SESSION_COOKIE))

    def render(self, request: Request, template: str, data: dict[str, Any], *, status: int = 200,
               csp: str = PAGE_CSP) -> HTMLResponse:
        logged_in = self.logged_in(request)
        context = {
            "data": data, "path": request.url.path, "version": __version__,
            "review": self.reviewers.enabled, "logged_in": logged_in,
            "csrf": self.reviewers.csrf() if logged_in else "",
            "max_text_chars": MAX_TEXT_CHARS, "fields": views.CORRECTION_FIELDS, "statuses": FIDELITY_STATUSES,
            "types": QUOTE_TYPES,
        }
        html = self.templates.get_template(template).render(context)
        return HTMLResponse(html, status_code=status, headers={"Content-Security-Policy": csp, **SECURITY_HEADERS})


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api/") or request.url.path == "/openapi.json"


def _texts_fit(*texts: str | None) -> None:
    total = sum(len(t or "") for t in texts)
    if total > MAX_TEXT_CHARS:
        raise HTTPException(413, f"the texts hold {total} characters; at most {MAX_TEXT_CHARS} are taken at once")


def create_app(db: str | Path, *, token: str | None = None, options: Options | None = None,
               allowed_hosts: Sequence[str] | None = None) -> FastAPI:
    """The application over the corpus file `db`: read-only, or writable by whoever holds `token`.
    `allowed_hosts`: the Host headers answered (others get 400), so that a web page whose domain
    is pointed at 127.0.0.1 (DNS rebinding) cannot read the corpus; None answers any."""
    server = Server(db, token=token, options=options or load_options())

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        server.close()

    app = FastAPI(title="onrecord", version=__version__, docs_url=None, redoc_url=None, lifespan=lifespan,
                  description="Who said what: the corpus's documents, quotes, speakers and quote variants; "
                              "extraction and verification of posted texts (nothing stored); reviewers' corrections.")
    app.state.server = server
    app.add_middleware(BodyLimit, limit=MAX_BODY_BYTES)
    if allowed_hosts is not None:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.mount("/static", StaticFiles(directory=STATIC), name="static")  # swagger-ui vendored under static/swagger

    @app.middleware("http")
    async def security_headers(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    def error(request: Request, status: int, message: str) -> Response:
        if _wants_json(request):
            return JSONResponse({"error": message}, status_code=status, headers=SECURITY_HEADERS)
        return server.render(request, "error.html", {"status": status, "message": message}, status=status)

    @app.exception_handler(OnrecordError)
    async def onrecord_error(request: Request, exc: OnrecordError) -> Response:
        return error(request, 404 if isinstance(exc, NotFoundError) else 400, str(exc))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, exc: HTTPException) -> Response:
        response = error(request, exc.status_code, str(exc.detail))
        if exc.status_code == 401:
            response.headers["WWW-Authenticate"] = "Bearer"
        return response

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, exc: RequestValidationError) -> Response:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg')}" for e in exc.errors())
        return error(request, 422, f"invalid request: {problems}")

    @app.exception_handler(Exception)
    async def bug(request: Request, exc: Exception) -> Response:
        log.exception("unexpected error on %s", request.url.path)
        return error(request, 500, f"unexpected {type(exc).__name__} (a bug in onrecord; the server log has the details)")

    # Pages ---------------------------------------------------------------------------------------

    @app.get("/", include_in_schema=False)
    def home(request: Request) -> HTMLResponse:
        with server.reading() as corpus:
            data = views.home(corpus)
        return server.render(request, "home.html", data)

    @app.get("/documents", include_in_schema=False)
    def documents_page(request: Request, page: Annotated[int, Query(ge=1)] = 1) -> HTMLResponse:
        with server.reading() as corpus:
            data = views.documents(corpus, page)
        return server.render(request, "documents.html", data)

    @app.get("/documents/{doc_id:path}", include_in_schema=False)
    def document_page(request: Request, doc_id: str) -> HTMLResponse:
        with server.reading() as corpus:
            data = views.document(corpus, doc_id)
        return server.render(request, "document.html", {**data, "json": views.embedded(data)})

    @app.post("/documents/{doc_id:path}/corrections", include_in_schema=False)
    def correct_page(request: Request, doc_id: str, quote_id: Annotated[str, Form()], field: Annotated[str, Form()],
                     reviewer: Annotated[str, Form()], csrf: Annotated[str, Form()],
                     value: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
        review_form(request, csrf)
        with server.reading() as corpus:
            corpus.correct(doc_id, quote_id, field, value, reviewer=reviewer, reason=reason)
        return RedirectResponse(f"{request.url_for('document_page', doc_id=doc_id).path}#quote-{quote_id}", status_code=303)

    @app.get("/speakers", include_in_schema=False)
    def speakers_page(request: Request) -> HTMLResponse:
        with server.reading() as corpus:
            data = views.speakers(corpus)
        return server.render(request, "speakers.html", data)

    @app.get("/speakers/{key:path}", include_in_schema=False)
    def speaker_page(request: Request, key: str) -> HTMLResponse:
        with server.reading() as corpus:
            data = views.speaker(corpus, key, choices=server.logged_in(request))
        return server.render(request, "speaker.html", data)

    def review_form(request: Request, csrf: str) -> None:
        """A page's review form may write only for a logged-in reviewer carrying the page's CSRF value."""
        if not server.logged_in(request):
            raise HTTPException(401, "log in with the review token to correct the record")
        if not server.reviewers.csrf_ok(csrf):
            raise HTTPException(403, "the form's CSRF value is wrong: reload the page and try again")

    @app.post("/speaker-merges", include_in_schema=False)
    def merge_page(request: Request, key: Annotated[str, Form()], into: Annotated[str, Form()],
                   reviewer: Annotated[str, Form()], csrf: Annotated[str, Form()],
                   reason: Annotated[str, Form()] = "") -> Response:
        review_form(request, csrf)
        with server.reading() as corpus:
            made = corpus.merge_speaker(key, into, reviewer=reviewer, reason=reason)
        return RedirectResponse(_speaker_path(made.new_value), status_code=303)

    @app.post("/speaker-splits", include_in_schema=False)
    def split_page(request: Request, key: Annotated[str, Form()], speaker: Annotated[str, Form()],
                   reviewer: Annotated[str, Form()], csrf: Annotated[str, Form()], into: Annotated[str, Form()] = "",
                   new_name: Annotated[str, Form()] = "", reason: Annotated[str, Form()] = "") -> Response:
        review_form(request, csrf)
        doc_hash, _, sid = speaker.partition(" ")
        with server.reading() as corpus:
            corpus.split_speaker(key, doc_hash, sid, into=into.strip() or None,
                                 new_name=None if into.strip() else new_name, reviewer=reviewer, reason=reason)
        return RedirectResponse(_speaker_path(key), status_code=303)

    @app.get("/clusters/{cluster_id}", include_in_schema=False)
    def cluster_page(request: Request, cluster_id: int) -> HTMLResponse:
        with server.reading() as corpus:
            data = views.cluster(corpus, cluster_id)
        if data is None:
            raise HTTPException(404, f"no cluster {cluster_id}")
        return server.render(request, "cluster.html", data)

    @app.get("/search", include_in_schema=False)
    def search_page(request: Request, params: Annotated[SearchParams, Depends(search_params)]) -> HTMLResponse:
        try:
            with server.reading() as corpus:
                data = views.search(corpus, params.model_dump())
        except OnrecordError as exc:
            data = {**views.search_form(params.model_dump()), "error": str(exc)}
            return server.render(request, "search.html", data, status=404 if isinstance(exc, NotFoundError) else 400)
        return server.render(request, "search.html", {**data, "error": None})

    @app.get("/check", include_in_schema=False)
    def check_form(request: Request) -> HTMLResponse:
        return server.render(request, "check.html", {"result": None, "text": "", "title": "", "source": ""})

    @app.post("/check", include_in_schema=False)
    def check_page(request: Request, text: Annotated[str, Form()], title: Annotated[str, Form()] = "",
                   source: Annotated[str, Form()] = "") -> HTMLResponse:
        _texts_fit(text, source)
        if not text.strip():
            raise HTTPException(400, "paste an article to check")
        sources = [(source, "the pasted source")] if source.strip() else []
        with server.parsing():
            result = views.check(text, title or None, sources, options=server.options)
        return server.render(request, "check.html", {"result": {**result, "json": views.embedded(result)},
                                                     "text": text, "title": title, "source": source})

    def login_page(request: Request, next: str, *, failed: bool, status: int = 200) -> HTMLResponse:
        """The login form with a fresh pre-session CSRF value, in its cookie and its hidden field."""
        value = new_login_csrf()
        response = server.render(request, "login.html", {"next": _local(next), "failed": failed, "login_csrf": value},
                                 status=status)
        response.set_cookie(LOGIN_CSRF_COOKIE, value, max_age=LOGIN_CSRF_MAX_AGE, httponly=True, samesite="strict",
                            path="/login", secure=request.url.scheme == "https")
        return response

    @app.get("/login", include_in_schema=False)
    def login_form(request: Request, next: str = "/") -> HTMLResponse:
        return login_page(request, next, failed=False)

    @app.post("/login", include_in_schema=False)
    def login(request: Request, token: Annotated[str, Form()], next: Annotated[str, Form()] = "/",
              csrf: Annotated[str, Form()] = "") -> Response:
        if not login_csrf_ok(request.cookies.get(LOGIN_CSRF_COOKIE), csrf):
            raise HTTPException(403, "the login form's CSRF value is wrong: open the login page again and retry")
        if not server.reviewers.token_ok(token):
            return login_page(request, next, failed=True, status=401)
        response = RedirectResponse(_local(next), status_code=303)
        response.set_cookie(SESSION_COOKIE, server.reviewers.session(), max_age=SESSION_MAX_AGE, httponly=True,
                            samesite="strict", path="/", secure=request.url.scheme == "https")
        response.delete_cookie(LOGIN_CSRF_COOKIE, path="/login")
        return response

    @app.post("/logout", include_in_schema=False)
    def logout(request: Request, csrf: Annotated[str, Form()] = "") -> Response:
        if server.logged_in(request) and not server.reviewers.csrf_ok(csrf):
            raise HTTPException(403, "the form's CSRF value is wrong: reload the page and try again")
        response = RedirectResponse("/", status_code=303)
        response.delete_cookie(SESSION_COOKIE, path="/")
        return response

    @app.get("/docs", include_in_schema=False)
    def docs(request: Request) -> HTMLResponse:
        return server.render(request, "docs.html", {}, csp=DOCS_CSP)

    # JSON API ------------------------------------------------------------------------------------

    @app.get("/api/documents/{doc_id:path}", tags=["corpus"])
    def api_document(doc_id: str) -> dict[str, Any]:
        """The onrecord/1 record of a stored document (by doc id or content hash), reviewers'
        corrections applied (listed in `meta.corrections`)."""
        with server.reading() as corpus:
            return views.document(corpus, doc_id)["record"]

    @app.get("/api/search", tags=["corpus"])
    def api_search(params: Annotated[SearchParams, Depends(search_params)]) -> dict[str, Any]:
        """Quotes matching the words and filters (as `onrecord search`), best first; newest first
        without words."""
        with server.reading() as corpus:
            return views.search(corpus, params.model_dump())

    @app.get("/api/speakers", tags=["corpus"])
    def api_speakers() -> dict[str, Any]:
        """The most quoted corpus speakers, and quoted speakers by gender and kind."""
        with server.reading() as corpus:
            return views.speakers(corpus)

    @app.get("/api/speakers/{key:path}", tags=["corpus"])
    def api_speaker(key: str) -> dict[str, Any]:
        """One corpus speaker by key ("person:john kirby"): titles over time, quotes, variants, misattributions."""
        with server.reading() as corpus:
            return views.speaker(corpus, key)

    @app.get("/api/clusters/{cluster_id}", tags=["corpus"])
    def api_cluster(cluster_id: int) -> dict[str, Any]:
        """One statement as printed by different documents, each variant with its diff."""
        with server.reading() as corpus:
            data = views.cluster(corpus, cluster_id)
        if data is None:
            raise HTTPException(404, f"no cluster {cluster_id}")
        return data

    @app.post("/api/extract", tags=["text"])
    def api_extract(body: ExtractRequest) -> dict[str, Any]:
        """The onrecord/1 record of a posted text (checked against its own transcript); nothing is stored."""
        _texts_fit(body.text)
        from .. import pipeline

        with server.parsing():
            return pipeline.extract(body.text, doc_id="posted", title=body.title, options=server.options).to_dict()

    @app.post("/api/verify", tags=["text"])
    def api_verify(body: VerifyRequest) -> dict[str, Any]:
        """A posted article's record with every quote verified against its own transcript and the
        sources given; nothing is stored."""
        _texts_fit(body.text, *(s.text for s in body.sources))
        with server.parsing():
            record = views.extract_checked(body.text, body.title, [(s.text, s.title) for s in body.sources],
                                           options=server.options)
        return record.to_dict()

    def api_token(request: Request) -> None:
        """An API write needs this run's review token as a Bearer token (401 without it)."""
        if not server.reviewers.bearer_ok(request.headers.get("authorization")):
            raise HTTPException(401, "corrections need the review token (Authorization: Bearer …) of a server "
                                     "started with onrecord serve --review")

    @app.get("/api/corrections", tags=["review"])
    def api_corrections(doc_id: str | None = None) -> list[dict[str, Any]]:
        """The reviewers' corrections, of one document or all, in the order they were made."""
        with server.reading() as corpus:
            return [c.to_dict() for c in corpus.corrections(doc_id)]

    @app.post("/api/corrections", tags=["review"], status_code=201)
    def api_correct(request: Request, body: CorrectionRequest) -> dict[str, Any]:
        """Correct one quote's speaker or verdict, or mark it as no quote. Needs the server started
        with `--review` and its token as `Authorization: Bearer …` (401 without)."""
        api_token(request)
        with server.reading() as corpus:
            made = corpus.correct(body.doc_id, body.quote_id, body.field, body.value, reviewer=body.reviewer,
                                  reason=body.reason)
        return made.to_dict()

    @app.get("/api/speaker-corrections", tags=["review"])
    def api_speaker_corrections() -> list[dict[str, Any]]:
        """The reviewers' merges and splits of corpus speakers, in the order they were made."""
        with server.reading() as corpus:
            return [c.to_dict() for c in corpus.speaker_corrections()]

    @app.post("/api/speaker-corrections", tags=["review"], status_code=201)
    def api_speaker_correct(request: Request, body: SpeakerCorrectionRequest) -> dict[str, Any]:
        """Merge a corpus speaker into another (`action` "merge", `into` a key or name), or split one of
        its documents' speakers off (`action` "split", `doc_id` and `doc_speaker`, to `into` a key or a
        new speaker `new_name`). Needs the review token as `Authorization: Bearer …` (401 without)."""
        api_token(request)
        with server.reading() as corpus:
            if body.action == "merge":
                made = corpus.merge_speaker(body.speaker_key, body.into or "", reviewer=body.reviewer, reason=body.reason)
            else:
                made = corpus.split_speaker(body.speaker_key, body.doc_id or "", body.doc_speaker or "", into=body.into,
                                            new_name=body.new_name, reviewer=body.reviewer, reason=body.reason)
        return made.to_dict()

    return app


def _speaker_path(key: str) -> str:
    """The speaker page of the corpus speaker `key` (any character of a key quoted)."""
    return "/speakers/" + quote(key, safe="")


def _local(target: str) -> str:
    """A redirect target on this site only (a path, never "//host" or a URL): else "/"."""
    return target if target.startswith("/") and not target.startswith(("//", "/\\")) else "/"
