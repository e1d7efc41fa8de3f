"""Words for the codes the core speaks: Vietnamese first, English as a choice.

One catalogue serves the command line and the window, so an operator reads the same sentence in
both; the window's own words are in ui/texts.py. Each code (the stable identifier `kiosk check`
prints and the tests follow) maps to an English source sentence, translated by
kiosk/locale/vi/LC_MESSAGES/kiosk.po; the lookups take the language as an argument because the
command line prints both at once. Every sentence has Vietnamese (tests/kiosk/test_catalogue.py
fails otherwise).
"""

from __future__ import annotations

from pathlib import Path

from kiosk.catalogue import LANGUAGES, Message, gettext_noop, ngettext_noop, render, translations

__all__ = ["LANGUAGES", "error_text", "reason_text", "text", "verdict_word"]

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "kiosk"

VERDICT_WORDS: dict[str, Message] = {
    "allow": gettext_noop("ALLOW"),
    "attention": gettext_noop("ATTENTION"),
    "deny": gettext_noop("DENY"),
}

REASONS: dict[str, Message] = {
    "approved": gettext_noop("Declaration approved, valid until {date}."),
    "pending": gettext_noop(
        "Declaration pending approval: ask the person to wait or see the medic."
    ),
    "not_found": gettext_noop(
        "No declaration found: help the person declare (assisted declaration)."
    ),
    "epidemic_zone": gettext_noop(
        "Comes from an epidemic zone ({zone}): 21-day centralised quarantine and a PCR test."
    ),
    "symptoms": gettext_noop("Symptoms declared ({symptoms}): refer to the medic."),
    "signed_not_cached": gettext_noop(
        "Valid code, but not yet in this kiosk's data: check papers, sync again."
    ),
    "rejected": gettext_noop("Declaration rejected."),
    "expired": gettext_noop(
        "Declaration or code expired on {date}: declare again today (a declaration every day)."
    ),
    "forged": gettext_noop("Forged or altered code: the signature does not match."),
    "unknown_key": gettext_noop(
        "Code signed with an unknown key: sync and scan again, or it is forged."
    ),
    "unreadable": gettext_noop("Damaged or unreadable code: ask for the code again."),
    "id_inconsistent": gettext_noop(
        "ID number does not match the printed birth year or sex: suspected forgery."
    ),
    "exposure_quarantine": gettext_noop(
        "Declared: {exposure}. 21-day centralised quarantine and a PCR test: hand over to the "
        "quarantine team."
    ),
    "code_name_differs": gettext_noop(
        "The name on the code differs from the declaration: check the person's papers."
    ),
    "vehicle_approved": gettext_noop("Vehicle approved ({business}), window: {window}."),
    "vehicle_pending": gettext_noop("Vehicle registration pending approval: not yet allowed in."),
    "vehicle_transit": gettext_noop(
        "Transit: no declaration needed; go straight on the Huế bypass, no stopping."
    ),
    "vehicle_outside_window": gettext_noop("Approved, but outside the approved window ({window})."),
    "vehicle_rejected": gettext_noop("Vehicle registration rejected."),
    "vehicle_kind_needed": gettext_noop(
        "Not registered: ask what kind of vehicle it is (freight, transit, coach, car, delegation)."
    ),
    "freight_approved": gettext_noop(
        "Freight approved ({business}), window: {window}. Deliver, then leave at once."
    ),
    "freight_not_registered": gettext_noop(
        "Freight vehicle not registered for delivery: a violation, not allowed in."
    ),
    "coach_passengers_declare": gettext_noop(
        "Fixed-route coach: may enter; every passenger declares at the checkpoint; "
        "stops only at registered stations."
    ),
    "car_occupants_declare": gettext_noop(
        "Car under 7 seats: every occupant declares at the checkpoint before entering."
    ),
    "delegation_not_registered": gettext_noop("Delegation not registered: not approved to enter."),
    "card_valid": gettext_noop("Valid card: may enter the market today."),
    "card_wrong_day": gettext_noop("Not this card's market day. Allowed: {days}."),
    "card_wrong_time": gettext_noop("Outside the card's time slot ({slot})."),
    "card_wrong_market": gettext_noop("Card for another market: {market}."),
    "card_already_today": gettext_noop("This household already entered today at {time}."),
    "card_quota_used": ngettext_noop(
        "Entry already used ({count} allowed until {until}).",
        "All {count} entries used until {until}.",
        "count",
    ),
    "card_revoked": gettext_noop("Card revoked."),
    "card_expired": gettext_noop("Card expired or not yet valid (valid until {date})."),
    "card_typed": gettext_noop(
        "Card number typed: check the days and time printed on the card. Entry recorded."
    ),
    "card_unknown": gettext_noop("No card with this number in this kiosk's list."),
    "declaration_queued": gettext_noop(
        "Saved. Receipt no. {receipt}. Status: Queued for the central server, pending."
    ),
    "declaration_quarantine": gettext_noop(
        "Saved. Receipt no. {receipt}. Declared: {exposure}. 21-day centralised quarantine and "
        "a PCR test: hand over to the quarantine team."
    ),
    # a hospital's approval of a patient from another province (directive 82/CV-BCĐ I.6)
    "hospital_approved": gettext_noop(
        "May enter the province for a hospital examination at {hospital} (appointment {date})."
    ),
    "hospital_not_yet": gettext_noop(
        "Approved by {hospital} for entry on {window} only, not today: not allowed in yet."
    ),
    "hospital_expired": gettext_noop(
        "The approval of {hospital} ended on {date}: not allowed in; it must approve again."
    ),
    "hospital_revoked": gettext_noop(
        "{hospital} revoked its approval (appointment {date}): not allowed in."
    ),
    # EU DCC (HC1) vaccine passports (kiosk/hcert/)
    "hc1_valid_vaccination": gettext_noop("Valid vaccination certificate: dose {dose}, on {date}."),
    "hc1_valid_test": gettext_noop("Valid negative test: sampled {date}."),
    "hc1_valid_recovery": gettext_noop("Valid recovery certificate until {until}."),
    "not_hc1": gettext_noop(
        "Not an HC1 code (vaccine passport): ask for the certificate's own code."
    ),
    "hc1_damaged": gettext_noop("Damaged or malformed certificate code: ask for the code again."),
    "hc1_unknown_signer": gettext_noop(
        "Signed by an issuer not in the trust list ({country}): sync and scan again, or check the "
        "papers."
    ),
    "hc1_signature_invalid": gettext_noop("Invalid signature: forged or altered certificate."),
    "hc1_signer_expired": gettext_noop(
        "The issuer's signing certificate has expired or is not yet valid (until {date})."
    ),
    "hc1_expired": gettext_noop("Certificate expired on {date}."),
    "hc1_issued_future": gettext_noop(
        "Certificate dated in the future ({date}): check this kiosk's clock; suspect."
    ),
    "hc1_test_positive": gettext_noop("POSITIVE test (sampled {date}): refer to the medic."),
    "hc1_test_too_old": gettext_noop("Test older than {hours} hours (sampled {date})."),
    "hc1_vaccination_not_valid": gettext_noop(
        "Vaccination incomplete or under {days} days since the last dose (dose {dose}, on {date})."
    ),
    "hc1_recovery_outside": gettext_noop(
        "Recovery certificate outside its window ({from} to {until})."
    ),
    "hc1_kind_not_accepted": gettext_noop(
        "This checkpoint does not accept this kind of certificate."
    ),
}

