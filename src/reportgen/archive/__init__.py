"""The review archive (SPEC 6): the only code that talks to the database, through SQLAlchemy.

Scored reviews, their artifacts and email deliveries go in; the previous quarter, the trend and
`reportgen history` come out. See `repository.Archive`.
"""

from .repository import Archive, ArchivedReview, ArtifactRecord, Delivery, ReviewRow

__all__ = ["Archive", "ArchivedReview", "ArtifactRecord", "Delivery", "ReviewRow"]
