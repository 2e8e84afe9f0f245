package io.kb.ingest.source.upload;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import io.kb.contracts.FieldRules;

/**
 * {@link UploadStore} on a folder: {@code <dir>/<tenant>/<SHA-256 of the document id>/<version>-<SHA-256 of the
 * content>}. A write goes to {@code <dir>/.incoming/} first, is flushed to the disk, and is then renamed into place,
 * so a reader never sees half a file; the size limit is counted while the bytes stream through. With several
 * instances the folder must be one volume that all of them mount (the rename must stay within one file system).
 */
public final class FileSystemUploadStore implements UploadStore {

    private static final String INCOMING = ".incoming";

    private final Path root;
    private final Path incoming;

    /** @throws UncheckedIOException when the folder cannot be created, so that a bad setting stops the start */
    public FileSystemUploadStore(Path dir) {
        this.root = dir.toAbsolutePath().normalize();
        this.incoming = root.resolve(INCOMING);
        try {
            Files.createDirectories(incoming);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the upload folder " + incoming
                    + " (kb.ingest.uploads.dir)", e);
        }
    }

    /** The folder, for health details and tests. */
    public Path root() {
        return root;
    }

    @Override
    public UploadReference put(String tenant, String documentId, long version, InputStream content, long maxBytes) {
        FieldRules.requireTenant(tenant);
        FieldRules.requireDocumentId(documentId);
        Path part = null;
        try {
            part = Files.createTempFile(incoming, "upload-", ".part");
            String contentHash = copy(content, part, maxBytes);
            UploadReference reference = UploadReference.of(tenant, documentId, version, contentHash);
            moveIntoPlace(part, pathOf(reference));
            part = null;
            return reference;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot store an upload in " + root + ": " + e.getMessage(), e);
        } finally {
            if (part != null) {
                deleteQuietly(part);
            }
        }
    }

    @Override
    public InputStream open(UploadReference reference) {
        Path path = pathOf(reference);
        try {
            return Files.newInputStream(path);
        } catch (NoSuchFileException e) {
            throw new UploadMissingException(reference);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open " + path + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void delete(UploadReference reference) {
        Path path = pathOf(reference);
        deleteQuietly(path);
        removeIfEmpty(path.getParent());
    }

    @Override
    public int release(String tenant, String documentId, long version) {
        FieldRules.requireTenant(tenant);
        Path folder = root.resolve(tenant).resolve(UploadReference.documentHash(documentId));
        if (!Files.isDirectory(folder)) {
            return 0;
        }
        int removed = 0;
        try (Stream<Path> files = Files.list(folder)) {
            for (Path file : files.toList()) {
                if (versionOf(file) <= version && deleteQuietly(file)) {
                    removed++;
                }
            }
        } catch (NoSuchFileException e) {
            return removed;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + folder + ": " + e.getMessage(), e);
        }
        removeIfEmpty(folder);
        return removed;
    }

    @Override
    public int expire(Instant storedBefore) {
        AtomicInteger removed = new AtomicInteger();
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    if (attributes.isRegularFile() && attributes.lastModifiedTime().toInstant().isBefore(storedBefore)
                            && deleteQuietly(file)) {
                        removed.incrementAndGet();
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;   // removed meanwhile by a release on another thread
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) {
                    if (!dir.equals(root) && !dir.equals(incoming)) {
                        removeIfEmpty(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot sweep " + root + ": " + e.getMessage(), e);
        }
        return removed.get();
    }

    /** Copies at most {@code maxBytes}, flushes them to the disk, and returns their SHA-256. */
    private static String copy(InputStream content, Path part, long maxBytes) throws IOException {
        MessageDigest digest = UploadReference.sha256();
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        try (FileChannel channel = FileChannel.open(part, StandardOpenOption.WRITE);
                OutputStream out = Channels.newOutputStream(channel)) {
            for (int n = content.read(buffer); n >= 0; n = content.read(buffer)) {
                total += n;
                if (total > maxBytes) {
                    throw new UploadTooLargeException(maxBytes);
                }
                digest.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
            channel.force(true);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    private static void moveIntoPlace(Path part, Path target) throws IOException {
        // A release may remove the document's empty folder between creating it and the rename: one more try.
        for (int attempt = 1; ; attempt++) {
            Files.createDirectories(target.getParent());
            try {
                Files.move(part, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                return;
            } catch (NoSuchFileException e) {
                if (attempt >= 3) {
                    throw e;
                }
            }
        }
    }

    private Path pathOf(UploadReference reference) {
        Path path = root.resolve(reference.tenant()).resolve(reference.documentHash())
                .resolve(reference.version() + "-" + reference.contentHash()).normalize();
        if (!path.startsWith(root) || path.startsWith(incoming)) {
            // Unreachable with the reference's own checks; kept so that a change there cannot open the disk.
            throw new IllegalArgumentException("the reference names a place outside the upload folder");
        }
        return path;
    }

    /** The version in a stored file's name, or {@code Long.MAX_VALUE} for a name of another form (never released). */
    private static long versionOf(Path file) {
        String name = file.getFileName().toString();
        int dash = name.indexOf('-');
        try {
            return dash > 0 ? Long.parseLong(name.substring(0, dash)) : Long.MAX_VALUE;
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static boolean deleteQuietly(Path path) {
        try {
            return Files.deleteIfExists(path);
        } catch (IOException e) {
            return false;
        }
    }

    private void removeIfEmpty(Path dir) {
        // The tenant's folder is left: it is reused, and removing it would race with every put of that tenant.
        if (dir == null || dir.equals(root) || dir.getParent() == null || dir.getParent().equals(root)) {
            return;
        }
        try {
            Files.deleteIfExists(dir);
        } catch (DirectoryNotEmptyException e) {
            // Another version of the document is still stored.
        } catch (IOException e) {
            // Left for the next sweep.
        }
    }
}
