package dev.tinyos.replay.crash;

import dev.tinyos.core.Machine;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The disk write stream of a recorded run: every write and flush the guest's disk received,
 * with their data and order, extracted by replaying the trace (every digest checked, as
 * {@code verify} does) with a {@link DiskRequestTap} on the machine's input; the console lines
 * of the run with their icounts ({@link ConsoleLines}); and the trace's initial disk image,
 * unpacked into a scratch file this object owns.
 *
 * <p>Invariant (checked by {@link #extract}): applying the completed writes in completion order
 * to the initial image gives, sector for sector, what the replayed drive itself holds at the
 * end of the run (its image under its write cache) — the stream is the device's, not a guess.
 */
public final class DiskHistory implements AutoCloseable {
    private final Path traceDir;
    private final Path kernel;
    private final int memoryMiB;
    private final List<DiskOp> ops;
    private final Path initialImage;
    private final long diskSectors;
    private final long endIcount;
    private final List<ConsoleLines.Line> console;

    DiskHistory(Path traceDir, Path kernel, int memoryMiB, List<DiskOp> ops, Path initialImage, long diskSectors,
                long endIcount, List<ConsoleLines.Line> console) {
        this.traceDir = traceDir;
        this.kernel = kernel;
        this.memoryMiB = memoryMiB;
        this.ops = List.copyOf(ops);
        this.initialImage = initialImage;
        this.diskSectors = diskSectors;
        this.endIcount = endIcount;
        this.console = List.copyOf(console);
    }

    /**
     * Replays trace {@code dir} and collects its disk stream; the initial image is unpacked into
     * {@code scratchDir}. {@code progress} receives the replayed icount now and then.
     *
     * @throws TraceException with one sentence if the trace cannot be replayed, diverges, has no
     *         disk, or its request stream cannot be followed
     */
    public static DiskHistory extract(Path dir, Path scratchDir, LongConsumer progress) throws TraceException {
        DiskRequestTap[] tap = new DiskRequestTap[1];
        ConsoleLines console = new ConsoleLines();
        Path initial = null;
        try (Replay replay = Replay.open(dir, console, src -> tap[0] = new DiskRequestTap(src))) {
            Machine m = replay.machine();
            console.attach(m);
            if (m.block() == null) {
                throw new TraceException("trace " + dir + " ran without a disk: there is no write stream to explore.");
            }
            tap[0].attach(m);
            ReplayOutcome o = replay.run(progress);
            if (!o.ok()) {
                throw new TraceException("cannot explore " + dir + ": " + o.message());
            }
            if (tap[0].error() != null) {
                throw new TraceException("cannot follow the disk requests of " + dir + ": " + tap[0].error() + ".");
            }
            String mismatch = compareWithDevice(m, tap[0].ops());
            if (mismatch != null) {
                throw new TraceException("the disk stream extracted from " + dir + " does not match the replayed drive: "
                        + mismatch + ".");
            }
            initial = replay.trace().unpackDisk(scratchDir);
            return new DiskHistory(dir, replay.trace().kernel(), replay.trace().header().machine().memoryMiB(), tap[0].ops(),
                    initial, m.block().cache().backend().sectors(), m.view().icount(), console.lines());
        } catch (IOException e) {
            deleteQuietly(initial);
            throw new TraceException("cannot read the replayed disk of " + dir + ": " + e.getMessage() + ".");
        } catch (TraceException | RuntimeException e) {
            deleteQuietly(initial);
            throw e;
        }
    }

    /**
     * Null if every sector the completed writes touched reads, through the replayed drive's
     * cache and image, as the latest completed write left it; else what differs.
     */
    static String compareWithDevice(Machine m, List<DiskOp> ops) throws IOException {
        Map<Long, byte[]> latest = new HashMap<>();
        List<DiskOp> done = new ArrayList<>();
        for (DiskOp op : ops) {
            if (op.isWrite() && op.isCompleted()) {
                done.add(op);
            }
        }
        done.sort((a, b) -> Long.compare(a.completeSeq(), b.completeSeq()));
        for (DiskOp w : done) {
            for (int j = 0; j < w.sectors(); j++) {
                latest.put(w.sector + j, Arrays.copyOfRange(w.data, j * 512, (j + 1) * 512));
            }
        }
        byte[] dev = new byte[512];
        for (Map.Entry<Long, byte[]> e : latest.entrySet()) {
            m.block().cache().read(e.getKey(), dev, 0, 512);
            if (!Arrays.equals(dev, e.getValue())) {
                return "sector " + e.getKey() + " holds other bytes than the last write to it";
            }
        }
        return null;
    }

    public Path traceDir() {
        return traceDir;
    }

    /** The trace's kernel (the default checker kernel). */
    public Path kernel() {
        return kernel;
    }

    public int memoryMiB() {
        return memoryMiB;
    }

    /** Every write and flush, in start order. */
    public List<DiskOp> ops() {
        return ops;
    }

    /** The initial disk image (a scratch file; deleted by {@link #close}). */
    public Path initialImage() {
        return initialImage;
    }

    public long diskSectors() {
        return diskSectors;
    }

    /** The icount at which the replayed run ended. */
    public long endIcount() {
        return endIcount;
    }

    /** The recorded run's console lines, each with the icount of its newline. */
    List<ConsoleLines.Line> console() {
        return console;
    }

    public long writes() {
        return ops.stream().filter(DiskOp::isWrite).count();
    }

    public long flushes() {
        return ops.stream().filter(o -> !o.isWrite()).count();
    }

    @Override
    public void close() {
        deleteQuietly(initialImage);
    }

    static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                // a scratch file; deleteOnExit is the fallback
            }
        }
    }
}
