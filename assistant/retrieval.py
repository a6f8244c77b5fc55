"""Find the policy clauses that answer a question: dense (chromadb) + BM25, fused per clause.

Each clause is indexed as several chunks that map back to its id: the clause text with its
section and title, and each plain-language retrieval hint for it (see ``policy_corpus``). A query
ranks chunks two ways, by embedding similarity in chromadb and by BM25 over the same chunks in
memory, fuses the two rankings by reciprocal rank, and scores each clause by its best chunks.

Storage is chromadb: embedded (``PersistentClient`` at a directory) or a server
(``HttpClient`` at a URL, e.g. ``RAI_CHROMA_URL``). We always pass our own embeddings, so chromadb
never loads (or downloads) its default embedding model, and telemetry is off.

Indexing is idempotent and safe with concurrent readers: chunk ids are deterministic and upserted,
a per-policy manifest records which version (policy text, hints, embedding model) is indexed, and
only a changed policy is re-embedded; its old chunks are deleted after the new ones are in.
"""

from __future__ import annotations

import hashlib
import math
import re
import threading
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlparse

from assistant.errors import ConfigError, InputError, StorageError
from assistant.policy import hints_for
from assistant.types import Clause, Passage, PolicyDocument

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

__all__ = ["Chunk", "PolicyIndex", "SupportsEmbed", "build_chunks", "question_parts", "tokenize"]

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


#: Chunk embeddings by (model id, text), shared by every index in the process.
_CHUNK_VECTORS: dict[tuple[str, str], list[float]] = {}
_CHUNK_VECTORS_LOCK = threading.Lock()
_CHUNK_VECTORS_MAX = 50_000


