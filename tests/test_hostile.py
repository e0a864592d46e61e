"""The grader against hostile and broken submissions, through the real CLI, as an instructor runs it.

The whole of ``tests/files/hostile`` and ``tests/files/broken`` is graded ONCE (module fixture, about
a minute and a half with ``--jobs 2``); every test below reads that one run: its JSON, its exit
status, the host files and the processes it left behind. Each corpus file's expectations live in its
folder's ``manifest.json``:

* ``zero_parts`` / ``full_parts``: parts that must score exactly 0 / exactly their points;
* ``zero_tests`` / ``full_tests``: the same for single rubric tests;
* ``status``: the result's status, where grader policy fixes it;
* ``reason_contains`` (a string or a list): each must appear, case-insensitively, in the result's
  ``reason`` or ``output``; ``output_contains``: the same, in ``output`` only;
* ``time_bound: "load_seconds"``: its execution time stays within one load timeout (its wall-clock
  backstop where time limits count CPU time);
* ``must_not_survive``: it leaves processes behind that grading must kill (checked for all at once).

Known grader bugs are strict xfails (``KNOWN_BUGS``): when one is fixed, its XPASS says so.

The hostile corpus opens sockets to public addresses, signals its parent, forks and fills memory:
it is graded only where submissions run under bubblewrap (no network, own PID namespace).
"""
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest

from autograder import sandbox
from autograder.assignments.backprop_basics import ASSIGNMENT, rubric

from .conftest import ASSIGNMENT_01, FILES, ROOT, VENV_BIN

pytestmark = [
    pytest.mark.slow,
    pytest.mark.serial,    # its limits are short: it must not share the cores with other tests
    pytest.mark.skipif(not sandbox.isolation().bubblewrap,
                       reason="the hostile corpus is only safe to grade under bubblewrap (apt-get install bubblewrap)"),
]

HOSTILE, BROKEN = FILES / "hostile", FILES / "broken"
CORPORA = (HOSTILE, BROKEN)
MANIFEST = {}
for _folder in CORPORA:
    for _name, _entry in json.loads((_folder / "manifest.json").read_text(encoding="utf-8")).items():
        assert _name not in MANIFEST, f"{_name} is in two corpora: ids would clash"
        MANIFEST[_name] = dict(_entry, folder=_folder)
NAMES = sorted(MANIFEST)

# The batch runs under shorter time limits than the defaults (passed with --limit): what is tested is
# that every limit holds, whatever its value, and the attacks that run into them (a pipe filled, a
# loop at import, a sleeping child) then end in seconds instead of minutes. (Open: in one run with the
# default 90 s budget instead of 40 s, popen_sleep.py's `sleep 300` outlived the grader; and on a loaded
# machine a memory bomb's kills can use up the 40 s budget before train_xor.)
BATCH_LIMITS = {"request_seconds": 4.0, "load_seconds": 8.0, "submission_seconds": 40.0}
LIMITS = sandbox.Limits(**BATCH_LIMITS)
# Where time limits count the submission's CPU time, wall clock ends them at wall_factor times as
# many seconds at the latest (a starved or sleeping child): the bounds below are those backstops.
CPU_TIME = sandbox.isolation().cpu_time
LOAD_WALL = LIMITS.wall_seconds(LIMITS.load_seconds, CPU_TIME)
# One submission's wall clock: its definitions, its request budget, plus the last request (which may
# also reload the definitions) started just before the budget ran out, plus a margin.
SUBMISSION_SECONDS = (2 * LOAD_WALL + LIMITS.submission_seconds
                      + LIMITS.wall_seconds(LIMITS.request_seconds, CPU_TIME) + 15.0)
