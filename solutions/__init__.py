"""Reference solutions of the backprop exercise kit.

`backprop_basics.py` and `backprop_basics.ipynb` (assignment 01), `layers.py` and `layers.ipynb`
(assignment 02) are generated from the nbgrader source notebooks (`source/<assignment>/*.ipynb`, the
one place the solutions are written) by `python -m solutions.build`; a test fails when they drift.
"""
