"""Cross-document identity in the corpus store (issue 10): constructed documents through the API and the CLI.

Most documents here are records built by hand (each speaker, kind, title and gender as a reader of
the text would give them), so that what is tested is the corpus's identity rule and not the
extraction; one test ingests real text through `onrecord ingest`.
"""
from __future__ import annotations

import json
from dataclasses import dataclass

import pytest
from click.testing import CliRunner

from onrecord.cli import cli
from onrecord.record import Quote, Record, Span, Speaker
from onrecord.store import Corpus
from onrecord.store.speakers import ROLE_WINDOW_DAYS, timeline_role


@dataclass(frozen=True)
class Said:
    """One speaker of a constructed document and what they said (no words: a speaker without a quote)."""

    name: str
    words: str | None = "We will look at every option before the council votes next week"
    kind: str = "person"
    titles: tuple[str, ...] = ()
    gender: str = "unknown"
    also_named: tuple[str, ...] = ()  # further mentions, written before the quote


def document(doc_id: str, published: str | None, *said: Said, outlet: str | None = None) -> Record:
    """A record whose text is one paragraph per speaker: `Also named. "Words," Name said.`"""
    text, speakers, quotes = "", [], []
    for n, s in enumerate(said, 1):
        mentions = []
        for other in s.also_named:
            mentions.append(Span(len(text), len(text) + len(other), other))
            text += f"{other} was at the meeting.\n\n"
        words = s.words or "The meeting ended early"
        start = len(text) + 1
        text += f'"{words}," '
        mention = Span(len(text), len(text) + len(s.name), s.name)
        text += f"{s.name} said.\n\n"
        mentions.append(mention)
        speakers.append(Speaker(f"s{n}", s.name, s.kind, mentions=tuple(mentions), titles=s.titles,
                                gender=s.gender))
        if s.words:
            quotes.append(Quote(f"q{n}", "direct", start, start + len(words), words, speaker=f"s{n}",
                                speaker_mention=mention))
    return Record(doc_id, text, published=published, outlet=outlet, speakers=tuple(speakers), quotes=tuple(quotes))


def corpus_of(tmp_path, *records: Record, name: str = "c.db") -> Corpus:
    corpus = Corpus(tmp_path / name)
    assert corpus.add_all(records).added == len(records)
    return corpus


def credited(corpus: Corpus) -> dict[tuple[str, str], str]:
    """(doc_id, speaker name as the document gives it) -> the corpus speaker's key."""
    rows = corpus.db.execute("SELECT d.doc_id, s.name, e.key FROM doc_speakers s JOIN documents d ON d.id = s.doc"
                             " JOIN entities e ON e.id = s.entity").fetchall()
    return {(r[0], r[1]): r[2] for r in rows}


def listed(corpus: Corpus) -> dict[str, int]:
    return {s.name: s.quotes for s in corpus.speakers(top=100)}


def test_a_son_with_jr_is_not_his_father(tmp_path):
    with corpus_of(tmp_path,
                   document("rally", "2019-05-01", Said("Donald Trump Jr.", "The crowd tonight was the biggest yet")),
                   document("summit", "2019-05-02", Said("Donald Trump", "The talks went very well"),
                            Said("Trump", "We will meet again soon"))) as corpus:
        keys = credited(corpus)
        assert keys[("rally", "Donald Trump Jr.")] == "person:donald trump jr"
        assert keys[("summit", "Donald Trump")] == keys[("summit", "Trump")] == "person:donald trump"
        assert listed(corpus) == {"Donald Trump": 2, "Donald Trump Jr.": 1}


def test_two_sanders_are_two_people_and_a_lone_sanders_is_its_own_documents(tmp_path):
    with corpus_of(tmp_path,
                   document("primary", "2016-02-01", Said("Bernie Sanders", "The system is rigged against working people")),
                   document("briefing", "2019-03-01",
                            Said("Sarah Sanders", "The president did not cave on the wall", titles=("press secretary",)),
                            Said("Sanders", "We will not comment on the talks")),
                   document("wire", "2019-03-02", Said("Sanders", "Nobody should read too much into it"))) as corpus:
        keys = credited(corpus)
        assert keys[("primary", "Bernie Sanders")] == "person:bernie sanders"
        assert keys[("briefing", "Sarah Sanders")] == keys[("briefing", "Sanders")] == "person:sarah sanders"
        # the corpus has two Sanders: a surname alone with no full name in its document is no one's
        assert keys[("wire", "Sanders")] == "surname:sanders"
        profile = corpus.speaker("Sarah Sanders")
        assert profile.summary.quotes == 2
        assert [e.resolved for e in profile.evidence if e.name == "Sanders"] == [
            {"by": "document", "name": "Sarah Sanders"}]


