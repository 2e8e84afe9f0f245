package io.kb.inference.api.openai;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.HandlerExceptionResolver;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Puts {@link OpenAiErrorResolver} first in Spring MVC's resolver chain: the chain that the dispatcher asks for a
 * controller's failures and that service-kit's security handler asks for a refused token, so that both answer
 * requests under {@code /v1/} in OpenAI's shape.
 */
@Configuration(proxyBeanMethods = false)
class OpenAiApiConfiguration {

    @Bean
    WebMvcConfigurer openAiErrors(JsonMapper json) {
        OpenAiErrorResolver resolver = new OpenAiErrorResolver(json);
        return new WebMvcConfigurer() {
            @Override
            public void extendHandlerExceptionResolvers(List<HandlerExceptionResolver> resolvers) {
                resolvers.addFirst(resolver);
            }
        };
    }
}
