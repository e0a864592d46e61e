"""00's rules, written once: its tests and points, and how close is right."""
from autograder.checks.authoring import Test

PARTS = ("Tanh",)
COURSE_MODULES = ("numpy",)
TESTS = (
    Test("Tanh.forward values", "Tanh", 4, "tanh(x) against the reference on random inputs of two shapes; share right"),
    Test("Tanh.backward gradient check", "Tanh", 6,
         "dx for random x and a random upstream gradient dout, against the reference; full or nothing"),
)
VALUE_REL_TOL = 1e-7
NOTES = f"Values and gradients match when their relative error is ≤ {VALUE_REL_TOL:g}."
