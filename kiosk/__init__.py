"""Checkpoint kiosk: the domain core, storage and command line (plain Python, no Qt)."""

__version__ = "0.1.0"
