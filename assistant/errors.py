"""Every error the framework raises on purpose. Messages say how to fix the problem."""

from __future__ import annotations

import math

__all__ = [
    "BusyError",
    "ConfigError",
    "InputError",
    "ModelError",
    "NotFoundError",
    "PluginError",
    "RaiError",
    "ReviewError",
    "StorageError",
]


class RaiError(Exception):
    """Base of all rai-assistant errors; the CLI prints its message and exits non-zero."""


class PluginError(RaiError):
    """Seen by plugin authors at start-up: a bad registration, duplicate name or unknown hook."""


class ConfigError(RaiError):
    """Seen by operators: the configuration is invalid or leaves a policy clause uncovered."""


class InputError(RaiError):
    """Seen by end users: the request is empty, too long, malformed or of the wrong type."""


class ModelError(RaiError):
    """Seen by end users: the model is missing, failed or timed out; no draft was produced."""


class NotFoundError(RaiError):
    """Seen by reviewers: the draft, feature or model named does not exist."""


class ReviewError(RaiError):
    """Seen by reviewers: the accept/reject/edit is not allowed in the draft's current state."""


class StorageError(RaiError):
    """Seen by operators: the drafts or audit database cannot be read or written, or was altered."""


class BusyError(RaiError):
    """Seen by API clients: too many requests from them (429) or for the server (503); retry later."""

    def __init__(self, message: str, *, status: int, retry_after: float) -> None:
        super().__init__(message)
        self.status = status
        self.retry_after = max(1, math.ceil(retry_after))
