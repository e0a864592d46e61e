"""``--scale``: flat classes of 100 and 1,000 notebooks graded by the kit only (wall time, throughput,
peak memory of the grader's process tree)."""
import time


from common import (NotebookFactory, ROOT, build_flat, changed_warning, fmt, grade_with_kit, loadavg, machine, say,
    write_json)

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
        say(f"  {run['wall_s']:.1f} s, {run['submissions_per_s']:.2f} subs/s, "
            f"tree peak RSS {mem['tree_peak_rss_mb']} MB (PSS {mem['tree_peak_pss_mb']} MB), "
            f"largest process {run['ru_maxrss_mb']} MB, statuses {run['statuses']}")
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


