#!/usr/bin/env python3
"""Writes the EWT dev text as plain-text documents (one file per '# newdoc id', sentences joined by spaces, paragraphs
by blank lines) for end-to-end throughput runs: python3 benchmarks/scripts/ewt-dev-documents.py CONLLU OUTDIR"""
import os
import sys

src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
docs, cur, name = [], [], None
with open(src, encoding="utf-8") as f:
    for line in f:
        if line.startswith("# newdoc id"):
            if cur:
                docs.append((name, cur))
            name, cur = line.split("=", 1)[1].strip(), []
        elif line.startswith("# newpar") and cur:
            cur.append("\n")
        elif line.startswith("# text ="):
            cur.append(line.split("=", 1)[1].strip())
if cur:
    docs.append((name, cur))
tokens = 0
for i, (n, sents) in enumerate(docs):
    text = " ".join(sents).replace(" \n ", "\n\n").replace("\n ", "\n\n")
    safe = "".join(c if c.isalnum() or c in "-_." else "_" for c in (n or "doc"))
    with open(os.path.join(out, "%03d-%s.txt" % (i, safe)), "w", encoding="utf-8") as g:
        g.write(text + "\n")
print("%d documents written to %s" % (len(docs), out))
