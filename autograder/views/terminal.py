"""The terminal's view of a graded class: one line per submission, the summary after it, the
isolation the results were graded with, the submissions not graded and the ids that need a look.

Words come from ``messages.catalog(lang)``; the CLI prints them in English (``--lang`` is the
feedback's language). Ids are student-controlled (a file name): they are shown with ``readable``
(``IdNames``, ``short``), other student text ``visible``.
"""
from autograder import messages, results
from autograder.assignment import Assignment
from autograder.results import score_text
from autograder.views.gradebook import lateness, parse_timestamp
from autograder.views.readable import IdNames, pad, short, show_id, visible
from autograder.views.readable import width as columns

NAME_WIDTH = 40       # characters of an id in the terminal table (a longer one is cut, with a digest)
LANG = "en"           # the terminal's language unless a caller asks for another


def status_text(result: results.SubmissionResult, words: messages.Catalog) -> str:
    """A submission's status in ``words``' language, and why it has no score (the recorded reason)."""
    status = words.get(f"status.{result.status}", result.status)
    return status if result.status == results.GRADED else f"{status}: {result.reason}"


def table(collected: list, assignment: Assignment, width: int = 100, lang: str = LANG) -> str:
    """The human summary: one line per submission; a submission without a score shows ``NO_SCORE``
    in every points column. Columns line up in terminal columns (a CJK character takes two)."""
    words = messages.catalog(lang)
    parts = [f"{p} /{assignment.part_points[p]:g}" for p in assignment.parts]
    shown = IdNames(r.id for r in collected)
    names = [short(shown.show(r.id), NAME_WIDTH) for r in collected]
    student, total = words("terminal.student"), words("terminal.total")
    name_width = max([columns(student)] + [columns(n) for n in names])
    lines = [pad(student, name_width) + f"  {pad(total, 7, right=True)}  "
             + "  ".join(pad(p, 15, right=True) for p in parts) + f"  {words('terminal.status')}"]
    for r, name in zip(collected, names):
        scores = r.part_scores()
        status = visible(status_text(r, words))
        lines.append(pad(name, name_width) + f"  {score_text(r.status, r.score):>7}  "
                     + "  ".join(f"{score_text(r.status, scores[p]):>15}" for p in assignment.parts)
                     + f"  {status[:width]}")
    return "\n".join(lines)


def roster_text(collected: list, roster: dict | None, due=None, lang: str = LANG) -> str:
    """Who on the roster handed nothing in, and who was late against ``due``: the lines the instructor
    reads under the table (empty when there is nothing to say)."""
    words = messages.catalog(lang)
    lines = []
    handed_in = {r.id for r in collected}
    missing = sorted(set(roster or {}) - handed_in)
    if missing:
        lines.append(words("terminal.roster-missing", n=len(missing),
                           ids=", ".join(short(show_id(sid), 40) for sid in missing[:10])
                           + (" …" if len(missing) > 10 else "")))
    if due is not None:
        late = [(r.id, lateness(parse_timestamp(r.submitted_at), due)) for r in collected]
        late = [(sid, by) for sid, by in late if by]
        if late:
            lines.append(words("terminal.late", n=len(late),
                               ids=", ".join(f"{short(show_id(sid), 40)} ({by})" for sid, by in late[:10])
                               + (" …" if len(late) > 10 else "")))
    return "\n".join(lines)


def summary_text(stats: dict, lang: str = LANG) -> str:
    """The class in one line: how many were graded, the mean and median, full marks per part."""
    parts = ", ".join(f"{p} {n}/{stats['graded']}" for p, n in stats["full_marks_per_part"].items())
    return messages.catalog(lang)("terminal.summary", submissions=stats["submissions"], graded=stats["graded"],
                                  not_graded=stats["not_graded"], mean=stats["mean"], median=stats["median"],
                                  total=stats["total_points"], parts=parts)


def isolation_text(stats: dict, pinned: object = None, shown: int = 5, lang: str = LANG) -> str:
    """What the instructor must know about how the class was graded: the isolation of its results
    (and any that differ from this run's), and every submission the grader could not grade."""
    words = messages.catalog(lang)
    counts = stats.get("isolation", {})
    kinds = "; ".join(f"{visible(kind)} ({n})" for kind, n in sorted(counts.items()))
    lines = [words("terminal.isolation", kinds=kinds)]
    if pinned:
        pinned = str(pinned)
        other = {k: n for k, n in counts.items() if k != pinned and k != "none (not run)"}
        if other:
            lines.append(words("terminal.other-isolation", n=sum(other.values()), pinned=visible(pinned),
                               others=", ".join(f"{visible(k)} ({n})" for k, n in sorted(other.items()))))
    errors = stats.get("grader_errors", [])
    if errors:
        lines.append(words("terminal.not-graded", n=len(errors)))
        for r in errors[:shown]:
            lines.append(f"  {short(show_id(r.id), 60)}: {visible(r.reason)[:200]}")
        if len(errors) > shown:
            lines.append(words("terminal.more-not-graded", n=len(errors) - shown))
    return "\n".join(lines)


def attention_text(collected: list, shown: int = 20, lang: str = LANG) -> str:
    """The ids to check before grades are imported (``IdNames.notes``): hidden characters, scripts
    mixed in a word, ids that look like another; empty when there are none."""
    words = messages.catalog(lang)
    names = IdNames(r.id for r in collected)
    flagged = names.flagged()
    if not flagged:
        return ""
    lines = [words("terminal.attention", n=len(flagged))]
    lines += [f"  {short(names.show(sid), 60)}: {names.note(sid, lang)}" for sid in flagged[:shown]]
    if len(flagged) > shown:
        lines.append(words("terminal.more-attention", n=len(flagged) - shown))
    return "\n".join(lines)
