package io.kb.service;

import static org.assertj.core.api.Assertions.assertThat;

import io.kb.contracts.http.ProblemTypes;
import org.junit.jupiter.api.Test;

class StatusProblemTypesTest {

    @Test
    void mapsEachStatusClassToAStableType() {
        assertThat(StatusProblemTypes.forStatus(400)).isEqualTo(ProblemTypes.VALIDATION);
        assertThat(StatusProblemTypes.forStatus(401)).isEqualTo(ProblemTypes.UNAUTHORIZED);
        assertThat(StatusProblemTypes.forStatus(404)).isEqualTo(ProblemTypes.NOT_FOUND);
        assertThat(StatusProblemTypes.forStatus(413)).isEqualTo(ProblemTypes.PAYLOAD_TOO_LARGE);
        assertThat(StatusProblemTypes.forStatus(429)).isEqualTo(ProblemTypes.RATE_LIMITED);
        assertThat(StatusProblemTypes.forStatus(502)).isEqualTo(ProblemTypes.UPSTREAM_UNAVAILABLE);
        assertThat(StatusProblemTypes.forStatus(503)).isEqualTo(ProblemTypes.OVERLOADED);
        assertThat(StatusProblemTypes.forStatus(500)).isEqualTo(ProblemTypes.INTERNAL);
        assertThat(StatusProblemTypes.forStatus(418)).isEqualTo(ProblemTypes.VALIDATION);
    }
}
