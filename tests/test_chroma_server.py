"""Two PolicyIndex instances share one real ``chroma run`` server; indexing twice is idempotent."""

from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.embeddings import get_embedder
from assistant.policy import parse_policy
from assistant.retrieval import PolicyIndex

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


def _chroma_cli() -> str:
    beside = Path(sys.executable).with_name("chroma")
    found = str(beside) if beside.exists() else shutil.which("chroma")
    if not found:
        raise RuntimeError("the `chroma` command is missing: pip install chromadb")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = _free_port()
    data = tmp_path_factory.mktemp("chroma-server")
    proc = subprocess.Popen(
        [_chroma_cli(), "run", "--path", str(data), "--host", "127.0.0.1", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"chroma run exited with code {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1):
                    break
            except (urllib.error.URLError, OSError):
                if time.monotonic() > deadline:
                    raise RuntimeError("chroma run did not answer within 60 s") from None
                time.sleep(0.25)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


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
