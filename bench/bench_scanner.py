"""Scanner benchmark: the pipeline before issue 13 (`before`), after its first round (`round1`)
and now (`pipeline`), beside zxing-cpp, ZBar and OpenCV, on the same camera-like frames, in the
same run on the same machine; then time to verdict on videos of a moving phone through the
real capture path.

Frames (bench/camera_frames.py) come in two parts: `tuned`, which the pipeline was tuned on,
and `held_out`, which it never was (other seeds, phones, payloads and parameter draws). Each
part is reported on its own. Per decoder: codes read (exact text), median and p95 ms per frame
with a code, median ms per frame without one; then per kind of damage, and for the shaken
kinds by the blur's length in modules of the code (where deblurring stops being possible).
While tuning, `--parts tuned --kinds motion_blur,... --decoders pipeline,round1 --no-videos`.

Targets (issue 13): on the held-out part at least 95% of the codes read and no kind of damage
under 85%; median <= 10 ms, p95 <= 40 ms, a frame without a code <= 10 ms; time to verdict on moving
phone videos p95 < 1 s and under 2% never read within 3 s; and (issue 3) from a frame of the
demo feed to its recorded check p95 < 100 ms. Exits 1 when a target is missed.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import cv2
import numpy as np

from bench import baseline_pipeline
from bench.camera_frames import CATEGORIES, PARTS, TestFrame, frames
from bench.round1 import pipeline as round1_pipeline
from scanner.decoders import read_opencv, read_zbar, read_zxing
from scanner.pipeline import ScanPipeline

DAMAGE = [k for k in CATEGORIES if k != "no_code"]
CPU = time.thread_time
TIMING = """Times are the decoding thread's CPU time (OpenCV held to one thread, so all the work is
in it): the machine is shared by several people, and wall time there measures their load, not
the decoder. On a kiosk's own laptop wall time is this CPU time. Wall-clock medians are shown
beside them."""


def _p(values: list[float], q: float) -> float:
    return float(np.percentile(values, q)) if values else float("nan")


def decoders() -> dict[str, Callable[[np.ndarray], list]]:
    # a fresh pipeline per frame: no help from where the previous frame's code was; budgets
    # counted in the decoding thread's CPU time (see TIMING)
    return {
        "pipeline": lambda f: ScanPipeline(timer=CPU).decode(f),
        # this round's one change on its own: the same pipeline without symbol_repair
        "no-repair": lambda f: ScanPipeline(timer=CPU, repair=False).decode(f),
        # the pipeline after issue 13's first round (52726a7): what this round changed
        "round1": lambda f: round1_pipeline.ScanPipeline(timer=CPU).decode(f),
        "before": lambda f: baseline_pipeline.ScanPipeline(timer=CPU).decode(f),
        "zxing-cpp": read_zxing,
        "zbar": read_zbar,
        "opencv": read_opencv,
    }


# blur length in modules of the code: where a moving hand's blur stops being readable
BLUR_BINS = ((0, 1), (1, 2), (2, 3), (3, 4), (4, 99))


def blur_bin(test_frame: TestFrame) -> str | None:
    notes = test_frame.notes
    if "blur_px" not in notes:
        return None
    modules = notes["blur_px"] / notes["module_px"]
    for lo, hi in BLUR_BINS:
        if lo <= modules < hi:
            return f"{lo}-{hi}" if hi < 99 else f">={lo}"
    return None


def measure(decode: Callable[[np.ndarray], list], test_frames: list[TestFrame]) -> dict:
    ok = total = wrong = 0
    times: list[float] = []
    empty: list[float] = []
    per_cat: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    per_blur: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    wall: list[float] = []
    for f in test_frames:
        start, cpu = time.perf_counter(), CPU()
        codes = decode(f.image)
        ms = (CPU() - cpu) * 1000
        wall.append((time.perf_counter() - start) * 1000)
        hits = len(set(f.payloads) & {c.text for c in codes})
        # a text the frame does not hold: at a checkpoint, worse than reading nothing
        wrong += len({c.text for c in codes} - set(f.payloads))
        ok += hits
        total += len(f.payloads)
        per_cat[f.category][0] += hits
        per_cat[f.category][1] += len(f.payloads)
        if (where := blur_bin(f)) is not None:
            per_blur[where][0] += hits
            per_blur[where][1] += len(f.payloads)
        (times if f.payloads else empty).append(ms)
    return {
        "ok": ok,
        "total": total,
        "wrong": wrong,
        "median": statistics.median(times),
        "p95": _p(times, 95),
        "empty": statistics.median(empty) if empty else float("nan"),
        "wall_median": statistics.median(wall),
        "per_cat": dict(per_cat),
        "per_blur": dict(per_blur),
    }


def frame_tables(
    per_category: int, names: list[str], parts=PARTS, kinds=None
) -> dict[str, dict[str, dict]]:
    results: dict[str, dict[str, dict]] = {}
    all_decoders = decoders()
    for part in parts:
        test_frames = list(frames(per_category, part=part, kinds=kinds))
        results[part] = {n: measure(all_decoders[n], test_frames) for n in names}
    return results


def print_frames(results: dict[str, dict[str, dict]]) -> None:
    for part, r in results.items():
        print(f"\n== {part} part ==")
        head = f"{'decoder':10s} {'read':>16s} {'median ms':>10s} {'p95 ms':>8s}"
        print(head + f" {'no-code ms':>11s} {'wall median':>12s} {'wrong':>6s}")
        for name, m in r.items():
            pct = 100 * m["ok"] / m["total"]
            print(
                f"{name:10s} {m['ok']:>5d}/{m['total']:<5d}{pct:5.1f}% {m['median']:10.1f} "
                f"{m['p95']:8.1f} {m['empty']:11.1f} {m['wall_median']:12.1f} {m['wrong']:6d}"
            )
        names = list(r)
        print(f"\n{'kind':24s}" + "".join(f"{n:>11s}" for n in names))
        for cat in DAMAGE:
            if cat not in r[names[0]]["per_cat"]:
                continue
            cells = "".join(
                f"{r[n]['per_cat'][cat][0]:>7d}/{r[n]['per_cat'][cat][1]:<3d}" for n in names
            )
            print(f"{cat:24s}{cells}")
        blurred = r[names[0]]["per_blur"]
        if blurred:
            print("\nmotion blur length in modules (motion blur and the two mixes with shake):")
            for where in sorted(blurred, key=lambda b: float(b.strip(">=").split("-")[0])):
                cells = "".join(
                    f"{r[n]['per_blur'][where][0]:>7d}/{r[n]['per_blur'][where][1]:<3d}"
                    for n in names
                )
                print(f"{where + ' modules':24s}{cells}")


def frame_failures(results: dict[str, dict[str, dict]]) -> list[str]:
    failed = []
    if "held_out" not in results:
        return ["held-out part not measured"]
    held = results["held_out"]["pipeline"]
    for part, r in results.items():
        if r["pipeline"]["wrong"]:
            failed.append(f"{part}: {r['pipeline']['wrong']} texts read that no frame held")
    if held["ok"] / held["total"] < 0.95:
        failed.append(f"held-out {100 * held['ok'] / held['total']:.1f}% < 95%")
    for cat in DAMAGE:
        if cat not in held["per_cat"]:
            continue
        ok, total = held["per_cat"][cat]
        if ok / total < 0.85:
            failed.append(f"held-out {cat} {100 * ok / total:.0f}% < 85%")
    for part, r in results.items():
        p = r["pipeline"]
        if p["median"] > 10 or p["p95"] > 40 or p["empty"] > 10:
            failed.append(f"{part}: time per frame over target")
    return failed


def capture_to_verdict(seconds: float = 12.0) -> list[float]:
    """Frame read by OpenCV from a video file -> pipeline -> check recorded: ms per new code."""
    from kiosk.app.demo import qr_matrix, seed
    from kiosk.checker import PersonDesk
    from kiosk.storage import Store
    from scanner.camera import CameraSource, CameraSpec
    from scanner.dedup import RecentCodes
    from scanner.demo_feed import write_demo_feed

    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        store = Store.open(data / "kiosk.db")
        manifest = seed(store, data, write_feed=False)
        import json

        samples = json.loads(manifest.read_text(encoding="utf-8"))["samples"]
        feed = write_demo_feed(
            [(qr_matrix(s["payload"]), s["file"]) for s in samples[:8]],
            data / "feed.mp4",
            seconds_each=1.0,
            gap_seconds=0.5,
        )
        checker = PersonDesk(store, checkpoint_id="bench", operator_id="bench")
        source = CameraSource(CameraSpec(str(feed)))
        assert source.open()
        pipeline = ScanPipeline()
        recent = RecentCodes(hold_seconds=0.4)
        latencies: list[float] = []
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            frame = source.read()
            t0 = time.perf_counter()  # the frame is in hand: as the capture thread hands it over
            for code in pipeline.decode(frame):
                if recent.is_new(code.text, time.monotonic()):
                    checker.check_payload(code.text, "camera")
                    latencies.append((time.perf_counter() - t0) * 1000)
        source.close()
        store.close()
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--per-category", type=int, default=30)
    parser.add_argument("--videos-per-kind", type=int, default=8)
    parser.add_argument(
        "--decoders", default="pipeline,no-repair,round1,before,zxing-cpp,zbar,opencv"
    )
    parser.add_argument("--no-videos", action="store_true")
    parser.add_argument(
        "--kinds",
        help="comma-separated kinds of damage to measure (default: all), e.g. "
        "motion_blur,mix_shake_dark while tuning",
    )
    parser.add_argument(
        "--parts",
        default=",".join(PARTS),
        help="tuned,held_out (default both); tune on `tuned` only",
    )
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    names = args.decoders.split(",")
    cv2.setNumThreads(1)
    print(TIMING)
    kinds = args.kinds.split(",") if args.kinds else None
    unknown = set(kinds or ()) - set(CATEGORIES)
    if unknown:
        parser.error(f"unknown kinds: {', '.join(sorted(unknown))}")
    results = frame_tables(args.per_category, names, args.parts.split(","), kinds)
    print_frames(results)
    failed = frame_failures(results) if "pipeline" in names else []
    out: dict = {"frames": results}
    if not args.no_videos:
        from bench.bench_videos import print_videos, video_failures, video_table
        from bench.phone_videos import GLARE_KIND

        videos = video_table(args.videos_per_kind)
        print_videos(videos)
        # a reflection sliding across the screen: measured and shown, not among the targets
        glare = video_table(args.videos_per_kind, kinds=(GLARE_KIND,))
        print("\nbeyond the targets' kinds:")
        print_videos(glare)
        out["glare_videos"] = glare
        failed += video_failures(videos)
        out["videos"] = videos
    if args.kinds:  # a tuning run on a few kinds: no videos, no capture path
        print("\ntargets: " + ("met" if not failed else "MISSED: " + "; ".join(failed)))
        return 1 if failed else 0
    lat = capture_to_verdict()
    print(
        f"\ncapture-to-verdict (demo feed video -> OpenCV -> pipeline -> recorded check): "
        f"n={len(lat)} median {statistics.median(lat):.1f} ms, p95 {_p(lat, 95):.1f} ms"
    )
    if _p(lat, 95) >= 100:
        failed.append("capture-to-verdict p95 >= 100 ms")
    out["capture_to_verdict_ms"] = lat
    if args.json:
        args.json.write_text(json.dumps(out, indent=1), encoding="utf-8")
    print("\ntargets: " + ("met" if not failed else "MISSED: " + "; ".join(failed)))
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
