"""EU Digital COVID Certificates (HCERT, "HC1:" codes): decoding, signature and trust, rules.

Vietnam's vaccine passport (PC-Covid, from April 2022) is one, signed with PS256; other
countries' are mostly ES256. The format and the trust store are in docs/formats.md.
"""
