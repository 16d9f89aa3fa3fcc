package dev.tinyos.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * One analysis over one replay (scheduler statistics, cache simulation...). The driver
 * ({@link Analysis}) checks that the kernel has every tracepoint in {@link #requires()}, feeds
 * {@link #events()} (and {@link #accesses()} if not null) while the trace replays, calls
 * {@link #end} once at the end of the run, then {@link #write} once. Invariant: a job's output
 * is a pure function of the events it received, so the same trace always gives the same files.
 */
public interface Job {
    /** Short name used in file names and messages, e.g. {@code sched}. */
    String name();

    /** Tracepoints without which this job has nothing to say; the run is refused if one is missing. */
    Set<Tracepoint> requires();

    /**
     * Tracepoints this job listens to (a superset of {@link #requires()}); only these get probes,
     * so a job that needs few events keeps the replay fast.
     */
    default Set<Tracepoint> uses() {
        return java.util.EnumSet.allOf(Tracepoint.class);
    }

    /** What this job needs the tracepoints for, for the refusal message, e.g. "per-process CPU time". */
    String purpose();

    /** Receives the kernel events (optional tracepoints that are absent simply never fire). */
    KernelEvents events();

    /** The access stream handler, or null if this job does not need it (the replay then runs fast). */
    default AccessEvents accesses() {
        return null;
    }

    /** The replay reached its end at {@code icount}, guest time {@code timeNs}. */
    void end(long icount, long timeNs);

    /** Writes this job's files into {@code dir} (which exists); returns the files written. */
    java.util.List<Path> write(Path dir) throws IOException;
}
