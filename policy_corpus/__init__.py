"""The built-in policy: Betterworks' Responsible AI Policy, registered like any plugin's policy.

The text ships unchanged as ``responsible-ai-policy.txt`` (its web-page first line and the lost
contact e-mail addresses are handled by :func:`rai_assistant.policy.parse_policy`, not by editing the
file). Beside it, ``responsible-ai-policy.hints.toml`` holds plain-language retrieval hints per
clause; :class:`rai_assistant.retrieval.PolicyIndex` finds them through the document's ``source``
(see :func:`rai_assistant.policy.hints_for`), as it would for any policy file with such a sidecar.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from importlib import resources

from rai_assistant import hookspecs
from rai_assistant.config import AppConfig
from rai_assistant.hookspecs import implements
from rai_assistant.policy import DEFAULT_POLICY_ID, hints_for, load_policy_file, parse_policy
from rai_assistant.types import PolicyDocument

__all__ = [
    "POLICY_FILE",
    "builtin_policy",
    "local_policies",
    "register_policies",
    "retrieval_hints",
]

POLICY_FILE = "responsible-ai-policy.txt"


@functools.cache
def builtin_policy() -> PolicyDocument:
    """The built-in policy, parsed once per process (the text is read from the package)."""
    resource = resources.files(__name__).joinpath(POLICY_FILE)
    text = resource.read_text(encoding="utf-8")
    # The source is the file's real path, so that its hints sidecar can be found beside it.
    return parse_policy(text, DEFAULT_POLICY_ID, source=str(resource))


def retrieval_hints() -> dict[str, tuple[str, ...]]:
    """Plain-language descriptions of each built-in clause, keyed by clause id."""
    return hints_for(builtin_policy())


def local_policies(config: AppConfig) -> list[PolicyDocument]:
    """The policy files added with ``rai policy add``, each with its own id and version."""
    folder = config.policy_dir()
    if not folder.is_dir():
        return []
    return [
        load_policy_file(path)
        for path in sorted(folder.iterdir())
        if path.suffix.lower() in {".md", ".txt", ".markdown"} and path.is_file()
    ]


@implements(hookspecs.register_policies)
def register_policies(register: Callable[[PolicyDocument], None], config: AppConfig) -> None:
    """Register the built-in Responsible AI Policy (id ``betterworks-rai``, bare clause ids), then
    the company policies added with ``rai policy add`` (ids prefixed with their policy id)."""
    register(builtin_policy())
    for document in local_policies(config):
        register(document)
