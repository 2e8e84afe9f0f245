package io.kb.ingest.source.upload;

import java.time.Clock;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import io.kb.contracts.event.IngestStatus;
import io.kb.ingest.status.IngestStatusListener;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Keeps the {@link UploadStore} from growing forever. It removes a document's uploads when {@code kb.ingest.status.v1}
 * says a version is settled: {@code INDEXED} or {@code DELETED} releases that version and older ones, {@code FAILED}
 * only the older ones (the failed version's upload stays for a replay of its dead letter). Statuses of one document
 * come in version order from its partition, so an older version is settled by the time a newer one is. Whatever is
 * left (failed versions, uploads whose event never got out) is removed by age, every
 * {@code kb.ingest.uploads.sweep-interval}.
 */
public final class UploadJanitor implements IngestStatusListener, SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(UploadJanitor.class);

    private final UploadStore store;
    private final UploadProperties properties;
    private final MeterRegistry meters;
    private final Clock clock;
    private volatile ScheduledExecutorService sweeper;

    public UploadJanitor(UploadStore store, UploadProperties properties, MeterRegistry meters, Clock clock) {
        this.store = store;
        this.properties = properties;
        this.meters = meters;
        this.clock = clock;
    }

    @Override
    public void onStatus(IngestStatus status) {
        long settled = switch (status.state()) {
            case INDEXED, DELETED -> status.version();
            case FAILED -> status.version() - 1;
            case RECEIVED -> -1;
        };
        if (settled < 0) {
            return;
        }
        int removed = store.release(status.tenant(), status.documentId(), settled);
        if (removed > 0) {
            meters.counter("kb.ingest.uploads.removed", "reason", "settled").increment(removed);
        }
    }

    /** Removes the uploads older than {@code kb.ingest.uploads.max-age}; runs on its own every sweep interval. */
    public int sweep() {
        int removed = store.expire(clock.instant().minus(properties.maxAge()));
        if (removed > 0) {
            meters.counter("kb.ingest.uploads.removed", "reason", "expired").increment(removed);
            log.info("removed {} uploads older than {}", removed, properties.maxAge());
        }
        return removed;
    }

    @Override
    public synchronized void start() {
        sweeper = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("kb-ingest-upload-sweeper")
                .daemon().factory());
        long every = properties.sweepInterval().toMillis();
        sweeper.scheduleWithFixedDelay(this::sweepLogged, every, every, TimeUnit.MILLISECONDS);
    }

    @Override
    public synchronized void stop() {
        if (sweeper != null) {
            sweeper.shutdownNow();
            sweeper = null;
        }
    }

    @Override
    public boolean isRunning() {
        return sweeper != null;
    }

    private void sweepLogged() {
        try {
            sweep();
        } catch (RuntimeException e) {
            // A failed sweep must not end the schedule; the next one tries again.
            log.warn("cannot sweep the upload store: {}", e.getMessage());
        }
    }
}
