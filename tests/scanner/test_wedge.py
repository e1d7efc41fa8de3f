from scanner.wedge import MAX_GAP, MIN_LENGTH, WedgeDetector

PAYLOAD = "046085001234|KIOSK|X"  # 20 characters, as a reader types them


def _type(detector: WedgeDetector, text: str, start: float, gap: float):
    """Feeds keys `gap` seconds apart; returns the actions and the time of the last key."""
    actions = [detector.key(c, start + i * gap) for i, c in enumerate(text)]
    return actions, start + (len(text) - 1) * gap


def test_a_fast_burst_ending_in_enter_is_a_scan():
    wedge = WedgeDetector()
    actions, last = _type(wedge, PAYLOAD, 10.0, 0.005)
    assert len(PAYLOAD) == 20
    assert all(a.replay == [] and a.scan is None for a in actions)  # nothing leaks to a widget
    done = wedge.enter(last + 0.005)
    assert done.scan == PAYLOAD
    assert done.replay == [] and not done.pass_enter
    assert not wedge.holding


def test_human_typing_is_replayed_key_by_key_and_enter_passes():
    wedge = WedgeDetector()
    actions, last = _type(wedge, "046085001234", 10.0, 0.150)
    done = wedge.enter(last + 0.150)
    replayed = [k for a in actions for k in a.replay] + done.replay
    assert "".join(replayed) == "046085001234"  # every key, in order, none lost or doubled
    assert all(len(a.replay) <= 1 for a in actions)  # each key given back before the next
    assert done.scan is None and done.pass_enter


def test_a_short_fast_burst_is_a_fast_typist_not_a_scan():
    wedge = WedgeDetector()
    text = "0460850"[: MIN_LENGTH - 1]
    _, last = _type(wedge, text, 10.0, 0.005)
    done = wedge.enter(last + 0.005)
    assert done.scan is None
    assert "".join(done.replay) == text and done.pass_enter


def test_a_burst_whose_enter_comes_late_is_given_back_as_typing():
    wedge = WedgeDetector()
    _, last = _type(wedge, PAYLOAD, 10.0, 0.005)
    done = wedge.enter(last + 0.5)
    assert done.scan is None
    assert "".join(done.replay) == PAYLOAD and done.pass_enter


def test_tick_releases_held_keys_once_the_burst_gap_has_passed():
    wedge = WedgeDetector()
    wedge.key("4", 10.0)
    assert wedge.tick(10.0 + MAX_GAP / 2).replay == []  # may still be the start of a burst
    assert wedge.holding
    released = wedge.tick(10.0 + MAX_GAP * 2)
    assert released.replay == ["4"]
    assert not wedge.holding
    assert wedge.tick(11.0).replay == []  # nothing is given back twice


def test_enter_on_an_empty_field_passes_through():
    done = WedgeDetector().enter(5.0)
    assert done.scan is None and done.replay == [] and done.pass_enter


def test_two_scans_in_a_row_are_both_read():
    wedge = WedgeDetector()
    _, last = _type(wedge, PAYLOAD, 10.0, 0.005)
    assert wedge.enter(last + 0.005).scan == PAYLOAD
    _, last = _type(wedge, "CK1:ABCDEFGHIJ", 12.0, 0.003)
    assert wedge.enter(last + 0.003).scan == "CK1:ABCDEFGHIJ"
