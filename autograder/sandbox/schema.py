"""The forms a reply may have, and ``conforms``, which the parent checks every reply with: the child
runs student code, so a reply may be forged, and one of the wrong form must fail its request, never
the grader.

A schema is ``"array"`` (a float64 ndarray), ``"vector"`` (a 1-D one), ``"shape"`` (a list of sizes),
``"str"``, ``"int"``, a type (exactly that type), a dict (those keys; ``"key?"`` may be absent), a tuple
(a list of that length, item by item) or a one-item list (a list of any length, each item of that
form); ``"?"`` after a string schema allows None."""
from typing import Any

import numpy as np

DETAIL_SCHEMA = {"key": "str", "what?": "str?", "name?": "str?", "type?": "str?", "error?": "str?",
                 "got?": "shape?", "expected?": "shape?"}
ERROR_SCHEMA = {"kind": "str", "message": "str", "where?": "str?", "call?": "str?", "detail?": DETAIL_SCHEMA,
                "calls?": ["str"]}
LOADED_SCHEMA = {"problems": [{"origin": "str", "kind": "str", "line": "int?", "message": "str", "binds": ["str"]}],
                 "defined": ["str"],
                 "missing_imports": [{"origin": "str", "line": "int", "module": "str"}]}
MAX_DEPTH = 8
MAX_ITEMS = 10_000


def conforms(value: Any, schema: Any, depth: int = 0) -> bool:
    """Does ``value`` (a decoded reply) have the form ``schema`` describes?"""
    if depth > MAX_DEPTH:
        return False
    if isinstance(schema, str) and schema.endswith("?"):
        return value is None or conforms(value, schema[:-1], depth)
    if schema in ("array", "vector"):
        return (type(value) is np.ndarray and value.dtype == np.float64
                and (value.ndim == 1 if schema == "vector" else True))
    if schema == "shape":
        return type(value) is list and len(value) <= 64 and all(type(n) is int and 0 <= n < 10**9 for n in value)
    if schema in ("str", "int"):
        return type(value) is {"str": str, "int": int}[schema]
    if isinstance(schema, type):
        return type(value) is schema
    if isinstance(schema, dict):
        if type(value) is not dict:
            return False
        keys = {key.rstrip("?"): key.endswith("?") for key in schema}
        if set(value) - set(keys) or any(not optional and key not in value for key, optional in keys.items()):
            return False
        return all(conforms(value[key.rstrip("?")], sub, depth + 1) for key, sub in schema.items()
                   if key.rstrip("?") in value)
    if isinstance(schema, tuple):
        return (type(value) is list and len(value) == len(schema)
                and all(conforms(v, s, depth + 1) for v, s in zip(value, schema)))
    if isinstance(schema, list):
        return type(value) is list and len(value) <= MAX_ITEMS and all(conforms(v, schema[0], depth + 1) for v in value)
    return False
