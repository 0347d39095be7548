"""Statements as a reader sees them: "according to" reports, unclosed quote marks and what they
cost in confidence, and what broad attribution takes as the content of a cue.

The documents are short news texts written for these tests (wire copy with a dateline).
"""
from __future__ import annotations

import json
from itertools import pairwise

import pytest
from click.testing import CliRunner

import onrecord
from onrecord.cli import cli
from onrecord.settings import Options

OPTIONS = Options(verify=False)
UNCLOSED_COST = 0.8  # README: "an unclosed quote mark costs a fifth"


def statements(text: str, options: Options = OPTIONS) -> list[tuple[str, str, str | None, str | None]]:
    """(type, words, speaker's name, cue) of each statement, in order."""
    record = onrecord.extract(text, options=options)
    return [(q.type, q.text, record.speaker(q.speaker).name if q.speaker else None, q.cue.text if q.cue else None)
            for q in record.quotes]


# -- "according to" ---------------------------------------------------------------------------

ACCORDING = (
    "HALIFAX, Nova Scotia (AP) — The ferry service will resume on Friday, according to Marine Atlantic "
    "spokesperson Jane Doucet.\n\n"
    "According to the port authority, the repairs cost $4 million.\n\n"
    "The berth could stay shut for a month, according to a source close to the company.\n\n"
    "According to Doucet, “the worst is over.”\n"
)


def test_according_to_credits_the_rest_of_the_sentence_to_its_object():
    assert statements(ACCORDING) == [
        ("indirect", "The ferry service will resume on Friday", "Jane Doucet", "according to"),
        ("indirect", "the repairs cost $4 million", "port authority", "According to"),
        ("indirect", "The berth could stay shut for a month", "source", "according to"),
        ("direct", "the worst is over.", "Jane Doucet", "According to"),
    ]


def test_according_to_sources_are_of_the_right_kind_and_kept_apart():
    record = onrecord.extract(ACCORDING, options=OPTIONS)
    kinds = [record.speaker(q.speaker).kind for q in record.quotes]
    assert kinds == ["person", "organization", "anonymous", "person"]
    assert record.quotes[0].speaker == record.quotes[3].speaker  # "Doucet" is the spokesperson named first
    span = record.quotes[0]
    assert ACCORDING[span.start:span.end] == "The ferry service will resume on Friday"  # offsets index the text



def test_a_participle_cue_before_according_to_is_the_sayers_and_the_outlet_only_where_the_story_had_it():
    text = ("On Monday, Mayor Ann Cole gave a speech saying the bridge would reopen in March, according to the Herald.\n\n"
            "Harbourmaster Tom Reyes gave an interview noting his worry that storms could \u201cwreck the whole "
            "season,\u201d according to CBC News.\n")
    assert statements(text) == [
        ("indirect", "the bridge would reopen in March", "Ann Cole", "saying"),
        ("mixed", "storms could \u201cwreck the whole season,\u201d", "Tom Reyes", "noting"),
    ]

# -- unclosed quote marks ---------------------------------------------------------------------

CLOSED = "Mayor Dana Whitfield said: “The pier is safe and will reopen on Friday.”\n\nThe ferry returns next week.\n"
UNCLOSED = CLOSED.replace("”", "")


def test_an_unclosed_quote_runs_to_its_paragraph_end_and_costs_a_fifth_of_its_confidence():
    closed = onrecord.extract(CLOSED, options=OPTIONS).quotes
    unclosed = onrecord.extract(UNCLOSED, options=OPTIONS).quotes
    assert [q.text for q in unclosed] == ["The pier is safe and will reopen on Friday."]  # not the next paragraph
    assert [q.text for q in closed] == [q.text for q in unclosed]
    assert (closed[0].speaker, closed[0].type) == (unclosed[0].speaker, unclosed[0].type)
    assert unclosed[0].confidence == pytest.approx(closed[0].confidence * UNCLOSED_COST, abs=0.005)


