"""Spread per-article work over all cores.

Workers are forked, so they start with the parent's modules and data already in
memory; small batches keep both cores busy to the end. Below a few dozen items
the work runs in-process: forking would cost more than it saves.
"""

from __future__ import annotations

import multiprocessing
import os
from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

T = TypeVar("T")
R = TypeVar("R")

_task: Callable | None = None


def _run_batch(batch: Sequence) -> list:
    assert _task is not None
    return [_task(item) for item in batch]


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def map_in_parallel(task: Callable[[T], R], items: Sequence[T], *, batch: int = 32, min_items: int = 64) -> Iterator[R]:
    """task(item) for every item, in order; task must be a module-level function or closure set before forking."""
    global _task
    workers = cores()
    if workers < 2 or len(items) < min_items or "fork" not in multiprocessing.get_all_start_methods():
        yield from (task(item) for item in items)
        return
    _task = task
    batches = [items[i : i + batch] for i in range(0, len(items), batch)]
    context = multiprocessing.get_context("fork")
    try:
        with context.Pool(workers) as pool:
            for results in pool.imap(_run_batch, batches):
                yield from results
    finally:
        _task = None

