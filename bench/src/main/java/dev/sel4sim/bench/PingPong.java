package dev.sel4sim.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A running request/reply pair: a client that, when told to, makes {@code n} round trips to a
 * server one after the other and completes a future after the last reply.
 */
interface PingPong extends AutoCloseable {
    /** How long one batch may take before the benchmark gives up (a lost message, a deadlock). */
    long BATCH_TIMEOUT_S = 120;

    /** Starts a batch of {@code n} round trips; the future completes with the sum of the replies. */
    void start(int n, CompletableFuture<Long> done);

    /** Runs {@code n} round trips and waits for the last reply. */
    default long run(int n) throws InterruptedException, ExecutionException, TimeoutException {
        CompletableFuture<Long> done = new CompletableFuture<>();
        start(n, done);
        return done.get(BATCH_TIMEOUT_S, TimeUnit.SECONDS);
    }

    @Override
    void close();

    /**
     * The actor-system configuration of every benchmark: quiet logging and two single-thread
     * dispatchers shaped like a simulated core (one host thread, one message per mailbox run).
     */
    static Config config() {
        String core = """
                {
                  type = Dispatcher
                  executor = "thread-pool-executor"
                  thread-pool-executor { fixed-pool-size = 1 }
                  throughput = 1
                }
                """;
        return ConfigFactory.parseString("""
                pekko.loglevel = "WARNING"
                pekko.stdout-loglevel = "WARNING"
                pekko.log-dead-letters = off
                pekko.log-dead-letters-during-shutdown = off
                bench.core-0 = %s
                bench.core-1 = %s
                """.formatted(core, core)).withFallback(ConfigFactory.load());
    }
}
