package io.kb.embedding;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Embedding service: text embeddings, in-process ONNX by default, Triton on GPU clusters. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class EmbeddingApplication {

    public static void main(String[] args) {
        SpringApplication.run(EmbeddingApplication.class, args);
    }
}
