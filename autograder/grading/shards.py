"""A class in slices: which submissions shard K of N grades, the record each shard keeps of its run in
its results folder (several shards may share one), and what a merge finds missing."""
import datetime
import hashlib
import json
import socket
from collections.abc import Mapping, Sequence
from pathlib import Path

from autograder import results
from autograder.find import discover


def shard(submissions: Sequence[discover.Submission], index: int, count: int) -> list[discover.Submission]:
    """The ``index``-th (1-based) of ``count`` deterministic slices of a class sorted by id."""
    if not 1 <= index <= count:
        raise ValueError(f"shard {index}/{count}: K must be between 1 and N")
    return [s for i, s in enumerate(submissions) if i % count == index - 1]


RUN_FILE = ".run.json"   # an earlier version's record of the one shard a results folder held


def run_file(results_dir: str | Path, shard_spec: tuple[int, int]) -> Path:
    """Where shard K of N records its run: one file per shard, so that the shards of a class can share
    one results folder (every result file is its own id's, written atomically)."""
    index, count = shard_spec
    return Path(results_dir) / f".run-{index}-of-{count}.json"


def class_digest(submissions: Sequence[discover.Submission]) -> str:
    """Names a class (its sorted ids): the shards of one class carry the same digest."""
    return hashlib.sha256("\0".join(s.id for s in submissions).encode("utf-8", "surrogatepass")).hexdigest()[:16]


def write_run(results_dir: str | Path, whole_class: Sequence[discover.Submission], shard_spec: tuple[int, int],
              done: bool = True) -> None:
    """Record which slice of which class ``results_dir`` holds, for ``merge`` to check completeness:
    at the start (``done`` False) and when every result of the slice is written (``done`` True). A
    shard that started and never finished (killed, failed, still running) is then told from one that
    never ran."""
    index, count = shard_spec
    mine = shard(whole_class, index, count)
    path = run_file(results_dir, shard_spec)
    started = _read_runs_file(path) if done else None
    now = datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")
    results.write_atomic(path, {
        "shard": [index, count], "class": class_digest(whole_class), "class_size": len(whole_class),
        "ids": [s.id for s in mine], "host": socket.gethostname(), "done": done,
        "started": started["started"] if started and started.get("started") else now,
        "ended": now if done else ""})


def _read_runs_file(path: Path) -> dict | None:
    try:
        with open(path, encoding="utf-8") as f:
            data = json.load(f)
        index, count = data["shard"]
        return {"shard": (int(index), int(count)), "class": str(data["class"]),
                "class_size": int(data["class_size"]), "ids": [str(i) for i in data["ids"]],
                "done": bool(data.get("done", True)), "started": str(data.get("started", "")),
                "host": str(data.get("host", ""))}
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _read_runs(folder: str | Path) -> list[dict]:
    """Every shard's run record in ``folder`` (the one-file form of earlier versions too)."""
    paths = sorted(Path(folder).glob(".run-*-of-*.json")) + [Path(folder) / RUN_FILE]
    return [run for run in map(_read_runs_file, paths) if run is not None]


def gaps(result_dirs: Sequence[str | Path], by_id: Mapping[str, object]) -> list[str]:
    """Lines for shards of a class that no folder given holds, shards that started and did not finish,
    and submissions a shard should have graded but holds no result for."""
    classes: dict[tuple, dict[int, tuple]] = {}
    for folder in result_dirs:
        for run in _read_runs(folder):
            classes.setdefault((run["class"], run["shard"][1], run["class_size"]), {})
            shards = classes[(run["class"], run["shard"][1], run["class_size"])]
            if run["shard"][0] not in shards or run["done"]:
                shards[run["shard"][0]] = (folder, run)
    lines = []
    for (_, count, size), shards in sorted(classes.items()):
        missing = sorted(set(range(1, count + 1)) - set(shards))
        if missing:
            given = ", ".join(f"{folder} ({k}/{count})" for k, (folder, _) in sorted(shards.items()))
            held = sum(len(range(k - 1, size, count)) for k in missing)
            lines.append(f"shards missing: {', '.join(f'{k}/{count}' for k in missing)} of a class of {size} "
                         f"submissions ({held} submissions have no result here); given: {given}")
        for k, (folder, run) in sorted(shards.items()):
            absent = [sid for sid in run["ids"] if sid not in by_id]
            if not run["done"]:
                lines.append(f"{folder}: shard {k}/{count} started {run['started'] or 'at an unknown time'} on "
                             f"{run['host'] or 'an unknown host'} and did not finish (failed, killed or still "
                             f"running): {len(absent)} of its {len(run['ids'])} submissions have no result; "
                             "rerun that task")
            elif absent:
                lines.append(f"{folder}: shard {k}/{count} has no result for {len(absent)} of its "
                             f"{len(run['ids'])} submissions (first: {discover.name_text(absent[0])}); regrade it")
    return lines
