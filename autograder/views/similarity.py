"""Pairs of programs whose own graded code is the same: two students, a student and the reference
solution, a student and an earlier term's submission.

Own code. A submission is read as the grader reads it (``load.load_cells`` from the assignment's entry
points): only the top-level statements graded code needs, followed transitively, so code nothing
graded calls (unused helpers, demos, prints) is never compared and cannot dilute a copy. From that
the release's given code is removed line by line: a line whose tokens are those of a line of the
release notebook. A definition is never skipped for its name: one that reuses a given name
(``relative_error``) keeps every line that is not the release's, so a copy nested in it is compared.

Normalisation (``lexemes`` and ``normalised``, line by line): comments, docstrings and blank lines
are dropped; every name becomes ``N`` -- ``self`` and the module alias ``np`` too -- except keywords,
builtins, and numpy's and the builtin types' names after a dot (``N.exp``, ``N.T``, ``N.append``),
which no renaming can change; numbers become ``0`` and strings ``S``. Own code is cut into units at every
``def``/``class`` (any depth; the header line itself, a signature the release gives, is dropped), and
a unit's fingerprint is the set of its token ``K``-grams: grams never span two units, so the order of
functions, classes and methods changes nothing.

Score. The share of the smaller program's k-grams that the other program has too (containment), a
program with less own code than ``FLOOR`` times the reference's counted as that size. Containment,
not Jaccard: code added to one copy, called or not (a method nobody calls, a dead branch), cannot
dilute it, and a small rewrite (a loop made a comprehension) costs only the grams of the lines it
touches. The floor keeps a partial submission, a few lines every student writes alike, from
scoring 1 against everyone who wrote more.

Search. Exact, without scoring every pair (prefix filtering, as in set-similarity joins): a pair
that reaches the threshold misses at most m of the smaller program's grams, so among that program's
2m + 1 rarest grams (rarest across all programs) it shares at least m + 1; an inverted index finds
the programs that do, and only those are scored. Identical programs are one program.
"""
import builtins
import keyword
import math
import re
import time
from pathlib import Path

import numpy

from autograder.find import discover, load

K = 5                   # tokens per k-gram
MIN_TOKENS = 30         # own code shorter than this is not compared (nothing of one's own to copy)
FLOOR = 0.5             # a program smaller than this share of the reference's own code counts as that size
KEEP = set(keyword.kwlist) | set(dir(builtins))
# Names a student cannot rename, after a dot: numpy's and the builtin types' (np.exp, x.T, x.shape, xs.append)
ATTRIBUTES = set().union(*(dir(m) for m in (numpy, numpy.ndarray, numpy.ufunc, numpy.random, numpy.linalg,
                                             numpy.lib.stride_tricks, list, dict, tuple, set, str, type)))
HEADER = re.compile(r"\s*(?:(?:async\s+)?def|class)\b")
DECORATOR = re.compile(r"\s*@")
REFERENCE = "reference"   # the ``with`` of a pair with the reference solution; "class", "base" the others


# ------------------------------------------------------------------------------------------ reading
def code_cells(path):
    """[(origin, source)] of a submission's code, read as the loader reads a submission: a regular
    file only, never through a link or from a named pipe, and a notebook of any nbformat."""
    path = Path(path)
    text, _ = load.read_text(path)
    if path.suffix == ".ipynb":
        return load.notebook_cells(text, path.name)
    return [(path.name, text)]


# One line of Python, lexed on its own (own code is compared line by line, and a bracket or a docstring
# may open on one line and close on another): strings (complete, or running to the end of the line),
# numbers, names (any Unicode letters), operators; a comment ends it.
LEXEME = re.compile(r"""
    (?P<string>[rRbBuUfF]{0,2}(?:\"\"\"(?:[^"\\]|\\.|"(?!""))*(?:\"\"\"|$)|\'\'\'(?:[^'\\]|\\.|'(?!''))*(?:\'\'\'|$)
                              |"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?))
  | (?P<number>0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)
  | (?P<name>[^\W\d]\w*)
  | (?P<comment>\#.*)
  | (?P<op>\*\*=?|//=?|>>=?|<<=?|[-+*/%@&|^=!<>:]=|->|:=|[-+*/%@&|^~<>=:;,.()\[\]{}])
""", re.X)
TRIPLE = re.compile(r'"""|\'\'\'')
OPEN, CLOSE = set("([{"), set(")]}")


def lexemes(line):
    """[(kind, text)] of one line; comments and spaces dropped, a character no rule knows (a stray
    backslash, a ``$``) skipped."""
    out = []
    for match in LEXEME.finditer(line):
        if match.lastgroup == "comment":
            break
        out.append((match.lastgroup, match.group()))
    return out


