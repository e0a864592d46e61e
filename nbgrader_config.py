"""nbgrader configuration of the backprop exercise kit (read by every `nbgrader` command run here)."""
import re

from nbgrader.preprocessors import ClearSolutions

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.source_directory = "source"
# Students take the release straight from the repository.
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///.nbgrader/gradebook.db"

# A student who deletes a test cell gets it back at grading time. This only works because ordinary
# cells carry no nbgrader metadata (given cells are read-only through Jupyter's own
# `editable`/`deletable` flags); nbgrader 0.9.6 crashes with KeyError: 'grade_id' otherwise.
c.OverwriteCells.add_missing_cells = True

# Training in a test cell takes about a second; 30 s (nbgrader's default) is generous.
c.Execute.timeout = 30


class NamedStubs(ClearSolutions):
    """Replace each solution region with a stub that names what to implement.

    nbgrader's own stub is a bare `raise NotImplementedError()`; a student running the demo cell
    should read *which* method is missing, e.g. "請實作 Sigmoid.forward".
    """

    def _replace_solution_region(self, cell, language):
        if cell.cell_type != "code":
            return super()._replace_solution_region(cell, language)
        lines = cell.source.split("\n")
        new_lines, in_solution, replaced, owner = [], False, False, []
        for line in lines:
            definition = re.match(r"(\s*)(class|def)\s+(\w+)", line)
            if definition and not in_solution:
                depth = len(definition.group(1))
                owner = [o for o in owner if o[0] < depth] + [(depth, definition.group(3))]
            if self.begin_solution_delimeter in line:
                if in_solution:
                    raise RuntimeError("encountered nested begin solution statements")
                in_solution = replaced = True
                indent = re.match(r"\s*", line).group(0)
                name = ".".join(o[1] for o in owner) or "這一格"
                new_lines.append(f"{indent}# YOUR CODE HERE")
                new_lines.append(f'{indent}raise NotImplementedError("請實作 {name}")')
            elif self.end_solution_delimeter in line:
                in_solution = False
            elif not in_solution:
                new_lines.append(line)
        if in_solution:
            raise RuntimeError("no end solution statement found")
        cell.source = "\n".join(new_lines)
        return replaced


# nbgrader 0.9.6's own list, with ClearSolutions swapped for NamedStubs (the list cannot be read back
# from the trait here, so it is spelled out; keep it in step when upgrading nbgrader).
c.GenerateAssignment.preprocessors = [
    "nbgrader.preprocessors.IncludeHeaderFooter",
    "nbgrader.preprocessors.InstantiateTests",
    "nbgrader.preprocessors.LockCells",
    NamedStubs,
    "nbgrader.preprocessors.ClearOutput",
    "nbgrader.preprocessors.CheckCellMetadata",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.SaveCells",
    "nbgrader.preprocessors.ClearHiddenTests",
    "nbgrader.preprocessors.ClearMarkScheme",
    "nbgrader.preprocessors.ComputeChecksums",
    "nbgrader.preprocessors.CheckCellMetadata",
]
