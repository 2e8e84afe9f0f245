package io.kb.embedding.model;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import io.grpc.Channel;

/**
 * The models this service serves, loaded once at start-up, by name. Closing it frees their native memory.
 */
public final class EmbeddingModels implements AutoCloseable {

    private final Map<String, EmbeddingModel> byName;

    /**
     * @param models the loaded models; names must be unique
     */
    public EmbeddingModels(List<? extends EmbeddingModel> models) {
        Map<String, EmbeddingModel> map = new LinkedHashMap<>();
        for (EmbeddingModel model : models) {
            if (map.put(model.name(), model) != null) {
                throw new IllegalArgumentException("two models named " + model.name());
            }
        }
        this.byName = map;
    }

    /**
     * Loads the named bundled ONNX models.
     *
     * @param names model names, each one of {@link BundledOnnxModel#names()}
     * @param options how they run
     * @return the loaded models
     */
    public static EmbeddingModels loadOnnx(List<String> names, OnnxOptions options) {
        return new EmbeddingModels(names.stream()
                .map(name -> BundledOnnxModel.byName(name)
                        .orElseThrow(() -> new IllegalArgumentException("unknown model " + name)))
                .map(model -> OnnxEmbeddingModel.load(model, options))
                .toList());
    }

    /**
     * Connects to the named Triton-hosted models; nothing is sent until the first request.
     *
     * @param names   model names, each one of {@link TritonOptions#names()}
     * @param options the server, deadline and models
     * @param channel the channel to the server; the caller closes it after closing the models
     * @return the models
     */
    public static EmbeddingModels connectTriton(List<String> names, TritonOptions options, Channel channel) {
        return new EmbeddingModels(names.stream()
                .map(name -> options.models().stream().filter(m -> m.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("unknown Triton model " + name)))
                .map(model -> TritonEmbeddingModel.connect(channel, model, options.deadline()))
                .toList());
    }

    /** The model of that name, if it is served. */
    public Optional<EmbeddingModel> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** All served models, in configuration order. */
    public Collection<EmbeddingModel> all() {
        return byName.values();
    }

    @Override
    public void close() {
        for (EmbeddingModel model : byName.values()) {
            if (model instanceof AutoCloseable closeable) {
                try {
                    closeable.close();
                } catch (Exception e) {
                    throw new IllegalStateException("cannot close model " + model.name(), e);
                }
            }
        }
    }
}
