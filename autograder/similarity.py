"""Pairs of submissions whose own code is identical or near-identical.

Each submission's *own* code is what is left of it after the release's given code is removed: for a
notebook, every code cell; for a .py export, the whole file; then the top-level definitions of the
names the release's given (non-exercise) cells define are dropped, and every line that is, stripped,
a line of one of the release notebook's code cells (the stubs, the self-checks, the demos). So the template never makes two students look alike, and a submission that adds almost
nothing to it (an untouched release) is not compared at all.

Own code is normalised with Python's ``tokenize``: comments, blank lines and indentation are
dropped, every identifier that is not a keyword or a builtin becomes ``N``, every number ``0`` and
every string ``S`` -- so renamed variables, edited comments, reformatting and changed constants do
not hide a copy. Its fingerprint is the set of token k-grams (``K`` tokens); reordering functions
changes only the few k-grams that span a boundary.

Candidates come from datasketch's MinHash LSH (no all-pairs loop: 1,000 submissions take seconds);
each candidate pair's score is the exact Jaccard similarity of the two k-gram sets, and a pair is
reported when it reaches the threshold, with the lines (original text) whose normalised form both
share, side by side.
"""
import ast
import builtins
import io
import json
import keyword
import re
import time
import tokenize
from pathlib import Path

K = 5                   # tokens per k-gram
NUM_PERM = 128          # MinHash permutations
MIN_TOKENS = 30         # own code shorter than this is not compared (nothing of one's own to copy)
MAX_BYTES = 5 * 1024 * 1024
KEEP = set(keyword.kwlist) | set(dir(builtins)) | {"self", "np", "numpy"}


def _code_of(path):
    """The submission's code as text: a notebook's code cells (joined), or a .py file."""
    data = Path(path).read_bytes()[:MAX_BYTES]
    text = data.decode("utf-8", "replace")
    if Path(path).suffix == ".ipynb":
        nb = json.loads(text)
        cells = []
        for cell in nb.get("cells", []):
            if cell.get("cell_type") == "code":
                source = cell.get("source", "")
                cells.append("".join(source) if isinstance(source, list) else str(source))
        return cells
    return [text]


def template(assignment):
    """What the release gives: (every stripped line of its code cells, the names its cells that are
    not exercises define at top level -- the given classes and functions, its code cells' sources)."""
    from . import sample
    lines, names, cells = set(), set(), set()
    try:
        nb = sample.release_notebook(assignment)
    except Exception:
        return lines, names, cells
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        cells.add(cell.source.strip())
        lines.update(line.strip() for line in cell.source.splitlines() if line.strip())
        if not cell.metadata.get("nbgrader", {}).get("solution"):
            try:
                tree = ast.parse(cell.source)
            except SyntaxError:
                continue
            names.update(node.name for node in tree.body
                         if isinstance(node, (ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)))
    return lines, names, cells


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
    lines, names, sources = given
    defines = re.compile(r"^(?:class|def|async\s+def)\s+(?:%s)\b" % "|".join(map(re.escape, sorted(names))), re.M) \
        if names else None
    out = []
    for cell in cells:
        if cell.strip() in sources:      # a given cell, unchanged
            continue
        # parsing is what costs: only a cell that (re)defines a given name at top level is parsed
        spans = _given_spans(cell, names) if defines and defines.search(cell) else set()
        for number, line in enumerate(cell.splitlines(), start=1):
            if number not in spans and line.strip() and line.strip() not in lines:
                out.append(_strip_magics(line))
    return out


def normalise(lines):
    """[(normalised tokens of a line, original line)] of code given as lines; lines that do not
    tokenize (a syntax error) are normalised word by word."""
    text = "\n".join(line.strip() for line in lines) + "\n"   # indentation dropped: loose lines tokenize
    by_line = {}
    try:
        for tok in tokenize.generate_tokens(io.StringIO(text).readline):
            if tok.type in (tokenize.COMMENT, tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT,
                            tokenize.ENDMARKER, tokenize.ENCODING):
                continue
            if tok.type == tokenize.NAME:
                value = tok.string if tok.string in KEEP else "N"
            elif tok.type == tokenize.NUMBER:
                value = "0"
            elif tok.type == tokenize.STRING or tok.type in _FSTRING:
                value = "S"
            else:
                value = tok.string
            by_line.setdefault(tok.start[0], []).append(value)
    except (tokenize.TokenError, IndentationError, SyntaxError):
        pass
    out = []
    for number, line in enumerate(lines, start=1):
        tokens = by_line.get(number)
        if tokens is None:
            words = line.split("#", 1)[0].split()
            tokens = [w if w in KEEP else "N" for w in words]
        if tokens and tokens not in (["S"],):    # a bare string line is a docstring
            out.append((tuple(tokens), line.rstrip()))
    return out


_FSTRING = {getattr(tokenize, name) for name in ("FSTRING_START", "FSTRING_MIDDLE", "FSTRING_END")
            if hasattr(tokenize, name)}


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
        except (OSError, ValueError, UnicodeError, AttributeError, TypeError, RecursionError) as exc:
            skipped.append({"id": r.id, "reason": f"not readable ({type(exc).__name__})"})
            continue
        norm = normalise(lines)
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
            "method": "tokenize + datasketch MinHashLSH candidates + exact Jaccard of token 5-grams"}
