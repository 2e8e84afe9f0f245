package io.kb.service;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.YamlPropertySourceLoader;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.io.ClassPathResource;

/**
 * Adds the platform's shared defaults (management endpoints, health probes, histograms, the request id
 * in log lines) beneath every other property source, so that each service states only what is its own.
 *
 * <p>Runs after Boot's config-data processing, so the active profiles are known: the {@code local} and
 * {@code cluster} profiles add their own defaults (where the token keys come from, the log format) on top of
 * the common ones.
 */
public class ServiceDefaultsEnvironmentPostProcessor implements EnvironmentPostProcessor, Ordered {

    static final String COMMON = "io/kb/service/kb-service-defaults.yaml";
    static final String LOCAL = "io/kb/service/kb-service-defaults-local.yaml";
    static final String CLUSTER = "io/kb/service/kb-service-defaults-cluster.yaml";

    private final YamlPropertySourceLoader loader = new YamlPropertySourceLoader();

    @Override
    public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
        // Lowest precedence first: a profile's file goes above the common one, both below everything else.
        addLast(environment, COMMON);
        List<String> profiles = List.of(environment.getActiveProfiles());
        if (profiles.contains("local")) {
            environment.getPropertySources().addBefore(COMMON, load(LOCAL).getFirst());
        }
        if (profiles.contains("cluster")) {
            environment.getPropertySources().addBefore(COMMON, load(CLUSTER).getFirst());
        }
    }

    private void addLast(ConfigurableEnvironment environment, String resource) {
        environment.getPropertySources().addLast(load(resource).getFirst());
    }

    private List<PropertySource<?>> load(String resource) {
        try {
            List<PropertySource<?>> sources = loader.load(resource, new ClassPathResource(resource));
            if (sources.isEmpty()) {
                throw new IllegalStateException("empty defaults file " + resource);
            }
            return sources;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }
}
