"""The layout of a document: paragraphs, headline, dateline, date, and article/transcript sections."""
from __future__ import annotations

import pytest

from onrecord.labels import is_note, label_title, role_names
from onrecord.structure import analyze, find_label, is_question

NBSP = "\u00a0"

ARTICLE = (
    "Harbour reopens after storm repairs\n\n"
    "PORTSMOUTH, England - The harbour reopened on Tuesday after three weeks of repairs.\n\n"
    "\u201cWe are open for business,\u201d said harbourmaster Ellen Marsh.\n"
)


def texts(text, spans):
    return [text[s.start:s.end] for s in spans]


def kinds(layout):
    return [s.kind for s in layout.sections]


# -- paragraphs -------------------------------------------------------------------------------
def test_paragraphs_split_on_blank_lines_including_nbsp_and_trim_their_ends():
    text = f"\n\n  First line{NBSP} \ncontinues here.{NBSP}\n {NBSP}\t\nSecond block.\n\n\n\nThird.{NBSP}"
    layout = analyze(text)
    assert texts(text, layout.paragraphs) == [f"First line{NBSP} \ncontinues here.", "Second block.", "Third."]


@pytest.mark.parametrize("brk", ["\r", "\u2029", "\r\r", "\n\u2029\n", "\r\n\r\n"])
def test_a_lone_carriage_return_or_a_paragraph_separator_ends_a_paragraph(brk):
    text = f"Harbour reopens{brk}The harbour reopened on Tuesday.{brk}“We are open,” said Ellen Marsh."
    layout = analyze(text)
    assert texts(text, layout.paragraphs) == ["Harbour reopens", "The harbour reopened on Tuesday.",
                                              "“We are open,” said Ellen Marsh."]
    assert layout.title is not None and layout.title.text == "Harbour reopens"


def test_windows_line_ends_and_line_separators_stay_inside_a_paragraph():
    for brk in ("\r\n", "\u2028", "\x85"):
        text = f"First line{brk}continues here.\n\nSecond block."
        assert texts(text, analyze(text).paragraphs) == [f"First line{brk}continues here.", "Second block."]


def test_labels_on_lines_parted_by_carriage_returns_make_a_transcript():
    text = ("Officials met on Monday.\r"
            "Q: Will the harbour reopen this week?\rKIRBY: We expect it to reopen on Friday.\r"
            "Q: And the ferries?\rKIRBY: They will run again from Saturday morning.")
    layout = analyze(text)
    assert kinds(layout) == ["article", "transcript"]
    assert text[layout.transcripts[0].start:].startswith("Q: Will")


def test_empty_text_has_no_layout():
    layout = analyze(" \n\n")
    assert layout.paragraphs == () and layout.sections == () and layout.title is None


# -- title ------------------------------------------------------------------------------------
def test_a_short_first_line_standing_alone_is_the_title():
    layout = analyze(ARTICLE)
    assert layout.title.text == "Harbour reopens after storm repairs"
    assert (layout.title.start, layout.title.end) == (0, len("Harbour reopens after storm repairs"))


def test_a_first_sentence_is_not_a_title():
    text = "The harbour reopened on Tuesday.\n\nRepairs took three weeks, officials said.\n"
    assert analyze(text).title is None


@pytest.mark.parametrize("first", [
    "Marsh: \u2018We Are Open for Business Again\u2019.",  # "Name: …" headline
    "Harbour Reopens After Three Weeks Of Storm Repairs.",  # Title Case
])
def test_a_headline_may_end_with_a_period_when_shaped_like_one(first):
    text = f"{first}\n\nThe harbour reopened on Tuesday after three weeks of repairs, officials said.\n"
    assert analyze(text).title.text == first


def test_a_sentence_case_headline_with_a_period_is_known_by_the_dateline_under_it():
    text = "Harbour reopens after repairs.\n\nPORTSMOUTH (AP) \u2014 The harbour reopened on Tuesday.\n"
    assert analyze(text).title.text == "Harbour reopens after repairs."


