"""The realistic office file (2,312 valid rows), parsed and validated again and again in one
warm process: the per-file work of the load path without the warehouse.

    python -m bench.realistic [--runs 5] [--format csv|xlsx] [--profile]

Prints each run's wall and CPU seconds and their medians (CPU time is the steadier figure
on a shared machine); ``--profile`` adds a cProfile summary of one more run. Used to compare
two versions of the code with the same command, process against process.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import sys
import tempfile
import time
from pathlib import Path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.realistic", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--format", choices=("csv", "xlsx"), default="xlsx")
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args(argv)
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
    os.environ.setdefault("PLATFORM_MODE", "demo")
    with tempfile.TemporaryDirectory(prefix="vq-realistic-") as home:
        os.environ["PLATFORM_HOME"] = home
        from bench import files
        from ingest.parse import parse_file
        from ingest.validate import validate_submission

        def once(i: int) -> tuple[float, float]:
            path = files.write(args.format, Path(home) / f"r{i}.{args.format}", files.key_limit(), f"run {i}")
            wall, cpu = time.perf_counter(), time.process_time()
            rows = parse_file(path, files.OFFICE).rows
            outcome = validate_submission(rows, files.OFFICE, source_label=path.name)
            assert len(rows) == files.key_limit() and not outcome.problems, "the realistic file must be valid"
            return time.perf_counter() - wall, time.process_time() - cpu

        once(-1)  # warm-up: imports Great Expectations and opens its context
        runs = [once(i) for i in range(args.runs)]
        walls, cpus = [w for w, _ in runs], [c for _, c in runs]
        print("wall s:", " ".join(f"{w:.3f}" for w in walls), f"median {statistics.median(walls):.3f}")
        print("cpu s: ", " ".join(f"{c:.3f}" for c in cpus), f"median {statistics.median(cpus):.3f}")
        if args.profile:
            profile = cProfile.Profile()
            profile.enable()
            once(args.runs)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(30)
            print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
