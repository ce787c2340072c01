"""The sandbox a user's templates run in: Jinja's immutable sandbox, bounded in memory as well.

Input: a template from the user's folder. Output: its text, or a `SecurityError` (reported as
`FILE:LINE: …` by `render.html.render_template`) the moment an operation would make a value
too large. Every operation a template can grow a string or a list with is checked, before it
runs where the size can be told beforehand (a C-level operation cannot be stopped by
`render_timeout` once started):

- `*`, `**`, `+` and `%` (`call_binop`), and `~` (`_CheckedConcat`, the code generator);
- block `{% set %}`, macro and `caller()` bodies (`concat`, which joins their output), and each
  value printed (`finalize`), which such a body keeps until it is joined;
- calls of string methods (`center`, `ljust`, `join`, `replace`, `format`…, in `call`) and
  every filter (`join`, `replace`, `format`, `center`, `indent`, `batch`, `slice` beforehand,
  all of them on their result).

Each value may hold at most `MAX_VALUE` characters or items, and all the values one render
makes at most `MAX_SPENT` characters together (`budget`): so no template, not even one that
keeps many large values alive in a `namespace` or a list, can take more than a few hundred MB.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from jinja2 import Undefined, nodes
from jinja2.compiler import CodeGenerator, Frame
from jinja2.exceptions import SecurityError
from jinja2.filters import make_attrgetter
from jinja2.runtime import Context
from jinja2.sandbox import ImmutableSandboxedEnvironment

MAX_ITEMS = 1_000_000  # characters or items one `*` may make in a user's template
MAX_BITS = 10_000  # bits of an integer one `*` or `**` may make in a user's template
MAX_VALUE = 20_000_000  # characters (or items) of any one value a user's template makes
MAX_SPENT = 100_000_000  # characters all the values of one render make together
_SIZED_METHODS = frozenset({"center", "ljust", "rjust", "zfill"})
_GROWING_METHODS = _SIZED_METHODS | {"expandtabs", "join", "replace", "format", "format_map"}
_SIZED_FILTERS = frozenset({"center", "batch", "slice", "wordwrap", "truncate"})
_WIDTH = re.compile(r"(?:%|\{[^{}]*:)[^a-zA-Z{}%\d]*(\d+)")  # "%30s", "{:>30}", "{0:30}"
_NESTED_WIDTH = re.compile(r"\{[^{}]*:[^{}]*\{")  # "{:{width}}"

_spent: ContextVar[list[int] | None] = ContextVar("reportgen_template_spent", default=None)


@contextmanager
def budget() -> Iterator[None]:
    """Count what the values made within the block take, against `MAX_SPENT`."""
    token = _spent.set([0])
    try:
        yield
    finally:
        _spent.reset(token)


def _charge(size: int, what: str) -> None:
    if size > MAX_VALUE:
        raise SecurityError(f"{what} would make a value of more than {MAX_VALUE:,} characters "
                            "or items: too large for a template")
    spent = _spent.get()
    if spent is not None:
        spent[0] += size
        if spent[0] > MAX_SPENT:
            raise SecurityError(f"the values the templates made passed {MAX_SPENT:,} "
                                "characters in all: too large for a template")


def _size(value: Any, limit: int = MAX_VALUE) -> int:
    """About how many characters `str(value)` has, found without making it (stops counting
    once past `limit`)."""
    if isinstance(value, str):
        return len(value)
    if isinstance(value, bool | float | None | Undefined):
        return 32
    if isinstance(value, int):
        return value.bit_length() // 3 + 2
    if isinstance(value, dict):
        value = [*value.keys(), *value.values()]
    if isinstance(value, list | tuple | set | frozenset):
        total = 2
        for item in value:
            total += _size(item, limit - total) + 2
            if total > limit:
                break
        return total
    return len(str(value))


def _result(value: Any, what: str) -> Any:
    """Charge a value an operation made (a string or a list) and pass it on."""
    if isinstance(value, str | list | tuple):
        _charge(len(value), what)
    return value


def _format_size(template: str, args: Iterable[Any]) -> int:
    """An upper bound on the size of `template` formatted with `args` (`%` or `str.format`)."""
    values = list(args)
    biggest = max((_size(v) for v in values), default=0)
    widths = sum(int(w) for w in _WIDTH.findall(template))
    if _NESTED_WIDTH.search(template):
        widths += max((v for v in values if isinstance(v, int)), default=0)
    fields = template.count("{") + template.count("%")
    return len(template) + widths + fields * biggest


def _too_large(operator: str, left: Any, right: Any) -> bool:
    if operator == "**":
        return (isinstance(left, int) and isinstance(right, int)
                and abs(left) > 1 and left.bit_length() * right > MAX_BITS)
    if operator == "%":
        if isinstance(left, str):
            args = right if isinstance(right, tuple) else (right,)
            _charge(_format_size(left, args), "'%'")
        return False
    if operator == "+":
        if isinstance(left, str | list | tuple) and isinstance(right, str | list | tuple):
            _charge(len(left) + len(right), "'+'")
        return False
    if isinstance(left, int) and isinstance(right, int):
        return left.bit_length() + right.bit_length() > MAX_BITS
    for items, times in ((left, right), (right, left)):
        if isinstance(items, str | list | tuple) and isinstance(times, int):
            return len(items) * times > MAX_ITEMS
    return False


class _CheckedConcat(CodeGenerator):
    """Jinja's code generator, but `a ~ b` goes through `Sandbox.joined`, which checks the
    size of the parts before joining them."""

    def visit_Concat(self, node: nodes.Concat, frame: Frame) -> None:
        if frame.eval_ctx.volatile:
            join = "(markup_join if context.eval_ctx.volatile else str_join)"
        elif frame.eval_ctx.autoescape:
            join = "markup_join"
        else:
            join = "str_join"
        self.write(f"environment.joined({join}, (")
        for arg in node.nodes:
            self.visit(arg, frame)
            self.write(", ")
        self.write("))")


class Sandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox with every growing operation checked (see the module)."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})
    code_generator_class = _CheckedConcat

    def __init__(self, **options: Any) -> None:
        finalize = options.get("finalize")
        if finalize is not None:  # what `{{ … }}` prints: kept until a block or macro is joined
            options["finalize"] = lambda value: _result(finalize(value), "printing a value")
        super().__init__(**options)
        self.filters = {name: _checked_filter(name, f) for name, f in self.filters.items()}

    def call_binop(self, context: Context, operator: str, left: Any, right: Any) -> Any:
        if _too_large(operator, left, right):
            raise SecurityError(f"{operator!r} would make a value too large for a template")
        return _result(super().call_binop(context, operator, left, right), repr(operator))

    def joined(self, join: Callable[[Iterable[Any]], str], parts: tuple[Any, ...]) -> str:
        _charge(sum(_size(p) for p in parts), "'~'")
        return join(parts)

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        pieces = list(parts)
        _charge(sum(len(p) for p in pieces), "a block")
        return "".join(pieces)

    def call(__self, __context: Context, __obj: Any,  # Jinja's own signature
             *args: Any, **kwargs: Any) -> Any:
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        if isinstance(owner, str) and name in _GROWING_METHODS:
            args = _check_method(owner, name, args, kwargs)
        return _result(super().call(__context, __obj, *args, **kwargs), f"{name or 'a call'}()")


def _check_method(text: str, name: str, args: tuple[Any, ...],
                  kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """Refuse a string method call that would make a value too large; the arguments to call
    it with (an iterable given to `join` is made a list, to be measured)."""
    what = f"str.{name}()"
    if name in _SIZED_METHODS:
        _charge(len(text) + sum(a for a in (*args, *kwargs.values()) if isinstance(a, int)),
                what)
    elif name == "expandtabs":
        size = next((a for a in (*args, *kwargs.values()) if isinstance(a, int)), 8)
        _charge(len(text) + text.count("\t") * size, what)
    elif name == "join" and args:
        items = list(args[0])
        _charge(sum(_size(i) for i in items) + len(text) * len(items), what)
        args = (items, *args[1:])
    elif name == "replace" and len(args) >= 2:
        old, new = str(args[0]), str(args[1])
        _charge(len(text) + (text.count(old) if old else len(text) + 1) * len(new), what)
    elif name in ("format", "format_map"):
        _charge(_format_size(text, [*args, *kwargs.values()]), what)
    return args


def _checked_filter(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """`function` (a filter), refusing beforehand what would make a value too large where
    that can be told, and charging what it makes."""
    what = f"the '{name}' filter"

    @wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        if name in _SIZED_FILTERS:
            _charge(sum(a for a in (*args, *kwargs.values())
                        if isinstance(a, int) and not isinstance(a, bool)), what)
        elif name == "join":
            args = _join_arguments(args, kwargs)
            _charge(sum(_size(i) for i in args[1]) + _size(args[2] if len(args) > 2 else
                                                           kwargs.get("d", ""))
                    * len(args[1]), what)
        elif name == "indent" and args:
            text, width = str(args[0]), args[1] if len(args) > 1 else kwargs.get("width", 4)
            step = len(width) if isinstance(width, str) else int(width)
            _charge(len(text) + (text.count("\n") + 1) * step, what)
        elif name == "replace" and len(args) >= 4:
            text, old, new = str(args[1]), str(args[2]), str(args[3])
            _charge(len(text) + (text.count(old) if old else len(text) + 1) * len(new), what)
        elif name == "format" and args:
            _charge(_format_size(str(args[0]), [*args[1:], *kwargs.values()]), what)
        return _result(function(*args, **kwargs), what)

    return checked


def _join_arguments(args: tuple[Any, ...], kwargs: dict[str, Any]) -> tuple[Any, ...]:
    """The `join` filter's (eval_ctx, items, …) with its items made a list (their `attribute`
    taken first), so that they can be measured before they are joined."""
    eval_ctx, value, *rest = args
    attribute = kwargs.pop("attribute", rest[1] if len(rest) > 1 else None)
    if attribute is not None:
        value = map(make_attrgetter(eval_ctx.environment, attribute), value)
    return (eval_ctx, list(value), *rest[:1])