def test_a_given_title_is_found_at_the_top_despite_spacing():
    text = "Harbour  reopens\nafter storm repairs\n\nThe harbour reopened on Tuesday.\n"
    layout = analyze(text, title="Harbour reopens after storm repairs")
    assert layout.title.text == "Harbour  reopens\nafter storm repairs"
    assert kinds(layout) == ["article"] and layout.sections[0].start == text.index("The harbour")


def test_a_given_title_the_text_does_not_begin_with_is_not_a_span():
    assert analyze(ARTICLE, title="Something else entirely").title is None
    assert analyze(ARTICLE, title="Harbour reopens").title is None  # a prefix of the line is not the title


def test_the_first_turn_of_a_transcript_is_not_a_title():
    text = "HOST: Welcome back. Are you ready?\n\nGUEST: I am, thank you.\n"
    layout = analyze(text)
    assert layout.title is None and kinds(layout) == ["transcript"]


# -- dateline and date ------------------------------------------------------------------------
@pytest.mark.parametrize("dateline, dash", [
    ("WASHINGTON DC, United States", " - "),
    ("OTTAWA", " \u2014 "),
    ("LONDON (Reuters)", " - "),
    ("DES MOINES, Iowa, Aug. 10 (UPI)", " \u2014 "),
    ("LAKE PLACID, N.Y.", " -- "),
    ("Geneva (AFP)", " \u2013 "),
])
def test_dateline_covers_place_and_agency_without_the_dash(dateline, dash):
    text = f"Harbour reopens\n\n{dateline}{dash}The harbour reopened on Tuesday.\n"
    layout = analyze(text)
    assert layout.dateline.text == dateline
    assert text[layout.dateline.start:layout.dateline.end] == dateline


@pytest.mark.parametrize("opening", [
    "The minister \u2014 a former sailor \u2014 reopened the harbour.",
    "US officials said the harbour - closed for weeks - had reopened.",
])
def test_no_dateline_in_ordinary_openings(opening):
    assert analyze(f"Harbour reopens\n\n{opening}\n").dateline is None


@pytest.mark.parametrize("line, iso", [
    ("Published: October 11, 2023 10:45 AM", "2023-10-11"),
    ("Updated 3 Sept. 2022", "2022-09-03"),
    ("2021-02-28", "2021-02-28"),
])
def test_published_date_from_a_date_line_near_the_top(line, iso):
    assert analyze(f"Harbour reopens\n\n{line}\n\nThe harbour reopened on Tuesday.\n").published == iso


def test_a_date_inside_a_sentence_is_not_the_publication_date():
    text = "Harbour reopens\n\nThe harbour, damaged on October 11, 2023, reopened on Tuesday after long repairs.\n"
    assert analyze(text).published is None


# -- speaker labels and questions -------------------------------------------------------------
@pytest.mark.parametrize("line, name", [
    ("Kirby: Today we know more.", "Kirby"),
    ("MR. KIRBY: Today we know more.", "MR. KIRBY"),
    ("Secretary Blinken: We spoke.", "Secretary Blinken"),
    ("Ursula von der Leyen: We agree.", "Ursula von der Leyen"),
    ("Q. Why now?", "Q"),
    ("A: Because.", "A"),
    ("\u201cRAMOS:\u00a0 Did you lie?", "RAMOS"),
    ("THE VICE PRESIDENT:\u00a0 Thank you.", "THE VICE PRESIDENT"),
    ("Q\u00a0\u00a0\u00a0 Mr. President, the ferries?", "Q"),  # the White House's Q: no colon
    ("Q\u00a0\u00a0\u00a0 — or do they wait?", "Q"),  # an interrupted question taken up
    ("Q\u00a0\u00a0 Question for Secretary Okafor: When?", "Q"),  # a colon later in the question
    ("Q\u00a0\u00a0 and the dredging?", "Q"),  # the layout's spaces mark it whatever follows
    ("Nadia Brandt (00:00): Good afternoon.", "Nadia Brandt"),  # Rev
    ("Speaker 2 (01:02:03): Thanks.", "Speaker 2"),
    ("Dana Whitfield: (00:04) Good evening.", "Dana Whitfield"),  # Rev's other layout
])
def test_speaker_labels(line, name):
    label = find_label(line, 0, len(line))
    assert label.name.text == name and line[label.body:].lstrip("\u00a0 —")[0].isalpha()


