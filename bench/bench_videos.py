"""Time to verdict on videos of a moving phone, through the real capture path.

Each video (bench/phone_videos.py) is read by OpenCV's VideoCapture through the kiosk's own
CameraSource, one ScanPipeline for the whole video as the window keeps one. The video's clock
is kept here instead of sleeping: frames arrive every 1/30 s; the decoder takes the newest frame
when it is free (as the one-slot buffer gives it) and is busy for as long as decoding really
took (the decoding thread's CPU time, as in bench_scanner). Time to verdict runs from the first
frame with the whole code in view to the end of the decode that read it; a code read before it
was wholly in view counts as 0.

Only the videos, e.g. the tuning set's dusk videos (seeds apart from the benchmark's):
`python -m bench.bench_videos --set tuning --kinds dusk --per-kind 16`; `--set benchmark` runs
the benchmark's held-out videos, as `bench_scanner.py` does.
"""

from __future__ import annotations

import argparse
import math
import statistics
import time
from pathlib import Path

import numpy as np

from bench import baseline_pipeline
from bench.phone_videos import (
    BENCHMARK_SEED,
    FPS,
    GLARE_KIND,
    KINDS,
    SECONDS,
    TUNING_SEED,
    VERSION,
    Video,
    videos,
)
from scanner.camera import CameraSource, CameraSpec
from scanner.pipeline import ScanPipeline

FOLDER = Path(__file__).resolve().parent.parent / ".bench" / f"videos-v{VERSION}"
TUNING_FOLDER = FOLDER.parent / f"videos-tuning-v{VERSION}"
SETS = {"benchmark": (FOLDER, BENCHMARK_SEED), "tuning": (TUNING_FOLDER, TUNING_SEED)}
NEVER = 3.0  # seconds: a code not read by then counts as never read


def _pipeline() -> ScanPipeline:
    return ScanPipeline(timer=time.thread_time)


def time_to_verdict(video: Video, pipeline_factory=_pipeline) -> float | None:
    """Seconds from the code wholly in view to its verdict; None when not read within 3 s."""
    source = CameraSource(CameraSpec(str(video.path)), paced=False)
    if not source.open():
        raise RuntimeError(f"cannot open {video.path}")
    pipeline = pipeline_factory()
    entry = video.entry_frame / FPS
    busy_until = 0.0
    index = -1
    try:
        n = int(SECONDS * FPS)  # the file loops: stop at its end
        while True:
            # the newest frame when the decoder is free: the ones before it are dropped
            wanted = max(index + 1, math.floor(busy_until * FPS + 1e-9))
            if wanted >= n:
                return None
            while index < wanted:
                frame = source.read()
                index += 1
            start = max(busy_until, index / FPS)
            t0 = time.thread_time()  # CPU time: see bench_scanner.TIMING
            codes = pipeline.decode(frame)
            busy_until = start + time.thread_time() - t0
            if any(c.text == video.text for c in codes):
                verdict = max(0.0, busy_until - entry)
                return verdict if verdict <= NEVER else None
            if busy_until - entry > NEVER:
                return None
    finally:
        source.close()


def _before() -> baseline_pipeline.ScanPipeline:
    return baseline_pipeline.ScanPipeline(timer=time.thread_time)


PIPELINES = {"pipeline": _pipeline, "before": _before}


def video_table(
    per_kind: int,
    kinds: tuple[str, ...] = KINDS,
    which: str = "benchmark",
    pipelines: tuple[str, ...] = tuple(PIPELINES),
) -> dict[str, dict[str, list]]:
    """pipeline -> kind -> seconds to verdict of each video (None: not read within 3 s)."""
    folder, seed = SETS[which]
    table: dict[str, dict[str, list]] = {n: {k: [] for k in kinds} for n in pipelines}
    made = videos(per_kind, folder, lambda m: print(m, flush=True), kinds, seed)
    for v in made:
        for name in pipelines:
            table[name][v.kind].append(time_to_verdict(v, PIPELINES[name]))
    return table


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def summary(times: list) -> tuple[float, float, float]:
    """(median s, p95 s, share never read); a video never read counts as 3 s in the median
    and p95, so missing codes cannot make the figures look better."""
    filled = [t if t is not None else NEVER for t in times]
    never = sum(t is None for t in times) / len(times)
    return statistics.median(filled), _p(filled, 95), never


def print_videos(table: dict[str, dict[str, list]]) -> None:
    print("\ntime to verdict, moving-phone videos (capture path), seconds; never = not in 3 s:")
    print(f"{'pipeline':9s} {'kind':12s} {'videos':>6s} {'median':>7s} {'p95':>6s} {'never':>6s}")
    for name, kinds in table.items():
        everything = [t for times in kinds.values() for t in times]
        for kind, times in [*kinds.items(), ("all", everything)]:
            med, p95, never = summary(times)
            cells = f"{len(times):>6d} {med:7.2f} {p95:6.2f} {100 * never:5.0f}%"
            print(f"{name:9s} {kind:12s} {cells}")


def video_failures(table: dict[str, dict[str, list]]) -> list[str]:
    everything = [t for times in table["pipeline"].values() for t in times]
    _, p95, never = summary(everything)
    failed = []
    if p95 >= 1.0:
        failed.append(f"time to verdict p95 {p95:.2f} s >= 1 s")
    if never >= 0.02:
        failed.append(f"{100 * never:.0f}% never read within 3 s")
    return failed


def main() -> int:
    parser = argparse.ArgumentParser(description="time to verdict on moving-phone videos only")
    parser.add_argument("--set", choices=tuple(SETS), default="benchmark", dest="which")
    parser.add_argument(
        "--kinds", default=",".join(KINDS), help=f"also {GLARE_KIND} (outside the targets)"
    )
    parser.add_argument("--per-kind", type=int, default=8)
    parser.add_argument("--pipelines", default=",".join(PIPELINES))
    args = parser.parse_args()
    kinds = tuple(args.kinds.split(","))
    pipelines = tuple(args.pipelines.split(","))
    table = video_table(args.per_kind, kinds, args.which, pipelines)
    print(f"set: {args.which}")
    print_videos(table)
    for name, per_kind in table.items():
        for kind, times in per_kind.items():
            shown = " ".join("never" if t is None else f"{t:.2f}" for t in times)
            print(f"{name:9s} {kind:12s} {shown}")
    return 1 if "pipeline" in table and video_failures(table) else 0


if __name__ == "__main__":
    raise SystemExit(main())
