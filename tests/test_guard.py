"""The faithfulness guard on crafted sentences against the two real seed articles."""

from __future__ import annotations

import pytest
from tests.conftest import SEED_MOSCOW_TIMES, SEED_UPI

from briefing.config import Config
from briefing.facts import fact_terms, names_in, numbers_in
from briefing.ingest import parse_article
from briefing.summarise.guard import SourceFacts


@pytest.fixture(scope="module")
def seeds():
    return [
        parse_article(p, p.read_bytes(), p.stat().st_mtime, Config())
        for p in (SEED_UPI, SEED_MOSCOW_TIMES)
    ]


@pytest.fixture(scope="module")
def facts(seeds) -> SourceFacts:
    return SourceFacts.from_articles(seeds)


@pytest.mark.parametrize(
    ("sentence", "problem"),
    [
        (
            "Negotiators met in Istanbul, where Kyrgyzstan offered to mediate.",
            "name 'Kyrgyzstan' is in no source",
        ),
        (
            "President Petro Samuarki hosted the talks in Istanbul.",
            "name 'Samuarki' is in no source",
        ),
        (
            "About 50,084 people have been killed, according to Zelensky.",
            "number 50,084 is in no source",
        ),
        ("The talks recalled a 1956 treaty.", "number 1,956 is in no source"),
        (
            'Erdogan said a solution was "possible for the whole world".',
            'quote "possible for the whole world" is in no source',
        ),
        # A real quote with one word changed is a misquote.
        (
            'Zelensky said: "Our goal is obvious – peace and the restoration of normal life in our '
            'native land as soon as possible."',
            "is in no source",
        ),
    ],
)
def test_unsupported_claims_fail(facts: SourceFacts, sentence: str, problem: str) -> None:
    result = facts.check(sentence)
    assert not result.ok
    assert any(problem in p for p in result.problems), result.problems


@pytest.mark.parametrize(
    "sentence",
    [
        # "two weeks" in the source, "2 weeks" here; "March 28" vs "28 March" style dates.
        "Russia and Ukraine held their first face-to-face talks in 2 weeks in Istanbul.",
        "The talks in Istanbul began on 29 March, hosted by Erdogan.",
        # Name variants: surname alone, full name, inflected country names.
        "Recep Tayyip Erdogan urged Russian and Ukrainian negotiators to reach a solution.",
        "About 170,000 civilians are encircled in Mariupol.",
        "Zelensky said about 20,000 people had been killed.",
        'Ukraine\'s foreign ministry called the situation in Mariupol "catastrophic".',
    ],
)
def test_supported_sentences_pass(facts: SourceFacts, sentence: str) -> None:
    result = facts.check(sentence)
    assert result.ok, result.problems


def test_supporting_ids_name_the_articles_that_state_the_claims(seeds, facts) -> None:
    upi, moscow_times = seeds
    assert facts.check("Oleksandr Vilkul spoke of Kryvyi Rih.").supporting_ids == (upi.id,)
    assert facts.check("Kyrylo Budanov warned of a Korea-like split.").supporting_ids == (
        moscow_times.id,
    )
    # One article states every claim: cite just that one.
    one = facts.check("Talks in Istanbul were hosted by Erdogan with Zelensky's backing.")
    assert one.supporting_ids == (upi.id,)
    # Claims from two articles: cite both.
    both = facts.check("Erdogan hosted the talks while Budanov warned of a Korea-like split.")
    assert set(both.supporting_ids) == {upi.id, moscow_times.id}


def test_claim_extraction() -> None:
    assert numbers_in("two weeks, 2 weeks, $160 million, 1.5 billion, 6th, 20%") == {
        2.0,
        160e6,
        1.5e9,
        6.0,
        20.0,
    }
    assert names_in("The talks in Istanbul were hosted by Erdogan's office in May.") == [
        "Istanbul",
        "Erdogan's",
        "May",
    ]


def test_fact_terms_are_the_names_and_numbers_a_text_states() -> None:
    text = "Recep Tayyip Erdoğan said on Tuesday the talks would last 2 weeks. The U.S. agreed."
    assert fact_terms(text) == ["recep", "tayyip", "erdogan", "tuesday", "#2", "us"]
    assert fact_terms("the talks went on, and they said so.") == []
