"""torch.nn.Module round trips: export, compile, run, compare with torch."""
import numpy as np
import pytest

import mc

torch = pytest.importorskip("torch")
nn = torch.nn


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
            nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(8 * 4 * 4, 5))

    def forward(self, x):
        return self.head(self.features(x))


class TwoInTwoOut(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(6, 4)

    def forward(self, x, y):
        h = self.linear(x)
        return h + y, torch.relu(h)


@pytest.fixture(scope="module")
def small_cnn():
    torch.manual_seed(0)
    net = SmallCNN()
    # non-trivial BatchNorm statistics, so that eval mode matters
    net.train()
    with torch.no_grad():
        for _ in range(3):
            net(torch.randn(16, 3, 8, 8))
    net.eval()
    return net


@pytest.fixture(scope="module")
def small_cnn_compiled(small_cnn):
    return mc.compile(small_cnn, torch.randn(2, 3, 8, 8))


def test_round_trip_matches_torch(small_cnn, small_cnn_compiled):
    model = small_cnn_compiled
    assert model.name == "smallcnn"
    assert model.input_names == ["input"] and model.output_names == ["output"]
    assert model.inputs[0].shape == (None, 3, 8, 8)
    rng = np.random.default_rng(1)
    for batch in (1, 3, 7):
        x = rng.standard_normal((batch, 3, 8, 8)).astype(np.float32)
        with torch.no_grad():
            expected = small_cnn(torch.from_numpy(x)).numpy()
        np.testing.assert_allclose(model(x), expected, rtol=1e-4, atol=1e-5)
        # torch tensors are accepted as inputs too
        np.testing.assert_allclose(model(torch.from_numpy(x)), expected,
                                   rtol=1e-4, atol=1e-5)


def test_training_mode_is_restored(small_cnn):
    small_cnn.train()
    try:
        mc.compile(small_cnn, np.zeros((1, 3, 8, 8), np.float32))
        assert small_cnn.training
    finally:
        small_cnn.eval()


def test_two_inputs_two_outputs():
    torch.manual_seed(0)
    net = TwoInTwoOut().eval()
    model = mc.compile(net, (torch.randn(2, 6), torch.randn(2, 4)),
                       input_names=["x", "y"], output_names=["sum", "act"])
    assert model.input_names == ["x", "y"]
    assert model.output_names == ["sum", "act"]
    rng = np.random.default_rng(2)
    x = rng.standard_normal((5, 6)).astype(np.float32)
    y = rng.standard_normal((5, 4)).astype(np.float32)
    with torch.no_grad():
        want_sum, want_act = (t.numpy() for t in
                              net(torch.from_numpy(x), torch.from_numpy(y)))
    got_sum, got_act = model(x, y)
    np.testing.assert_allclose(got_sum, want_sum, rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(got_act, want_act, rtol=1e-4, atol=1e-5)
    out = model.run({"y": y, "x": x}, output_names=["act"])
    assert list(out) == ["act"]
    np.testing.assert_array_equal(out["act"], got_act)
    np.testing.assert_array_equal(model(y=y, x=x)[0], got_sum)
    with pytest.raises(ValueError, match="batch 3 differs from batch 5"):
        model(x, y[:3])
    with pytest.raises(KeyError, match="no output"):
        model.run({"x": x, "y": y}, output_names=["nope"])


def test_static_batch():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(4, 3)).eval()
    model = mc.compile(net, torch.randn(2, 4), dynamic_batch=False)
    assert model.batch == 2 and not model.dynamic_batch
    assert model.inputs[0].shape == (2, 4)
    x = np.ones((2, 4), np.float32)
    with torch.no_grad():
        expected = net(torch.from_numpy(x)).numpy()
    np.testing.assert_allclose(model(x), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="dimension 0 is 3, expected 2"):
        model(np.ones((3, 4), np.float32))
    assert model.benchmark(batch=2, n=3).batch == 2
    with pytest.raises(ValueError, match="only at batch 2"):
        model.benchmark(batch=1, n=3)


def test_module_needs_example_input(small_cnn):
    with pytest.raises(TypeError, match="example_input"):
        mc.compile(small_cnn)


def test_int8_with_calibration_per_input():
    torch.manual_seed(0)
    net = TwoInTwoOut().eval()
    rng = np.random.default_rng(3)
    cx = rng.standard_normal((64, 6)).astype(np.float32)
    cy = rng.standard_normal((64, 4)).astype(np.float32)
    # a tuple: one calibration array per input (a folder of input_K.npy)
    model = mc.compile(net, (torch.randn(2, 6), torch.randn(2, 4)),
                       quantize="int8", calib=(cx, torch.from_numpy(cy)))
    assert [l["after"]["kind"] for l in model.report.layers] == ["qlinear"]
    with torch.no_grad():
        want_sum, want_act = (t.numpy() for t in
                              net(torch.from_numpy(cx), torch.from_numpy(cy)))
    got_sum, got_act = model(cx, cy)
    # int8 weights and activations: within a few quantization steps
    scale = np.abs(want_act).max()
    assert np.abs(got_sum - want_sum).max() < 0.05 * scale
    assert np.abs(got_act - want_act).max() < 0.05 * scale
    assert np.abs(got_act - want_act).max() > 0  # really quantized
