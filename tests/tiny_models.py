"""Tiny, randomly initialised transformers models built from a config: no downloads.

They exercise the real loading (`from_pretrained` on a folder) and generation code paths.
"""

from __future__ import annotations

from pathlib import Path

import torch
from tokenizers import Tokenizer, models, pre_tokenizers
from transformers import (
    BartConfig,
    BartForConditionalGeneration,
    LlamaConfig,
    LlamaForCausalLM,
    PreTrainedTokenizerFast,
)

WORDS = (
    "the talks in istanbul russia ukraine met on monday and peace negotiators said were "
    "a of to for with by . , facts : write summary these sentences - 1 2 3 system user "
    "assistant"
).split()
SPECIAL = ["<pad>", "<s>", "</s>", "<unk>"]
CHAT_TEMPLATE = (
    "{% for m in messages %}{{ m['role'] }} : {{ m['content'] }}\n{% endfor %}"
    "{% if add_generation_prompt %}assistant : {% endif %}"
)


def tiny_tokenizer(chat: bool) -> PreTrainedTokenizerFast:
    vocab = {token: i for i, token in enumerate(SPECIAL + WORDS)}
    core = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    core.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=core,
        pad_token="<pad>",
        bos_token="<s>",
        eos_token="</s>",
        unk_token="<unk>",
    )
    if chat:
        tokenizer.chat_template = CHAT_TEMPLATE
    return tokenizer


# Token ids shared by both tiny models (see SPECIAL).
IDS = {"pad_token_id": 0, "bos_token_id": 1, "eos_token_id": 2, "max_position_embeddings": 512}


def _save(model_class: type, config: object, chat: bool, folder: Path) -> Path:
    """Initialise `model_class` from `config` with a fixed seed and save it with a tokenizer."""
    torch.manual_seed(0)
    model_class(config).save_pretrained(folder)
    tiny_tokenizer(chat=chat).save_pretrained(folder)
    return folder


def save_tiny_causal(folder: Path) -> Path:
    config = LlamaConfig(
        vocab_size=len(SPECIAL + WORDS),
        hidden_size=16,
        intermediate_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        num_key_value_heads=1,
        **IDS,
    )
    return _save(LlamaForCausalLM, config, True, folder)


def save_tiny_seq2seq(folder: Path) -> Path:
    config = BartConfig(
        vocab_size=len(SPECIAL + WORDS),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        decoder_start_token_id=2,
        forced_eos_token_id=2,
        **IDS,
    )
    return _save(BartForConditionalGeneration, config, False, folder)