def normalised(found):
    """The normalised tokens of a line's lexemes: names -> ``N`` (keywords, builtins, and ``ATTRIBUTES``
    after a dot kept), numbers -> ``0``, strings -> ``S``, operators as they are."""
    tokens = []
    for kind, text in found:
        if kind == "name":
            keep = text in KEEP or (tokens and tokens[-1] == "." and text in ATTRIBUTES)
            tokens.append(text if keep else "N")
        elif kind == "number":
            tokens.append("0")
        elif kind == "string":
            tokens.append("S")
        else:
            tokens.append(text)
    return tuple(tokens)


# ------------------------------------------------------------------------------------------ own code
class Given:
    """What the release gives: its code cells' sources, and each line of them as a tuple of exact
    token texts (so a given line with other spacing or another comment is still given)."""

    def __init__(self, cells=()):
        self.cells = {source.strip() for source in cells}
        self.lines = set()
        for source in cells:
            for line in source.split("\n"):
                found = tuple(text for _, text in lexemes(line))
                if found:
                    self.lines.add(found)


def template(assignment):
    """The release notebook's ``Given``; an empty one when the assignment has no release."""
    from autograder.course import sample   # needs nbformat and solutions/: not in the Gradescope bundle
    try:
        nb = sample.release_notebook(assignment)
    except (OSError, ValueError, TypeError):      # no release (a folder of its own, or none)
        return Given()
    return Given([cell.source for cell in nb.cells if cell.cell_type == "code"])


def units(cells, given, assignment):
    """The own code of ``cells`` ([(origin, source)]) as units, each [(normalised tokens, line)]: the
    statements graded code needs (as the loader keeps them), without the release's lines, cut at
    every def/class."""
    # A cell the release gives, unchanged, holds no own code, and what graded code needs from it is
    # given code: the loader is handed only the other cells (so it costs what the student wrote).
    own = [(origin, source) for origin, source in cells if source.strip() not in given.cells]
    program = load.load_cells(own, assignment.entry_points, assignment.course_modules)
    return [unit for chunk in program.chunks for unit in _cut(chunk["source"], given) if unit]


def _cut(source, given):
    """Units of one chunk: a stack of (header indentation, unit) follows the nesting of definitions."""
    module = []
    found, stack = [module], []
    inside, depth, header, continued = None, 0, False, False
    for line in source.split("\n"):
        if inside:                       # in a multi-line string (a docstring): not code
            if inside in line:
                inside = None
            continue
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        code = lexemes(line)
        triples = [text for kind, text in code if kind == "string" and TRIPLE.match(text.lstrip("rRbBuUfF"))]
        opening = next((t for t in triples if not _closed(t)), None)
        if opening is not None:          # a string opens here and runs on: the rest is string
            inside = opening.lstrip("rRbBuUfF")[:3]
        starts = depth == 0 and not continued
        if starts:
            indent = len(line) - len(line.lstrip())
            while stack and indent <= stack[-1][0]:
                stack.pop()
            header = bool(HEADER.match(line) or DECORATOR.match(line))
            if HEADER.match(line):
                unit = []
                found.append(unit)
                stack.append((indent, unit))
        depth = max(0, depth + sum(t in OPEN for _, t in code) - sum(t in CLOSE for _, t in code))
        continued = line.rstrip().endswith("\\")
        if header:
            header = depth > 0 or continued      # a signature over several lines is header to its end
            continue
        if len(code) == 1 and code[0][0] == "string":     # a docstring, or a string on its own
            continue
        if tuple(text for _, text in code) in given.lines:
            continue
        tokens = normalised(code)
        if tokens:
            (stack[-1][1] if stack else module).append((tokens, line.rstrip()))
    return found


def _closed(string):
    body = string.lstrip("rRbBuUfF")
    return len(body) >= 6 and body.endswith(body[:3])


def fingerprint(program_units):
    """(the set of token K-grams of the units, grams never spanning two units; the number of tokens)."""
    grams, count = set(), 0
    for unit in program_units:
        tokens = [t for line, _ in unit for t in line]
        count += len(tokens)
        grams.update(" ".join(tokens[i:i + K]) for i in range(max(1, len(tokens) - K + 1)))
    return grams, count


# ------------------------------------------------------------------------------------------ pairs
def score(a, b, floor=0):
    """(score, share of a's grams in b, share of b's grams in a) of two gram sets."""
    both = len(a & b)
    return both / max(min(len(a), len(b)), floor, 1), both / max(len(a), 1), both / max(len(b), 1)


