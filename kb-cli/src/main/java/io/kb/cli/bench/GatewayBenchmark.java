package io.kb.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.Callable;

import io.kb.cli.bench.ClosedLoopLoad.Length;
import io.kb.cli.command.DurationConverter;
import io.kb.cli.command.StackOptions;
import io.kb.cli.command.TokenCommand;
import io.kb.cli.stack.LocalStack;
import io.kb.cli.stack.ManagedProcess;
import io.kb.cli.stack.StackException;
import io.kb.cli.stack.StackPorts;
import io.kb.cli.stack.StackState;
import io.kb.contracts.FieldRules;
import io.kb.contracts.Principal;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code kb bench gateway}: what the gateway costs a search. The steps:
 * <ol>
 *   <li>find the running stack's retrieval-service and gateway, and sign one token of the local issuer;</li>
 *   <li>search once on each side: both must answer 200, and the answers are compared;</li>
 *   <li>read the gateway's rate-limit headers and refuse to start when the buckets cannot hold a run;</li>
 *   <li>per concurrency: warm both sides up, then run them in alternating slices (direct, gateway, gateway,
 *       direct, ...) so that drift of a busy machine falls on both alike;</li>
 *   <li>print throughput and p50/p99 of both sides, what the gateway adds, and every error.</li>
 * </ol>
 * A measurement, not a gate: it exits 0 whether or not the target is met.
 */
@Command(name = "gateway", mixinStandardHelpOptions = true, description = {
        "Send the same search (POST /api/v1/search, same body, same token) straight to retrieval-service and",
        "through the gateway at several concurrencies, and print throughput, p50/p99 and what the gateway adds",
        "(target: <= 1 ms added at p50, >= 90%% of the direct throughput).",
        "The gateway's rate limits must hold the run; start the stack for it with e.g.",
        "  KB_GATEWAY_RATELIMIT_USER_CAPACITY=100000000 KB_GATEWAY_RATELIMIT_TENANT_CAPACITY=100000000 ./kb up",
        "Exit code: 0 measured, 1 a side does not answer the search, 3 stopped before a run the rate limits",
        "could not hold."})
public final class GatewayBenchmark implements Callable<Integer> {

    /** Exit code when either side refuses or fails the first search. */
    static final int SEARCH_FAILED = 1;
    /** Exit code when the rate limits would have turned the (next) run into 429s. */
    static final int RATE_LIMITED = 3;

    /**
     * The fewest tokens the gateway's buckets must hold before the first run. The local profile's defaults (a
     * burst of 120 per caller) would be spent within the first warm-up; a raised limit holds millions.
     */
    static final long MIN_TOKENS = 10_000;
    /** Headroom over the tokens a timed run is expected to take, at the fastest gateway rate seen so far. */
    static final double BUDGET_HEADROOM = 1.5;

    static final String DEFAULT_QUERY = "How many days of unused annual leave can I carry over?";
    static final List<String> MODES = List.of("hybrid", "dense", "bm25");
    private static final String RATE_LIMIT_LIMIT = "RateLimit-Limit";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Mixin
    StackOptions stackOptions;

    @Option(names = "--concurrency", split = ",", defaultValue = "1,4,16,64",
            description = "Requests in flight at once, one level per value, comma-separated (default: ${DEFAULT-VALUE}).")
    List<Integer> concurrency;

    @Option(names = "--duration", converter = DurationConverter.class,
            description = "Measured time per side and concurrency, e.g. 10s (default: 10s unless --requests is given).")
    Duration duration;

    @Option(names = "--requests", description = "Measured requests per side and concurrency, instead of --duration.")
    Long requests;

    @Option(names = "--slices", defaultValue = "4",
            description = "Alternating slices each side's measurement is cut into (default: ${DEFAULT-VALUE}).")
    int slices;

    // The gateway's reactive path is long and compiles late: on 2 cores its CPU per request fell about threefold
    // between its first and third 30 s of bm25 searches (2026-12-07). A short warm-up measured the JIT.
    @Option(names = "--warm-up", defaultValue = "10s", converter = DurationConverter.class,
            description = "Unmeasured load per side before each concurrency (default: ${DEFAULT-VALUE}).")
    Duration warmUp;

