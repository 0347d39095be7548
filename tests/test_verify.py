"""Quote fidelity: each status, each tolerance, speaker restriction, stitching, scale and bad sources."""
from __future__ import annotations

import json
import logging
import random
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from onrecord.align import align, word_diff
from onrecord.cli import cli
from onrecord.record import Fidelity, Quote, Record, Section, Span, Speaker, Turn
from onrecord.verify import verify

from .conftest import EXAMPLE

SOURCE = (
    "We have been watching the storm closely since Monday. The harbour wall held, and that's what we hoped for. "
    "I won't speculate about the insurance claims, but our crews on the ground have the equipment and they have "
    "the training to clear the roads by Friday. The council has not seen any evidence that the pier was damaged "
    "by the ferry operator. We will also keep the Iran-backed shipping line under review until the cease-fire "
    "holds. We're not going to raise taxes this year, and 17 families are still in the shelter."
)


def kinds(fidelity: Fidelity) -> list[str | None]:
    return [c.kind for c in fidelity.changes]


def check(quote: str, quote_type: str = "direct") -> Fidelity:
    f = align(quote, SOURCE, source_doc="src", quote_type=quote_type)
    if f.source_start is not None:
        assert SOURCE[f.source_start:f.source_end] == f.source_text
    return f


# --- verbatim, and what is not a change -------------------------------------------------------

def test_exact_words_are_verbatim_with_the_source_span():
    f = check("The harbour wall held, and that's what we hoped for.")
    assert f.status == "verbatim" and f.changes == () and f.similarity == 1.0
    assert f.source_doc == "src" and f.source_text == "The harbour wall held, and that's what we hoped for"


def test_case_curly_quotes_nbsp_and_end_punctuation_are_not_changes():
    f = check("“THE HARBOUR\u00a0WALL  held, and that’s what we hoped for,’’")
    assert f.status == "verbatim" and f.changes == ()


def test_hyphenation_is_not_a_change():
    f = check("keep the Iran backed shipping line under review until the ceasefire holds")
    assert f.status == "verbatim" and f.changes == ()


def test_omission_marked_by_an_ellipsis_is_reported_but_not_an_alteration():
    for mark in ("…", "..."):
        f = check(f"our crews on the ground {mark} have the training to clear the roads by Friday")
        assert f.status == "verbatim"
        assert [(c.op, c.source, c.kind) for c in f.changes] == [("delete", "have the equipment and they", "ellipsis")]


def test_bracketed_editorial_words_are_clarifications():
    f = check("[the crews] have the training to clear the roads by Friday")
    assert f.status == "verbatim"
    assert [(c.op, c.quote, c.source, c.kind) for c in f.changes] == [("replace", "the crews", "they", "bracket")]


# --- minor --------------------------------------------------------------------------------------

def test_contractions_are_minor():
    f = check("We are not going to raise taxes this year")
    assert f.status == "minor" and kinds(f) == ["contraction"]
    f = check("I will not speculate about the insurance claims")
    assert f.status == "minor" and kinds(f) == ["contraction"]
    assert align("we are going to rebuild the pier", "We're gonna rebuild the pier.").status == "minor"
    assert align("we cannot rebuild the pier", "We can't rebuild the pier.").status == "minor"


def test_a_spelling_slip_is_minor():
    f = check("The harbor wall held, and that's what we hoped for")
    assert f.status == "minor"
    assert [(c.quote, c.source, c.kind) for c in f.changes] == [("harbor", "harbour", "spelling")]


def test_punctuation_inside_the_quote_is_minor():
    f = check("The harbour wall held; and that's what we hoped for")
    assert f.status == "minor" and kinds(f) == ["punctuation"]


def test_a_single_function_word_is_minor_but_two_are_altered():
    assert check("We have been watching a storm closely since Monday").status == "minor"
    f = check("We had been watching a storm closely since Monday")
    assert f.status == "altered" and kinds(f) == ["function_word", "function_word"]


# --- altered, paraphrase, unsupported -----------------------------------------------------------

def test_unmarked_omission_is_altered():
    f = check("our crews on the ground have the training to clear the roads by Friday")
    assert f.status == "altered"
    assert [(c.op, c.source, c.kind) for c in f.changes] == [("delete", "have the equipment and they", None)]


def test_changed_words_are_altered_and_listed():
    f = check("The council has seen evidence that the pier was damaged by the ferry operator")
    assert f.status == "altered"
    assert [(c.op, c.source) for c in f.changes] == [("delete", "not"), ("delete", "any")]
    assert 0.5 < f.similarity < 1


def test_a_transposed_letter_is_a_spelling_slip():
    assert check("The harbour wall held, and that's waht we hoped for").status == "minor"


def test_a_negation_a_number_or_an_inflection_is_never_a_spelling_slip():
    assert check("We're now going to raise taxes this year").status == "altered"
    assert check("and 18 families are still in the shelter").status == "altered"
    assert check("We're not going to raised taxes this year").status == "altered"


def test_edge_words_pair_with_the_source_words_they_replace():
    f = check("been watching the storm closely since Monday")
    assert f.status == "verbatim"
    f = check("started watching the storm closely since Monday")
    assert f.status == "altered"
    assert [(c.op, c.quote, c.source) for c in f.changes] == [("replace", "started", "been")]


def test_indirect_speech_in_other_words_is_paraphrase():
    f = check("the council found no proof that the ferry operator damaged the pier", "indirect")
    assert f.status == "paraphrase"
    assert "ferry operator" in f.source_text


