import re
from pathlib import Path

from kiosk import messages
from kiosk.rules import REASON_VERDICTS

ROOT = Path(__file__).resolve().parents[2]
VIETNAMESE = re.compile(
    r"[ăâđêôơưàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ]", re.IGNORECASE
)


def test_every_reason_speaks_both_languages_and_vietnamese_has_its_letters():
    for reason in REASON_VERDICTS:
        vi, en = messages.REASONS[reason]
        assert vi and en and vi != en
        assert VIETNAMESE.search(vi), reason


def test_every_error_code_raised_in_the_core_has_words():
    raised = set()
    for path in (ROOT / "kiosk").rglob("*.py"):
        raised |= set(
            re.findall(
                r'(?:InputError|SignInError|EnvironmentProblem)\("([a-z_0-9]+)"',
                path.read_text(encoding="utf-8"),
            )
        )
    assert raised, "the scan found nothing: the pattern is wrong"
    missing = raised - set(messages.ERRORS) - set(messages.REASONS)
    assert missing == set()


def test_every_ui_text_has_both_languages():
    for key, (vi, en) in messages.UI.items():
        assert vi and en, key


def test_reason_text_fills_parameters_in_each_language():
    assert "sốt, khó thở" in messages.reason_text(
        "symptoms", {"symptoms": "fever,breathless"}, "vi"
    )
    assert "fever" in messages.reason_text("symptoms", {"symptoms": "fever"}, "en")
    assert messages.reason_text("expired", {"date": "01/12/2026"}, "vi").endswith(
        "ngày 01/12/2026."
    )
    assert "{" not in messages.reason_text("approved", {}, "vi")