    @Option(names = "--query", defaultValue = DEFAULT_QUERY, description = "The query (default: ${DEFAULT-VALUE}).")
    String query;

    @Option(names = "--mode", defaultValue = "hybrid",
            description = "Search mode: hybrid, dense or bm25 (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--top-k", defaultValue = "5", description = "Hits per search (default: ${DEFAULT-VALUE}).")
    int topK;

    @Option(names = "--user", defaultValue = "bench",
            description = "Search as this user of the local issuer (default: ${DEFAULT-VALUE}).")
    String user;

    @Option(names = "--tenant", defaultValue = "aurora", description = "The user's tenant (default: ${DEFAULT-VALUE}).")
    String tenant;

    @Option(names = "--groups", split = ",", description = "The user's groups, comma-separated.")
    List<String> groups = List.of();

    @Option(names = "--token", description = "Search with this bearer token instead of signing one.")
    String token;

    @Option(names = "--gateway-url", description = "The gateway (default: the running local stack's).")
    URI gatewayUrl;

    @Option(names = "--retrieval-url", description = "retrieval-service (default: the running local stack's).")
    URI retrievalUrl;

    @Option(names = "--json", description = "Print the result as JSON (progress still goes to standard error).")
    boolean json;

    @Override
    public Integer call() throws Exception {
        validate();
        // 1. The two endpoints and the token.
        LocalStack stack = stackOptions.stack();
        StackPorts ports = runningPorts(stack);
        URI gateway = (gatewayUrl != null ? gatewayUrl : URI.create("http://127.0.0.1:" + ports.gateway()))
                .resolve("/api/v1/search");
        URI direct = (retrievalUrl != null ? retrievalUrl : URI.create("http://127.0.0.1:" + ports.retrieval()))
                .resolve("/api/v1/search");
        String bearer = token != null ? token : TokenCommand.sign(stack.home().resolve("keys/local-issuer.jwk.json"),
                "http://127.0.0.1:" + ports.gateway(), user, tenant, groups, Duration.ofHours(2));
        String body = JSON.writeValueAsString(JSON.createObjectNode().put("query", query).put("topK", topK)
                .put("mode", mode));
        HttpRequest toDirect = search(direct, bearer, body);
        HttpRequest toGateway = search(gateway, bearer, body);
        HttpClient directClient = client();
        HttpClient gatewayClient = client();

        // 2. One search on each side.
        HttpResponse<String> first = firstSearch(directClient, toDirect, "retrieval-service");
        HttpResponse<String> viaGateway = firstSearch(gatewayClient, toGateway, "the gateway");
        if (first == null || viaGateway == null) {
            return SEARCH_FAILED;
        }
        List<String> directHits = chunkIds(first.body());
        List<String> gatewayHits = chunkIds(viaGateway.body());
        String hitsNote = directHits.equals(gatewayHits) ? "the same hits on both sides"
                : "the sides' first answers differ: direct " + directHits + ", gateway " + gatewayHits;

        // 3. The gateway's rate limits.
        OptionalLong limit = viaGateway.headers().firstValueAsLong(RATE_LIMIT_LIMIT);
        long remaining = viaGateway.headers().firstValueAsLong(ClosedLoopLoad.RATE_LIMIT_REMAINING).orElse(-1);
        String rateLimits = rateLimitNote(limit, remaining);
        if (remaining >= 0 && remaining < MIN_TOKENS) {
            System.err.println("kb bench gateway: " + tooFewTokens(remaining, MIN_TOKENS, limit));
            return RATE_LIMITED;
        }

        // 4. The levels.
        GatewayBenchResult.Setup setup = new GatewayBenchResult.Setup(direct.toString(), gateway.toString(), query,
                mode, topK, directHits.size(), hitsNote, clientDescription(), schedule(), rateLimits,
                Runtime.getRuntime().availableProcessors());
        ClosedLoopLoad directLoad = new ClosedLoopLoad(directClient, toDirect);
        ClosedLoopLoad gatewayLoad = new ClosedLoopLoad(gatewayClient, toGateway);
        Processes processes = processes(stack);
        Budget budget = new Budget(remaining, limit);
        List<GatewayBenchResult.Level> levels = new ArrayList<>();
        String stoppedEarly = null;
        try {
            for (int c : concurrency) {
                System.err.printf(Locale.ROOT, "Concurrency %d...%n", c);
                levels.add(level(c, directLoad, gatewayLoad, budget, processes));
            }
        } catch (Budget.Exhausted e) {
            stoppedEarly = e.getMessage();
        }

        // 5. The report.
        GatewayBenchResult result = new GatewayBenchResult(setup, levels, stoppedEarly);
        System.out.print(json ? result.json(JSON) + System.lineSeparator() : result.report());
        return stoppedEarly == null ? 0 : RATE_LIMITED;
    }

