#!/usr/bin/env python3
"""Top-1 accuracy of logits (.npy, [N, classes]) against labels (.npy, [N]).

Prints "accuracy X% (correct/N)" and, with --reference-json (the
fashion_cnn.json written by train_fashion.py, accuracies as fractions),
the accuracies PyTorch reported for the same model next to it.
"""
import argparse
import json

import numpy as np


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("logits")
    p.add_argument("labels")
    p.add_argument("--reference-json")
    args = p.parse_args()
    logits = np.load(args.logits)
    labels = np.load(args.labels)
    if logits.ndim != 2 or logits.shape[0] != labels.shape[0]:
        raise SystemExit(f"error: logits {logits.shape} do not match labels "
                         f"{labels.shape}")
    correct = int((logits.argmax(axis=1) == labels).sum())
    acc = 100.0 * correct / labels.shape[0]
    print(f"mc compiled library: accuracy {acc:.2f}% ({correct}/{labels.shape[0]})")
    if args.reference_json:
        ref = json.load(open(args.reference_json))
        print(f"PyTorch, same sample:          accuracy "
              f"{100.0 * ref['pytorch_sample_accuracy']:.2f}%")
        print(f"PyTorch, full 10k test split:  accuracy "
              f"{100.0 * ref['pytorch_test_accuracy_full']:.2f}%")


if __name__ == "__main__":
    main()
