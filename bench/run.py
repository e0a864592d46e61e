"""Benchmark of the autograder against nbgrader (``make bench``); a measurement, not a test.

Modes (one per run; see bench/README.md for what each number means):

* default -- a temporary nbgrader course with a class of ``--students`` (60) notebooks in nbgrader's
  ``submitted/<student>/01_backprop_basics/`` layout, graded by the kit with ``--jobs`` (CPU cores)
  and ``--jobs 1``, then by ``nbgrader autograde`` (first ``--nbgrader-sample`` students). Prints a
  table, writes ``bench/output/results.json``.
* ``--scale`` -- classes of 100 and 1000 notebooks (``--scale-sizes``) in a flat folder, graded by
  the kit only: wall time, submissions/s and peak memory of the grader's process tree. Writes
  ``bench/output/scale.json``.
* ``--profile`` -- where one worker's seconds go on ``--profile-count`` (10) submissions: start-up
  micro-measurements, then ``python -m cProfile -m pytest <assignment>/checks --submission-list ...``
  (the very command ``batch.worker_command`` runs). Writes ``bench/output/profile.{json,txt,prof}``.

Everything is built from the assignment's ``sample`` module (the real release notebook, filled in with the
reference solution or one typical mistake), in a temporary folder that is removed afterwards
(``--keep`` keeps it). Nothing outside ``bench/output/`` and that folder is written.
"""
import argparse
import json
import os
import platform
import random
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "bench" / "output"
VENV_BIN = ROOT / ".venv" / "bin"
PYTHON = str(VENV_BIN / "python") if (VENV_BIN / "python").exists() else sys.executable
# The assignment measured (``--assignment``, default 01): its id, notebook name, package and sample
# module (the variants a class is built from), set by ``use_assignment`` before anything runs.
ASSIGNMENT = "01_backprop_basics"
NOTEBOOK = GRADED = sample = None
PLACEHOLDER = "@@BENCH-SUBMISSION-ID@@"
PAGE = os.sysconf("SC_PAGE_SIZE")
TICKS = os.sysconf("SC_CLK_TCK")

sys.path.insert(0, str(ROOT))
try:
    from autograder import assignments  # noqa: E402 -- needs the venv (nbformat, numpy)
except ImportError as exc:  # pragma: no cover
    sys.exit(f"bench/run.py: {exc}; run it with the venv's python (make bench)")


def use_assignment(assignment_id):
    """Measure ``assignment_id``: its package must have a ``sample`` module (MISTAKES, filled_notebook)."""
    global ASSIGNMENT, NOTEBOOK, GRADED, sample
    GRADED = assignments.get(assignment_id)
    ASSIGNMENT, NOTEBOOK, sample = GRADED.id, GRADED.notebook, GRADED.module("sample")
    if sample is None:
        sys.exit(f"bench/run.py: assignment {assignment_id} has no sample module to build a class from")


def env():
    """Environment of every command: the venv's bin first (nbgrader runs `alembic` by name)."""
    return dict(os.environ, PATH=f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}", MPLBACKEND="Agg")


def cores():
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover
        return os.cpu_count() or 1


def loadavg():
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return None