LOAD_MARGIN = 10.0
CLI_TIMEOUT = 900            # the batch takes ~60 s; past this the grader hangs (and is killed)
PWNED = (Path("/tmp/autograder-pwned-pickle"), Path("/tmp/autograder-pwned-raw-fd"))
CANARY = Path("/tmp/autograder-canary")
# Files fake_results_files.py plants (cwd, .., /tmp, ~): none may appear on the host.
PLANTED = ("results.json", "grades.json", "report.json", "score.json")
# What the corpus's leftovers look like in /proc/PID/cmdline: its sleepers, the sandboxed runner
# (forked children and daemons keep its command line), bubblewrap and the grading workers.
PROCESS_MARKERS = ("sleep 300", "time.sleep(300)", sandbox.SANDBOX_RUNNER, str(sandbox.RUNNER),
                   "/checks --submission-list", "bwrap")
TOKEN_VAR = "AUTOGRADER_TEST_RUN"

# (test function, corpus file) -> why the grader fails it. Strict: a fix turns the XPASS red.
KNOWN_BUGS = {}


def cases(test, names=NAMES):
    """One pytest.param per corpus file (id = file name), strict-xfail where KNOWN_BUGS says so."""
    params = []
    for name in names:
        bug = KNOWN_BUGS.get((test, name))
        marks = [pytest.mark.xfail(strict=True, reason=bug)] if bug else []
        params.append(pytest.param(name, marks=marks, id=name))
    return params


# ------------------------------------------------------------------ processes
def _boot_ticks():
    with open("/proc/uptime") as f:
        return float(f.read().split()[0]) * os.sysconf("SC_CLK_TCK")


def _processes():
    """{pid: (ppid, state, start ticks, cmdline, environ bytes)} of every process now."""
    found = {}
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                fields = f.read().decode("utf-8", "replace").rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                cmdline = f.read().replace(b"\0", b" ").decode("utf-8", "replace").strip()
            try:
                with open(f"/proc/{pid}/environ", "rb") as f:
                    environ = f.read()
            except OSError:
                environ = b""
            found[int(pid)] = (int(fields[1]), fields[0], int(fields[19]), cmdline, environ)
        except (OSError, IndexError, ValueError):
            continue
    return found


def _tagged(info, token):
    return f"{TOKEN_VAR}={token}".encode() in info[4].split(b"\0")


def _other_token(info, token):
    return any(v.startswith(f"{TOKEN_VAR}=".encode()) and v != f"{TOKEN_VAR}={token}".encode()
               for v in info[4].split(b"\0"))


def leftovers(token, since_ticks):
    """Live processes of the run tagged ``token``: every process that inherited the token (the CLI,
    its workers, bubblewrap), and any process started since ``since_ticks`` whose command line has
    a corpus marker, unless it belongs to someone else's live grader (another run's worker/bwrap)."""
    procs = _processes()
    mine, pid = set(), os.getpid()
    while pid in procs and pid not in mine:      # this test process and its ancestors
        mine.add(pid)
        pid = procs[pid][0]
    found = []
    for pid, info in sorted(procs.items()):
        ppid, state, start, cmdline, _ = info
        if pid in mine or state == "Z":
            continue
        if not _tagged(info, token):
            if start < since_ticks - 100 or not any(m in cmdline for m in PROCESS_MARKERS):
                continue
            owner, seen, up = None, set(), ppid
            while up > 1 and up in procs and up not in seen:
                seen.add(up)
                if _tagged(procs[up], token):
                    owner = "this run"
                    break
                if any(m in procs[up][3] for m in ("autograder", "bwrap", "nbgrader")) or _other_token(procs[up], token):
                    owner = "another run"   # another grader, the nbgrader bridge, another test run
                    break
                up = procs[up][0]
            if owner == "another run":
                continue
        found.append(f"pid {pid} (parent {ppid}, state {state}): {cmdline[:200]}")
    return found


def settled_leftovers(token, since_ticks, grace=5.0):
    """``leftovers`` once the run's last SIGKILLs have landed: bubblewrap's PID-namespace init dies
    through --die-with-parent a few milliseconds after its parent, so allow ``grace`` seconds (a
    real survivor, like a `sleep 300`, is still there after them)."""
    deadline = time.monotonic() + grace
    while True:
        left = leftovers(token, since_ticks)
        if not left or time.monotonic() > deadline:
            return left
        time.sleep(0.1)