EXPOSURE_WORDS: dict[str, Message] = {
    "epidemic_zone": gettext_noop("came from an epidemic zone"),
    "contact": gettext_noop("contact with a case"),
}

SYMPTOM_WORDS: dict[str, Message] = {
    "fever": gettext_noop("fever"),
    "cough": gettext_noop("cough"),
    "sore_throat": gettext_noop("sore throat"),
    "breathless": gettext_noop("shortness of breath"),
}

ERRORS: dict[str, Message] = {
    "bad_disposition": gettext_noop("That check cannot take this disposition."),
    "empty_input": gettext_noop("Nothing was entered."),
    "id_not_digits": gettext_noop("A CMND/CCCD number has digits only."),
    "id_bad_length": gettext_noop("A CMND number has 9 digits, a CCCD number 12."),
    "id_bad_province": gettext_noop("Invalid CCCD: the first 3 digits are not a province code."),
    "id_bad_century": gettext_noop(
        "Invalid CCCD: the 4th digit (century, sex) gives a birth year in the future."
    ),
    "cccd_malformed": gettext_noop("The CCCD card's QR is damaged or malformed."),
    "personal_qr_malformed": gettext_noop("The personal QR is damaged or malformed."),
    "not_checkpoint_code": gettext_noop("Not a checkpoint code (a product barcode, a link…)."),
    "not_utf8": gettext_noop("Not a checkpoint code: it holds binary data, not text."),
    "plate_malformed": gettext_noop("Not a valid licence plate (e.g. 75A-123.45, 75-B1 123.45)."),
    "not_a_card": gettext_noop("Not a market-day card."),
    "vehicle_kind_unknown": gettext_noop(
        "Vehicle kind: freight, transit, coach, car or delegation."
    ),
    "no_open_entry": gettext_noop("No entry of this vehicle is open: nothing recorded."),
    "vehicle_entry_unknown": gettext_noop("No such vehicle entry at this kiosk."),
    "handover_unknown": gettext_noop("No such person on the handover list."),
    "trust_file_bad": gettext_noop("Unusable signer certificate file, nothing added: {detail}"),
    "at_malformed": gettext_noop(
        "--at takes an ISO 8601 moment with its zone, e.g. 2021-09-01T08:00:00Z."
    ),
    "market_card_here": gettext_noop("This is a market-day card: check it on the Market screen."),
    "pin_format": gettext_noop("A PIN has 4 to 8 digits."),
    "unknown_operator": gettext_noop("No such operator."),
    "pin_wrong": ngettext_noop(
        "Wrong PIN. {left} try left.",
        "Wrong PIN. {left} tries left.",
        "left",
    ),
    "locked": ngettext_noop(
        "Too many wrong PINs: sign-in locked for {minutes} minute.",
        "Too many wrong PINs: sign-in locked for {minutes} minutes.",
        "minutes",
    ),
    "form_name": gettext_noop("Enter the full name (two words or more, no digits)."),
    "form_birth_date": gettext_noop("Date of birth as day/month/year, e.g. 05/09/1980."),
    "form_required": gettext_noop("This field is required."),
    "form_phone": gettext_noop("A 10-digit mobile number starting 03, 05, 07, 08 or 09."),
    "form_province": gettext_noop("Choose a province from the list."),
    "id_inconsistent_form": gettext_noop(
        "The CCCD number does not match the birth date or sex entered."
    ),
    "unreachable": gettext_noop(
        "The server cannot be reached: working offline; the next sync carries on from here."
    ),
    "server_error": gettext_noop(
        "The server has a problem: working offline; the next sync carries on from here."
    ),
    "protocol_error": gettext_noop(
        "The server answered something unexpected: nothing changed; the next sync tries again."
    ),
    "credential_revoked": gettext_noop(
        "This kiosk's credential was revoked: ask the administrator to pair it again."
    ),
    "not_paired": gettext_noop("Not paired with a server yet: run kiosk pair URL CODE."),
    "sync_failed": gettext_noop(
        "Sync met an unexpected error: logged; the kiosk keeps working offline."
    ),
    "server_url_invalid": gettext_noop(
        "Not a server address: it must look like https://server-name."
    ),
    "already_paired": gettext_noop("This kiosk is already paired: add --again to pair it anew."),
    "pairing_code_invalid": gettext_noop("The pairing code is wrong, used or expired."),
    "refused": gettext_noop(
        "The server refused the sync request: logged; the next sync tries again."
    ),
    "server_url_insecure": gettext_noop(
        "Will not pair over unencrypted http:// to another machine: use https:// "
        "(or --insecure on a test network)."
    ),
    "tls_error": gettext_noop("The server's certificate is not valid: not syncing."),
    "server_pin_mismatch": gettext_noop(
        "The server shows another key than the one pinned at pairing: not syncing, nothing "
        "sent. Someone may be in the way; tell the administrator (a new server key needs "
        "`kiosk pair --again`)."
    ),
    "image_unreadable": gettext_noop("The image file cannot be opened."),
    "no_display": gettext_noop(
        "No display to open the window on (DISPLAY is empty). Run it on a machine with a screen, "
        "or set QT_QPA_PLATFORM=offscreen to run it invisibly."
    ),
    "disk_full": gettext_noop(
        "Disk full: the scan could not be recorded. Free some space and try again."
    ),
    "db_locked": gettext_noop("The database is busy: try again in a moment."),
    "receipt_failed": gettext_noop(
        "The declaration is saved, but its receipt PDF could not be written (disk full?). "
        "It can still be printed: press “Print the receipt again”."
    ),
    "db_newer": gettext_noop(
        "The data was written by a newer version of the kiosk: update the software."
    ),
    "db_unavailable": gettext_noop("The database cannot be written: tell the administrator."),
    "job_failed": gettext_noop(
        "A software fault ({reason}): it is in the log. Try again; if it recurs, tell the"
        " administrator."
    ),
    "db_damaged": gettext_noop(
        "The database is damaged (it failed its integrity check): nothing was read from it. "
        "Close the kiosk, run `kiosk restore latest` to bring back the newest good backup, "
        "then sync."
    ),
    "db_lost": gettext_noop(
        "The database is missing or empty, yet this kiosk was paired: scans not yet synced may "
        "be lost. Run `kiosk restore latest` to bring back the newest good backup, then sync."
    ),
    "db_key_missing": gettext_noop(
        "The database key is not on this machine (data copied from another kiosk, or the key "
        "file deleted): the data cannot be read. Tell the administrator."
    ),
    "backup_disk_full": gettext_noop(
        "The backup could not be made: the disk is full. The data recorded so far is safe; "
        "free some space, then back up again."
    ),
    "backup_not_writable": gettext_noop(
        "The backup could not be made: its folder cannot be written (a read-only or missing "
        "disk, or its permissions). The data recorded so far is safe; tell the administrator."
    ),
    "no_backup": gettext_noop("No such backup: `kiosk restore` lists the backups there are."),
    "backup_damaged": gettext_noop(
        "That backup is damaged too: try an older one (`kiosk restore` lists them)."
    ),
}