def test_a_lone_surname_takes_the_full_name_its_own_mentions_give_first(tmp_path):
    # The speaker's mentions name the daughter first, then her parents: "Closs" is the daughter.
    girl = Said("Closs", "She knew she had to run", also_named=("Jayme Closs", "James Closs", "Denise Closs"))
    with corpus_of(tmp_path, document("court", "2019-02-01", girl),
                   document("vigil", "2019-02-02", Said("Jayme Closs", "I am strong"))) as corpus:
        keys = credited(corpus)
        assert keys[("court", "Closs")] == keys[("vigil", "Jayme Closs")] == "person:jayme closs"


def test_nicknames_and_spellings_join_but_not_across_genders(tmp_path):
    records = [
        document("a", "2016-01-01", Said("Hillary Clinton", "We are stronger together")),
        document("b", "2016-01-02", Said("Hilary Clinton", "We will win this state")),
        document("c", "2016-01-03", Said("Bill Clinton", "She is the best candidate I know")),
        document("d", "2016-01-04", Said("William Clinton", "The economy grew on my watch")),
        document("e", "2016-01-05", Said("Aaron Kim", "The vote was close")),
        document("f", "2016-01-06", Said("Erin Kim", "The vote was not close")),
    ]
    with corpus_of(tmp_path, *records) as forward, corpus_of(tmp_path, *reversed(records), name="r.db") as back:
        keys = credited(forward)
        assert keys[("a", "Hillary Clinton")] == keys[("b", "Hilary Clinton")]
        assert keys[("c", "Bill Clinton")] == keys[("d", "William Clinton")] != keys[("a", "Hillary Clinton")]
        assert keys[("e", "Aaron Kim")] != keys[("f", "Erin Kim")]
        assert credited(back) == keys  # the same corpus gives the same speakers in any order
        assert listed(forward)["Hillary Clinton"] == 2
        assert forward.search("stronger", speaker="Hilary Clinton")


def test_words_before_a_given_name_are_no_part_of_it(tmp_path):
    with corpus_of(tmp_path, document("a", "2016-01-01", Said("Billionaire Donald Trump", "I will win")),
                   document("b", "2016-01-02", Said("Donald Trump", "I will win big"))) as corpus:
        keys = credited(corpus)
        assert keys[("a", "Billionaire Donald Trump")] == keys[("b", "Donald Trump")] == "person:donald trump"
        assert listed(corpus) == {"Donald Trump": 2}


def test_a_one_word_organisation_joins_the_person_the_corpus_clearly_knows(tmp_path):
    people = [document(f"p{i}", f"2019-01-0{i}", Said("Donald Trump", f"Statement number {i} is this")) for i in range(1, 4)]
    mistyped = document("o1", "2019-01-05", Said("Trump", "The wall will be built", kind="organization"))
    # Ford is typed an organisation as often as Doug Ford is named a person: no clear person
    fords = [document("f1", "2019-01-06", Said("Doug Ford", "Ontario is open for business")),
             document("f2", "2019-01-07", Said("Ford", "The plant will close", kind="organization"))]
    with corpus_of(tmp_path, mistyped, *people, *fords) as corpus:
        keys = credited(corpus)
        assert keys[("o1", "Trump")] == "person:donald trump"
        assert keys[("f2", "Ford")] == "organization:ford"
        assert listed(corpus)["Donald Trump"] == 4


def test_a_role_is_resolved_through_the_title_timeline_only_when_one_person_held_it(tmp_path):
    kirby = document("named", "2023-10-01", Said("John Kirby", titles=("NSC spokesperson",)))
    role_only = document("unnamed", "2023-10-10", Said("the NSC spokesperson", "The aid will keep flowing"))
    far = document("far", "2021-01-10", Said("the NSC spokesperson", "No comment on the call"))
    with corpus_of(tmp_path, role_only, far, kirby) as corpus:  # the timeline arrives after the role-only one
        keys = credited(corpus)
        assert keys[("unnamed", "the NSC spokesperson")] == "person:john kirby"
        assert keys[("far", "the NSC spokesperson")].startswith("description:")  # nobody held it then (per the corpus)
        evidence = {e.doc_id: e.resolved for e in corpus.speaker("John Kirby").evidence}
        assert evidence["unnamed"] == {"by": "role", "role": "nsc spokesperson", "documents": ["named"]}
        # a second holder within the window makes the role ambiguous: it goes back to a description
        corpus.add(document("other", "2023-10-05", Said("Adrienne Watson", titles=("NSC spokeswoman",))))
        assert credited(corpus)[("unnamed", "the NSC spokesperson")].startswith("description:")
    assert ROLE_WINDOW_DAYS < (365 * 2)


