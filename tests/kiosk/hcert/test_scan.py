"""An HC1 QR as a traveller shows it: a real QR image, read by the camera's own pipeline."""

from __future__ import annotations

import segno

from kiosk.hcert.checker import HcertChecker
from kiosk.storage.hcert import SignerRow
from scanner.pipeline import decode_image_file

from .vectors import NOW, hc1, make_dsc


def test_a_printed_hc1_qr_is_read_and_verified(store, tmp_path):
    dsc = make_dsc("PS256", fresh_key=False)
    text = hc1(dsc)
    qr = segno.make_qr(text, error="q")  # alphanumeric mode, as issuers print it
    assert qr.mode == "alphanumeric"
    png = tmp_path / "hc1.png"
    qr.save(png, scale=4, border=4)

    result = decode_image_file(png)
    assert [c.text for c in result.codes] == [text]

    s = dsc.signer()
    store.hcert.add_signer(
        SignerRow(s.fingerprint, s.kid, s.country, s.not_before, s.not_after, s.cert_der), NOW
    )
    checker = HcertChecker(store, checkpoint_id="c1", operator_id="medic-1")
    verdict = checker.check(result.codes[0].text, "camera", NOW)
    assert verdict.reason == "hc1_valid_vaccination"
