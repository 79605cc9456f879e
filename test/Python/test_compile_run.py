"""Compiling the bundled CNN from Python and running it."""
import os

import numpy as np
import pytest

import mc


def accuracy(logits, labels):
    return float((logits.argmax(axis=1) == labels).mean())


def test_float_accuracy_matches_pytorch(cnn_model, sample, cnn_reference):
    images, labels = sample
    logits = cnn_model(images)
    assert logits.shape == (len(images), 10) and logits.dtype == np.float32
    # PyTorch's accuracy on the same 1000 images: 91.60%; float
    # reassociation may flip at most a couple of borderline images.
    assert abs(accuracy(logits, labels) -
               cnn_reference["pytorch_sample_accuracy"]) <= 0.002


def test_int8_accuracy_close_to_float(cnn_model, cnn_int8, sample):
    images, labels = sample
    float_acc = accuracy(cnn_model(images), labels)
    int8_acc = accuracy(cnn_int8(images), labels)
    assert abs(int8_acc - float_acc) <= 0.01, (float_acc, int8_acc)
    assert cnn_int8.report.bytes_after < cnn_model.report.bytes_after / 3.9


def test_description(cnn_model):
    assert cnn_model.name == "fashion_cnn"
    assert cnn_model.input_names == ["input"]
    assert cnn_model.output_names == ["logits"]
    (x,), (y,) = cnn_model.inputs, cnn_model.outputs
    assert x.shape == (None, 1, 28, 28) and x.dtype == np.float32
    assert x.onnx_dtype == 1 and x.rank == 4
    assert y.shape == (None, 10)
    assert cnn_model.dynamic_batch and cnn_model.batch is None
    assert "input: float32[batch, 1, 28, 28]" in repr(cnn_model)


def test_any_batch_and_call_forms(cnn_model, sample):
    images, _ = sample
    full = cnn_model(images[:16])
    for batch in (1, 3, 7, 16):
        out = cnn_model(images[:batch])
        assert out.shape == (batch, 10)
        np.testing.assert_allclose(out, full[:batch], rtol=1e-5, atol=1e-5)
    by_name = cnn_model.run({"input": images[:5]})
    assert list(by_name) == ["logits"]
    np.testing.assert_array_equal(by_name["logits"], cnn_model(images[:5]))
    np.testing.assert_array_equal(cnn_model(input=images[:5]),
                                  cnn_model.run([images[:5]])["logits"])
    # batch 0 of a dynamic model: an empty result, nothing run
    assert cnn_model(images[:0]).shape == (0, 10)


def test_non_contiguous_input_is_copied(cnn_model, sample):
    images, _ = sample
    strided = images[:8:2]
    assert not strided.flags.c_contiguous
    np.testing.assert_array_equal(cnn_model(strided),
                                  cnn_model(np.ascontiguousarray(strided)))


def test_model_proto_and_output_path(cnn_path, sample, tmp_path, cnn_model):
    onnx = pytest.importorskip("onnx")
    proto = onnx.load(cnn_path)
    library = tmp_path / "libcnn.so"
    header = tmp_path / "cnn.h"
    model = mc.compile(proto, output=library, header=header,
                       model_name="cnn_proto")
    assert model.path == str(library) and library.exists()
    assert "mc_model_run" in header.read_text()
    assert model.name == "cnn_proto"
    images, _ = sample
    np.testing.assert_array_equal(model(images[:4]), cnn_model(images[:4]))
    # the library is an ordinary file: load it again on its own
    again = mc.Model(library)
    np.testing.assert_array_equal(again(images[:4]), model(images[:4]))
    assert again.report is None


def test_temporary_library_is_removed_with_the_model(cnn_path):
    model = mc.compile(cnn_path)
    directory = os.path.dirname(model.path)
    assert os.path.exists(model.path)
    model._keepalive._finalizer()
    assert not os.path.exists(directory)


def test_benchmark(cnn_model):
    stats = cnn_model.benchmark(batch=2, n=9, warmup=1)
    assert stats.batch == 2 and stats.n == 9
    assert 0 < stats.min <= stats.median <= stats.p90 <= stats.max
    assert stats.min <= stats.mean <= stats.max
    assert stats.samples_per_s > 0
    d = stats.as_dict()
    assert set(d) >= {"median_ms", "mean_ms", "p90_ms", "min_ms"}
    assert "median" in str(stats)
    with pytest.raises(ValueError):
        cnn_model.benchmark(batch=1, n=0)


def test_remarks_of_a_successful_compile(cnn_path):
    model = mc.compile(cnn_path, prune="magnitude", pattern="2:4")
    # the first conv's rows of 9 weights hold no 2:4 groups
    assert "left unpruned" in model.compile_diagnostics
    assert model.report.settings == {"prune": "magnitude", "pattern": "2:4"}


def test_recompiling_to_the_same_path(cnn_path, sample, tmp_path):
    # dlopen would hand back the first library loaded under this path; the
    # second Model must run the new file.
    images, _ = sample
    library = tmp_path / "libsame.so"
    first = mc.compile(cnn_path, output=library)
    before = first(images[:50])
    second = mc.compile(cnn_path, output=library, prune="magnitude",
                        sparsity=0.7)
    after = second(images[:50])
    assert not np.array_equal(before, after)
    np.testing.assert_array_equal(mc.Model(library)(images[:50]), after)
    np.testing.assert_array_equal(first(images[:50]), before)
