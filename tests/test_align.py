"""The alignment engine's word-level judgement: what a newsroom may change in a quote (numbers
written out, spoken forms, spelling variants, stutters and fillers) and what it may not (a
number's value, a negation, a hedge), and paraphrase by lemma and value. Constructed text."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from onrecord.align import Source, align, check
from onrecord.cli import cli
from onrecord.record import Fidelity

SOURCE = (
    "MAYOR LINDQVIST: Well, uh, the ferry has run for forty-seven years, and it's gonna run for another four. "
    "I think the — the new dock is OK. We have — we've got twelve inspectors on it, and the budget is 3 million "
    "dollars. Somebody is on duty at the dock every night. We will not close the north terminal this winter. "
    "The council may raise the parking fee next spring, depending on the budget. A councillor's elected for "
    "four years here, and the colour of the ferries is the town's choice. We are going to close the old "
    "terminal when the new dock opens."
)


def judge(quote: str, quote_type: str = "direct") -> Fidelity:
    f = align(quote, SOURCE, source_doc="src", quote_type=quote_type)
    if f.source_start is not None:
        assert SOURCE[f.source_start:f.source_end] == f.source_text
    return f


def changes(f: Fidelity) -> list[tuple[str, str, str, str | None]]:
    return [(c.op, c.quote, c.source, c.kind) for c in f.changes]


# --- allowed differences: minor, never altered -------------------------------------------------

def test_a_number_in_digits_for_one_written_out_is_minor_and_shown():
    f = judge("the ferry has run for 47 years")
    assert f.status == "minor"
    assert ("replace", "47", "forty-seven", "number") in changes(f)
    assert judge("the budget is three million dollars").status == "minor"


def test_a_changed_number_is_altered_in_digits_or_in_words():
    for quote in ("the ferry has run for 45 years", "the ferry has run for forty-five years"):
        f = judge(quote)
        assert f.status == "altered", quote
        assert any(c.kind is None and "forty-seven" in c.source for c in f.changes)
    assert judge("the budget is 4 million dollars").status == "altered"


def test_gonna_and_going_to_are_one_spoken_form():
    f = judge("it's going to run for another four")
    assert f.status == "minor" and changes(f) == [("replace", "going to", "gonna", "contraction")]
    assert judge("We're gonna close the old terminal when the new dock opens").status == "minor"
    assert align("it was kind of a tough call", "It was kinda a tough call.").status == "minor"
    assert align("let me tell you about the dock", "Lemme tell you about the dock.").status == "minor"


def test_ok_and_okay_and_british_spelling_are_minor_spelling_variants():
    f = judge("I think the new dock is okay.")
    assert f.status == "minor"
    assert ("replace", "okay", "OK", "spelling") in changes(f)
    f = judge("the color of the ferries is the town's choice")
    assert f.status == "minor" and changes(f) == [("replace", "color", "colour", "spelling")]


def test_stutters_fillers_and_false_starts_a_newsroom_drops_are_minor():
    f = judge("I think the new dock is OK.")  # "the — the new dock"
    assert f.status == "minor" and [c.kind for c in f.changes] == ["disfluency"]
    f = judge("Well, the ferry has run for forty-seven years")  # "Well, uh, the ferry"
    assert f.status == "minor" and changes(f)[-1] == ("delete", "", "uh", "disfluency")
    f = judge("I think the new dock is OK. We've got twelve inspectors on it")  # "We have — we've got"
    assert f.status == "minor" and ("delete", "", "We have", "disfluency") in changes(f)


def test_a_half_and_a_scale_word_after_a_are_numbers_too():
    assert align("We have 1.5 million tests on hand", "We have one and a half million tests on hand.").status == "minor"
    assert align("unemployment is at 3.5 percent now", "unemployment is at three and a half percent now.").status == "minor"
    source = "we will have a hundred thousand ventilators by June."
    assert align("we will have 100,000 ventilators by June", source).status == "minor"
    assert align("we will have 200,000 ventilators by June", source).status == "altered"


def test_a_day_of_the_month_as_cardinal_or_ordinal_is_one_number_but_not_elsewhere():
    source = "Schools will reopen no later than March 15th, and the 15th amendment stands."
    f = align("Schools will reopen no later than March 15", source)
    assert f.status == "minor" and [(c.quote, c.source, c.kind) for c in f.changes] == [("15", "15th", "number")]
    assert align("Schools will reopen no later than March 16", source).status == "altered"
    assert align("the 15 amendment stands", "and the 15th amendment stands.").status == "altered"


def test_an_amount_with_its_currency_sign_or_word_is_one_number():
    source = "We've put more than four billion dollars into vaccines alone."
    f = align("We've put more than $4 billion into vaccines alone", source)
    assert f.status == "minor" and [(c.quote, c.source, c.kind) for c in f.changes] == [
        ("$4 billion", "four billion dollars", "number")]
    assert align("We've put more than $5 billion into vaccines alone", source).status == "altered"
    assert align("We've put more than 4 billion euros into vaccines alone", source).status == "altered"


def test_a_stutter_of_several_words_dropped_with_a_spoken_form_is_minor():
    # "They're gonna — they're gonna vote": the repeat and "gonna" written out, one change
    f = align("they're going to vote, they're already voting", "They're gonna — they're gonna vote, they're already voting.")
    assert f.status == "minor" and [c.kind for c in f.changes] == ["disfluency"]
    # words dropped that are said once are no stutter
    f = align("they're going to vote, they're already voting", "They're gonna go out and vote, they're already voting.")
    assert f.status == "altered"


def test_a_repeated_negation_is_a_stutter_but_a_negated_false_start_is_not():
    f = align("I think you don't know what's on the ballot", "I think you don't know — you don't know what's on the ballot.")
    assert f.status == "minor" and [c.kind for c in f.changes] == ["disfluency"]
    f = align("and so we will fight for the people here", "and so we won't — we will fight for the people here.")
    assert f.status == "altered"


def test_a_speaker_interrupted_speaks_on_but_turns_far_apart_are_stitched():
    text = ("TRUMP: And, by the way —\n\nBIDEN: So the thing is —\n\nTRUMP: — you're elected for four years.\n\n"
            "BIDEN: The election has started.\n\nWALLACE: " + "We will move on to the economy now. " * 10 +
            "\n\nTRUMP: We have the Senate and the White House.\n")
    own = [(text.index("And, by"), text.index(" —")), (text.index("— you're"), text.index("years.") + 6),
           (text.index("We have"), len(text) - 1)]
    src = Source(text, own, own=True)
    f = check("And, by the way, you're elected for four years", "direct", [src])
    assert f.status == "verbatim" and f.changes == ()  # Biden cut in; Trump's sentence runs on
    f = check("you're elected for four years. We have the Senate and the White House", "direct", [src])
    assert f.status == "altered" and [c.kind for c in f.changes] == ["stitch"] and len(f.stitched) == 2


def test_a_filler_phrase_set_off_by_commas_or_dashes_is_a_disfluency():
    f = align("Within minutes, the virus was largely gone", "Within minutes, the virus was, you know, was largely gone.")
    assert f.status == "minor" and [c.kind for c in f.changes] == ["disfluency"]
    assert align("I think it is very important", "I think it's — I mean, it's very important.").status == "minor"
    # not set off, "you know" is words of the sentence
    assert align("the virus was largely gone", "the virus was you know largely gone.").status == "altered"


def test_a_dropped_word_that_is_no_stutter_stays_altered():
    f = judge("the ferry has run for years")  # the number dropped
    assert f.status == "altered"
    f = judge("We will close the north terminal this winter")
    assert f.status == "altered" and ("delete", "", "not", None) in changes(f)


def test_a_word_dropped_after_the_quotes_first_word_is_shown_dropped_not_as_a_changed_word():
    source = "MR MILLER: We have made it clear to both parties that time is running out."
    f = align("made clear to both parties that time is running out", source)
    assert f.source_text == "made it clear to both parties that time is running out"
    assert f.status == "minor" and changes(f) == [("delete", "", "it", "function_word")]


def test_a_spelling_slip_inside_a_contraction_is_minor():
    f = judge("Sombody's on duty at the dock every night.")
    assert f.status == "minor" and changes(f) == [("replace", "Sombody's", "Somebody is", "spelling")]


def test_letters_bracketed_inside_a_word_are_editorial():
    f = judge("clos[ing] the north terminal this winter")
    assert f.status == "verbatim" and [c.kind for c in f.changes] == ["bracket"]


# --- paraphrase: lemmas and values, negation and hedges kept apart -----------------------------

def test_a_paraphrase_shares_something_done_not_only_who_and_what():
    source = ("We won the election. We have the Senate, we have the White House, and we have a phenomenal "
              "nominee, respected by all.")
    # the nominee and the Senate are there, being confirmed is not
    assert align("the nominee had already been confirmed by the Senate", source, quote_type="indirect").status == "unsupported"
    assert align("the nominee was respected by all in the Senate", source, quote_type="indirect").status == "paraphrase"


def test_few_denies_as_not_does_and_a_few_does_not():
    source = "There aren't a lot of people voting. Joe, you've had forty-seven years."
    assert align("there were few people voting", source, quote_type="indirect").status == "paraphrase"
    assert align("there were a few people voting", source, quote_type="indirect").status == "unsupported"


def test_function_words_alone_are_evidence_only_in_the_speakers_own_turns():
    own = Source("We're doing everything we can. We've sent oxygen.", own=True)
    assert check("We're doing everything we can", "direct", [own]).status == "verbatim"
    assert check("We're doing all that we can", "direct", [own]).status == "unsupported"  # not their words
    # in a document at large they prove nothing
    assert align("We're doing everything we can", "We're doing everything we can. We've sent oxygen.").status == "no_source"


def test_indirect_speech_by_lemma_and_number_value_is_paraphrase():
    f = judge("a councillor is elected for a four-year term", "indirect")
    assert f.status == "paraphrase" and "elected for four years" in (f.source_text or "")
    assert judge("the town's budget for the new dock is three million dollars", "indirect").status == "paraphrase"


def test_a_dropped_not_is_never_a_paraphrase():
    assert judge("the city will not close its north terminal during the winter", "indirect").status == "paraphrase"
    assert judge("the city will close its north terminal during the winter", "indirect").status == "unsupported"
    # a quote that copies the source word for word but drops "not": no reading makes it faithful
    assert judge("We will close the north terminal this winter", "indirect").status == "unsupported"


def test_a_certain_claim_for_a_hedged_one_or_another_value_is_unsupported():
    assert judge("the council might raise parking fees next spring", "indirect").status == "paraphrase"
    assert judge("the council will raise parking fees next spring", "indirect").status == "unsupported"
    assert judge("the town's budget for the new dock is four million dollars", "indirect").status == "unsupported"


def test_shared_words_in_a_negated_source_clause_do_not_make_a_positive_claim():
    source = Source("We have seen no sign that any other ferry line has tried to undercut the town's fares. "
                    "That is what we hoped for.", own=True)
    assert check("no other ferry line has tried to undercut fares", "indirect", [source]).status == "paraphrase"
    assert check("other ferry lines have tried to undercut the town's fares", "indirect", [source]).status == "unsupported"


# --- through the CLI ----------------------------------------------------------------------------

ARTICLE = (
    "Ferry to keep running, mayor says\n\n"
    "Mayor Anna Lindqvist said on Tuesday that the ferry \"has run for 47 years\" and would keep going.\n\n"
    "\"It's going to run for another four,\" Lindqvist said.\n\n"
    "\"The ferry has run for forty-five years,\" she told reporters.\n\n"
    "Lindqvist said the town would close the north terminal this winter.\n"
)


@pytest.fixture
def ferry_files(tmp_path):
    (tmp_path / "article.txt").write_text(ARTICLE, encoding="utf-8")
    (tmp_path / "transcript.txt").write_text(SOURCE.replace(". ", ".\n\n", 1), encoding="utf-8")
    return tmp_path


def test_cli_verify_judges_numbers_spoken_forms_and_negation(ferry_files):
    res = CliRunner().invoke(cli, ["verify", str(ferry_files / "article.txt"), "--source", str(ferry_files / "transcript.txt")])
    assert res.exit_code == 0, res.output
    verdicts = {q["text"]: q["fidelity"]["status"] for q in json.loads(res.stdout)["quotes"]}

    def verdict(words: str) -> str:
        return next(status for text, status in verdicts.items() if words in text)

    assert verdict("has run for 47 years") == "minor"
    assert verdict("going to run for another four") == "minor"
    assert verdict("forty-five years") == "altered"
    assert verdict("close the north terminal") == "unsupported"