def cpu_busy_seconds():
    """Busy CPU seconds of the whole machine so far (all cores), from /proc/stat."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return None
    return (sum(fields[:8]) - fields[3] - fields[4]) / TICKS   # all but idle and iowait


def say(text=""):
    print(text, flush=True)


# ---------------------------------------------------------------- building submissions
def mix(n, seed=2026):
    """A deterministic class: ~50% reference, ~5% untouched release, the rest over the mistakes."""
    mistakes = list(sample.MISTAKES)
    n_release = max(1, round(n * 0.05)) if n >= 10 else 0
    n_reference = n // 2
    variants = ["reference"] * n_reference + ["release"] * n_release
    variants += [mistakes[i % len(mistakes)] for i in range(n - len(variants))]
    random.Random(seed).shuffle(variants)
    return variants


class NotebookFactory:
    """Serialised notebooks per variant, each copy made unique by its id in the notebook metadata
    (so that no content-addressed shortcut could ever grade two students as one)."""

    def __init__(self):
        import nbformat
        self._nbformat, self._text = nbformat, {}

    def text(self, variant, submission_id):
        if variant not in self._text:
            nb = sample.filled_notebook(variant)
            nb.metadata["bench"] = {"submission": PLACEHOLDER, "variant": variant}
            self._text[variant] = self._nbformat.writes(nb)
        return self._text[variant].replace(PLACEHOLDER, submission_id)

    def write(self, variant, submission_id, path):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(self.text(variant, submission_id), encoding="utf-8")
        return path


def build_course(tmp, n, factory):
    """A temporary nbgrader course: source/ and the config copied, the release generated by real
    nbgrader, and ``n`` submissions in ``submitted/<student>/<assignment>/``."""
    course = tmp / "course"
    shutil.copytree(ROOT / "source", course / "source")
    shutil.copy(ROOT / "nbgrader_config.py", course)
    # The baseline is stock `nbgrader autograde`: the kit's configuration replaces its kernel execution
    # with the sandboxed engine, so the bench course puts nbgrader 0.9.6's own list back (Execute runs
    # each notebook in a kernel, the self-check grade cells pass or fail).
    with open(course / "nbgrader_config.py", "a", encoding="utf-8") as config:
        config.write("\n# bench/run.py: stock nbgrader autograde, the baseline\n"
                     "c.Autograde.autograde_preprocessors = [\n"
                     + "".join(f"    '{name}',\n" for name in (
                         "nbgrader.preprocessors.Execute", "nbgrader.preprocessors.IgnorePattern",
                         "nbconvert.preprocessors.ClearMetadataPreprocessor", "nbgrader.preprocessors.LimitOutput",
                         "nbgrader.preprocessors.SaveAutoGrades", "nbgrader.preprocessors.AssignLatePenalties",
                         "nbgrader.preprocessors.CheckCellMetadata"))
                     + "]\n")
    (course / ".nbgrader").mkdir()
    started = time.monotonic()
    proc = subprocess.run([PYTHON, "-m", "nbgrader", "generate_assignment", ASSIGNMENT, "--log-level=WARN"],
                          cwd=course, env=env(), capture_output=True, text=True)
    generate_seconds = time.monotonic() - started
    if proc.returncode:
        sys.exit(f"nbgrader generate_assignment failed:\n{proc.stdout}\n{proc.stderr}")
    import nbformat
    fresh = nbformat.read(course / "assignments" / ASSIGNMENT / NOTEBOOK, as_version=4)
    committed = nbformat.read(Path(GRADED.release) / NOTEBOOK, as_version=4)
    same_release = [c.source for c in fresh.cells] == [c.source for c in committed.cells]
    students = {}
    for i, variant in enumerate(mix(n), start=1):
        sid = f"student{i:03d}"
        factory.write(variant, sid, course / "submitted" / sid / ASSIGNMENT / NOTEBOOK)
        students[sid] = variant
    return course, students, {"generate_assignment_seconds": round(generate_seconds, 2),
                              "release_matches_committed": same_release}


def build_flat(folder, n, factory):
    students = {}
    for i, variant in enumerate(mix(n), start=1):
        sid = f"sub{i:04d}"
        factory.write(variant, sid, folder / f"{sid}.ipynb")
        students[sid] = variant
    return students


# ---------------------------------------------------------------- measuring a command
class TreeSampler(threading.Thread):
    """Samples /proc every ``interval`` s: memory of a process and all its descendants, and the CPU
    time of that tree and of every other process on the machine (how contended the run was).

    CPU is attributed from per-process deltas between samples (a process first seen after the
    first sample is counted from 0); what a process spends after the last sample before it exits
    is missed, on both sides alike -- so the CPU figures are lower bounds and the share is an
    indicator. They are needed because the grader's sandboxed children die inside their own PID
    namespace and never reach ``getrusage`` of their ancestors."""

    def __init__(self, root_pid, interval=0.2):
        super().__init__(daemon=True)
        self.root, self.interval = root_pid, interval
        self.stop_event = threading.Event()
        self.me = os.getpid()
        self.samples = 0
        self.peak_rss = self.peak_pss = self.peak_single = self.peak_processes = 0
        self.coordinator_peak_rss = 0
        self.coordinator_cpu = 0.0
        self.workers_peak_rss = self.worker_peak_rss = self.sandbox_peak_rss = 0   # children of the root; the rest
        self.cpu_seen = None            # pid -> (start time, cpu seconds) at the previous sample
        self.tree_cpu = self.other_cpu = 0.0

    @staticmethod
    def _stat(pid):
        with open(f"/proc/{pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        # ppid, start time (tells a reused pid apart), utime + stime
        return int(fields[1]), fields[19], (int(fields[11]) + int(fields[12])) / TICKS

    @staticmethod
    def _rss(pid):
        with open(f"/proc/{pid}/statm") as f:
            return int(f.read().split()[1]) * PAGE

    @staticmethod
    def _pss(pid):
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        return int(line.split()[1]) * 1024
        except OSError:
            pass
        return 0

    def sample(self):
        children, stats = {}, {}
        for name in os.listdir("/proc"):
            if not name.isdigit():
                continue
            try:
                ppid, started, seconds = self._stat(name)
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(name))
            stats[int(name)] = (started, seconds)
        tree, todo = set(), [self.root]
        while todo:
            pid = todo.pop()
            tree.add(pid)
            todo.extend(children.get(pid, []))
        if self.cpu_seen is not None:
            for pid, (started, seconds) in stats.items():
                if pid == self.me:
                    continue
                before = self.cpu_seen.get(pid)
                delta = seconds - before[1] if before and before[0] == started else seconds
                if pid in tree:
                    self.tree_cpu += delta
                else:
                    self.other_cpu += delta
        self.cpu_seen = stats
        rss = pss = single = workers = sandbox = 0
        direct = set(children.get(self.root, []))
        for pid in tree:
            try:
                r = self._rss(pid)
            except (OSError, IndexError, ValueError):
                continue
            rss += r
            single = max(single, r)
            pss += self._pss(pid)
            if pid in direct:
                workers += r
                self.worker_peak_rss = max(self.worker_peak_rss, r)
            elif pid != self.root:
                sandbox += r
            if pid == self.root:
                self.coordinator_peak_rss = max(self.coordinator_peak_rss, r)
                self.coordinator_cpu = max(self.coordinator_cpu, stats.get(pid, (0, 0.0))[1])
        if rss:
            self.samples += 1
            self.peak_rss, self.peak_pss = max(self.peak_rss, rss), max(self.peak_pss, pss)
            self.peak_single = max(self.peak_single, single)
            self.workers_peak_rss = max(self.workers_peak_rss, workers)
            self.sandbox_peak_rss = max(self.sandbox_peak_rss, sandbox)
            self.peak_processes = max(self.peak_processes, len(tree))

    def run(self):
        while not self.stop_event.is_set():
            self.sample()
            self.stop_event.wait(self.interval)

    def report(self):
        mb = 1024 ** 2
        observed = self.tree_cpu + self.other_cpu
        return {"samples": self.samples, "interval_s": self.interval,
                "tree_peak_rss_mb": round(self.peak_rss / mb, 1), "tree_peak_pss_mb": round(self.peak_pss / mb, 1),
                "largest_process_peak_rss_mb": round(self.peak_single / mb, 1),
                "coordinator_peak_rss_mb": round(self.coordinator_peak_rss / mb, 1),
                "coordinator_cpu_s": round(self.coordinator_cpu, 2),
                "workers_peak_rss_mb": round(self.workers_peak_rss / mb, 1),
                "largest_worker_peak_rss_mb": round(self.worker_peak_rss / mb, 1),
                "grandchildren_peak_rss_mb": round(self.sandbox_peak_rss / mb, 1),
                "tree_peak_processes": self.peak_processes,
                "tree_cpu_s_sampled": round(self.tree_cpu, 2), "other_cpu_s_sampled": round(self.other_cpu, 2),
                "other_cpu_share": round(self.other_cpu / observed, 3) if observed else None}


def measure(argv, *, cwd, log):
    """Run ``argv``: wall time around it, its rusage (wait4: the process and its reaped descendants),
    and the /proc samples of its process tree."""
    busy_before = cpu_busy_seconds()
    with open(log, "w") as out:
        started = time.monotonic()
        process = subprocess.Popen(argv, cwd=cwd, env=env(), stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL)
        sampler = TreeSampler(process.pid)
        sampler.start()
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.monotonic() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        sampler.stop_event.set()
        sampler.join()
    memory = sampler.report()
    busy = cpu_busy_seconds()
    busy = busy - busy_before if busy is not None and busy_before is not None else None
    sampled = max(usage.ru_utime + usage.ru_stime, memory["tree_cpu_s_sampled"])
    # The machine's busy CPU less what the samples saw other processes use: an upper bound of the
    # tree's CPU (the samples alone give a lower bound: short-lived sandboxed processes are missed).
    estimate = max(sampled, busy - memory["other_cpu_s_sampled"]) if busy is not None else sampled
    return {"argv": [str(a) for a in argv], "exit_status": process.returncode, "wall_s": round(wall, 3),
            "rusage_cpu_user_s": round(usage.ru_utime, 2), "rusage_cpu_sys_s": round(usage.ru_stime, 2),
            # Linux: the largest RSS of the process or any reaped descendant (not a sum over the tree).
            "ru_maxrss_mb": round(usage.ru_maxrss / 1024, 1),
            "cpu_s": round(estimate, 2), "cpu_s_lower_bound": round(sampled, 2),
            "machine_busy_cpu_s": round(busy, 2) if busy is not None else None,
            "other_cpu_share": memory["other_cpu_share"], "memory": memory, "log": str(log)}


def median(values):
    return round(statistics.median(values), 4) if values else None


# ---------------------------------------------------------------- the kit
def grade_with_kit(paths, *, jobs, out_dir, label, students):
    json_path = out_dir / f"{label}.json"
    run = measure([PYTHON, "-m", "autograder", "grade", *map(str, paths), "--json", str(json_path),
                   "--assignment", ASSIGNMENT, "--results-dir", str(out_dir / f"{label}.results"), "--jobs", str(jobs), "--quiet", "--force"],
                  cwd=ROOT, log=out_dir / f"{label}.log")
    results = json.loads(json_path.read_text()) if json_path.exists() else []
    n = len(results)
    times = [r["execution_time"] for r in results]
    statuses = {}
    for r in results:
        statuses[r["status"]] = statuses.get(r["status"], 0) + 1
    by_variant = {}
    for r in results:
        by_variant.setdefault(students.get(r["id"], "?"), []).append(r["score"] / r["max_score"])
    run.update({
        "jobs": jobs, "submissions": n, "statuses": statuses,
        "per_submission_amortised_s": round(run["wall_s"] / n, 4) if n else None,
        "per_submission_median_s": median(times),     # execution_time: one submission inside a worker
        "per_submission_mean_s": round(statistics.mean(times), 4) if times else None,
        "per_submission_max_s": round(max(times), 4) if times else None,
        "submissions_per_s": round(n / run["wall_s"], 3) if n else None,
        "submissions_per_min": round(60 * n / run["wall_s"], 1) if n else None,
        "cpu_s_per_submission": round(run["cpu_s"] / n, 4) if n else None,
        "mean_score_by_variant": {k: round(statistics.mean(v), 3) for k, v in sorted(by_variant.items())},
    })
    return run


# ---------------------------------------------------------------- nbgrader
LOG_LINE = re.compile(r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d)\.(\d{3}) (\w+) (.*)$")


def nbgrader_timings(log):
    """Per-student seconds from nbgrader's log: 'Creating/updating student' to 'Setting destination
    file permissions', and the kernel-execution part of it ('Autograding' to the next 'Writing')."""
    events = []
    for line in Path(log).read_text(errors="replace").splitlines():
        m = LOG_LINE.match(line)
        if m:
            stamp = datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S").timestamp() + int(m.group(2)) / 1000
            events.append((stamp, m.group(4)))
    per_student, execute, current = {}, [], None
    for stamp, message in events:
        m = re.match(r"Creating/updating student with ID '([^']+)'", message)
        if m:
            current = (m.group(1), stamp, None)
        elif current and message.startswith("Autograding "):
            current = (current[0], current[1], stamp)
        elif current and current[2] and message.startswith("Writing "):
            execute.append(stamp - current[2])
            current = (current[0], current[1], None)
        elif current and message.startswith("Setting destination file permissions"):
            per_student[current[0]] = stamp - current[1]
            current = None
    return per_student, execute


