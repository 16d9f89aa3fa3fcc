package dev.tinyos.analysis.sched;

import dev.tinyos.analysis.Job;
import dev.tinyos.analysis.KernelEvents;
import dev.tinyos.analysis.Tracepoint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * Scheduler statistics from {@code trace_sched_switch} (required) and {@code trace_proc_create},
 * {@code trace_proc_exit}, {@code trace_wakeup} (used when present). Charges the time and
 * instructions between two switches to the process that ran; a process is runnable-waiting
 * from its creation, its wakeup or a yield/preemption until the scheduler switches to it, and
 * that interval is one wait-latency sample. Invariant: the statistics are a pure function of
 * the event sequence (all state in pid order, no hashing of identities), so the same trace
 * always gives the same files.
 */
public final class SchedJob implements Job, KernelEvents {
    /** Default time-series window: 10 ms of guest time (one timer tick). */
    public static final long DEFAULT_WINDOW_NS = 10_000_000;

    /** One context switch, as written to sched-switches.csv. */
    record Switch(long icount, long timeNs, int prev, int next, int reason) {}

    private final TreeMap<Integer, ProcStats> procs = new TreeMap<>();
    private final List<Switch> switches = new ArrayList<>();
    private final List<long[]> waits = new ArrayList<>(); // icount, timeNs, pid, ns
    private final List<long[]> runs = new ArrayList<>();  // pid, fromNs, toNs
    private final Windows windows;
    private int running = -1;
    private long runStartNs, runStartIcount;
    private int queued;
    private long queuedSinceNs;
    private long endIcount, endNs;

    public SchedJob(long windowNs) {
        this.windows = new Windows(windowNs);
        proc(0).name = "idle";
    }

    public SchedJob() {
        this(DEFAULT_WINDOW_NS);
    }

    @Override
    public String name() {
        return "sched";
    }

    @Override
    public Set<Tracepoint> requires() {
        return EnumSet.of(Tracepoint.SCHED_SWITCH);
    }

    @Override
    public Set<Tracepoint> uses() {
        return EnumSet.of(Tracepoint.SCHED_SWITCH, Tracepoint.PROC_CREATE, Tracepoint.EXEC, Tracepoint.PROC_EXIT,
                Tracepoint.WAKEUP);
    }

    @Override
    public String purpose() {
        return "context switches to compute CPU time, switch counts and wait latency per process";
    }

    @Override
    public KernelEvents events() {
        return this;
    }

    private ProcStats proc(int pid) {
        return procs.computeIfAbsent(pid, p -> new ProcStats(p, null));
    }

    private void setQueued(int n, long now) {
        windows.queue(queued, queuedSinceNs, now);
        queued = n;
        queuedSinceNs = now;
    }

    private void makeRunnable(ProcStats p, long now) {
        if (p.pid != 0 && p.runnableSinceNs < 0) {
            p.runnableSinceNs = now;
            setQueued(queued + 1, now);
        }
    }

    @Override
    public void schedSwitch(long icount, long timeNs, int prev, int next, int reason, long tick) {
        chargeRunning(icount, timeNs);
        switches.add(new Switch(icount, timeNs, prev, next, reason));
        windows.contextSwitch(timeNs);
        ProcStats p = proc(prev);
        if (prev != 0) {
            if (reason == SW_YIELD || reason == SW_SLEEP) {
                p.voluntary++;
            } else if (reason == SW_PREEMPT) {
                p.involuntary++;
            }
            if (reason == SW_YIELD || reason == SW_PREEMPT) {
                makeRunnable(p, timeNs);
            }
        }
        ProcStats n = proc(next);
        n.scheduled++;
        if (n.runnableSinceNs >= 0) {
            long w = timeNs - n.runnableSinceNs;
            n.addWait(w);
            waits.add(new long[] {icount, timeNs, next, w});
            n.runnableSinceNs = -1;
            setQueued(queued - 1, timeNs);
        }
        running = next;
        runStartNs = timeNs;
        runStartIcount = icount;
    }

    private void chargeRunning(long icount, long timeNs) {
        if (running < 0) {
            return;
        }
        ProcStats r = proc(running);
        r.instructions += icount - runStartIcount;
        r.cpuNs += timeNs - runStartNs;
        windows.cpu(running, runStartNs, timeNs, icount - runStartIcount);
        if (timeNs > runStartNs) {
            runs.add(new long[] {running, runStartNs, timeNs});
        }
    }

    @Override
    public void procCreate(long icount, long timeNs, int pid, int parent, String name) {
        ProcStats p = proc(pid);
        p.name = name;
        p.parent = parent;
        makeRunnable(p, timeNs);
    }

    @Override
    public void exec(long icount, long timeNs, int pid, String name) {
        proc(pid).name = name;
    }

    @Override
    public void procExit(long icount, long timeNs, int pid, int status) {
        proc(pid).exitStatus = status;
    }

    @Override
    public void wakeup(long icount, long timeNs, int pid, long chan) {
        makeRunnable(proc(pid), timeNs);
    }

    @Override
    public void end(long icount, long timeNs) {
        chargeRunning(icount, timeNs);
        running = -1;
        setQueued(queued, timeNs);
        windows.extendTo(timeNs);
        endIcount = icount;
        endNs = timeNs;
    }

    @Override
    public List<Path> write(Path dir) throws IOException {
        return new SchedFiles(this).write(dir);
    }

    // ---- results (read by SchedFiles, the compare job and tests) ----

    /** Per-pid statistics in pid order (pid 0 is idle). */
    public Collection<ProcStats> processes() {
        return procs.values();
    }

    List<Switch> switches() {
        return switches;
    }

    /** Wait-latency samples: {icount, timeNs, pid, waitNs}, in order. */
    List<long[]> waits() {
        return waits;
    }

    /** CPU intervals: {pid, fromNs, toNs}, in order. */
    List<long[]> runs() {
        return runs;
    }

    public Windows windows() {
        return windows;
    }

    /** Every wait latency of every process, in microseconds, in the order they happened. */
    public double[] allWaitsUs() {
        double[] out = new double[waits.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = waits.get(i)[3] / 1000.0;
        }
        return out;
    }

    public long endIcount() {
        return endIcount;
    }

    public long endNs() {
        return endNs;
    }

    public int switchCount() {
        return switches.size();
    }
}
