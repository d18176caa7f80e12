"""Opinion and analysis pieces: recognised at ingest, stored, marked in the briefing and never
summarised as facts (real readers, a real SQLite file, real templates)."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from dataclasses import replace
from pathlib import Path

import pytest
from tests.test_compress import ScriptedModel
from tests.test_summarise_parts import WordEncoder

from briefing.config import Config
from briefing.ingest import parse_article
from briefing.ingest.kind import article_kind
from briefing.records import Article, Story
from briefing.store import Store
from briefing.summarise import Summariser
from briefing.summarise.guard import content_words

NEWS_BODY = (
    "The Bank of Nordland raised its main interest rate to 1.25 percent on Wednesday. "
    "Governor Anders Lykke said the bank expected inflation to peak in the summer. "
    "Several of the largest banks said they would review their mortgage rates."
)
OPINION_BODY = (
    "The Bank of Nordland raised its rate again, and it is making a grave mistake. "
    "Households already struggle with their mortgages and will now struggle more. "
    "The governor should have waited for the summer figures before acting."
)


@pytest.mark.parametrize(
    ("url", "title", "labels", "body", "expected"),
    [
        (
            "https://www.nytimes.com/2019/11/19/opinion/republicans.html",
            None,
            [],
            NEWS_BODY,
            "opinion",
        ),
        (
            "https://www.theguardian.com/commentisfree/2019/nov/18/view",
            None,
            [],
            NEWS_BODY,
            "opinion",
        ),
        ("https://example.com/news-analysis/2021/rates", None, [], NEWS_BODY, "analysis"),
        (None, None, ["Opinion"], NEWS_BODY, "opinion"),
        (None, "Opinion | Republicans Are Following Trump to Nowhere", [], NEWS_BODY, "opinion"),
        (None, "Analysis: What the rate rise means", [], NEWS_BODY, "analysis"),
        (None, "The Guardian view on Hong Kong: a city on the brink", [], NEWS_BODY, "opinion"),
        (
            None,
            "My hiking kit",
            [],
            "I love hiking. We always pack water. My kids carry snacks. Our dog comes too. "
            "The trail was long.",
            "opinion",
        ),
        # A report that quotes people in the first person is still news; so is a slug
        # that happens to contain "opinion".
        (
            "https://example.com/news/2021/opinion-poll-shows-lead",
            "Poll shows lead",
            ["News"],
            '"We will win," the candidate said. "I am confident," she added. '
            "The poll was taken on Monday. It surveyed 1,000 voters.",
            "news",
        ),
        # A quotation of several sentences is still the speaker's voice, not the writer's.
        (
            None,
            "'We will hunt you down': Biden vows to retaliate",
            [],
            "President Joe Biden vowed on Thursday to retaliate for the bombing. "
            '"We will not forgive. We will not forget. We will hunt you down and make you '
            'pay," Biden said at the White House. He said the evacuation would go on.',
            "news",
        ),
        # British quotation marks, a quotation running over paragraphs (each paragraph opens
        # it, only the last closes it), apostrophes inside the quotes: the speaker's voice.
        (
            None,
            "Kilmarnock confirm Locke as manager",
            [],
            "Gary Locke will be confirmed as Kilmarnock’s permanent manager on Friday.\n\n"
            "‘I’d be over the moon to get it as it’s something I’ve worked hard towards,’ "
            "said Locke.\n\n‘I had a taste of it at Hearts. I’m fortunate I was put into "
            "this position. It’s a fantastic opportunity.\n\n‘We have worked so hard and I "
            "can’t praise the players highly enough.’\n\nThe club went unbeaten in six games.",
            "news",
        ),
        # Straight quotes that reopen at each quoted sentence and close only at the end of
        # the quotation (as the BBC prints them): still the speaker's voice.
        (
            None,
            "Striker rejects criticism",
            [],
            "The striker has rejected claims that his form is fading.\n\n"
            'He denied it, saying: "That is not fair. "We have been training hard. We had '
            'injuries. I came back." But he added: "My knee still hurts. I need a rest.\n\n'
            '"We will see. I know I can score." The club said he would play on Sunday.',
            "news",
        ),
        # "mine" the pit, not the pronoun.
        (
            None,
            "First miners reach the surface",
            [],
            "The first of 33 miners trapped in a collapsed mine were hoisted out on Wednesday. "
            "One hugged his son as crowds outside the mine cheered. The rescue takes 36 hours.",
            "news",
        ),
    ],
)
def test_the_kind_of_a_piece(
    url: str | None, title: str | None, labels: list[str], body: str, expected: str
) -> None:
    assert article_kind(url, title, labels, body)[0] == expected


def test_readers_find_the_label(tmp_path: Path) -> None:
    page = tmp_path / "column.html"
    page.write_text(
        "<html><head><title>Rates are rising too fast</title>"
        '<meta property="article:section" content="Opinion"></head><body><article>'
        f"<h1>Rates are rising too fast</h1><p>{OPINION_BODY}</p><p>{OPINION_BODY}</p>"
        "</article></body></html>"
    )
    clipping = tmp_path / "column.txt"
    clipping.write_text(f"OPINION\n\nRates are rising too fast\n\nBy Jane Doe\n\n{OPINION_BODY}\n")
    config = Config()
    for path in (page, clipping):
        assert parse_article(path, path.read_bytes(), 0, config).kind == "opinion", path.name


def article(kind: str, body: str, n: int) -> Article:
    return Article(
        id=f"{kind}{n}",
        path=f"{kind}{n}.txt",
        date=dt.date(2022, 3, 30),
        date_source="text",
        title="Nordland central bank raises interest rate",
        byline="Jane Doe" if kind != "news" else "Katrin Solberg",
        outlet="Nordland Post",
        url=None,
        body=body,
        kind=kind,  # type: ignore[arg-type]
    )


def summarise(story: Story) -> list:
    texts = [a.body for a in story.articles]
    encoder = WordEncoder([w for t in texts for w in content_words(t)])
    config = Config()
    config = config.model_copy(
        update={"summary": config.summary.model_copy(update={"mode": "extract"})}
    )
    return list(Summariser(config, encoder, ScriptedModel).summarise(story).sentences)


def test_a_story_with_news_is_summarised_from_the_news_only() -> None:
    news, column = article("news", NEWS_BODY, 1), article("opinion", OPINION_BODY, 2)
    sentences = summarise(Story("s", "Rates", "Business", (column, news)))
    assert sentences and all(s.source_ids == (news.id,) for s in sentences)
    assert not any("mistake" in s.text for s in sentences)


def test_an_opinion_only_story_is_attributed_to_its_writer() -> None:
    column = article("opinion", OPINION_BODY, 1)
    sentences = summarise(Story("s", "Rates", "Business", (column,)))
    assert sentences
    for s in sentences:
        assert s.text.endswith(", Jane Doe writes in an opinion piece for Nordland Post.")
        assert s.view_of == column.id


def test_a_file_name_standing_in_for_an_outlet_is_no_writer() -> None:
    column = replace(article("opinion", OPINION_BODY, 1), byline=None, outlet="sport-445.txt")
    column = replace(column, path="/inbox/sport-445.txt")
    sentences = summarise(Story("s", "Rates", "Business", (column,)))
    assert sentences
    for s in sentences:
        assert s.text.endswith(", its writer argues in an opinion piece.")


def test_a_store_from_before_kinds_learns_them(tmp_path: Path) -> None:
    path = tmp_path / "briefing.sqlite"
    old = sqlite3.connect(path)
    old.executescript(
        "CREATE TABLE articles (id TEXT PRIMARY KEY, path TEXT NOT NULL, date TEXT NOT NULL,"
        " date_source TEXT NOT NULL, title TEXT, byline TEXT, outlet TEXT, url TEXT,"
        " language TEXT NOT NULL, body TEXT NOT NULL, ingested_at TEXT NOT NULL);"
        "INSERT INTO articles VALUES ('a', 'a.html', '2019-11-19', 'text', 'Republicans',"
        " NULL, 'NYT', 'https://www.nytimes.com/2019/11/19/opinion/x.html', 'en', 'Text.',"
        " '2019-11-19T00:00:00');"
        "INSERT INTO articles VALUES ('b', 'b.html', '2019-11-19', 'text', 'Rates', NULL,"
        " 'NYT', 'https://www.nytimes.com/2019/11/19/business/x.html', 'en', 'Text.',"
        " '2019-11-19T00:00:00');"
        "CREATE TABLE files (path TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER"
        " NOT NULL, sha256 TEXT NOT NULL, status TEXT NOT NULL, article_id TEXT, reason TEXT,"
        " updated_at TEXT NOT NULL);"
        "INSERT INTO files VALUES ('a.html', 1, 1, 'x', 'ingested', 'a', NULL, '2019-11-19');"
        "INSERT INTO files VALUES ('b.html', 1, 1, 'y', 'ingested', 'b', NULL, '2019-11-19');"
        "PRAGMA user_version=1;"
    )
    old.close()
    with Store(path) as store:
        kinds = {
            a.id: a.kind for a in store.articles_between(dt.date(2019, 11, 1), dt.date(2019, 12, 1))
        }
    assert kinds == {"a": "opinion", "b": "news"}


def test_the_briefing_marks_opinion(make_project, sample_files: list[Path]) -> None:
    from tests.test_cli import invoke

    config = make_project(sample_files, summary={"mode": "extract"})
    (config.inbox / "zz_column.txt").write_text(
        "OPINION\n\nNordland's rate rise is a mistake\n\nBy Jane Doe\n\nDate: 2022-03-30\n\n"
        + OPINION_BODY
        + "\n"
    )
    result = invoke(config, "run", "--from", "2022-03-28", "--to", "2022-03-30")
    assert result.exit_code == 0, result.output
    data = json.loads(next(config.output_dir.glob("*.json")).read_text())
    sources = [s for story in data["stories"] for s in story["sources"]]
    assert any(s["kind"] == "opinion" and s["byline"] == "Jane Doe" for s in sources)
    assert "*Opinion*" in next(config.output_dir.glob("*.md")).read_text()


def test_a_text_with_no_statement_gives_its_opening_not_its_whole_body() -> None:
    listing = "\n".join(f"Item number {n} on the long list of things" for n in range(40))
    sentences = summarise(Story("s", "List", "Culture", (article("news", listing, 1),)))
    assert len(sentences) == 1 and len(sentences[0].text) <= 300
    assert sentences[0].text.startswith("Item number 0")