def test_a_lone_surname_with_a_gender_joins_the_one_person_of_that_surname_it_fits(tmp_path):
    barack = document("barack", "2016-01-04", Said("Barack Obama", gender="male"))
    michelle = document("michelle", "2016-01-05", Said("Michelle Obama", gender="female"))
    mr = document("mr", "2016-01-06", Said("Obama", "The deal keeps every option open", gender="male"))
    she = document("she", "2016-01-07", Said("Obama", "Schools need the money now", gender="female"))
    unsaid = document("unsaid", "2016-01-08", Said("Obama", "The vote is next week"))
    for order in ((mr, she, unsaid, barack, michelle), (barack, michelle, unsaid, she, mr)):
        with corpus_of(tmp_path, *order, name=f"{order[0].doc_id}.db") as corpus:
            keys = credited(corpus)
            assert keys[("mr", "Obama")] == "person:barack obama"
            assert keys[("she", "Obama")] == "person:michelle obama"
            assert keys[("unsaid", "Obama")] == "surname:obama"  # the text does not say which


def test_of_two_holders_of_a_role_the_one_its_own_document_quotes_is_the_speaker(tmp_path):
    ruiz = document("ruiz", "2019-01-10", Said("Ana Ruiz", titles=("Prime Minister",)))
    moss = document("moss", "2019-01-12", Said("Theo Moss", titles=("Prime Minister",)))
    both = document("town-hall", "2019-01-20", Said("Ana Ruiz", "Cuts to schools would be a bad choice"),
                    Said("The prime minister", "We are deeply concerned about the cuts"))
    alone = document("unnamed", "2019-01-21", Said("The prime minister", "We will meet the premiers"))
    for order in ((both, alone, ruiz, moss), (ruiz, moss, both, alone)):  # the same whatever the order
        with corpus_of(tmp_path, *order, name=f"{order[0].doc_id}.db") as corpus:
            keys = credited(corpus)
            assert keys[("town-hall", "The prime minister")] == "person:ana ruiz"
            assert keys[("unnamed", "The prime minister")].startswith("description:")  # two held it, neither quoted


@pytest.mark.parametrize("title", ["satisfy", ".", "I", "how", "North Korea", "Sen. John McCain", "His son",
                                   "Waterboarding", "Mr.", "younger Mrs.", "Dr."])
def test_the_timeline_keeps_no_title_that_is_not_a_role(title):
    assert timeline_role(title) is None


@pytest.mark.parametrize(("title", "role"), [("NSC spokesperson", "nsc spokesperson"),
                                             ("a White House spokeswoman", "white house spokesperson"),
                                             ("Secretary of State", "secretary of state"),
                                             ("Lakeside County District Attorney", "lakeside county district attorney")])
def test_the_timeline_keeps_roles(title, role):
    assert timeline_role(title) == role


def test_titles_that_are_not_roles_stay_out_of_a_speakers_profile(tmp_path):
    with corpus_of(tmp_path, document("a", "2019-01-01", Said("Sarah Sanders", titles=("press secretary", "satisfy",
                                                                                         ".", "I")))) as corpus:
        assert [t.title for t in corpus.speaker("Sarah Sanders").titles] == ["press secretary"]


def run(*args):
    result = CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_speakers_with_no_quote_are_not_listed(tmp_path):
    with corpus_of(tmp_path, document("a", "2019-01-01", Said("Lena Moss"), Said("Ivo Brandt", None))):
        pass
    names = [s["name"] for s in json.loads(run("speakers", "--db", tmp_path / "c.db", "--format", "json"))]
    assert names == ["Lena Moss"]


def test_speakers_by_gender_kind_and_outlet(tmp_path):
    with corpus_of(tmp_path,
                   document("a", "2019-01-01", Said("Lena Moss", gender="female"), Said("Ivo Brandt", gender="male"),
                            Said("Port Authority", kind="organization"), outlet="Coast Gazette"),
                   document("b", "2019-01-02", Said("Lena Moss"), Said("Ivo Brandt", gender="female"),
                            outlet="Bay Times")):
        pass
    db = tmp_path / "c.db"
    by_gender = {r["value"]: (r["speakers"], r["quotes"])
                 for r in json.loads(run("speakers", "--db", db, "--by", "gender", "--format", "json"))}
    # Moss: female and no contrary evidence; Brandt: the documents disagree, so unknown
    assert by_gender == {"female": (1, 2), "unknown": (2, 3)}
    by_kind = {r["value"]: (r["speakers"], r["quotes"])
               for r in json.loads(run("speakers", "--db", db, "--by", "kind", "--format", "json"))}
    assert by_kind == {"person": (2, 4), "organization": (1, 1)}
    table = run("speakers", "--db", db, "--by", "outlet")
    assert "     3 speakers       3 quotes  Coast Gazette" in table
    assert "     2 speakers       2 quotes  Bay Times" in table


