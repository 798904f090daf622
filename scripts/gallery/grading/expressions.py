"""A small, safe calculator for answer-key expressions such as `4*k*(m+l)`.

Expressions are parsed with `ast` and only numbers, named variables, + - * / ** and a
few functions are allowed: no attribute access, no calls to anything else, so untrusted
data can never run code. Two expressions are taken as equal when they agree at random
points, which is how the automatic check compares a stated formula with the key.
"""

from __future__ import annotations

import ast
import math
import operator
import random
from collections.abc import Callable, Mapping
from functools import lru_cache

_BINARY: dict[type, Callable[[float, float], float]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.Pow: operator.pow,
}
_UNARY: dict[type, Callable[[float], float]] = {ast.USub: operator.neg, ast.UAdd: operator.pos}
FUNCTIONS: dict[str, Callable[..., float]] = {"sqrt": math.sqrt, "log": math.log, "exp": math.exp, "log2": math.log2}
MAX_LENGTH = 300


class ExpressionError(ValueError):
    pass


@lru_cache(maxsize=4096)
def parse(text: str) -> ast.Expression:
    """The checked syntax tree of an expression (cached: trees are never modified)."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"is longer than {MAX_LENGTH} characters")
    try:
        tree = ast.parse(text.replace("^", "**"), mode="eval")
    except SyntaxError as error:
        raise ExpressionError(f"is not a formula ({error.msg})") from None
    for node in ast.walk(tree):
        if isinstance(node, (ast.Expression, ast.Load, ast.operator, ast.unaryop)):
            if isinstance(node, ast.operator) and type(node) not in _BINARY:
                raise ExpressionError("uses an operator other than + - * / **")
            continue
        if isinstance(node, ast.BinOp | ast.UnaryOp | ast.Name):
            continue
        if isinstance(node, ast.Constant) and isinstance(node.value, (int, float)) and not isinstance(node.value, bool):
            continue
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in FUNCTIONS
            and not node.keywords
        ):
            continue
        raise ExpressionError(f"uses {type(node).__name__}, which is not allowed")
    return tree


def names(text: str) -> set[str]:
    return set(_names(text))


@lru_cache(maxsize=4096)
def _names(text: str) -> frozenset[str]:
    tree = parse(text)
    called = {n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    return frozenset({n.id for n in ast.walk(tree) if isinstance(n, ast.Name)} - called)


def evaluate(text: str, values: Mapping[str, float]) -> float:
    tree = parse(text)

    def walk(node: ast.AST) -> float:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)  # type: ignore[arg-type]  # parse() admits only number constants
        if isinstance(node, ast.Name):
            if node.id not in values:
                raise ExpressionError(f"uses the unknown name {node.id}")
            return float(values[node.id])
        if isinstance(node, ast.UnaryOp):
            return _UNARY[type(node.op)](walk(node.operand))
        if isinstance(node, ast.BinOp):
            left, right = walk(node.left), walk(node.right)
            if isinstance(node.op, ast.Pow) and abs(right) > 64:
                raise ExpressionError("raises to a power larger than 64")
            return _BINARY[type(node.op)](left, right)
        if isinstance(node, ast.Call):
            assert isinstance(node.func, ast.Name)  # parse() admits only calls of named functions
            return FUNCTIONS[node.func.id](*(walk(arg) for arg in node.args))
        raise ExpressionError(f"uses {type(node).__name__}")  # pragma: no cover - parse() rejects it

    try:
        return walk(tree)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError) as error:
        raise ExpressionError(f"cannot be evaluated ({error})") from None


def equivalent(left: str, right: str, variables: list[str], *, trials: int = 12, seed: int = 182) -> bool:
    """True when both expressions agree (to 1e-9 relative) at `trials` random positive points."""
    return _equivalent(left, right, tuple(variables), trials, seed)


@lru_cache(maxsize=4096)
def _equivalent(left: str, right: str, variables: tuple[str, ...], trials: int, seed: int) -> bool:
    rng = random.Random(seed)
    for _ in range(trials):
        point = {name: rng.uniform(1.5, 9.5) for name in variables}
        try:
            a, b = evaluate(left, point), evaluate(right, point)
        except ExpressionError:
            return False
        if not math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
            return False
    return True