PROBE = 2     # probe this many times the grams a pair may miss: fewer candidates, more look-ups


def candidates(sets, threshold, floor=0):
    """Pairs (i, j), i < j, of ``sets`` (a list of sets) that can reach ``threshold`` in ``score``,
    and the number of look-ups it took. Exact, no pair is missed: with the smaller set A of a pair
    (size n, counted as at least ``floor``) the pair shares all but at most
    m = n - ceil(t * max(n, floor)) of A's grams, so of A's p rarest grams it shares at least p - m.
    Only the sets holding one of A's p = PROBE * m + 1 rarest grams are counted (numpy, from an
    inverted index), and only those holding p - m of them are returned."""
    order = sorted(range(len(sets)), key=lambda i: len(sets[i]))     # smaller first: a pair is probed from its smaller
    ids = {g: k for k, g in enumerate(sorted(set().union(*sets)))} if sets else {}
    docs = [numpy.fromiter((ids[g] for g in sets[i]), dtype=numpy.int64, count=len(sets[i])) for i in order]
    grams = numpy.concatenate(docs) if docs else numpy.zeros(0, numpy.int64)
    owner = numpy.repeat(numpy.arange(len(docs)), [len(d) for d in docs])
    frequency = numpy.bincount(grams, minlength=len(ids))
    holders = owner[numpy.argsort(grams, kind="stable")]             # inverted index: the holders of gram g are
    starts = numpy.concatenate(([0], numpy.cumsum(frequency)))       # holders[starts[g]:starts[g + 1]]
    rarity = numpy.empty(len(ids), numpy.int64)
    rarity[numpy.lexsort((numpy.arange(len(ids)), frequency))] = numpy.arange(len(ids))
    found, looked = [], 0
    for rank, doc in enumerate(docs):
        misses = len(doc) - math.ceil(threshold * max(len(doc), floor) - 1e-9)
        if misses < 0:                   # too small to reach the threshold against anyone
            continue
        probe = min(len(doc), PROBE * misses + 1)
        chosen = doc[numpy.argsort(rarity[doc])[:probe]]
        counts = frequency[chosen]
        offsets = numpy.repeat(starts[chosen] - numpy.concatenate(([0], numpy.cumsum(counts)[:-1])), counts)
        others = holders[offsets + numpy.arange(counts.sum())]
        looked += len(others)
        hits = numpy.bincount(others[others > rank], minlength=len(docs))
        found.extend(tuple(sorted((order[rank], order[other]))) for other in numpy.flatnonzero(hits >= probe - misses))
    return sorted(found), looked


def _shared(a, b):
    """Side-by-side original lines whose normalised form both programs have, in a's order."""
    first_b = {}
    for unit in b:
        for tokens, line in unit:
            first_b.setdefault(tokens, line)
    pairs, seen = [], set()
    for unit in a:
        for tokens, line in unit:
            if tokens in first_b and tokens not in seen and len(tokens) > 2:
                seen.add(tokens)
                pairs.append((line, first_b[tokens]))
    return pairs


MAX_PAIRS = 5000          # pairs kept (highest first); the clusters hold everyone
SHARED_FOR = 200          # pairs whose shared lines are worked out (the ones the page shows)


class Program:
    """One program compared: a student of the class, the reference, or an earlier term's submission."""

    def __init__(self, key, kind, units_, grams, path=None):
        self.key, self.kind, self.units, self.grams, self.path = key, kind, units_, frozenset(grams), path


def _read(key, kind, path, given, assignment, skipped, path_shown=None):
    try:
        own = units(code_cells(path), given, assignment)
    except load.LoadError as exc:
        skipped.append({"id": key, "with": kind, "kind": "unreadable", "reason": str(exc)})
        return None
    except (OSError, ValueError, UnicodeError, AttributeError, TypeError, RecursionError, MemoryError) as exc:
        skipped.append({"id": key, "with": kind, "kind": "unreadable", "reason": type(exc).__name__})
        return None
    grams, count = fingerprint(own)
    if count < MIN_TOKENS:
        skipped.append({"id": key, "with": kind, "kind": "too-little-code", "tokens": count, "minimum": MIN_TOKENS})
        return None
    return Program(key, kind, own, grams, path_shown)


def reference_program(assignment, given):
    """The reference solution as a program (the release with the source notebook's solved cells), or None."""
    from autograder.course import sample   # as in template()
    try:
        nb = sample.filled(assignment, sample.solved_cells(assignment))
    except (OSError, ValueError, TypeError, KeyError):     # no source notebook or no release to fill
        return None
    cells = [(f"cell {i}", c.source) for i, c in enumerate(nb.cells, 1) if c.cell_type == "code"]
    own = units(cells, given, assignment)
    grams, _ = fingerprint(own)
    return Program(REFERENCE, REFERENCE, own, grams) if grams else None


