from scanner.dedup import RecentCodes


def _shown(codes: RecentCodes, text: str, start: float, seconds: float, fps: float = 15):
    """The decoder sees `text` in every frame for `seconds`; returns how many counted as new."""
    frames = int(seconds * fps)
    return sum(codes.is_new(text, start + i / fps) for i in range(frames + 1))


def test_a_code_held_in_view_for_three_seconds_is_one_scan():
    codes = RecentCodes(hold_seconds=3.0)
    assert _shown(codes, "CK1:ABC", 0.0, 3.0) == 1


def test_a_code_held_in_view_far_longer_than_the_hold_is_still_one_scan():
    codes = RecentCodes(hold_seconds=3.0)
    assert _shown(codes, "CK1:ABC", 0.0, 20.0) == 1


def test_a_code_out_of_view_longer_than_the_hold_counts_again():
    codes = RecentCodes(hold_seconds=3.0)
    assert _shown(codes, "CK1:ABC", 0.0, 3.0) == 1
    assert codes.is_new("CK1:ABC", 3.0 + 3.5)  # out of view 3.5 s: shown again


def test_a_code_that_flickers_out_briefly_is_not_counted_twice():
    codes = RecentCodes(hold_seconds=3.0)
    assert _shown(codes, "CK1:ABC", 0.0, 2.0) == 1
    assert _shown(codes, "CK1:ABC", 4.0, 2.0) == 0  # out of view 2 s, less than the hold


def test_different_codes_count_independently():
    codes = RecentCodes(hold_seconds=3.0)
    assert codes.is_new("A", 0.0)
    assert codes.is_new("B", 0.1)
    assert not codes.is_new("A", 0.2)
    assert not codes.is_new("B", 0.3)
    assert codes.is_new("C", 10.0)
    assert codes.is_new("A", 10.1)
