#!/usr/bin/env python3
"""Writes the documents of BENCHMARKS.md's "Memory of annotate" section into DIR:
long/ (big.txt: one 22,460-token sentence of random words, beside two one-line documents) and
mb1/ (m.txt: 1,000,000 bytes of short random sentences). Usage: memory-documents.py DIR"""
import os
import random
import sys

WORDS = ("the man saw a dog with telescope in park and then we went to London Paris for some reason because "
         "it was nice").split()

out = sys.argv[1]
os.makedirs(os.path.join(out, "long"), exist_ok=True)
os.makedirs(os.path.join(out, "mb1"), exist_ok=True)
random.seed(1)
with open(os.path.join(out, "long", "big.txt"), "w") as f:
    f.write(" ".join(random.choice(WORDS) for _ in range(22459)) + " .\n")
with open(os.path.join(out, "long", "a.txt"), "w") as f:
    f.write("I saw the man with the telescope.\n")
with open(os.path.join(out, "long", "b.txt"), "w") as f:
    f.write("Apple hired a former Google engineer.\n")
random.seed(2)
sentences = [" ".join(random.choice(WORDS) for _ in range(random.randint(5, 30))) + "." for _ in range(50000)]
with open(os.path.join(out, "mb1", "m.txt"), "w") as f:
    f.write((" ".join(sentences)[:4000000] + "\n")[:1000000])  # the first megabyte of a 4 MB text