@pytest.mark.parametrize("line", [
    "My last question: are you still supporting it?",
    "Note: this story has been updated.",
    "Video Transcript: the clip follows.",
    "At 10:30 the talks began.",
    "Thank you so much, John: really.",
    "The Five Great Lakes Of North America: a guide.",  # more than four capitalised words
    "Q and A sessions resume on Monday.",
    "Chapter 2: the storm.",  # a number after a word, without a timestamp
])
def test_not_speaker_labels(line):
    assert find_label(line, 0, len(line)) is None


def test_a_label_alone_on_its_line_with_a_timestamp():
    line = "Nadia Brandt (00:00):"
    label = find_label(line, 0, len(line))
    assert label.name.text == "Nadia Brandt" and label.body == len(line) and label.stamped


@pytest.mark.parametrize("line, note", [
    ("(Laughter.)", True), ("[crosstalk]", True), ("(00:12)", True), ("(A video is played.)", True),
    ("(inaudible) (01:04)", True), ("(00:12) We begin.", False), ("The ferry (finally) sails.", False),
])
def test_stage_notes_and_timestamps(line, note):
    assert is_note(line, 0, len(line)) is note


# -- offices in labels and who holds them -----------------------------------------------------
@pytest.mark.parametrize("label, title, name", [
    ("THE PRESIDENT", "President", None),
    ("THE VICE PRESIDENT", "Vice President", None),
    ("SECRETARY OKAFOR", "Secretary", "Okafor"),
    ("ACTING UNDER SECRETARY LUND", "Acting Under Secretary", "Lund"),
    ("REAR ADMIRAL TAKEDA", "Rear Admiral", "Takeda"),
    ("ADM. TAKEDA", "Adm.", "Takeda"),
])
def test_a_label_naming_an_office(label, title, name):
    role = label_title(label)
    assert (role.title, role.name) == (title, name)


@pytest.mark.parametrize("label", ["DR. MARSH", "MS. COLE", "Nadia Brandt", "Q", "HARBOUR ENGINEER DAVIES"])
def test_an_honorific_or_a_name_is_no_office(label):
    assert label_title(label) is None


@pytest.mark.parametrize("text, names", [
    ("Remarks by President Lindqvist, Vice President Okafor, and Members of the Harbour Task Force",
     {"president": {"Lindqvist"}, "vice president": {"Okafor"}}),
    ("Remarks by President Lindqvist Before Marine One Departure", {"president": {"Lindqvist"}}),
    ("Press Briefing by Press Secretary Ana Ruiz. Secretary of State Tom Berg. Former President Lee Holt.",
     {"press secretary": {"Ana Ruiz"}, "secretary of state": {"Tom Berg"}, "former president": {"Lee Holt"}}),
    ("Remarks by the President on the Harbour Repairs", {}),
    ("President Lindqvist met President Moreau of France.", {"president": {"Lindqvist", "Moreau"}}),
])
def test_the_names_a_document_gives_the_holders_of_an_office(text, names):
    assert role_names(text, [(0, len(text))]) == names


@pytest.mark.parametrize("text, asks", [
    ("Have you spoken to them?", True),
    (f"Have you spoken to them?{NBSP} ", True),
    ("\u201cWill it hold?\u201d", True),
    ("Some context first. Could you give us an update on the talks.", True),
    ("What we have not seen is any evidence.", False),
    ("Was it right? No. It was not.", False),
    ("We will defend ourselves.", False),
    ("When does the terminal reopen? [crosstalk]", True),  # a stage note after the question
    ("It is fine. (Laughter.)", False),
])
def test_questions(text, asks):
    assert is_question(text, 0, len(text)) is asks


# -- sections ---------------------------------------------------------------------------------
@pytest.mark.parametrize("announcement", [
    "What follows is a transcript of the interview...",
    "Transcript:",
    "Here is the full interview",
    "The interview has been edited for length and clarity.",
    "Below is a lightly edited transcript of our conversation.",
    "This conversation has been condensed.",
])
def test_an_announcing_line_starts_the_transcript(announcement):
    body = "Thanks for coming in. How did the repairs go?\n\nThey went well, on time and on budget.\n\nGreat.\n"
    text = ARTICLE + "\n" + announcement + "\n\n" + body
    layout = analyze(text)
    assert kinds(layout) == ["article", "transcript"]
    article, transcript = layout.sections
    assert text[article.start:article.end].endswith(announcement)
    assert text[transcript.start:transcript.end] == body.strip()


