package io.kb.inference.retrieve;

import io.kb.inference.pipeline.Asker;

/** The version of the asker's tenant in the index, which changes whenever a document is indexed or removed. */
public interface IndexVersionSource {

    /**
     * @param asker who asks
     * @return an opaque version string
     * @throws RetrievalUnavailableException when it cannot be read
     */
    String currentVersion(Asker asker);
}
