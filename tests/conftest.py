"""Shared fixtures. Qt must run offscreen before any QApplication exists."""

from __future__ import annotations

import os
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
# Database keys live outside the data directory (kiosk/storage/keys.py): the tests' keys go to
# one scratch folder, inherited by the `kiosk` processes they start, not the user's config.
# Argon2id at 256 MiB costs about a second a PIN: the suite seeds demo operators hundreds of
# times, so it hashes cheaply (tests/kiosk/test_auth.py checks the real cost separately).
os.environ.setdefault("KIOSK_TESTS_ONLY_FAST_PIN_HASH", "1")
os.environ.setdefault("KIOSK_KEY_DIR", tempfile.mkdtemp(prefix="kiosk-test-keys-"))