def test_other_words_inside_quote_marks_are_paraphrase_too():
    f = check("the council found no proof that the ferry operator damaged the pier")
    assert f.status == "paraphrase"


def test_a_negation_is_compared_in_the_clause_of_the_word_it_denies():
    source = "I don't know. I don't even remember. I test all the time. They test me before the debate, they test me after."
    # "cannot remember" is "I don't even remember", though most of its words are in another clause
    assert align("he cannot remember whether he was tested before the debate", source,
                 quote_type="indirect").status == "paraphrase"
    # a denial of what the source affirms is not its claim
    assert align("they do not test him before the debate", source, quote_type="indirect").status == "unsupported"


def test_indirect_speech_that_copies_the_words_is_verbatim():
    assert check("the harbour wall held", "indirect").status == "verbatim"


def test_a_statement_the_source_does_not_make_is_unsupported():
    for quote_type in ("direct", "indirect"):
        f = check("taxes will double next spring to pay for the new stadium", quote_type)
        assert f.status == "unsupported"


# --- stitched quotes ----------------------------------------------------------------------------

def test_quote_stitched_from_non_adjacent_sentences_is_flagged_with_both_spans():
    f = check("The harbour wall held. We're not going to raise taxes this year.")
    assert f.status == "altered" and "stitch" in kinds(f)
    assert [s.text for s in f.stitched] == ["The harbour wall held", "We're not going to raise taxes this year"]
    assert all(SOURCE[s.start:s.end] == s.text for s in f.stitched)


def test_stitch_marked_by_an_ellipsis_is_flagged_but_not_an_alteration():
    f = check("The harbour wall held … We're not going to raise taxes this year")
    assert f.status == "verbatim" and kinds(f) == ["stitch"] and len(f.stitched) == 2


def test_words_skipped_within_adjacent_sentences_are_an_omission_not_a_stitch():
    f = check("closely since Monday. The harbour wall held")
    assert f.status == "verbatim" and f.stitched == ()


# --- minimum evidence, bad sources, scale -------------------------------------------------------

def test_one_or_two_words_are_never_verbatim_of_a_document_at_large():
    assert align("harbour", SOURCE).status == "no_source"
    assert align("harbour wall", SOURCE).status == "no_source"


def test_nothing_to_check_against_is_no_source():
    assert align("The harbour wall held", "").status == "no_source"
    assert align("", SOURCE).status == "no_source"
    assert align("The harbour wall held", "\x00\x01\x02 \ufffd\ufffd").status == "no_source"


def test_a_source_in_another_language_is_no_source():
    spanish = ("El muro del puerto resistió y eso es lo que esperábamos. No vamos a subir los impuestos "
               "este año, y diecisiete familias siguen en el refugio municipal desde el lunes pasado.")
    assert align("The harbour wall held, and that is what we hoped for", spanish).status == "no_source"


def test_offsets_point_into_the_larger_text():
    f = align("The harbour wall held, and that's what we hoped for", SOURCE, offset=1000)
    assert f.source_start == 1000 + SOURCE.index("The harbour wall") and f.source_text.startswith("The harbour")


def test_a_100000_word_source_finds_the_one_span():
    rng = random.Random(4)
    vocab = [f"{a}{b}{c}" for a in ("ka", "lo", "mi", "re", "tu", "sa") for b in ("ben", "dor", "fil", "gan")
             for c in ("", "s", "ed", "ing", "er")] + "the and of to we have said in it was for on".split() * 10
    sentences = [" ".join(rng.choices(vocab, k=20)).capitalize() + "." for _ in range(5000)]
    target = "Our pumps in the lower basin have the capacity to drain the quay within six hours."
    sentences.insert(3210, target)
    big = " ".join(sentences)
    f = align("our pumps in the lower basin have the capacity to drain the quay within six hours", big)
    assert f.status == "verbatim" and f.source_text == target.rstrip(".")
    assert big[f.source_start:f.source_end] == f.source_text


def test_word_diff_reads_as_an_edit_of_the_source_into_the_quote():
    parts = word_diff("we had seen the storm", "we have seen the big storm")
    assert [(tag, q, s) for tag, q, s, _ in parts] == [
        ("equal", "we", "we"), ("replace", "had", "have"), ("equal", "seen the", "seen the"),
        ("delete", "", "big"), ("equal", "storm", "storm")]


# --- verify(): sources in order, speaker restriction, transcript quotes, headline -------------

ARTICLE = (
    "Harbour wall held: Ortiz\n\n"
    "Mayor Dana Ortiz said “the harbour wall held, and that's what we hoped for.” "
    "Ortiz also said “the ferry was late every single day.” "
    "Reggie Moss said “we towed the barge out before noon.” "
    "Officials said “the harbour wall held” too. "
    "Ortiz said the council had found no proof that the ferry operator damaged the pier.\n\n"
)
TRANSCRIPT = (
    "Ledger: How did the night go?\n\n"
    "Ortiz: The harbour wall held, and that's what we hoped for. The council has not seen any evidence "
    "that the pier was damaged by the ferry operator.\n\n"
    "Moss: The ferry was late every single day, and we towed the barge out before noon.\n\n"
)


def _span(text: str, words: str) -> tuple[int, int]:
    start = text.index(words)
    return start, start + len(words)


def _quote(text: str, qid: str, words: str, speaker: str | None, qtype: str = "direct", **kw) -> Quote:
    start, end = _span(text, words)
    return Quote(qid, qtype, start, end, words, speaker=speaker, **kw)