def test_a_quote_continued_after_an_unclosed_mark_keeps_its_speaker_at_a_fifth_less():
    text = ("“The pier is safe,” Mayor Dana Whitfield said. “We checked every pile.\n\n"
            "The ferry returns next week.\n")
    closed = text.replace("pile.", "pile.”")
    record, reference = onrecord.extract(text, options=OPTIONS), onrecord.extract(closed, options=OPTIONS)
    assert [(q.text, record.speaker(q.speaker).name) for q in record.quotes] == [
        ("The pier is safe,", "Dana Whitfield"), ("We checked every pile.", "Dana Whitfield"),
    ]
    assert record.quotes[0].confidence == reference.quotes[0].confidence  # the closed quote pays nothing
    assert record.quotes[1].confidence == pytest.approx(reference.quotes[1].confidence * UNCLOSED_COST, abs=0.005)


# -- broad attribution: what is said, not when ------------------------------------------------

RULES_ONLY = Options(verify=False, attribution="broad", content_model="none")


@pytest.mark.parametrize("text, content", [
    ("Senator Ray Dalton spoke on Monday.\n", None),
    ("Senator Ray Dalton spoke for an hour.\n", None),
    ("Senator Ray Dalton spoke about the harbour school on Monday.\n", "about the harbour school"),
    ("Senator Ray Dalton complained on Tuesday about the plan.\n", "about the plan"),
])
def test_a_time_phrase_after_a_cue_is_not_what_was_said(text, content):
    found = statements(text, RULES_ONLY)
    assert [words for _, words, _, _ in found] == ([content] if content else [])
    assert all(name == "Ray Dalton" for _, _, name, _ in found)


# -- one quote per span ---------------------------------------------------------------------------

NESTED = (
    "GLASGOW (AP) — Union members were angry on Monday, saying that, for example, the company says "
    "that if the plant closes, it will not hesitate to move the jobs abroad.\n\n"
    "At the inquiry, according to the inspector, the driver said he never saw the warning sign.\n\n"
    "Residents said the mayor told them the bridge would reopen in May.\n\n"
    "“It is the same old story,” said Councillor Ada Okafor. Marsh, she said, “knows every vote in the chamber.”\n"
)


def _overlapping(quotes) -> list[tuple[str, str]]:
    spans = sorted((q.start, q.end, q.text) for q in quotes)
    return [(a[2], b[2]) for a, b in pairwise(spans) if b[0] < a[1]]


def test_a_report_inside_a_report_is_one_quote_of_the_outer_source():
    record = onrecord.extract(NESTED, options=OPTIONS)
    assert _overlapping(record.quotes) == []  # no words counted twice
    said = statements(NESTED)
    assert ("indirect", "for example, the company says that if the plant closes, it will not hesitate to move the "
            "jobs abroad", "Union members", "saying") in said
    assert ("indirect", "the driver said he never saw the warning sign", "inspector", "according to") in said
    assert ("indirect", "the mayor told them the bridge would reopen in May", "Residents", "said") in said
    assert not any(words.startswith(("the plant closes", "he never saw", "the bridge would")) for _, words, _, _ in said)


def test_a_direct_quote_wins_over_a_clause_that_only_adds_its_attribution():
    said = statements(NESTED)
    story = [s for s in said if "same old story" in s[1]]
    assert story == [("direct", "It is the same old story,", "Ada Okafor", "said")]


def test_nested_quotes_are_one_quote_through_the_cli(tmp_path):
    path = tmp_path / "union.txt"
    path.write_text(NESTED, encoding="utf-8")
    res = CliRunner().invoke(cli, ["extract", str(path), "--no-verify"], catch_exceptions=False)
    assert res.exit_code == 0, res.output
    quotes = sorted(json.loads(res.stdout)["quotes"], key=lambda q: q["start"])
    assert all(a["end"] <= b["start"] for a, b in pairwise(quotes))
    assert sum("will not hesitate to move the jobs abroad" in q["text"] for q in quotes) == 1


# -- quoted fragments and link lines -------------------------------------------------------------