    /** One concurrency: warm-up on both sides, then the slices in alternating order. */
    private GatewayBenchResult.Level level(int c, ClosedLoopLoad directLoad, ClosedLoopLoad gatewayLoad, Budget budget,
            Processes processes) throws InterruptedException {
        long cpu0 = processCpuNanos();
        long wall0 = System.nanoTime();
        LoadSample direct = LoadSample.empty();
        LoadSample gateway = LoadSample.empty();
        // Warm-up failures are not measured, but they are shown like every other failure.
        direct = direct.plus(warmUpErrorsOnly(directLoad.run(c, new Length.Timed(warmUp))));
        budget.check(new Length.Timed(warmUp), c);
        gateway = gateway.plus(warmUpErrorsOnly(budget.spent(gatewayLoad.run(c, new Length.Timed(warmUp)))));
        // CPU of the gateway during the gateway's slices and, as its idle use, during the direct ones; CPU of
        // retrieval-service during the direct slices.
        CpuTally gatewayCpu = new CpuTally(processes.gateway());
        CpuTally gatewayIdle = new CpuTally(processes.gateway());
        CpuTally retrievalCpu = new CpuTally(processes.retrieval());
        List<Length> sliceLengths = sliceLengths();
        for (int i = 0; i < sliceLengths.size(); i++) {
            Length length = sliceLengths.get(i);
            boolean directFirst = i % 2 == 0;
            if (directFirst) {
                direct = direct.plus(gatewayIdle.during(() -> retrievalCpu.during(() -> directLoad.run(c, length))));
            }
            budget.check(length, c);
            gateway = gateway.plus(budget.spent(gatewayCpu.during(() -> gatewayLoad.run(c, length))));
            if (!directFirst) {
                direct = direct.plus(gatewayIdle.during(() -> retrievalCpu.during(() -> directLoad.run(c, length))));
            }
        }
        double cores = (processCpuNanos() - cpu0) / (double) (System.nanoTime() - wall0);
        return new GatewayBenchResult.Level(c, direct, gateway, cores,
                gatewayCpu.microsPerRequestBeyond(gatewayIdle.cores()), gatewayIdle.cores(),
                retrievalCpu.microsPerRequestBeyond(0));
    }

    /** The processes whose CPU time is followed; unknown when the endpoints are not the local stack's. */
    record Processes(ProcessCpu gateway, ProcessCpu retrieval) {
    }

    private Processes processes(LocalStack stack) {
        if (gatewayUrl != null || retrievalUrl != null) {
            return new Processes(ProcessCpu.UNKNOWN, ProcessCpu.UNKNOWN);
        }
        StackState state = stack.running().orElse(null);
        if (state == null) {
            return new Processes(ProcessCpu.UNKNOWN, ProcessCpu.UNKNOWN);
        }
        return new Processes(cpuOf(state, "gateway"), cpuOf(state, "retrieval-service"));
    }

    private static ProcessCpu cpuOf(StackState state, String name) {
        return state.process(name).flatMap(ManagedProcess::handle).map(ProcessCpu::of).orElse(ProcessCpu.UNKNOWN);
    }

    /** A process's CPU time added up over the runs it was measured during; unknown once any reading was. */
    static final class CpuTally {

        private final ProcessCpu process;
        private Duration used = Duration.ZERO;
        private long wallNanos;
        private long requests;
        private boolean known = true;

        CpuTally(ProcessCpu process) {
            this.process = process;
        }

        /** A run with the process's CPU time read before and after it. */
        LoadSample during(Run run) throws InterruptedException {
            Optional<Duration> before = process.used();
            long t0 = System.nanoTime();
            LoadSample sample = run.run();
            wallNanos += System.nanoTime() - t0;
            Optional<Duration> after = process.used();
            requests += sample.succeeded() + sample.failed();
            if (before.isPresent() && after.isPresent()) {
                used = used.plus(after.get().minus(before.get()));
            } else {
                known = false;
            }
            return sample;
        }

