"""English: the engine's words.

Every id here is in every other language's file, with the same placeholders (tests/test_messages.py).
"""
LANG = "en"               # the --lang value
TAG = "en"                # the HTML page's lang
CJK = False               # figures need a CJK font for these words (else they are drawn in English)

MESSAGES = {
    # What happened to a call into student code, and where (checks/)
    "raised": "{what} raised {message} ({where})",
    "timeout": "{what} exceeded the time limit of {seconds:g} s (an endless loop?)",
    "signal": "killed by signal {code}",
    "exit-status": "exit status {code}",
    "timeout-cpu": "{what} used more than {seconds:g} s of CPU time (an endless loop?)",
    "out-of-memory": ("{what} used more memory than the {memory:.3g} GiB limit (files in /tmp included) and was "
                      "killed"),
    "no-process": "{what} did not run: processes your code started earlier used up the submission's process limit",
    "exited": "{what} ended the process ({message}): do not call sys.exit / os._exit",
    "missing": "{message} is not defined: check the name matches the assignment and its code has no syntax error",
    "returned-none": "{message}: a missing return?",
    "not-array": "did not return an array of numbers: {message}",
    "structure": "wrong network structure: {message}",
    "budget": ("the submission's total time of {seconds:g} s is used up (earlier calls were slow or looped), so "
               "this was not run"),
    "detail-returned-none": "{what} returned None: a missing return?",
    "detail-not-array": "{what} returned {type}, not an array of numbers ({error})",
    "detail-no-attribute": "the network has no {name}",
    "detail-param-shape": "{name} has shape {got}, expected {expected}",
    "detail-param-not-array": "{name} is not a numpy array (it is a {type})",
    "detail-missing": "{name} is not defined: check the name matches the assignment and its code has no error",
    "where-cell": "code cell {cell} (starting “{first}”{label}), line {line}{function}",
    "where-file": "{file}, line {line}{function}",
    "where-function": ", in {name}",
    "where-label": ", the {label} exercise cell",
    "cell-numbering": ("(“code cell N” counts code cells only, from the top of the notebook; it is not the In [ ] "
                       "execution number Jupyter shows.)"),
    "setup-reference": "graded with the reference {pieces} (your {part} on its own)",
    "setup-own": "graded with the {own} of your submission{with_reference}: that scored higher",
    "setup-with-reference": ", with the reference {pieces}",
    "setup-tried": "(also tried: {tries})",
    "setup-try": "{setup} {points:g}/{total:g}",
    "setup-name-reference": "the reference {pieces}",
    "setup-name-own": "the {pieces} of your submission",
    "setup-own-piece-lost": ("this part was also graded with your own {piece}, which lost points in its own tests: "
                             "code that only runs with your own {piece} loses points for its mistakes."),
    "overwrote": ("{what} overwrote the {name} its caller passed in (the input array changed in place): at most "
                  "{share:.0%} of this test's points"),
    "numerical-gradient": ("{what}'s {gradient} came from re-running forward on copies of {source} with one entry "
                           "nudged at a time ({count} evaluations): that is a numerical gradient, not "
                           "backpropagation, so this test earns nothing"),
    "numerical-gradient-whole": ("{what}'s {gradient} came from re-running forward on copies of {source} with many "
                                 "entries nudged together by one small step ({count} evaluations): that is a "
                                 "numerical gradient, not backpropagation, so this test earns nothing"),
    "backward-untraced": ("while {what} ran, the grader's trace function (sys.settrace) was replaced or removed: "
                          "how its gradients were computed cannot be confirmed, so this test earns nothing"),
    "undefined-because": ("{name} is not defined because the statement defining it ({where}) failed while loading "
                          "(see the loading messages at the top)"),
    "missing-import": ("{where}: import {module} cannot be found in the grading environment; graded code does not "
                       "use it, so no points are lost, but the file would not run where {module} is missing"),
    "load-timeout": ("your code could not be loaded: executing the definitions took longer than {seconds:g} s (an "
                     "endless loop or slow code at class or module level?)"),
    "load-exited": ("your code could not be loaded: the process ended while executing the definitions (exit() at "
                    "module level?)"),
    "protocol": "the grader could not read your code's reply (its output was tampered with?)",
    "not-finite": "{what} returned nan or inf",
    "observed": ("{what}{case}: {count} of {size} entries differ from the reference (the first at {index}: {got}, "
                 "expected {expected}); these values match none of the typical mistakes the grader knows"),
    "observed-scalar": ("{what}{case}: returned {got}, expected {expected}; this matches none of the typical "
                        "mistakes the grader knows"),
    "observed-dtype": "{what} returned an array of dtype {dtype}, not float64",
    "shape": "{what} has shape {got}, expected {expected}",
    "printed": "your code printed:\n{text}",
    "warned": "warnings while running: {warnings}",
    "load-problem": "{where}: {message} -- nothing {scope} defines was loaded",
    "load-problem-noline": "{origin}: {message}",
    # Lists inside a sentence, and where a load problem's statement stops (checks/)
    "list-separator": ", ",
    "tries-separator": "; ",
    "scope-cell": "this cell",
    "scope-file": "this file",
    "scope-statement": "this statement",
    "hint-prefix": "Hint: {text}",
    # A submission's status, a failed test's kind (the class report, the terminal)
    "status.graded": "graded",
    "status.load-error": "load-error",
    "status.duplicate": "duplicate",
    "status.grader-error": "grader-error",
    "status.no-submission": "no-submission",
    "kind.wrong-values": "wrong values",
    "kind.raised": "raised an exception",
    "kind.timeout": "time limit",
    "kind.timeout-cpu": "CPU time limit",
    "kind.budget": "time budget used up",
    "kind.out-of-memory": "out of memory",
    "kind.no-process": "no process left",
    "kind.exited": "the process ended",
    "kind.missing": "not defined",
    "kind.returned-none": "returned None",
    "kind.not-array": "not an array of numbers",
    "kind.not-finite": "nan or inf",
    "kind.shape": "wrong shape",
    "kind.structure": "wrong structure",
    "kind.load-timeout": "loading timed out",
    "kind.load-exited": "ended while loading",
    "kind.protocol": "unreadable reply",
    "kind.numerical-gradient": "numerical gradient, not backpropagation",
    "kind.backward-untraced": "backward ran untraced",
    "kind.overwrote": "overwrote an input array",
    "kind.grader-error": "grader error",
    # The class report's page (views/report/)
    "report.title": "Class report",
    "report.heading": "{title}: {assignment} {name}",
    "report.summary": "Summary",
    "report.summary-line": ("{n} submissions: {graded} graded, {not_graded} not graded; mean {mean:g}, median "
                            "{median:g} (out of {total:g})"),
    "report.mean": "mean",
    "report.distribution": "Score distribution",
    "report.total": "total",
    "report.part": "part",
    "report.tests": "Tests",
    "report.test": "test",
    "report.points": "points",
    "report.pass-rate": "full marks",
    "report.mean-share": "mean share of points",
    "report.hints": "Hints given",
    "report.hint": "hint",
    "report.students": "students",
    "report.example": "example feedback",
    "report.no-hint": "Failures with no hint (grouped by signature)",
    "report.no-hint-note": ("These students lost points in these tests and the grader gave no hint: a group shares "
                            "the same failing tests and the same kind of error. The biggest group comes first: the "
                            "mistakes most worth a new hint."),
    "report.failing-tests": "failing tests",
    "report.error-kind": "kind of error",
    "report.who": "students (each links their feedback)",
    "report.examples": "students (first few)",
    "report.ungraded": "Submissions without a score",
    "report.ids": "Ids to check",
    "report.ids-note": ("These ids hide characters, mix scripts in one word, or look like another id of the class: "
                        "make sure who they are before importing grades. Unusual characters are shown as escapes "
                        "(e.g. \\u00a0)."),
    "report.note": "note",
    "report.status": "status",
    "report.reason": "reason",
    "report.student": "student",
    "report.feedback": "Every student's feedback",
    "report.score": "score",
    "report.no-feedback": "(no feedback file)",
    "report.none": "none",
    "report.similarity": "Similar code",
    "report.similarity-note": ("Compared: the code of each student's own that grading runs -- the release's given "
                               "code removed, code nothing graded uses left out -- with names, comments, "
                               "whitespace, docstrings and literals normalised, cut into token k-grams function by "
                               "function, so the order of functions does not matter. The score is the share of the "
                               "smaller program's k-grams also found in the other (containment; a program shorter "
                               "than half the reference counts as half the reference); threshold {threshold:g}. "
                               "Every submission is also compared with the reference solution{base}."),
    "report.base-compared": " and with {n} earlier submissions",
    "report.with-reference": "the reference solution",
    "report.with-base": " (earlier submission)",
    "report.similarity-off": "similarity was not checked (add --similarity 0.8 to grade/report)",
    "report.shared-lines": "shared lines",
    "report.pairs-found": ("{n} similar pairs (threshold {threshold:g}; {compared} submissions with code of their "
                           "own compared in {seconds:.2f} s)"),
    "report.not-compared": "{n} submissions were not compared (file not readable, or almost no code of their own)",
    "report.more-pairs": ("{n} more pairs not shown here: see similarity.csv (up to 5,000) and the clusters in "
                          "report.json"),
    "report.cluster": "students connected by similar code",
    "report.files": "Files",
    "report.problems": "Warnings while reading the results",
    # The class report's CSV columns (views/report/tables.py): English ones are the column names of old
    "report.column.part": "part",
    "report.column.from": "from",
    "report.column.to": "to",
    "report.column.students": "students",
    "report.column.test": "test",
    "report.column.points": "points",
    "report.column.pass-rate": "pass_rate",
    "report.column.mean-share": "mean_share",
    "report.column.hint": "hint",
    "report.column.example": "example",
    "report.column.example-feedback": "example_feedback",
    "report.column.failing-tests": "failing_tests",
    "report.column.error-kind": "error_kind",
    "report.column.ids": "ids",
    "report.column.student": "student",
    "report.column.status": "status",
    "report.column.reason": "reason",
    "report.column.score": "score",
    "report.column.feedback": "feedback",
    "report.column.id-note": "id_note",
    "report.column.a": "a",
    "report.column.b": "b",
    "report.column.with": "with",
    "report.column.similarity": "score",
    "report.column.a-share": "a_share",
    "report.column.b-share": "b_share",
    "report.column.shared-lines": "shared_lines",
    "report.with.class": "class",
    "report.with.reference": "reference",
    "report.with.base": "base",
    # Why the similarity check left a submission out (views/similarity.py)
    "similarity.unreadable": "not readable ({reason})",
    "similarity.too-little-code": "{tokens} tokens of own code (fewer than {minimum})",
    "similarity.refused": "{reason}",
    "similarity.duplicate": "duplicate id",
    "similarity.not-found": "submission file not found (report: give --submissions with the class folder)",
    # The terminal (views/terminal.py) and the report's line in it
    "terminal.student": "student",
    "terminal.total": "total",
    "terminal.status": "status",
    "terminal.summary": ("{submissions} {submissions:plural(submission|submissions)}: {graded} graded, "
                         "{not_graded} not graded; mean {mean:g}, "
                         "median {median:g} of {total:g}; full marks per part: {parts}"),
    "terminal.roster-missing": ("{n} roster {n:plural(student has|students have)} no submission (a 'missing' row "
                                "in the gradebook): {ids}"),
    "terminal.late": "{n} {n:plural(submission was|submissions were)} late (reported, never penalised): {ids}",
    "terminal.isolation": "isolation: {kinds}",
    "terminal.other-isolation": ("WARNING: {n} results were graded with other isolation than this run's "
                                 "({pinned}), by an earlier run: {others}; --force regrades them"),
    "terminal.not-graded": ("WARNING: {n} {n:plural(submission was|submissions were)} NOT graded (grader-error); "
                            "rerun the same command to "
                            "grade them:"),
    "terminal.more-not-graded": "  ... and {n} more (status grader-error in the gradebook)",
    "terminal.attention": ("WARNING: {n} {n:plural(id needs|ids need)} a look before grades are imported (they "
                           "hide characters or look like another id; id_note in the gradebook):"),
    "terminal.more-attention": "  ... and {n} more (id_note in the gradebook)",
    "terminal.report": ("wrote {page}: {hints} hints given, {groups} groups of failures with no hint, {ungraded} "
                        "not graded"),
    "terminal.report-ids": ", {n} {n:plural(id|ids)} to check",
    "terminal.report-pairs": ", {pairs} similar pairs in {clusters} clusters",
    "terminal.similarity-unfound": ("similarity: {n} of {total} submissions not found (e.g. {example}); give "
                                    "--submissions CLASS_FOLDER (the folder graded)"),
    # Ids that need a look (views/readable.py)
    "id-note.escaped": "escaped characters (invisible, or spaces at an end or in a row)",
    "id-note.mixed": "mixes {scripts} letters in one word",
    "id-note.looks-like": "looks like {ids}",
    "id-note.and": " and ",
    # A student's feedback file and its figure (views/feedback.py, views/plots.py)
    "feedback.title": "Feedback",
    "feedback.incomplete": "the grader could not write the full feedback ({error})",
    "plot.not-drawn": "plot not drawn: {reason}",
    "plot.note.unreadable": "the training record could not be read ({error})",
    "plot.note.too-large": "the training record is too large ({size} bytes)",
    "plot.note.missing": "the training record has no {name}",
    "plot.note.dtype": "{name} is not an array of real numbers (dtype {dtype})",
    "plot.note.failed": "the grader failed while drawing it ({error})",
    "plot.note.shape": "{name} has shape {got}, expected {expected}",
    "plot.note.losses": "losses has shape {got}, expected a 1-D array of at most {limit} values",
    # Gradescope's results.json (routes/gradescope.py)
    "gradescope.score": "Score {score:g} / {max_score:g} ({file})",
    "gradescope.not-graded": "Not graded ({status}): {reason}",
    "gradescope.refused": "Not graded: {reason}",
    "gradescope.refused-short": "not graded: {reason}",
    "gradescope.upload-itself": "Upload your completed {notebook} itself (not a link or shortcut) and submit again.",
    "gradescope.several": "Several gradable files were found and none is {notebook}: {names}.",
    "gradescope.none-found": "No .ipynb or .py file was found.",
    "gradescope.upload": "Upload your completed {notebook} (or exactly one .ipynb or .py file) and submit again.",
    "gradescope.not-submitted-short": "not graded: no {notebook} submitted",
    "gradescope.received": "Files received: {files}",
    # nbgrader's stubs in the student release (routes/nbgrader.py)
    "stub.implement": "implement {name}",
    "stub.this-cell": "this cell",
}

# Hints that apply to any assignment: the id goes into a failing test's tags.
HINTS = {
    "modifies-input": ("A function must not change the arrays its caller passed in (e.g. dout *= …, X -= …, x[x < "
                       "0] = 0): compute into a new array."),
    "numerical-gradient": ("backward must compute the gradient from the upstream gradient dout with the chain rule "
                           "(backpropagation); a numerical gradient is only for the gradient check that tests "
                           "backward's result."),
    "backward-untraced": ("Do not call sys.settrace in backward, nor leave pdb.set_trace() or breakpoint() there: "
                          "the grader must see how the gradient is computed."),
}
