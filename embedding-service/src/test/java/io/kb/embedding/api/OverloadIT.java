package io.kb.embedding.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import io.kb.embedding.model.SampleTexts;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "kb.embedding.models=bge-small-en-v1.5",
        "kb.embedding.max-inputs-per-request=2",
        "kb.embedding.batch.queue-capacity=2",
        "kb.embedding.batch.max-size=2",
        "kb.embedding.batch.workers=1",
        "kb.embedding.batch.retry-after=2s"})
class OverloadIT {

    @LocalServerPort
    int port;

    @Test
    void shedsLoadPastTheQueueWith503AndRetryAfter() throws Exception {
        HttpJson http = new HttpJson(port);
        String body = HttpJson.json(Map.of("input", List.of(SampleTexts.longText(1, 300), SampleTexts.longText(2, 300))));
        HttpJson.Reply shed = null;
        int served = 0;
        // A burst far beyond one worker and a two-text queue; repeated only in case a burst drains in time.
        try (ExecutorService callers = Executors.newFixedThreadPool(24)) {
            for (int burst = 0; burst < 5 && shed == null; burst++) {
                List<Future<HttpJson.Reply>> replies = new ArrayList<>();
                for (int i = 0; i < 24; i++) {
                    replies.add(callers.submit(() -> http.post("/v1/embeddings", body)));
                }
                for (Future<HttpJson.Reply> reply : replies) {
                    HttpJson.Reply r = reply.get();
                    assertThat(r.status()).as(r.raw().body()).isIn(200, 503);
                    if (r.status() == 503) {
                        shed = r;
                    } else {
                        served++;
                    }
                }
            }
        }

        assertThat(served).isPositive();
        assertThat(shed).as("no request was shed").isNotNull();
        assertThat(shed.raw().headers().firstValue("Retry-After")).hasValue("2");
        assertThat(shed.json().get("type").asString()).isEqualTo("urn:kb:problem:overloaded");
        assertThat(shed.json().get("status").asInt()).isEqualTo(503);
        assertThat(new HttpJson(port).get("/actuator/prometheus").body())
                .containsPattern("kb_embedding_rejections_total\\{[^}]*model=\"bge-small-en-v1.5\"[^}]*} [1-9]");
    }
}
