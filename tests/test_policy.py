"""The policy corpus: clause ids, page chrome, lost addresses, other policies, hints, errors."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
from rai_assistant import policy_corpus
from rai_assistant.errors import ConfigError, InputError
from rai_assistant.plugin_manager import build_plugin_manager, collect
from rai_assistant.policy import hints_for, load_hints, load_policy_file, parse_policy

# The ids of /work/shared/policy/CLAUSES.md, in document order.
CLAUSE_IDS = [
    "1.overview",
    "2.purpose",
    "3.accountability",
    "3.collaboration",
    "3.compliance",
    "3.ethical-use",
    "3.privacy-security",
    "3.fairness",
    "3.human-control",
    "3.innovation",
    "3.public-trust",
    "4.1",
    "4.2",
    "4.3",
    "4.4",
    "4.5",
    "4.6",
    "4.7",
    "5.review",
    "5.enforcement",
    "6.contact",
]

HANDBOOK = """\
# Acme Employee Handbook

This handbook applies to every Acme employee and contractor.

## 1. Scope

It covers conduct, leave and expenses at all Acme sites.

## 2. Conduct

### 2.1 Respect at work

Treat colleagues with respect; bullying is a disciplinary matter.

### 2.2 Gifts

Do not accept gifts worth more than 50 euros from suppliers.

## 3. Leave

Employees agree to the following:

