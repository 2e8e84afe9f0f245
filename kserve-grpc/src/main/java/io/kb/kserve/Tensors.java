package io.kb.kserve;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.google.protobuf.ByteString;

/**
 * Raw tensor data as the protocol carries it in {@code raw_input_contents} and {@code raw_output_contents}:
 * elements flattened row-major, multi-byte numbers little-endian, and each element of a {@code BYTES} tensor
 * prefixed by its length as a 4-byte little-endian unsigned integer.
 */
public final class Tensors {

    private Tensors() {
    }

    /** A {@code BYTES} tensor of UTF-8 strings. */
    public static ByteString encodeStrings(List<String> elements) {
        List<byte[]> bytes = new ArrayList<>(elements.size());
        elements.forEach(e -> bytes.add(e.getBytes(StandardCharsets.UTF_8)));
        return encodeBytes(bytes);
    }

    /** A {@code BYTES} tensor. */
    public static ByteString encodeBytes(List<byte[]> elements) {
        int size = 0;
        for (byte[] e : elements) {
            size += 4 + e.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        for (byte[] e : elements) {
            b.putInt(e.length).put(e);
        }
        return ByteString.copyFrom(b.flip());
    }

    /**
     * The elements of a {@code BYTES} tensor.
     *
     * @throws IllegalArgumentException if an element's length runs past the data
     */
    public static List<byte[]> decodeBytes(ByteString raw) {
        ByteBuffer b = raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        List<byte[]> out = new ArrayList<>();
        while (b.hasRemaining()) {
            if (b.remaining() < 4) {
                throw new IllegalArgumentException("BYTES tensor truncated in the length of element " + out.size());
            }
            long length = Integer.toUnsignedLong(b.getInt());
            if (length > b.remaining()) {
                throw new IllegalArgumentException("BYTES tensor element " + out.size() + " claims " + length
                        + " bytes but only " + b.remaining() + " remain");
            }
            byte[] e = new byte[(int) length];
            b.get(e);
            out.add(e);
        }
        return out;
    }

    /** The elements of a {@code BYTES} tensor, as UTF-8 strings. */
    public static List<String> decodeStrings(ByteString raw) {
        return decodeBytes(raw).stream().map(e -> new String(e, StandardCharsets.UTF_8)).toList();
    }

    /** An {@code FP32} tensor. */
    public static ByteString encodeFp32(float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return ByteString.copyFrom(b);
    }

    /** The values of an {@code FP32} tensor. */
    public static float[] decodeFp32(ByteString raw) {
        requireMultiple(raw, Float.BYTES, "FP32");
        float[] out = new float[raw.size() / Float.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    /** An {@code INT64} tensor. */
    public static ByteString encodeInt64(long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return ByteString.copyFrom(b);
    }

    /** The values of an {@code INT64} tensor. */
    public static long[] decodeInt64(ByteString raw) {
        requireMultiple(raw, Long.BYTES, "INT64");
        long[] out = new long[raw.size() / Long.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asLongBuffer().get(out);
        return out;
    }

    /** An {@code INT32} tensor. */
    public static ByteString encodeInt32(int[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * Integer.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return ByteString.copyFrom(b);
    }

    /** The values of an {@code INT32} or {@code UINT32} tensor (unsigned values above 2^31 come out negative). */
    public static int[] decodeInt32(ByteString raw) {
        requireMultiple(raw, Integer.BYTES, "INT32");
        int[] out = new int[raw.size() / Integer.BYTES];
        raw.asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).asIntBuffer().get(out);
        return out;
    }

    /** A {@code BOOL} tensor: one byte per element, 1 for true. */
    public static ByteString encodeBool(boolean... values) {
        byte[] out = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (byte) (values[i] ? 1 : 0);
        }
        return ByteString.copyFrom(out);
    }

    private static void requireMultiple(ByteString raw, int width, String type) {
        if (raw.size() % width != 0) {
            throw new IllegalArgumentException(type + " tensor of " + raw.size() + " bytes is not a whole number of "
                    + width + "-byte elements");
        }
    }
}
