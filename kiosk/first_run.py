"""First run: whether this data directory was ever set up, what a kiosk still lacks, and what the
sign-in screen says about pairing. Plain Python: the setup wizard (ui/first_run_wizard.py), the
supervisor's panel and the tests ask the same questions here.

A data directory counts as set up when any of these holds (docs/storage.md):
- `settings.json` exists: an installer, or the wizard, chose this kiosk's settings;
- `device.json` notes a pairing (`kiosk pair` from the command line) or `set_up_at` (the wizard
  was gone through, each step done or skipped);
- `demo/manifest.json` exists: `kiosk demo` (what `make run` does first) seeded a complete demo
  checkpoint, with its operators, PINs, signing key and camera feed. Its whole point is trying the
  kiosk at once, so the wizard must not stand in the way; the supervisor's panel still runs it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from kiosk import settings as kiosk_settings
from kiosk.catalogue import Message, gettext_noop, ngettext_noop
from kiosk.storage import Store
from kiosk.storage.keys import device_state, note

SET_UP_NOTE = "set_up_at"  # device.json: when the wizard was gone through
SYNC_OLD_AFTER = timedelta(hours=24)  # the back office flags a kiosk silent for a day, too
CHECKPOINT_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,39}")  # scans.checkpoint_id: 40 chars


def needs_setup(data_dir: Path) -> bool:
    if (data_dir / "settings.json").exists() or (data_dir / "demo" / "manifest.json").exists():
        return False
    state = device_state(data_dir)
    return not (state.get(SET_UP_NOTE) or state.get("paired_with"))


def mark_set_up(data_dir: Path, now: datetime) -> None:
    """Needs device.json, which the database's first opening writes."""
    note(data_dir, **{SET_UP_NOTE: now.isoformat()})


def checkpoint_problem(text: str) -> Message | None:
    """None for a usable checkpoint id, else what is wrong, in the operator's words."""
    if not text.strip():
        return CHECKPOINT_EMPTY
    if not CHECKPOINT_RE.fullmatch(text.strip()):
        return CHECKPOINT_INVALID
    return None


def save_checkpoint(data_dir: Path, checkpoint_id: str) -> kiosk_settings.Settings:
    """Writes the checkpoint into settings.json, keeping every other setting as it is."""
    current = kiosk_settings.load(data_dir)
    changed = replace(current, checkpoint_id=checkpoint_id.strip()).validate()
    kiosk_settings.save(data_dir, changed)
    return changed


def server_url(text: str) -> str:
    """What a person types as the server's address, as a URL: `kiosk.tthue.gov.vn` means https."""
    text = text.strip()
    if text and "://" not in text:
        text = "https://" + text
    return text.rstrip("/")


def pairing_code(text: str) -> str:
    """A code as read off the back office's screen (`3F2A-9C01-77BE`, kiosk_server.admin): in
    capitals, its groups of four joined by '-' whatever a person typed between them (a space,
    nothing); a code of another shape is kept as typed, less spaces."""
    letters = "".join(c for c in text.upper() if c.isalnum())
    if len(letters) == 12:
        return "-".join(letters[i : i + 4] for i in range(0, 12, 4))
    return "".join(text.split()).upper()


@dataclass(frozen=True)
class PairingState:
    paired: bool
    server: str  # the server's host, "" when not paired
    last_sync: datetime | None
    operators: int  # operators who can sign in here (with a PIN)
    url: str = ""  # the server's address as paired with, "" when not paired


def pairing_state(store: Store) -> PairingState:
    url = store.replica.state("server_url") or ""
    paired = bool(url and store.replica.state("credential"))
    last = store.replica.state("last_sync")
    operators = sum(1 for o in store.accounts.all_active() if o.pin_hash)
    return PairingState(
        paired,
        host_of(url) if paired else "",
        datetime.fromisoformat(last) if last else None,
        operators,
        url if paired else "",
    )


def host_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.netloc or url


Notice = tuple[Message, dict[str, object]]


