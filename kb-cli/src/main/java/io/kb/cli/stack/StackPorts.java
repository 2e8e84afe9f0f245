package io.kb.cli.stack;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The loopback ports of one local stack.
 *
 * @param kafka      the broker's client listener
 * @param controller the KRaft controller listener
 * @param gateway    gateway
 * @param inference  inference-service
 * @param retrieval  retrieval-service
 * @param embedding  embedding-service
 * @param ingest     ingest-service
 */
public record StackPorts(int kafka, int controller, int gateway, int inference, int retrieval, int embedding,
        int ingest) {

    /** The ports of {@code kb up}, as documented in the README. */
    public static StackPorts defaults() {
        return new StackPorts(9092, 9093, 8080, 8081, 8082, 8083, 8084);
    }

    /** Free ports picked by the operating system, for a stack beside another (tests). */
    public static StackPorts ephemeral() {
        int[] p = new int[7];
        ServerSocket[] held = new ServerSocket[p.length];
        try {
            for (int i = 0; i < p.length; i++) {
                held[i] = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                p[i] = held[i].getLocalPort();
            }
        } catch (IOException e) {
            throw new StackException("cannot find free loopback ports: " + e.getMessage(), e);
        } finally {
            for (ServerSocket s : held) {
                closeQuietly(s);
            }
        }
        return new StackPorts(p[0], p[1], p[2], p[3], p[4], p[5], p[6]);
    }

    /** Every port by the name of what listens on it, in start order. */
    public Map<String, Integer> byName() {
        Map<String, Integer> m = new LinkedHashMap<>();
        m.put("kafka", kafka);
        m.put("kafka-controller", controller);
        m.put("embedding-service", embedding);
        m.put("retrieval-service", retrieval);
        m.put("ingest-service", ingest);
        m.put("inference-service", inference);
        m.put("gateway", gateway);
        return m;
    }

    /** True when nothing accepts connections on the port and it can be bound. */
    public static boolean isFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            s.setReuseAddress(true);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeQuietly(ServerSocket s) {
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // the port is only being probed
            }
        }
    }
}
