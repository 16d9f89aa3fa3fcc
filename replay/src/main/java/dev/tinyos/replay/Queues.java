package dev.tinyos.replay;

import java.nio.file.Path;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * How a trace's Chronicle Queue is opened, in one place for writer and reader: a fixed time
 * provider (epoch 0) and the FAST_DAILY roll cycle, so a trace is always the single file
 * {@code queue/19700101F.cq4} whatever the date, and a small block size so short traces stay
 * small. Invariant: changing any setting here bumps {@link TraceHeader#FORMAT_VERSION}.
 */
final class Queues {
    static final String DIR = "queue";
    /** Chronicle grows a queue file in blocks of this size (sparse on disk). */
    static final long BLOCK_SIZE = 256 << 10;

    private Queues() {
    }

    static SingleChronicleQueue open(Path traceDir, boolean readOnly) {
        return SingleChronicleQueueBuilder.binary(traceDir.resolve(DIR))
                .rollCycle(RollCycles.FAST_DAILY)
                .timeProvider(() -> 0L)
                .blockSize(BLOCK_SIZE)
                .readOnly(readOnly)
                .build();
    }
}
