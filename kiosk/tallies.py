"""What each number of a report counts, in one place, so that the kiosk's daily report and the
server's statistics (kiosk_server/stats.py) count the same scans the same way.

A scan's screen says what was checked: a person (medic), a vehicle (police), a market-day card
(market). Entries and exits are the people scans by direction; a violation is any scan denied;
a referral to quarantine is a person coming from an epidemic zone (directive 82: 21 days of
centralised quarantine and a PCR test).
"""

from __future__ import annotations

PERSON_SCREEN = "medic"
VEHICLE_SCREEN = "police"
QUARANTINE_REASONS = ("epidemic_zone",)
VIOLATION_VERDICT = "deny"
VERDICTS = ("allow", "attention", "deny")
DIRECTIONS = ("in", "out")
