"""nbgrader as a route to the grader's scores, not a second grader.

``configure(c)`` in a course's ``nbgrader_config.py`` makes ``nbgrader autograde`` grade each
submitted notebook *file* with the same sandboxed engine as ``python -m autograder grade`` and write
the result into the grade cells: nothing of the student's runs in a kernel, so nothing in a kernel
(a patched bridge, a display formatter, ``ast_node_interactivity``, a sleeping process) can decide a
point, read the reference or touch another student's files. The grade cells' outputs are the
feedback text and the part's points (nbgrader's partial credit); ``nbgrader export`` and
``generate_feedback`` then work as usual.

Results are cached per course in ``autograder-results/<assignment>/`` (the CLI's result files, so
``python -m autograder grade submitted/ --results-dir autograder-results/<assignment>`` beforehand
makes autograde instant), keyed by the submitted file's bytes and the grader's fingerprint.
"""
import re
from pathlib import Path

from nbgrader.coursedir import CourseDirectory
from nbgrader.preprocessors import ClearSolutions, NbGraderPreprocessor
from traitlets import List, Unicode

from autograder import assignments, messages, results, sandbox
from autograder.grading import batch
from autograder.find import discover

# Grade cells are named after the part they grade: test_Sigmoid, test_TwoLayerNet, ...
GRADE_ID = re.compile(r"^test_(?P<part>\w+)$")


class GraderFailed(Exception):
    """The grader could not grade this student: nbgrader reports it (and its name), never a silent 0."""


class NamedStubs(ClearSolutions):
    """Replace each solution region with a stub that names what to implement.

    nbgrader's own stub is a bare ``raise NotImplementedError()``; a student running the demo cell
    should read *which* method is missing, e.g. "請實作 Sigmoid.forward" (``stub.implement`` in the
    notebook's language, ``lang``).
    """

    lang = Unicode("zh", help="the language of the stubs' words: the notebook's (zh or en)").tag(config=True)

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        lines = cell.source.split("\n")
        new_lines, in_solution, replaced, owner = [], False, False, []
        words = messages.catalog(self.lang)
        for line in lines:
            definition = re.match(r"(\s*)(class|def)\s+(\w+)", line)
            if definition and not in_solution:
                depth = len(definition.group(1))
                owner = [o for o in owner if o[0] < depth] + [(depth, definition.group(3))]
            if self.begin_solution_delimeter in line:
                if in_solution:
                    raise RuntimeError("encountered nested begin solution statements")
                in_solution = replaced = True
                indent = re.match(r"\s*", line).group(0)
                name = ".".join(o[1] for o in owner) or words("stub.this-cell")
                new_lines.append(f"{indent}# YOUR CODE HERE")
                new_lines.append(f'{indent}raise NotImplementedError("{words("stub.implement", name=name)}")')
            elif self.end_solution_delimeter in line:
                in_solution = False
            elif not in_solution:
                new_lines.append(line)
        if in_solution:
            raise RuntimeError("no end solution statement found")
        cell.source = "\n".join(new_lines)
        return replaced


class GradeWithAutograder(NbGraderPreprocessor):
    """Stands in for nbgrader's Execute: grade the submitted file in the sandbox, fill the grade cells."""

    results_dir = Unicode("", help="where results are kept (default: <course root>/autograder-results/<assignment>)"
                          ).tag(config=True)
    lang = Unicode("zh", help="feedback language: zh or en").tag(config=True)
    limits = List(Unicode(), help="sandbox limit overrides, as the CLI's --limit NAME=VALUE").tag(config=True)

    def preprocess(self, nb, resources):
        info = resources["nbgrader"]
        student, assignment, notebook = info["student"], info["assignment"], info["notebook"]
        coursedir = CourseDirectory(config=self.config)
        root = Path(coursedir.root or ".")
        try:
            graded = assignments.get(assignment)
        except assignments.UnknownAssignment as exc:
            raise GraderFailed(f"autograder: {student}: {exc}") from None
        folder = Path(coursedir.format_path(coursedir.submitted_directory, student, assignment))
        submission = discover.Submission(id=student, path=folder / f"{notebook}.ipynb", given=student)
        store = Path(self.results_dir) if self.results_dir else root / "autograder-results" / assignment
        result = grade_one(submission, store, graded, lang=self.lang, limits=list(self.limits))
        if result.status == results.GRADER_ERROR:
            raise GraderFailed(f"autograder could not grade {student}: {result.reason}")
        if result.status != results.GRADED:
            self.log.warning("%s: %s: %s (0 points, reason in the feedback)", student, result.status, result.reason)
        first = True
        for cell in nb.cells:
            grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
            match = GRADE_ID.match(grade_id)
            if cell.cell_type != "code" or not match or not cell.metadata.nbgrader.get("grade"):
                continue
            part = match["part"]
            if part not in graded.parts:
                raise GraderFailed(f"grade cell {grade_id} names no part of {graded.id} ({', '.join(graded.parts)})")
            if float(cell.metadata.nbgrader.get("points", 0)) != graded.part_points[part]:
                raise GraderFailed(f"grade cell {grade_id} is worth {cell.metadata.nbgrader.get('points')} points, "
                                   f"the rubric says {graded.part_points[part]:g}: run `make release`")
            cell.outputs = cell_outputs(result, graded, part, self.lang, include_submission=first)
            cell.execution_count = None
            first = False
        return nb, resources


