#!/usr/bin/env python3
"""Checks executed GoNB notebooks: nbconvert does not fail on a Go panic (it
only shows as stderr output), so this reads every cell's outputs and fails on
an error output, a panic or a failed build, on a figure cell (one that
calls gonbplot.Display or notebook.Plot) that produced no figure, and on a
table cell (one that calls notebook.Show) that produced fewer HTML tables
than it has Show calls.

Usage: check_notebooks.py EXECUTED.ipynb...
"""
import json
import sys

BAD = ("panic:", "goroutine ", "exit status", "failed to run", "ERROR:")


def text_of(output):
    t = output.get("text", "")
    if isinstance(t, list):
        t = "".join(t)
    if output.get("output_type") == "error":
        t += output.get("ename", "") + ": " + output.get("evalue", "")
    return t


def html_of(output):
    h = output.get("data", {}).get("text/html", "")
    return "".join(h) if isinstance(h, list) else h


def check(path):
    problems = []
    nb = json.load(open(path))
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] != "code":
            continue
        src = "".join(cell["source"])
        outs = cell.get("outputs", [])
        for o in outs:
            t = text_of(o)
            if o.get("output_type") == "error":
                problems.append(f"cell {i}: error output: {t[:300]}")
            elif o.get("name") == "stderr" and any(b in t for b in BAD):
                problems.append(f"cell {i}: {t.strip()[:300]}")
        if "gonbplot.Display" in src or "notebook.Plot(" in src:
            figs = [o for o in outs if o.get("output_type") == "display_data" and
                    ("plotly" in html_of(o).lower() or "image/png" in o.get("data", {}))]
            if not figs:
                problems.append(f"cell {i}: figure cell produced no figure")
        shows = src.count("notebook.Show(")
        if shows:
            tables = [o for o in outs if o.get("output_type") == "display_data" and "<table>" in html_of(o)]
            if len(tables) < shows:
                problems.append(f"cell {i}: {shows} notebook.Show calls produced {len(tables)} HTML tables")
    return problems


def main():
    failed = False
    for path in sys.argv[1:]:
        problems = check(path)
        if problems:
            failed = True
            print(f"FAIL {path}")
            for p in problems:
                print("   ", p)
        else:
            print(f"ok   {path}")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
