"""Pairs of submissions whose own code is identical or near-identical.

Each submission's *own* code is what is left of it after the release's given code is removed: for a
notebook, every code cell; for a .py export, the whole file; then the top-level definitions of the
names the release's given (non-exercise) cells define are dropped, and every line that is, stripped,
a line of one of the release notebook's code cells (the stubs, the self-checks, the demos). So the template never makes two students look alike, and a submission that adds almost
nothing to it (an untouched release) is not compared at all.

Own code is normalised line by line (``line_tokens``: a small lexer of Python's tokens, since own
code is lines cut out of cells and a bracket or docstring may span a removed line, which Python's
``tokenize`` refuses): comments, docstrings, blank lines and indentation are dropped, every
identifier that is not a keyword or a builtin becomes ``N``, every number ``0`` and every string ``S`` -- so renamed variables, edited comments, reformatting and changed constants do
not hide a copy. Its fingerprint is the set of token k-grams (``K`` tokens); reordering functions
changes only the few k-grams that span a boundary.

Candidates come from datasketch's MinHash LSH (no all-pairs loop: 1,000 submissions take seconds);
each candidate pair's score is the exact Jaccard similarity of the two k-gram sets, and a pair is
reported when it reaches the threshold, with the lines (original text) whose normalised form both
share, side by side.
"""
import ast
import builtins
import keyword
import re
import time
from pathlib import Path

from . import load

K = 5                   # tokens per k-gram
NUM_PERM = 128          # MinHash permutations
MIN_TOKENS = 30         # own code shorter than this is not compared (nothing of one's own to copy)
KEEP = set(keyword.kwlist) | set(dir(builtins)) | {"self", "np", "numpy"}


def _code_of(path):
    """The submission's code cells (a .py file: one), read as the loader reads a submission: a regular
    file only, never through a link or from a named pipe, and a notebook of any nbformat."""
    path = Path(path)
    text, _ = load.read_text(path)
    if path.suffix == ".ipynb":
        return [source for _, source in load.notebook_cells(text, path.name)]
    return [text]


def template(assignment):
    """What the release gives: (every stripped line of its code cells, the names its cells that are
    not exercises define at top level -- the given classes and functions, its code cells' sources, the
    normalised lines of its exercise stubs)."""
    from . import sample
    lines, names, cells, stubs = set(), set(), set(), set()
    try:
        nb = sample.release_notebook(assignment)
    except Exception:
        return lines, names, cells, stubs
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.add(cell.source.strip())
        if cell.metadata.get("nbgrader", {}).get("solution"):   # an exercise's stub, normalised: a renamed
            code = own_lines([cell.source], (set(), set(), set(), set()))           # copy drops it too
            stubs.update(tokens for tokens, _ in normalise(code))
        lines.update(line.strip() for line in cell.source.splitlines() if line.strip())
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            names.update(node.name for node in tree.body
                         if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)))
    return lines, names, cells, stubs


def _given_spans(source, names):
    """Line numbers (1-based) of the top-level definitions of given ``names`` in ``source``."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return set()
    spans = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in names:
            first = min([node.lineno] + [d.lineno for d in node.decorator_list])
            spans.update(range(first, (node.end_lineno or node.lineno) + 1))
    return spans


def _strip_magics(line):
    stripped = line.lstrip()
    return "" if stripped.startswith(("%", "!")) else line


def own_lines(cells, given):
    """The lines of ``cells`` that are not given code, as text: not in a top-level definition of a
    given name, and not (stripped) a line of the release."""
    lines, names, sources, _ = given
    defines = re.compile(r"^(?:class|def|async\s+def)\s+(?:%s)\b" % "|".join(map(re.escape, sorted(names))), re.M) \
        if names else None
    out = []
    for cell in cells:
        if cell.strip() in sources:      # a given cell, unchanged
            continue
        # parsing is what costs: only a cell that (re)defines a given name at top level is parsed
        spans = _given_spans(cell, names) if defines and defines.search(cell) else set()
        inside = None
        for number, line in enumerate(cell.splitlines(), start=1):
            if inside:                   # in a multi-line string (a docstring): not code
                if inside in line:
                    inside = None
                continue
            triples = TRIPLE.findall(line.split("#", 1)[0] if "#" in line and not TRIPLE.search(line) else line)
            if len(triples) % 2 == 1:    # a string opens here and runs on: the rest is string
                inside = triples[-1]
                if line.strip().lstrip("rRbBuUfF")[:3] in ('"""', "'''"):
                    continue             # the line is only the string's start
            if number not in spans and line.strip() and line.strip() not in lines:
                out.append(_strip_magics(line))
    return out


# One line of Python, lexed on its own (own code is a set of lines cut out of cells, so a bracket or
# a docstring may open on one line and close on a line that was removed): strings (complete, or
# running to the end of the line), numbers, names (any Unicode letters), operators; a comment ends it.
LEXEME = re.compile(r"""
    (?P<string>[rRbBuUfF]{0,2}(?:\"\"\"|\'\'\'|"(?:[^"\\]|\\.)*"?|'(?:[^'\\]|\\.)*'?))
  | (?P<number>0[xXoObB][\da-fA-F_]+|(?:\d[\d_]*(?:\.[\d_]*)?|\.\d[\d_]*)(?:[eE][+-]?\d+)?[jJ]?)
  | (?P<name>[^\W\d]\w*)
  | (?P<comment>\#.*)
  | (?P<op>\*\*=?|//=?|>>=?|<<=?|[-+*/%@&|^=!<>:]=|->|:=|[-+*/%@&|^~<>=:;,.()\[\]{}])
""", re.X)
TRIPLE = re.compile(r'"""|\'\'\'')


