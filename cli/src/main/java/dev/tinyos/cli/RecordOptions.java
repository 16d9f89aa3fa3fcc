package dev.tinyos.cli;

import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.input.TimeBase;
import dev.tinyos.core.input.VirtualClock;
import java.nio.file.Path;
import java.util.function.LongSupplier;
import picocli.CommandLine.Option;

/**
 * The recording and clock options of {@code tinyos run} (a picocli mixin): {@code --trace DIR},
 * {@code --no-record}, {@code --clock host|virtual}, {@code --disk-writeback}. Invariant: pure
 * option holder; the defaults are recording on, into {@code traces/<timestamp>/} under the
 * current directory, and the host clock exactly when standard input is a terminal.
 */
public final class RecordOptions {
    @Option(names = "--trace", paramLabel = "DIR",
            description = "record into trace directory DIR (default: traces/<date-time>/ here; never overwritten)")
    Path trace;

    @Option(names = "--no-record", description = "do not record a trace")
    boolean noRecord;

    @Option(names = "--clock", paramLabel = "host|virtual",
            description = "time base: host = wall clock, host I/O thread (default on a terminal); "
                    + "virtual = from the instruction count, fully deterministic (default otherwise)")
    String clock;

    @Option(names = "--disk-writeback",
            description = "when recording, run on the --disk image itself (default: on a copy, the image is not modified)")
    boolean diskWriteback;

    /** The kind of clock asked for, after the default for this terminal. */
    TimeBase.Kind clockMode(boolean tty) throws BadInputException {
        TimeBase.Kind k = clock == null ? (tty ? TimeBase.Kind.HOST : TimeBase.Kind.VIRTUAL) : TimeBase.Kind.of(clock);
        if (k == null) {
            throw new BadInputException("--clock must be host or virtual, not " + clock);
        }
        return k;
    }

    /** Refuses combinations that would silently mean nothing. */
    void check(boolean hasDisk) throws BadInputException {
        if (noRecord && trace != null) {
            throw new BadInputException("--trace and --no-record contradict each other: give one of them");
        }
        if (trace != null && trace.toString().isBlank()) {
            throw new BadInputException("--trace needs a directory name");
        }
        if (diskWriteback && !hasDisk) {
            throw new BadInputException("--disk-writeback needs --disk IMG (the image to write to)");
        }
        if (diskWriteback && noRecord) {
            throw new BadInputException("--disk-writeback applies to recorded runs only; a run with --no-record "
                    + "always writes to the --disk image itself");
        }
    }

    boolean recording() {
        return !noRecord;
    }

    /** A fresh clock of the given kind and a reader of its skew (for the recorder). */
    static Clock newClock(TimeBase.Kind kind) {
        if (kind == TimeBase.Kind.HOST) {
            HostClock h = new HostClock();
            return new Clock(h, h::skew, h.timeBase());
        }
        VirtualClock v = new VirtualClock();
        return new Clock(v, v::skew, v.timeBase());
    }

    /** A live clock with its skew reader and the time base a trace records for it. */
    record Clock(InputSource source, LongSupplier skew, TimeBase base) {
    }
}
