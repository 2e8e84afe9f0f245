package io.kb.inference.degrade;

import io.kb.inference.generate.Generation;
import io.kb.inference.generate.GenerationCancelledException;
import io.kb.inference.generate.GenerationException;
import io.kb.inference.generate.GenerationRequest;
import io.kb.inference.generate.Generator;
import io.kb.inference.generate.TokenSink;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A generator for the policy's tests that plays one {@link Play} per call: a wait before the first token, the
 * tokens, then optionally a failure or a block until released. It counts its calls and notices when a call is
 * interrupted (the policy abandoning it).
 */
final class ProgrammableGenerator implements Generator {

    /**
     * @param firstTokenAfter the wait before the first token
     * @param tokens          the text pieces
     * @param failure         thrown after the tokens, or {@code null}
     * @param holdUntil       awaited after the tokens (an in-flight call), or {@code null}
     */
    record Play(Duration firstTokenAfter, List<String> tokens, GenerationException failure, CountDownLatch holdUntil) {

        static Play answer(String... tokens) {
            return new Play(Duration.ZERO, List.of(tokens), null, null);
        }

        static Play fail(GenerationException.Kind kind) {
            return new Play(Duration.ZERO, List.of(), new GenerationException(kind, kind + " on purpose", false), null);
        }

        Play after(Duration wait) {
            return new Play(wait, tokens, failure, holdUntil);
        }

        Play thenFail(GenerationException.Kind kind) {
            return new Play(firstTokenAfter, tokens, new GenerationException(kind, kind + " midway", true), null);
        }

        Play thenHold(CountDownLatch release) {
            return new Play(firstTokenAfter, tokens, failure, release);
        }
    }

    private final Queue<Play> plays = new ConcurrentLinkedQueue<>();
    private volatile Play otherwise;
    private final AtomicInteger calls = new AtomicInteger();
    private final CountDownLatch started = new CountDownLatch(1);
    private final CountDownLatch interrupted = new CountDownLatch(1);

    ProgrammableGenerator(Play otherwise) {
        this.otherwise = otherwise;
    }

    /** The next calls play these, in order; afterwards every call plays {@link #otherwise(Play)}. */
    ProgrammableGenerator then(Play... next) {
        plays.addAll(List.of(next));
        return this;
    }

    /** What every call plays once the queued plays are used up. */
    void otherwise(Play play) {
        this.otherwise = play;
    }

    int calls() {
        return calls.get();
    }

    boolean awaitStarted(Duration timeout) throws InterruptedException {
        return started.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    boolean awaitInterrupted(Duration timeout) throws InterruptedException {
        return interrupted.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    @Override
    public Generation generate(GenerationRequest request, TokenSink sink) {
        calls.incrementAndGet();
        Play play = plays.poll();
        if (play == null) {
            play = otherwise;
        }
        started.countDown();
        try {
            if (!play.firstTokenAfter().isZero()) {
                Thread.sleep(play.firstTokenAfter());
            }
            for (String t : play.tokens()) {
                sink.accept(t);
            }
            if (play.holdUntil() != null) {
                play.holdUntil().await();
            }
        } catch (InterruptedException e) {
            interrupted.countDown();
            throw new GenerationCancelledException("interrupted");
        }
        if (play.failure() != null) {
            throw play.failure();
        }
        String text = String.join("", play.tokens());
        return new Generation(text, 10, play.tokens().size(), "stop");
    }
}
