"""Routes to the same scores: nbgrader's autograde and Gradescope's bundle."""
