"""The fidelity report a person reads: verdicts, inline word diffs, plain markers or colour."""
from __future__ import annotations

import pytest

from onrecord.record import Quote, Record, Span, Speaker, Turn
from onrecord.report import format_report, wants_color
from onrecord.verify import verify

ARTICLE = (
    "Pumps kept the quay dry: Lindqvist\n\n"
    "Engineer Maja Lindqvist said “our pumps drained the quay within six hours.” "
    "She added that “nobody was hurt … the night shift went home safe.”\n\n"
)
TRANSCRIPT = (
    "Our pumps in the lower basin drained the quay within six hours. Nobody was hurt, and in the end "
    "the night shift went home safe."
)


@pytest.fixture(scope="module")
def checked() -> Record:
    text = ARTICLE + TRANSCRIPT
    turn_start = len(ARTICLE)

    def quote(qid: str, words: str) -> Quote:
        start = text.index(words)
        return Quote(qid, "direct", start, start + len(words), words, speaker="s1")

    record = Record(
        "pumps", text, title="Pumps kept the quay dry: Lindqvist",
        speakers=(Speaker("s1", "Maja Lindqvist", "person"),),
        quotes=(Quote("q0", "indirect", 0, 24, text[:24], speaker="s1", headline=True),
                quote("q1", "our pumps drained the quay within six hours."),
                quote("q2", "nobody was hurt … the night shift went home safe.")),
        turns=(Turn("t1", turn_start, len(text), TRANSCRIPT, speaker="s1", role="interviewee"),),
    )
    return verify(record)


def test_plain_report_marks_dropped_words_and_lists_changes(checked):
    report = format_report(checked, color=False)
    assert "\x1b[" not in report
    assert "pumps: Pumps kept the quay dry: Lindqvist" in report
    assert "q1  Maja Lindqvist · direct · ALTERED" in report
    assert "our pumps [-in the lower basin-] drained the quay within six hours" in report
    assert '- dropped "in the lower basin"' in report


def test_an_omission_at_an_ellipsis_is_shown_as_tolerated(checked):
    report = format_report(checked, color=False)
    assert "q2  Maja Lindqvist · direct · VERBATIM" in report
    assert '- dropped "and in the end" at "…" (ellipsis)' in report


def test_added_words_are_marked(checked):
    quote = next(q for q in checked.quotes if q.id == "q1")
    record = checked.evolve(quotes=(quote,))
    start = record.text.index("our pumps drained")
    edited = record.text[:start] + "our big pumps drained" + record.text[start + len("our pumps drained"):]
    shift = len("big ")
    moved = Quote("q1", "direct", start, quote.end + shift, edited[start:quote.end + shift], speaker="s1")
    turn = checked.turns[0]
    record = record.evolve(text=edited, quotes=(moved,),
                           turns=(Turn("t1", turn.start + shift, turn.end + shift, turn.text, "s1", "interviewee"),))
    assert "{+big+}" in format_report(verify(record), color=False)


def test_colour_report_uses_ansi_styles_instead_of_markers(checked):
    report = format_report(checked, color=True)
    assert "\x1b[" in report and "[-" not in report and "{+" not in report
    assert "\x1b[9m" in report  # the dropped words are struck through


def test_attributed_headline_comes_first(checked):
    report = format_report(checked, color=False)
    assert report.index("headline  Maja Lindqvist") < report.index("q1  ")


def test_unverified_quotes_read_as_no_source():
    record = Record("bare", "He said “we stayed late.”",
                    quotes=(Quote("q1", "direct", 9, 23, "we stayed late", speaker=None),))
    report = format_report(record, color=False)
    assert "q1  unknown speaker · direct · NO_SOURCE" in report


def test_mixed_quote_diffs_its_quoted_fragment_not_the_reporters_words(checked):
    text = checked.text
    start = text.index("She added that")
    end = text.index("safe.”") + len("safe.”")
    fragment_start = text.index("nobody was hurt")
    fragment = Span.of(text, fragment_start, text.index("safe.”") + len("safe."))
    mixed = Quote("q3", "mixed", start, end, text[start:end], speaker="s1", fragments=(fragment,))
    report = format_report(verify(checked.evolve(quotes=(mixed,))), color=False)
    assert "q3  Maja Lindqvist · mixed · VERBATIM" in report
    assert "quote:  nobody was hurt … [-and in the end-] the night shift went home safe" in report


class _Terminal:
    def isatty(self) -> bool:
        return True


def test_no_color_turns_colour_off_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert wants_color(_Terminal())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not wants_color(_Terminal())
    monkeypatch.setenv("NO_COLOR", "")  # no-color.org: only a non-empty value counts
    assert wants_color(_Terminal())


def test_the_legend_says_what_is_the_source_and_what_is_the_quote(checked):
    report = format_report(checked, color=False)
    assert "legend: quote = the article's words" in report
    assert "[-left out-] = source words the quote does not have" in report


def test_words_not_in_the_source_are_not_found_naming_the_source():
    text = "Minister Ana Holm said “the tunnel opens in May.”\n\nThe budget passed on Tuesday."
    start = text.index("the tunnel")
    quote = Quote("q1", "direct", start, start + len("the tunnel opens in May."), "the tunnel opens in May.", speaker="s1")
    article = Record("article", text[:text.index("\n\n")], speakers=(Speaker("s1", "Ana Holm", "person"),), quotes=(quote,))
    source = Record("minutes", "The budget passed on Tuesday after a long debate about the harbour.")
    report = format_report(verify(article, [source]), color=False, sources=["minutes.txt"])
    assert "NOT FOUND IN THE SOURCE" in report and "not found in the source (minutes" in report
    assert "UNSUPPORTED" not in report and "1 not found in the source" in report