class SupportsEmbed(Protocol):
    """What the index needs from an embedder (``assistant.embeddings.Embedder`` fits)."""

    model_id: str

    def embed(self, texts: Sequence[str]) -> npt.NDArray[np.float32]: ...


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
    """Hybrid retrieval over registered policies, stored in chromadb.

    :param documents: the policies to index and search (their clause ids must be unique).
    :param embedder: gives unit-norm embeddings; ``assistant.embeddings.get_embedder()``.
    :param path: directory of an embedded persistent index (e.g. ``<data dir>/policy-index``).
    :param url: a chromadb server (``http://127.0.0.1:8000``); used instead of ``path``.
    :param hints: plain-language descriptions per clause id, indexed as extra chunks. By default
        each policy's sidecar hints file (:func:`assistant.policy.hints_for`).
    :param candidates: chunks taken from each ranking before fusion.
    :param dense_weight: share of the dense score in the fused score (the rest is BM25).
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
    ) -> None:
        if path is None and not url:
            raise ConfigError(
                "the policy index needs a location: pass a directory (path=...) or a chromadb "
                "server URL (url=..., e.g. from RAI_CHROMA_URL)"
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
        safe_model = re.sub(r"[^A-Za-z0-9._-]", "-", embedder.model_id)
        self._collection_name = f"{collection}-{safe_model}"[:120].strip("-.")
        self._candidates = candidates
        self._dense_weight = dense_weight
        self._lexical_gain = lexical_gain
        self._frame: Any = None  # unit vector of the generic question framing, on first use
        self._lock = threading.Lock()
        self._client: Any = None
        self._collection: Any = None
        self._chunks: list[Chunk] = []
        self._chunk_pos: dict[str, int] = {}
        self._bm25: _BM25 | None = None
        self._policy_of: Any = None  # numpy array: policy number of each chunk
        self._policy_number: dict[str, int] = {}
        #: Policy ids (re-)embedded by the last :meth:`ensure_index` call.
        self.reindexed: tuple[str, ...] = ()

    # ------------------------------------------------------------ storage

    def _connect(self) -> Any:
        if self._collection is not None:
            return self._collection
        try:
            import chromadb
            from chromadb.config import Settings
        except ImportError as exc:
            raise ConfigError("chromadb is not installed: pip install chromadb") from exc
        settings = Settings(anonymized_telemetry=False)
        try:
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
            # Cosine space: our embeddings are unit-norm; no embedding function, ever.
            self._collection = self._client.get_or_create_collection(
                self._collection_name,
                embedding_function=None,
                configuration={"hnsw": {"space": "cosine"}},
            )
            self._manifest = self._client.get_or_create_collection(
                f"{self._collection_name}-manifest", embedding_function=None
            )
        except ConfigError:
            raise
        except Exception as exc:  # chromadb raises many types; all mean "cannot use the store"
            where = self._url or str(self._path)
            raise StorageError(
                f"cannot open the policy index at {where}: {exc}; check that the directory is "
                "writable or that the chromadb server is running (chroma run --path DIR)"
            ) from exc
        return self._collection

    def _index_key(self, doc: PolicyDocument) -> str:
        # A policy is re-embedded when its text, its hints, the model or the chunking change.
        digest = hashlib.sha256()
        for part in (_SCHEME, self._embedder.model_id, doc.version):
            digest.update(part.encode())
            digest.update(b"\0")
        for clause in doc.clauses:
            for hint in self._hints.get(clause.id, ()):
                digest.update(f"{clause.id}\0{hint}\0".encode())
        return digest.hexdigest()[:16]

    # ------------------------------------------------------------ indexing

    def ensure_index(self) -> None:
        """Index every policy whose version is not yet in the store; idempotent.

        Sets :attr:`reindexed` to the policy ids that were (re-)embedded this call.
        """
        with self._lock:
            collection = self._connect()
            self._build_memory()
            keys = {pid: self._index_key(doc) for pid, doc in self._documents.items()}
            stored = self._stored_keys(list(keys))
            stale = [pid for pid, key in keys.items() if stored.get(pid) != key]
            batch = max(1, min(5000, int(self._client.get_max_batch_size())))
            for pid in stale:
                doc = self._documents[pid]
                chunks = build_chunks(doc, self._hints)
                vectors = self._embed_unique([c.text for c in chunks])
                key = keys[pid]
                for start in range(0, len(chunks), batch):
                    part = chunks[start : start + batch]
                    collection.upsert(
                        ids=[c.id for c in part],
                        embeddings=vectors[start : start + batch],
                        documents=[c.text for c in part],
                        metadatas=[{"policy_id": pid, "clause_id": c.clause_id, "key": key} for c in part],
                    )
                # Old versions go only after the new chunks are in: a reader never finds none.
                collection.delete(where={"$and": [{"policy_id": pid}, {"key": {"$ne": key}}]})
                self._manifest.upsert(ids=[pid], embeddings=[[0.0]], metadatas=[{"key": key}])
            self.reindexed = tuple(stale)

    def _stored_keys(self, policy_ids: list[str]) -> dict[str, str]:
        out: dict[str, str] = {}
        for start in range(0, len(policy_ids), 1000):
            got = self._manifest.get(ids=policy_ids[start : start + 1000], include=["metadatas"])
            for pid, meta in zip(got["ids"], got["metadatas"] or [], strict=False):
                if meta and isinstance(meta.get("key"), str):
                    out[pid] = meta["key"]
        return out

    def _vectors(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        """Embeddings with the generic question framing projected out, renormalised."""
        import numpy as np

        if self._frame is None:
            mean = self._embedder.embed(list(_FRAMES)).mean(axis=0)
            self._frame = (mean / np.linalg.norm(mean)).astype(np.float32)
        vectors = self._embedder.embed(texts)
        vectors = vectors - np.outer(vectors @ self._frame, self._frame)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        unit: npt.NDArray[np.float32] = (vectors / np.clip(norms, 1e-12, None)).astype(np.float32)
        return unit

    def _embed_unique(self, texts: Sequence[str]) -> list[list[float]]:
        # Identical texts (shared boilerplate across policies) are embedded once, and chunks
        # embedded earlier in this process (another index, another data directory) not again.
        model = self._embedder.model_id
        with _CHUNK_VECTORS_LOCK:
            found = {t: v for t in dict.fromkeys(texts) if (v := _CHUNK_VECTORS.get((model, t))) is not None}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        for start in range(0, len(missing), 64):
            part = missing[start : start + 64]
            for text, vec in zip(part, self._vectors(part), strict=True):
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
        self._policy_number = {pid: n for n, pid in enumerate(self._documents)}
        self._policy_of = np.array([self._policy_number[c.policy_id] for c in chunks], dtype=np.int32)
        self._bm25 = _BM25([tokenize(c.text) for c in chunks])

    # ------------------------------------------------------------ search

    def search(self, query: str, k: int = 5, policies: Sequence[str] | None = None) -> list[Passage]:
        """The ``k`` clauses that best answer ``query``, best first, one passage per clause.

        :param policies: restrict to these policy ids (default: every indexed policy).
        :raises InputError: the query is empty or too long, or names an unknown policy.
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
        if self._collection is None or self._bm25 is None:
            self.ensure_index()
        vector = self._vectors([text])[0]
        dense = self._dense(vector.tolist(), policies)
        lexical = self._lexical(text, policies)
        return self._fuse(dense, lexical, k)

    def _dense(self, vector: list[float], policies: Sequence[str] | None) -> dict[str, float]:
        """Best cosine similarity per clause among the nearest chunks, scaled to [0, 1]."""
        where: dict[str, Any] | None = None
        if policies is not None:
            where = {"policy_id": {"$in": list(policies)}}
        try:
            got = self._collection.query(
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

    def _fuse(self, dense: Mapping[str, float], lexical: Mapping[str, float], k: int) -> list[Passage]:
        # Score fusion of the two scaled scores. Reciprocal-rank fusion was tried and lost a few
        # points of recall@1: it throws away how far ahead the best clause is in each ranking.
        w = self._dense_weight
        fused = {
            cid: w * dense.get(cid, 0.0) + (1 - w) * lexical.get(cid, 0.0)
            for cid in dense.keys() | lexical.keys()
        }
        ranked = sorted(fused.items(), key=lambda item: (-item[1], item[0]))
        return [Passage(self._clauses[cid], round(score, 6)) for cid, score in ranked[:k]]


def _scaled(best: Mapping[str, float], floor: float) -> dict[str, float]:
    """Min-max scale per query: the best clause gets 1, the floor (weakest candidate) 0."""
    if not best:
        return {}
    top = max(best.values())
    span = top - floor
    if span <= 1e-9:
        return {cid: 1.0 for cid in best}
    return {cid: max(0.0, (v - floor) / span) for cid, v in best.items()}
