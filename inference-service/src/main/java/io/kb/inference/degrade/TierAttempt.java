package io.kb.inference.degrade;

import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.TokenSink;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One generation on one tier: the generator runs on its own virtual thread while the caller waits for its first
 * token; if none comes within the tier's first-token timeout, the attempt is abandoned (the generator's thread is
 * interrupted, and a token arriving late is refused) and nothing has reached the reader, so another tier can
 * answer. Every outcome is recorded in the tier's circuit: the time to first token as the call's duration (so a
 * slow tier opens its circuit), errors as failures.
 */
final class TierAttempt {

    private static final int WAITING = 0;
    private static final int STREAMING = 1;
    private static final int ABANDONED = 2;

    /** The attempt ended before any text reached the reader: another tier may answer. */
    static final class Skipped extends Exception {
        final String reason;

        Skipped(String reason, String message) {
            super(message, null, false, false);
            this.reason = reason;
        }
    }

    /**
     * The attempt failed after text reached the reader: no other tier may take over.
     */
    static final class FailedMidAnswer extends RuntimeException {
        FailedMidAnswer(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * @param generation what the tier produced
     * @param ttftNanos  nanoseconds until the first token (the whole call when none came)
     */
    record Result(Generation generation, long ttftNanos) {
    }

    private TierAttempt() {
    }

    static Result run(Tier tier, GenerationRequest request, TokenSink sink, ExecutorService threads)
            throws Skipped {
        if (!tier.queue().tryAcquirePermission()) {
            tier.circuit().onError(0, TimeUnit.NANOSECONDS, new GenerationException(
                    GenerationException.Kind.OVERLOADED, "queue full", false));
            throw new Skipped("queue_full", tier.name() + ": " + tier.properties().maxConcurrent()
                    + " generations already in flight");
        }
        long start = System.nanoTime();
        AtomicInteger state = new AtomicInteger(WAITING);
        CountDownLatch firstToken = new CountDownLatch(1);
        long[] ttft = {-1};
        TokenSink gate = text -> {
            if (state.get() == ABANDONED) {
                throw new GenerationCancelledException("the tier was abandoned for a slow first token");
            }
            if (state.compareAndSet(WAITING, STREAMING)) {
                ttft[0] = System.nanoTime() - start;
                firstToken.countDown();
            }
            sink.accept(text);
        };
        Future<Generation> call = threads.submit(() -> {
            try {
                return tier.generator().generate(request, gate);
            } finally {
                firstToken.countDown();
            }
        });
        try {
            boolean signalled = firstToken.await(tier.properties().firstTokenTimeout().toNanos(), TimeUnit.NANOSECONDS);
            if (!signalled && state.compareAndSet(WAITING, ABANDONED)) {
                call.cancel(true);
                long elapsed = System.nanoTime() - start;
                tier.circuit().onSuccess(elapsed, TimeUnit.NANOSECONDS);
                throw new Skipped("slow", tier.name() + ": no first token within "
                        + tier.properties().firstTokenTimeout().toMillis() + " ms");
            }
            long remaining = Math.max(1, request.deadline().toEpochMilli() - System.currentTimeMillis());
            Generation g = call.get(remaining, TimeUnit.MILLISECONDS);
            long firstTokenNanos = ttft[0] >= 0 ? ttft[0] : System.nanoTime() - start;
            tier.circuit().onSuccess(firstTokenNanos, TimeUnit.NANOSECONDS);
            return new Result(g, firstTokenNanos);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof GenerationCancelledException cancelled) {
                tier.circuit().releasePermission();
                throw cancelled;
            }
            long elapsed = System.nanoTime() - start;
            tier.circuit().onError(elapsed, TimeUnit.NANOSECONDS, cause);
            boolean textSent = state.get() == STREAMING
                    || cause instanceof GenerationException ge && ge.textSent();
            if (textSent) {
                throw new FailedMidAnswer(tier.name() + " failed after the answer had started: "
                        + cause.getMessage(), cause);
            }
            String reason = cause instanceof GenerationException ge ? switch (ge.kind()) {
                case UNAVAILABLE -> "unavailable";
                case TIMEOUT -> "timeout";
                case OVERLOADED -> "overloaded";
                case FAILED -> "error";
            } : "error";
            throw new Skipped(reason, tier.name() + ": " + cause.getMessage());
        } catch (TimeoutException e) {
            call.cancel(true);
            tier.circuit().onError(System.nanoTime() - start, TimeUnit.NANOSECONDS, e);
            if (state.get() == STREAMING) {
                throw new FailedMidAnswer(tier.name() + " did not finish within its timeout", e);
            }
            throw new Skipped("timeout", tier.name() + ": no answer within its timeout");
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw new GenerationCancelledException("the answer was interrupted");
        } finally {
            tier.queue().onComplete();
        }
    }
}
