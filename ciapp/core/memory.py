"""Python's cycle collector around work that allocates in bursts.

A request that reads tens of thousands of rows (a KPI batch, the operational report) makes
enough short-lived dicts and tuples to set off full collections, each walking every object
the process holds, the imported libraries' included: 0.4 to 1.3 s of a 10,000-value append
and a third of the 500-KPI report in the benches. The rows hold no reference cycles, so
reference counting frees them as before while the collector is paused. ``wsgi.py`` also
freezes what the server holds at start-up, so the collections that do run skip it.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused for the block, and resumed after it if it was running."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()
