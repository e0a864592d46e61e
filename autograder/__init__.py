"""The exercise kit's autograder: an engine that names no assignment, and the assignments it grades.

Grading flows one way: ``find`` (submissions → the statements graded code reads), ``sandbox`` (a
limited, unprivileged child process runs them and answers requests), ``checks`` (the pytest side:
each assignment's checks compare the answers with the reference and score them), ``results``
(per-submission results, stored atomically), ``views`` (gradebook files, terminal, feedback, the
class report). ``grading`` runs a class through workers; ``routes`` are nbgrader's and Gradescope's
ways to the same scores; ``course`` holds the course folder, sample classes and the demo;
``messages`` the words; ``assignments`` one package per assignment (docs/AUTHORING.md).
``cli`` parses the command line and calls one keyword-only function per command. ``text`` (cleaning
student-controlled text), ``errors`` and ``assignment`` (the rubric's dataclasses) are leaves any of
them may import; no package imports one that comes after it (``tests/test_structure.py``).
"""