def nbgrader_scores(course, students):
    """Fraction of nbgrader's max score per variant, read back from the course's gradebook."""
    try:
        from nbgrader.api import Gradebook
        by_variant = {}
        with Gradebook(f"sqlite:///{course / '.nbgrader' / 'gradebook.db'}") as gb:
            for sid in students:
                try:
                    sub = gb.find_submission(ASSIGNMENT, sid)
                except Exception:  # noqa: BLE001 -- not autograded (outside the sample)
                    continue
                if sub.max_score:
                    by_variant.setdefault(students[sid], []).append(sub.score / sub.max_score)
        return {k: round(statistics.mean(v), 3) for k, v in sorted(by_variant.items())}
    except Exception as exc:  # noqa: BLE001 -- a sanity figure only
        return {"error": f"{type(exc).__name__}: {exc}"}


def grade_with_nbgrader(course, students, sample_size, out_dir):
    ids = sorted(students)
    chosen, excluded = ids[:sample_size], ids[sample_size:]
    argv = [PYTHON, "-m", "nbgrader", "autograde", ASSIGNMENT, "--force",
            "--Application.log_level=INFO",
            "--Application.log_format=%(asctime)s.%(msecs)03d %(levelname)s %(message)s",
            "--Application.log_datefmt=%Y-%m-%d %H:%M:%S"]
    if excluded:
        argv.append("--CourseDirectory.student_id_exclude=" + ",".join(excluded))
    run = measure(argv, cwd=course, log=out_dir / "nbgrader-autograde.log")
    per_student, execute = nbgrader_timings(run["log"])
    autograded = [sid for sid in chosen if (course / "autograded" / sid / ASSIGNMENT / NOTEBOOK).exists()]
    n = len(chosen)
    times = list(per_student.values())
    run.update({
        "submissions": n, "autograded_notebooks": len(autograded),
        "per_submission_amortised_s": round(run["wall_s"] / n, 4),
        "per_submission_median_s": median(times),      # from the log, one notebook each
        "per_submission_mean_s": round(statistics.mean(times), 4) if times else None,
        "kernel_execution_median_s": median(execute),
        "startup_and_overhead_s": round(run["wall_s"] - sum(times), 2) if times else None,
        "submissions_per_s": round(n / run["wall_s"], 3),
        "submissions_per_min": round(60 * n / run["wall_s"], 1),
        "cpu_s_per_submission": round(run["cpu_s"] / n, 4),
        "mean_score_by_variant": nbgrader_scores(course, {s: students[s] for s in chosen}),
    })
    return run


