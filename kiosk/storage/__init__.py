"""Local SQLite cache and scan log: schema, migrations and queries (docs/storage.md)."""

from kiosk.storage.repository import DeclarationRow, ScanRecord, Store

__all__ = ["DeclarationRow", "ScanRecord", "Store"]
