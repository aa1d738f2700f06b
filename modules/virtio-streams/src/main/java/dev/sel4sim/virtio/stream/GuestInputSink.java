package dev.sel4sim.virtio.stream;

import java.util.concurrent.Executor;

import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A sink into the guest through an {@link InboundPort}. It pulls only as many elements as the device has asked for
 * (receive buffers the guest has posted), so a guest that posts no receive buffers backpressures its upstream,
 * while one with many buffers gets a batch per drain. Never touches guest memory itself.
 */
public final class GuestInputSink extends GraphStage<SinkShape<ByteString>> {
    private final Inlet<ByteString> in = Inlet.create("GuestInputSink.in");
    private final SinkShape<ByteString> shape = SinkShape.of(in);
    private final Executor vm;
    private final InboundPort port;

    /**
     * @param vm   runs tasks on the VM's thread
     * @param port the device end
     */
    public GuestInputSink(Executor vm, InboundPort port) {
        this.vm = vm;
        this.port = port;
    }

    @Override
    public SinkShape<ByteString> shape() {
        return shape;
    }

    @Override
    public GraphStageLogic createLogic(Attributes attributes) {
        return new GraphStageLogic(shape) {
            private InboundPort.Link link;
            private long demand; // elements the device asked for that this stage has not pushed to it yet

            {
                setHandler(in, new AbstractInHandler() {
                    @Override
                    public void onPush() {
                        demand--;
                        InboundPort.Link l = link;
                        l.arrivals.add(grab(in));
                        if (l.deliveryScheduled.compareAndSet(false, true)) {
                            vm.execute(() -> port.deliver(l));
                        }
                        maybePull();
                    }
                });
            }

            private void maybePull() {
                if (demand > 0 && !hasBeenPulled(in) && !isClosed(in)) {
                    pull(in);
                }
            }

            @Override
            public void preStart() {
                AsyncCallback<Integer> more = createAsyncCallback(n -> {
                    demand += n;
                    maybePull();
                });
                AsyncCallback<Throwable> failed = createAsyncCallback(this::failStage);
                InboundPort.Link l = new InboundPort.Link(more::invoke, failed::invoke);
                link = l;
                vm.execute(() -> port.connect(l));
            }

            @Override
            public void postStop() {
                InboundPort.Link l = link;
                if (l != null) {
                    vm.execute(() -> port.disconnect(l));
                }
            }
        };
    }
}