def _turn(text: str, tid: str, words: str, speaker: str, role: str) -> Turn:
    start, end = _span(text, words)
    return Turn(tid, start, end, words, speaker=speaker, role=role)


@pytest.fixture(scope="module")
def harbour() -> Record:
    text = ARTICLE + TRANSCRIPT
    cut = len(ARTICLE)
    speakers = (Speaker("s1", "Dana Ortiz", "person"), Speaker("s2", "Ledger", "organization"),
                Speaker("s3", "Reggie Moss", "person"), Speaker("s4", "Officials", "group"))
    turns = (
        _turn(text, "t1", "How did the night go?", "s2", "interviewer"),
        _turn(text, "t2", "The harbour wall held, and that's what we hoped for. The council has not seen any "
                          "evidence that the pier was damaged by the ferry operator.", "s1", "interviewee"),
        _turn(text, "t3", "The ferry was late every single day, and we towed the barge out before noon.", "s3", "other"),
    )
    quotes = (
        _quote(text, "q1", "the harbour wall held, and that's what we hoped for.", "s1"),
        _quote(text, "q2", "the ferry was late every single day.", "s1"),
        _quote(text, "q3", "we towed the barge out before noon.", None),
        _quote(text, "q4", "the harbour wall held", "s4"),
        _quote(text, "q5", "the council had found no proof that the ferry operator damaged the pier", "s1", "indirect"),
        _quote(text, "q6", "The ferry was late every single day", "s3"),  # inside the transcript
    )
    return Record("harbour", text, title="Harbour wall held: Ortiz", speakers=speakers, quotes=quotes,
                  turns=turns, sections=(Section("article", 0, cut), Section("transcript", cut, len(text))))


def _fid(record: Record, qid: str) -> Fidelity:
    return next(q.fidelity for q in record.quotes if q.id == qid)


def test_verify_sets_fidelity_on_every_quote_with_offsets_into_the_record(harbour):
    checked = verify(harbour)
    assert all(q.fidelity is not None for q in checked.quotes)
    f = _fid(checked, "q1")
    assert f.status == "verbatim" and f.source_doc == "harbour"
    assert harbour.text[f.source_start:f.source_end] == f.source_text
    assert harbour.quotes[0].fidelity is None  # records are frozen: a new record comes back


def test_words_of_another_speaker_are_reported_as_theirs(harbour):
    checked = verify(harbour)
    q2 = _fid(checked, "q2")  # credited to Ortiz; Moss said it
    assert q2.status == "verbatim"
    assert q2.speaker_match is not None and q2.speaker_match.speaker == "Reggie Moss"
    assert q2.speaker_match.turn == "t3" and q2.speaker_match.same is False
    q1 = _fid(checked, "q1")
    assert q1.speaker_match is not None and q1.speaker_match.same is True
    assert q1.speaker_match.speaker == "Dana Ortiz"
    assert _fid(checked, "q3").status == "verbatim"  # unknown speaker: every turn


def test_a_speaker_without_turns_is_checked_against_the_whole_transcript(harbour):
    q4 = _fid(verify(harbour), "q4")  # credited to "Officials": the words are Ortiz's
    assert q4.status == "verbatim" and q4.speaker_match is not None
    assert (q4.speaker_match.speaker, q4.speaker_match.same) == ("Dana Ortiz", False)


def test_indirect_quote_is_paraphrase_of_the_speakers_turn(harbour):
    assert _fid(verify(harbour), "q5").status == "paraphrase"


def test_quotes_inside_the_transcript_are_not_checked_against_it(harbour):
    assert _fid(verify(harbour), "q6").status == "no_source"


def test_without_the_transcript_nothing_is_checked(harbour):
    assert {q.fidelity.status for q in verify(harbour, use_transcript=False).quotes} == {"no_source"}


def test_other_sources_are_used_by_speaker_name_and_named_by_doc_id(harbour):
    speech = Record("speech", "Dana Ortiz spoke at noon. The ferry was late every single day, she told us.")
    f = _fid(verify(harbour, [speech]), "q2")
    assert f.status == "verbatim" and f.source_doc == "speech"
    assert speech.text[f.source_start:f.source_end] == f.source_text


def test_two_word_quote_is_verbatim_only_in_the_speakers_own_turns(harbour):
    text = harbour.text
    record = harbour.evolve(quotes=(
        _quote(text, "q1", "harbour wall", "s1"),  # Ortiz's own words
        _quote(text, "q2", "harbour wall", "s3"),  # Moss has turns, and said no such thing
        _quote(text, "q3", "harbour wall", "s4"),  # named, no turns: a pair of words proves nothing
        _quote(text, "q4", "harbour wall", None),  # no one credited: the words are Ortiz's
    ))
    checked = verify(record)
    assert [q.fidelity.status for q in checked.quotes] == ["verbatim", "unsupported", "no_source", "verbatim"]
    assert checked.quotes[3].fidelity.speaker_match.speaker == "Dana Ortiz"


def test_mixed_quote_is_judged_by_its_quoted_fragments(harbour):
    text = harbour.text
    words = "said “the harbour wall held, and that's what we hoped for.”"
    start, end = _span(text, words)
    fragment = Span.of(text, start + 6, end - 1)
    record = harbour.evolve(quotes=(Quote("q1", "mixed", start, end, words, speaker="s1", fragments=(fragment,)),))
    assert verify(record).quotes[0].fidelity.status == "verbatim"


