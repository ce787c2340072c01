"""Parallel builds: groups of work items in, their outcomes reported as each group finishes.

One process pool per run, forked after the heavy renderers are imported (so the workers share
them), each worker making its own builder (its own archive connection) once, at start. A group
(one partnership's quarters, in order) stays in one worker. A worker that dies takes its group
with it; the caller turns each of that group's items into a failed outcome.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")

_builder: Callable[[Any], Any] | None = None  # this worker's builder, made by `_start`


def build_in_workers(groups: Sequence[Sequence[Item]], jobs: int,
                     make_builder: Callable[[], Callable[[Item], Outcome]],
                     report: Callable[[Outcome], None],
                     died: Callable[[Item], Outcome]) -> None:
    """Build every item of `groups` in up to `jobs` forked workers; `report` each outcome.

    `make_builder` runs once in each worker; the builder it returns builds one item. `died`
    gives the outcome of an item whose worker stopped (killed, out of memory).
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed
    from concurrent.futures.process import BrokenProcessPool

    gc.collect()
    gc.freeze()  # what the parent imported never becomes garbage: keep the collector off it
    context = multiprocessing.get_context("fork")
    workers = min(jobs, len(groups))
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start,
                             initargs=(make_builder,)) as pool:
        futures = {pool.submit(_build_group, group): group for group in groups}
        for future in as_completed(futures):
            try:
                outcomes = future.result()
            except BrokenProcessPool:
                outcomes = [died(item) for item in futures[future]]
            for outcome in outcomes:
                report(outcome)


def _start(make_builder: Callable[[], Callable[[Any], Any]]) -> None:
    global _builder
    _builder = make_builder()


def _build_group(group: Sequence[Any]) -> list[Any]:
    assert _builder is not None, "the worker was not started"
    return [_builder(item) for item in group]
