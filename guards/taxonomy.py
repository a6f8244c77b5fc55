"""The acceptable-use categories and the one policy clause each falls under.

Shared by every guard that names acceptable-use categories (the offline classifier, the LLM
judge, the eval scorer), so a category can never map to two clauses.
"""

from __future__ import annotations

__all__ = ["CATEGORY_CLAUSE"]

#: Each block category of the acceptable-use policy (section 4) and its clause.
CATEGORY_CLAUSE: dict[str, str] = {
    "deceptive_provenance": "4.1",
    **dict.fromkeys(
        (
            "hate",
            "harassment",
            "violence",
            "child_harm",
            "self_harm",
            "sexual",
            "illegal",
            "misinformation",
            "pii_misuse",
            "malware_spam",
        ),
        "4.2",
    ),
    **dict.fromkeys(
        ("economic_harm", "adult_dating", "financial_advice", "medical_advice", "political_campaigning"),
        "4.3",
    ),
    "infringement": "4.4",
    "reverse_engineering": "4.5",
    "model_training": "4.6",
    "data_extraction": "4.7",
}
