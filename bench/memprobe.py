"""Run in a fresh interpreter: load one file through the stages, print peak memory as JSON.

``python -m bench.memprobe FILE OFFICE``. Peak memory needs a process of its own. Linux
carries ``ru_maxrss`` over from the parent across fork and exec (a child of a 350 MB
benchmark process starts at 350 MB), so the figure reported is ``VmHWM`` of
``/proc/self/status``: the high-water mark of this program's own memory image, reset at
exec; ``ru_maxrss`` is kept beside it. The stage times come along: the validate stage reads
the history of the file's indicators, so it shows how history weighs.
"""

from __future__ import annotations

import json
import resource
import sys
from pathlib import Path

from bench.stages import run_stages


def high_water_mb() -> float:
    """Peak resident size of this process image, in MB (Linux ``VmHWM``)."""
    with open("/proc/self/status") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main(argv: list[str]) -> int:
    path, office = Path(argv[0]), argv[1]
    before = high_water_mb()
    times = run_stages(path, office)
    print(
        json.dumps(
            {
                "peak_mb": high_water_mb(),
                "ru_maxrss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "startup_mb": before,
                "rows": times.rows,
                "parse_s": times.parse,
                "validate_s": times.validate,
                "load_s": times.load,
            }
        )
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
