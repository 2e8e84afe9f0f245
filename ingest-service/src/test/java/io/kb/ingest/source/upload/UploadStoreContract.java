package io.kb.ingest.source.upload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What every {@link UploadStore} adapter does; an adapter's test extends this class and says how to make a store and
 * how to make one of its uploads look older.
 */
abstract class UploadStoreContract {

    static final String TENANT = "acme";

    /** A new, empty store for each test. */
    abstract UploadStore store();

    /** Makes a stored upload look {@code by} older than it is, as a sweep will judge it. */
    abstract void age(UploadReference reference, Duration by) throws IOException;

    @Test
    void givesBackTheStoredBytesUnderTheirHash() throws Exception {
        UploadStore store = store();
        byte[] bytes = bytes(300_000, 1);

        UploadReference reference = store.put(TENANT, "reports/2025.pdf", 7, new ByteArrayInputStream(bytes), 1_000_000);

        assertThat(reference.contentHash()).isEqualTo(sha256(bytes));
        assertThat(reference.belongsTo(TENANT, "reports/2025.pdf", 7)).isTrue();
        assertThat(reference.belongsTo(TENANT, "reports/2025.pdf", 8)).isFalse();
        assertThat(reference.belongsTo("other", "reports/2025.pdf", 7)).isFalse();
        assertThat(UploadReference.parse(reference.uri())).isEqualTo(reference);
        assertThat(read(store, reference)).isEqualTo(bytes);
    }

    @Test
    void keepsContentExactlyAtTheLimit() {
        UploadStore store = store();
        byte[] bytes = bytes(1000, 2);

        UploadReference reference = store.put(TENANT, "a", 1, new ByteArrayInputStream(bytes), 1000);

        assertThat(read(store, reference)).isEqualTo(bytes);
    }

    @Test
    void refusesContentOverTheLimitAndKeepsNothingOfIt() {
        UploadStore store = store();

        assertThatThrownBy(() -> store.put(TENANT, "a", 1, new ByteArrayInputStream(bytes(1001, 3)), 1000))
                .isInstanceOfSatisfying(UploadTooLargeException.class, e -> assertThat(e.maxBytes()).isEqualTo(1000));
        assertThatThrownBy(() -> store.open(UploadReference.of(TENANT, "a", 1, sha256(bytes(1001, 3)))))
                .isInstanceOf(UploadMissingException.class);
        assertThat(store.expire(Instant.now().plus(Duration.ofDays(1)))).as("anything kept, finished or not").isZero();
    }

    @Test
    void aReaderNeverSeesAnUploadBeforeItIsWhole() throws Exception {
        UploadStore store = store();
        byte[] bytes = bytes(200_000, 4);
        UploadReference expected = UploadReference.of(TENANT, "slow", 1, sha256(bytes));
        CountDownLatch halfway = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        InputStream slow = new InputStream() {
            private int position;

            @Override
            public int read() {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) {
                if (position == bytes.length / 2) {
                    halfway.countDown();
                    await(resume);
                }
                if (position >= bytes.length) {
                    return -1;
                }
                int limit = position < bytes.length / 2 ? bytes.length / 2 : bytes.length;
                int n = Math.min(length, limit - position);
                System.arraycopy(bytes, position, buffer, offset, n);
                position += n;
                return n;
            }
        };

        CompletableFuture<UploadReference> put = CompletableFuture.supplyAsync(
                () -> store.put(TENANT, "slow", 1, slow, 1_000_000));
        assertThat(halfway.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> store.open(expected)).as("half written").isInstanceOf(UploadMissingException.class);
        resume.countDown();

        assertThat(put.get(10, TimeUnit.SECONDS)).isEqualTo(expected);
        assertThat(read(store, expected)).isEqualTo(bytes);
    }

    @Test
    void storingTheSameVersionTwiceKeepsOneCopy() {
        UploadStore store = store();
        byte[] bytes = bytes(5000, 5);

        UploadReference first = store.put(TENANT, "a", 1, new ByteArrayInputStream(bytes), 10_000);
        UploadReference second = store.put(TENANT, "a", 1, new ByteArrayInputStream(bytes), 10_000);

        assertThat(second).isEqualTo(first);
        assertThat(read(store, first)).isEqualTo(bytes);
        assertThat(store.release(TENANT, "a", 1)).isEqualTo(1);
    }

    @Test
    void forgetsADeletedUpload() {
        UploadStore store = store();
        UploadReference reference = store.put(TENANT, "a", 1, new ByteArrayInputStream(bytes(10, 6)), 100);

        store.delete(reference);
        store.delete(reference);

        assertThatThrownBy(() -> store.open(reference)).isInstanceOf(UploadMissingException.class);
    }

    @Test
    void releasesTheSettledVersionsOfOneDocumentOnly() {
        UploadStore store = store();
        UploadReference v1 = store.put(TENANT, "hr/leave.md", 1, new ByteArrayInputStream(bytes(10, 7)), 100);
        UploadReference v2 = store.put(TENANT, "hr/leave.md", 2, new ByteArrayInputStream(bytes(10, 8)), 100);
        UploadReference v3 = store.put(TENANT, "hr/leave.md", 3, new ByteArrayInputStream(bytes(10, 9)), 100);
        UploadReference otherDocument = store.put(TENANT, "hr/leave.md.bak", 1, new ByteArrayInputStream(bytes(10, 10)), 100);
        UploadReference otherTenant = store.put("globex", "hr/leave.md", 1, new ByteArrayInputStream(bytes(10, 11)), 100);

        assertThat(store.release(TENANT, "hr/leave.md", 2)).isEqualTo(2);

        assertThatThrownBy(() -> store.open(v1)).isInstanceOf(UploadMissingException.class);
        assertThatThrownBy(() -> store.open(v2)).isInstanceOf(UploadMissingException.class);
        assertThat(read(store, v3)).hasSize(10);
        assertThat(read(store, otherDocument)).hasSize(10);
        assertThat(read(store, otherTenant)).hasSize(10);
        assertThat(store.release(TENANT, "never-stored", 5)).isZero();
    }

    @Test
    void expiresOnlyWhatIsOlderThanTheLimit() throws IOException {
        UploadStore store = store();
        UploadReference old = store.put(TENANT, "old", 1, new ByteArrayInputStream(bytes(10, 12)), 100);
        UploadReference recent = store.put(TENANT, "recent", 1, new ByteArrayInputStream(bytes(10, 13)), 100);
        age(old, Duration.ofDays(8));

        assertThat(store.expire(Instant.now().minus(Duration.ofDays(7)))).isEqualTo(1);

        assertThatThrownBy(() -> store.open(old)).isInstanceOf(UploadMissingException.class);
        assertThat(read(store, recent)).hasSize(10);
    }

    @Test
    void openingAnUnknownUploadSaysItIsMissing() {
        assertThatThrownBy(() -> store().open(UploadReference.of(TENANT, "a", 1, sha256(new byte[0]))))
                .isInstanceOf(UploadMissingException.class);
    }

    static byte[] read(UploadStore store, UploadReference reference) {
        try (InputStream in = store.open(reference)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] bytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
