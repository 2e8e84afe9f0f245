package io.kb.kserve;

import io.kb.kserve.grpc.KServe.InferParameter;
import io.kb.kserve.grpc.KServe.ModelInferResponse;

/** Request and response parameters, including the ones Triton reserves for streaming. */
public final class InferParameters {

    /** On every streamed response: true on the last response of its request. */
    public static final String FINAL_RESPONSE = "triton_final_response";

    /** Request parameter that makes Triton send an empty final response when a backend ends without data. */
    public static final String ENABLE_EMPTY_FINAL_RESPONSE = "triton_enable_empty_final_response";

    /** Request parameter: the server-side timeout, in microseconds. */
    public static final String TIMEOUT_MICROSECONDS = "timeout";

    private InferParameters() {
    }

    public static InferParameter of(boolean value) {
        return InferParameter.newBuilder().setBoolParam(value).build();
    }

    public static InferParameter of(long value) {
        return InferParameter.newBuilder().setInt64Param(value).build();
    }

    public static InferParameter of(String value) {
        return InferParameter.newBuilder().setStringParam(value).build();
    }

    /** Whether a streamed response is the last one of its request. */
    public static boolean isFinal(ModelInferResponse response) {
        InferParameter p = response.getParametersMap().get(FINAL_RESPONSE);
        return p != null && p.getBoolParam();
    }
}
