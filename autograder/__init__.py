"""Hidden autograder of the backprop exercise kit (never shipped to students).

``python -m autograder grade PATH ... --json OUT.json`` grades a class; the checks themselves are the
pytest tests in ``autograder/checks`` (``pytest autograder/checks --submission FILE``).
"""