1. Report sickness to your manager before ten in the morning.
2. Ask for holidays at least two weeks ahead.
3. Parental leave follows the law of the country you work in.
"""


def test_builtin_policy_has_exactly_the_documented_clause_ids() -> None:
    doc = policy_corpus.builtin_policy()
    assert [c.id for c in doc.clauses] == CLAUSE_IDS
    assert doc.policy_id == "betterworks-rai"
    assert all(c.policy_id == "betterworks-rai" for c in doc.clauses)


def test_page_chrome_is_dropped_and_the_title_found() -> None:
    doc = policy_corpus.builtin_policy()
    assert doc.title == "Betterworks Responsible AI Policy"
    assert not any("big disconnects" in c.text for c in doc.clauses)
    assert doc.clause("1.overview") is not None
    assert doc.clause("1.overview").text.startswith("The Betterworks Responsible AI Policy outlines")


def test_contact_keeps_the_address_and_marks_the_lost_emails() -> None:
    contact = policy_corpus.builtin_policy().clause("6.contact")
    assert contact is not None
    assert "101 Jefferson Drive" in contact.text
    assert "Menlo Park, CA 94025" in contact.text
    # No sentence ends on a dangling "directed to" as if an address followed.
    for line in contact.text.splitlines():
        assert not line.rstrip().endswith("directed to"), line
    assert "security or privacy practices" in contact.text
    assert "missing in the source" in contact.text


def test_list_items_keep_the_lead_in_so_they_read_as_prohibitions() -> None:
    doc = policy_corpus.builtin_policy()
    item = doc.clause("4.3")
    assert item is not None
    assert "agree that they will not" in item.text
    assert "dating apps" in item.text
    assert "lobbying" in item.text
    assert item.section == "4. Acceptable Use of AI and LLM Technologies"
    assert "mislead" not in item.text  # item 1 belongs to 4.1 only


def test_requirements_section_is_split_into_review_and_enforcement() -> None:
    doc = policy_corpus.builtin_policy()
    review, enforcement = doc.clause("5.review"), doc.clause("5.enforcement")
    assert review is not None
    assert enforcement is not None
    assert "evaluate and review the output" in review.text
    assert "investigate and enforce" in enforcement.text
    assert "investigate" not in review.text


def test_version_is_the_hash_of_the_source_text() -> None:
    text = (Path(policy_corpus.__file__).parent / policy_corpus.POLICY_FILE).read_text("utf-8")
    doc = parse_policy(text, "betterworks-rai")
    assert doc.version == hashlib.sha256(text.encode()).hexdigest()[:16]
    assert all(c.policy_version == doc.version for c in doc.clauses)
    changed = parse_policy(text.replace("dating apps", "dating sites"), "betterworks-rai")
    assert changed.version != doc.version
    assert [c.id for c in changed.clauses] == CLAUSE_IDS


def test_other_markdown_policy_gets_prefixed_ids_from_its_numbering() -> None:
    doc = parse_policy(HANDBOOK, "acme-handbook")
    ids = [c.id for c in doc.clauses]
    assert ids == [
        "acme-handbook:preamble",
        "acme-handbook:1.scope",
        "acme-handbook:2.1",
        "acme-handbook:2.2",
        "acme-handbook:3.1",
        "acme-handbook:3.2",
        "acme-handbook:3.3",
    ]
    assert doc.title == "Acme Employee Handbook"
    gifts = doc.clause("acme-handbook:2.2")
    assert gifts is not None
    assert gifts.section == "2. Conduct"
    assert gifts.title == "Gifts"
    sick = doc.clause("acme-handbook:3.1")
    assert sick is not None
    assert "before ten in the morning" in sick.text


def test_headings_without_numbers_give_slug_ids() -> None:
    text = (
        "# Travel rules\n\n## Booking flights\n\nBook economy for flights under six hours.\n\n"
        "## Meals abroad\n\nMeals are refunded up to forty euros a day.\n"
    )
    doc = parse_policy(text, "travel")
    assert [c.id for c in doc.clauses] == ["travel:booking-flights", "travel:meals-abroad"]


def test_policy_file_is_loaded_with_its_stem_as_id(tmp_path: Path) -> None:
    path = tmp_path / "acme-handbook.md"
    path.write_text(HANDBOOK, encoding="utf-8")
    doc = load_policy_file(path)
    assert doc.policy_id == "acme-handbook"
    assert doc.source == str(path)
    assert doc.clause("acme-handbook:2.1") is not None


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("", "is empty"),
        ("  \n\t\n", "is empty"),
        ("\x00\x01\x02binary\x03", "does not look like text"),
        ("!!! ??? ... ---", "has no clauses"),
    ],
)
def test_empty_or_garbage_text_is_refused_with_a_hint(text: str, hint: str) -> None:
    with pytest.raises(InputError, match=hint):
        parse_policy(text, "junk")


def test_bad_policy_id_and_unreadable_files_are_refused(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="lowercase letters"):
        parse_policy(HANDBOOK, "Acme Handbook!")
    with pytest.raises(InputError, match="cannot read policy file"):
        load_policy_file(tmp_path / "missing.md")
    latin1 = tmp_path / "old.txt"
    latin1.write_bytes("Règles\n\nUne règle très simple pour tous.".encode("latin-1"))
    with pytest.raises(InputError, match="not UTF-8"):
        load_policy_file(latin1)


def test_aliases_that_do_not_fit_the_text_are_refused() -> None:
    with pytest.raises(InputError, match="aliases name clauses the text does not have"):
        parse_policy(HANDBOOK, "acme-handbook", aliases={"9.nothing": "9.x"})
    with pytest.raises(InputError, match="paragraphs"):
        parse_policy(HANDBOOK, "acme-handbook", aliases={"1.scope": ("1.a", "1.b")})


def test_register_policies_hook_registers_the_builtin_policy() -> None:
    registry = collect(build_plugin_manager(builtins=("rai_assistant.policy_corpus",), entry_points=False))
    assert list(registry.policies) == ["betterworks-rai"]
    assert [c.id for c in registry.policies["betterworks-rai"].clauses] == CLAUSE_IDS
    assert registry.plugin_of("policies", "betterworks-rai") == "rai_assistant.policy_corpus"


def test_every_builtin_clause_ships_retrieval_hints() -> None:
    hints = hints_for(policy_corpus.builtin_policy())
    assert set(hints) == set(CLAUSE_IDS)
    assert all(len(h) >= 3 for h in hints.values())


def test_hints_for_unknown_clauses_are_refused(tmp_path: Path) -> None:
    doc = parse_policy(HANDBOOK, "acme-handbook")
    good = tmp_path / "good.toml"
    good.write_text('[clauses."2.2"]\nhints = ["presents from vendors"]\n', encoding="utf-8")
    assert load_hints(good, doc) == {"acme-handbook:2.2": ("presents from vendors",)}
    bad = tmp_path / "bad.toml"
    bad.write_text('[clauses."7.9"]\nhints = ["nothing"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="lacks"):
        load_hints(bad, doc)
