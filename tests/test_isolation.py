"""A submission's processes never hold the reference of a part still to be graded."""
from autograder import discover, load, plugin, reference, sandbox

from .conftest import ROOT


def student_for(tmp_path):
    path = tmp_path / "s.py"
    path.write_text((ROOT / "solutions" / "backprop_basics.py").read_text(encoding="utf-8"), encoding="utf-8")
    submission = discover.Submission(id="s", path=path, given=str(path), duplicate_of=())
    return plugin.Student(submission, load.load_path(path), sandbox.Limits(), sandbox.isolation())


def zygote(student):
    return student.process.process.pid


def train(student):
    return student.request("train_xor", "train", params=reference.initial_params(1), X=reference.XOR_X,
                           y=reference.XOR_Y, learning_rate=0.3, epochs=5)


def test_in_rubric_order_one_sandbox_serves_every_part(tmp_path):
    student = student_for(tmp_path)
    try:
        assert student.request("Sigmoid", "sigmoid_forward", x=reference.XOR_X).ok
        first = zygote(student)
        assert student.request("TwoLayerNet", "net_structure", dims=[2, 8, 1]).ok
        assert train(student).ok
        assert zygote(student) == first
    finally:
        student.close()


def test_a_part_asked_for_after_its_reference_was_sent_gets_a_fresh_sandbox(tmp_path):
    student = student_for(tmp_path)
    try:
        assert train(student).ok                      # this sandbox has now seen the reference TwoLayerNet
        first = zygote(student)
        assert student.request("TwoLayerNet", "net_structure", dims=[2, 8, 1]).ok
        second = zygote(student)
        assert second != first
        assert student.request("TwoLayerNet", "net_structure", dims=[3, 5, 2]).ok
        assert zygote(student) == second              # nothing new revealed: no restart
    finally:
        student.close()
