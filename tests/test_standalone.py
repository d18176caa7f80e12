"""Which source sentences can stand alone in a summary, and what a statement's start loses."""

from __future__ import annotations

import pytest

from briefing.summarise.standalone import leans_back_anew, only_leans_back, why_not_alone
from briefing.text import split_sentences, statement, unbalanced_quotation, without_quotations


@pytest.mark.parametrize(
    ("sentence", "reason"),
    [
        ("That's no longer the case, and the talks have failed.", "points back"),
        ("And so were the two women who met him.", "connective"),
        ("But the remote location spared towns from damage.", "connective"),
        ("Since then, additional talks have failed to resolve differences.", "points back"),
        ("They lament the loss of the old harbour.", "pronoun"),
        ("It comes a day after three bank workers died in an attack.", "pronoun"),
        ("It's the most common form of plague globally.", "pronoun"),
        ("His lawyer said the actress had entered a rehab program.", "pronoun"),
        ("In a statement, he said the plant would close in March.", "pronoun"),
        ("We always have a baby carrier in the car for our hikes.", "pronoun"),
        ("Start your day with the Opening Bell and the market news.", "call to the reader"),
        ("The full schedule is on the site, and you can watch it live.", "first or second person"),
        ("Producers had this to say, “Hugh Jackman is a consummate entertainer.", "cut off"),
        ("The full story of the strike and its causes continues here …", "cut off"),
        ("Seven big questions heading into the debate on Wednesday:", "cut off"),
        ("Russia and Ukraine are set for face-to-face peace talks.", "repeats a headline"),
        ("Meal Prep Menu for Eating Plan A", "not a full sentence"),
    ],
)
def test_sentences_that_lean_on_their_context(sentence: str, reason: str) -> None:
    why = why_not_alone(sentence, ["Russia, Ukraine Set for Face-to-Face Peace Talks"])
    assert why is not None and reason in why, why


@pytest.mark.parametrize(
    "sentence",
    [
        '"We will rebuild this cathedral together," President Emmanuel Macron said.',
        "‘There is no public money, there is only taxpayers’ money,’ the chancellor said.",
        "‘I’d be over the moon,’ said Locke, who replaced Allan Johnston in February.",
        "It is not yet clear whether the talks will resume on Monday.",
        "It is impossible to stay inside when the smoke descends, officials said.",
        "Russia and Ukraine will restart face-to-face peace negotiations in Istanbul.",
    ],
)
def test_sentences_that_stand_alone(sentence: str) -> None:
    assert why_not_alone(sentence, ["Russia, Ukraine Set for Face-to-Face Peace Talks"]) is None


@pytest.mark.parametrize(
    ("first", "expected"),
    [
        ("WASHINGTON — NASA announced that it was adding five companies.", "NASA announced"),
        ("BUFFALO, N.Y. — Hours before the game, the coach spoke.", "Hours before"),
        ("Hong Kong (CNN Business)A muddled view of trade talks weighs on investors.", "A muddled"),
        ("(CNN)A Delaware father is in stable condition after the shooting.", "A Delaware"),
        ("06 / 06 / 13 07:05 PM ET EDT The swimmer died on Thursday at 91.", "The swimmer"),
        ("Dekalb, Ill. — Mike Glass threw for three touchdowns and ran for another.", "Mike Glass"),
        ("March 29 (UPI) -- Russia and Ukraine met in Istanbul for peace talks.", "Russia and"),
        # Not a dateline: a sentence that opens with a name and an aside.
        ("Russia and Ukraine -- the two sides -- will meet in Istanbul on Monday.", "Russia and"),
    ],
)
def test_a_first_sentence_loses_its_dateline(first: str, expected: str) -> None:
    assert (statement(first, 0) or "").startswith(expected)


def test_an_opinion_piece_may_speak_in_its_writers_voice() -> None:
    # The summary attributes it ("..., Jane Doe writes in an opinion piece").
    sentence = "I think the bank raised its rate too soon, and households will pay for it."
    assert why_not_alone(sentence) is not None
    assert why_not_alone(sentence, attributed=True) is None