# The words of the paper reports (kiosk/report_pdf.py: the kiosk's day, the province's day, a
# trace); keys are stable, the sentences are translated like the rest.
REPORT_WORDS: dict[str, Message] = {
    "daily_report": gettext_noop("Daily report"),
    "province_report": gettext_noop("Province daily report"),
    "trace_report": gettext_noop("Contact tracing"),
    "checkpoint": gettext_noop("Checkpoint"),
    "district": gettext_noop("District"),
    "date": gettext_noop("Date"),
    "hour": gettext_noop("Hour"),
    "printed_at": gettext_noop("Printed at {time}"),
    "total_scans": gettext_noop("Total scans"),
    "by_verdict": gettext_noop("Scans by verdict"),
    "by_hour": gettext_noop("Scans by hour"),
    "by_district": gettext_noop("By district"),
    "by_checkpoint": gettext_noop("By checkpoint"),
    "entries": gettext_noop("Entries"),
    "exits": gettext_noop("Exits"),
    "assisted": gettext_noop("Assisted declarations"),
    "self_declared": gettext_noop("Self declarations"),
    "vehicles": gettext_noop("Vehicles checked"),
    "quarantine": gettext_noop("Referred to quarantine"),
    "violations": gettext_noop("Violations"),
    "qr_points": gettext_noop("QR points registered"),
    "operators": gettext_noop("Operators on duty"),
    "none": gettext_noop("none"),
    "person": gettext_noop("Person"),
    "period": gettext_noop("Period"),
    "overlap": gettext_noop("Overlap: {minutes} minutes either side"),
    "visits": gettext_noop("Places and times"),
    "contacts": gettext_noop("People at the same place and time"),
    "second_level": gettext_noop("Second level: contacts of {name}"),
    "name": gettext_noop("Name"),
    "id_number": gettext_noop("ID number"),
    "birth_date": gettext_noop("Birth date"),
    "phone": gettext_noop("Phone"),
    "scanned_at": gettext_noop("Scanned at"),
    "minutes_apart": gettext_noop("Minutes apart"),
    "direction_in": gettext_noop("in"),
    "direction_out": gettext_noop("out"),
    "unidentified": gettext_noop("unidentified"),
}

