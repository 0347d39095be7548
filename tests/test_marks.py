"""Quote marks as newsrooms print them: what is quoted, what is an apostrophe."""
from __future__ import annotations

import re

from onrecord.marks import find_quoted


def quoted(text: str) -> list[str]:
    paragraphs = [(m.start(), m.end()) for m in re.finditer(r"[^\n]+(?:\n(?!\n)[^\n]+)*", text)]
    return [text[q.start:q.end] for q in find_quoted(text, paragraphs)]


def test_curly_quote_closed_by_two_apostrophes():
    assert quoted("“We are not predicting anything,’’ said Kirby.") == ["We are not predicting anything,"]


def test_doubled_apostrophes_on_both_sides():
    assert quoted("''Bombast doesn't cut it,'' she said. ''Neither does fear.''") == [
        "Bombast doesn't cut it,", "Neither does fear."]


def test_straight_tex_and_guillemet_quotes():
    assert quoted('He said "no deal" and ``maybe later\'\' and «jamais».') == ["no deal", "maybe later", "jamais"]


def test_apostrophes_are_not_quote_marks():
    assert quoted("Iran’s envoy said the ’90s were over and rock 'n' roll wasn't dead.") == []


def test_single_quotes_in_a_paragraph_without_double_quotes():
    assert quoted("The minister said ‘we will win this vote’ on Monday.") == ["we will win this vote"]


def test_a_quote_over_two_paragraphs_is_two_linked_pieces():
    text = "“We arrived at nine.\n\n“By ten they had gone,” Ortiz said."
    paragraphs = [(0, 20), (22, len(text))]
    first, second = find_quoted(text, paragraphs)
    assert (text[first.start:first.end], text[second.start:second.end]) == ("We arrived at nine.", "By ten they had gone,")
    assert first.group == second.group and first.closed


def test_an_unclosed_quote_ends_with_its_paragraph_and_says_so():
    text = "He said “this never ends\n\nNext paragraph."
    (q,) = find_quoted(text, [(0, 24), (26, len(text))])
    assert text[q.start:q.end] == "this never ends" and not q.closed
