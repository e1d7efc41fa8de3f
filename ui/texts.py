"""The window's own words (the verdicts and errors are the core's: kiosk/messages.py).

English source strings marked for Babel's extractor, translated by ui/locale/vi/LC_MESSAGES/ui.po
(see kiosk/catalogue.py for why msgids are English). A word chosen by a value (a role, a field,
a transport) comes from an explicit table below, never from a key built at run time, so the
extractor, and the test that every one has Vietnamese, see them all.
"""

from __future__ import annotations

from pathlib import Path

from kiosk.catalogue import Message, gettext_noop, ngettext_noop, render, translations

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "ui"

# The language button names the other language in that language: not translated.
SWITCH_LANGUAGE = {"vi": "English", "en": "Tiếng Việt"}


def tr(message: Message, lang: str, **params: object) -> str:
    """`message` in `lang`, its {placeholders} filled (a missing one shows as '?')."""
    return render(translations(LOCALE_DIR, DOMAIN, lang), message, params)


WINDOW_TITLE = gettext_noop("Epidemic control checkpoint")  # every role uses the window
ID_LABEL = gettext_noop("CMND/CCCD number:")
ID_PLACEHOLDER = gettext_noop("9 or 12 digits, then Enter")  # the label above names the card
CHECK_BUTTON = gettext_noop("Check")
WAITING_WORD = gettext_noop("READY")
# the big word of a refusal: something typed or scanned is not valid (fix it, scan again), or
# the machine failed (disk, database, a bug); not ATTENTION's word, read from two metres
INPUT_ERROR_WORD = gettext_noop("INPUT ERROR")
FAULT_WORD = gettext_noop("FAULT")
WAITING_REASON = gettext_noop(
    "Show a QR code to the camera, use the reader, or type a CMND/CCCD number."
)
CAMERA_NONE = gettext_noop("No camera: typing and the reader still work.")
CAMERA_DEMO = gettext_noop("Camera: demo video (no webcam found)")
CAMERA_LIVE = gettext_noop("Camera: {name}")
SERIAL_LOST = gettext_noop("Serial QR reader not connected, retrying…")
CAMERA_LOST = gettext_noop("Camera lost, reconnecting…")
# over the live picture while a reflection keeps a code from being read: read from a metre
GLARE_HINT = gettext_noop("The QR code is glared: tilt the phone a little")
WORKER_RESTARTED = gettext_noop("The {name} worker failed and was restarted: {error}")
BORN = gettext_noop("born {dob}")  # after the name and number on a verdict
# An HC1 (EU DCC) certificate on the medic's screen: its holder, its essentials, a stale list
HC1_HOLDER = gettext_noop("{name} · born {dob}")
HC1_LINES: dict[str, Message] = {  # by the certificate's kind
    "v": gettext_noop(
        "Vaccination · {product} · dose {dose} · {date} · {country} · code expires {expires}"
    ),
    "t": gettext_noop("Test {test} · sampled {sampled} · {country} · code expires {expires}"),
    "r": gettext_noop("Recovery · first positive {first_positive} · until {until} · {country}"),
}
HC1_TRUST_STALE = gettext_noop("⚠ Trust list last updated {since} (over 48 hours ago): sync.")
SCANS_TODAY = gettext_noop("Scans today: {count}")
SYNC_ONLINE = ngettext_noop(
    "● Online · synced {when} · {pending} record to send",
    "● Online · synced {when} · {pending} records to send",
    "pending",
)
SYNC_OFFLINE = ngettext_noop(
    "○ Offline · last synced {when} · {pending} record to send",
    "○ Offline · last synced {when} · {pending} records to send",
    "pending",
)
SYNC_NOT_PAIRED = ngettext_noop(
    "○ Not paired with a server · {pending} record to send",
    "○ Not paired with a server · {pending} records to send",
    "pending",
)
SIGN_IN_TITLE = gettext_noop("Sign in to your shift")
PIN_PLACEHOLDER = gettext_noop("PIN")
SIGN_IN = gettext_noop("Sign in")
SOUND_ON = gettext_noop("Sound: on")
SOUND_OFF = gettext_noop("Sound: off")
LOCKED_TITLE = gettext_noop("Locked. Type your PIN to go on.")
SUPERVISOR_TO_LEAVE = gettext_noop("A supervisor's PIN is needed to leave kiosk mode.")
SUPERVISOR_TO_CLOSE = gettext_noop("A supervisor's PIN is needed to close the kiosk.")
SUPERVISOR_ONLY = gettext_noop("Only a supervisor can do this.")
UNLOCK = gettext_noop("OK")
CANCEL = gettext_noop("Cancel")
CARD_NUMBER_LABEL = gettext_noop("Card number (when the code cannot be read):")
CARD_NUMBER_PLACEHOLDER = gettext_noop("Card number, then Enter")
EXIT_BANNER = gettext_noop("EXIT MODE — recording people going out")
ENTRY_BANNER = gettext_noop("ENTRY MODE — checking cards")
RECEIPT_MISSING = gettext_noop("The receipt file is gone: {path}")
RECEIPT_NO_VIEWER = gettext_noop("No program here opens PDF files. The receipt is at {path}")
SUPERVISOR_OPERATORS = gettext_noop("Operators this kiosk knows")
SUPERVISOR_TODAY = gettext_noop("Today, by verdict and by hour")
SUPERVISOR_SCANS = gettext_noop("Last scans")
SUPERVISOR_SEARCH = gettext_noop("Search: masked ID, plate, card, reason, operator")
SUPERVISOR_REFRESH = gettext_noop("Refresh")
SUPERVISOR_PRINT_REPORT = gettext_noop("Print the day's report")
SUPERVISOR_REPORT_WRITTEN = gettext_noop("The day's report is written: {path}")
SYNC_NOW = gettext_noop("Sync now")
OPERATOR_READY = gettext_noop("can sign in")
OPERATOR_NO_PIN = gettext_noop("no PIN yet")
DISPOSITIONS: dict[str, Message] = {
    "allowed": gettext_noop("Allowed through"),
    "sent_for_testing": gettext_noop("Sent for testing"),
    "referred_to_quarantine": gettext_noop("Referred to quarantine"),
    "turned_back": gettext_noop("Turned back"),
}
DISPOSITION_RECORDED = gettext_noop("Recorded: {what}")
# a typed look-up's verdict (or an input error) is kept while the operator reads it; the
# camera's reads wait behind it
CAMERA_CODE_WAITING = gettext_noop("The camera read a new code; it waits until you are done here.")
SHOW_WAITING_NOW = gettext_noop("Show now")
# the screen they waited at left the front (a tab change, a sign-out, the lock): the reads are
# recorded, as every scan is, but their verdicts were seen by no one
WAITING_RECORDED_UNSEEN = ngettext_noop(
    "{count} camera code that was waiting was recorded without being shown.",
    "{count} camera codes that were waiting were recorded without being shown.",
    "count",
)
NO_OPERATOR_CHOSEN = gettext_noop("Choose your name first, then type your PIN.")
PIN_NEEDED = gettext_noop("Type your PIN, then press Enter.")
CHECKING_PIN = gettext_noop("Checking the PIN… what you type now goes to the next screen.")
SIGN_OUT = gettext_noop("Sign out")
SIGNED_OUT_IDLE = gettext_noop("Signed out after a while without activity.")
DEMO_PINS = gettext_noop("Demo data — PINs: {pins}")
SIGNED_IN_AS = gettext_noop("{name} · {role} · checkpoint {checkpoint}")
FIELD_CONTACT = gettext_noop("Contact with a confirmed case in the last 14 days")
SAVE_DECLARATION = gettext_noop("Save and print receipt")
OPEN_RECEIPT = gettext_noop("Open the receipt (PDF)")
MARKET_WAITING = gettext_noop("Scan the household's market-day card.")
CARD_LINE = gettext_noop("card no. {card}")
# the market's two numbers count different things, and say so: the verdict's is this kiosk's
# scan of the day, the counter's every entry of the market today (cards used at other gates, or
# earlier, too); "№ 1" beside "2 entries" read as a contradiction
MARKET_SCAN_NUMBER = gettext_noop("scan at this kiosk № {number}")
MARKET_COUNT = ngettext_noop(
    "Whole market today: {entered} entry · {inside} inside",
    "Whole market today: {entered} entries · {inside} inside",
    "entered",
)
MODE_ENTRY = gettext_noop("Recording: ENTRY (press for EXIT)")
MODE_EXIT = gettext_noop("Recording: EXIT (press for ENTRY)")
# a gate's other way, one key from the field: the police's "Record exit", the market's
# entry/exit switch (a bare letter would go into the plate or card field; Fn keys do not)
GATE_KEY = "F2"
EXIT_RECORDED = gettext_noop("Exit recorded.")
EXIT_NONE = gettext_noop("This card has not entered today.")
EXIT_WORD = gettext_noop("OUT")  # the big word of an exit recorded
EXIT_NONE_WORD = gettext_noop("NOT IN")  # the big word of an exit with no entry to close
POLICE_WAITING = gettext_noop("Type the licence plate, then Enter.")
PLATE_LABEL = gettext_noop("Licence plate:")
PLATE_PLACEHOLDER = gettext_noop("e.g. 75C-123.45 or 75c12345")
SUGGESTIONS_LABEL = gettext_noop(
    "Not found. Registered plates one typo away (press to fill in, compare with the real "
    "plate, then Check):"
)
DRIVER_LINE = gettext_noop("Driver: {name} · {phone}")

