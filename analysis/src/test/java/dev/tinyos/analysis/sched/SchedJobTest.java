package dev.tinyos.analysis.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.analysis.Analysis;
import dev.tinyos.analysis.AnalysisException;
import dev.tinyos.analysis.TestTraces;
import dev.tinyos.replay.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler job on a recorded kernel run: three CPU spinners (only preemption shares the
 * CPU) and two sleepers (voluntary switches, wakeups), checked against what the programs do and
 * against conservation laws; the same trace twice gives identical files; a kernel without
 * tracepoints is refused with a clear sentence.
 */
class SchedJobTest {
    @TempDir
    static Path tmp;
    static Path trace;
    static String console;

    @BeforeAll
    static void record() throws Exception {
        trace = tmp.resolve("spin-sleeper");
        console = TestTraces.kernel(trace, "spin 3 10", "sleeper 2 3");
    }

    private static SchedJob analyse() throws Exception {
        SchedJob j = new SchedJob();
        Analysis.run(trace, List.of(j), false);
        return j;
    }

    private static List<ProcStats> named(SchedJob j, String name) {
        return j.processes().stream().filter(p -> name.equals(p.name())).toList();
    }

    /** The children a program named {@code name} forked: named so themselves, with a parent named so. */
    private static List<ProcStats> forkedBy(SchedJob j, String name) {
        java.util.Set<Integer> pids = new java.util.HashSet<>();
        named(j, name).forEach(p -> pids.add(p.pid));
        return named(j, name).stream().filter(p -> pids.contains(p.parent)).toList();
    }

    @Test
    void spinnersArePreemptedAndShareTheCpu() throws Exception {
        assertTrue(console.contains("spin: done"), console);
        SchedJob j = analyse();
        assertEquals(4, named(j, "spin").size(), "the spin program (exec'd by init's child) and its three children");
        List<ProcStats> spin = forkedBy(j, "spin");
        assertEquals(3, spin.size(), "spin forks three children");
        long min = Long.MAX_VALUE, max = 0;
        for (ProcStats p : spin) {
            assertTrue(p.involuntary() > 0, "spinner " + p.pid + " was never preempted");
            assertEquals(0, p.voluntary(), "a spinner never blocks or yields");
            assertEquals(Integer.valueOf(0), p.exitStatus());
            assertEquals(p.scheduled(), p.waitsUs().length, "every scheduling of a spinner ends a known wait");
            min = Math.min(min, p.cpuNs());
            max = Math.max(max, p.cpuNs());
        }
        java.util.regex.Matcher q = java.util.regex.Pattern.compile("quantum (\\d+) ticks").matcher(console);
        assertTrue(q.find(), "the kernel prints its quantum at boot");
        long quantumNs = Long.parseLong(q.group(1)) * 10_000_000L;
        assertTrue(max - min <= quantumNs + 1_000_000, "round-robin: shares differ by at most one quantum ("
                + quantumNs + " ns): " + min + ".." + max);
    }

    @Test
    void sleepersSwitchVoluntarily() throws Exception {
        SchedJob j = analyse();
        List<ProcStats> s = forkedBy(j, "sleeper");
        assertEquals(2, s.size(), "sleeper forks two children");
        for (ProcStats p : s) {
            assertTrue(p.voluntary() >= 3, "sleeper " + p.pid + " slept 3 rounds: " + p.voluntary());
            assertEquals(Integer.valueOf(0), p.exitStatus());
        }
    }

    @Test
    void everyInstructionAndNanosecondAfterTheFirstSwitchIsChargedOnce() throws Exception {
        SchedJob j = analyse();
        SchedJob.Switch first = j.switches().get(0);
        long instr = 0, ns = 0, scheduled = 0;
        for (ProcStats p : j.processes()) {
            instr += p.instructions();
            ns += p.cpuNs();
            scheduled += p.scheduled();
        }
        assertEquals(j.endIcount() - first.icount(), instr);
        assertEquals(j.endNs() - first.timeNs(), ns);
        assertEquals(j.switchCount(), scheduled);
        try (Replay r = Replay.open(trace, null)) {
            assertEquals(r.summary().endIcount(), j.endIcount());
        }
        Windows w = j.windows();
        long windowNs = 0;
        for (int i = 0; i < w.count(); i++) {
            for (int pid : w.pids()) {
                windowNs += w.cpuNs(pid, i);
            }
        }
        assertEquals(ns, windowNs);
    }

    @Test
    void sameTraceTwiceGivesIdenticalFiles() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a")), b = Files.createDirectories(tmp.resolve("b"));
        List<Path> fa = analyse().write(a);
        List<Path> fb = analyse().write(b);
        assertEquals(6, fa.size());
        for (int i = 0; i < fa.size(); i++) {
            assertEquals(fa.get(i).getFileName(), fb.get(i).getFileName());
            assertArrayEquals(Files.readAllBytes(fa.get(i)), Files.readAllBytes(fb.get(i)), fa.get(i).toString());
        }
        String header = Files.readAllLines(a.resolve("sched-processes.csv")).get(0);
        assertTrue(header.startsWith("pid,name,parent_pid,instructions,cpu_time_ns,"), header);
        try (Stream<String> lines = Files.lines(a.resolve("sched-switches.csv"))) {
            assertEquals(analyse().switchCount() + 1, lines.count());
        }
    }

    @Test
    void kernelWithoutTracepointsIsRefusedWithAClearSentence() throws Exception {
        Path isa = tmp.resolve("isa");
        TestTraces.record(isa, TestTraces.guest("isa/rv64i_alu.elf"), "");
        AnalysisException e = assertThrows(AnalysisException.class,
                () -> Analysis.run(isa, List.of(new SchedJob()), false));
        assertTrue(e.getMessage().contains("has no symbol trace_sched_switch"), e.getMessage());
        assertTrue(e.getMessage().contains("not a tiny-os kernel"), e.getMessage());
        assertTrue(e.getMessage().contains("the sched job needs it for context switches"), e.getMessage());
    }
}
