package io.kb.inference.generate.triton;

import java.time.Duration;

/**
 * How to reach one LLM on Triton Inference Server (KServe v2 gRPC). A tier of type {@code triton} carries these
 * under {@code kb.inference.tiers[n].triton}.
 *
 * @param target   the gRPC address, {@code host:port} (Triton's default gRPC port is 8001)
 * @param model    the model name in Triton's repository
 * @param profile  the tensor layout: {@code vllm}, {@code trtllm-ensemble} or {@code trtllm-llmapi}
 * @param timeout  the longest a generation may take, sent to Triton and enforced as the call's deadline
 */
public record TritonGeneratorProperties(String target, String model, String profile, Duration timeout) {
}
