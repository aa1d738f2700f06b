package dev.sel4sim.virtio.testing;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.pekko.NotUsed;
import org.apache.pekko.stream.Attributes;
import org.apache.pekko.stream.Outlet;
import org.apache.pekko.stream.SourceShape;
import org.apache.pekko.stream.javadsl.Source;
import org.apache.pekko.stream.stage.AbstractOutHandler;
import org.apache.pekko.stream.stage.GraphStage;
import org.apache.pekko.stream.stage.GraphStageLogic;
import org.apache.pekko.util.ByteString;

/**
 * A live producer that counts how many times downstream pulled it: it emits its elements one per pull, then
 * stays open with nothing more to say.
 */
public final class CountingSource {
    private final List<ByteString> elements;
    private final AtomicInteger pulled = new AtomicInteger();

    public CountingSource(List<ByteString> elements) {
        this.elements = List.copyOf(elements);
    }

    public int pulled() {
        return pulled.get();
    }

    public Source<ByteString, NotUsed> source() {
        return Source.fromGraph(new Stage());
    }

    private final class Stage extends GraphStage<SourceShape<ByteString>> {
        private final Outlet<ByteString> out = Outlet.create("CountingSource.out");
        private final SourceShape<ByteString> shape = SourceShape.of(out);

        @Override
        public SourceShape<ByteString> shape() {
            return shape;
        }

        @Override
        public GraphStageLogic createLogic(Attributes attributes) {
            return new GraphStageLogic(shape) {
                private int next;

                {
                    setHandler(out, new AbstractOutHandler() {
                        @Override
                        public void onPull() {
                            pulled.incrementAndGet();
                            if (next < elements.size()) {
                                push(out, elements.get(next++));
                            }
                        }
                    });
                }
            };
        }
    }
}
