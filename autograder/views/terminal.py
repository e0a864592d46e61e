"""The terminal's view of a graded class: one line per submission, the summary after it, the
isolation the results were graded with, the submissions not graded and the ids that need a look.

Ids are student-controlled (a file name): they are shown with ``readable`` (``IdNames``, ``short``),
other student text ``visible``.
"""
from autograder import results
from autograder.results import display
from autograder.views.readable import IdNames, short, show_id, visible

NAME_WIDTH = 40       # characters of an id in the terminal table (a longer one is cut, with a digest)


def table(collected, assignment, width=100):
    """The human summary: one line per submission."""
    parts = [f"{p} /{assignment.part_points[p]:g}" for p in assignment.parts]
    shown = IdNames(r.id for r in collected)
    names = [short(shown.show(r.id), NAME_WIDTH) for r in collected]
    name_width = max([len("student")] + [len(n) for n in names])
    lines = [f"{'student':<{name_width}}  {'total':>7}  " + "  ".join(f"{p:>15}" for p in parts) + "  status"]
    for r, name in zip(collected, names):
        scores = r.part_scores()
        status = visible(r.status if r.status == results.GRADED else f"{r.status}: {r.reason}")
        lines.append(f"{name:<{name_width}}  {display(r.score):>7}  "
                     + "  ".join(f"{display(scores[p]):>15}" for p in assignment.parts) + f"  {status[:width]}")
    return "\n".join(lines)


def summary_text(stats):
    parts = ", ".join(f"{p} {n}/{stats['graded']}" for p, n in stats["full_marks_per_part"].items())
    return (f"{stats['submissions']} submissions: {stats['graded']} graded, {stats['not_graded']} not graded; "
            f"mean {stats['mean']:g}, median {stats['median']:g} of {stats['total_points']:g}; "
            f"full marks per part: {parts}")


def isolation_text(stats, pinned=None, shown=5):
    """What the instructor must know about how the class was graded: the isolation of its results
    (and any that differ from this run's), and every submission the grader could not grade."""
    counts = stats.get("isolation", {})
    lines = ["isolation: " + "; ".join(f"{visible(kind)} ({n})" for kind, n in sorted(counts.items()))]
    if pinned:
        pinned = str(pinned)
        other = {k: n for k, n in counts.items() if k != pinned and k != "none (not run)"}
        if other:
            lines.append(f"WARNING: {sum(other.values())} results were graded with other isolation than this run's "
                         f"({visible(pinned)}), by an earlier run: "
                         + ", ".join(f"{visible(k)} ({n})" for k, n in sorted(other.items()))
                         + "; --force regrades them")
    errors = stats.get("grader_errors", [])
    if errors:
        lines.append(f"WARNING: {len(errors)} submissions were NOT graded (grader-error); rerun the same "
                     "command to grade them:")
        for r in errors[:shown]:
            lines.append(f"  {short(show_id(r.id), 60)}: {visible(r.reason)[:200]}")
        if len(errors) > shown:
            lines.append(f"  ... and {len(errors) - shown} more (status grader-error in the gradebook)")
    return "\n".join(lines)


def attention_text(collected, shown=20):
    """The ids to check before grades are imported (``IdNames.notes``): hidden characters, scripts
    mixed in a word, ids that look like another; empty when there are none."""
    names = IdNames(r.id for r in collected)
    flagged = names.flagged()
    if not flagged:
        return ""
    lines = [f"WARNING: {len(flagged)} ids need a look before grades are imported (they hide characters "
             "or look like another id; id_note in the gradebook):"]
    lines += [f"  {short(names.show(sid), 60)}: {names.note(sid)}" for sid in flagged[:shown]]
    if len(flagged) > shown:
        lines.append(f"  ... and {len(flagged) - shown} more (id_note in the gradebook)")
    return "\n".join(lines)