FRAGMENTS = (
    "Dana Whitfield, the school’s principal, said “it’s not acceptable to ever mock a classmate,” and the pupils’ "
    "actions “fall upon the school.”\n\n"
    "Coach Ada Okafor called it “completely unfair” for the players “to be judged” in public.\n\n"
    "WATCH: Mayor says the harbour bridge will reopen in May\n\n"
    "Mayor Ray Dalton told reporters the bridge would reopen in May.\n"
)


def test_a_quoted_fragment_keeps_the_subject_it_was_said_of():
    said = statements(FRAGMENTS)
    assert ("mixed", "the pupils’ actions “fall upon the school.”", "Dana Whitfield", "said") in said


def test_two_quoted_fragments_of_one_cue_are_one_statement():
    said = [s for s in statements(FRAGMENTS) if "unfair" in s[1] or "judged" in s[1]]
    assert said == [("mixed", "“completely unfair” for the players “to be judged”", "Ada Okafor", "called")]


def test_a_link_line_is_another_storys_headline_not_a_statement():
    said = statements(FRAGMENTS)
    assert not any("harbour bridge" in words for _, words, _, _ in said)
    assert ("indirect", "the bridge would reopen in May", "Ray Dalton", "told") in said


def test_a_link_line_ending_in_a_quote_or_in_title_case_is_no_statement_either():
    said = statements(
        "Crews closed the bridge on Monday.\n\n"
        "READ MORE: Mayor Ray Dalton says bridge repairs were ‘badly delayed’\n\n"
        "Watch: Councillor Ada Okafor says the ferry will run all winter\n\n"
        "“We were badly delayed by the weather,” Dalton said on Tuesday.\n")
    assert not any("repairs" in words or "ferry" in words for _, words, _, _ in said)
    assert ("direct", "We were badly delayed by the weather,", "Ray Dalton", "said") in said


def test_a_report_interrupted_by_its_cue_is_both_pieces_of_one_speaker():
    text = (
        "HALIFAX — Dr. Robert Strang warned about sedatives on Tuesday. The drugs have a limited set of uses, "
        "he says, and are mostly meant to be taken only for a short time.\n\n"
        "The ferry will sail again, the harbourmaster said, in Halifax.\n"
    )
    found = statements(text)
    assert ("indirect", "The drugs have a limited set of uses", "Robert Strang", "says") in found
    assert ("indirect", "and are mostly meant to be taken only for a short time", "Robert Strang", "says") in found
    # a place or time after the cue is no report of its own
    assert [s[1] for s in found if s[3] == "said"] == ["The ferry will sail again"]


def test_a_reported_clause_keeps_the_subject_the_parser_took_for_the_cues_object():
    text = ("MILWAUKEE — Mark Garth, director of the brewers guild, said big brewers will adapt. But he said "
            "smaller brewers who are always introducing new beers — especially those that rely on sales to "
            "other states — are likely to suffer most.\n")
    words = [s[1] for s in statements(text)]
    assert ("smaller brewers who are always introducing new beers — especially those that rely on sales to "
            "other states — are likely to suffer most") in words


def test_a_report_of_several_clauses_is_one_statement():
    text = ("SMITHERS, B.C. — Chief Superintendent Ann Tolle spoke to reporters on Friday. She said as police "
            "entered the camp, one person secured themselves to the barricade, two attached themselves to a bus, "
            "and another was suspended in a hammock off the bridge.\n")
    assert ("as police entered the camp, one person secured themselves to the barricade, two attached themselves "
            "to a bus, and another was suspended in a hammock off the bridge") in [s[1] for s in statements(text)]


def test_a_dated_dateline_is_not_part_of_the_first_statement():
    # "WASHINGTON, March 3 —": the date in a dateline does not make it the sentence's subject
    text = ("Aid for the Sahel\n\nWASHINGTON, March 3, 2021 — The United States will send new aid to the Sahel, "
            "State Department spokesman Ned Price told reporters on Wednesday.\n")
    found = statements(text)
    assert found[0][:3] == ("indirect", "The United States will send new aid to the Sahel", "Ned Price")


