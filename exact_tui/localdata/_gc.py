"""Pause the cyclic garbage collector around bulk row work.

Reading 300,000 CSV rows allocates millions of small objects without cycles; in a console that
already holds 100,000 invoices every collection rescans that heap, which made an import three
times slower than the work itself (measured in bench/bench_store.py).
"""
from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused_gc() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
