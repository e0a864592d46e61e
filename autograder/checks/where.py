"""Where in the student's code, as the student finds it, and what loading the submission found."""
import re

from autograder import messages
from autograder.find.load import Program

WHERE = re.compile(r"^(?:cell (?P<cell>\d+)|(?P<file>[^,]{1,200})), line (?P<line>\d+), in (?P<function>.{1,80})$")


def where(text: str, program: Program, lang: str) -> tuple[str, bool]:
    """'cell 12, line 31, in forward' in the student's words: the cell's first line and exercise.
    Also whether a notebook cell was named (its numbering is then explained once)."""
    match = WHERE.match(text or "")
    if not match:
        return text, False
    function = (messages.say("where-function", lang, name=match["function"])
                if match["function"] not in ("<module>", "") else "")
    if match["cell"] is None:
        return messages.say("where-file", lang, file=match["file"], line=match["line"], function=function), False
    info = program.cells.get(f"cell {match['cell']}")
    if info is None:
        cell = f"cell {match['cell']}"
        return messages.say("where-file", lang, file=cell, line=match["line"], function=function), False
    label = messages.say("where-label", lang, label=info["label"]) if info["label"] else ""
    return messages.say("where-cell", lang, cell=match["cell"], first=info["first_line"], label=label,
                        line=match["line"], function=function), True


def load_report(student, problems: list[dict], lang: str) -> str:
    """What went wrong loading the submission, and imports that would fail elsewhere, one line each
    (``student`` is a ``checks.student.Student``)."""
    program = student.program
    lines = list(program.notes)
    for problem in problems:
        if problem.get("line"):
            in_cell = problem["origin"].startswith("cell ")
            scope = messages.say("scope-cell" if in_cell else "scope-file", lang)
            if problem["kind"] != "SyntaxError":
                scope = messages.say("scope-statement", lang)
            where_ = student.where(f"{problem['origin']}, line {problem['line']}, in <module>", lang)
            lines.append(messages.say("load-problem", lang, where=where_, message=problem["message"], scope=scope))
        else:
            origin = problem.get("where") or problem["origin"]
            lines.append(messages.say("load-problem-noline", lang, origin=origin, message=problem["message"]))
    for missing in student.process.missing_imports:
        where_ = student.where(f"{missing['origin']}, line {missing['line']}, in <module>", lang)
        lines.append(messages.say("missing-import", lang, where=where_, module=missing["module"]))
    return "\n".join(lines)
