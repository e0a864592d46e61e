"""02's hidden checks: one pytest module per graded part. Points and tolerances live in ../rubric.py."""
