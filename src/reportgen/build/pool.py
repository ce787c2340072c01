"""Parallel builds: groups of work items in, their outcomes reported as each group finishes.

One process pool per run, forked after the heavy renderers are imported (so the workers share
them), each worker making its own builder (its own archive connection) once, at start. A group
(one partnership's quarters, in order) stays in one worker. A worker that dies takes its group
with it; the caller turns each of that group's items into a failed outcome.

Workers are replaced by fresh forks after about `PACKS_PER_WORKER` packs each (the groups are
built in rounds, one pool per round): a worker collects its garbage after every pack
(`gctune.release_memory`), but the C libraries under WeasyPrint still keep about a third of a
megabyte per pack, which would otherwise add up over a long build.

A worker never outlives the build: the system kills it when the process that forked it dies,
even by `kill -9` (Linux's parent-death signal), and a worker whose parent is already gone by the
time it starts exits at once. Otherwise orphaned workers would wait for work for ever, each
holding a renderer's memory.
"""

from __future__ import annotations

import gc
import os
import signal
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

Item = TypeVar("Item")
Outcome = TypeVar("Outcome")
PACKS_PER_WORKER = 50

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
    for round_ in _rounds(groups, workers * PACKS_PER_WORKER):
        with ProcessPoolExecutor(min(workers, len(round_)), mp_context=context,
                                 initializer=_start,
                                 initargs=(make_builder, os.getpid())) as pool:
            futures = {pool.submit(_build_group, group): group for group in round_}
            for future in as_completed(futures):
                try:
                    outcomes = future.result()
                except BrokenProcessPool:
                    outcomes = [died(item) for item in futures[future]]
                for outcome in outcomes:
                    report(outcome)


def _rounds(groups: Sequence[Sequence[Item]], size: int) -> list[list[Sequence[Item]]]:
    """Whole groups, in order, gathered into rounds of about `size` items (at least one group
    each)."""
    rounds: list[list[Sequence[Item]]] = [[]]
    count = 0
    for group in groups:
        if count >= size:
            rounds.append([])
            count = 0
        rounds[-1].append(group)
        count += len(group)
    return rounds


def _start(make_builder: Callable[[], Callable[[Any], Any]], parent: int) -> None:
    global _builder
    _die_with(parent)
    _builder = make_builder()


PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def _die_with(parent: int) -> None:
    """Have the system kill this worker when `parent` (which forked it) dies; if it has died
    already (the worker was re-parented before asking), exit now."""
    import ctypes

    try:
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):  # not Linux: the check below still catches a dead parent
        pass
    if os.getppid() != parent:
        os._exit(1)


def _build_group(group: Sequence[Any]) -> list[Any]:
    assert _builder is not None, "the worker was not started"
    return [_builder(item) for item in group]
