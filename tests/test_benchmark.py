"""The quality benchmark: metric code on hand-computed examples, and an end-to-end run on a
tiny labelled corpus built from the sample inbox."""

from __future__ import annotations

import gzip
import json
import shutil
from pathlib import Path

import pytest
from benchmarks.metrics import bcubed, count_claims, pairwise, rouge
from tests.conftest import SAMPLE_INBOX, SEED_UPI, is_subsequence, words

from briefing.config import Config
from briefing.ingest import parse_article
from briefing.summarise.guard import SourceFacts


def test_pairwise_by_hand() -> None:
    # Predicted {0,1}{2,3}; gold {0,1,2}{3}. Predicted pairs (0,1),(2,3); gold pairs
    # (0,1),(0,2),(1,2); one in common: P = 1/2, R = 1/3.
    score = pairwise([1, 1, 2, 2], ["a", "a", "a", "b"])
    assert (score.precision, score.recall) == pytest.approx((1 / 2, 1 / 3))
    assert score.f1 == pytest.approx(2 * (1 / 2) * (1 / 3) / (1 / 2 + 1 / 3))


def test_bcubed_by_hand() -> None:
    # Per item (precision, recall): 0 (1, 2/3), 1 (1, 2/3), 2 (1/2, 1/3), 3 (1/2, 1).
    score = bcubed([1, 1, 2, 2], ["a", "a", "a", "b"])
    assert score.precision == pytest.approx((1 + 1 + 0.5 + 0.5) / 4)
    assert score.recall == pytest.approx((2 / 3 + 2 / 3 + 1 / 3 + 1) / 4)
    perfect = bcubed(["x", "x", "y"], [7, 7, 9])
    assert (perfect.precision, perfect.recall, perfect.f1) == (1.0, 1.0, 1.0)


def test_rouge_by_hand() -> None:
    # Unigrams: 5 of 6 shared; bigrams: "the cat", "on the", "the mat" of 5 shared.
    scores = rouge("the cat sat on the mat", ["the cat lay on the mat", "unrelated words"])
    assert scores["rouge1"] == pytest.approx(5 / 6)
    assert scores["rouge2"] == pytest.approx(3 / 5)
    assert scores["rougeL"] == pytest.approx(5 / 6)


def test_unsupported_claims_by_hand() -> None:
    upi = parse_article(SEED_UPI, SEED_UPI.read_bytes(), 0, Config())
    facts = SourceFacts.from_articles([upi])
    # Claims: Erdogan, Istanbul (2 names) + Kyrgyzstan (unsupported) ; 1956 (unsupported).
    count = count_claims(
        ["Erdogan hosted talks in Istanbul.", "Kyrgyzstan cited a 1956 pact."], facts
    )
    assert (count.claims, count.unsupported) == (4, 2)
    assert count.share == 0.5


@pytest.mark.slow
def test_benchmark_runs_end_to_end_on_a_tiny_corpus(tmp_path: Path, capsys) -> None:
    from benchmarks.quality import QUOTED_REASONS, main
    from tests.tiny_models import save_tiny_causal

    corpus = tmp_path / "corpus"
    (corpus / "inbox").mkdir(parents=True)
    labels = {
        "000_73de24e156fff588.txt": "talks",
        "004_fa1a19d97a69d7e0.txt": "talks",
        "101_caldmouth_courier.html": "strike",
        "102_harbour_business_daily.eml": "strike",
        "110_riverton_herald.txt": "library",
    }
    for name in labels:
        shutil.copy(SAMPLE_INBOX / name, corpus / "inbox" / name)
    gold = {
        "articles": {
            name: {"story_id": story, "topic_id": story} for name, story in labels.items()
        },
        "stories": {s: [n for n, x in labels.items() if x == s] for s in set(labels.values())},
        "references": {"talks": "Russia and Ukraine held face-to-face peace talks in Istanbul."},
    }
    (corpus / "gold.json").write_text(json.dumps(gold), encoding="utf-8")
    model = save_tiny_causal(tmp_path / "tiny")
    config = tmp_path / "config.yaml"
    config.write_text(f"summary:\n  model: {model}\n", encoding="utf-8")

    samples, quoted = tmp_path / "samples.txt", tmp_path / "quoted.txt"
    main(
        [
            *("--corpus", str(corpus), "--config", str(config), "--guard-calibration"),
            *("--modes", "compress,extract", "--samples", str(samples), "--quoted", str(quoted)),
        ]
    )
    out = capsys.readouterr().out
    assert "5 articles read, 0 rejected" in out
    assert "Grouping: 5 articles, 3 gold stories" in out
    assert "1.000/1.000/1.000" in out  # three clean stories: perfect grouping
    assert "Summaries: 3 of 3 predicted stories" in out
    rows = {line.split()[0]: line for line in out.splitlines() if line.split()[:1]}
    # The compressed summaries state nothing the sources do not (by construction, and checked).
    assert "0.0% (0/" in rows["compress"] and "0.0% (0/" in rows["extract"]
    assert rows["extract"].split()[1] == "0/" + rows["extract"].split()[1].split("/")[1]
    assert "n/a" not in rows["lead-3"]  # ROUGE against the reference of the talks story
    assert "Guard calibration" in out
    # Every sample pairs a compressed sentence with its source (the source's words, in order)
    # and the summary sentence it follows.
    lines = samples.read_text(encoding="utf-8").splitlines()
    assert lines, "the tiny model shortened at least one sentence"
    for source, compressed, after in zip(lines[1::5], lines[2::5], lines[3::5], strict=True):
        assert source.startswith("source:") and compressed.startswith("compressed:")
        assert is_subsequence(words(compressed.removeprefix("compressed:")), words(source[7:]))
        assert after.startswith("after:")
    # Each sentence a compressed summary quotes whole is listed with why the model wrote none,
    # and the reasons add up to the sentences quoted.
    reasons = [line.split("\t") for line in quoted.read_text(encoding="utf-8").splitlines()]
    assert reasons and all(why in QUOTED_REASONS and text for why, text in reasons)
    counted = next(line for line in out.splitlines() if line.startswith("compress: quoted whole"))
    assert counted.startswith(f"compress: quoted whole {len(reasons)}:")


