package io.kb.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ContractViolationExceptionTest {

    @Test
    void messageStartsWithTheField() {
        ContractViolationException violation = new ContractViolationException("tenant", "must not be blank");

        assertThat(violation).hasMessage("tenant: must not be blank");
        assertThat(violation.reason()).isEqualTo("must not be blank");
    }

    @Test
    void withinPutsTheParentPathInFront() {
        ContractViolationException page = new ContractViolationException("page", "must be 1 or greater");

        assertThat(page.within("chunks[3]").field()).isEqualTo("chunks[3].page");
        assertThat(page.within("chunks[3]")).hasMessage("chunks[3].page: must be 1 or greater");
    }

    @Test
    void withinJoinsAnIndexWithoutADot() {
        assertThat(new ContractViolationException("[2]", "must not be null").within("acl").field()).isEqualTo("acl[2]");
    }

    @Test
    void withinReplacesTheWholeDocumentMarker() {
        assertThat(new ContractViolationException("$", "must have exactly one").within("content").field()).isEqualTo("content");
    }

    @Test
    void withinAnEmptyOrRootPathChangesNothing() {
        ContractViolationException violation = new ContractViolationException("tenant", "must not be blank");

        assertThat(violation.within("").field()).isEqualTo("tenant");
        assertThat(violation.within("$").field()).isEqualTo("tenant");
    }
}
