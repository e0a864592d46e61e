"""Snapshot every corpus's scores, tags and feedback text, to show that a change keeps behaviour.

    python -m tests.snapshot take OUT.json [--code DIR] [--only NAME ...]
    python -m tests.snapshot diff BEFORE.json AFTER.json

``take`` grades every corpus of ``tests/files`` (this checkout's files, whichever code grades them)
through the real CLI of the checkout ``--code`` (default: this one), in zh-TW and in English, and
writes per submission: status, reason, score, each test's score, tags and output, and the feedback
file's text. Timings are left out; run ``take`` twice on one checkout to see what else varies.
``diff`` prints every difference and exits 1 when there is one.

To compare with an earlier commit: ``git worktree add /tmp/base BASE`` and ``take --code /tmp/base``.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

FILES = Path(__file__).resolve().parent / "files"
# name -> (folder, assignment, extra CLI arguments); the hostile corpus runs under the short limits
# of tests/test_hostile.py so that its endless loops end in seconds.
HOSTILE_LIMITS = ["--limit", "request_seconds=4", "--limit", "load_seconds=8", "--limit", "submission_seconds=40"]
CORPORA = {
    "corpus01-correct": (FILES / "corpus" / "correct", "01_backprop_basics", []),
    "corpus01-mistakes": (FILES / "corpus" / "mistakes", "01_backprop_basics", []),
    "trust": (FILES / "trust", "01_backprop_basics", []),
    "broken": (FILES / "broken", "01_backprop_basics", []),
    "corpus02": (FILES / "corpus02" / "submissions", "02_layers", []),
    "walkthrough02": (FILES / "walkthrough02" / "submissions", "02_layers", []),
    "issue22": (FILES / "issue22" / "submissions", "02_layers", []),
    "hostile": (FILES / "hostile", "01_backprop_basics", HOSTILE_LIMITS),
    "hostile02": (FILES / "hostile02", "02_layers", []),
}
LANGUAGES = ("zh", "en")
# Text that changes from run to run without the grader's behaviour changing.
VOLATILE = [
    (re.compile(r"\b\d+(\.\d+)? ?(s|ms|秒)\b"), "<time>"),
    (re.compile(r"0x[0-9a-f]{6,}"), "<address>"),
    (re.compile(r"/tmp/[^\s'\"]+"), "<tmp>"),
    (re.compile(r"\bpid \d+|\bPID \d+"), "<pid>"),
    # Which clock ends an endless loop first (its CPU time, or the wall-clock backstop on a loaded
    # machine) is the machine's doing.
    (re.compile(r"exceeded the time limit of <time> \(an endless loop\?\)|used more than <time> of CPU time "
                r"\(an endless loop\?\)"), "<timed out>"),
    (re.compile(r"超過時間限制 <time>（無窮迴圈？）|用了超過 <time>的 CPU 時間（無窮迴圈？）"), "<timed out>"),
    # A background thread prints as often as it is scheduled.
    (re.compile(r"^(.*)(\n\1)+$", re.MULTILINE), r"\1"),
]


def normalise(text):
    if not isinstance(text, str):
        return text
    for pattern, replacement in VOLATILE:
        text = pattern.sub(replacement, text)
    return text


def grade(code, folder, assignment, extra, lang, work):
    out = work / f"{lang}.json"
    feedback = work / f"feedback-{lang}"
    env = dict(os.environ, PYTHONPATH=str(code), PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    argv = [sys.executable, "-m", "autograder", "grade", str(folder), "--assignment", assignment, "--json", str(out),
            "--feedback", str(feedback), "--lang", lang, "--quiet", "--results-dir", str(work / f"results-{lang}"),
            *extra]
    done = subprocess.run(argv, cwd=code, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {done.returncode}:\n{done.stderr[-2000:]}")
    results = json.loads(out.read_text(encoding="utf-8"))
    index = {}
    index_file = feedback / "index.json"
    if index_file.exists():
        index = json.loads(index_file.read_text(encoding="utf-8"))
    snap = {}
    for result in results:
        entry = {
            "status": result.get("status"),
            "reason": normalise(result.get("reason")),
            "score": result.get("score"),
            "tests": {t["name"]: {"score": t.get("score"), "tags": t.get("tags", []), "output": normalise(t.get("output"))}
                      for t in result.get("tests", [])},
        }
        files = index.get("students", {}).get(result["id"], {})
        markdown = files.get("feedback")
        if markdown and (feedback / markdown).exists():
            entry["feedback"] = normalise((feedback / markdown).read_text(encoding="utf-8"))
        snap[result["id"]] = entry
    return snap


def take(code, only):
    snapshot = {}
    for name, (folder, assignment, extra) in CORPORA.items():
        if only and name not in only:
            continue
        for lang in LANGUAGES:
            with tempfile.TemporaryDirectory(prefix="snapshot-") as work:
                print(f"{name} ({lang}) ...", file=sys.stderr, flush=True)
                snapshot[f"{name}/{lang}"] = grade(code, folder, assignment, extra, lang, Path(work))
    return snapshot


def differences(before, after, path=""):
    """Every difference, with both sides normalised again (a snapshot taken with fewer rules compares
    under today's)."""
    if isinstance(before, dict) and isinstance(after, dict):
        for key in sorted(set(before) | set(after)):
            where = f"{path}/{key}"
            if key not in before:
                yield f"+ {where}"
            elif key not in after:
                yield f"- {where}"
            else:
                yield from differences(before[key], after[key], where)
    elif normalise(before) != normalise(after):
        yield f"~ {path}\n    before: {before!r}\n    after:  {after!r}"


def main(argv=None):
    p = argparse.ArgumentParser(prog="python -m tests.snapshot")
    sub = p.add_subparsers(dest="command", required=True)
    t = sub.add_parser("take")
    t.add_argument("out", type=Path)
    t.add_argument("--code", type=Path, default=Path(__file__).resolve().parent.parent)
    t.add_argument("--only", nargs="*", choices=sorted(CORPORA))
    d = sub.add_parser("diff")
    d.add_argument("before", type=Path)
    d.add_argument("after", type=Path)
    args = p.parse_args(argv)
    if args.command == "take":
        snapshot = take(args.code.resolve(), args.only)
        args.out.write_text(json.dumps(snapshot, ensure_ascii=False, indent=1, sort_keys=True), encoding="utf-8")
        print(f"{sum(len(v) for v in snapshot.values())} entries -> {args.out}", file=sys.stderr)
        return 0
    before = json.loads(args.before.read_text(encoding="utf-8"))
    after = json.loads(args.after.read_text(encoding="utf-8"))
    found = list(differences(before, after))
    for line in found:
        print(line)
    print(f"{len(found)} differences", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