        /** The process's average CPU use over the runs, in cores; NaN when unknown or nothing ran. */
        double cores() {
            return known && wallNanos > 0 ? used.toNanos() / (double) wallNanos : Double.NaN;
        }

        /**
         * CPU microseconds per request sent (answered or not) during the runs, beyond what the process uses
         * anyway; NaN when unknown or no request was sent.
         *
         * @param idleCores what the process uses without requests (JIT compilation, GC, timers), in cores
         */
        double microsPerRequestBeyond(double idleCores) {
            if (!known || requests == 0 || Double.isNaN(idleCores)) {
                return Double.NaN;
            }
            return (used.toNanos() - idleCores * wallNanos) / 1000.0 / requests;
        }

        /** One run of the load. */
        interface Run {
            LoadSample run() throws InterruptedException;
        }
    }

    /** Each side's measurement cut into {@link #slices} runs; any remainder of requests goes to the first ones. */
    List<Length> sliceLengths() {
        List<Length> lengths = new ArrayList<>(slices);
        for (int i = 0; i < slices; i++) {
            if (requests != null) {
                long each = requests / slices + (i < requests % slices ? 1 : 0);
                lengths.add(new Length.Counted(each));
            } else {
                lengths.add(new Length.Timed(measured().dividedBy(slices)));
            }
        }
        return lengths;
    }

    /** A warm-up's failures, with no latencies and no time: it is not part of the measurement. */
    private static LoadSample warmUpErrorsOnly(LoadSample warmUp) {
        Map<String, Long> errors = new TreeMap<>();
        Map<String, String> samples = new TreeMap<>();
        warmUp.errors().forEach((kind, n) -> errors.put(kind + " (warm-up)", n));
        warmUp.errorSamples().forEach((kind, text) -> samples.put(kind + " (warm-up)", text));
        return new LoadSample(LoadSample.newHistogram(), 0, errors, samples, warmUp.remaining());
    }

    /**
     * The tokens left in the gateway's tighter bucket, as the responses report them, and a refusal before a run
     * that could empty it: a bench that measures 429s measures the limiter's refusals, not the gateway.
     */
    static final class Budget {

        private long remaining;
        private final OptionalLong limit;
        private double fastest;

        Budget(long remaining, OptionalLong limit) {
            this.remaining = remaining;
            this.limit = limit;
        }

        /** Throws when the next gateway run could take more tokens than are left. */
        void check(Length length, int concurrency) {
            if (remaining < 0) {
                return;
            }
            long needed = switch (length) {
                case Length.Counted c -> c.requests();
                case Length.Timed t -> (long) Math.ceil(fastest * t.duration().toNanos() / 1e9 * BUDGET_HEADROOM)
                        + concurrency;
            };
            if (needed > remaining) {
                throw new Exhausted(tooFewTokens(remaining, needed, limit));
            }
        }

        /** Takes note of what a gateway run used and how fast it went. */
        LoadSample spent(LoadSample run) {
            remaining = LoadSample.fewer(remaining, run.remaining());
            fastest = Math.max(fastest, (run.succeeded() + run.failed()) * 1e9 / Math.max(1, run.elapsedNanos()));
            return run;
        }

        /** The next run would meet the rate limits. */
        static final class Exhausted extends RuntimeException {
            Exhausted(String message) {
                super(message);
            }
        }
    }

    static String tooFewTokens(long remaining, long needed, OptionalLong limit) {
        return String.format(Locale.ROOT, "the gateway's rate limits would refuse requests of this run: %d tokens "
                + "left in the tighter bucket%s, about %d needed. Start the stack with raised limits for the bench: "
                + "./kb down; KB_GATEWAY_RATELIMIT_USER_CAPACITY=100000000 KB_GATEWAY_RATELIMIT_TENANT_CAPACITY="
                + "100000000 ./kb up --detach", remaining,
                limit.isPresent() ? " (RateLimit-Limit " + limit.getAsLong() + ")" : "", needed);
    }

