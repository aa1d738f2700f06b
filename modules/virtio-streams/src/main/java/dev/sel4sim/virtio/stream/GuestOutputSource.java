package dev.sel4sim.virtio.stream;

import java.util.ArrayDeque;
import java.util.concurrent.Executor;

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
                AsyncCallback<ByteString> arrived = createAsyncCallback(this::arrived);
                AsyncCallback<Throwable> failed = createAsyncCallback(this::failStage);
                OutboundPort.Link l = new OutboundPort.Link(arrived::invoke, failed::invoke);
                link = l;
                vm.execute(() -> {
                    port.connect(l);
                    port.grant(l, capacity);
                });
            }

            private void arrived(ByteString element) {
                if (isAvailable(out) && buffer.isEmpty()) {
                    pushAndGrant(element);
                } else {
                    buffer.add(element);
                }
            }

            private void pushAndGrant(ByteString element) {
                push(out, element);
                OutboundPort.Link l = link;
                vm.execute(() -> port.grant(l, 1));
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
