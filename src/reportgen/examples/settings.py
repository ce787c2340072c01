"""The commented `reportgen.toml` that `reportgen init` writes; every value shown is the default."""

SETTINGS_TEMPLATE = """\
# reportgen settings. Every key is optional: delete what you do not change.
# Environment variables override this file: REPORTGEN_ARCHIVE, REPORTGEN_SMTP_HOST,
# REPORTGEN_SMTP_PORT, REPORTGEN_SMTP_SECURITY, REPORTGEN_SMTP_USER, REPORTGEN_SMTP_FROM and
# REPORTGEN_SMTP_PASSWORD (the password is read from the environment only, never from here).

# archive = "sqlite:///outputs/archive.sqlite"   # any SQLAlchemy URL; default: <out>/archive.sqlite
# templates = "templates"                        # your template overrides, looked up first
# word_reference = "reference.docx"              # your Word styles (like pandoc's reference.docx)
render_timeout = 120                             # seconds one pack may take to render
date_format = "%-d %b %Y"                        # dates in the pack: 14 Oct 2025 (strftime)
language = "en"                                  # en, de, fr or ja (a BCP 47 tag such as de-AT)
attention_limit = 7                              # attention items on the summary page (1-8);
                                                 # the full list is in Appendix A

[scoring]
# Points a KPI earns, as a share of its weight, by status.
green = 1.0
amber = 0.75
red = "1/3"
no_data = 0.0
# Overall status from the overall score (0-100).
green_from = 85
amber_from = 70

[risk_bands]
# Risk score = Probability x Impact (1-25). Lower bound of each rating; below medium is Low.
medium_from = 5
high_from = 10
critical_from = 15

[branding]
organisation = ""                 # printed on the cover and as the PDF author
# logo = "logo.png"               # PNG or JPEG (both packs) or SVG (PDF only), relative to
                                  # this file; shown on a white plate on the cover
primary_colour = "#1F3A5F"
accent_colour = "#2E7D8C"
font = "Inter"

[page]
size = "A4"                       # A4, Letter, A3 or Legal
orientation = "landscape"         # or "portrait"

[smtp]
host = "localhost"
port = 587
security = "starttls"             # starttls (default), ssl, or none for a local relay
user = ""
sender = ""                       # From: address, e.g. "Alliance Office <alliances@example.com>"
timeout = 30

[delivery]                        # each recipient's copy (docs/email.md, "Protected copies")
watermark = false                 # "Prepared for NAME, ORGANISATION · DATE · CONFIDENTIAL"
encrypt = false                   # AES-256; passwords generated into r<N>/passwords.txt (0600)

# [signing]                       # sign every PDF (PAdES); the passphrase only in the
# pkcs12 = "qbr-signer.p12"       # environment: REPORTGEN_SIGNING_PASSPHRASE
# trust = "our-ca.pem"            # the CA `reportgen verify` checks signers against
"""
