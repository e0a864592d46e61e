"""Results: what grading found, per submission, as small dataclasses stored one file per submission.

``model`` holds the dataclasses and statuses, ``store`` the file names, atomic writes and reading
back; ``autograder.text`` (shared with the sandbox, which cleans a child's text first) the cleaning of
student-controlled text. This package is their one import surface
(``from autograder import results``); it knows no assignment but the one a result is handed.
"""
from autograder.results.model import (DUPLICATE, GRADED, GRADER_ERROR, LOAD_ERROR, MAX_TAGS, OUTPUT_CHARS,
                                      REASON_CHARS, TAG_CHARS, TEST_OUTPUT_CHARS, NO_SCORE, SubmissionResult,
                                      TestResult, display, score_text, ungraded)
from autograder.results.store import (UNREADABLE, file_stem, load, plot_path, read_json, result_path, save,
                                      write_atomic)
from autograder.text import TRUNCATED, clean_text, strict, strict_text, without_controls

__all__ = ["DUPLICATE", "GRADED", "GRADER_ERROR", "LOAD_ERROR", "MAX_TAGS", "NO_SCORE", "OUTPUT_CHARS", "REASON_CHARS",
           "TAG_CHARS", "TEST_OUTPUT_CHARS", "TRUNCATED", "UNREADABLE", "SubmissionResult", "TestResult",
           "clean_text", "display", "file_stem", "load", "plot_path", "read_json", "result_path", "save", "score_text",
           "strict", "strict_text", "ungraded", "without_controls", "write_atomic"]