def test_a_cue_hung_inside_an_according_to_report_names_its_sayer():
    text = ("MILWAUKEE (AP) — Prosecutors say Jake Patterson planned the attack. The break-in took six minutes, "
            "he said, according to the complaint.\n")
    found = statements(text)
    assert ("indirect", "The break-in took six minutes", "Jake Patterson", "said") in found
    assert not any(w.startswith("according") for _, w, _, _ in found)  # the source of a report is no report


def test_news_abbreviations_end_no_sentence():
    text = ("REGINA — Doug Purdy says he lost 16 lbs. since he joined the walking program at the YMCA.\n\n"
            "According to the Crown, a report filed by RCMP Cpl. Douglas Green noted the road was dry.\n")
    words = [s[1] for s in statements(text)]
    assert "he lost 16 lbs. since he joined the walking program at the YMCA" in words
    assert "a report filed by RCMP Cpl. Douglas Green noted the road was dry" in words


def test_a_report_after_its_cue_never_holds_the_cue():
    text = ("OTTAWA — The plan falls short of the deeper cuts that the climate panel says are needed to avert "
            "a catastrophe.\n")
    found = statements(text)
    assert [(w, s) for _, w, s, _ in found] == [("are needed to avert a catastrophe", "climate panel")]


def test_a_hearer_and_a_report_without_that_are_not_a_relative_clause():
    text = ("GORDON, Wis. (AP) — Jake Patterson told detectives he stole licence plates for his car so police "
            "could not trace him.\n\n"
            "The minister told reporters Ottawa would respond.\n")
    found = statements(text)
    assert ("indirect", "he stole licence plates for his car so police could not trace him", "Jake Patterson",
            "told") in found
    assert [(w, c) for _, w, _, c in found if "minister" in w or c == "respond"] == []  # "respond" reports nothing


def test_the_sayer_after_a_quote_is_not_part_of_it():
    text = ("TORONTO — Babatunji Farinloye joined in June. The store tour with a dietitian “was a real eye-opener” "
            "Farinloye says.\n")
    found = statements(text)
    assert [w for _, w, s, _ in found if s == "Babatunji Farinloye"] == [
        "The store tour with a dietitian “was a real eye-opener”"]


def test_a_pull_quote_is_the_later_quote_counted_once():
    text = ("OTTAWA — Senator Ada Lind voted against the bill on Tuesday.\n\n"
            "'I could not give it my vote in good conscience'\n\n"
            "\"The bill is at risk of being struck down. I could not give it my vote in good conscience,\" "
            "Lind wrote.\n")
    found = statements(text)
    assert [(w, s) for _, w, s, _ in found] == [
        ("The bill is at risk of being struck down. I could not give it my vote in good conscience,", "Ada Lind")]
    # a paragraph a scraped page prints twice is two quotes, each where it stands
    twice = "OTTAWA — Ada Lind spoke.\n\n\"We could not vote for it in good conscience.\"\n\n" * 2
    assert [w for _, w, _, _ in statements(twice)] == ["We could not vote for it in good conscience."] * 2


def test_a_report_after_the_cue_is_its_own_when_another_hangs_before_it():
    text = ("OTTAWA — The Conservatives believe they can cast the levy as a tax grab; they say their research "
            "shows voters care more about prices than emissions.\n")
    found = statements(text)
    assert [w for _, w, _, c in found if c == "say"] == ["their research shows voters care more about prices than emissions"]


def test_one_quoted_word_right_after_a_speech_verb_is_what_was_said():
    text = ("WASHINGTON (AP) — Reporters pressed the question again. The president simply stated “enough,” "
            "before questions shifted elsewhere.\n\n"
            "The so-called “reform” passed the Senate on Friday.\n")
    assert [(t, w, c) for t, w, _, c in statements(text)] == [("direct", "enough,", "stated")]


