package io.kb.inference.pipeline;

import io.kb.inference.generate.TokenSink;

/** Follows an answer while it is produced: its text as it streams. The final {@link Answer} comes last. */
public interface AnswerListener extends TokenSink {

    /** A listener for callers that only want the final answer. */
    static AnswerListener none() {
        return text -> { };
    }
}
