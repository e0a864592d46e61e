"""``--profile``: where one worker's seconds go (start-up costs measured alone, then the worker
under cProfile). Measures assignment 01's internals."""
import json
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path


import common
from common import (NotebookFactory, OUTPUT, PYTHON, ROOT, changed_warning, env, fmt, grade_with_kit, loadavg, machine,
    say, write_json)

# ---------------------------------------------------------------- --profile
def timed(argv, repeat, **kwargs):
    """Median wall seconds of running ``argv`` ``repeat`` times."""
    times = []
    for _ in range(repeat):
        started = time.monotonic()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, **kwargs)
        times.append(time.monotonic() - started)
    return statistics.median(times)


def per_call(fn, repeat=5):
    """Median seconds of one ``fn()`` call."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def startup_costs(tmp, repeat):
    """Fixed costs measured one by one, outside any profiler."""
    from autograder.grading import batch
    from autograder.sandbox import child
    from autograder import sandbox
    from autograder.assignments.backprop_basics import operations, reference
    site = sandbox.site_packages()
    costs = {}
    costs["interpreter_start_s"] = timed([PYTHON, "-c", "pass"], repeat)
    costs["numpy_import_s"] = timed([PYTHON, "-c", "import numpy"], repeat) - costs["interpreter_start_s"]
    costs["pytest_import_s"] = timed([PYTHON, "-c", "import pytest"], repeat) - costs["interpreter_start_s"]
    costs["autograder_plugin_import_s"] = (timed([PYTHON, "-c", "import autograder.checks.plugin"], repeat)
                                           - costs["interpreter_start_s"])
    empty = tmp / "empty.json"
    empty.write_text("[]")
    worker_env = dict(env(), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
                      **{k: v for k, v in sandbox.ENV.items() if k.endswith("NUM_THREADS")})
    costs["worker_fixed_s"] = timed(batch.worker_command(empty, tmp / "empty-results", "zh", common.GRADED),
                                    repeat, env=worker_env)
    # The child side: `python -I -S` with and without numpy, with and without bubblewrap.
    bare = [sys.executable, "-I", "-S", "-c", "pass"]
    with_numpy = [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.append({site!r}); import numpy"]
    costs["child_python_start_s"] = timed(bare, repeat)
    costs["child_numpy_import_s"] = timed(with_numpy, repeat) - costs["child_python_start_s"]
    if sandbox.isolation().bubblewrap:
        wrapped, _ = sandbox.command(sandbox.Isolation(sandbox.BUBBLEWRAP), bare)
        costs["bubblewrap_overhead_s"] = timed(wrapped, repeat) - costs["child_python_start_s"]
    # A submission's zygote as the grader starts it (bwrap + python + numpy + runner + definitions):
    # the chunks the kit really loads from a reference notebook, then the same without the matplotlib
    # cell, then only the graded definitions (what a loader following free names from Sigmoid,
    # FullyConnectedLayer, TwoLayerNet and train_xor would keep).
    from autograder.find import load
    from autograder.course import sample as engine_sample
    notebook = NotebookFactory().write("reference", "startup", tmp / "startup" / common.NOTEBOOK)
    entry, modules = common.GRADED.entry_points, common.GRADED.course_modules
    costs["load_path_parent_s"] = per_call(lambda: load.load_path(notebook, entry, modules), 10)
    loaded = load.load_path(notebook, entry, modules).chunks
    variants = {"notebook_as_loaded": loaded,
                "without_matplotlib_cell": [c for c in loaded if "matplotlib" not in c["source"]],
                "graded_definitions_only": load.load_cells(
                    [("cell", "\n\n".join(engine_sample.solved_cells(common.GRADED).values()))], entry, modules).chunks}
    costs["notebook_chunks_kept"] = {"cells": len(loaded), "demo_statements": sum(
        1 for c in loaded for line in c["source"].split("\n") if re.match(r"(losses|net|model_plus|sigmoid) = ", line))}
    process_args = dict(operations=common.GRADED.operations_source, schema=operations.REPLY_SCHEMA,
                        entry_points=common.GRADED.entry_points)
    kinds = ["bubblewrap", "limits-only"] if sandbox.isolation().bubblewrap else ["limits-only"]
    for kind in kinds:
        for name, chunks in variants.items():
            def start_close(kind=kind, chunks=chunks):
                p = child.StudentProcess(chunks, kind=kind, **process_args)
                assert p.ensure_loaded()
                p.close()
            costs[f"zygote_{kind}_{name}_s"] = per_call(start_close, repeat)

    def part_fork():
        p = child.StudentProcess(variants["graded_definitions_only"], **process_args)
        p.ensure_loaded()
        started = time.perf_counter()
        for part in common.GRADED.parts:
            p._enter_part(part, "", ())
        elapsed = time.perf_counter() - started
        p.close()
        return elapsed
    costs["three_part_forks_s"] = statistics.median(part_fork() for _ in range(repeat))

    # Parent-side references, uncached, per call.
    from autograder.assignments.backprop_basics.checks import test_sigmoid, test_two_layer_net
    costs["net_numerical_per_call_s"] = {
        str(test_two_layer_net.DIMS[k]): per_call(lambda k=k: reference.net_numerical(*test_two_layer_net.case(k)[1:]))
        for k in range(len(test_two_layer_net.DIMS))}
    costs["sigmoid_numerical_all_shapes_s"] = per_call(lambda: [reference.numerical_gradient(
        reference.sigmoid, *test_sigmoid.case(k)) for k in range(len(test_sigmoid.SHAPES))])
    train = reference.train.__wrapped__
    costs["reference_train_1000_epochs_s"] = per_call(lambda: train(1, 0.3, 1000), 3)
    costs["reference_train_37_epochs_s"] = per_call(lambda: train(5, 0.5, 37))
    costs["reference_train_sgd_37_epochs_s"] = per_call(lambda: train(5, 0.5, 37, "sgd"))
    costs["reference_train_5000_epochs_s"] = per_call(lambda: train(1, 0.3, 5000), 3)
    return {k: (round(v, 4) if isinstance(v, float) else {a: round(b, 4) for a, b in v.items()})
            for k, v in costs.items()}


# function (file suffix, name) -> label, for the profile's breakdown
PROFILE_ROWS = [
    (("_pytest/runner.py", "runtestprotocol"), "test phase (all tests, fixtures included)"),
    (("autograder/checks/plugin.py", "student"), "student fixture: parse, start/close child, save"),
    (("_pytest/reports.py", "from_item_and_call"), "pytest: test reports (failure tracebacks)"),
    (("autograder/sandbox/child.py", "_start"), "zygote start: bwrap + python + numpy + definitions"),
    (("autograder/sandbox/child.py", "_enter_part"), "part processes: fork + reference source"),
    (("autograder/sandbox/child.py", "close"), "closing a submission's processes (kill, reap)"),
    (("autograder/sandbox/zygote.py", "_reap_orphans"), "  of which: /proc scan for orphans"),
    (("autograder/sandbox/child.py", "_request"), "all requests to the child (incl. waiting)"),
    (("select", "select"), "  waiting for the child (select)"),
    (("backprop_basics/checks/test_train_xor.py", "run"), "XOR training requests (child, incl. part start)"),
    (("backprop_basics/checks/test_train_xor.py", "trajectory_hints"), "train_xor mistake hints"),
    (("backprop_basics/reference.py", "train"), "parent: reference.train (lru-cached per worker)"),
    (("backprop_basics/reference.py", "net_numerical"), "parent: TwoLayerNet numerical gradients"),
    (("backprop_basics/reference.py", "numerical_gradient"), "parent: numerical_gradient (all callers)"),
    (("backprop_basics/reference.py", "net_backward"), "parent: reference net backward"),
    (("backprop_basics/reference.py", "net_forward"), "parent: reference net forward (all callers)"),
    (("backprop_basics/reference.py", "sigmoid_mistakes"), "parent: Sigmoid mistake models"),
    (("backprop_basics/reference.py", "net_mistakes"), "parent: TwoLayerNet mistake models"),
    (("autograder/find/load.py", "load_path"), "reading + parsing the notebook"),
    (("autograder/results/store.py", "save"), "writing the result (fsync)"),
    (("autograder/find/fingerprint.py", "of_grader"), "grader fingerprint (hashes the grader's files)"),
    (("autograder/sandbox/inside/wire.py", "encode"), "wire: encode arrays"),
    (("autograder/sandbox/inside/wire.py", "decode"), "wire: decode arrays"),
]


def profile_breakdown(prof_path, n):
    import pstats
    stats = pstats.Stats(str(prof_path))
    by_key = {}
    for (filename, _line, name), (cc, nc, tt, ct, _callers) in stats.stats.items():
        key = (filename, name)
        old = by_key.get(key, (0, 0, 0.0, 0.0))
        by_key[key] = (old[0] + cc, old[1] + nc, old[2] + tt, old[3] + ct)

    def find(suffix, name):
        if suffix == "select":   # a builtin: cProfile files it under "~" as "<built-in method select.select>"
            hits = [v for (f, fn), v in by_key.items() if f == "~" and "select.select" in fn]
        else:
            hits = [v for (f, fn), v in by_key.items() if fn == name and f.endswith(suffix)]
        return tuple(map(sum, zip(*hits))) if hits else None

    total = stats.total_tt
    rows = []
    for (suffix, name), label in PROFILE_ROWS:
        hit = find(suffix, name)
        if hit:
            cc, nc, tt, ct = hit
            rows.append({"function": f"{suffix}:{name}", "what": label, "calls": nc,
                         "calls_per_submission": round(nc / n, 1),
                         "cumulative_s": round(ct if suffix != "select" else tt, 3),
                         "per_submission_ms": round(1000 * (ct if suffix != "select" else tt) / n, 1)})
    imports = find("<frozen importlib._bootstrap>", "_find_and_load")
    tests = []
    for (filename, name), (cc, nc, tt, ct) in by_key.items():
        if "/checks/test_" in filename and name.startswith("test_"):
            tests.append({"test": f"{Path(filename).stem}::{name}", "calls": nc, "cumulative_s": round(ct, 3),
                          "per_submission_ms": round(1000 * ct / n, 1)})
    tests.sort(key=lambda t: -t["cumulative_s"])
    phase = find("_pytest/runner.py", "runtestprotocol")
    fixture = find("autograder/checks/plugin.py", "student")
    if phase and fixture:
        rest = phase[3] - fixture[3] - sum(t["cumulative_s"] for t in tests)
        rows.append({"function": "(computed)", "what": "pytest machinery: test phase - tests - fixture",
                     "calls": 0, "calls_per_submission": 0, "cumulative_s": round(rest, 3),
                     "per_submission_ms": round(1000 * rest / n, 1)})
    top = sorted(((v[2], f"{Path(f).name if f != '~' else ''}:{fn}", v[1]) for (f, fn), v in by_key.items()),
                 reverse=True)[:15]
    return {"profiled_total_s": round(total, 3),
            "imports_s": round(imports[3], 3) if imports else None,
            "rows": rows, "tests": tests,
            "top_own_time": [{"function": f, "own_s": round(t, 3), "calls": c} for t, f, c in top]}


def profile_benchmark(args, tmp):
    from autograder.grading import batch
    from autograder import sandbox
    facts = machine()
    factory = NotebookFactory()
    n = args.profile_count
    mistakes = list(common.sample.MISTAKES)
    variants = ["reference"] * (n - n // 2) + [mistakes[i % len(mistakes)] for i in range(n // 2)]
    folder = tmp / "profile-class"
    subs = []
    for i, variant in enumerate(variants, start=1):
        sid = f"p{i:02d}"
        path = factory.write(variant, sid, folder / f"{sid}.ipynb")
        subs.append({"id": sid, "path": str(path), "given": str(path), "duplicate_of": []})
    say(f"profiling one worker on {n} submissions: {dict((v, variants.count(v)) for v in dict.fromkeys(variants))}")

    say("start-up costs (each measured alone, median of 5) ...")
    costs = startup_costs(tmp, 5)

    # The same worker unprofiled, as the kit runs it (one worker = --jobs 1), for the real wall time.
    logs = tmp / "logs"
    logs.mkdir()
    plain = grade_with_kit([folder], jobs=1, out_dir=logs, label="kit-profile-set", students=dict(zip(
        [s["id"] for s in subs], variants)))
    say(f"  unprofiled single worker (kit --jobs 1): {plain['wall_s']:.2f} s for {n}, median "
        f"{plain['per_submission_median_s']} s per submission")

    list_file = tmp / "profile-list.json"
    list_file.write_text(json.dumps(subs))
    argv = batch.worker_command(list_file, tmp / "profile-results", "zh", common.GRADED)
    prof = OUTPUT / "profile.prof"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    argv = [argv[0], "-m", "cProfile", "-o", str(prof)] + argv[1:]
    worker_env = dict(env(), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
                      **{k: v for k, v in sandbox.ENV.items() if k.endswith("NUM_THREADS")})
    say("cProfile of the worker ...")
    started = time.monotonic()
    with open(OUTPUT / "profile-worker.log", "w") as log:
        subprocess.run(argv, cwd=ROOT, env=worker_env, stdout=log, stderr=subprocess.STDOUT)
    profiled_wall = time.monotonic() - started
    breakdown = profile_breakdown(prof, n)

    # pytest builds a full traceback for every failed test (each lost point is a failed test); the
    # worker's log is the only reader. The same worker with --tb=native, unprofiled, for comparison.
    say("the worker unprofiled, default --tb vs --tb=native ...")
    plain_argv = batch.worker_command(list_file, tmp / "tb-results", "zh", common.GRADED)
    tb = {}
    for _ in range(3):
        for label, extra in (("default", []), ("native", ["--tb=native"])):
            started = time.monotonic()
            subprocess.run(plain_argv + extra, cwd=ROOT, env=worker_env, capture_output=True)
            tb.setdefault(label, []).append(time.monotonic() - started)
    failed = sum(1 for line in (OUTPUT / "profile-worker.log").read_text(errors="replace").splitlines()
                 if line.startswith("FAILED "))
    tb = {"worker_wall_default_s": round(statistics.median(tb["default"]), 3),
          "worker_wall_tb_native_s": round(statistics.median(tb["native"]), 3), "failed_tests": failed}
    tb["saved_per_failed_test_ms"] = round(1000 * (tb["worker_wall_default_s"] - tb["worker_wall_tb_native_s"])
                                           / max(failed, 1), 1)
    result = {"mode": "profile", "machine": facts, "submissions": n, "variants": variants,
              "startup_costs": costs, "unprofiled_worker": plain, "profiled_worker_wall_s": round(profiled_wall, 3),
              "profile": breakdown, "tb_native": tb, "loadavg_at_end": loadavg()}
    result["grader_changed_during_run"] = changed_warning(facts)
    path = write_json(result, "profile.json")

    lines = [f"machine: {facts['cores']} cores, Python {facts['python']}, numpy {facts['numpy']}, "
             f"isolation {facts['isolation']}, "
             f"load average {facts['loadavg_at_start']}", ""]
    lines.append("fixed costs, each measured alone (median of 5 runs):")
    for key, value in costs.items():
        if key == "notebook_chunks_kept":
            lines.append(f"  {key:<40} {value}")
        elif isinstance(value, dict):
            lines.append(f"  {key:<40} " + ", ".join(f"{k}: {1000 * v:.1f} ms" for k, v in value.items()))
        else:
            lines.append(f"  {key:<40} {1000 * value:8.1f} ms")
    lines.append("")
    lines.append(f"one worker, unprofiled: {plain['wall_s']:.2f} s wall for {n} submissions "
                 f"(median {fmt(plain['per_submission_median_s'])} s per submission inside the worker)")
    lines.append(f"one worker, under cProfile: {profiled_wall:.2f} s wall; profiled {breakdown['profiled_total_s']} s "
                 f"(imports {breakdown['imports_s']} s)")
    lines.append(f"the same worker unprofiled (median of 3): {tb['worker_wall_default_s']:.2f} s as the kit runs it, "
                 f"{tb['worker_wall_tb_native_s']:.2f} s with --tb=native ({tb['failed_tests']} failed tests: "
                 f"{tb['saved_per_failed_test_ms']} ms per failed test)")
    lines.append("")
    lines.append(f"{'where (cumulative, parent process)':<55}{'calls/sub':>10}{'total s':>9}{'ms/sub':>9}")
    for row in breakdown["rows"]:
        lines.append(f"{row['what']:<55}{row['calls_per_submission']:>10}{row['cumulative_s']:>9.3f}{row['per_submission_ms']:>9.1f}")
    lines.append("")
    lines.append(f"{'test (cumulative)':<70}{'total s':>9}{'ms/sub':>9}")
    for t in breakdown["tests"]:
        lines.append(f"{t['test']:<70}{t['cumulative_s']:>9.3f}{t['per_submission_ms']:>9.1f}")
    lines.append("")
    lines.append("largest own (self) time:")
    for t in breakdown["top_own_time"]:
        lines.append(f"  {t['function']:<60}{t['own_s']:>8.3f} s {t['calls']:>9} calls")
    text = "\n".join(lines)
    (OUTPUT / "profile.txt").write_text(text + "\n")
    say()
    say(text)
    say(f"\nwrote {path.relative_to(ROOT)}, bench/output/profile.txt, bench/output/profile.prof "
        f"(python -m pstats bench/output/profile.prof)")
    return result