    static String rateLimitNote(OptionalLong limit, long remaining) {
        if (remaining < 0) {
            return "the gateway sent no RateLimit headers: its rate limits are off, nothing to avoid";
        }
        return String.format(Locale.ROOT, "gateway rate limits on and measured, with room for the bench: "
                + "RateLimit-Limit %s, %d tokens left before the first run; the bench stops before any run that "
                + "could use them up, so no 429 is measured", limit.isPresent() ? Long.toString(limit.getAsLong())
                : "?", remaining);
    }

    private HttpResponse<String> firstSearch(HttpClient client, HttpRequest request, String side) throws Exception {
        HttpResponse<String> response;
        try {
            response = client.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new StackException(side + " at " + request.uri() + " does not answer (" + e + "); is the stack "
                    + "running? (./kb status)");
        }
        if (response.statusCode() != 200) {
            System.err.printf(Locale.ROOT, "kb bench gateway: %s answered the search with HTTP %d: %s%n", side,
                    response.statusCode(), ClosedLoopLoad.shorten(response.body()));
            return null;
        }
        return response;
    }

    private static List<String> chunkIds(String searchResponse) {
        List<String> ids = new ArrayList<>();
        for (JsonNode hit : JSON.readTree(searchResponse).path("hits")) {
            ids.add(hit.path("chunkId").asString());
        }
        return ids;
    }

    private static HttpRequest search(URI url, String bearer, String body) {
        return HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + bearer)
                .header("Content-Type", "application/json")
                .header("Accept", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    /** One client per side, so each side keeps its own pool of keep-alive connections. */
    private static HttpClient client() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5))
                .build();
    }

    static String clientDescription() {
        return "JDK HttpClient (Java " + Runtime.version().feature() + "), HTTP/1.1 keep-alive, one client and "
                + "connection pool per side, one connection per worker; closed loop, workers on virtual threads";
    }

    String schedule() {
        String each = requests != null ? requests + " requests" : format(measured());
        return String.format(Locale.ROOT, "per concurrency: %s warm-up per side, then %s per side in %d alternating "
                + "slices (direct, gateway, gateway, direct, ...)", format(warmUp), each, slices);
    }

    private Duration measured() {
        return duration != null ? duration : Duration.ofSeconds(10);
    }

    private static String format(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }

    private static long processCpuNanos() {
        return ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os
                ? os.getProcessCpuTime() : 0;
    }

    /** The ports the running stack was started with; the defaults when URLs are given for both sides. */
    private StackPorts runningPorts(LocalStack stack) {
        if (gatewayUrl != null && retrievalUrl != null) {
            return stack.ports();
        }
        return stack.running().map(StackState::ports).orElseThrow(() -> new StackException(
                "no local stack is running from " + stack.home() + "; start it with ./kb up (or give --gateway-url "
                        + "and --retrieval-url)"));
    }

    void validate() {
        if (concurrency.isEmpty() || concurrency.stream().anyMatch(c -> c == null || c < 1)) {
            throw new IllegalArgumentException("--concurrency: every value must be 1 or more, was " + concurrency);
        }
        if (duration != null && requests != null) {
            throw new IllegalArgumentException("--duration and --requests: give one of them, not both");
        }
        if (duration != null && (duration.isNegative() || duration.isZero())) {
            throw new IllegalArgumentException("--duration must be positive, was " + duration);
        }
        if (warmUp.isNegative()) {
            throw new IllegalArgumentException("--warm-up cannot be negative, was " + warmUp);
        }
        if (slices < 1) {
            throw new IllegalArgumentException("--slices must be 1 or more, was " + slices);
        }
        if (requests != null && requests < slices) {
            throw new IllegalArgumentException("--requests must be at least --slices (" + slices + "), was "
                    + requests);
        }
        if (!MODES.contains(mode)) {
            throw new IllegalArgumentException("--mode must be one of " + String.join(", ", MODES) + ", was " + mode);
        }
        if (topK < 1) {
            throw new IllegalArgumentException("--top-k must be 1 or more, was " + topK);
        }
        if (query.isBlank()) {
            throw new IllegalArgumentException("--query cannot be blank");
        }
        if (token == null) {
            FieldRules.requireTenant(tenant);
            Principal.requireValid("user", Principal.user(user));
            groups.forEach(g -> Principal.requireValid("groups", Principal.group(g)));
        }
    }
}
