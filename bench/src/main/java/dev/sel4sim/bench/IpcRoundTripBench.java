package dev.sel4sim.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * IPC round trips per second: seL4 Call / ReplyRecv through the kernel model against a raw Pekko
 * typed request/reply of the same shape on dispatchers of the same kind (single host thread,
 * throughput 1). One benchmark invocation is a batch of {@value #ROUND_TRIPS} round trips made one
 * after the other by the client; the benchmark thread only starts the batch and waits for it, so
 * the score is round trips per second.
 *
 * <p>Pairs compared by {@code bench/run.sh}: {@code kernelOneCore} with {@code pekkoOneThread},
 * {@code kernelTwoCores} with {@code pekkoTwoThreads}. {@code pekkoDefaultDispatcher} is a
 * reference point (Pekko's fork-join default dispatcher, throughput 5).
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
@OperationsPerInvocation(IpcRoundTripBench.ROUND_TRIPS)
public class IpcRoundTripBench {
    /** Round trips per benchmark invocation. */
    public static final int ROUND_TRIPS = 10_000;

    /**
     * Forks of the two-thread variants. Their speed depends on where the OS puts the two threads:
     * sharing one CPU a hand-off is a context switch, on two CPUs it is a cross-CPU wake-up, several
     * times slower on a virtual machine; a fork tends to stay in one of the two modes, so one fork is
     * a coin flip and three show both.
     */
    public static final int TWO_THREAD_FORKS = 3;

    /** One running client/server pair for the whole trial (a fork's warm-up and measurement). */
    public abstract static class Rig {
        PingPong pair;

        abstract PingPong create();

        @Setup(Level.Trial)
        public void setUp() throws Exception {
            pair = create();
            // Both sides are up and answering before the clock starts, and every call got its own
            // reply: the client sends n, n-1, ..., 1 and the server answers each with word + 1.
            long sum = pair.run(100);
            if (sum != 100 * 101 / 2 + 100) {
                throw new IllegalStateException("100 round trips summed to " + sum + ", expected 5150");
            }
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            if (pair != null) {
                pair.close();
            }
        }
    }

    @State(Scope.Benchmark)
    public static class KernelOneCore extends Rig {
        @Override
        PingPong create() {
            return new KernelPingPong(1);
        }
    }

    @State(Scope.Benchmark)
    public static class KernelTwoCores extends Rig {
        @Override
        PingPong create() {
            return new KernelPingPong(2);
        }
    }

    @State(Scope.Benchmark)
    public static class PekkoOneThread extends Rig {
        @Override
        PingPong create() {
            return new PekkoPingPong(PekkoPingPong.Layout.ONE_THREAD);
        }
    }

    @State(Scope.Benchmark)
    public static class PekkoTwoThreads extends Rig {
        @Override
        PingPong create() {
            return new PekkoPingPong(PekkoPingPong.Layout.TWO_THREADS);
        }
    }

    @State(Scope.Benchmark)
    public static class PekkoDefault extends Rig {
        @Override
        PingPong create() {
            return new PekkoPingPong(PekkoPingPong.Layout.DEFAULT_DISPATCHER);
        }
    }

    /** Kernel model, client and server threads on one simulated core. */
    @Benchmark
    public long kernelOneCore(KernelOneCore rig) throws Exception {
        return rig.pair.run(ROUND_TRIPS);
    }

    /** Kernel model, server on core 0 and client on core 1. */
    @Benchmark
    @Fork(value = TWO_THREAD_FORKS, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public long kernelTwoCores(KernelTwoCores rig) throws Exception {
        return rig.pair.run(ROUND_TRIPS);
    }

    /** Raw Pekko, both actors on one single-thread dispatcher (throughput 1). */
    @Benchmark
    public long pekkoOneThread(PekkoOneThread rig) throws Exception {
        return rig.pair.run(ROUND_TRIPS);
    }

    /** Raw Pekko, each actor on its own single-thread dispatcher (throughput 1). */
    @Benchmark
    @Fork(value = TWO_THREAD_FORKS, jvmArgsAppend = {"-Xms1g", "-Xmx1g"})
    public long pekkoTwoThreads(PekkoTwoThreads rig) throws Exception {
        return rig.pair.run(ROUND_TRIPS);
    }

    /** Raw Pekko on the default dispatcher, for reference. */
    @Benchmark
    public long pekkoDefaultDispatcher(PekkoDefault rig) throws Exception {
        return rig.pair.run(ROUND_TRIPS);
    }
}