def kill_tagged(token):
    """SIGKILL every process that carries this run's token (only ever ones this test started)."""
    killed = []
    for pid, info in _processes().items():
        if pid != os.getpid() and info[1] != "Z" and _tagged(info, token):
            try:
                os.kill(pid, signal.SIGKILL)
                killed.append(pid)
            except ProcessLookupError:
                pass
    return killed


def cli_env(token):
    return dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
                **{TOKEN_VAR: token,
                   # What env_probe.py hunts for: the child must not see the grader's environment.
                   "AUTOGRADER_SOLUTION_PATH": str(ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.py"),
                   "EXPECTED_ANSWERS": "1"})


def grade_command(paths, out):
    return [sys.executable, "-m", "autograder", "grade", *map(str, paths), "--json", str(out),
            "--csv", str(out.with_suffix(".csv")), "--jobs", "2", "--quiet", "--assignment", ASSIGNMENT_01,
            *(arg for name, value in BATCH_LIMITS.items() for arg in ("--limit", f"{name}={value:g}"))]


def run_grader(command, env, timeout=CLI_TIMEOUT):
    """Run the CLI in its own session; a hang past ``timeout`` is killed (and shows as rc -9)."""
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, encoding="utf-8", errors="replace",
                               start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        stdout, stderr = process.communicate()
        stderr += f"\n[test: the grader was still running after {timeout} s and was killed]"
    return process.returncode, stdout, stderr


def _planted_paths():
    paths = [ROOT / n for n in PLANTED] + [ROOT.parent / "results.json", Path("/tmp/results.json"),
                                           Path.home() / "results.json", Path("/autograder/results/results.json")]
    for folder in CORPORA:
        paths += [folder / n for n in PLANTED] + [folder.parent / "results.json"]
    return paths


def _stat(path):
    try:
        st = path.stat()
        return st.st_mtime_ns, st.st_size
    except OSError:
        return None


# ------------------------------------------------------------------ the one batch
# Correct submissions graded in the same batch as the corpus (so beside every hostile file, on both
# workers), and entries that are not regular files: each must have its row, the correct ones 100.
NEIGHBOURS = {"n1.py": 100, "n2.ipynb": 100, "n3.py": 100, "n4.py": 100, "n5.ipynb": 100, "n6.py": 100}
ODD = {"fifo.ipynb": "is a named pipe (FIFO)", "ref.py": "is a symbolic link (to ", "solved.ipynb":
       "is a symbolic link (to ", "source.ipynb": "is a symbolic link (to ", "shadow.py": "is a symbolic link (to ",
       "x.ipynb": "is a folder"}


