#!/usr/bin/env python3
"""Converts wikigold (CoNLL-2003 style, IOB1, PER/ORG/LOC/MISC) into the UNER .iob2 layout the NER trainer reads.

Usage: wikigold-to-iob2.py WIKIGOLD.conll.txt OUT.iob2

Mapping (../shared/data/ner-extra-english/README.md): IOB1 -> IOB2 (an I-X that does not continue an X name starts
one: B-X); MISC -> O (UNER has no MISC; it tags demonyms O as well); -DOCSTART- lines dropped. Each sentence gets a
'# sent_id = wikigold-N' comment and lines 'ID<TAB>FORM<TAB>TAG<TAB>-<TAB>-' as in UNER's files.
"""
import sys


def sentences(path):
    cur = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if cur:
                    yield cur
                cur = []
                continue
            form, tag = line.rsplit(" ", 1)
            cur.append((form, tag))
    if cur:
        yield cur


def iob2(tags):
    out = []
    prev = "O"
    for t in tags:
        if t == "O" or t.endswith("MISC"):
            out.append("O")
            prev = "O"
            continue
        kind, cls = t.split("-", 1)
        if kind == "B" or prev != cls:
            out.append("B-" + cls)
        else:
            out.append("I-" + cls)
        prev = cls
    return out


def main(src, dst):
    n = 0
    with open(dst, "w", encoding="utf-8") as out:
        for s in sentences(src):
            if s[0][0] == "-DOCSTART-":
                continue
            n += 1
            out.write(f"# sent_id = wikigold-{n}\n")
            for i, ((form, _), tag) in enumerate(zip(s, iob2([t for _, t in s])), 1):
                out.write(f"{i}\t{form}\t{tag}\t-\t-\n")
            out.write("\n")
    print(f"{n} sentences written to {dst}", file=sys.stderr)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