def test_a_quoted_judgement_a_speaker_names_is_their_statement_but_a_quoted_name_is_not():
    text = ("OTTAWA — The council debated the bylaw for three hours. Councillor Dana Whitfield called the "
            "proposal “reckless” before the vote.\n\n"
            "The union described the offer as “insulting.”\n\n"
            "The minister called the bill “reform” in the House.\n")
    assert [(t, w, s, c) for t, w, s, c in statements(text)] == [
        ("direct", "reckless", "Dana Whitfield", "called"), ("direct", "insulting.", "union", "described")]


def test_a_participle_after_a_report_is_said_by_the_one_who_reported():
    text = ("ALBANY, N.Y. (AP) — Governor Maria Holt said Tuesday that schools would reopen “no later than "
            "March 15,” calling the plan “safe and overdue.”\n")
    assert [(t, w, s, c) for t, w, s, c in statements(text)] == [
        ("mixed", "schools would reopen “no later than March 15,”", "Maria Holt", "said"),
        ("direct", "safe and overdue.", "Maria Holt", "calling")]


def test_saying_only_that_after_a_refusal_is_the_refusers_statement():
    text = ("WASHINGTON (Reuters) — Spokesperson Ellen Voss declined to say whether sanctions were being "
            "considered, saying only that \"all options remain on the table.\"\n")
    assert [(t, w, s, c) for t, w, s, c in statements(text)] == [
        ("direct", "all options remain on the table.", "Ellen Voss", "saying")]


def test_a_second_verb_joined_by_and_has_the_first_verbs_speaker():
    text = ("GENEVA (Reuters) — The Foreign Ministry called for the aid workers’ release on Friday and expressed "
            "“grave concern” over their treatment.\n")
    assert [(t, w, s, c) for t, w, s, c in statements(text)] == [
        ("direct", "grave concern", "Foreign Ministry", "expressed")]


def test_a_spokesperson_underlining_a_point_is_its_speaker():
    text = ("WASHINGTON (AP) — Spokesperson Matthew Miller began the briefing with the sanctions, underlining "
            "that “the United States remains deeply concerned by the actions of the government.”\n")
    assert [(s, c) for _, _, s, c in statements(text)] == [("Matthew Miller", "underlining")]


def test_what_was_put_to_someone_is_not_their_statement():
    text = ("WASHINGTON (AP) — Asked whether he would extend the guidelines, Trump said it was too early to decide.\n\n"
            "Told that the plan had failed, Smith said he would try again.\n\n"
            "Saying he was tired, Jones left the room.\n")
    assert [(w, s) for _, w, s, _ in statements(text)] == [
        ("it was too early to decide", "Trump"), ("he would try again", "Smith"), ("he was tired", "Jones")]


def test_two_word_cues_report_what_follows():
    text = ("WASHINGTON (AP) — Biden criticized the plan on Tuesday. “That is a disgrace,” Trump shot back.\n\n"
            "Senator Ada Lind pointed out that the vote was close.\n\n"
            "The troops fired back at the rebels.\n")
    assert [(w, s, c) for _, w, s, c in statements(text)] == [
        ("That is a disgrace,", "Trump", "shot back"), ("the vote was close", "Ada Lind", "pointed out")]


def test_a_clause_of_a_noun_for_a_statement_is_not_the_cues_report():
    text = ("EDMONTON — UCP MLA Jason Nixon is firing back at accusations that he is spreading misinformation "
            "about the plan.\n\n"
            "Sandmann told NBC’s “Today” show on Wednesday that he was not disrespectful.\n")
    found = statements(text)
    assert ("indirect", "he was not disrespectful", "Sandmann", "told") in found
    assert [s for _, w, s, _ in found if w.startswith("he is spreading")] == []  # the accusers', unnamed: no one's speech


def test_voicing_and_expressing_report_what_the_speaker_said():
    text = ("Harbourmaster Tom Reyes voiced his “frustration, anger and helplessness” after the storm.\n\n"
            "Mayor Dana Whitfield expressed hope that the ferry would run again by Friday.\n")
    assert [(t, words, who) for t, words, who, _ in statements(text)] == [
        ("direct", "frustration, anger and helplessness", "Tom Reyes"),
        ("indirect", "the ferry would run again by Friday", "Dana Whitfield"),
    ]


