from datetime import timedelta

import pytest

from kiosk.rules import REASON_VERDICTS, DeclarationFacts, Facts, Verdict, decide
from tests.kiosk.conftest import NOW

LATER = NOW + timedelta(days=3)
APPROVED = DeclarationFacts("approved", LATER)


@pytest.mark.parametrize(
    ("facts", "verdict", "reason"),
    [
        (Facts(declaration=APPROVED), Verdict.ALLOW, "approved"),
        (Facts(declaration=DeclarationFacts("pending", LATER)), Verdict.ATTENTION, "pending"),
        (Facts(), Verdict.ATTENTION, "not_found"),
        (Facts(signed_not_cached=True), Verdict.ATTENTION, "signed_not_cached"),
        (Facts(declaration=APPROVED, epidemic_zone="TP. HCM"), Verdict.ATTENTION, "epidemic_zone"),
        (
            Facts(declaration=DeclarationFacts("approved", LATER, ("fever",))),
            Verdict.ATTENTION,
            "symptoms",
        ),
        (Facts(declaration=DeclarationFacts("rejected", LATER)), Verdict.DENY, "rejected"),
        (Facts(declaration=DeclarationFacts("approved", NOW)), Verdict.DENY, "expired"),
        (Facts(token_problem="forged"), Verdict.DENY, "forged"),
        (Facts(id_inconsistent=True), Verdict.DENY, "id_inconsistent"),
    ],
)
def test_each_reason_has_its_verdict(facts, verdict, reason):
    d = decide(facts, NOW)
    assert (d.verdict, d.reason) == (verdict, reason)
    assert REASON_VERDICTS[reason] == verdict


def test_problem_with_the_code_outranks_what_the_cache_says():
    facts = Facts(token_problem="expired", declaration=APPROVED)
    assert decide(facts, NOW).reason == "expired"


def test_refusal_outranks_a_warning():
    facts = Facts(declaration=DeclarationFacts("rejected", LATER), epidemic_zone="Z")
    assert decide(facts, NOW).reason == "rejected"


def test_epidemic_zone_outranks_symptoms_and_pending():
    facts = Facts(declaration=DeclarationFacts("pending", LATER, ("cough",)), epidemic_zone="Z")
    assert decide(facts, NOW).reason == "epidemic_zone"
    facts = Facts(declaration=DeclarationFacts("pending", LATER, ("cough",)))
    assert decide(facts, NOW).reason == "symptoms"


def test_approved_person_from_epidemic_zone_is_not_waved_through():
    assert decide(Facts(declaration=APPROVED, epidemic_zone="Z"), NOW).verdict is not Verdict.ALLOW