def test_the_cli_keeps_a_son_and_his_father_apart_from_real_text(tmp_path):
    feed = tmp_path / "feed.jsonl"
    docs = [
        {"id": "son", "published": "2019-06-01", "text": "Rally draws crowd\n\n\"The crowd tonight was the biggest "
         "we have ever had in this state,\" Donald Trump Jr. said on Saturday.\n"},
        {"id": "father", "published": "2019-06-02", "text": "Summit ends\n\n\"The talks went very well and we will "
         "meet again soon,\" President Donald Trump said on Sunday.\n"},
    ]
    feed.write_text("".join(json.dumps(d) + "\n" for d in docs), encoding="utf-8")
    run("ingest", feed, "--db", tmp_path / "cli.db")
    found = json.loads(run("speakers", "--db", tmp_path / "cli.db", "--format", "json"))
    assert sorted(s["key"] for s in found) == ["person:donald trump", "person:donald trump jr"]


def test_the_speaker_command_shows_a_role_resolved_with_its_evidence(tmp_path):
    with corpus_of(tmp_path, document("named", "2023-10-01", Said("John Kirby", titles=("NSC spokesperson",))),
                   document("unnamed", "2023-10-10", Said("the NSC spokesperson", "The aid will keep flowing"))):
        pass
    out = run("speaker", "John Kirby", "--db", tmp_path / "c.db")
    assert "John Kirby [person]: 2 quotes in 2 documents" in out
    assert '"the NSC spokesperson" in unnamed is them: the only nsc spokesperson then (titled so in named)' in out


def test_a_role_alone_is_the_one_person_its_own_document_gives_that_role(tmp_path):
    undated = document("budget", None, Said("Ana Ruiz", titles=("Prime Minister",)),
                       Said("the prime minister", "The budget will balance itself in four years"))
    two = document("summit", None, Said("Ana Ruiz", titles=("Prime Minister",)),
                   Said("Lars Berg", titles=("Prime Minister",)), Said("the prime minister", "No deal tonight"))
    with corpus_of(tmp_path, undated, two) as corpus:
        keys = credited(corpus)
        assert keys[("budget", "the prime minister")] == "person:ana ruiz"
        assert keys[("summit", "the prime minister")].startswith("description:")  # two prime ministers there


def test_a_corpus_written_under_an_older_identity_rule_is_placed_again(tmp_path):
    records = [document("a", "2016-01-01", Said("Hillary Clinton", "We are stronger together")),
               document("b", "2016-01-02", Said("Hilary Clinton", "We will win this state")),
               document("c", "2016-01-03", Said("Bill Clinton", "She is the best candidate I know")),
               document("d", "2016-01-04", Said("Clinton", "We will win"), Said("Bill Clinton", "We will"))]
    with corpus_of(tmp_path, *records) as corpus:
        expected = credited(corpus)
        # as an older onrecord left it: Hilary apart from Hillary, the lone Clinton under no one
        corpus.db.execute("INSERT INTO entities (key, kind, name) VALUES ('person:hilary clinton', 'person', 'x')")
        with corpus.db.transaction():
            corpus.db.execute("UPDATE doc_speakers SET entity = (SELECT id FROM entities WHERE key ="
                              " 'person:hilary clinton') WHERE name IN ('Hilary Clinton', 'Clinton')")
            corpus.db.set_meta("identity", "1")
        assert credited(corpus) != expected
    with Corpus(tmp_path / "c.db") as reopened:
        assert credited(reopened) == expected
        assert expected[("d", "Clinton")] == "person:bill clinton"
        assert {s.name: s.quotes for s in reopened.speakers()} == {"Hillary Clinton": 2, "Bill Clinton": 3}


