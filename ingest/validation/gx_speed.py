"""Great Expectations' costliest repeated step, done once per expectation and run.

GX 1.x rebuilds an expectation's configuration (a pydantic ``dict()`` of the whole
expectation) each time it is asked for it: about 110 times per expectation in one run,
a third of the validation time of a realistic office file, whatever its size. Inside
``one_run()`` an expectation object does not change, so its configuration is built once
and handed out again; outside it (and in other threads) the property is GX's own.
The results are the same with and without it: ``tests/ingest/test_gx_speed.py`` compares
every fixture file's validation both ways.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from typing import Any

_state = threading.local()
_installed = False
_install_lock = threading.Lock()


def _install() -> None:
    """Wrap ``Expectation.configuration`` once per process (a no-op outside ``one_run``)."""
    global _installed
    with _install_lock:
        if _installed:
            return
        from great_expectations.expectations.expectation import Expectation

        build = Expectation.configuration.fget

        def configuration(self: Any) -> Any:
            cache: dict[int, tuple[Any, Any]] | None = getattr(_state, "cache", None)
            if cache is None:
                return build(self)
            hit = cache.get(id(self))
            if hit is None or hit[0] is not self:  # the id of a collected object may be reused
                hit = (self, build(self))
                cache[id(self)] = hit
            return hit[1]

        Expectation.configuration = property(configuration, doc=Expectation.configuration.__doc__)
        _installed = True


@contextlib.contextmanager
def one_run(enabled: bool = True) -> Iterator[None]:
    """Within the block, each expectation's configuration is built once (this thread only)."""
    if not enabled:
        yield
        return
    _install()
    previous = getattr(_state, "cache", None)
    _state.cache = {}
    try:
        yield
    finally:
        _state.cache = previous