def test_a_video_pointer_is_not_an_announcement():
    text = ARTICLE + "\nWatch the full interview below:\n\nShe said more later.\n\nThe harbour stays open.\n"
    assert kinds(analyze(text)) == ["article"]


def test_labelled_paragraphs_make_a_transcript_without_announcement():
    text = (ARTICLE + "\nThe harbourmaster spoke to us on the quay.\n\n"
            "Reporter: How long were you closed?\n\nMarsh: Three weeks, which felt like a year.\n\n"
            "Reporter: And now?\n\nMarsh: Now we are busier than ever.\n")
    layout = analyze(text)
    assert kinds(layout) == ["article", "transcript"]
    assert layout.sections[1].start == text.index("Reporter: How long")
    assert layout.sections[1].end == len(text.rstrip())


def test_one_quoted_name_line_is_not_a_transcript():
    text = ARTICLE + "\nMarsh: \u201cWe are open.\u201d\n\nMy last question: when do ferries return? Nobody knew.\n"
    assert kinds(analyze(text)) == ["article"]


def test_heading_labels_that_never_return_and_never_ask_are_not_a_transcript():
    text = (ARTICLE + "\nPortsmouth: Ferries run again from Friday, the council said.\n\n"
            "Southampton: Cruise terminals reopen next month after inspections.\n\n"
            "Poole: The marina stays shut until the spring.\n")
    assert kinds(analyze(text)) == ["article"]


def test_closing_notes_stay_out_of_the_transcript():
    text = ("Q: Why reopen now?\n\nA: Because the repairs are done.\n\nQ: Any regrets?\n\nA: None at all.\n\n"
            "(This interview has been edited for length and clarity.)\n")
    layout = analyze(text)
    assert kinds(layout) == ["transcript", "article"]
    assert text[layout.sections[0].end - 1] == "." and "edited" in text[layout.sections[1].start:]


def test_article_resumes_after_an_embedded_exchange():
    exchange = "HOST: Are the ferries back?\n\nMARSH: They are, from Friday.\n\nHOST: Good news?\n\nMARSH: The best.\n\n"
    prose = ("Officials expect traffic to recover slowly.\n\nThe council will review costs in June.\n\n"
             "Repairs were paid for by the port authority.\n\nNo further closures are planned.\n")
    text = ARTICLE + "\n" + exchange + prose
    layout = analyze(text)
    assert kinds(layout) == ["article", "transcript", "article"]
    assert text[layout.sections[1].start:layout.sections[1].end] == exchange.strip()


# -- published transcripts: header lines, long statements, END ----------------------------------
def published(statement_paragraphs: int) -> str:
    statement = "\n\n".join(f"Paragraph {i} of the statement on the harbour works and the dredging schedule."
                             for i in range(statement_paragraphs))
    return ("Remarks by President Lindqvist on the Harbour Works\n\nSouth Court Auditorium\n\nMarch 3, 2026\n\n"
            f"11:02 A.M. EDT\n\nTHE PRESIDENT:{NBSP} Good morning.\n\n{statement}\n\n"
            f"Q{NBSP}{NBSP}{NBSP} Mr. President, when will the ferries run?\n\nTHE PRESIDENT:{NBSP} On Friday.\n\n"
            "Most of them, anyway.\n\nEND\n\n11:40 A.M. EDT\n")


def test_a_published_transcript_is_one_section_however_long_its_statements_run():
    text = published(statement_paragraphs=14)
    layout = analyze(text)
    assert kinds(layout) == ["article", "transcript", "article"]
    transcript = layout.transcripts[0]
    assert text[transcript.start:].startswith("THE PRESIDENT:")
    assert text[transcript.start:transcript.end].endswith("Most of them, anyway.")
    assert "END" not in text[transcript.start:transcript.end]
