package dev.sel4sim.servers;

import dev.sel4sim.kernel.SysResult;
import dev.sel4sim.kernel.Syscalls;
import dev.sel4sim.kernel.ipc.KernelEvent;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The StringReverse component of camkes' cross-VM connector example (kind {@code string-reverse}): when the
 * guest rings the doorbell of the {@code ready} connection it reads a NUL-terminated string from the
 * {@code src} dataport, writes it reversed (by Unicode code point; UTF-8 in and out) and NUL-terminated into
 * the {@code dest} dataport, and emits the event of the {@code done} connection.
 *
 * <p>Ordering contract: the guest writes {@code src} before it rings, and reads {@code dest} only after the
 * event. This component takes an acquire fence after the doorbell's notification and a release fence after
 * writing {@code dest}, before it signals; the VMM does the same on its side.
 *
 * <p>A request the component cannot serve (no NUL in {@code src}, a result larger than {@code dest}) is
 * reported on the console, leaves an empty string in {@code dest} and still emits the event, so the guest is
 * never left waiting; nothing else is affected.
 */
public final class StringReverse {
    /**
     * Which cross-VM connections the component uses.
     *
     * @param src    the dataport the guest writes the string to
     * @param dest   the dataport the reversed string goes to (may be {@code src})
     * @param ready  the connection whose doorbell asks for a reversal
     * @param done   the connection whose event tells the guest it is done
     * @param workNs simulated execution charged per request
     */
    public record Settings(String src, String dest, String ready, String done, long workNs) {
        /**
         * From a component's {@code settings} block: {@code src} (default "src"), {@code dest} (default
         * "dest"), {@code ready} and {@code done} (default: src's), {@code work} (a duration, default 0).
         */
        public static Settings of(com.typesafe.config.Config c) {
            String src = c.hasPath("src") ? c.getString("src") : "src";
            return new Settings(src, c.hasPath("dest") ? c.getString("dest") : "dest", c.hasPath("ready") ? c.getString("ready") : src,
                    c.hasPath("done") ? c.getString("done") : src, c.hasPath("work") ? c.getDuration("work").toNanos() : 0);
        }

        /** The connections these settings name, by setting. */
        public java.util.Map<String, String> connections() {
            return java.util.Map.of("src", src, "dest", dest, "ready", ready, "done", done);
        }
    }

    /** What the component has done so far (plain fields: its snapshot). */
    public record Counters(long reversed, long refused) {
    }

    private StringReverse() {
    }

    public static Behavior<KernelEvent> create(Syscalls sys, Wiring wiring, Settings settings, Console console) {
        MemorySegment src = wiring.dataport(settings.src());
        MemorySegment dest = wiring.dataport(settings.dest());
        long ready = wiring.cap(Wiring.fromGuest(settings.ready()));
        long done = wiring.cap(Wiring.toGuest(settings.done()));
        String name = sys.name().replaceFirst("\\.tcb$", "");
        return Behaviors.setup(ctx -> new Object() {
            long reversed;
            long refused;

            Behavior<KernelEvent> behavior() {
                return Behaviors.receiveMessage(ev -> {
                    switch (ev) {
                        case KernelEvent.Started s -> sys.waitFor(ready);
                        case KernelEvent.NotificationReceived n -> {
                            sys.compute(settings.workNs());
                            serve();
                            SysResult r = sys.signal(done);
                            if (r.isError()) {
                                console.line("[" + name + "] cannot emit the done event: " + r);
                            }
                            sys.waitFor(ready);
                        }
                        case Query q -> q.replyTo().accept(new Counters(reversed, refused));
                        default -> { }
                    }
                    return Behaviors.same();
                });
            }

            private void serve() {
                // Pairs with the VMM's release fence before the doorbell: the guest's writes to src are visible.
                VarHandle.acquireFence();
                Optional<byte[]> text = DataportText.read(src);
                String problem = null;
                if (text.isEmpty()) {
                    problem = "the " + settings.src() + " dataport holds no NUL-terminated string within its "
                            + src.byteSize() + " bytes; nothing reversed";
                } else {
                    String in = new String(text.get(), StandardCharsets.UTF_8);
                    byte[] out = new StringBuilder(in).reverse().toString().getBytes(StandardCharsets.UTF_8);
                    if (DataportText.write(dest, out)) {
                        reversed++;
                    } else {
                        problem = "the reversed string (" + out.length + " bytes and a NUL) does not fit the "
                                + settings.dest() + " dataport of " + dest.byteSize() + " bytes";
                    }
                }
                if (problem != null) {
                    refused++;
                    DataportText.write(dest, new byte[0]);
                    console.line("[" + name + "] bad request from the guest: " + problem);
                }
                // Publishes dest before the event that lets the guest read it.
                VarHandle.releaseFence();
            }
        }.behavior());
    }

    /** Asks the component for its counters (tests, the CLI). */
    public record Query(java.util.function.Consumer<Counters> replyTo) implements KernelEvent.Local {
    }
}
