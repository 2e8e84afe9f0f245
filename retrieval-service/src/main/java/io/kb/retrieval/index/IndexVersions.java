package io.kb.retrieval.index;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A version per tenant that changes whenever a document of the tenant is indexed or removed, so that answers
 * cached by inference-service can be keyed on what the index held. The epoch is this process's start, which
 * makes a restarted indexer (whose counters start again) never repeat a version it gave out before.
 */
public final class IndexVersions {

    private final String epoch;
    private final ConcurrentMap<String, AtomicLong> counters = new ConcurrentHashMap<>();

    public IndexVersions() {
        this(Long.toString(System.currentTimeMillis(), 36));
    }

    IndexVersions(String epoch) {
        this.epoch = epoch;
    }

    /** Records that a document of the tenant changed. */
    public void changed(String tenant) {
        counters.computeIfAbsent(tenant, t -> new AtomicLong()).incrementAndGet();
    }

    /**
     * The tenant's version now.
     *
     * @return {@code <epoch>.<changes>}, different after every change and after every restart
     */
    public String current(String tenant) {
        AtomicLong c = counters.get(tenant);
        return epoch + "." + (c == null ? 0 : c.get());
    }
}