def grade_one(submission, store, assignment, *, lang="zh", limits=()):
    """The submission's result, graded now unless ``store`` holds one for these very bytes."""
    refused = sandbox.unsandboxed_problem(sandbox.isolation(), assignment.reference, [submission])
    if refused:
        raise RuntimeError(refused)
    if batch.pending([submission], store, assignment):
        batch.run([submission], store, assignment=assignment, jobs=1, lang=lang, limits=limits)
    return batch.collect([submission], store, assignment)[0]


def part_text(result, assignment, part: str, lang: str, include_submission: bool = False) -> str:
    """What a grade cell shows: the part's points, then each test with its feedback."""
    tests = [t for t in result.tests if t.part == part]
    lines = [f"{part}: {results.display(sum(t.score for t in tests))} / {assignment.part_points[part]:g}"]
    if result.status != results.GRADED:
        lines.append(f"{result.status}: {result.reason}")
    if include_submission and result.output:
        lines.append(result.output)
    for test in tests:
        mark = "✓" if test.score >= test.max_score else "✗"
        lines.append(f"{mark} {test.name}: {results.display(test.score)} / {test.max_score:g}")
        if test.score < test.max_score and test.output:
            lines.append("    " + test.output.replace("\n", "\n    "))
    return "\n".join(lines) + "\n"


def cell_outputs(result, assignment, part: str, lang: str, include_submission: bool = False) -> list:
    """A grade cell's outputs: the feedback as text, the exact points as its value (partial credit)."""
    from nbformat.v4 import new_output
    points = sum(t.score for t in result.tests if t.part == part)
    return [new_output("stream", name="stdout", text=part_text(result, assignment, part, lang, include_submission)),
            new_output("execute_result", data={"text/plain": repr(float(points))}, execution_count=None)]


def configure(c, *, lang="zh"):
    """Set a course's nbgrader config so that every nbgrader command works with the kit."""
    # A student who deletes a test cell gets it back at grading time. This works because ordinary
    # cells carry no nbgrader metadata (given cells are read-only through Jupyter's own
    # editable/deletable flags); nbgrader 0.9.6 crashes with KeyError: 'grade_id' otherwise.
    c.OverwriteCells.add_missing_cells = True
    # nbgrader 0.9.6's list, with ClearSolutions swapped for NamedStubs (the list cannot be read back
    # from the trait here, so it is spelled out; keep it in step when upgrading nbgrader).
    c.GenerateAssignment.preprocessors = [
        "nbgrader.preprocessors.IncludeHeaderFooter",
        "nbgrader.preprocessors.InstantiateTests",
        "nbgrader.preprocessors.LockCells",
        NamedStubs,
        "nbgrader.preprocessors.ClearOutput",
        "nbgrader.preprocessors.CheckCellMetadata",
        "nbgrader.preprocessors.ComputeChecksums",
        "nbgrader.preprocessors.SaveCells",
        "nbgrader.preprocessors.ClearHiddenTests",
        "nbgrader.preprocessors.ClearMarkScheme",
        "nbgrader.preprocessors.ComputeChecksums",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    # nbgrader 0.9.6's autograde list with Execute replaced: the student's code runs only in the
    # grader's sandbox, on the submitted file, never in a kernel with the instructor's rights.
    c.Autograde.autograde_preprocessors = [
        GradeWithAutograder,
        "nbgrader.preprocessors.LimitOutput",
        "nbgrader.preprocessors.SaveAutoGrades",
        "nbgrader.preprocessors.AssignLatePenalties",
        "nbgrader.preprocessors.CheckCellMetadata",
    ]
    c.GradeWithAutograder.lang = lang
    # Feedback never shows hidden test code (nbgrader leaves it in unless told).
    c.GenerateFeedback.preprocessors = [
        "nbgrader.preprocessors.GetGrades",
        "nbconvert.preprocessors.CSSHTMLHeaderPreprocessor",
        "nbgrader.preprocessors.ClearHiddenTests",
    ]


def describe():
    """One line for logs: how student code runs when nbgrader grades."""
    return "nbgrader autograde → autograder sandbox: " + sandbox.describe()
