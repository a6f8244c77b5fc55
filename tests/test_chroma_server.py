"""Two PolicyIndex instances share one real ``chroma run`` server; indexing twice is idempotent."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from rai_assistant.embeddings import get_embedder
from rai_assistant.policy import parse_policy
from rai_assistant.retrieval import PolicyIndex

from tests.chroma_server import chroma_server

# A small policy keeps the test quick: the server, not the corpus, is under test.
POLICY = """\
# Data handling rules

## 1. Exports

Staff agree that they will not:

1. copy customer records to personal devices;
2. pull data out of the product with scrapers or bots instead of the API.

## 2. Contact

Write to the data protection office with questions about these rules.
"""


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with chroma_server(tmp_path_factory.mktemp("chroma-server")) as url:
        yield url


def test_two_indexes_share_the_server_and_indexing_twice_is_idempotent(chroma_url: str) -> None:
    builtin = parse_policy(POLICY, "data-rules")
    writer = PolicyIndex([builtin], get_embedder(), url=chroma_url)
    writer.ensure_index()
    assert writer.reindexed == ("data-rules",)
    collection = writer._connect()
    count = collection.count()
    assert count == len(builtin.clauses)  # one chunk per clause: this policy has no hints

    reader = PolicyIndex([builtin], get_embedder(), url=chroma_url)
    reader.ensure_index()
    assert reader.reindexed == ()  # the other instance already indexed this version

    writer.ensure_index()
    assert writer.reindexed == ()
    assert collection.count() == count

    question = "Is it all right to scrape every record out of the web app with a bot?"
    assert reader.search(question, k=3)[0].clause.id == "data-rules:1.2"
    assert [p.clause.id for p in reader.search(question)] == [p.clause.id for p in writer.search(question)]