# Said once at the next sign-in after `kiosk restore` (the window's status line).
RESTORED = gettext_noop(
    "The database was restored from the backup of {when}: scans made after it and not yet "
    "synced are lost. Sync now."
)

# A reason whose parameter may be missing has a sentence without it.
WITHOUT_PARAM: dict[str, tuple[str, Message]] = {
    "expired": (
        "date",
        gettext_noop("Declaration or code expired: declare again today (a declaration every day)."),
    ),
}

# A market-day card's allowed days, for "not this card's market day" (kiosk/market_cards.py).
WEEKDAY_WORDS: tuple[Message, ...] = (  # Monday first, as the card's bit mask
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
)
ODD_DATES = gettext_noop("odd dates (not the 31st nor 29 Feb)")
EVEN_DATES = gettext_noop("even dates, the 31st and 29 Feb")
# the card's plain meaning (a market's default): an odd date is an odd date
PLAIN_ODD_DATES = gettext_noop("odd dates")
PLAIN_EVEN_DATES = gettext_noop("even dates")
DATES_ON_CARD = gettext_noop("dates on the card, next: {when}")
NONE_LEFT = gettext_noop("none left")
EVERY_N_DAYS = ngettext_noop("every day, next: {when}", "every {n} days, next: {when}", "n")