def test_attributed_headline_is_checked_like_a_quote(harbour):
    text = "Harbour wall held: Ortiz\n\n" + harbour.text
    shift = len("Harbour wall held: Ortiz\n\n")
    moved = harbour.evolve(
        text=text,
        quotes=(Quote("q0", "indirect", 0, 17, text[:17], speaker="s1", headline=True),),
        turns=tuple(replace(t, start=t.start + shift, end=t.end + shift) for t in harbour.turns),
        sections=tuple(replace(s, start=s.start + shift, end=s.end + shift) for s in harbour.sections))
    f = verify(moved).quotes[0].fidelity
    assert f.status == "verbatim" and text[f.source_start:f.source_end].lower() == "harbour wall held"


def _headline(harbour: Record, headline: str) -> Record:
    text = f"{headline}: Ortiz\n\n" + harbour.text
    shift = len(f"{headline}: Ortiz\n\n")
    return harbour.evolve(
        text=text, quotes=(Quote("q0", "direct", 0, len(headline), headline, speaker="s1", headline=True),),
        turns=tuple(replace(t, start=t.start + shift, end=t.end + shift) for t in harbour.turns),
        sections=tuple(replace(s, start=s.start + shift, end=s.end + shift) for s in harbour.sections))


def test_an_attributed_headline_without_quote_marks_is_a_summary_never_altered(harbour):
    # headline words for the speaker's ("No evidence pier damaged by ferry operator"): a summary
    f = verify(_headline(harbour, "Council has seen no evidence pier damaged by ferry operator")).quotes[0].fidelity
    assert f.status == "paraphrase"
    # in quote marks, the headline claims the words themselves
    f = verify(_headline(harbour, "“Council has seen no evidence pier damaged by ferry operator”")).quotes[0].fidelity
    assert f.status == "altered"


def test_an_unusable_source_is_logged_and_skipped(harbour, caplog):
    foreign = Record("otro", "El muro del puerto resistió y eso es lo que esperábamos. " * 5)
    with caplog.at_level(logging.WARNING):
        checked = verify(harbour, [foreign], use_transcript=False)
    assert {q.fidelity.status for q in checked.quotes} == {"no_source"}
    assert "otro" in caplog.text


def test_fidelity_survives_the_json_round_trip(harbour):
    checked = verify(harbour)
    again = Record.from_dict(json.loads(json.dumps(checked.to_dict())))
    assert [q.to_dict() for q in again.quotes] == [q.to_dict() for q in checked.quotes]


# --- end to end ---------------------------------------------------------------------------------

def _containing(record: Record, words: str) -> Quote:
    hits = [q for q in record.quotes if words in q.text]
    assert hits, f"no quote contains {words!r}"
    return hits[0]


def test_founding_document_verdicts(founding_record):
    taking = _containing(founding_record, "been taking the activities of Iran-backed groups seriously")
    assert taking.fidelity.status == "altered"
    assert any(c.source == "these" for c in taking.fidelity.changes)
    predicting = _containing(founding_record, "I'm not predicting anything in particular")
    assert predicting.fidelity.status == "verbatim"  # README: verbatim
    hamas = _containing(founding_record, "Hamas would not be able to function")
    assert hamas.fidelity.status == "minor"  # README: a spelling slip of the transcript, a comma
    assert {c.kind for c in hamas.fidelity.changes} == {"spelling", "punctuation"}


def run(args):
    return CliRunner().invoke(cli, args, catch_exceptions=False)


def test_cli_verify_prints_records_with_fidelity(tmp_path):
    article, transcript = EXAMPLE.read_text(encoding="utf-8").split("What follows is a transcript")
    (tmp_path / "article.txt").write_text(article, encoding="utf-8")
    (tmp_path / "transcript.txt").write_text("What follows is a transcript" + transcript, encoding="utf-8")
    res = run(["verify", str(tmp_path / "article.txt"), "--source", str(tmp_path / "transcript.txt")])
    assert res.exit_code == 0, res.output
    record = json.loads(res.stdout)
    by_text = {q["text"]: q["fidelity"] for q in record["quotes"]}
    jobs = next(f for t, f in by_text.items() if "four hundred jobs in the first two years" in t)
    assert jobs["status"] == "verbatim" and jobs["source_doc"] == "transcript"
    fees = next(f for t, f in by_text.items() if "paid for by shipping fees" in t)
    assert fees["status"] == "altered"
    assert {"op": "delete", "quote": "", "source": "and by the federal grant"} in fees["changes"]

    res = run(["verify", str(tmp_path / "article.txt"), "-s", str(tmp_path / "transcript.txt"), "--report"])
    assert res.exit_code == 0 and "\x1b[" not in res.stdout
    assert "ALTERED" in res.stdout and "[-and by the federal grant-]" in res.stdout


