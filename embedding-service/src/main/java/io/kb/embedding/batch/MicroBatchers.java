package io.kb.embedding.batch;

import java.util.LinkedHashMap;
import java.util.Map;

import io.kb.embedding.model.EmbeddingModel;
import io.kb.embedding.model.EmbeddingModels;
import io.micrometer.core.instrument.MeterRegistry;

/** One {@link MicroBatcher} per served model, by model name. */
public final class MicroBatchers implements AutoCloseable {

    private final Map<String, MicroBatcher> byModel = new LinkedHashMap<>();

    /**
     * @param models the served models
     * @param settings the batching settings, the same for every model
     * @param meters where the batchers' meters go
     */
    public MicroBatchers(EmbeddingModels models, BatchSettings settings, MeterRegistry meters) {
        for (EmbeddingModel model : models.all()) {
            byModel.put(model.name(), new MicroBatcher(model, settings, meters));
        }
    }

    /**
     * @param model a served model's name
     * @return its batcher
     * @throws IllegalArgumentException for a model that is not served
     */
    public MicroBatcher forModel(String model) {
        MicroBatcher batcher = byModel.get(model);
        if (batcher == null) {
            throw new IllegalArgumentException("no batcher for model " + model);
        }
        return batcher;
    }

    @Override
    public void close() {
        byModel.values().forEach(MicroBatcher::close);
    }
}
