package io.kb.ingest.status;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import io.kb.contracts.DocumentKey;
import io.kb.contracts.event.IngestState;
import io.kb.contracts.event.IngestStatus;

/**
 * The latest known {@link IngestStatus} of every document, in memory, as {@link KafkaStatusFeed} reads it from the
 * compacted topic {@code kb.ingest.status.v1}.
 *
 * <p>Bounded by the number of documents, not by traffic: the topic is compacted by key, so it holds one status per
 * document, and so does this map (a few hundred bytes each; a million documents is a few hundred MB, which is the
 * point where a persistent store would replace this class). A status replaces the one held when its version is not
 * older, so that a late status of an old version (the indexer finishing v1 after v2 was received) cannot hide the
 * newer one. A tombstone removes the document.
 */
public final class DocumentStates {

    private final Map<DocumentKey, IngestStatus> latest = new ConcurrentHashMap<>();

    /** Records a status unless a newer version's status is already held. */
    public void apply(IngestStatus status) {
        latest.merge(new DocumentKey(status.tenant(), status.documentId()), status,
                (held, incoming) -> incoming.version() >= held.version() ? incoming : held);
    }

    /** Forgets a document, for a tombstone on the compacted topic. */
    public void remove(DocumentKey key) {
        latest.remove(key);
    }

    /**
     * @param key the tenant and the document id; callers pass the caller's own tenant, never one from a request
     * @return the latest status of that document, or empty when none was seen
     */
    public Optional<IngestStatus> find(DocumentKey key) {
        return Optional.ofNullable(latest.get(key));
    }

    /**
     * Whether a document version needs no more work: a newer version has a status, or this one was indexed or
     * deleted. A redelivered event of such a version may be skipped when its content is gone.
     */
    public boolean settled(DocumentKey key, long version) {
        IngestStatus held = latest.get(key);
        return held != null && (held.version() > version || held.version() == version
                && (held.state() == IngestState.INDEXED || held.state() == IngestState.DELETED));
    }

    /** How many documents have a status, for the health details. */
    public int size() {
        return latest.size();
    }
}