def test_the_clause_of_a_noun_for_a_statement_is_a_quote_only_when_someone_made_it():
    text = ("Harbour Minister Tom Reyes is firing back at accusations that he is hiding the cost of the new pier.\n\n"
            "Mayor Dana Whitfield's claim that the pier would cost $4 million was wrong, the audit found.\n")
    assert [(words, who) for _, words, who, _ in statements(text)] == [
        ("the pier would cost $4 million", "Dana Whitfield")]
    # broad attribution counts an attribution without a source too
    broad = statements(text, Options(verify=False, attribution="broad"))
    assert any(words.startswith("he is hiding") for _, words, _, _ in broad)


def test_a_statement_the_speaker_gives_in_a_statement_or_an_interview_is_theirs():
    text = ("HALIFAX (CP) — The ferry union is claiming victory.\n\n"
            "The union's chief negotiator Marie Arsenault says in a statement that the deal will protect every "
            "job on the Cabot Strait crossing.\n\n"
            "Port Authority President Tom Reyes issued a statement that the terminal would reopen on Friday.\n\n"
            "The council rejected the claim that the pier was unsafe.\n")
    assert statements(text) == [
        ("indirect", "the deal will protect every job on the Cabot Strait crossing", "Marie Arsenault", "says"),
        ("indirect", "the terminal would reopen on Friday", "Tom Reyes", "issued"),
    ]


def test_the_noun_for_a_statement_opens_the_quoted_words_it_leads_to():
    text = ("HALIFAX (CP) — Harbourmaster Tom Reyes gave an interview noting his opposition to new berth fees "
            "because they could \u201cdrive the whole fleet away,\u201d according to CBC News.\n")
    assert statements(text) == [
        ("mixed", "his opposition to new berth fees because they could \u201cdrive the whole fleet away,\u201d",
         "Tom Reyes", "noting")]


def test_quoted_words_the_sentence_runs_into_are_one_statement_with_the_fragment_before_them():
    text = ("Councillor Jo Park, another member of the board, called it \u201ccompletely unfair\u201d for the families "
            "\u201cto be dragged through the courts like this.\u201d But she said it offered a lesson.\n")
    assert statements(text) == [
        ("mixed", "\u201ccompletely unfair\u201d for the families \u201cto be dragged through the courts like this.\u201d",
         "Jo Park", "called"),
        ("indirect", "it offered a lesson", "Jo Park", "said"),
    ]


def test_a_with_phrase_of_someone_else_speaking_ends_the_report():
    text = ("Protesters said there was an inappropriate use of force by police, with a spokesperson for the camp "
            "describing the scene as \u201cchaos all around.\u201d\n\n"
            "The agency said prices rose 3 per cent in March, with food leading the increase.\n")
    got = statements(text)
    assert got[0][:3] == ("indirect", "there was an inappropriate use of force by police", "Protesters")
    assert got[-1][:2] == ("indirect", "prices rose 3 per cent in March, with food leading the increase")


def test_a_quote_after_a_sentence_narrating_a_person_is_theirs_at_low_confidence():
    text = ("AMHERST, N.S. (CP) — Dr. Ana Ruiz, who runs the only addiction clinic in the county, says the province "
            "needs more doctors.\n\n"
            "Early on, she had several patients die of overdoses. \u201cWhen somebody young dies, you never forget it.\u201d\n\n"
            "The storm closed the clinic for a week. \u201cNobody could get in or out of town for days.\u201d\n\n"
            "\u201cWe need more doctors who can treat addiction in every town in this province.\u201d\n")
    record = onrecord.extract(text, options=OPTIONS)
    by_words = {q.text[:20]: q for q in record.quotes}
    narrated = by_words["When somebody young "]
    assert record.speaker(narrated.speaker).name == "Ana Ruiz"
    assert narrated.confidence < 0.55  # below a quote continuing a statement in the paragraph before
    assert by_words["Nobody could get in "].speaker is None  # a storm narrates no speaker
    assert by_words["We need more doctors"].speaker is None  # a paragraph of its own continues no narration


