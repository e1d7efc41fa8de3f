from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from bench.camera_frames import CATEGORIES, frames, qr_image
from scanner.decoders import read_zxing
from scanner.pipeline import ScanPipeline, decode_frame


@pytest.fixture(scope="module")
def sample_frames():
    return list(frames(per_category=4, seed=7))


def test_pipeline_reads_more_camera_frames_than_zxing_alone(sample_frames):
    pipeline_hits: Counter[str] = Counter()
    zxing_hits: Counter[str] = Counter()
    for f in sample_frames:
        pipeline_hits[f.category] += len(set(f.payloads) & {c.text for c in decode_frame(f.image)})
        zxing_hits[f.category] += len(set(f.payloads) & {c.text for c in read_zxing(f.image)})
    for category in CATEGORIES:
        assert pipeline_hits[category] >= zxing_hits[category], category
    assert sum(pipeline_hits.values()) > sum(zxing_hits.values())
    assert pipeline_hits["low_contrast"] == 4  # CLAHE: the first fallback, for a reason


def test_frames_without_a_code_give_nothing_and_never_raise(sample_frames):
    for f in sample_frames:
        if f.category == "no_code":
            assert decode_frame(f.image) == []
    for junk in (
        None,
        np.array([]),
        np.zeros((720, 1280), np.float64),
        np.zeros((5, 5, 3), np.uint8),
    ):
        assert decode_frame(junk) == []


def test_a_code_held_in_view_is_looked_for_where_it_was(sample_frames):
    frame = np.full((720, 1280, 3), 128, np.uint8)
    code = qr_image("CK1:HELD-IN-VIEW", 6)
    frame[200 : 200 + code.shape[0], 300 : 300 + code.shape[1]] = code[..., None]
    pipeline = ScanPipeline()
    assert [c.text for c in pipeline.decode(frame)] == ["CK1:HELD-IN-VIEW"]
    assert pipeline.last_stage == "zxing"
    assert [c.text for c in pipeline.decode(frame)] == ["CK1:HELD-IN-VIEW"]
    assert pipeline.last_stage == "last_place"


def test_outline_corners_are_in_frame_pixels_for_every_stage():
    frame = np.full((720, 1280, 3), 128, np.uint8)
    code = qr_image("CK1:CORNERS", 6)
    y, x = 300, 700
    frame[y : y + code.shape[0], x : x + code.shape[1]] = code[..., None]
    pipeline = ScanPipeline()
    for _ in range(2):  # the full-frame pass, then the last-place pass on a crop
        (found,) = pipeline.decode(frame)
        xs = [p[0] for p in found.corners]
        ys = [p[1] for p in found.corners]
        assert x <= min(xs) and max(xs) <= x + code.shape[1]
        assert y <= min(ys) and max(ys) <= y + code.shape[0]
