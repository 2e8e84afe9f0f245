package io.kb.embedding.model;

import java.util.List;

/** The contract as every adapter serving bge-small-en-v1.5 meets it: 384 dimensions, English sentences. */
abstract class BgeSmallEnContract extends EmbeddingModelContract {

    @Override
    protected int expectedDimension() {
        return 384;
    }

    @Override
    protected List<String> sentenceParaphraseUnrelated() {
        return List.of(
                "How do I reset my password for the company VPN?",
                "What are the steps to change my VPN login password?",
                "The cafeteria serves lasagna every Thursday.");
    }
}
