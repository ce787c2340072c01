"""The review archive: the only code that talks to the database, through SQLAlchemy.

Scored reviews, their artifacts and e-mail deliveries go in; the previous quarter, the trend and
`reportgen history` come out, as `domain.history` records. `repository.Archive` is the entry
point; `engine` opens and migrates the database; `tables` is the schema; `agenda` records and
reads back a review's decisions and actions. Imports nothing of reportgen but `domain`,
`errors` and `locks`. See docs/archive.md.
"""

from .repository import Archive

__all__ = ["Archive"]