def test_a_line_end_after_a_sentence_ends_it_so_the_next_paragraphs_cue_keeps_off_the_quote_before():
    """Pages that part paragraphs with one line end: a cue of the next line is no cue of the quote before it."""
    text = ("Some delegates at the convention said they welcomed attention to the issue.\n"
            "“The ferry has been a lifeline for a very long time and should be treated as such,” said Ada Okafor, a "
            "delegate from Halifax. “Fares have no place in a public service, and it is time for reform.”\n"
            "Tom Reyes, a delegate from Sydney, criticized his province’s fare rules. “We are losing riders,” he said.\n")
    said = {words[:20]: who for _, words, who, _ in statements(text)}
    assert said["Fares have no place "] == "Ada Okafor"
    assert said["We are losing riders"] == "Tom Reyes"


def test_when_it_was_said_after_the_cue_is_the_cues_not_the_report():
    text = ("TORONTO (Reuters) - Marine Atlantic said on Friday it had no plans to cut the Argentia route.\n\n"
            "The premier said Tuesday the talks would resume. Ana Ruiz said on Monday that the fares were fair.\n")
    said = [words for _, words, _, _ in statements(text)]
    assert said[:2] == ["it had no plans to cut the Argentia route", "the talks would resume"]
    assert "the fares were fair" in said


def test_a_fragment_inside_the_statement_noun_phrase_is_one_statement_and_a_named_thing_is_not_one():
    text = ("Harbourmaster Tom Reyes gave an interview noting his \"deep\" opposition to new fees because they could "
            "\"drive the whole fleet away,\" according to CBC News.\n\n"
            "In a statement Tuesday, union president Ana Ruiz called the port's assertion of a \"right to close\" over "
            "the berths \"reckless and unlawful.\"\n")
    got = statements(text)
    assert got[0] == ("mixed", "his \"deep\" opposition to new fees because they could \"drive the whole fleet away,\"",
                      "Tom Reyes", "noting")
    # what a naming verb names is not what was said: the statement does not open on "the port's assertion"
    assert not any(words.startswith("the port's assertion") for _, words, _, _ in got)


def test_a_verb_that_reports_only_a_quote_beside_it_is_its_cue():
    text = ("HALIFAX (AP) — Mayor Tom Reyes spoke at the wharf on Monday.\n\n"
            "“We will rebuild the wharf,” Reyes continued. “Nobody is leaving this town.”\n\n"
            "“Will the province pay for it?” Tom Reyes went on.\n\n"
            "Reyes went on to win the race. The council continued the policy, and Reyes demanded an apology.\n")
    found = [(w, s, c) for _, w, s, c in statements(text)]
    assert ("We will rebuild the wharf,", "Tom Reyes", "continued") in found
    assert ("Will the province pay for it?", "Tom Reyes", "went on") in found
    # the same verbs with a clause or an object of their own report nothing ("demanded an apology" is
    # a demand's content only under broad attribution, whose lexicon lists "demand" as a stance)
    assert not any(w in ("to win the race", "the policy", "an apology") for w, _, _ in found)
    broad = statements(text, Options(verify=False, attribution="broad"))
    assert not any("race" in w or "policy" in w for _, w, _, _ in broad)


def test_a_title_capitalised_as_house_style_is_the_person_the_story_gave_it():
    text = ("WASHINGTON — On September 16, U.S. State Department Spokesperson Ana Ruiz held a briefing on the "
            "sanctions. In addition, the Spokesperson also addressed the party's recent announcement, stressing "
            "that Georgia has no need to apologize for the invasion.\n")
    found = statements(text)
    assert ("Georgia has no need to apologize for the invasion", "Ana Ruiz") in [(w, s) for _, w, s, _ in found]
