package dev.sel4sim.virtio.testing;

import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.pekko.Done;
import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Inlet;
import org.apache.pekko.stream.SinkShape;
import org.apache.pekko.stream.javadsl.Sink;
import org.apache.pekko.stream.stage.AbstractInHandler;
import org.apache.pekko.stream.stage.AsyncCallback;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/** A consumer that pulls exactly as many elements as the test {@link #request requests}, and keeps them. */
public final class DemandProbe {
    private final ConcurrentLinkedQueue<ByteString> received = new ConcurrentLinkedQueue<>();
    private final AtomicLong credit = new AtomicLong();
    private volatile Runnable wake = () -> { };

    public void request(long n) {
        credit.addAndGet(n);
        wake.run();
    }

    public List<ByteString> received() {
        return List.copyOf(received);
    }

    public ByteString concatenated() {
        ByteString all = ByteString.emptyByteString();
        for (ByteString b : received) {
            all = all.concat(b);
        }
        return all;
    }

    public Sink<ByteString, NotUsed> sink() {
        return Sink.fromGraph(new Stage());
    }

    private final class Stage extends GraphStage<SinkShape<ByteString>> {
        private final Inlet<ByteString> in = Inlet.create("DemandProbe.in");
        private final SinkShape<ByteString> shape = SinkShape.of(in);

        @Override
        public SinkShape<ByteString> shape() {
            return shape;
        }

        @Override
        public GraphStageLogic createLogic(Attributes attributes) {
            return new GraphStageLogic(shape) {
                {
                    setHandler(in, new AbstractInHandler() {
                        @Override
                        public void onPush() {
                            received.add(grab(in));
                            maybePull();
                        }
                    });
                }

                @Override
                public void preStart() {
                    AsyncCallback<Done> cb = createAsyncCallback(d -> maybePull());
                    wake = () -> cb.invoke(Done.getInstance());
                    maybePull();
                }

                private void maybePull() {
                    if (!hasBeenPulled(in) && !isClosed(in) && credit.get() > 0) {
                        credit.decrementAndGet();
                        pull(in);
                    }
                }
            };
        }
    }
}