def _newsroom() -> list[Record]:
    """A corpus in news shapes whose speakers depend on one another across documents: a surname-only
    story before the full-name story of the same person, a father and a son, two Sanders, a role alone
    dated inside one holder's window, and a headline-length run that shares a full name's key."""
    return [
        document("closs-1", "2019-01-11", Said("Closs", "She is safe and she is home", gender="female")),
        document("closs-2", "2019-01-12", Said("Jayme Closs", "I want to thank everyone who looked for me")),
        document("rally", "2019-05-01", Said("Donald Trump Jr.", "The crowd tonight was the biggest yet")),
        document("summit", "2019-05-02", Said("Donald Trump", "The talks went very well")),
        document("wire-trump", "2019-05-03", Said("Trump", "We will meet again soon", gender="male")),
        document("primary", "2016-02-01", Said("Bernie Sanders", "The system is rigged against working people")),
        document("briefing", "2019-03-01",
                 Said("Sarah Sanders", "The president did not cave on the wall", titles=("White House press secretary",))),
        document("wire-sanders", "2019-03-02", Said("Sanders", "Nobody should read too much into it", gender="female")),
        document("podium", "2019-03-20", Said("the White House press secretary", "The briefing is over for today")),
        document("headline", "2020-06-01", Said("John Paul George Smith", "The plant will stay open")),
        document("council", "2020-06-02", Said("John Smith", "The budget is not finished and we know it")),
        document("wire-smith", "2020-06-03", Said("Smith", "Nobody in the office expected the vote to pass")),
    ]


def _settled(tmp_path, records: list[Record], name: str) -> tuple[dict, list, bytes]:
    """Each record stored by the local writer one at a time: who is credited, the speakers list, the export."""
    with Corpus(tmp_path / f"{name}.db") as corpus:
        for r in records:
            assert corpus.add(r)
        corpus.export(tmp_path / f"{name}.jsonl")
        listing = [(s.key, s.name, s.quotes, s.documents, s.namesakes) for s in corpus.speakers(top=100)]
        return credited(corpus), listing, (tmp_path / f"{name}.jsonl").read_bytes()


def test_speakers_are_the_same_whatever_order_the_documents_arrive_in(tmp_path):
    import random

    records = _newsroom()
    shuffled = records[:]
    random.Random(13).shuffle(shuffled)
    first = _settled(tmp_path, records, "given")
    assert first == _settled(tmp_path, records[::-1], "reversed") == _settled(tmp_path, shuffled, "shuffled")
    keys = first[0]
    assert keys[("closs-1", "Closs")] == "person:jayme closs"  # the surname came first
    assert keys[("rally", "Donald Trump Jr.")] == "person:donald trump jr"
    assert keys[("wire-trump", "Trump")] == "person:donald trump"
    assert keys[("wire-sanders", "Sanders")] == "surname:sanders"  # two Sanders: no one's
    assert keys[("briefing", "Sarah Sanders")] != keys[("primary", "Bernie Sanders")]
    assert keys[("podium", "the White House press secretary")] == "person:sarah sanders"
    # the run holds John Smith's key: the surname alone joins him whether the run came first or not
    assert keys[("wire-smith", "Smith")] == keys[("headline", "John Paul George Smith")] == "person:john smith"


def test_a_bulk_run_settles_the_speakers_the_local_writer_does_and_a_stopped_one_at_the_next_open(tmp_path):
    records = _newsroom()
    expected = _settled(tmp_path, records, "local")
    with Corpus(tmp_path / "stopped.db") as corpus:
        outcomes = corpus.add_iter(records[::-1])
        for _ in records:  # every document stored, then the run stops before its pass
            next(outcomes)
        outcomes.close()
        assert corpus.db.execute("SELECT count(*) FROM unsettled_families").fetchone()[0] > 0
    with Corpus(tmp_path / "stopped.db") as corpus:  # settled as it opens for writing
        corpus.export(tmp_path / "stopped.jsonl")
        listing = [(s.key, s.name, s.quotes, s.documents, s.namesakes) for s in corpus.speakers(top=100)]
        assert (credited(corpus), listing, (tmp_path / "stopped.jsonl").read_bytes()) == expected


def test_groups_and_organisations_only_described_are_each_documents_own(tmp_path):
    with corpus_of(tmp_path,
                   document("budget", "2019-05-01", Said("critics", kind="group"), Said("the government", kind="organization"),
                            Said("BC Hydro", "Power is back for most customers", kind="organization")),
                   document("strike", "2019-05-02", Said("critics", "The deal changes nothing", kind="group"),
                            Said("the government", "The offer stands", kind="organization"),
                            Said("BC Hydro", "Crews are out across the province", kind="organization"))) as corpus:
        keys = credited(corpus)
        # critics of a budget and critics of a strike deal are not one group, nor is every government one
        assert keys[("budget", "critics")] != keys[("strike", "critics")]
        assert keys[("budget", "the government")] != keys[("strike", "the government")]
        assert keys[("budget", "BC Hydro")] == keys[("strike", "BC Hydro")] == "organization:bc hydro"
        assert listed(corpus)["BC Hydro"] == 2