def sign_in_notice(
    paired: bool, last_sync: datetime | None, now: datetime, server: str = ""
) -> Notice | None:
    """The line the sign-in screen shows about pairing and sync, or None when all is well."""
    if not paired:
        return NEVER_PAIRED, {}
    if last_sync is None:
        return NEVER_SYNCED, {"server": server}
    age = now - last_sync
    if age > SYNC_OLD_AFTER:
        return SYNC_OLD, {"hours": int(age.total_seconds() // 3600)}
    return None


CAMERA_STATES = ("live", "demo", "none", "untested")
READER_STATES = ("works", "untested")


@dataclass(frozen=True)
class SetupFacts:
    checkpoint_named: bool  # False: scans go on being recorded under the default id
    checkpoint: str
    pairing: PairingState
    camera: str  # one of CAMERA_STATES
    reader: str  # one of READER_STATES


def missing(facts: SetupFacts) -> list[Notice]:
    """What this kiosk still lacks, most consequential first; [] when nothing."""
    out: list[Notice] = []
    if not facts.pairing.paired:
        out.append((MISSING["not_paired"], {}))
    elif facts.pairing.last_sync is None:
        out.append((MISSING["never_synced"], {"server": facts.pairing.server}))
    if facts.pairing.operators == 0:
        out.append((MISSING["no_operators"], {}))
    if not facts.checkpoint_named:
        out.append((MISSING["checkpoint_default"], {"checkpoint": facts.checkpoint}))
    if facts.camera in ("none", "demo", "untested"):
        out.append((MISSING["camera_" + facts.camera], {}))
    if facts.reader == "untested":
        out.append((MISSING["reader_untested"], {}))
    return out


def done(facts: SetupFacts) -> list[Notice]:
    """What is in place, for the same summary."""
    out: list[Notice] = []
    if facts.checkpoint_named:
        out.append((DONE["checkpoint"], {"checkpoint": facts.checkpoint}))
    if facts.pairing.paired:
        out.append((DONE["paired"], {"server": facts.pairing.server}))
    if facts.pairing.operators:
        out.append((DONE["operators"], {"count": facts.pairing.operators}))
    if facts.camera == "live":
        out.append((DONE["camera"], {}))
    if facts.reader == "works":
        out.append((DONE["reader"], {}))
    return out


# --- words ------------------------------------------------------------------------------------
CHECKPOINT_EMPTY = gettext_noop("Type this checkpoint's id, or skip this step.")
CHECKPOINT_INVALID = gettext_noop(
    "A checkpoint id is letters without accents, digits, '-', '_' or '.', up to 40 "
    "characters, e.g. chot-phong-dien-01."
)
NEVER_PAIRED = gettext_noop(
    "This kiosk has never been paired with a server: verdicts come only from the data already "
    "on it. A supervisor pairs it from the panel."
)
NEVER_SYNCED = gettext_noop(
    "Paired with {server}, not synced yet: operators and approvals arrive with the first sync."
)
SYNC_OLD = ngettext_noop(
    "Last synced {hours} hour ago: approvals and revocations since then are not on this kiosk.",
    "Last synced {hours} hours ago: approvals and revocations since then are not on this kiosk.",
    "hours",
)
PAIRED = gettext_noop(
    "Paired with {server} (kiosk {kiosk}). Operators and approvals arrive with the first sync."
)
PAIRING = gettext_noop("Pairing with {server}…")
NOTHING_MISSING = gettext_noop("Nothing is missing: the kiosk is ready.")
DONE: dict[str, Message] = {
    "checkpoint": gettext_noop("Checkpoint: {checkpoint}"),
    "paired": gettext_noop("Paired with {server}"),
    "operators": ngettext_noop(
        "{count} operator can sign in", "{count} operators can sign in", "count"
    ),
    "camera": gettext_noop("The camera works"),
    "reader": gettext_noop("The QR reader works"),
}
MISSING: dict[str, Message] = {
    "not_paired": gettext_noop(
        "Not paired with a server: the kiosk will work offline with the data it has."
    ),
    "never_synced": gettext_noop(
        "Paired with {server}, not synced yet: operators and approvals arrive with the first sync."
    ),
    "no_operators": gettext_noop(
        "No operator can sign in yet: operators come from the server once paired and synced."
    ),
    "checkpoint_default": gettext_noop(
        "No checkpoint id given: scans are recorded under '{checkpoint}'."
    ),
    "camera_none": gettext_noop(
        "No camera found: codes only through a QR reader, or ID numbers typed."
    ),
    "camera_demo": gettext_noop("Camera: the demo video, not a real camera."),
    "camera_untested": gettext_noop("Camera not tested."),
    "reader_untested": gettext_noop(
        "QR reader not tested (a reader is optional: the camera and typing work without one)."
    ),
}
# What pairing from the window says when it fails (the command line's words speak of flags).
PAIRING_PROBLEMS: dict[str, Message] = {
    "pairing_code_invalid": gettext_noop(
        "The pairing code is wrong, already used or expired (a code lasts 30 minutes): ask for a "
        "new one on the back office's Kiosks page. Nothing was changed."
    ),
    "unreachable": gettext_noop(
        "Cannot reach the server at {server}: check the address and the network. Nothing was "
        "changed."
    ),
    "server_error": gettext_noop(
        "The server at {server} has a problem right now: try again in a while. Nothing was changed."
    ),
    "protocol_error": gettext_noop(
        "{server} did not answer as a kiosk server does: check the address. Nothing was changed."
    ),
    "tls_error": gettext_noop(
        "The server's certificate is not valid (or not from a trusted authority): not pairing. "
        "Nothing was changed."
    ),
    "server_pin_mismatch": gettext_noop(
        "The server shows another TLS key than the one pinned when this kiosk was paired with "
        "it: someone may be in the way. Nothing was sent and nothing was changed; tell the "
        "administrator (a real new key is paired with `kiosk pair --again`)."
    ),
    "server_url_invalid": gettext_noop(
        "Not a server address: type it as https://server-name. Nothing was changed."
    ),
    "server_url_insecure": gettext_noop(
        "Pairing over unencrypted http:// is only for this machine itself: use https://. Nothing "
        "was changed."
    ),
    "pairing_code_empty": gettext_noop("Type the pairing code from the back office."),
    "pairing_failed": gettext_noop(
        "Pairing failed unexpectedly ({reason}): logged. Nothing was changed."
    ),
}


def finish_setup(
    data_dir: Path, checkpoint_id: str | None, now: datetime
) -> kiosk_settings.Settings:
    """The wizard's last step: the checkpoint (when one was given) into settings.json, and
    device.json notes the setup, so the wizard does not come back at the next start. Returns
    the settings now in force."""
    settings = (
        save_checkpoint(data_dir, checkpoint_id) if checkpoint_id else kiosk_settings.load(data_dir)
    )
    mark_set_up(data_dir, now)
    return settings
