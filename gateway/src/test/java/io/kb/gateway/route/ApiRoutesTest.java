package io.kb.gateway.route;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.GatewayFilterChain;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;
import org.springframework.mock.web.server.MockServerWebExchange;
import reactor.core.publisher.Mono;

class ApiRoutesTest {

    private final List<String> calls = new ArrayList<>();
    private final GatewayFilter retry = (exchange, chain) -> {
        calls.add("retry " + exchange.getRequest().getMethod());
        return chain.filter(exchange);
    };
    private final GatewayFilterChain service = exchange -> {
        calls.add("service " + exchange.getRequest().getMethod());
        return Mono.empty();
    };

    @Test
    void aGetGoesThroughTheRetryFilter() {
        ApiRoutes.onlyForGet(retry).filter(MockServerWebExchange.from(MockServerHttpRequest.get("/api/v1/documents")),
                service).block();

        assertThat(calls).containsExactly("retry GET", "service GET");
    }

    @Test
    void anyOtherMethodGoesStraightOnWithoutIt() {
        GatewayFilter filter = ApiRoutes.onlyForGet(retry);
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.post("/api/v1/search").body("{}")), service)
                .block();
        filter.filter(MockServerWebExchange.from(MockServerHttpRequest.delete("/api/v1/documents/d")), service)
                .block();

        assertThat(calls).containsExactly("service POST", "service DELETE");
    }
}
