"""The message catalogues a translator works on: complete, in step with the code, compiled.

Both domains are checked here, the core's (kiosk/locale) and the window's (ui/locale): one
extractor (Babel's, as `make messages` runs it) and one rule for both.
"""

import ast
import string
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kiosk import catalogue, messages
from ui import texts

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))

from update_catalogues import DOMAINS, compiled, extract, po_path  # noqa: E402

# Where the Vietnamese rightly reads as the English: a loanword, a name, a sample.
SAME_IN_BOTH = {"camera", "Camera: {name}"}
# The tables that turn a code or a value into a sentence: looked up with a code, never a key
# put together at run time.
TABLES = {
    "VERDICT_WORDS",
    "REASONS",
    "SYMPTOM_WORDS",
    "ERRORS",
    "WITHOUT_PARAM",
    "WEEKDAY_WORDS",
    "ROLES",
    "SCREENS",
    "FIELDS",
    "HINTS",
    "SEXES",
    "TRANSPORTS",
    "SOURCES",
    "VEHICLE_KINDS",
}
# lookup function -> the position of its message or code argument
LOOKUPS = {"tr": 0, "text": 0, "error_text": 0, "reason_text": 0, "verdict_word": 0}


def _read(domain: str, lang: str = "vi"):
    with po_path(domain, lang).open("rb") as f:
        return read_po(f, locale=lang, domain=domain)


def _entries(domain: str):
    return [m for m in _read(domain) if m.id]


def _python_files():
    for package in ("kiosk", "ui", "scanner", "sync"):
        yield from (ROOT / package).rglob("*.py")


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_the_catalogue_holds_exactly_the_sentences_the_code_marks(domain):
    in_code = {m.id for m in extract(domain) if m.id}
    in_catalogue = {m.id for m in _entries(domain)}
    assert in_code, "the extractor found nothing: the markers changed?"
    assert in_code - in_catalogue == set(), "run `make messages`, then translate"
    assert in_catalogue - in_code == set(), "run `make messages`: sentences no longer used"


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_every_sentence_of_the_vietnamese_interface_is_translated(domain):
    catalog = _read(domain)
    assert catalog.num_plurals == 1  # Vietnamese: "còn 1 lần thử", "còn 2 lần thử"
    untranslated = []
    for m in _entries(domain):
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        english = m.id if isinstance(m.id, tuple) else (m.id,)
        if m.fuzzy or len(forms) != catalog.num_plurals or not all(forms):
            untranslated.append(m.id)
        elif any(f in english for f in forms) and english[0] not in SAME_IN_BOTH:
            untranslated.append(m.id)  # the English copied across is no translation
    assert untranslated == []


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_every_translation_keeps_the_placeholders_of_its_english(domain):
    for m in _entries(domain):
        english = m.id if isinstance(m.id, tuple) else (m.id,)
        forms = m.string if isinstance(m.string, tuple) else (m.string,)
        wanted = _placeholders(english[-1])  # the plural names them all (the singular may not)
        assert _placeholders(english[0]) <= wanted, m.id
        for form in forms:
            assert _placeholders(form) == wanted, (m.id, form)


@pytest.mark.parametrize("domain", sorted(DOMAINS))
def test_the_compiled_catalogue_is_what_its_source_says(domain):
    po = po_path(domain, "vi")
    assert po.with_suffix(".mo").read_bytes() == compiled(po), "run `make messages`"


def test_a_plural_chooses_its_form_by_the_count():
    assert texts.tr(texts.SYNC_ONLINE, "en", when="10:00", pending=1).endswith("1 record to send")
    assert texts.tr(texts.SYNC_ONLINE, "en", when="10:00", pending=3).endswith("3 records to send")
    assert texts.tr(texts.SYNC_ONLINE, "vi", when="10:00", pending=1).endswith("1 bản ghi chờ gửi")
    one = texts.tr(texts.MARKET_COUNT, "en", entered=1, inside=0)
    assert one.startswith("Whole market today: 1 entry ·")


def test_a_language_the_kiosk_does_not_speak_is_refused():
    with pytest.raises(ValueError):
        messages.text(messages.NONE_LEFT, "fr")


def _calls_named(tree: ast.AST, names) -> list[ast.Call]:
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            f = node.func
            name = (
                f.id if isinstance(f, ast.Name) else f.attr if isinstance(f, ast.Attribute) else ""
            )
            if name in names:
                found.append(node)
    return found


def _built_at_run_time(node: ast.AST) -> bool:
    return isinstance(node, ast.JoinedStr | ast.BinOp) or (
        isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr == "format"
    )


def test_no_message_key_is_built_at_run_time():
    built = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        where = path.relative_to(ROOT)
        for node in ast.walk(tree):
            if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name | ast.Attribute):
                table = node.value.id if isinstance(node.value, ast.Name) else node.value.attr
                if table in TABLES and _built_at_run_time(node.slice):
                    built.append(f"{where}:{node.lineno}")
        for call in _calls_named(tree, LOOKUPS):
            if call.args and _built_at_run_time(call.args[0]):
                built.append(f"{where}:{call.lineno}")
        for call in _calls_named(tree, catalogue.EXTRACT_KEYWORDS):
            literal = all(
                isinstance(a, ast.Constant) and isinstance(a.value, str) for a in call.args
            )
            if not literal:  # the extractor sees literals only
                built.append(f"{where}:{call.lineno}")
    assert built == []


def test_no_sentence_reaches_the_screen_without_the_catalogue():
    # tr(...) and messages.text(...) take a marked sentence (a name from texts or messages), never
    # a bare literal: an unmarked literal would never be extracted, so never translated
    bare = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for call in _calls_named(tree, {"tr", "text"}):
            lookup = ast.unparse(call.func) in ("tr", "texts.tr", "messages.text")
            if lookup and call.args and isinstance(call.args[0], ast.Constant):
                bare.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert bare == []


def test_every_name_the_code_takes_from_the_catalogues_exists():
    modules = {"texts": texts, "messages": messages}
    missing = []
    for path in _python_files():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Attribute)
                and isinstance(node.value, ast.Name)
                and node.value.id in modules
                and not hasattr(modules[node.value.id], node.attr)
            ):
                missing.append(
                    f"{path.relative_to(ROOT)}:{node.lineno} {node.value.id}.{node.attr}"
                )
    assert missing == []


@pytest.mark.parametrize(
    "table",
    [texts.ROLES, texts.SCREENS, texts.FIELDS, texts.HINTS, texts.SEXES, texts.TRANSPORTS],
)
def test_every_word_a_value_chooses_speaks_both_languages(table):
    for value, message in table.items():
        vi, en = texts.tr(message, "vi"), texts.tr(message, "en")
        assert vi and en and vi != en, value