ROLES: dict[str, Message] = {
    "medic": gettext_noop("Medic"),
    "police": gettext_noop("Police"),
    "market": gettext_noop("Market manager"),
    "assistant": gettext_noop("Assistant"),
    "supervisor": gettext_noop("Supervisor"),
}

SCREENS: dict[str, Message] = {
    "supervisor": gettext_noop("Supervisor"),
    "medic": gettext_noop("Medic: declarations"),
    "police": gettext_noop("Police: vehicles"),
    "market": gettext_noop("Market: cards"),
    "assistant": gettext_noop("Assisted declaration"),
}

FIELDS: dict[str, Message] = {
    "full_name": gettext_noop("Full name"),
    "id_number": gettext_noop("CMND/CCCD number"),
    "birth_date": gettext_noop("Date of birth"),
    "sex": gettext_noop("Sex"),
    "phone": gettext_noop("Phone"),
    "province": gettext_noop("Province"),
    "district": gettext_noop("District"),
    "commune": gettext_noop("Commune"),
    "address": gettext_noop("Street address"),
    "came_from": gettext_noop("Coming from (province)"),
    "travel_14d": gettext_noop("Places visited in the last 14 days"),
    "transport": gettext_noop("Means of transport"),
    "plate": gettext_noop("Licence plate"),
    "symptoms": gettext_noop("Symptoms"),
}

