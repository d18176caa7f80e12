"""The int8 rewrite of matrix products (onnx_int8), run by ONNX Runtime on small graphs: close to
float32, and a row's result never depends on the other rows of its batch."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime
import pytest
from onnx import TensorProto, helper, numpy_helper

from briefing.config import Config
from briefing.embedding import int8_wanted, onnx_int8
from briefing.embedding.onnx_int8 import quantise_per_token, vnni_in
from briefing.modelfiles import resolve_model


def linear_model(weights: np.ndarray, opset: int) -> onnx.ModelProto:
    """x (batch, tokens, k) -> tanh(x @ weights) @ weights.T: two products on constants, and
    one product of two inputs (x @ x^T per batch), which stays float32."""
    k, n = weights.shape
    nodes = [
        helper.make_node("MatMul", ["x", "w"], ["h"]),
        helper.make_node("Tanh", ["h"], ["t"]),
        helper.make_node("MatMul", ["t", "w_t"], ["y"]),
        helper.make_node("Transpose", ["x"], ["x_t"], perm=[0, 2, 1]),
        helper.make_node("MatMul", ["x", "x_t"], ["gram"]),
    ]
    graph = helper.make_graph(
        nodes,
        "linear",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, ["batch", "tokens", k])],
        [
            helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch", "tokens", k]),
            helper.make_tensor_value_info("gram", TensorProto.FLOAT, ["batch", "tokens", "tokens"]),
        ],
        [numpy_helper.from_array(weights, "w"), numpy_helper.from_array(weights.T.copy(), "w_t")],
    )
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", opset)])


def run(model: onnx.ModelProto, x: np.ndarray) -> list[np.ndarray]:
    session = onnxruntime.InferenceSession(
        model.SerializeToString(), providers=["CPUExecutionProvider"]
    )
    return list(session.run(None, {"x": x}))


@pytest.mark.parametrize("opset", [17, 18])
def test_products_on_constants_run_in_int8_per_token(opset: int) -> None:
    rng = np.random.default_rng(7)
    weights = rng.normal(size=(64, 96)).astype(np.float32) / 8
    x = rng.normal(size=(3, 5, 64)).astype(np.float32)
    x[2] *= 50  # a text whose values are far larger than the others'

    model = linear_model(weights, opset)
    expected_y, expected_gram = run(model, x)
    assert quantise_per_token(model) == 2
    onnx.checker.check_model(model)
    kinds = [node.op_type for node in model.graph.node]
    assert kinds.count("MatMulIntegerToFloat") == 2 and kinds.count("MatMul") == 1
    assert {i.name for i in model.graph.initializer}.isdisjoint({"w", "w_t"})

    y, gram = run(model, x)
    np.testing.assert_array_equal(gram, expected_gram)  # not on a constant: untouched
    error = np.abs(y - expected_y).max(axis=-1) / np.abs(expected_y).max(axis=-1)
    if onnx_int8.int8_pays():
        # Of the largest value of its row, after two products. Without VNNI ONNX Runtime's
        # u8 x s8 products saturate (why embedding_int8: auto keeps float32 there).
        assert error.max() < 0.05
    # Each token's scale is its own: the first text alone reads as it does beside the third.
    alone = run(model, x[:1])[0]
    np.testing.assert_allclose(alone, y[:1], rtol=0, atol=1e-6)
    # And a token is not flattened by a loud neighbour in its own text.
    x[0, 0] *= 100
    louder = run(model, x)[0]
    np.testing.assert_allclose(louder[0, 1:], y[0, 1:], rtol=0, atol=1e-6)


def test_int8_is_chosen_by_default_only_where_the_cpu_has_vnni(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    assert vnni_in("processor\t: 0\nflags\t\t: fpu sse2 avx2 avx512f avx512_vnni amx_int8\n")
    assert vnni_in("flags\t\t: fpu avx2 avx_vnni\n")
    assert not vnni_in("flags\t\t: fpu sse2 avx2 avx512f\n")
    assert not vnni_in("")
    source = resolve_model(Config().grouping.embedding_model)
    monkeypatch.setattr(onnx_int8, "int8_pays", lambda: False)
    assert not int8_wanted("auto", source)
    assert int8_wanted(True, source) and not int8_wanted(False, source)
    monkeypatch.setattr(onnx_int8, "int8_pays", lambda: True)
    assert int8_wanted("auto", source)