# Said by the command line and by the window alike.
NEAR_MISSES = gettext_noop("Did you mean: {plates}? (a suggestion only: check the plate)")
STATUS_QUEUED = gettext_noop("Queued for the central server, pending")
STATUS_QUARANTINE = gettext_noop("ATTENTION: 21-day centralised quarantine and a PCR test")
HANDOVER_STATUS: dict[str, Message] = {
    "waiting": gettext_noop("waiting"),
    "handed_over": gettext_noop("handed over"),
    "absent": gettext_noop("absent"),
}


def text(message: Message, lang: str, **params: object) -> str:
    """`message` in `lang`, its {placeholders} filled (a missing one shows as '?')."""
    return render(translations(LOCALE_DIR, DOMAIN, lang), message, params)


def symptom_word(symptom: str, lang: str) -> str:
    # a symptom code newer than this kiosk is shown as it came, not crashed on
    return text(SYMPTOM_WORDS[symptom], lang) if symptom in SYMPTOM_WORDS else symptom


def reason_text(reason: str, params: dict[str, str], lang: str) -> str:
    values = dict(params)
    if "symptoms" in values:
        words = [symptom_word(s, lang) for s in values["symptoms"].split(",") if s]
        values["symptoms"] = ", ".join(words)
    if "exposure" in values:
        values["exposure"] = ", ".join(
            text(EXPOSURE_WORDS[e], lang) if e in EXPOSURE_WORDS else e
            for e in values["exposure"].split(",")
            if e
        )
    message = REASONS[reason]
    if reason in WITHOUT_PARAM:
        needed, shorter = WITHOUT_PARAM[reason]
        message = message if values.get(needed) else shorter
    return text(message, lang, **values)


def error_text(code: str, lang: str, **params: object) -> str:
    return text(ERRORS[code], lang, **params)


def verdict_word(verdict: str, lang: str) -> str:
    return text(VERDICT_WORDS[verdict], lang)
