"""The bridge nbgrader's hidden test cells call, so ``nbgrader autograde`` gives the CLI's points.

A hidden test block in the source notebook does::

    from autograder.notebook import grade_part, skip_self_check as self_check
    ...
    grade_part("Sigmoid")        # the cell's value: nbgrader's partial credit

``grade_part`` takes the code the kernel has executed so far (IPython's input history), and runs the
very same pytest checks as ``python -m autograder grade`` on it, for one part, in a separate process
(so nothing reaches this kernel's stderr, which would zero the cell). It prints the feedback and
returns the part's points.
"""
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from . import batch, rubric


def skip_self_check(title, checks):
    """Stands in for the notebook's ``self_check`` while grading: the hidden checks decide the points."""
    print(f"{title}：評分中，自我檢查略過（分數由隱藏的評分程式給出）")


def _history_notebook(history):
    cells = [{"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [], "source": source}
             for source in history if source.strip()]
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": cells}


def grade_cells(history, part, lang="zh"):
    """Grade ``part`` of the code in ``history`` (a list of cell sources); returns the result dict."""
    with tempfile.TemporaryDirectory(prefix="autograder-nbgrader-") as tmp:
        submission = Path(tmp) / "submission.ipynb"
        submission.write_text(json.dumps(_history_notebook(history)), encoding="utf-8")
        listing = Path(tmp) / "list.json"
        listing.write_text(json.dumps([{"id": "notebook", "path": str(submission), "given": "notebook"}]))
        command = batch.worker_command(listing, Path(tmp) / "results", lang) + ["--part", part]
        env = dict(os.environ, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
        finished = subprocess.run(command, env=env, capture_output=True, text=True, stdin=subprocess.DEVNULL)
        files = list((Path(tmp) / "results").glob("*.json"))
        if not files:
            raise RuntimeError(f"autograder could not grade {part} (exit {finished.returncode}): "
                               + (finished.stdout + finished.stderr)[-2000:])
        return json.loads(files[0].read_text(encoding="utf-8"))


def grade_part(part, lang="zh"):
    """Grade one part of the notebook running in this kernel; print feedback, return its points."""
    if part not in rubric.PARTS:
        raise ValueError(f"part must be one of {', '.join(rubric.PARTS)}, not {part!r}")
    from IPython import get_ipython
    shell = get_ipython()
    if shell is None:
        raise RuntimeError("grade_part runs inside a notebook kernel (nbgrader autograde)")
    history = list(shell.user_ns.get("In", []))[:-1]   # everything executed before this cell
    result = grade_cells(history, part, lang)
    tests = [t for t in result["tests"] if rubric.BY_NAME[t["name"]].part == part]
    score = round(sum(t["score"] for t in tests), 4)
    print(f"{part}: {score:g} / {rubric.PART_POINTS[part]:g}")
    if result.get("output"):
        print(result["output"])
    for test in tests:
        mark = "✓" if test["status"] == "passed" else "✗"
        print(f"{mark} {test['name']}: {test['score']:g} / {test['max_score']:g}")
        if test["status"] != "passed" and test["output"]:
            print("    " + test["output"].replace("\n", "\n    "))
    sys.stdout.flush()
    return score
