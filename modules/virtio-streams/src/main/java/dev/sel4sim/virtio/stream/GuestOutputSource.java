package dev.sel4sim.virtio.stream;

import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A source of what the guest sends through an {@link OutboundPort}. It grants the device credit for at most
 * {@code capacity} elements beyond what downstream has taken: a bounded buffer that smooths the hop between
 * the VM's thread and the stream, and past which the guest's buffers stay in its queue.
 *
 * <p>The stage never touches guest memory: it only schedules port operations on the VM's executor and
 * receives elements through an async callback.
 */
public final class GuestOutputSource extends GraphStage<SourceShape<ByteString>> {
    private final Outlet<ByteString> out = Outlet.create("GuestOutputSource.out");
    private final SourceShape<ByteString> shape = SourceShape.of(out);
    private final Executor vm;
    private final OutboundPort port;
    private final int capacity;

    /**
     * @param vm       runs tasks on the VM's thread
     * @param port     the device end
     * @param capacity elements the stream may hold ahead of downstream demand (at least 1)
     */
    public GuestOutputSource(Executor vm, OutboundPort port, int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1: " + capacity);
        }
        this.vm = vm;
        this.port = port;
        this.capacity = capacity;
    }

    @Override
    public SourceShape<ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new GraphStageLogic(shape) {
            private final ArrayDeque<ByteString> buffer = new ArrayDeque<>();
            // Credit earned by pushes and not yet handed to the device: one grant task per batch of pushes.
            private final AtomicLong ungranted = new AtomicLong();
            private OutboundPort.Link link;

            {
                setHandler(out, new AbstractOutHandler() {
                    @Override
                    public void onPull() {
                        if (!buffer.isEmpty()) {
                            pushAndGrant(buffer.poll());
                        }
                    }
                });
            }

            @Override
            public void preStart() {
                AsyncCallback<List<ByteString>> arrived = createAsyncCallback(this::arrived);
                AsyncCallback<Throwable> failed = createAsyncCallback(this::failStage);
                OutboundPort.Link l = new OutboundPort.Link(arrived::invoke, failed::invoke);
                link = l;
                vm.execute(() -> {
                    port.connect(l);
                    port.grant(l, capacity);
                });
            }

            private void arrived(List<ByteString> elements) {
                buffer.addAll(elements);
                if (isAvailable(out)) {
                    pushAndGrant(buffer.poll());
                }
            }

            private void pushAndGrant(ByteString element) {
                push(out, element);
                if (ungranted.getAndIncrement() == 0) {
                    OutboundPort.Link l = link;
                    // Whatever accumulated until the task runs goes in this one grant; a push after it starts a new one.
                    vm.execute(() -> port.grant(l, ungranted.getAndSet(0)));
                }
            }

            @Override
            public void postStop() {
                OutboundPort.Link l = link;
                if (l != null) {
                    vm.execute(() -> port.disconnect(l));
                }
            }
        };
    }
}
