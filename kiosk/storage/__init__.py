"""Local SQLite cache and scan log: schema, migrations and queries (docs/storage.md)."""

from kiosk.storage.audit import AuditRecord
from kiosk.storage.repository import DeclarationRow, ScanRecord, Store

__all__ = ["AuditRecord", "DeclarationRow", "ScanRecord", "Store"]
