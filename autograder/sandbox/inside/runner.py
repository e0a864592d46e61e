"""The child side of grading: runs one student's code and answers the parent's requests.

This file is executed as a script inside the sandbox (``python -I -S /grader/runner.py SITE_PACKAGES``,
with this folder's modules bound beside it; without bubblewrap their sources come in the command line,
see ``launch.command``). The child imports nothing of the grader's but this folder, as the package
``autograder.sandbox.inside``; it holds no expected value and computes no score. The parent sends
requests over fd 3 and reads replies on fd 4 (``wire``), so whatever the student's code prints,
patches or forges here can only change the arrays it returns.

Process layout: this process (the "zygote") executes the submission's definitions once, then forks
one process per graded part. Reference code for a part (e.g. the reference ``Sigmoid`` while
``TwoLayerNet`` is graded) is sent to that part's process only, so no process that runs the student's
``Sigmoid`` ever holds the reference ``Sigmoid``.

With ``--serve`` the same file is a worker's template (``template.serve``): it imports numpy once, and
each submission's zygote is a fork of it that isolates itself before it reads the submission's code,
instead of a fresh interpreter in a fresh sandbox.
"""
import gc
import importlib.machinery
import os
import signal
import sys
import types
import warnings
from typing import Any, BinaryIO, Optional, Sequence

PACKAGE = "autograder.sandbox.inside"


class _Sources:
    """Finds the package's modules in ``sources`` (module name -> text), compiled under the names they
    would have in ``folder``: where the child may not read the kit, they come in the command line."""

    def __init__(self, sources: dict, folder: str) -> None:
        self.sources, self.folder = sources, folder

    def find_spec(self, name: str, path: Optional[Sequence[str]] = None,
                  target: Optional[types.ModuleType] = None) -> Optional[importlib.machinery.ModuleSpec]:
        short = name[len(PACKAGE) + 1:] if name.startswith(PACKAGE + ".") else ""
        if short not in self.sources:
            return None
        loader: Any = self
        return importlib.machinery.ModuleSpec(name, loader, origin=f"{self.folder}/{short}.py")

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> None:
        return None

    def exec_module(self, module: types.ModuleType) -> None:
        short = module.__name__[len(PACKAGE) + 1:]
        module.__file__ = f"{self.folder}/{short}.py"
        exec(compile(self.sources[short], module.__file__, "exec"), module.__dict__)


def _as_package(folder: str, sources: Optional[dict] = None) -> None:
    """Make ``folder`` (or ``sources``) the package ``autograder.sandbox.inside`` without the grader's
    packages above it: operations and this script import it by the name the grader knows it by."""
    for name in ("autograder", "autograder.sandbox", PACKAGE):
        sys.modules.setdefault(name, types.ModuleType(name))
    setattr(sys.modules["autograder"], "sandbox", sys.modules["autograder.sandbox"])
    setattr(sys.modules["autograder.sandbox"], "inside", sys.modules[PACKAGE])
    sys.modules[PACKAGE].__path__ = [] if sources else [folder]
    if sources:
        finder: Any = _Sources(sources, folder)
        sys.meta_path.insert(0, finder)


if __name__ == "__main__":   # started with -S: the venv's site-packages comes as the first argument
    sys.path.append(sys.argv[1])
    _as_package(os.path.dirname(os.path.abspath(__file__)), globals().get("SOURCES"))

import numpy as np  # noqa: E402
import numpy.random  # noqa: E402,F401 -- numpy 2 imports it lazily: once here, not once per part's process

from autograder.sandbox.inside.api import (  # noqa: E402
    SUBJECT, TRACE, StudentError, calls_of, safe_message, student_frames, trace_methods)
from autograder.sandbox.inside.definitions import load, load_operations, missing_imports  # noqa: E402
from autograder.sandbox.inside.kinds import Failure  # noqa: E402
from autograder.sandbox.inside.wire import MAX_WARNINGS, REPLY_FD, REQUEST_FD, read_message, write_message  # noqa: E402


