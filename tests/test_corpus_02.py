"""Assignment 02's grader against a corpus written from the student API alone (tests/files/corpus02):
every correct submission gets 100, every mistaken one loses points in its own part and only there,
with its hint, graded through the real CLI (sandbox included). Also the rubric's own promises."""
import json

import pytest

from autograder.assignments.layers import ASSIGNMENT, reference, rubric

from .conftest import FILES, run_cli

CORPUS = FILES / "corpus02"
# Mistakes whose runs are those of another mistake: the hint named covers both causes.
SAME_RUNS = {"train-shuffle-once": "train-rng-per-epoch"}


def test_every_test_names_its_part_and_parts_sum_to_100():
    for test in rubric.TESTS:
        assert test.name.startswith(test.part) and test.part in rubric.PARTS
    assert ASSIGNMENT.part_points == {"ReLU": 15, "SoftmaxCrossEntropy": 20, "Conv2D": 30, "MaxPool2D": 15,
                                  "train_classifier": 20}
    assert ASSIGNMENT.total_points == 100


def test_the_reference_reaches_the_accuracy_threshold_on_the_graded_run():
    _, params = reference.train_expected("accuracy")
    assert reference.accuracy(params) >= rubric.SPIRAL_MIN_ACCURACY


@pytest.mark.parametrize("variant", (None,) + reference.SGD_MISTAKES)
def test_every_sgd_variant_counts_as_training(variant):
    losses, params = reference.train_expected("accuracy", variant)
    assert reference.trained_by_sgd("accuracy", params, losses)
    assert reference.trained_by_sgd("accuracy", params, None)


def test_weights_from_elsewhere_do_not_count_as_training():
    params, X, y, lr, epochs, batch_size, seed = reference.run_args("accuracy")
    other_start = reference.initial_params(9, params[0].shape[1])
    losses, trained = reference.train_variant(other_start, X, y, lr, epochs, batch_size, seed)
    assert reference.accuracy(trained) >= 0.9
    assert not reference.trained_by_sgd("accuracy", trained, losses)
    real, _ = reference.train_expected("accuracy")
    assert not reference.trained_by_sgd("accuracy", trained, real[:50])   # a real start, then pasted weights
    for variant in ("train-rebinds-param", "train-shuffle-misaligned"):
        assert variant not in reference.SGD_MISTAKES


def test_grader_inputs_have_no_ties_in_any_pooling_window():
    for k in range(len(reference.POOL_CASES)):
        x, _, _, _ = reference.pool_case(k)
        assert len(set(x.ravel().tolist())) == x.size


def test_every_hint_the_checks_can_give_exists_in_both_languages():
    from autograder import messages
    catalogs = [messages.catalog(lang, "autograder.assignments.layers") for lang in messages.LANGUAGES]
    for words in catalogs:
        assert all(words.hint_text(hint_id) for hint_id in catalogs[0].hints)
    for variant in reference.TRAIN_MISTAKES:
        assert catalogs[0].hint_text(reference.VARIANT_HINT.get(variant, variant)), variant


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    out = tmp_path_factory.mktemp("corpus02") / "grades.json"
    run_cli("grade", CORPUS / "submissions", "--json", out, "--quiet", assignment=ASSIGNMENT.id)
    return {r["id"]: r for r in json.loads(out.read_text(encoding="utf-8"))}


def manifest():
    return json.loads((CORPUS / "manifest.json").read_text(encoding="utf-8"))


def submission_id(name):
    return name.rsplit(".", 1)[0]


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(manifest()))
def test_corpus_submission_loses_points_in_its_part_only_with_its_hint(graded, name):
    entry = manifest()[name]
    result = graded[submission_id(name)]
    assert result["status"] == "graded", result.get("reason")
    scores, tags = {}, set()
    for test in result["tests"]:
        got, full = scores.get(test["part"], (0.0, 0.0))
        scores[test["part"]] = (got + test["score"], full + test["max_score"])
        tags.update(test["tags"])
    lost = sorted(part for part, (got, full) in scores.items() if got < full - 1e-9)
    assert lost == sorted(entry["loses"]), f"{entry['diagnosis']}: lost {lost}"
    if entry["kind"] == "correct":
        assert result["score"] == 100
    if entry["hint"]:
        assert SAME_RUNS.get(entry["hint"], entry["hint"]) in tags, f"{entry['diagnosis']}: tags {sorted(tags)}"


def test_feedback_figure_draws_a_run_and_refuses_a_wrong_shape(tmp_path):
    import numpy as np

    from autograder.assignments.layers import plots
    from autograder.views.plots import Unplottable
    losses, params = reference.train_expected("accuracy")
    record = tmp_path / "run.npz"
    np.savez(record, losses=losses, **dict(zip(plots.PARAM_NAMES, params)))
    for lang in ("zh", "en"):
        png = plots.render(record, tmp_path / f"{lang}.png", lang=lang)
        assert png.stat().st_size > 10_000
    np.savez(record, losses=losses, **dict(zip(plots.PARAM_NAMES, [params[0][:, :8]] + params[1:])))
    with pytest.raises(Unplottable):
        plots.render(record, tmp_path / "bad.png")