def make_neighbours(folder):
    from autograder.assignments.backprop_basics import sample
    folder.mkdir()
    correct = FILES / "corpus" / "correct" / "c01_split_abs.py"
    for name in NEIGHBOURS:
        if name.endswith(".py"):
            shutil.copy(correct, folder / name)
        else:
            sample.write_notebook(sample.filled_notebook("reference"), folder / name)
    os.mkfifo(folder / "fifo.ipynb")
    os.symlink(ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.py", folder / "ref.py")
    os.symlink(ROOT / "solutions" / "01_backprop_basics" / "backprop_basics.ipynb", folder / "solved.ipynb")
    os.symlink(ROOT / "source" / "01_backprop_basics" / "backprop_basics.ipynb", folder / "source.ipynb")
    os.symlink("/etc/shadow", folder / "shadow.py")
    (folder / "x.ipynb").mkdir()
    return folder


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("hostile-batch")
    neighbours = make_neighbours(tmp / "neighbours")
    token = uuid.uuid4().hex
    for marker in PWNED:
        marker.unlink(missing_ok=True)
    made_canary = not CANARY.exists()
    CANARY.write_text("canary")
    before = {path: _stat(path) for path in _planted_paths()}
    # network.py also tries 127.0.0.1:8000: have something listen there (loopback only), so that a
    # child with network access would really connect (the kernel completes the handshake).
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        listener.bind(("127.0.0.1", 8000))
        listener.listen(64)
    except OSError:
        listener.close()
        listener = None
    out = tmp / "grades.json"
    since = _boot_ticks()
    started = time.monotonic()
    try:
        returncode, stdout, stderr = run_grader(grade_command([*CORPORA, neighbours], out), cli_env(token))
        elapsed = time.monotonic() - started
        survivors = settled_leftovers(token, since)
        results = json.loads(out.read_text(encoding="utf-8")) if out.exists() else []
        yield {"returncode": returncode, "stdout": stdout, "stderr": stderr, "elapsed": elapsed, "results": results,
               "survivors": survivors, "before": before, "out": out, "csv": out.with_suffix(".csv"),
               "neighbours": neighbours}
    finally:
        kill_tagged(token)
        if listener is not None:
            listener.close()
        if made_canary:
            CANARY.unlink(missing_ok=True)


def results_for(batch, name):
    entry = MANIFEST[name]
    target = (entry["folder"] / name).resolve()
    found = [r for r in batch["results"] if Path(r["submission"]).resolve() == target]
    assert len(found) == 1, f"{name} appears {len(found)} times in the JSON (exit {batch['returncode']}): " \
                            f"{batch['stderr'][-2000:]}"
    return found[0]


def part_scores(result):
    scores = {part: 0.0 for part in rubric.PARTS}
    for test in result["tests"]:
        scores[ASSIGNMENT.by_name[test["name"]].part] += test["score"]
    return {part: round(score, 4) for part, score in scores.items()}


def _as_list(value):
    return [value] if isinstance(value, str) else list(value or [])


def _brief(result):
    return {k: result[k] for k in ("id", "status", "reason", "score", "execution_time")} | \
           {"output": result["output"][:300], "tests": {t["name"]: t["score"] for t in result["tests"]}}


# ------------------------------------------------------------------ the batch as a whole
def test_the_batch_exits_zero(batch):
    assert batch["returncode"] == 0, batch["stderr"][-3000:]


def test_every_corpus_file_has_a_manifest_entry():
    for folder in CORPORA:
        files = {p.name for p in folder.iterdir() if p.suffix in (".py", ".ipynb")}
        listed = {name for name, entry in MANIFEST.items() if entry["folder"] == folder}
        assert files == listed, folder


def test_the_json_holds_each_submission_exactly_once(batch):
    ids = [r["id"] for r in batch["results"]]
    assert len(ids) == len(set(ids)) == len(MANIFEST) + len(NEIGHBOURS) + len(ODD), sorted(ids)
    corpus = [r for r in batch["results"] if Path(r["submission"]).parent in CORPORA]
    assert sorted(Path(r["submission"]).name for r in corpus) == NAMES


def test_every_correct_neighbour_keeps_full_marks(batch):
    """Graded in the same batch as every hostile file (the pipe filler, the spinners, the memory
    filler among them), on both workers: each correct submission gets 100, whatever ran beside it."""
    by_name = {Path(r["submission"]).name: r for r in batch["results"]
               if Path(r["submission"]).parent == batch["neighbours"]}
    assert {name: (by_name[name]["status"], by_name[name]["score"]) for name in NEIGHBOURS} == \
           {name: ("graded", score) for name, score in NEIGHBOURS.items()}, \
           {name: by_name[name]["reason"] for name in NEIGHBOURS}


def test_entries_that_are_not_regular_files_each_have_a_row_saying_why(batch):
    by_name = {Path(r["submission"]).name: r for r in batch["results"]
               if Path(r["submission"]).parent == batch["neighbours"]}
    for name, says in ODD.items():
        result = by_name[name]
        assert (result["status"], result["score"]) == ("load-error", 0), _brief(result)
        assert result["reason"].startswith(f"{name} {says}"), result["reason"]
        assert result["reason"].endswith("only regular files inside the submitted folder are graded")


def _strict_json(path):
    raw = Path(path).read_bytes()
    data = json.loads(raw.decode("utf-8"), parse_constant=lambda c: pytest.fail(f"{path}: {c} is not JSON"))

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from strings(v)
        elif isinstance(value, list):
            for v in value:
                yield from strings(v)
    for text in strings(data):
        text.encode("utf-8")   # a lone surrogate, raw or from a \udcxx escape, fails here
    done = subprocess.run(["jq", "."], input=raw, capture_output=True, timeout=60)
    assert done.returncode == 0, f"jq rejects {path}: {done.stderr.decode(errors='replace')}"
    return data


def test_the_json_files_are_strict(batch):
    """surrogate_message.py puts lone surrogates into an exception message and prints bytes that are
    not UTF-8: grades.json and every result file stay strict UTF-8 JSON that jq accepts."""
    assert _strict_json(batch["out"])
    assert subprocess.run([sys.executable, "-c", "import json,sys; json.load(open(sys.argv[1], encoding='utf-8'))",
                           str(batch["out"])]).returncode == 0
    for path in batch["out"].with_suffix(".results").glob("*.json"):
        _strict_json(path)
    batch["csv"].read_bytes().decode("utf-8")
    backward = next(t for t in results_for(batch, "surrogate_message.py")["tests"]
                    if t["name"] == "Sigmoid.backward gradient check")
    # what it raised is still said, its surrogates as text (U+FFFD, or \xNN for a byte)
    assert re.search(r"ValueError: bad (\ufffd\ufffd|\\xff\\xfe) bytes and a lone \ufffd high surrogate \ufffd",
                     backward["output"]), backward


def test_no_test_scores_more_than_its_max(batch):
    over = [(r["id"], t["name"], t["score"], t["max_score"])
            for r in batch["results"] for t in r["tests"] if t["score"] > t["max_score"]]
    assert not over
    assert all(r["score"] <= r["max_score"] == ASSIGNMENT.total_points for r in batch["results"])


def test_no_code_ran_on_the_host(batch):
    """pickle_reduce.py and raw_fd_writes.py try to get the grader to unpickle a file-creating object."""
    assert [str(p) for p in PWNED if p.exists()] == []


def test_no_results_file_was_planted_on_the_host(batch):
    """fake_results_files.py writes 100/100 results.json into cwd, .., /tmp, ~ and /autograder."""
    changed = [str(p) for p, was in batch["before"].items() if _stat(p) != was]
    assert changed == []


def test_no_process_outlives_the_grader(batch):
    """Sleepers (popen_sleep.py), daemons (daemon_double_fork.py), forked children (fork_loop.py),
    spinning or stopped children, bubblewrap and the workers: nothing of the run is left."""
    suspects = sorted(n for n in NAMES if MANIFEST[n]["must_not_survive"])
    assert batch["survivors"] == [], f"left running after the grader returned (suspects: {', '.join(suspects)})"


def test_the_gradebook_views_have_no_raw_escape_codes(batch):
    assert "\x1b" not in batch["stdout"]
    assert "\x1b" not in batch["csv"].read_text(encoding="utf-8")


# ------------------------------------------------------------------ each corpus file
@pytest.mark.parametrize("name", cases("test_parts_score_as_the_manifest_says"))
def test_parts_score_as_the_manifest_says(batch, name):
    entry, result = MANIFEST[name], results_for(batch, name)
    assert result["status"] != "grader-error", _brief(result)
    if "status" in entry:
        assert result["status"] == entry["status"], _brief(result)
    scores = part_scores(result)
    for part in entry["zero_parts"]:
        assert scores[part] == 0, (part, _brief(result))
    for part in entry["full_parts"]:
        assert scores[part] == ASSIGNMENT.part_points[part], (part, _brief(result))
    tests = {t["name"]: t["score"] for t in result["tests"]}
    for test in entry.get("zero_tests", []):
        assert tests.get(test) == 0, (test, _brief(result))
    for test in entry.get("full_tests", []):
        assert tests.get(test) == ASSIGNMENT.by_name[test].points, (test, _brief(result))


EXPLAINED = [n for n in NAMES if MANIFEST[n].get("reason_contains") or MANIFEST[n].get("output_contains")]


@pytest.mark.parametrize("name", cases("test_the_reason_says_what_went_wrong", EXPLAINED))
def test_the_reason_says_what_went_wrong(batch, name):
    entry, result = MANIFEST[name], results_for(batch, name)
    for text in _as_list(entry.get("reason_contains")):
        assert text.lower() in (result["reason"] + "\n" + result["output"]).lower(), (text, _brief(result))
    for text in _as_list(entry.get("output_contains")):
        assert text.lower() in result["output"].lower(), (text, _brief(result))


@pytest.mark.parametrize("name", cases("test_result_lists_every_rubric_test_within_its_points"))
def test_result_lists_every_rubric_test_within_its_points(batch, name):
    result = results_for(batch, name)
    assert [t["name"] for t in result["tests"]] == [t.name for t in rubric.TESTS], _brief(result)
    for test in result["tests"]:
        assert test["max_score"] == ASSIGNMENT.by_name[test["name"]].points
        assert 0 <= test["score"] <= test["max_score"], test
    assert "\n" not in result["reason"] and len(result["reason"]) <= 300, result["reason"][:1000]
    assert len(json.dumps(result)) < 1024 ** 2, "one submission's feedback must stay bounded"


@pytest.mark.parametrize("name", cases("test_execution_time_stays_within_the_budget"))
def test_execution_time_stays_within_the_budget(batch, name):
    entry, result = MANIFEST[name], results_for(batch, name)
    assert result["execution_time"] <= SUBMISSION_SECONDS, _brief(result)
    if entry.get("time_bound"):
        bound = LIMITS.wall_seconds(getattr(LIMITS, entry["time_bound"]), CPU_TIME) + LOAD_MARGIN
        assert result["execution_time"] <= bound, _brief(result)


def test_no_result_shows_the_graders_environment(batch):
    """proc_info_leak.py prints /proc/1/environ (bubblewrap's own process inside the sandbox)."""
    leaked = [r["id"] for r in batch["results"] if "AUTOGRADER_SOLUTION_PATH" in json.dumps(r)]
    assert leaked == []


@pytest.mark.parametrize("name", cases("test_feedback_has_no_raw_control_characters"))
def test_feedback_has_no_raw_control_characters(batch, name):
    """Feedback is shown to students (Gradescope, Markdown): no ANSI escapes, NULs or other C0 bytes."""
    result = results_for(batch, name)
    control = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
    texts = {"reason": result["reason"], "output": result["output"]} | {t["name"]: t["output"] for t in result["tests"]}
    bad = {where: repr(text[max(0, m.start() - 40): m.start() + 40])
           for where, text in texts.items() if (m := control.search(text))}
    assert bad == {}


# ------------------------------------------------------------------ a grader killed mid-batch
@pytest.fixture
def reaper():
    """A token for the environment of the graders a test starts; whatever still carries it is killed."""
    token = uuid.uuid4().hex
    yield token
    kill_tagged(token)


def _result_files(folder):
    return {p.name: p.stat().st_mtime_ns for p in Path(folder).glob("*.json") if not p.name.startswith(".")} \
        if Path(folder).is_dir() else {}


def _by_id(path):
    return {r["id"]: r for r in json.loads(Path(path).read_text(encoding="utf-8"))}


def test_a_batch_killed_midway_resumes_to_the_same_grades(tmp_path, reaper):
    corpus = FILES / "corpus"
    klass = tmp_path / "class"
    klass.mkdir()
    picked = sorted((corpus / "correct").glob("*.py"))[:6] + sorted((corpus / "mistakes").glob("*.py"))[:6]
    for path in picked:
        shutil.copy(path, klass / path.name)
    env = cli_env(reaper)

    clean_out = tmp_path / "clean" / "grades.json"
    clean_out.parent.mkdir()
    code, _, stderr = run_grader(grade_command([klass], clean_out), env)
    assert code == 0, stderr[-3000:]
    clean = _by_id(clean_out)
    assert len(clean) == len(picked)

    out = tmp_path / "killed" / "grades.json"
    out.parent.mkdir()
    results_dir = out.with_suffix(".results")
    command = grade_command([klass], out)
    since = _boot_ticks()
    with open(tmp_path / "killed.log", "w") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log,
                                   stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.monotonic() + 300
        while len(_result_files(results_dir)) < 3 and process.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        finished_early = process.poll() is not None
        os.killpg(process.pid, signal.SIGKILL)   # the CLI and its workers: one process group
        process.wait()
    done_at_kill = _result_files(results_dir)
    # SIGKILL leaves the batch's shard lists in its temporary folder: remove this run's.
    for folder in Path(tempfile.gettempdir()).glob("autograder-batch-*"):
        try:
            if str(klass) in (folder / "shard-1.json").read_text(encoding="utf-8"):
                shutil.rmtree(folder, ignore_errors=True)
        except OSError:
            pass
    assert not finished_early, (tmp_path / "killed.log").read_text()[-3000:]
    assert 3 <= len(done_at_kill) < len(picked), sorted(done_at_kill)

    # Nothing of the killed batch may keep running: workers (`python -m pytest ... <checks> --submission-list`),
    # bubblewrap, the sandboxed runners.
    left = settled_leftovers(reaper, since)
    assert not left, "processes of the killed grader survived SIGKILL of its process group"

    code, _, stderr = run_grader(command, env)
    assert code == 0, stderr[-3000:]
    counts = re.search(r"(\d+) submissions, (\d+) already graded", stderr)
    assert counts, stderr[-3000:]
    assert int(counts.group(1)) == len(picked)
    assert int(counts.group(2)) >= len(done_at_kill), stderr[-3000:]
    after = _result_files(results_dir)
    assert {name: after.get(name) for name in done_at_kill} == done_at_kill, "finished results were regraded"

    final = json.loads(out.read_text(encoding="utf-8"))
    assert sorted(r["id"] for r in final) == sorted(clean)
    for result in final:
        expected = clean[result["id"]]
        assert result["status"] == expected["status"] == "graded", _brief(result)
        assert {t["name"]: t["score"] for t in result["tests"]} == \
               {t["name"]: t["score"] for t in expected["tests"]}, result["id"]
        assert result["score"] == expected["score"]


# ------------------------------------------------------------------ the Gradescope bundle
# bundle_fixture is test_gradescope's fixture, requested below by its name, "bundle".
from .test_gradescope import assert_gradescope_results, bundle_fixture, gradescope_container, read_results, \
    run_autograder  # noqa: E402,F401 -- bundle_fixture is a fixture


@pytest.mark.parametrize("name, target", [("x.py", "../source/solutions/01_backprop_basics/backprop_basics.py"),
                                          ("backprop_basics.ipynb", "/etc/shadow")])
def test_a_gradescope_upload_that_is_a_link_is_never_read(tmp_path, bundle, name, target):
    """Gradescope unpacks what the student uploaded: a link to the reference in the bundle scored
    100, one to /etc/shadow was opened by the root grader. Now: 0, and the student reads why."""
    root = gradescope_container(tmp_path, bundle[0])
    os.symlink(target, root / "submission" / name)
    data = read_results(root, run_autograder(root, bundle[1]))
    assert_gradescope_results(data)
    assert data["score"] == 0 and data["extra_data"]["status"] == "load-error"
    assert f"{name} is a symbolic link (to {target}" in data["output"]