def base_programs(folders, assignment, given, skipped):
    """Earlier terms' submissions under ``folders`` (class folders as ``grade`` takes them), keyed
    ``<folder name>/<id>``."""
    found = []
    for folder in folders:
        try:
            submissions = discover.find([folder], assignment)
        except discover.DiscoveryError as exc:
            skipped.append({"id": str(folder), "with": "base", "kind": "refused", "reason": str(exc)})
            continue
        for s in submissions:
            key = f"{Path(folder).name}/{s.id}"
            if s.problem or s.duplicate_of:
                skipped.append({"id": key, "with": "base", "kind": "refused" if s.problem else "duplicate",
                                "reason": s.problem})
                continue
            program = _read(key, "base", s.path, given, assignment, skipped, path_shown=str(s.path))
            if program:
                found.append(program)
    return found


def _clusters(edges):
    """The groups of students that pairs of students connect, biggest first."""
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in edges:
        parent[root(a)] = root(b)
    groups = {}
    for x in list(parent):
        groups.setdefault(root(x), []).append(x)
    return sorted((sorted(c) for c in groups.values()), key=lambda c: (-len(c), c))


def find_pairs(collected: list, assignment, files: dict, threshold: float = 0.8, base=()) -> dict:
    """The similarity section of the report: ``pairs`` at or above ``threshold`` (highest first) --
    two students (``with`` "class"), a student and the reference ("reference"), a student and an
    earlier term's submission under ``base`` ("base") -- ``clusters``, the groups of students the class
    pairs connect (biggest first), and ``skipped``, each with the ``kind`` of why (a view words it)."""
    started = time.monotonic()
    given = template(assignment)
    skipped, programs = [], []
    for r in collected:
        path = files.get(r.id)
        if path is None:
            skipped.append({"id": r.id, "with": "class", "kind": "not-found"})
            continue
        program = _read(r.id, "class", path, given, assignment, skipped)
        if program:
            programs.append(program)
    compared = len(programs)
    reference = reference_program(assignment, given)
    floor = FLOOR * len(reference.grams) if reference else 0
    others = ([reference] if reference else []) + base_programs(base, assignment, given, skipped)
    # one entry per distinct gram set: a class of 1,000 copies of one notebook costs as much as one
    distinct: dict[frozenset[str], list[Program]] = {}
    for program in programs + others:
        distinct.setdefault(program.grams, []).append(program)
    groups = list(distinct.values())
    scored = []
    for group in groups:                 # identical programs: every pair with a student in it scores 1
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                if "class" in (a.kind, b.kind):
                    scored.append((1.0, 1.0, 1.0, a, b))
    pairs, looked = candidates([group[0].grams for group in groups], threshold, floor)
    for i, j in pairs:
        s, share_i, share_j = score(groups[i][0].grams, groups[j][0].grams, floor)
        if s < threshold:
            continue
        for a in groups[i]:
            for b in groups[j]:
                if "class" in (a.kind, b.kind):
                    scored.append((round(s, 4), round(share_i, 4), round(share_j, 4), a, b))
    rows = []
    for s, share_a, share_b, a, b in scored:
        if b.kind == "class" and (a.kind != "class" or b.key < a.key):   # the student first; students by id
            a, b, share_a, share_b = b, a, share_b, share_a
        rows.append((s, a, b, share_a, share_b))
    rows.sort(key=lambda p: (-p[0], p[1].key, p[2].kind != "class", p[2].key))
    clusters = _clusters((a.key, b.key) for _, a, b, _, _ in rows if b.kind == "class")
    out = []
    for k, (s, a, b, share_a, share_b) in enumerate(rows[:MAX_PAIRS]):
        out.append({"a": a.key, "b": b.key, "with": b.kind, "score": s, "a_share": share_a, "b_share": share_b,
                    **({"b_file": b.path} if b.path else {}),
                    "shared": _shared(a.units, b.units) if k < SHARED_FOR else None})
    return {"threshold": threshold, "k": K, "compared": compared, "distinct": len(groups),
            "reference": reference is not None, "base": len(others) - (reference is not None),
            "candidates": len(pairs), "looked_up": looked, "skipped": skipped, "pairs": out, "pair_count": len(rows),
            "clusters": clusters, "seconds": round(time.monotonic() - started, 3),
            "method": f"graded code (the loader's), given lines removed, tokens normalised; containment of token "
                      f"{K}-grams per definition, floor {FLOOR:g} x the reference's; exact prefix-filter search"}