def serve_part(requests: BinaryIO, replies: BinaryIO, namespace: dict, operations: types.ModuleType,
               reference_source: str, inject: list) -> None:
    """Body of a part process: add the reference pieces this part needs, then answer requests."""
    ref = {"__name__": "reference", "np": np}
    if reference_source:
        exec(compile(reference_source, "<reference>", "exec"), ref)
    for name in inject:
        piece = namespace[name] = ref[name]
        if isinstance(piece, type):
            trace_methods(piece)
    write_message(replies, {"ready": True})
    while True:
        request = read_message(requests)
        if request.get("op") == "end":
            return
        missing = [name for name in request.get("needs", []) if name not in namespace]
        TRACE.clear()
        SUBJECT.clear()
        np.random.seed(0)  # the same submission always sees the same global RNG state
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            np.seterr(all="warn")
            try:
                if missing:
                    raise StudentError(Failure.MISSING, ", ".join(missing),
                                       detail={"key": "missing", "name": ", ".join(missing)})
                try:
                    reply = {"ok": operations.OPERATIONS[request["op"]](namespace, ref, **request["args"])}
                except (StudentError, KeyboardInterrupt, SystemExit):
                    raise
                except Exception as exc:  # noqa: BLE001 -- e.g. a method the student's class lacks
                    # Raised outside call(): looking up layer.forward on a class that misspelt it, or
                    # numpy refusing what the student's code returned. The student's doing, said as such.
                    frames = student_frames(exc.__traceback__)
                    raise StudentError(Failure.RAISED, safe_message(exc), frames[-1] if frames else "") from None
            except StudentError as exc:
                reply = {"error": {"kind": exc.kind, "message": exc.message, "where": exc.where}}
                if getattr(exc, "call", ""):
                    reply["error"]["call"] = exc.call
                if exc.detail is not None:
                    reply["error"]["detail"] = exc.detail
                if SUBJECT and TRACE:
                    reply["error"]["calls"] = calls_of(SUBJECT[0], getattr(operations, "TRACED_ATTRIBUTES", ()))
        reply["warnings"] = sorted({f"{w.category.__name__}: {w.message}"[:200] for w in caught[:1000]})[:MAX_WARNINGS]
        for stream in (sys.stdout, sys.stderr):   # what the student printed belongs to this request
            try:
                stream.flush()
            except BaseException:  # noqa: B902
                pass
        write_message(replies, reply)


def main() -> None:
    """Load the submission once, then fork a process per part the parent asks for."""
    # Keep the protocol fds away from anything the student might close or write to by number.
    requests = os.fdopen(os.dup2(REQUEST_FD, 63), "rb")
    replies = os.fdopen(os.dup2(REPLY_FD, 62), "wb")
    os.close(REQUEST_FD)
    os.close(REPLY_FD)
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # past the output cap, writes fail instead of killing us
    namespace = {"__name__": "submission", "__builtins__": __builtins__}
    sys.modules["submission"] = types.ModuleType("submission")
    sys.modules["submission"].__dict__.update(namespace)
    namespace = sys.modules["submission"].__dict__

    request = read_message(requests)
    operations = load_operations(request["operations"])
    problems = load(namespace, request["chunks"])
    write_message(replies, {"problems": problems,
                            "defined": sorted(k for k in request.get("entry_points", []) if k in namespace),
                            "missing_imports": missing_imports(request.get("unused_imports", []))})
    gc.freeze()   # what exists now is shared with every part's fork: no collection copies its pages
    while True:
        try:
            request = read_message(requests)
        except EOFError:
            return
        if request.get("op") != "part":
            return
        sys.stdout.flush()
        sys.stderr.flush()
        try:
            pid = os.fork()
        except OSError as exc:   # the submission's own processes took the sandbox's process limit
            write_message(replies, {"part_failed": f"fork: {exc.strerror or exc}"[:200]})
            continue
        if pid == 0:
            status = 0
            try:
                serve_part(requests, replies, namespace, operations, request.get("reference", ""),
                           request.get("inject", []))
            except BaseException:  # noqa: B902 -- EOF from the parent, or the student broke the pipe
                status = 1
            finally:
                os._exit(status)
        _, status = os.waitpid(pid, 0)
        code = os.waitstatus_to_exitcode(status)
        write_message(replies, {"part_ended": code})


if __name__ == "__main__":
    if sys.argv[2:3] == ["--serve"]:
        from autograder.sandbox.inside import template   # the template's system calls: not in a plain child
        template.serve(main)
    else:
        main()
