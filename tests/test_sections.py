"""Sections with the real MiniLM encoder: where a reader would file a story."""

from __future__ import annotations

import pytest
from tests.conftest import REPO

from briefing.config import Config, SectionConfig, load_config

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def classifier():
    from briefing.embedding import configured_encoder
    from briefing.sections import SectionClassifier

    config = Config()
    return SectionClassifier(config.sections, configured_encoder(config))


@pytest.mark.parametrize(
    ("headline", "section"),
    [
        # The misfilings a user reported: booster shots under Crime or Science, a protest
        # in Kabul under Crime.
        ("U.S. to offer Covid-19 booster shots to all adults this fall", "Health"),
        ("Taliban disperse women's protest in Kabul with gunfire", "World"),
        ("Governor resigns after harassment inquiry", "Politics"),
        ("Flash floods sweep through Tennessee town", "Disasters & Environment"),
        ("Striker signs for Madrid in record transfer", "Sports"),
    ],
)
def test_reported_misfilings(classifier, headline: str, section: str) -> None:
    assert classifier.classify([headline]) == [section]


def test_keywords_decide_between_sections_that_read_alike() -> None:
    from briefing.embedding import configured_encoder
    from briefing.sections import SectionClassifier

    sections = {
        "A": SectionConfig(description="news", keywords=["ferry"]),
        "B": SectionConfig(description="news"),
    }
    encoder = configured_encoder(Config())
    assert SectionClassifier(sections, encoder).classify(["New ferry timetable"]) == ["A"]
    swapped = {"A": sections["B"], "B": sections["A"]}
    assert SectionClassifier(swapped, encoder).classify(["New ferry timetable"]) == ["B"]


def test_shipped_config_holds_the_default_sections() -> None:
    assert load_config(REPO / "config.yaml").sections == Config().sections
