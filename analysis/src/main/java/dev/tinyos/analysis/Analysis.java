package dev.tinyos.analysis;

import dev.tinyos.core.Machine;
import dev.tinyos.core.probe.AccessProbe;
import dev.tinyos.replay.Replay;
import dev.tinyos.replay.ReplayOutcome;
import dev.tinyos.replay.TraceException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Runs jobs over one replay: opens the trace, refuses jobs whose required tracepoints the
 * kernel lacks (naming the symbol and what it was needed for), attaches the probes, replays the
 * whole trace (checking every digest, as {@code verify} does) in chunks so that progress can
 * be shown, then ends every job at the final icount and guest time. Invariant: jobs only see
 * {@link KernelEvents} and {@link AccessEvents}; the replayed run is the recorded one, or the
 * analysis fails with the replay's divergence message.
 */
public final class Analysis {
    /** How the replay went: the final icount and guest time, and the replay's own verdict. */
    public record Result(long icount, long timeNs, ReplayOutcome outcome) {}

    private Analysis() {}

    /** Replays {@code trace} with {@code jobs} attached; progress on stderr when {@code progress}. */
    public static Result run(Path trace, List<? extends Job> jobs, boolean progress)
            throws TraceException, AnalysisException {
        try (Replay replay = Replay.open(trace, null)) {
            Machine m = replay.machine();
            checkTracepoints(trace, m, jobs);
            attach(m, jobs);
            long total = replay.summary().endIcount();
            Progress p = new Progress(System.err, "replaying " + trace.getFileName(), total, progress);
            ReplayOutcome o = replay.run(p::update);
            p.done();
            if (!o.ok()) {
                throw new AnalysisException("cannot analyse " + trace + ": " + o.message());
            }
            long icount = m.view().icount();
            long timeNs = Tracepoints.timeNs(m);
            for (Job j : jobs) {
                j.end(icount, timeNs);
            }
            return new Result(icount, timeNs, o);
        }
    }

    static void checkTracepoints(Path trace, Machine m, List<? extends Job> jobs) throws AnalysisException {
        Set<Tracepoint> present = Tracepoints.present(m);
        for (Job j : jobs) {
            Set<Tracepoint> missing = EnumSet.noneOf(Tracepoint.class);
            missing.addAll(j.requires());
            missing.removeAll(present);
            if (!missing.isEmpty()) {
                throw new AnalysisException(missingMessage(trace, j, missing, present.isEmpty()));
            }
        }
    }

    /** The refusal sentence for a kernel that lacks tracepoints a job requires. */
    static String missingMessage(Path trace, Job j, Set<Tracepoint> missing, boolean none) {
        Set<String> names = new TreeSet<>();
        for (Tracepoint t : missing) {
            names.add(t.symbol());
        }
        String what = names.size() == 1 ? "symbol " + names.iterator().next() : "symbols " + String.join(", ", names);
        String why = none ? "it has no tiny-os tracepoint at all: not a tiny-os kernel, or one built without "
                + "tracepoints (guest/TRACEPOINTS.md)"
                : "a tiny-os kernel from before these tracepoints, or built without them (guest/TRACEPOINTS.md)";
        return "the kernel of trace " + trace + " has no " + what + ": " + why + "; the " + j.name()
                + " job needs " + (names.size() == 1 ? "it" : "them") + " for " + j.purpose() + ".";
    }

    private static void attach(Machine m, List<? extends Job> jobs) {
        List<AccessEvents> access = new ArrayList<>();
        for (Job j : jobs) {
            Tracepoints.attach(m, j.uses(), j.events());
            if (j.accesses() != null) {
                access.add(j.accesses());
            }
        }
        if (access.size() == 1) {
            AccessEvents a = access.get(0);
            m.probes().onAccess(a::access);
        } else if (!access.isEmpty()) {
            AccessEvents[] all = access.toArray(new AccessEvents[0]);
            m.probes().onAccess((kind, va, pa, size, priv, pc) -> {
                for (AccessEvents a : all) {
                    a.access(kind, va, pa, size, priv, pc);
                }
            });
        }
        assert AccessProbe.FETCH == AccessEvents.FETCH && AccessProbe.PTW == AccessEvents.PTW;
    }
}
