package io.kb.retrieval.api;

import io.kb.retrieval.index.IndexVersions;
import io.kb.service.security.AuthenticatedCaller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code GET /api/v1/index/version}: the version of the caller's tenant in the index, which changes whenever one of
 * its documents is indexed or removed. inference-service keys its answer cache on it.
 */
@RestController
class IndexVersionController {

    private final IndexVersions versions;

    IndexVersionController(IndexVersions versions) {
        this.versions = versions;
    }

    /**
     * @param tenant  the caller's tenant, from the token
     * @param version the tenant's index version
     */
    record IndexVersion(String tenant, String version) {
    }

    @GetMapping("/api/v1/index/version")
    IndexVersion version(AuthenticatedCaller caller) {
        return new IndexVersion(caller.tenant(), versions.current(caller.tenant()));
    }
}