def test_the_judged_compression_set_is_whole_and_split_before_the_rules() -> None:
    import hashlib

    from benchmarks.compressions import LABELS, load

    pairs = load()
    assert len(pairs) >= 300 and {p.label for p in pairs} <= set(LABELS)
    assert len({p.corpus for p in pairs}) >= 3
    for pair in pairs:
        digest = hashlib.sha256(f"{pair.corpus}/{pair.article}".encode()).digest()
        assert pair.half == ("dev" if digest[0] % 2 == 0 else "held-out"), pair
        # Every compression is the source with words deleted, in order.
        assert is_subsequence(words(pair.compression), words(pair.source)), pair
    before = [p for p in pairs if p.rules == "before"]
    assert {p.half for p in before} == {"dev", "held-out"}


def test_the_article_extraction_corpus_keeps_english_news_with_its_page_headline(
    tmp_path: Path,
) -> None:
    from benchmarks.corpora.build_aeb import main

    checkout = tmp_path / "benchmark"
    (checkout / "html").mkdir(parents=True)
    english = " ".join(["The council said it would vote on the plan in the spring."] * 20)
    german = " ".join(["Der Rat sagte, er werde im Frühjahr über den Plan abstimmen."] * 20)
    truth = {}
    for page_id, body in (("aa11", english), ("bb22", german)):
        truth[page_id] = {"articleBody": body, "url": f"https://example.org/{page_id}"}
        page = (
            "<html><head><title>Council to vote on the plan</title>"
            '<meta property="article:published_time" content="2019-11-19T10:00:00Z">'
            f"</head><body><p>{body}</p></body></html>"
        )
        (checkout / "html" / f"{page_id}.html.gz").write_bytes(gzip.compress(page.encode()))
    (checkout / "ground-truth.json").write_text(json.dumps(truth), encoding="utf-8")
    main([str(checkout), str(tmp_path / "out")])
    written = list((tmp_path / "out").glob("aeb-*/inbox/*.txt"))
    assert [p.name for p in written] == ["aa11.txt"]
    text = written[0].read_text(encoding="utf-8")
    assert text.startswith("date 2019-11-19\n\nCouncil to vote on the plan\n\nThe council said")
    assert text.rstrip().endswith("Source: https://example.org/aa11")


def test_the_section_benchmark_files_a_headline_with_its_article_lead(tmp_path: Path) -> None:
    from benchmarks.sections import with_leads

    inbox = tmp_path / "corpus" / "inbox"
    inbox.mkdir(parents=True)
    (inbox / "a.txt").write_text(
        "date 2019-11-19\n\nCells That Taste Danger | Quanta Magazine\n\n"
        "Researchers traced taste receptors in the gut. They set off immune responses. "
        "A third sentence. A fourth one. A fifth one.\n",
        encoding="utf-8",
    )
    led = with_leads(["Cells That Taste Danger", "Another headline"], [tmp_path / "corpus"])
    assert led[0].startswith("Cells That Taste Danger")
    assert "set off immune responses." in led[0] and "fourth" in led[0]  # as many as
    assert "fifth" not in led[0]  # grouping.SECTION_LEAD_SENTENCES
    assert led[1] == "Another headline"


def test_the_bbc_corpus_keeps_each_article_with_its_desk_as_a_section(tmp_path: Path) -> None:
    from benchmarks.corpora.build_bbc import DESKS, main
    from benchmarks.sections import corpus_rows

    for desk in DESKS:
        (tmp_path / "bbc" / desk).mkdir(parents=True)
    (tmp_path / "bbc" / "tech" / "001.txt").write_text(
        "Xbox power cable 'fire fear'\n\nMicrosoft has said it will replace more than 14 "
        "million power cables for its Xbox consoles. The cables could overheat.\n",
        encoding="utf-8",
    )
    main([str(tmp_path / "bbc"), str(tmp_path / "out")])
    (corpus,) = [c for c in (tmp_path / "out").iterdir() if any((c / "inbox").iterdir())]
    gold = json.loads((corpus / "gold.json").read_text(encoding="utf-8"))
    assert gold["articles"]["tech-001.txt"]["section"] == "Science & Technology"
    ((part, section, text),) = corpus_rows(corpus)
    assert section == "Science & Technology" and part.endswith(corpus.name)
    assert text.startswith("Xbox power cable 'fire fear'. Microsoft has said")
