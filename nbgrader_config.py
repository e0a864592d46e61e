"""nbgrader configuration of the kit's own course (read by every `nbgrader` command run here).

The kit's settings (named stubs, restored test cells, grading through the sandboxed autograder
instead of a kernel, feedback without hidden tests) come from `autograder.routes.nbgrader.configure`; a
course folder of your own gets the same with `python -m autograder course DIR` (see the README).
"""
from autograder.routes.nbgrader import configure

c = get_config()  # noqa: F821 -- provided by traitlets when nbgrader loads this file

c.CourseDirectory.course_id = "backprop"
c.CourseDirectory.source_directory = "source"
# Students take the release straight from the repository.
c.CourseDirectory.release_directory = "assignments"
c.CourseDirectory.db_url = "sqlite:///.nbgrader/gradebook.db"
configure(c)
