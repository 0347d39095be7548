"""Surname groups settled as a pure function of their name classes (store/speaker_groups.py)."""
from __future__ import annotations

import random

from onrecord.store.speaker_groups import FULL, LONE, MISTYPED_PERSON_RATIO, RUN, TYPED, NameClass, settle


def test_a_group_is_placed_the_same_whatever_order_its_names_come_in():
    classes = [NameClass(FULL, "person:bill clinton", n=3), NameClass(FULL, "person:william clinton"),
               NameClass(FULL, "person:hillary clinton", n=5), NameClass(LONE, "surname:clinton", "female"),
               NameClass(LONE, "surname:clinton", "unknown", n=2), NameClass(RUN, "person:bill clinton"),
               NameClass(TYPED, "organization:clinton")]
    placed = settle("clinton", classes)
    for seed in range(5):
        shuffled = classes[:]
        random.Random(seed).shuffle(shuffled)
        assert settle("clinton", shuffled) == placed
    # Bill and William are one person (`identity.first_rank` picks the key); the run joins him by his key
    bill = placed[NameClass(FULL, "person:william clinton")]
    assert placed[NameClass(FULL, "person:bill clinton")] == placed[NameClass(RUN, "person:bill clinton")] == bill
    assert bill != placed[NameClass(FULL, "person:hillary clinton")] == "person:hillary clinton"
    assert placed[NameClass(LONE, "surname:clinton", "unknown")] == "surname:clinton"  # two Clintons
    assert placed[NameClass(LONE, "surname:clinton", "female")] == "person:hillary clinton"  # one of her gender
    assert placed[NameClass(TYPED, "organization:clinton")] == "organization:clinton"  # two people: no one's


def test_a_one_word_organisation_joins_the_one_person_only_when_the_corpus_names_them_far_more_often():
    def placed(named: int, typed: int) -> str:
        return settle("trump", [NameClass(FULL, "person:donald trump", n=named),
                                NameClass(TYPED, "organization:trump", n=typed)])[NameClass(TYPED, "organization:trump")]

    assert placed(MISTYPED_PERSON_RATIO * 3, 3) == "person:donald trump"
    assert placed(MISTYPED_PERSON_RATIO * 3 - 1, 3) == "organization:trump"


def test_a_run_with_no_full_name_of_its_key_stays_its_own_and_a_lone_surname_stays_ambiguous():
    placed = settle("smith", [NameClass(RUN, "person:john smith"), NameClass(LONE, "surname:smith", "male")])
    assert placed == {NameClass(RUN, "person:john smith"): "person:john smith",
                      NameClass(LONE, "surname:smith", "male"): "surname:smith"}
