"""Quote marks as newsrooms print them: what is quoted, what is an apostrophe."""
from __future__ import annotations

import re
from itertools import pairwise

from hypothesis import given, settings
from hypothesis import strategies as st

from onrecord import marks as marks_module
from onrecord.marks import find_quoted
from onrecord.structure import analyze


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


# -- stray marks: one pass, and no span beyond its paragraph -----------------------------------
def _paragraphs(text: str) -> list[tuple[int, int]]:
    return [(p.start, p.end) for p in analyze(text).paragraphs]


def _check_spans(text: str, paragraphs: list[tuple[int, int]], found) -> None:
    """What every caller relies on: spans in order, not overlapping, marks around content, each
    inside one paragraph, and at most one unclosed span per paragraph (the last opener's)."""
    assert [q.start for q in found] == sorted(q.start for q in found)
    for a, b in pairwise(found):
        assert a.close_end <= b.open_start
    unclosed: dict[int, int] = {}
    for q in found:
        assert q.open_start < q.start <= q.end <= q.close_end
        (p,) = [i for i, (s, e) in enumerate(paragraphs) if s <= q.open_start and q.close_end <= e]
        if q.end == q.close_end:  # no closing mark: it ran to its paragraph's end
            assert text[q.end:paragraphs[p][1]].strip() == ""
            unclosed[p] = unclosed.get(p, 0) + 1
    assert all(n == 1 for n in unclosed.values())


def test_thousands_of_unclosed_openers_give_one_span_per_paragraph_within_it():
    text = ("He said \"maybe and then left. " * 20 + "\n\n") * 500  # 10,000 opening marks, none closed
    paragraphs = _paragraphs(text)
    found = find_quoted(text, paragraphs)
    _check_spans(text, paragraphs, found)
    assert len(found) == len(paragraphs) == 500 and not any(q.closed for q in found)
    assert all(text[q.start:q.end] == "maybe and then left." for q in found)


def test_marks_are_read_in_two_passes_whatever_their_number(monkeypatch):
    text = "“" * 3000 + " word ’" * 3000 + "\n\n" + "'" * 3000 + "\n"
    seen = []
    pattern = marks_module._MARK

    class Counting:
        def finditer(self, *args):
            for m in pattern.finditer(*args):
                seen.append(m)
                yield m

        def match(self, *args):
            seen.append(None)
            return pattern.match(*args)

    monkeypatch.setattr(marks_module, "_MARK", Counting())
    paragraphs = _paragraphs(text)
    _check_spans(text, paragraphs, find_quoted(text, paragraphs))
    marks_in_text = len(list(pattern.finditer(text)))
    assert len(seen) <= 2 * marks_in_text + len(paragraphs)  # doubles, then singles, then a look at each next paragraph


_PIECES = st.sampled_from(['"', "“", "”", "„", "«", "»", "‘", "’", "'", "``", "''", "’’", ",,",
                           "word", "Kirby", "n't", "’90s", " ", " ", " ", ".", ",", ":", "—", "(", ")",
                           "\n", "\n\n", "\r", "\r\n", "\u2029", "\u00a0"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=120))
def test_any_mark_sequence_gives_ordered_spans_inside_paragraphs(pieces):
    text = "".join(pieces)
    paragraphs = _paragraphs(text)
    _check_spans(text, paragraphs, find_quoted(text, paragraphs))