@pytest.mark.parametrize(
    ("sentence", "leans_only"),
    [
        ("He trains the favourite for his principal patron, who owns the yard.", True),
        ("But the remote location spared towns from damage.", True),
        ("It comes a day after three bank workers died in an attack.", True),
        ("Since then, additional talks have failed to resolve differences.", True),
        # Flawed wherever it stands: no predecessor makes these summary sentences.
        ("But you can watch it live on the site tonight.", False),
        ("And the full story continues here …", False),
        ("Sign up for the newsletter to read more.", False),
        ("The club went unbeaten in six games.", False),  # stands alone: leans on nothing
    ],
)
def test_a_sentence_that_only_leans_on_the_one_before(sentence: str, leans_only: bool) -> None:
    assert only_leans_back(sentence) is leans_only


@pytest.mark.parametrize(
    ("text", "own_voice"),
    [
        ("“We won,” she said.", "she said."),
        ('"We won," she said.', "she said."),
        ("«Nous avons gagné», a-t-elle dit.", ", a-t-elle dit."),
        ("„Wir haben gewonnen“, sagte sie.", ", sagte sie."),
        ("‘I’m fortunate,’ said Locke of the players’ union.", "said Locke of the players’ union."),
        ("Fans called her a ‘gold digger’ online.", "Fans called her a online."),
        ("‘I had a taste of it. I’m fortunate.\n\nHe left.", "He left."),
    ],
)
def test_quotations_in_every_style_are_the_speakers_voice(text: str, own_voice: str) -> None:
    assert " ".join(without_quotations(text).split()) == own_voice


@pytest.mark.parametrize(
    ("sentence", "unbalanced"),
    [
        ("He said ‘we will go.", True),
        ("we did it,” he said.", True),
        ("It was over.’ he said.", True),
        ("He said ‘we will go’ and left.", False),
        ("The players’ union said it’s over.", False),
        ("Fowler hit back at a troll who called her a 'gold digger.'", False),
    ],
)
def test_a_quotation_left_open_or_closed_without_opening(sentence: str, unbalanced: bool) -> None:
    assert unbalanced_quotation(sentence) is unbalanced


def test_a_rank_before_a_name_does_not_end_a_sentence() -> None:
    text = "She left with her boyfriend, Army Spc. Caleb Barnes, for a concert. Rev. Al Green sang."
    assert len(split_sentences(text)) == 2


def test_initials_before_a_name_do_not_end_a_sentence() -> None:
    # From a held-out read: "studied English with J.R.R." was picked as a summary sentence.
    text = (
        "Mr Hardy studied English with J.R.R. Tolkien and is now an expert on the longbow. "
        "He met J.K. Rowling. It rained at 9 p.m. The police came."
    )
    assert split_sentences(text) == [
        "Mr Hardy studied English with J.R.R. Tolkien and is now an expert on the longbow.",
        "He met J.K. Rowling.",
        "It rained at 9 p.m.",
        "The police came.",
    ]


def test_a_time_of_day_goes_on_with_its_date_day_or_zone() -> None:
    # From a read of real news: "no inmate checks were made from 10:30 p.m." was picked.
    text = (
        "No checks were made from 10:30 p.m. Aug. 9 to 6:30 a.m. the next morning. "
        "Doors open at 8 a.m. Tuesday and at 9 p.m. ET on Friday. It ended at 10 p.m. "
        "Mark left."
    )
    assert split_sentences(text) == [
        "No checks were made from 10:30 p.m. Aug. 9 to 6:30 a.m. the next morning.",
        "Doors open at 8 a.m. Tuesday and at 9 p.m. ET on Friday.",
        "It ended at 10 p.m.",
        "Mark left.",
    ]


@pytest.mark.parametrize(
    ("source", "compression", "refused"),
    [
        # The source speaks to the reader; its compression may not also lean on what went.
        (
            "Look for lean proteins that help you feel full, so you're less tempted by snacks.",
            "So you're less tempted by snacks.",
            True,
        ),
        ("Look for lean proteins, which help you feel full.", "Look for lean proteins.", False),
        # A source that leans back already is judged where it stands, not here.
        ("But he left early on Tuesday.", "But he left early.", False),
    ],
)
def test_a_compression_may_not_lean_back_where_its_source_did_not(
    source: str, compression: str, refused: bool
) -> None:
    assert (leans_back_anew(source, compression) is not None) == refused
