package io.kb.ingest.parse;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.tika.detect.CompositeDetector;
import org.apache.tika.detect.Detector;
import org.apache.tika.metadata.Metadata;
import org.apache.tika.metadata.TikaCoreProperties;
import org.apache.tika.mime.MediaType;
import org.apache.tika.mime.MediaTypeRegistry;
import org.apache.tika.mime.MimeTypes;

/**
 * Tika's default detection, without opening text as if it were a container.
 *
 * <p>Tika's default detector asks every detector it found and keeps the most specific answer: the container detectors
 * (ZIP and its Office, EPUB and iWork formats, OLE2, tar and the compressors) try to read their structure from the
 * first bytes, and {@link MimeTypes} matches its magic patterns and, failing those, tells text from binary. Every
 * container starts with bytes that are not text (a signature with control characters, or binary header fields), so
 * when {@code MimeTypes} calls the content text (the plain-text family, HTML, e-mail), no container detector has
 * anything to add; this detector then answers at once. For anything else it asks the container detectors and combines
 * the answers exactly as Tika does. For a short text document the container detectors cost as much as the parse.
 */
final class TextFirstDetector implements Detector {

    private final Detector tikas;
    private final MimeTypes magic;
    private final Detector containers;
    private final MediaTypeRegistry registry;

    private TextFirstDetector(Detector tikas, MimeTypes magic, Detector containers, MediaTypeRegistry registry) {
        this.tikas = tikas;
        this.magic = magic;
        this.containers = containers;
        this.registry = registry;
    }

    /**
     * @param tikas Tika's detector, usually its {@code DefaultDetector}
     * @return a detector that answers as {@code tikas} does, skipping the container detectors for text; {@code tikas}
     *         itself when it is not a composite that ends with Tika's {@link MimeTypes}
     */
    static Detector around(Detector tikas) {
        if (!(tikas instanceof CompositeDetector composite)) {
            return tikas;
        }
        List<Detector> detectors = composite.getDetectors();
        if (detectors.isEmpty() || !(detectors.getLast() instanceof MimeTypes types)) {
            return tikas;
        }
        List<Detector> others = new ArrayList<>(detectors.subList(0, detectors.size() - 1));
        if (others.stream().anyMatch(d -> d instanceof MimeTypes)) {
            return tikas;
        }
        MediaTypeRegistry registry = types.getMediaTypeRegistry();
        return new TextFirstDetector(tikas, types, new CompositeDetector(registry, others), registry);
    }

    @Override
    public MediaType detect(InputStream input, Metadata metadata) throws IOException {
        if (metadata.get(TikaCoreProperties.CONTENT_TYPE_USER_OVERRIDE) != null
                || metadata.get(TikaCoreProperties.CONTENT_TYPE_PARSER_OVERRIDE) != null) {
            // A type forced by the caller or a parser: Tika's composite answers it before asking any detector.
            return tikas.detect(input, metadata);
        }
        MediaType byMagic = magic.detect(input, metadata);
        if (isText(byMagic)) {
            return byMagic;
        }
        // Tika's composite asks the others first and lets the last answer (MimeTypes) win only when it is more specific.
        MediaType byContainers = containers.detect(input, metadata);
        return registry.isSpecializationOf(byMagic, byContainers) ? byMagic : byContainers;
    }

    private boolean isText(MediaType type) {
        MediaType base = type.getBaseType();
        return base.equals(MediaType.TEXT_PLAIN) || registry.isSpecializationOf(base, MediaType.TEXT_PLAIN);
    }
}
