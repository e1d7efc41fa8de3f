"""Frozen copy of the scanner's decoding pipeline after issue 13's first round (commit 52726a7:
scanner/pipeline.py, second_look.py, restore.py, frame_stack.py, locate.py, imports pointed
here), so that `bench_scanner.py` measures each round's change in the same run on the same
machine. Not used by the kiosk."""
