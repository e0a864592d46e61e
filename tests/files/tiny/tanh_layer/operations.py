"""00's child-side operations: run the student's Tanh on the grader's arrays (in the sandbox)."""
from autograder.sandbox.inside.api import as_array, call, numerical_probe, overwritten, probe_schema


def op_tanh_forward(ns, ref, x):
    layer = call("Tanh()", ns["Tanh"])
    passed = {"x": x.copy()}
    out = as_array("Tanh.forward", call("Tanh.forward", lambda: layer.forward(passed["x"])))
    return {"out": out, "overwrote": [f"Tanh.forward:{n}" for n in overwritten({"x": x}, passed)]}


def op_tanh_backward(ns, ref, x, dout):
    layer = call("Tanh()", ns["Tanh"])
    passed = {"x": x.copy(), "dout": dout.copy()}
    call("Tanh.forward", lambda: layer.forward(passed["x"]))
    with numerical_probe({"x": x}) as probe:
        dx = call("Tanh.backward", lambda: layer.backward(passed["dout"]))
    return {"dx": as_array("Tanh.backward", dx), "probe": probe.report(),
            "overwrote": [f"Tanh.backward:{n}" for n in overwritten({"x": x, "dout": dout}, passed)]}


OPERATIONS = {"tanh_forward": op_tanh_forward, "tanh_backward": op_tanh_backward}
REPLY_SCHEMA = {"tanh_forward": {"out": "array", "overwrote": ["str"]},
                "tanh_backward": {"dx": "array", "overwrote": ["str"], "probe": probe_schema("x")}}
