package io.kb.inference.generate;

/**
 * An optional capability of generators backed by a server: whether the model can take requests now. Readiness
 * probes and the degradation policy's half-open probes ask it.
 */
public interface GeneratorReadiness {

    /**
     * Asks the backend.
     *
     * @return {@code true} when the model is loaded and the server answers
     */
    boolean ready();
}
