package io.kb.inference.generate.openai;

import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.TokenSink;

/** Placeholder until the adapter lands from its branch. */
public final class OpenAiCompatibleGenerator implements Generator {

    public OpenAiCompatibleGenerator(OpenAiGeneratorProperties properties) {
    }

    @Override
    public Generation generate(GenerationRequest request, TokenSink sink) {
        throw new GenerationException(GenerationException.Kind.UNAVAILABLE, "not built", false);
    }
}
