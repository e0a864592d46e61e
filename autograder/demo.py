"""`make demo`: run the solved notebook headless, then grade the bundled sample class.

The sample class is built from the committed release notebook (``autograder/sample.py``) in
nbgrader's ``submitted/<student>/<assignment>/`` layout: the reference, typical mistakes, an untouched
release and a notebook with a syntax error.
"""
import re
import shutil
from pathlib import Path

import nbformat

from . import cli, sample

ROOT = Path(__file__).resolve().parent.parent
SOLVED = ROOT / "solutions" / "backprop_basics.ipynb"
CLASS = {
    "alice": "reference",
    "bob": "sigmoid-ignores-dout",
    "carol": "train-loss-after-update",
    "dave": "release",
    "erin": "net-params-copies",
    "frank": "syntax-error",
}


def run_solved_notebook():
    """Execute the solved notebook top to bottom; return what its last cells printed about XOR."""
    from nbclient import NotebookClient
    nb = nbformat.read(SOLVED, as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(ROOT)}}).execute()
    printed = "".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs
                      if o.output_type == "stream")
    return printed[printed.index("最終預測"):].strip() if "最終預測" in printed else printed[-500:]


def build_class(folder):
    if folder.exists():
        shutil.rmtree(folder)
    for student, variant in CLASS.items():
        if variant == "syntax-error":
            nb = sample.filled_notebook("reference")
            cell = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade_id") == "Sigmoid")
            cell.source = re.sub(r"def forward\(self, x\):", "def forward(self, x)", cell.source, count=1)
        else:
            nb = sample.filled_notebook(variant)
        sample.write_notebook(nb, folder / student / "01_backprop_basics" / "backprop_basics.ipynb")


def main(*, out=Path("demo-output")):
    out = Path(out)
    print("== 1. solved notebook, executed headless (nbclient) ==")
    print(run_solved_notebook())
    print()
    submitted = out / "class" / "submitted"
    build_class(submitted)
    print(f"== 2. grading the sample class in {submitted} ==")
    cli.grade(paths=[submitted], json_path=out / "grades.json", csv_path=out / "grades.csv",
              feedback_dir=out / "feedback", results_dir=out / "grades.results", force=True)
    print(f"\nwrote {out / 'grades.json'}, {out / 'grades.csv'} and {out / 'feedback'}/")
