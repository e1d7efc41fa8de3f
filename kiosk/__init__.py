"""Checkpoint kiosk: the domain core and its storage (plain Python, no Qt).

kiosk.app, on top of every layer, holds the command line and the demo seeding.
"""

__version__ = "0.1.0"
