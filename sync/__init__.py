"""Client for the central server: pairing, pulling approvals, pushing what the kiosk recorded.

Plain Python (requests), so `kiosk sync` runs the very cycle the window's sync lane runs.
Protocol: docs/sync-protocol.md and docs/openapi.json.
"""
