import ast
import re
import string
from pathlib import Path

import pytest

from kiosk import messages
from kiosk.catalogue import Plural
from kiosk.rules import REASON_VERDICTS, SYMPTOMS

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE
)
INPUT_ERRORS = {"InputError", "SignInError", "EnvironmentProblem", "KioskError"}


def _name(node: ast.AST) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _strings_reaching(param: str, func: ast.FunctionDef, tree: ast.Module) -> set[str]:
    """String literals that can arrive in `param` of `func`: its default and its call sites."""
    args = func.args.args
    names = [a.arg for a in args]
    if param not in names:
        return set()
    index = names.index(param)
    found = set()
    with_defaults = names[len(names) - len(func.args.defaults) :]
    defaults = dict(zip(with_defaults, func.args.defaults, strict=True))
    if isinstance(defaults.get(param), ast.Constant):
        found.add(defaults[param].value)
    for call in ast.walk(tree):
        if isinstance(call, ast.Call) and _name(call.func) == func.name:
            values = call.args[index : index + 1]
            values += [k.value for k in call.keywords if k.arg == param]
            found |= {v.value for v in values if isinstance(v, ast.Constant)}
    return found


def _code_argument(call: ast.Call) -> tuple[str | None, ast.AST | None]:
    """('error' or 'reason', the argument that carries the code) for calls that report one."""
    called = _name(call.func)
    if called in INPUT_ERRORS and call.args:
        return "error", call.args[0]
    if called in ("TokenError", "decision") and call.args:
        return "reason", call.args[0]
    if called == "ImageResult" and len(call.args) >= 4:  # scanner: a file that is no image
        return "error", call.args[3]
    if called == "emit" and _name(call.func.value) == "refused":  # ui: bytes that are no text
        # refused(code) or refused(code, source): the code comes first; a name passes one on
        first = call.args[0] if call.args else None
        return ("error", first) if isinstance(first, ast.Constant) else (None, None)
    return None, None


