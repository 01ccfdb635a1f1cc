"""The ways a pull can stop, sorted by whether trying again could help."""

from __future__ import annotations


class SourceError(RuntimeError):
    """A pull stopped; ``retryable`` says whether a later attempt could succeed."""

    retryable = False

    def __init__(self, source: str, message: str) -> None:
        super().__init__(f"[{source}] {message}")
        self.source = source
        self.detail = message
        self.partial_payload: object = None  # what had arrived before the pull stopped


class SourceConfigError(SourceError):
    """The YAML declaration or the connection is missing or malformed."""


class SourceAuthError(SourceError):
    """The system refused the credentials (401/403): retrying with the same ones is useless."""


class SourceRequestError(SourceError):
    """The system rejected the request itself (another 4xx)."""


class SourceUnavailableError(SourceError):
    """Server errors or time-outs persisted through every retry."""

    retryable = True


class SourceShapeError(SourceError):
    """The answer no longer has the declared shape (a field missing, a new type)."""


class SourceIncompleteError(SourceError):
    """The answer is missing records (a page dropped, counts that do not add up)."""


class SourceTooLargeError(SourceError):
    """The answer is larger than the declared limits (bytes of an answer, records of a pull)."""
