"""Reference solutions of the exercise kit, one folder per assignment.

``<assignment>/<notebook>.py`` (the definitions the grader compares with) and ``.ipynb`` (the solved
notebook) are generated from the nbgrader source notebooks (``source/<assignment>/*.ipynb``, the one
place the solutions are written) by ``python -m solutions.build``; a test fails when they drift. The
grader loads a reference module by its path (``Assignment.reference``).
"""
