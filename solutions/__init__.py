"""Reference solutions of the backprop exercise kit.

`backprop_basics.py` and `backprop_basics.ipynb` are generated from the nbgrader source notebook
(`source/01_backprop_basics/backprop_basics.ipynb`, the one place the solutions are written) by
`python -m solutions.build`; a test fails when they drift.
"""
