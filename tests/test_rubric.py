"""The rubric's own promises: tests named by their parts, and training runs the reference actually solves."""
from autograder.assignments.backprop_basics import reference, rubric


def test_every_test_names_its_part():
    for test in rubric.TESTS:
        assert test.name.startswith(test.part) and test.part in rubric.PARTS


def test_the_reference_reaches_4_of_4_on_the_accuracy_runs():
    for name in ("main", "second"):
        _, params = reference.train(*rubric.TRAIN_RUNS[name])
        assert reference.accuracy(params) == 4, name


def test_tiers_decrease():
    shares = [share for _, share in rubric.GRADIENT_TIERS]
    assert shares == sorted(shares, reverse=True) and rubric.tier(0.0) == 1.0 and rubric.tier(1.0) == 0.0
