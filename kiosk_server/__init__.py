"""The reference central server for checkpoint kiosks: speaks sync protocol v1.

SQLite by default (one process); PostgreSQL for a province (several processes, one database),
with the same code. Admin commands import approvals, issue tokens, rotate keys, pair and revoke
kiosks. See docs/sync-protocol.md.
"""

__version__ = "0.1.0"
