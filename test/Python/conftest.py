"""Shared fixtures of the mc Python package tests.

The lit test python.test runs this suite with MC_BUILD_DIR set to the
build directory and PYTHONPATH to python/; run by hand from the checkout:

    PYTHONPATH=python /usr/bin/python3 -m pytest test/Python

Compiled models are built once per session (the compiles dominate the
run time).
"""
import gzip
import json
import os
import sys
from pathlib import Path

import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[2]
if str(ROOT / "python") not in sys.path:
    sys.path.insert(0, str(ROOT / "python"))

import mc  # noqa: E402

MODELS = ROOT / "python" / "models"
FASHION_TRAIN = Path("/usr/share/datasets/fashion-mnist/"
                     "train-images-idx3-ubyte.gz")


@pytest.fixture(scope="session")
def root():
    return ROOT


@pytest.fixture(scope="session")
def cnn_path():
    return str(MODELS / "fashion_cnn.onnx")


@pytest.fixture(scope="session")
def cnn_reference():
    """PyTorch's accuracies for the bundled CNN (python/models)."""
    with open(MODELS / "fashion_cnn.json") as f:
        return json.load(f)


@pytest.fixture(scope="session")
def sample():
    images = np.load(MODELS / "fashion_sample_images.npy")
    labels = np.load(MODELS / "fashion_sample_labels.npy")
    return images, labels


@pytest.fixture(scope="session")
def calib_images():
    """256 normalized Fashion-MNIST *training* images (never the evaluation
    sample), from Debian's dataset-fashion-mnist."""
    if not FASHION_TRAIN.exists():
        pytest.skip(f"{FASHION_TRAIN} is missing (Debian package "
                    f"dataset-fashion-mnist, installed by scripts/setup.sh)")
    with gzip.open(FASHION_TRAIN) as f:
        train = np.frombuffer(f.read(), np.uint8, offset=16)
    train = train.reshape(-1, 1, 28, 28)
    idx = np.sort(np.random.default_rng(0).choice(len(train), 256,
                                                  replace=False))
    return ((train[idx] / 255.0 - 0.2860) / 0.3530).astype(np.float32)


@pytest.fixture(scope="session")
def calib_file(calib_images, tmp_path_factory):
    path = tmp_path_factory.mktemp("calib") / "calib.npy"
    np.save(path, calib_images)
    return str(path)


@pytest.fixture(scope="session")
def cnn_model(cnn_path):
    return mc.compile(cnn_path)


@pytest.fixture(scope="session")
def cnn_int8(cnn_path, calib_images):
    return mc.compile(cnn_path, quantize="int8", calib=calib_images)
