#!/usr/bin/env python3
"""New/old median ratios from one JMH JSON result (java -jar benchmarks.jar ... -rf json -rff FILE).

Pairs each benchmark method X with XBaseline (same parameters) and prints old median, new median, new/old.
"""
import json
import sys

rows = {}
for r in json.load(open(sys.argv[1])):
    name = r["benchmark"].rsplit(".", 1)
    cls, method = name[0].rsplit(".", 1)[-1], name[1]
    params = ",".join(f"{k}={v}" for k, v in sorted(r.get("params", {}).items()))
    median = r["primaryMetric"]["scorePercentiles"]["50.0"]
    rows[(cls, method, params)] = (median, r["primaryMetric"]["scoreUnit"])
print("| benchmark | params | old median | new median | new/old |")
print("| --- | --- | --- | --- | --- |")
for (cls, method, params), (new, unit) in sorted(rows.items()):
    if method.endswith("Baseline"):
        continue
    old = rows.get((cls, method + "Baseline", params))
    if old is None:
        continue
    print(f"| {cls}.{method} | {params} | {old[0]:.4g} {unit} | {new:.4g} {unit} | {new / old[0]:.3f} |")
