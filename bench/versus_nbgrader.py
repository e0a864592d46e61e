"""The default mode: a class graded by the kit (``--jobs`` cores and 1, then ``--jobs`` cores
without the per-worker template sandbox) and by stock ``nbgrader autograde``, side by side in one run."""
import json
import re
import shutil
import statistics
from datetime import datetime
from pathlib import Path


import common
from common import (NotebookFactory, OUTPUT, PYTHON, ROOT, build_course, changed_warning, fmt, grade_with_kit, loadavg,
    machine, measure, median, say, write_json)
from autograder.sandbox import forkserver

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
                    sub = gb.find_submission(common.ASSIGNMENT, sid)
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
    argv = [PYTHON, "-m", "nbgrader", "autograde", common.ASSIGNMENT, "--force",
            "--Application.log_level=INFO",
            "--Application.log_format=%(asctime)s.%(msecs)03d %(levelname)s %(message)s",
            "--Application.log_datefmt=%Y-%m-%d %H:%M:%S"]
    if excluded:
        argv.append("--CourseDirectory.student_id_exclude=" + ",".join(excluded))
    run = measure(argv, cwd=course, log=out_dir / "nbgrader-autograde.log")
    per_student, execute = nbgrader_timings(run["log"])
    autograded = [sid for sid in chosen if (course / "autograded" / sid / common.ASSIGNMENT / common.NOTEBOOK).exists()]
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
    # The last row is the kit without its per-worker template sandbox (every submission in a fresh
    # sandbox, as before autograder/forkserver.py): what the template saves, measured side by side.
    no_template = {forkserver.ENABLE_ENV: "0"}
    for label, jobs, extra in ((f"kit-jobs{args.jobs}", args.jobs, None), ("kit-jobs1", 1, None),
                               (f"kit-jobs{args.jobs}-no-template", args.jobs, no_template)):
        say(f"grading with the kit, --jobs {jobs}{' without the template' if extra else ''} ...")
        kit[label] = grade_with_kit([course / "submitted"], jobs=jobs, out_dir=logs, label=label, students=students,
                                    extra_env=extra)
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
              "loadavg_at_end": loadavg(),
              "kit_runs_agree": len({json.dumps(run["scores"], sort_keys=True) for run in kit.values()}) == 1}
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
        f"nbgrader {facts['nbgrader']}, isolation {facts['isolation']}, "
        f"load average at start {facts['loadavg_at_start']}")
    say(f"class: {args.students} notebooks in nbgrader's submitted/ layout; mix {counts}")
    say()
    header = (f"{'grader':<26}{'n':>4}{'wall s':>9}{'s/sub amortised':>17}{'s/sub median':>14}"
              f"{'subs/min':>10}{'CPU s/sub':>11}{'others CPU':>12}")
    say(header)
    say("-" * len(header))
    rows = [(f"kit --jobs {run['jobs']}{', no template' if run['extra_env'] else ''}", run) for run in kit.values()]
    if nbg:
        rows.append(("nbgrader autograde", nbg))
    for name, run in rows:
        say(f"{name:<26}{run['submissions']:>4}{run['wall_s']:>9.2f}{fmt(run['per_submission_amortised_s']):>17}"
            f"{fmt(run['per_submission_median_s']):>14}{fmt(run['submissions_per_min'], '.1f'):>10}"
            f"{fmt(run['cpu_s_per_submission']):>11}{fmt(run.get('other_cpu_share'), '.0%'):>12}")
    say()
    say("s/sub amortised = wall / submissions (start-up included; what a class costs);")
    say("s/sub median    = median of one submission's own time (kit: execution_time inside a worker, which")
    say("                  excludes worker start-up; nbgrader: from its log, "
        "'Creating student' to 'Setting permissions').")
    say("CPU s/sub       = CPU seconds of the grader's whole process tree per submission: the machine's busy CPU")
    say("                  during the run less what other processes were seen to use (an upper bound).")
    say("others CPU      = share of the CPU time observed during the run that went to processes outside the")
    say("                  grader's tree (other users' jobs): 0% = a quiet machine; high = the figures are inflated.")
    if ratios:
        for label, r in ratios.items():
            say(f"nbgrader / {label}: {r['amortised']}x per submission amortised, {r['median']}x by medians")
        say(f"goal (>= 20x on {facts['cores']} cores, amortised): {'met' if result['goal']['met'] else 'NOT met'}")
    say(f"mean score fraction by variant, kit: {fast['mean_score_by_variant']}")
    say(f"same score for every student in every kit run: {result['kit_runs_agree']}")
    if nbg:
        say(f"mean score fraction by variant, nbgrader: {nbg['mean_score_by_variant']}")
    say(f"\nwrote {path.relative_to(ROOT)}")
    return result


