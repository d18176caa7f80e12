"""Embeddings of one day of a heavy reader's feeds, here and from llama.cpp's own server.

    python -m benchmarks.embedding_server [--articles 2000] [--json FILE]

The day is `benchmarks.scale`'s one more day (generated, every event its own place, person
and organisation); its texts are what grouping embeds of each article (headline and opening
sentences), each distinct text once. Timed: the local model as configured (ONNX Runtime,
int8 where the CPU has VNNI), then `grouping.embedding_server` against llama.cpp servers on
loopback serving a GGUF of the same model (`briefing embedding-gguf`): one with every core,
then one per core. Printed per way: seconds, texts a second, and the least and mean cosine of
its vectors to the local model's. On one machine the servers share its cores with nothing to
gain; the figure says what a server adds or costs per text, for sizing one elsewhere.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from benchmarks.generated_news import write_inbox
from benchmarks.scale import ADD_DAY, _parse
from benchmarks.speed import table


def day_texts(folder: Path, articles: int) -> list[str]:
    """The distinct texts grouping embeds for `articles` generated articles of one day."""
    from briefing.config import Config
    from briefing.similarity import embedding_texts

    words = Config().grouping.embedding_words
    parsed = _parse(write_inbox(folder, articles, seed=11, days=1, varied=True))
    return list(dict.fromkeys(t for a in parsed for t in embedding_texts(a, words)))


def timed(encoder: Any, texts: list[str], reference: np.ndarray | None) -> dict[str, float]:
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    seconds = time.perf_counter() - started
    figures = {"seconds": seconds, "texts_per_second": len(texts) / seconds}
    if reference is not None:
        cosines = (vectors * reference).sum(axis=1)
        figures |= {"min_cosine": float(cosines.min()), "mean_cosine": float(cosines.mean())}
    return figures


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=ADD_DAY, help="articles in the day")
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)

    from tests.servers import llama_servers

    from briefing.config import Config
    from briefing.embedding import configured_encoder, run_encoder
    from briefing.embedding.gguf_export import write_gguf

    cores = os.cpu_count() or 1
    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        texts = day_texts(root / "inbox", args.articles)
        print(f"{args.articles} articles: {len(texts)} distinct texts to embed", flush=True)
        local = configured_encoder(Config())
        local.encode(texts[:8])  # loaded and warm
        reference = local.encode(texts)
        results[f"here ({local.name})"] = timed(local, texts, None)
        gguf = write_gguf(root / "model.gguf", Config().grouping.embedding_model)
        for count, threads in ((1, cores), (cores, 1)):
            with llama_servers(root, count, threads, embedding_model=gguf) as servers:
                config = Config.model_validate(
                    {
                        "grouping": {
                            "embedding_server": {
                                "endpoints": [s.url for s in servers],
                                "concurrency": count,
                            }
                        }
                    }
                )
                encoder = run_encoder(config)
                encoder.encode(texts[:8])  # checked against the local model, warm
                label = f"{count} llama.cpp server(s) x {threads} thread(s)"
                results[label] = timed(encoder, texts, reference)
                print(f"  {label}: done", flush=True)

    rows = [
        [
            label,
            f"{f['seconds']:.1f}",
            f"{f['texts_per_second']:.0f}",
            f"{f['min_cosine']:.5f}" if "min_cosine" in f else "-",
            f"{f['mean_cosine']:.6f}" if "mean_cosine" in f else "-",
        ]
        for label, f in results.items()
    ]
    table(rows, ["embedded by", "s", "texts/s", "least cosine", "mean cosine"])
    if args.json:
        args.json.write_text(json.dumps(results, indent=2), encoding="utf-8")


if __name__ == "__main__":
    main()