# ---------------------------------------------------------------- machine facts
def machine():
    import numpy
    try:
        import nbgrader
        nbgrader_version = nbgrader.__version__
    except ImportError:
        nbgrader_version = None
    from autograder import sandbox
    model = ""
    try:
        model = next((line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                      if line.startswith("model name")), "")
    except OSError:
        pass
    memory = None
    try:
        memory = round(int(next(l for l in open("/proc/meminfo") if l.startswith("MemTotal")).split()[1]) / 1024 ** 2, 1)
    except (OSError, StopIteration):
        pass
    probe = subprocess.run([PYTHON, "-c", "import sys, numpy; print(sys.version.split()[0], numpy.__version__)"],
                           capture_output=True, text=True).stdout.split()
    return {"cores": cores(), "os_cpu_count": os.cpu_count(), "cpu_model": model, "memory_gb": memory,
            "platform": platform.platform(), "python": probe[0] if probe else platform.python_version(),
            "numpy": probe[1] if len(probe) > 1 else numpy.__version__, "nbgrader": nbgrader_version,
            "isolation": sandbox.isolation(), "loadavg_at_start": loadavg(),
            "grader_fingerprint": grader_fingerprint(),
            "started": datetime.now().isoformat(timespec="seconds")}


def grader_fingerprint():
    """Of the grader's code (autograder/, checks, reference): results name the version they measured."""
    from autograder import results
    return results.grader_fingerprint(GRADED)