def line_tokens(line):
    """The normalised tokens of one line: names -> ``N`` (keywords, builtins, ``self``, ``np`` kept),
    numbers -> ``0``, strings -> ``S``, operators as they are; comments and spaces dropped."""
    tokens = []
    position = 0
    while position < len(line):
        match = LEXEME.match(line, position)
        if match is None:
            position += 1        # a character no rule knows (a stray backslash, a `$`): not evidence
            continue
        kind, text = match.lastgroup, match.group()
        position = match.end()
        if kind == "comment":
            break
        if kind == "string":
            if TRIPLE.search(text):       # a triple-quoted string: to its end on this line, or the line's
                close = line.find(text[-3:], position)
                position = len(line) if close < 0 else close + 3
            tokens.append("S")
        elif kind == "number":
            tokens.append("0")
        elif kind == "name":
            tokens.append(text if text in KEEP else "N")
        else:
            tokens.append(text)
    return tokens


def normalise(lines):
    """[(normalised tokens of a line, original line)] of code given as lines; a line that is only a
    string (a one-line docstring) is dropped."""
    out = []
    for line in lines:
        tokens = line_tokens(line)
        if tokens and tokens != ["S"]:
            out.append((tuple(tokens), line.rstrip()))
    return out


def shingles(normalised):
    tokens = [t for line, _ in normalised for t in line]
    return {" ".join(tokens[i:i + K]) for i in range(max(1, len(tokens) - K + 1))}, len(tokens)


def _shared(a, b):
    """Side-by-side original lines whose normalised form both submissions have, in a's order."""
    first_b = {}
    for tokens, line in b:
        first_b.setdefault(tokens, line)
    pairs, seen = [], set()
    for tokens, line in a:
        if tokens in first_b and tokens not in seen and len(tokens) > 2:
            seen.add(tokens)
            pairs.append((line, first_b[tokens]))
    return pairs


MAX_PAIRS = 5000          # pairs kept (highest first); the clusters hold everyone
SHARED_FOR = 200          # pairs whose shared lines are worked out (the ones the page shows)


def find_pairs(collected, assignment, files, threshold=0.8):
    """The similarity section of the report: ``pairs`` at or above ``threshold`` (highest first),
    and ``clusters``, the groups of students those pairs connect (biggest first).

    Submissions whose normalised own code is the same are one program: LSH runs over the distinct
    programs, so a class of 1,000 copies of one notebook costs as much as one."""
    try:
        from datasketch import MinHash, MinHashLSH
    except ImportError:
        raise RuntimeError("--similarity needs the datasketch package (pip install -r requirements.txt)") from None
    started = time.monotonic()
    given = template(assignment)
    docs, skipped = {}, []
    for r in collected:
        path = files.get(r.id)
        if path is None:
            skipped.append({"id": r.id, "reason": "submission file not found (report: give --submissions "
                                                   "with the class folder)"})
            continue
        try:
            lines = own_lines(_code_of(path), given)
        except load.LoadError as exc:
            skipped.append({"id": r.id, "reason": f"not readable ({exc})"})
            continue
        except (OSError, ValueError, UnicodeError, AttributeError, TypeError, RecursionError) as exc:
            skipped.append({"id": r.id, "reason": f"not readable ({type(exc).__name__})"})
            continue
        norm = [(tokens, line) for tokens, line in normalise(lines) if tokens not in given[3]]
        grams, count = shingles(norm)
        if count < MIN_TOKENS:
            skipped.append({"id": r.id, "reason": f"{count} tokens of own code (fewer than {MIN_TOKENS})"})
            continue
        docs[r.id] = (norm, frozenset(grams))
    # one program per distinct k-gram set
    programs = {}
    for sid in sorted(docs):
        programs.setdefault(docs[sid][1], []).append(sid)
    reps = [members[0] for members in programs.values()]
    members_of = {members[0]: members for members in programs.values()}
    hashes = MinHash.bulk([[g.encode("utf-8", "surrogatepass") for g in docs[r][1]] for r in reps], num_perm=NUM_PERM)
    # Candidates at a lower threshold than asked: LSH is probabilistic, the exact Jaccard decides.
    lsh = MinHashLSH(threshold=max(0.05, threshold * 0.7), num_perm=NUM_PERM)
    for rep, h in zip(reps, hashes):
        lsh.insert(rep, h)
    scored = []
    for rep, members in members_of.items():      # identical programs: every pair among them scores 1
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                scored.append((1.0, a, b))
    for rep, h in zip(reps, hashes):
        for other in lsh.query(h):
            if other <= rep:
                continue
            a, b = docs[rep][1], docs[other][1]
            score = len(a & b) / len(a | b)
            if score >= threshold:
                for x in members_of[rep]:
                    for y in members_of[other]:
                        scored.append((round(score, 4), *sorted((x, y))))
    scored.sort(key=lambda p: (-p[0], p[1], p[2]))
    # clusters: students connected by a pair
    parent = {}

    def root(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for _, a, b in scored:
        parent[root(a)] = root(b)
    clusters = {}
    for x in list(parent):
        clusters.setdefault(root(x), []).append(x)
    clusters = sorted((sorted(c) for c in clusters.values()), key=lambda c: (-len(c), c))
    pairs = []
    for k, (score, a, b) in enumerate(scored[:MAX_PAIRS]):
        pairs.append({"a": a, "b": b, "score": score,
                      "shared": _shared(docs[a][0], docs[b][0]) if k < SHARED_FOR else None})
    return {"threshold": threshold, "k": K, "compared": len(docs), "distinct": len(reps), "skipped": skipped,
            "pairs": pairs, "pair_count": len(scored), "clusters": clusters,
            "seconds": round(time.monotonic() - started, 3),
            "method": "per-line token normalisation + datasketch MinHashLSH candidates + exact Jaccard of token 5-grams"}