def _codes_in(path: Path) -> tuple[dict[str, set[str]], list[str]]:
    """Codes the file can raise or report, by kind, and the sites it could not follow."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    parents = {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}
    codes: dict[str, set[str]] = {"error": set(), "reason": set()}
    unresolved = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            # the declaration form reports {field: error code}
            for target in node.targets:
                if isinstance(target, ast.Subscript) and _name(target.value) == "errors":
                    codes["error"].add(node.value.value)
        if not isinstance(node, ast.Call):
            continue
        kind, arg = _code_argument(node)
        if kind is None:
            continue
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            codes[kind].add(arg.value)
        elif isinstance(arg, ast.IfExp | ast.BoolOp):  # "a" if ... else "b", x or "b"
            options = (arg.body, arg.orelse) if isinstance(arg, ast.IfExp) else arg.values
            codes[kind] |= {a.value for a in options if isinstance(a, ast.Constant)}
        elif isinstance(arg, ast.Name):  # a helper's parameter: follow its callers
            scope = parents.get(node)
            while scope is not None and not isinstance(scope, ast.FunctionDef):
                scope = parents.get(scope)
            reaching = _strings_reaching(arg.id, scope, tree) if scope else set()
            if reaching:
                codes[kind] |= reaching
            else:
                unresolved.append(f"{path.name}:{node.lineno}")
        elif not isinstance(arg, ast.Attribute):  # exc.code, facts.token_problem: passed on
            unresolved.append(f"{path.name}:{node.lineno}")
    return codes, unresolved


def _all_codes() -> tuple[dict[str, set[str]], list[str]]:
    total: dict[str, set[str]] = {"error": set(), "reason": set()}
    unresolved: list[str] = []
    for package in ("kiosk", "scanner", "sync", "ui"):
        for path in (ROOT / package).rglob("*.py"):
            codes, loose = _codes_in(path)
            for kind in total:
                total[kind] |= codes[kind]
            unresolved += loose
    return total, unresolved


def test_the_code_scan_finds_the_codes_it_must():
    codes, _ = _all_codes()
    # literal, through a helper's default, through a helper's call site, form fields, scanner
    assert {"id_bad_province", "cccd_malformed", "personal_qr_malformed", "disk_full"} <= (
        codes["error"]
    )
    assert {"form_name", "form_required", "image_unreadable", "not_utf8"} <= codes["error"]
    assert {"forged", "unknown_key", "unreadable", "card_valid", "not_found"} <= codes["reason"]


def test_every_error_code_raised_anywhere_has_words_in_both_languages():
    codes, unresolved = _all_codes()
    assert unresolved == [], "a code raised from a variable this test cannot follow"
    missing = codes["error"] - set(messages.ERRORS)
    assert missing == set()
    for code in codes["error"]:
        vi = messages.error_text(code, "vi")
        en = messages.error_text(code, "en")
        assert vi and en and vi != en, code
        assert VIETNAMESE.search(vi), code


def test_every_reason_given_anywhere_has_a_verdict_and_words():
    codes, _ = _all_codes()
    assert codes["reason"] - set(REASON_VERDICTS) == set()
    assert set(REASON_VERDICTS) <= set(messages.REASONS)


def test_every_reason_speaks_both_languages_and_vietnamese_has_its_letters():
    for reason in REASON_VERDICTS:
        vi, en = (messages.text(messages.REASONS[reason], lang) for lang in ("vi", "en"))
        assert vi and en and vi != en, reason
        assert VIETNAMESE.search(vi), reason
        assert not VIETNAMESE.search(en.replace("Huế", "")), reason


def test_every_verdict_word_has_both_languages():
    # the window's own words are checked with the catalogues (tests/kiosk/test_catalogue.py)
    for verdict in ("allow", "attention", "deny"):
        assert VIETNAMESE.search(messages.verdict_word(verdict, "vi"))
        assert messages.verdict_word(verdict, "en").isascii()


def _placeholders(message: messages.Message) -> set[str]:
    templates = [message.singular, message.plural] if isinstance(message, Plural) else [message]
    return {n for t in templates for _, n, _, _ in string.Formatter().parse(t) if n}


@pytest.mark.parametrize("lang", messages.LANGUAGES)
@pytest.mark.parametrize("reason", sorted(REASON_VERDICTS))
def test_reason_text_fills_every_parameter(reason, lang):
    params = {n: f"<{n}-value>" for n in _placeholders(messages.REASONS[reason])}
    if "symptoms" in params:
        params["symptoms"] = "fever"
    text = messages.reason_text(reason, params, lang)
    assert "{" not in text and "?" not in text, text
    for name, value in params.items():
        if name != "symptoms":
            assert value in text, (name, text)


def test_reason_text_puts_the_date_and_the_symptoms_in_words():
    assert "sốt, khó thở" in messages.reason_text(
        "symptoms", {"symptoms": "fever,breathless"}, "vi"
    )
    assert "fever, shortness of breath" in messages.reason_text(
        "symptoms", {"symptoms": "fever,breathless"}, "en"
    )
    # seed 000 part I.2.a, seed 004 part II: a declaration every day, so an expired one is
    # declared again today
    assert "hết hạn ngày 01/12/2026: khai báo lại ngay hôm nay" in messages.reason_text(
        "expired", {"date": "01/12/2026"}, "vi"
    )
    assert "on 01/12/2026: declare again today" in messages.reason_text(
        "expired", {"date": "01/12/2026"}, "en"
    )
    assert messages.reason_text("expired", {}, "en").startswith(
        "Declaration or code expired: declare again today"
    )
    assert "TP. Hồ Chí Minh" in messages.reason_text(
        "epidemic_zone", {"zone": "TP. Hồ Chí Minh"}, "vi"
    )


def test_every_symptom_the_rules_know_has_words():
    for symptom in SYMPTOMS:
        vi, en = messages.symptom_word(symptom, "vi"), messages.symptom_word(symptom, "en")
        assert vi and en and vi != en, symptom


def test_a_symptom_code_this_kiosk_does_not_know_is_shown_not_crashed_on():
    # symptoms arrive from the server; a newer server may know more of them
    text = messages.reason_text("symptoms", {"symptoms": "fever,loss_of_smell"}, "vi")
    assert "sốt" in text and "loss_of_smell" in text


def test_error_text_fills_its_parameters():
    assert messages.error_text("pin_wrong", "vi", left=2) == "Sai mã PIN. Còn 2 lần thử."
    assert messages.error_text("locked", "en", minutes=5).endswith("locked for 5 minutes.")


def test_a_count_chooses_the_plural_form_in_each_language():
    assert messages.error_text("pin_wrong", "en", left=1) == "Wrong PIN. 1 try left."
    assert messages.error_text("pin_wrong", "en", left=2) == "Wrong PIN. 2 tries left."
    # Vietnamese has one form: "còn 1 lần thử", "còn 2 lần thử"
    assert messages.error_text("pin_wrong", "vi", left=1) == "Sai mã PIN. Còn 1 lần thử."
    assert messages.error_text("locked", "en", minutes=1).endswith("locked for 1 minute.")
    # reasons carry their parameters as text, as they are stored
    one, three = {"count": "1", "until": "07/12"}, {"count": "3", "until": "07/12"}
    assert messages.reason_text("card_quota_used", one, "en") == (
        "Entry already used (1 allowed until 07/12)."
    )
    assert messages.reason_text("card_quota_used", three, "en") == "All 3 entries used until 07/12."
    assert messages.reason_text("card_quota_used", three, "vi") == (
        "Đã dùng hết 3 lượt đến ngày 07/12."
    )