HINTS: dict[str, Message] = {
    "full_name": gettext_noop("e.g. Nguyễn Thị Ngọc Bích"),
    "birth_date": gettext_noop("day/month/year, e.g. 05/09/1980"),
    "id_number": gettext_noop("9 or 12 digits"),
    "phone": gettext_noop("e.g. 0905123456"),
    "plate": gettext_noop("If by car or motorbike"),
}

SEXES: dict[str, Message] = {
    "M": gettext_noop("Male"),
    "F": gettext_noop("Female"),
}

TRANSPORTS: dict[str, Message] = {
    "car": gettext_noop("Car"),
    "motorbike": gettext_noop("Motorbike"),
    "bus": gettext_noop("Coach"),
    "train": gettext_noop("Train"),
    "plane": gettext_noop("Plane"),
    "other": gettext_noop("Other"),
}

SOURCES: dict[str, Message] = {
    "camera": gettext_noop("camera"),
    "wedge": gettext_noop("reader"),
    "typed": gettext_noop("typed"),
    "serial": gettext_noop("reader"),
}

VEHICLE_KINDS: dict[str, Message] = {
    "freight": gettext_noop("freight delivery"),
    "delegation": gettext_noop("delegation"),
    "transit": gettext_noop("transit"),
    "coach": gettext_noop("fixed-route coach"),
    "car": gettext_noop("car under 7 seats"),
}
# the police screen's keys for an unregistered plate's kind, in kiosk.vehicles.KINDS order
KIND_KEYS = ("1", "2", "3", "4", "5")
KIND_QUESTION = gettext_noop("Not registered: what kind of vehicle? Press 1–5.")
OVERDUE_TITLE = gettext_noop("Freight past its {hours} h stay:")
OVERDUE_LINE = gettext_noop("{plate} · inside since {since}")
VEHICLE_EXIT = gettext_noop("Record exit")
# "Record exit" with the plate field empty: what to do, not only that nothing was typed
EXIT_PLATE_MISSING = gettext_noop("Type the vehicle's plate, then press Record exit ({key}).")
EXIT_DONE = gettext_noop("Exit recorded: {plate}.")
OCCUPANTS_OF = gettext_noop("Occupants of:")
NO_VEHICLE = gettext_noop("(not from a vehicle)")
OCCUPANTS_CHECKED = ngettext_noop("{count} occupant checked", "{count} occupants checked", "count")
PRINT_HANDOVER = gettext_noop("Print the quarantine handover list")
HANDOVER_WRITTEN = gettext_noop("Handover list: {path} ({count} people)")
ON_CODE_LINE = gettext_noop("On the code: {line}")
FIELD_FROM_ZONE = gettext_noop("Passed through or came from an epidemic zone in the last 14 days")
# the assistant's review step and printing (issue 15)
REVIEW_TITLE = gettext_noop("Read this back to the person: is everything right?")
REVIEW_EDIT = gettext_noop("Edit")
REVIEW_CONFIRM = gettext_noop("Confirm and save")
REVIEW_NONE = gettext_noop("none")
REVIEW_YES = gettext_noop("Yes")
REVIEW_NO = gettext_noop("No")
RECEIPT_PAPER = gettext_noop("Receipt paper:")
PAPERS: dict[str, Message] = {
    "a5": gettext_noop("A5 sheet"),
    "roll80": gettext_noop("80 mm roll (receipt printer)"),
}
PRINT_AGAIN = gettext_noop("Print the receipt again")
PRINTED = gettext_noop("Receipt {receipt} sent to the printer.")
PRINT_CANCELLED = gettext_noop(
    "The receipt was not printed. The declaration is saved: press “Print the receipt again”."
)
PRINT_FAILED = gettext_noop(
    "The printer did not take the receipt. The declaration is saved: check the printer "
    "(paper, cable, power), then press “Print the receipt again”."
)
PAPER_NOT_KEPT = gettext_noop("The paper is used now but could not be kept for next time: {error}")
