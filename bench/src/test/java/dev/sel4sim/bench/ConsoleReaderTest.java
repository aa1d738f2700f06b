package dev.sel4sim.bench;

import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConsoleReaderTest {
    private static ActorSystem<Void> system;
    private static Materializer mat;

    @BeforeAll
    static void start() {
        system = ActorSystem.create(Behaviors.empty(), "console-reader-test");
        mat = Materializer.createMaterializer(system);
    }

    @AfterAll
    static void stop() {
        system.terminate();
    }

    @Test
    void countsMarksAndOtherBytesApart() {
        List<ByteString> parts = List.of(ByteString.fromString("xxxx"), ByteString.fromString("x\r\nx"), ByteString.fromString("xx"));
        ConsoleReader r = new ConsoleReader(Source.from(parts).runWith(Sink.queue(), mat), (byte) 'x', "test-reader");
        assertTrue(r.awaitBytes(10, TimeUnit.SECONDS.toNanos(10)));
        ConsoleReader.Counts c = r.counts();
        assertEquals(10, c.bytes());
        assertEquals(8, c.marks());
        assertEquals(2, c.others());
        assertEquals(3, c.elements());
    }

    @Test
    void aSlowReaderTakesAsLongAsItsRateSays() {
        byte[] block = new byte[1000];
        java.util.Arrays.fill(block, (byte) 'x');
        // 6,000 bytes at 10,000 bytes/s: the sixth read waits until 0.5 s after the first.
        ConsoleReader r = new ConsoleReader(Source.repeat(ByteString.fromArray(block)).take(6).runWith(Sink.queue(), mat), (byte) 'x',
                "slow-reader", 10_000);
        assertTrue(r.awaitBytes(6000, TimeUnit.SECONDS.toNanos(10)));
        double s = r.counts().seconds();
        assertTrue(s >= 0.45 && s < 2.0, "6 reads of 1,000 bytes at 10,000 bytes/s took " + s + " s");
    }
}