def changed_warning(facts):
    now = grader_fingerprint()
    if now != facts["grader_fingerprint"]:
        facts["grader_fingerprint_at_end"] = now
        say(f"WARNING: the grader's code changed during the run ({facts['grader_fingerprint']} -> {now}): "
            "the figures mix versions, and results written under the old version count as not graded")
        return True
    return False


def write_json(data, name):
    OUTPUT.mkdir(parents=True, exist_ok=True)
    path = OUTPUT / name
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n")
    return path


def fmt(value, spec=".3f"):
    return "—" if value is None else format(value, spec)


# ---------------------------------------------------------------- default mode: kit vs nbgrader
def class_benchmark(args, tmp):
    facts = machine()
    factory = NotebookFactory()
    say(f"building a course with {args.students} submissions in {tmp} ...")
    course, students, course_facts = build_course(tmp, args.students, factory)
    counts = {}
    for v in students.values():
        counts[v] = counts.get(v, 0) + 1
    say(f"  generate_assignment: {course_facts['generate_assignment_seconds']} s; mix: {counts}")
    logs = tmp / "logs"
    logs.mkdir()
    kit = {}
    for label, jobs in ((f"kit-jobs{args.jobs}", args.jobs), ("kit-jobs1", 1)):
        say(f"grading with the kit, --jobs {jobs} ...")
        kit[label] = grade_with_kit([course / "submitted"], jobs=jobs, out_dir=logs, label=label, students=students)
        kit[label]["loadavg_after"] = loadavg()
        say(f"  {kit[label]['wall_s']:.2f} s wall, {kit[label]['statuses']}")
    nbg = None
    if args.nbgrader_sample != 0:
        k = min(args.nbgrader_sample or args.students, args.students)
        say(f"grading with nbgrader autograde, {k} of {args.students} students (serial; ~{k * 3}-{k * 10} s) ...")
        nbg = grade_with_nbgrader(course, students, k, logs)
        nbg["loadavg_after"] = loadavg()
        say(f"  {nbg['wall_s']:.1f} s wall, {nbg['autograded_notebooks']} notebooks autograded")
    fast = kit[f"kit-jobs{args.jobs}"]
    ratios = {}
    if nbg:
        for label, run in kit.items():
            ratios[label] = {
                "amortised": round(nbg["per_submission_amortised_s"] / run["per_submission_amortised_s"], 1),
                "median": round(nbg["per_submission_median_s"] / run["per_submission_median_s"], 1)
                if nbg["per_submission_median_s"] and run["per_submission_median_s"] else None,
            }
    result = {"mode": "class", "machine": facts, "class": {"students": args.students, "mix": counts, **course_facts},
              "kit": kit, "nbgrader": nbg, "ratio_nbgrader_over_kit": ratios,
              "goal": {"ratio_at_least": 20, "met": bool(ratios) and ratios[f"kit-jobs{args.jobs}"]["amortised"] >= 20},
              "loadavg_at_end": loadavg()}
    # Keep the logs of the graders next to the results.
    OUTPUT.mkdir(parents=True, exist_ok=True)
    for name in ("nbgrader-autograde.log", *(f"{label}.log" for label in kit)):
        if (logs / name).exists():
            shutil.copy(logs / name, OUTPUT / name)
            for run in (*kit.values(), nbg or {}):
                if run.get("log") == str(logs / name):
                    run["log"] = str((OUTPUT / name).relative_to(ROOT))
    result["grader_changed_during_run"] = changed_warning(facts)
    path = write_json(result, "results.json")

    say()
    say(f"machine: {facts['cores']} cores ({facts['cpu_model']}), Python {facts['python']}, numpy {facts['numpy']}, "
        f"nbgrader {facts['nbgrader']}, isolation {facts['isolation']}, load average at start {facts['loadavg_at_start']}")
    say(f"class: {args.students} notebooks in nbgrader's submitted/ layout; mix {counts}")
    say()
    header = f"{'grader':<26}{'n':>4}{'wall s':>9}{'s/sub amortised':>17}{'s/sub median':>14}{'subs/min':>10}{'CPU s/sub':>11}{'others CPU':>12}"
    say(header)
    say("-" * len(header))
    rows = [(f"kit --jobs {run['jobs']}", run) for run in kit.values()]
    if nbg:
        rows.append(("nbgrader autograde", nbg))
    for name, run in rows:
        say(f"{name:<26}{run['submissions']:>4}{run['wall_s']:>9.2f}{fmt(run['per_submission_amortised_s']):>17}"
            f"{fmt(run['per_submission_median_s']):>14}{fmt(run['submissions_per_min'], '.1f'):>10}"
            f"{fmt(run['cpu_s_per_submission']):>11}{fmt(run.get('other_cpu_share'), '.0%'):>12}")
    say()
    say("s/sub amortised = wall / submissions (start-up included; what a class costs);")
    say("s/sub median    = median of one submission's own time (kit: execution_time inside a worker, which")
    say("                  excludes worker start-up; nbgrader: from its log, 'Creating student' to 'Setting permissions').")
    say("CPU s/sub       = CPU seconds of the grader's whole process tree per submission: the machine's busy CPU")
    say("                  during the run less what other processes were seen to use (an upper bound).")
    say("others CPU      = share of the CPU time observed during the run that went to processes outside the")
    say("                  grader's tree (other users' jobs): 0% = a quiet machine; high = the figures are inflated.")
    if ratios:
        for label, r in ratios.items():
            say(f"nbgrader / {label}: {r['amortised']}x per submission amortised, {r['median']}x by medians")
        say(f"goal (>= 20x on {facts['cores']} cores, amortised): {'met' if result['goal']['met'] else 'NOT met'}")
    say(f"mean score fraction by variant, kit: {fast['mean_score_by_variant']}")
    if nbg:
        say(f"mean score fraction by variant, nbgrader: {nbg['mean_score_by_variant']}")
    say(f"\nwrote {path.relative_to(ROOT)}")
    return result


