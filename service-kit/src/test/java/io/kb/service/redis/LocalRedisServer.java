package io.kb.service.redis;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;

/**
 * A real {@code redis-server} for the services' tests of their Redis adapters: started from Debian's binary on a free
 * loopback port, without persistence, and stopped with the test. It can be stopped and started again on the same
 * port, to test what an adapter does while Redis is away and after it is back. Where the binary is missing the
 * tests are skipped with a message that says how to install it ({@code ./kb test} installs it when it can).
 */
public final class LocalRedisServer implements AutoCloseable {

    /** Where Debian's {@code redis-server} package puts the server. */
    public static final Path BINARY = Path.of("/usr/bin/redis-server");

    private final int port;
    private final List<String> options;
    private Process process;

    private LocalRedisServer(int port, List<String> options) {
        this.port = port;
        this.options = List.copyOf(options);
    }

    /**
     * Skips the calling test class when the binary is missing.
     *
     * @param untested what goes untested, for the skip message
     */
    public static void assumeInstalled(String untested) {
        Assumptions.assumeTrue(Files.isExecutable(BINARY), "redis-server is not installed at " + BINARY
                + " (apt-get install redis-server, or ./kb test as root); " + untested + " is not tested here");
    }

    /**
     * Starts a server on a free loopback port and waits until it accepts connections.
     *
     * @param options further command-line options, e.g. {@code --requirepass secret}
     */
    public static LocalRedisServer start(String... options) throws IOException, InterruptedException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        LocalRedisServer server = new LocalRedisServer(port, List.of(options));
        server.startAgain();
        return server;
    }

    /** The port it listens on, the same after a restart. */
    public int port() {
        return port;
    }

    /** The URI a Redis client takes, {@code redis://127.0.0.1:<port>}. */
    public String uri() {
        return "redis://127.0.0.1:" + port;
    }

    /** Stops the server and waits until it has exited; what it held is gone. */
    public synchronized void stop() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
            process = null;
        }
    }

    /** Starts an empty server on the same port again, after {@link #stop()}. */
    public synchronized void startAgain() throws IOException, InterruptedException {
        if (process != null) {
            throw new IllegalStateException("redis-server is already running on port " + port);
        }
        List<String> command = new ArrayList<>(List.of(BINARY.toString(), "--port", Integer.toString(port),
                "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"));
        command.addAll(options);
        process = new ProcessBuilder(command)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        IOException last = null;
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (answers()) {
                    return;
                }
            } catch (IOException notYet) {
                last = notYet;
            }
            Thread.sleep(20);
        }
        stop();
        throw new IOException("redis-server did not come up on port " + port, last);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    /**
     * One {@code PING} in RESP over a plain socket, so that this helper needs no Redis client: {@code +PONG}, or
     * {@code -NOAUTH} from a server that wants a password, both say it is up.
     */
    private boolean answers() throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 500);
            socket.setSoTimeout(500);
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String reply = new String(in.readNBytes(7), StandardCharsets.US_ASCII);
            return reply.equals("+PONG\r\n") || reply.startsWith("-NOAUTH");
        }
    }
}