@pytest.mark.parametrize("name, content", [("empty.txt", b""), ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")])
def test_cli_verify_names_a_bad_source_and_fails(tmp_path, name, content):
    (tmp_path / name).write_bytes(content)
    res = run(["verify", str(EXAMPLE), "--source", str(tmp_path / name)])
    assert res.exit_code == 1
    assert name in res.stderr and "Traceback" not in res.stderr
    assert json.loads(res.stdout)["quotes"]  # the article is still verified and printed


# Role labels: a published briefing names its speakers by role ("THE PRESIDENT:"), the article by
# name and title. Constructed briefing and article (own text).
BRIEFING_TITLE = "Remarks by Governor Halvorsen and Lieutenant Governor Okafor on the Flood Response"
BRIEFING = (
    "THE GOVERNOR:  Good afternoon. The levees on the east bank held through the night, and every "
    "shelter in the county is open until Friday.\n\n"
    "Q    Governor, will the schools reopen on Monday?\n\n"
    "THE LIEUTENANT GOVERNOR:  We expect the schools to reopen on Monday, once the roads are cleared.\n\n"
    "THE GOVERNOR:  That is the plan, and we will say more tomorrow.\n"
)


def _briefing(*, speaker_name: str = "THE GOVERNOR", published: str | None = "2025-05-02") -> Record:
    """The briefing as extraction records a role-labelled transcript: role speakers, labels kept."""
    text = BRIEFING
    speakers = (Speaker("s1", speaker_name, "person"), Speaker("s2", "THE LIEUTENANT GOVERNOR", "person"))

    def turn(tid: str, label: str, words: str, sid: str | None, role: str) -> Turn:
        start, end = _span(text, words)
        lstart = text.index(label, 0 if tid == "t1" else text.index(words) - len(label) - 6)
        return Turn(tid, start, end, words, speaker=sid, role=role, label=Span.of(text, lstart, lstart + len(label)))

    turns = (
        turn("t1", "THE GOVERNOR", "Good afternoon. The levees on the east bank held through the night, and every "
             "shelter in the county is open until Friday.", "s1", "interviewee"),
        turn("t2", "Q", "Governor, will the schools reopen on Monday?", None, "interviewer"),
        turn("t3", "THE LIEUTENANT GOVERNOR", "We expect the schools to reopen on Monday, once the roads are cleared.",
             "s2", "interviewee"),
        turn("t4", "THE GOVERNOR", "That is the plan, and we will say more tomorrow.", "s1", "interviewee"),
    )
    return Record("briefing", text, title=BRIEFING_TITLE, published=published, speakers=speakers, turns=turns)


def _article(quotes: list[tuple[str, str]], *, name: str = "Ingrid Halvorsen", titles: tuple[str, ...] = ("Governor",),
             published: str | None = "2025-05-02") -> Record:
    body = " ".join(f"{name.split()[-1]} said “{words}”" for _, words in quotes)
    text = f"Flood update\n\nGovernor {name} spoke on Friday. {body}"
    speaker = Speaker("s1", name, "person", titles=titles)
    return Record("article", text, title="Flood update", published=published, speakers=(speaker,),
                  quotes=tuple(_quote(text, qid, words, "s1") for qid, words in quotes))


def test_a_role_label_is_linked_to_the_speaker_through_the_article_title():
    article = _article([("q1", "The levees on the east bank held through the night")])
    f = _fid(verify(article, [_briefing()]), "q1")
    assert f.status == "verbatim"
    assert (f.speaker_match.label, f.speaker_match.turn, f.speaker_match.same) == ("THE GOVERNOR", "t1", True)


def test_a_role_label_is_linked_through_the_source_document_title():
    # The article gives no title; the briefing's title ties THE GOVERNOR to Halvorsen.
    article = _article([("q1", "The levees on the east bank held through the night")], titles=())
    f = _fid(verify(article, [_briefing()]), "q1")
    assert f.speaker_match.same is True and f.speaker_match.speaker == "Halvorsen"


def test_a_surname_the_tagger_typed_as_an_organisation_is_the_person_the_source_labels():
    # "Halvorsen said": the article's entity tagger took the surname alone for an organisation
    article = _article([("q1", "The levees on the east bank held through the night")], titles=())
    article = article.evolve(speakers=(Speaker("s1", "Halvorsen", "organization"),))
    f = _fid(verify(article, [_briefing()]), "q1")
    assert f.status == "verbatim" and (f.speaker_match.label, f.speaker_match.same) == ("THE GOVERNOR", True)
    # an acronym is an organisation whatever the labels say
    article = article.evolve(speakers=(Speaker("s1", "HALVORSEN", "organization"),))
    assert _fid(verify(article, [_briefing()]), "q1").speaker_match.same is False


def test_a_deputy_role_is_never_the_role_itself():
    # The Lieutenant Governor said it; the article credits the Governor.
    article = _article([("q1", "We expect the schools to reopen on Monday, once the roads are cleared.")])
    f = _fid(verify(article, [_briefing()]), "q1")
    assert f.status == "verbatim"
    assert (f.speaker_match.label, f.speaker_match.same) == ("THE LIEUTENANT GOVERNOR", False)


def test_a_reporters_question_credited_to_the_speaker_is_reported_as_the_reporters():
    article = _article([("q1", "will the schools reopen on Monday?")])
    f = _fid(verify(article, [_briefing()]), "q1")
    assert f.speaker_match.label == "Q" and f.speaker_match.same is False


def test_a_named_reporter_is_checked_against_the_questions_the_source_does_not_name():
    text = "Flood update\n\nReporter Lena Park asked: “will the schools reopen on Monday?”"
    start = text.index("will the schools")
    quote = Quote("q1", "direct", start, start + len("will the schools reopen on Monday?"),
                  "will the schools reopen on Monday?", speaker="s1")
    article = Record("article", text, speakers=(Speaker("s1", "Lena Park", "person", titles=("Reporter",)),),
                     quotes=(quote,))
    f = _fid(verify(article, [_briefing()]), "q1")
    assert f.status == "verbatim" and (f.speaker_match.label, f.speaker_match.same) == ("Q", True)


def test_a_title_given_long_after_the_briefing_does_not_link_the_role():
    # A later governor, by title only, years on: the briefing's governor is someone else.
    article = _article([("q1", "The levees on the east bank held through the night")], name="Tomas Berg",
                       titles=("Governor",), published="2031-09-01")
    f = _fid(verify(article, [_briefing(speaker_name="THE GOVERNOR", published="2025-05-02")]), "q1")
    assert f.status == "verbatim" and f.speaker_match.same is False


def test_a_name_tied_to_the_role_settles_it_over_the_title():
    article = _article([("q1", "The levees on the east bank held through the night")], name="Tomas Berg")
    f = _fid(verify(article, [_briefing(speaker_name="Ingrid Halvorsen")]), "q1")
    assert f.speaker_match.same is False


def test_words_in_no_turn_are_unsupported_and_no_source_only_without_a_source():
    article = _article([("q1", "The bridge to the island will stay closed all summer")])
    assert _fid(verify(article, [_briefing()]), "q1").status == "unsupported"
    assert _fid(verify(article), "q1").status == "no_source"


def test_speaker_match_survives_the_json_round_trip():
    article = _article([("q1", "The levees on the east bank held through the night")])
    checked = verify(article, [_briefing()])
    again = Record.from_dict(json.loads(json.dumps(checked.to_dict())))
    assert again == checked
    assert checked.to_dict()["quotes"][0]["fidelity"]["speaker_match"]["label"] == "THE GOVERNOR"


CLI_ARTICLE = (
    "Mayor promises new sea wall after storm\n\n"
    "Mayor Dana Ortiz said on Tuesday that the district would be safe.\n\n"
    "\"We are going to build a wall that holds, and we are going to build it this year,\" Ortiz told "
    "reporters at the briefing.\n\n"
    "Ortiz also said the council \"has never seen a storm like this one.\"\n"
)
CLI_SOURCE = (
    "Remarks by Mayor Ortiz and Harbour Master Reyes at a Press Briefing\n\n"
    "THE MAYOR:  Good morning, everyone. We are going to build a wall that holds, and we are going to "
    "build it this year. The harbour district deserves nothing less.\n\n"
    "Q\u00a0\u00a0 Mayor, how much will it cost?\n\n"
    "THE MAYOR:  We will publish the figures next week.\n\n"
    "HARBOUR MASTER REYES:  The council has never seen a storm like this one. The water came over the "
    "quay twice in one night.\n\nEND\n"
)


@pytest.fixture
def briefing_files(tmp_path):
    (tmp_path / "article.txt").write_text(CLI_ARTICLE, encoding="utf-8")
    (tmp_path / "briefing.txt").write_text(CLI_SOURCE, encoding="utf-8")
    return tmp_path


def _by_text(record: dict, words: str) -> dict:
    return next(q for q in record["quotes"] if words in q["text"])


def test_cli_links_the_role_label_and_reports_another_speakers_words(briefing_files):
    result = CliRunner().invoke(cli, ["verify", str(briefing_files / "article.txt"), "--source",
                                      str(briefing_files / "briefing.txt")])
    assert result.exit_code == 0, result.output
    record = json.loads(result.output)
    wall = _by_text(record, "build a wall")["fidelity"]
    assert wall["status"] == "verbatim" and wall["speaker_match"]["label"] == "THE MAYOR"
    assert wall["speaker_match"]["same"] is True
    storm = _by_text(record, "never seen a storm")["fidelity"]
    assert storm["speaker_match"]["same"] is False and "REYES" in storm["speaker_match"]["label"]
    assert "no_source" not in {q["fidelity"]["status"] for q in record["quotes"]}


def test_cli_report_shows_the_turn_and_whose_words_and_honours_no_color(briefing_files, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    result = CliRunner().invoke(cli, ["verify", str(briefing_files / "article.txt"), "--source",
                                      str(briefing_files / "briefing.txt"), "--report"])
    assert result.exit_code == 0, result.output
    assert "\x1b[" not in result.output and "legend:" in result.output
    assert "source: THE MAYOR: We are going to build a wall" in result.output
    assert "the article credits Dana Ortiz" in result.output


def test_cli_verifies_a_corpus_and_counts_verdicts_per_outlet_and_speaker(briefing_files):
    db = str(briefing_files / "c.db")
    runner = CliRunner()
    assert runner.invoke(cli, ["ingest", str(briefing_files / "article.txt"), str(briefing_files / "briefing.txt"),
                               "--no-verify", "--db", db]).exit_code == 0
    result = runner.invoke(cli, ["verify", "--db", db])
    assert result.exit_code == 0, result.output
    stats = runner.invoke(cli, ["stats", "--fidelity", "--db", db, "--format", "json"])
    assert stats.exit_code == 0, stats.output
    by_speaker = {(r["speaker"], r["fidelity"]): r for r in json.loads(stats.output)["speaker"]}
    assert by_speaker["Dana Ortiz", "verbatim"]["quotes"] == 2
    assert by_speaker["Dana Ortiz", "verbatim"]["other_speaker"] == 1
    shown = json.loads(runner.invoke(cli, ["show", "article", "--db", db]).output)
    assert {q["fidelity"]["status"] for q in shown["quotes"]} <= {"verbatim", "minor", "paraphrase", "unsupported"}


def test_a_reporter_repeating_the_words_back_does_not_make_them_the_reporters():
    text = ("THE GOVERNOR:  I think the levees held, and they held through the whole night.\n\n"
            "Q    You say the levees held through the whole night?\n")
    speakers = (Speaker("s1", "THE GOVERNOR", "person"),)
    first, second = text.index("I think"), text.index("You say")
    turns = (Turn("t1", first, text.index("\n\n"), text[first:text.index("\n\n")], "s1", "interviewee",
                  Span.of(text, 0, len("THE GOVERNOR"))),
             Turn("t2", second, len(text) - 1, text[second:-1], None, "interviewer",
                  Span.of(text, second - 5, second - 4)))
    source = Record("briefing", text, title=BRIEFING_TITLE, speakers=speakers, turns=turns)
    article = _article([("q1", "the levees held through the whole night")])
    f = _fid(verify(article, [source]), "q1")
    assert f.status == "altered" and (f.speaker_match.label, f.speaker_match.same) == ("THE GOVERNOR", True)


def test_a_corpus_quote_is_checked_only_against_the_sources_that_hold_its_words():
    from onrecord.verify import verify_corpus

    other_text = "THE MAYOR:  The tram line to the airport opens in spring, and fares stay the same.\n"
    start = other_text.index("The tram")
    other = Record("other", other_text, title="Remarks by the Mayor on Transit", speakers=(Speaker("s1", "THE MAYOR", "person"),),
                   turns=(Turn("t1", start, len(other_text) - 1, other_text[start:-1], "s1", "interviewee",
                               Span.of(other_text, 0, len("THE MAYOR"))),),
                   quotes=(Quote("q1", "direct", start, start + 30, other_text[start:start + 30], speaker="s1"),))
    article = _article([("q1", "The levees on the east bank held through the night"),
                        ("q2", "The tram line to the airport opens in spring")])
    checked = {r.doc_id: r for r in verify_corpus([article, other], [_briefing(), other])}
    levees, tram = checked["article"].quotes
    assert levees.fidelity.source_doc == "briefing" and levees.fidelity.speaker_match.same is True
    assert tram.fidelity.source_doc == "other" and tram.fidelity.status == "verbatim"
    # the transcript's own words are not held to an unrelated briefing
    assert checked["other"].quotes[0].fidelity.status == "no_source"


DEBATE = (
    "Harbour Council Debate Transcript\n\n"
    "MODERATOR: Councillor Lowe, your response.\n\n"
    "LOWE: You don't know the budget. [crosstalk] You don't know what the ferry costs.\n\n"
    "PRYCE: That's not true.\n\n"
    "LOWE: I feel great (laughter), and we're gonna win the vote.\n"
)
DEBATE_ARTICLE = (
    "Lowe and Pryce spar over ferry\n\n"
    "“You don't know the budget. You don't know what the ferry costs,” Councillor Carla Lowe said.\n\n"
    "“I feel great, and we're gonna win the vote,” Lowe said.\n"
)


def test_a_transcripts_stage_notes_are_no_words_a_quote_left_out(tmp_path):
    (tmp_path / "article.txt").write_text(DEBATE_ARTICLE, encoding="utf-8")
    (tmp_path / "debate.txt").write_text(DEBATE, encoding="utf-8")
    args = ["verify", str(tmp_path / "article.txt"), "--source", str(tmp_path / "debate.txt")]
    record = json.loads(run(args).output)
    assert [q["fidelity"]["status"] for q in record["quotes"]] == ["verbatim", "verbatim"]
    assert all(q["fidelity"]["speaker_match"]["label"] == "LOWE" for q in record["quotes"])
    report = run([*args, "--report"]).output
    assert "crosstalk-]" not in report and "laughter-]" not in report
    assert "source: LOWE: You don't know the budget. [crosstalk] You don't know" in report


def test_a_moderator_label_is_the_articles_moderator_and_a_councillor_is_no_first_name(tmp_path):
    source = ("Harbour Council Debate Transcript\n\n"
              "MODERATOR: Good evening. Councillor Lowe, you have two minutes on the ferry budget.\n\n"
              "LOWE: Thank you. You don't know what the ferry costs.\n\n"
              "MODERATOR: Councillor Pryce, your response.\n\n"
              "PRYCE: That's not true. The ferry costs four million a year.\n\n"
              "MODERATOR: Let's move on to housing, please.\n")
    article = ("Lowe and Pryce spar over ferry\n\n"
               "“The ferry costs four million a year,” Councillor Tom Pryce said.\n\n"
               "“Let's move on to housing, please,” moderator Rachel Hunt said.\n")
    (tmp_path / "article.txt").write_text(article, encoding="utf-8")
    (tmp_path / "debate.txt").write_text(source, encoding="utf-8")
    record = json.loads(run(["verify", str(tmp_path / "article.txt"), "--source", str(tmp_path / "debate.txt")]).output)
    matches = [(q["fidelity"]["status"], q["fidelity"]["speaker_match"]["label"], q["fidelity"]["speaker_match"]["same"])
               for q in record["quotes"]]
    assert matches == [("verbatim", "PRYCE", True), ("verbatim", "MODERATOR", True)]


def test_a_question_label_names_no_one_so_a_named_reporter_may_have_asked_it():
    text = ("MR. PRICE: We have not given up on diplomacy.\n\n"
            "QUESTION: But the other side hasn't shown up for three rounds now.\n")
    first, second = text.index("We have"), text.index("But the")
    speakers = (Speaker("s1", "MR. PRICE", "person"),)
    turns = (Turn("t1", first, text.index("\n\n"), text[first:text.index("\n\n")], "s1", "interviewee",
                  Span.of(text, 0, len("MR. PRICE"))),
             Turn("t2", second, len(text) - 1, text[second:-1], None, "interviewer",
                  Span.of(text, second - len("QUESTION: "), second - 2)))
    source = Record("briefing", text, speakers=speakers, turns=turns)
    article_text = "Talks stall\n\nReporter Lena Park said “the other side hasn't shown up for three rounds now.”"
    start = article_text.index("the other side")
    words = "the other side hasn't shown up for three rounds now."
    article = Record("article", article_text, speakers=(Speaker("s1", "Lena Park", "person", titles=("Reporter",)),),
                     quotes=(Quote("q1", "direct", start, start + len(words), words, speaker="s1"),))
    f = _fid(verify(article, [source]), "q1")
    assert f.status == "verbatim" and (f.speaker_match.label, f.speaker_match.same) == ("QUESTION", True)


DATA = Path(__file__).resolve().parent / "data"


def test_a_white_house_briefing_as_published_against_an_article_quoting_it():
    """Constructed pair in the published shape: THE PRESIDENT and THE VICE PRESIDENT under a title
    naming both, an acting official credited by name and description, bare Q with NBSP, a
    multi-paragraph turn, a stage note, END; quotes of every verdict kind."""
    result = run(["verify", str(DATA / "briefing_article.txt"), "--source", str(DATA / "briefing_source.txt")])
    record = json.loads(result.output)

    def verdict(words: str) -> tuple[str, str | None, bool | None]:
        f = _by_text(record, words)["fidelity"]
        match = f.get("speaker_match") or {}
        return f["status"], match.get("label"), match.get("same")

    assert verdict("47,000 people") == ("minor", "THE PRESIDENT", True)  # number written out, "gonna"
    assert verdict("around the clock") == ("minor", "THE PRESIDENT", True)  # "I — I want", second paragraph
    assert verdict("drinking water") == ("verbatim", "ACTING UNDER SECRETARY VANCE", True)
    assert verdict("once a day") == ("altered", "ACTING UNDER SECRETARY VANCE", True)
    assert verdict("would pay to rebuild")[0] == "unsupported"  # "we won't pay for every home"
    assert verdict("Will the federal government") == ("verbatim", "Q", False)  # the reporter's question
    assert verdict("twelve thousand more families") == ("minor", "THE VICE PRESIDENT", True)
    assert verdict("turned away") == ("verbatim", "THE VICE PRESIDENT", False)  # the Vice President's words
    assert "no_source" not in {q["fidelity"]["status"] for q in record["quotes"]}


def test_in_a_q_and_a_interview_the_answers_are_the_interviewees_and_the_questions_the_reporters():
    text = "Q: Will the ferries run on Friday?\n\nA: They will run from the spring terminal on Friday.\n"
    q_start, a_start = text.index("Will"), text.index("They")
    turns = (Turn("t1", q_start, text.index("\n\n"), text[q_start:text.index("\n\n")], None, "interviewer",
                  Span.of(text, 0, 1)),
             Turn("t2", a_start, len(text) - 1, text[a_start:-1], None, "interviewee",
                  Span.of(text, a_start - 3, a_start - 2)))
    source = Record("interview", text, turns=turns)
    question, answer = "Will the ferries run on Friday?", "They will run from the spring terminal"
    article_text = (f"Ferries\n\nVoss said “{question}” Reporter Lena Park asked “{question}” "
                    f"Voss said “{answer}”")
    first = article_text.index(question)
    second = article_text.index(question, first + 1)
    third = article_text.index(answer)
    article = Record("article", article_text,
                     speakers=(Speaker("s1", "Ellen Voss", "person"), Speaker("s2", "Lena Park", "person", titles=("Reporter",))),
                     quotes=(Quote("q1", "direct", first, first + len(question), question, speaker="s1"),
                             Quote("q2", "direct", second, second + len(question), question, speaker="s2"),
                             Quote("q3", "direct", third, third + len(answer), answer, speaker="s1")))
    checked = verify(article, [source])
    matches = [(f.status, f.speaker_match.label, f.speaker_match.same) for f in (_fid(checked, q) for q in ("q1", "q2", "q3"))]
    assert matches == [("verbatim", "Q", False), ("verbatim", "Q", True), ("verbatim", "A", True)]


BRIEFING_ONE_WORD = (
    "Trump ends briefing\n\n"
    "WASHINGTON (AP) — When the matter was raised once again, the president simply stated “{word},” before "
    "questions moved on.\n\n"
    "Transcript\n\n"
    "THE PRESIDENT: We are doing a great job, and the governors know it. We have done more than enough.\n\n"
    "Q: {q_line}\n\n"
    "THE PRESIDENT: {answer} Please. Go ahead, next question.\n"
)


@pytest.mark.parametrize(("word", "q_line", "answer", "status"), [
    ("enough", "Mr. President, is that true?", "Enough.", "verbatim"),  # a whole sentence of his
    ("enough", "Mr. President, is that true?", "Next.", "unsupported"),  # only inside a longer sentence of his
    ("enough", "Enough. Is that true?", "Next.", "unsupported"),  # a sentence of the reporter's, not his
])
def test_a_one_word_quote_is_verbatim_only_as_a_whole_sentence_the_speaker_said(tmp_path, word, q_line, answer,
                                                                                 status):
    path = tmp_path / "briefing.txt"
    path.write_text(BRIEFING_ONE_WORD.format(word=word, q_line=q_line, answer=answer), encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code == 0, result.output
    [quote] = json.loads(result.stdout)["quotes"]
    assert (quote["text"], quote["fidelity"]["status"]) == (f"{word},", status)
