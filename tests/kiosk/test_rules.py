from datetime import timedelta

import pytest

from kiosk.rules import REASON_VERDICTS, DeclarationFacts, Facts, Verdict, decide
from tests.kiosk.conftest import NOW

LATER = NOW + timedelta(days=3)
APPROVED = DeclarationFacts("approved", LATER)
PENDING = DeclarationFacts("pending", LATER)
REJECTED = DeclarationFacts("rejected", LATER)
EXPIRED = DeclarationFacts("approved", NOW)  # valid until this very moment: no longer valid
SICK = DeclarationFacts("approved", LATER, ("fever", "cough"))


@pytest.mark.parametrize(
    ("facts", "verdict", "reason"),
    [
        (Facts(declaration=APPROVED), Verdict.ALLOW, "approved"),
        (Facts(declaration=PENDING), Verdict.ATTENTION, "pending"),
        (Facts(), Verdict.ATTENTION, "not_found"),
        (Facts(signed_not_cached=True), Verdict.ATTENTION, "signed_not_cached"),
        (Facts(declaration=APPROVED, epidemic_zone="TP. HCM"), Verdict.ATTENTION, "epidemic_zone"),
        (Facts(declaration=SICK), Verdict.ATTENTION, "symptoms"),
        (Facts(declaration=REJECTED), Verdict.DENY, "rejected"),
        (Facts(declaration=EXPIRED), Verdict.DENY, "expired"),
        (Facts(token_problem="forged"), Verdict.DENY, "forged"),
        (Facts(token_problem="unknown_key"), Verdict.DENY, "unknown_key"),
        (Facts(token_problem="unreadable"), Verdict.DENY, "unreadable"),
        (Facts(token_problem="expired"), Verdict.DENY, "expired"),
        (Facts(id_inconsistent=True), Verdict.DENY, "id_inconsistent"),
    ],
)
def test_each_reason_has_its_verdict(facts, verdict, reason):
    d = decide(facts, NOW)
    assert (d.verdict, d.reason) == (verdict, reason)
    assert REASON_VERDICTS[reason] == verdict


# Each row: facts that hold at once, and the reason that must win. Together they walk the
# order token problem > id_inconsistent > rejected > expired > epidemic_zone > symptoms >
# not found / signed-not-cached > pending > approved.
@pytest.mark.parametrize(
    ("facts", "reason"),
    [
        (
            Facts(token_problem="forged", id_inconsistent=True, declaration=REJECTED),
            "forged",
        ),
        (Facts(token_problem="expired", declaration=APPROVED), "expired"),
        (Facts(token_problem="unknown_key", signed_not_cached=True), "unknown_key"),
        (Facts(id_inconsistent=True, declaration=REJECTED, epidemic_zone="Z"), "id_inconsistent"),
        (Facts(id_inconsistent=True, declaration=APPROVED), "id_inconsistent"),
        (Facts(declaration=DeclarationFacts("rejected", NOW, ("fever",))), "rejected"),
        (Facts(declaration=REJECTED, epidemic_zone="Z"), "rejected"),
        (Facts(declaration=EXPIRED, epidemic_zone="Z"), "expired"),
        (Facts(declaration=DeclarationFacts("pending", NOW, ("cough",))), "expired"),
        (Facts(declaration=SICK, epidemic_zone="Z"), "epidemic_zone"),
        (Facts(declaration=PENDING, epidemic_zone="Z"), "epidemic_zone"),
        (Facts(epidemic_zone="Z"), "epidemic_zone"),
        (Facts(declaration=DeclarationFacts("pending", LATER, ("cough",))), "symptoms"),
        (Facts(signed_not_cached=True), "signed_not_cached"),
        (Facts(declaration=PENDING, signed_not_cached=True), "pending"),
        (Facts(declaration=APPROVED, signed_not_cached=True), "approved"),
    ],
)
def test_the_weightier_reason_wins(facts, reason):
    assert decide(facts, NOW).reason == reason


def test_approved_person_from_epidemic_zone_is_not_waved_through():
    d = decide(Facts(declaration=APPROVED, epidemic_zone="TP. Hồ Chí Minh"), NOW)
    assert d.verdict is Verdict.ATTENTION
    assert d.params == {"zone": "TP. Hồ Chí Minh"}


def test_approval_and_expiry_carry_the_date_in_vietnamese_order():
    assert decide(Facts(declaration=APPROVED), NOW).params == {"date": "25/11/2026"}
    assert decide(Facts(declaration=EXPIRED), NOW).params == {"date": "22/11/2026"}


def test_symptoms_are_passed_on_as_codes():
    assert decide(Facts(declaration=SICK), NOW).params == {"symptoms": "fever,cough"}


def test_a_declaration_valid_one_second_more_is_still_approved():
    facts = Facts(declaration=DeclarationFacts("approved", NOW + timedelta(seconds=1)))
    assert decide(facts, NOW).reason == "approved"


def test_an_unknown_declaration_status_is_a_bug_not_an_approval():
    with pytest.raises(ValueError):
        decide(Facts(declaration=DeclarationFacts("maybe", LATER)), NOW)
