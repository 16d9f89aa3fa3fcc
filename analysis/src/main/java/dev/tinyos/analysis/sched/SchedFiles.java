package dev.tinyos.analysis.sched;

import dev.tinyos.analysis.CsvWriter;
import dev.tinyos.analysis.OutputFiles;
import dev.tinyos.analysis.KernelEvents;
import dev.tinyos.analysis.Timeline;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes the scheduler analysis: sched-processes.csv, sched-switches.csv, sched-waits.csv,
 * sched-windows.csv, sched-utilisation.csv and sched-timeline.svg. Column names carry their
 * units (_ns, _us, _ms, _per_s, _fraction). Invariant: only reads a finished {@link SchedJob};
 * rows are in pid, icount or window order, so files are identical for identical traces.
 */
final class SchedFiles {
    static final String[] REASONS = {"boot", "yield", "preempt", "sleep", "exit", "idle"};

    private final SchedJob job;

    SchedFiles(SchedJob job) {
        this.job = job;
    }

    static String reasonName(int r) {
        return r >= 0 && r < REASONS.length ? REASONS[r] : "reason" + r;
    }

    List<Path> write(Path dir) throws IOException {
        return OutputFiles.in(dir)
                .write("sched-processes.csv", this::processes)
                .write("sched-switches.csv", this::switches)
                .write("sched-waits.csv", this::waits)
                .write("sched-windows.csv", this::windows)
                .write("sched-utilisation.csv", this::utilisation)
                .write("sched-timeline.svg", this::timeline)
                .files();
    }

    private void processes(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "pid", "name", "parent_pid", "instructions", "cpu_time_ns",
                "times_scheduled", "voluntary_switches", "involuntary_switches", "runnable_wait_ns", "wait_count",
                "wait_mean_us", "wait_p50_us", "wait_p95_us", "wait_p99_us", "wait_max_us", "exit_status")) {
            for (ProcStats p : job.processes()) {
                LatencySummary s = LatencySummary.of(p.waitsUs());
                w.cell(p.pid).cell(p.name).cell(p.parent < 0 ? null : Integer.toString(p.parent))
                        .cell(p.instructions).cell(p.cpuNs).cell(p.scheduled).cell(p.voluntary).cell(p.involuntary)
                        .cell(p.waitNs).cell(s.n()).cell(s.mean()).cell(s.p50()).cell(s.p95()).cell(s.p99())
                        .cell(s.max()).cell(p.exitStatus == null ? null : p.exitStatus.toString());
                w.endRow();
            }
        }
    }

    private void switches(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "icount", "time_ns", "prev_pid", "next_pid", "reason")) {
            for (SchedJob.Switch s : job.switches()) {
                w.cell(s.icount()).cell(s.timeNs()).cell(s.prev()).cell(s.next()).cell(reasonName(s.reason()));
                w.endRow();
            }
        }
    }

    private void waits(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "icount", "time_ns", "pid", "wait_us")) {
            for (long[] s : job.waits()) {
                w.cell(s[0]).cell(s[1]).cell(s[2]).cell(s[3] / 1000.0);
                w.endRow();
            }
        }
    }

    private double windowNs(int i) {
        Windows ws = job.windows();
        long start = i * ws.widthNs;
        return Math.max(1, Math.min(job.endNs(), start + ws.widthNs) - start);
    }

    private void windows(Path f) throws IOException {
        Windows ws = job.windows();
        try (CsvWriter w = CsvWriter.create(f, "window_start_ms", "window_end_ms", "busy_fraction",
                "runqueue_length_mean", "switches", "switches_per_s", "instructions_non_idle")) {
            for (int i = 0; i < ws.count(); i++) {
                long start = i * ws.widthNs;
                double len = windowNs(i);
                double busy = 0;
                for (int pid : ws.pids()) {
                    busy += pid == 0 ? 0 : ws.cpuNs(pid, i) / len;
                }
                w.cell(start / 1e6).cell((start + len) / 1e6).cell(busy).cell(ws.meanQueue(i) * ws.widthNs / len)
                        .cell(ws.switches(i)).cell(ws.switches(i) / (len / 1e9)).cell(ws.instructions(i));
                w.endRow();
            }
        }
    }

    private void utilisation(Path f) throws IOException {
        Windows ws = job.windows();
        Map<Integer, String> names = names();
        try (CsvWriter w = CsvWriter.create(f, "window_start_ms", "pid", "name", "utilisation_fraction")) {
            for (int i = 0; i < ws.count(); i++) {
                for (int pid : ws.pids()) {
                    long ns = ws.cpuNs(pid, i);
                    if (ns > 0) {
                        w.cell(i * ws.widthNs / 1e6).cell(pid).cell(names.get(pid)).cell(ns / windowNs(i));
                        w.endRow();
                    }
                }
            }
        }
    }

    private Map<Integer, String> names() {
        Map<Integer, String> m = new HashMap<>();
        for (ProcStats p : job.processes()) {
            m.put(p.pid, p.name);
        }
        return m;
    }

    private void timeline(Path f) throws IOException {
        Timeline t = new Timeline("Which process ran when (" + job.switchCount() + " context switches)",
                "guest time (ms)");
        Map<Integer, Integer> lane = new HashMap<>();
        for (ProcStats p : job.processes()) {
            if (p.cpuNs > 0) {
                lane.put(p.pid, t.lane(p.pid + " " + (p.name == null ? "?" : p.name)));
            }
        }
        for (long[] r : job.runs()) {
            t.span(lane.get((int) r[0]), r[1] / 1e6, r[2] / 1e6);
        }
        t.xRange(0, job.endNs() / 1e6);
        t.write(f);
    }

    /** Reason names in code order, for documentation and tests. */
    static String[] reasons() {
        return REASONS.clone();
    }

    static {
        assert REASONS.length == KernelEvents.SW_IDLE + 1;
    }
}
