"""The local SMTP server fixture of test_send.py, for the other delivery tests too."""

from delivery.test_send import serve  # noqa: F401  (a fixture: found by pytest by its name)