# ---------------------------------------------------------------- --scale
def scale_benchmark(args, tmp):
    facts = machine()
    factory = NotebookFactory()
    runs = []
    for n in args.scale_sizes:
        folder = tmp / f"class-{n}"
        started = time.monotonic()
        students = build_flat(folder, n, factory)
        say(f"built {n} notebooks in {time.monotonic() - started:.1f} s; grading with the kit, --jobs {args.jobs} ...")
        logs = tmp / f"logs-{n}"
        logs.mkdir()
        run = grade_with_kit([folder], jobs=args.jobs, out_dir=logs, label=f"kit-{n}", students=students)
        run["loadavg_after"] = loadavg()
        runs.append(run)
        mem = run["memory"]
        say(f"  {run['wall_s']:.1f} s, {run['submissions_per_s']:.2f} subs/s, tree peak RSS {mem['tree_peak_rss_mb']} MB "
            f"(PSS {mem['tree_peak_pss_mb']} MB), largest process {run['ru_maxrss_mb']} MB, statuses {run['statuses']}")
    result = {"mode": "scale", "machine": facts, "jobs": args.jobs, "runs": runs, "loadavg_at_end": loadavg(),
              "goal": {"1000_within_s": 180,
                       "met": next((r["wall_s"] <= 180 for r in runs if r["submissions"] == 1000), None)}}
    result["grader_changed_during_run"] = changed_warning(facts)
    path = write_json(result, "scale.json")
    say()
    header = (f"{'n':>6}{'wall s':>9}{'subs/s':>8}{'s/sub med.':>11}{'CPU s/sub':>10}{'tree RSS':>10}{'tree PSS':>10}"
              f"{'coord.':>8}{'workers':>9}{'sandbox':>9}{'max proc':>10}{'coord. CPU s':>13}{'others CPU':>11}")
    say(header)
    say("-" * len(header))
    for r in runs:
        m = r["memory"]
        say(f"{r['submissions']:>6}{r['wall_s']:>9.1f}{r['submissions_per_s']:>8.2f}{fmt(r['per_submission_median_s']):>11}"
            f"{fmt(r['cpu_s_per_submission']):>10}{m['tree_peak_rss_mb']:>10.1f}{m['tree_peak_pss_mb']:>10.1f}"
            f"{m['coordinator_peak_rss_mb']:>8.1f}{m['workers_peak_rss_mb']:>9.1f}{m['grandchildren_peak_rss_mb']:>9.1f}"
            f"{r['ru_maxrss_mb']:>10.1f}{m['coordinator_cpu_s']:>13.2f}{fmt(r.get('other_cpu_share'), '.0%'):>11}")
    say("\nmemory in MB, peaks sampled from /proc every 0.2 s. tree RSS/PSS: sum over the grader's whole process")
    say("tree (RSS counts shared pages in every process, PSS splits them); coord.: the `python -m autograder")
    say("grade` process; workers: its pytest workers together; sandbox: everything below them (bwrap, zygotes,")
    say("part processes); max proc: ru_maxrss, the largest single process. coord. CPU s: CPU of the coordinator.")
    if result["goal"]["met"] is not None:
        say(f"goal (1000 submissions in under 3 minutes on {facts['cores']} cores): "
            f"{'met' if result['goal']['met'] else 'NOT met'}")
    say(f"\nwrote {path.relative_to(ROOT)}")
    return result


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
    from autograder import batch, child, sandbox
    from autograder.assignments.backprop_basics import operations, reference
    site = sandbox.site_packages()
    costs = {}
    costs["interpreter_start_s"] = timed([PYTHON, "-c", "pass"], repeat)
    costs["numpy_import_s"] = timed([PYTHON, "-c", "import numpy"], repeat) - costs["interpreter_start_s"]
    costs["pytest_import_s"] = timed([PYTHON, "-c", "import pytest"], repeat) - costs["interpreter_start_s"]
    costs["autograder_plugin_import_s"] = (timed([PYTHON, "-c", "import autograder.plugin"], repeat)
                                           - costs["interpreter_start_s"])
    empty = tmp / "empty.json"
    empty.write_text("[]")
    worker_env = dict(env(), PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
                      **{k: v for k, v in sandbox.ENV.items() if k.endswith("NUM_THREADS")})
    costs["worker_fixed_s"] = timed(batch.worker_command(empty, tmp / "empty-results", "zh", GRADED), repeat, env=worker_env)
    # The child side: `python -I -S` with and without numpy, with and without bubblewrap.
    bare = [sys.executable, "-I", "-S", "-c", "pass"]
    with_numpy = [sys.executable, "-I", "-S", "-c", f"import sys; sys.path.append({site!r}); import numpy"]
    costs["child_python_start_s"] = timed(bare, repeat)
    costs["child_numpy_import_s"] = timed(with_numpy, repeat) - costs["child_python_start_s"]
    if sandbox.uses_bubblewrap():
        wrapped, _ = sandbox.command("bubblewrap", bare)
        costs["bubblewrap_overhead_s"] = timed(wrapped, repeat) - costs["child_python_start_s"]
    # A submission's zygote as the grader starts it (bwrap + python + numpy + runner + definitions):
    # the chunks the kit really loads from a reference notebook, then the same without the matplotlib
    # cell, then only the graded definitions (what a loader following free names from Sigmoid,
    # FullyConnectedLayer, TwoLayerNet and train_xor would keep).
    from autograder import load
    notebook = NotebookFactory().write("reference", "startup", tmp / "startup" / NOTEBOOK)
    entry, modules = GRADED.entry_points, GRADED.course_modules
    costs["load_path_parent_s"] = per_call(lambda: load.load_path(notebook, entry, modules), 10)
    loaded = load.load_path(notebook, entry, modules).chunks
    variants = {"notebook_as_loaded": loaded,
                "without_matplotlib_cell": [c for c in loaded if "matplotlib" not in c["source"]],
                "graded_definitions_only": load.load_cells(
                    [("cell", "\n\n".join(sample.reference_cells().values()))], entry, modules).chunks}
    costs["notebook_chunks_kept"] = {"cells": len(loaded), "demo_statements": sum(
        1 for c in loaded for line in c["source"].split("\n") if re.match(r"(losses|net|model_plus|sigmoid) = ", line))}
    process_args = dict(operations=GRADED.operations_source, schema=operations.REPLY_SCHEMA,
                        entry_points=GRADED.entry_points)
    kinds = ["bubblewrap", "limits-only"] if sandbox.uses_bubblewrap() else ["limits-only"]
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
        for part in GRADED.parts:
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
    (("autograder/plugin.py", "student"), "student fixture: parse, start/close child, save"),
    (("_pytest/reports.py", "from_item_and_call"), "pytest: test reports (failure tracebacks)"),
    (("autograder/child.py", "_start"), "zygote start: bwrap + python + numpy + definitions"),
    (("autograder/child.py", "_enter_part"), "part processes: fork + reference source"),
    (("autograder/child.py", "close"), "closing a submission's processes (kill, reap)"),
    (("autograder/child.py", "_reap_orphans"), "  of which: /proc scan for orphans"),
    (("autograder/child.py", "_request"), "all requests to the child (incl. waiting)"),
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
    (("autograder/load.py", "load_path"), "reading + parsing the notebook"),
    (("autograder/results.py", "save"), "writing the result (fsync)"),
    (("autograder/results.py", "grader_fingerprint"), "grader fingerprint (hashes the grader's files)"),
    (("autograder/runner.py", "encode"), "wire: encode arrays"),
    (("autograder/runner.py", "decode"), "wire: decode arrays"),
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
            rows.append({"function": f"{suffix}:{name}", "what": label, "calls": nc, "calls_per_submission": round(nc / n, 1),
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
    fixture = find("autograder/plugin.py", "student")
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
    from autograder import batch, sandbox
    facts = machine()
    factory = NotebookFactory()
    n = args.profile_count
    mistakes = list(sample.MISTAKES)
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
    argv = batch.worker_command(list_file, tmp / "profile-results", "zh", GRADED)
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
    plain_argv = batch.worker_command(list_file, tmp / "tb-results", "zh", GRADED)
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

    lines = [f"machine: {facts['cores']} cores, Python {facts['python']}, numpy {facts['numpy']}, isolation {facts['isolation']}, "
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


# ---------------------------------------------------------------- main
def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--scale", action="store_true", help="kit only: classes of --scale-sizes, wall time and peak memory")
    mode.add_argument("--profile", action="store_true", help="where a worker's seconds go (cProfile + start-up costs)")
    p.add_argument("--students", type=int, default=60, help="class size of the default mode (default 60)")
    p.add_argument("--jobs", type=int, default=os.cpu_count() or 1, help="kit workers (default: CPU cores)")
    p.add_argument("--nbgrader-sample", type=int, default=None, metavar="K",
                   help="autograde only the first K students with nbgrader (default: all; 0 skips nbgrader)")
    p.add_argument("--scale-sizes", type=lambda s: [int(x) for x in s.split(",")], default=[100, 1000],
                   metavar="N,N", help="class sizes of --scale (default 100,1000)")
    p.add_argument("--profile-count", type=int, default=10, help="submissions in --profile (default 10)")
    p.add_argument("--assignment", default="01_backprop_basics",
                   help="the assignment whose sample class is graded (default 01_backprop_basics); --profile is 01's")
    p.add_argument("--keep", action="store_true", help="keep the temporary folder (its path is printed)")
    args = p.parse_args(argv)
    if args.profile and args.assignment != "01_backprop_basics":
        p.error("--profile measures assignment 01's internals (its reference and checks); drop --assignment")
    try:
        use_assignment(args.assignment)
    except assignments.UnknownAssignment as exc:
        p.error(str(exc))
    tmp = Path(tempfile.mkdtemp(prefix="autograder-bench-"))
    try:
        if args.scale:
            scale_benchmark(args, tmp)
        elif args.profile:
            profile_benchmark(args, tmp)
        else:
            class_benchmark(args, tmp)
    finally:
        if args.keep:
            say(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
