package dev.tinyos.analysis.fs;

import dev.tinyos.analysis.CsvWriter;
import dev.tinyos.analysis.OutputFiles;
import dev.tinyos.analysis.Job;
import dev.tinyos.analysis.KernelEvents;
import dev.tinyos.analysis.Plot;
import dev.tinyos.analysis.Tracepoint;
import dev.tinyos.analysis.sched.LatencySummary;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;

/**
 * File-system statistics from {@code trace_fs_commit} and the system-call tracepoints (required),
 * {@code trace_blk_submit}, {@code trace_fs_extent_write} and {@code trace_fs_unshare} (used when
 * present): one row per commit (guest time, blocks written, copies on write, free space, tree
 * heights), per file-system call counts, errors and latency percentiles (enter to exit of the
 * same pid), and the write amplification (bytes the disk was asked to write over bytes programs
 * wrote through write() on descriptors above 2). Invariant: the output is a pure function of the
 * event sequence (ordered maps, no identity hashing), so re-analysis gives identical files.
 */
public final class FsJob implements Job, KernelEvents {
    static final int SYS_READ = 9, SYS_WRITE = 10, FIRST_FS = 30, LAST_FS = 49;
    private static final String[] FS_CALLS = {"open", "close", "lseek", "fstat", "stat", "mkdir", "rmdir", "unlink",
        "rename", "chdir", "getcwd", "readdir", "fsync", "sync", "mkfs", "ftruncate", "snapshot", "reflink", "fsinfo",
        "subvol"};
    private static final int VIRTIO_BLK_T_OUT = 1;

    /** One durable commit, as written to fs-commits.csv. */
    public record Commit(long icount, long timeNs, long gen, long blocksWritten, long cowCopies, long freeBlocks,
                         long heights) {
        /** Levels of tree {@code i}: 0 free-space, 1 root, 2 extent, 3 checksum, 4 subvolume 5's FS tree. */
        public int height(int i) {
            return (int) ((heights >>> (8 * i)) & 0xff);
        }
    }

    private static final class CallStats {
        long errors;
        final List<Double> latencyUs = new ArrayList<>();
    }

    private final List<Commit> commits = new ArrayList<>();
    private final TreeMap<Integer, long[]> pending = new TreeMap<>();      // pid -> {number, timeNs, fd}
    private final TreeMap<String, CallStats> calls = new TreeMap<>();
    private long programBytes, deviceBytes, extentWrites, extentBlocks, unshares;
    private long endNs;

    @Override
    public String name() {
        return "fs";
    }

    @Override
    public Set<Tracepoint> requires() {
        return EnumSet.of(Tracepoint.FS_COMMIT, Tracepoint.SYSCALL_ENTER, Tracepoint.SYSCALL_EXIT);
    }

    @Override
    public Set<Tracepoint> uses() {
        return EnumSet.of(Tracepoint.FS_COMMIT, Tracepoint.SYSCALL_ENTER, Tracepoint.SYSCALL_EXIT,
                Tracepoint.BLK_SUBMIT, Tracepoint.FS_EXTENT_WRITE, Tracepoint.FS_UNSHARE);
    }

    @Override
    public String purpose() {
        return "file-system commits and system calls";
    }

    @Override
    public KernelEvents events() {
        return this;
    }

    /** The name of a file-system call, or null for other calls (console reads and writes too). */
    static String callName(int number, long fd) {
        if (number >= FIRST_FS && number <= LAST_FS) {
            return FS_CALLS[number - FIRST_FS];
        }
        if ((number == SYS_READ || number == SYS_WRITE) && fd > 2) {
            return number == SYS_READ ? "read" : "write";
        }
        return null;
    }

    @Override
    public void syscallEnter(long icount, long timeNs, int pid, int number, long arg0, long arg1, long arg2) {
        if (callName(number, arg0) != null) {
            pending.put(pid, new long[] {number, timeNs, arg0});
        }
    }

    @Override
    public void syscallExit(long icount, long timeNs, int pid, int number, long ret) {
        long[] p = pending.remove(pid);
        if (p == null || p[0] != number) {
            return;
        }
        CallStats s = calls.computeIfAbsent(callName(number, p[2]), k -> new CallStats());
        s.latencyUs.add((timeNs - p[1]) / 1000.0);
        if (ret < 0) {
            s.errors++;
        } else if (number == SYS_WRITE) {
            programBytes += ret;
        }
    }

    @Override
    public void blkSubmit(long icount, long timeNs, int slot, int type, long sector, long len) {
        if (type == VIRTIO_BLK_T_OUT) {
            deviceBytes += len;
        }
    }

    @Override
    public void fsCommit(long icount, long timeNs, long gen, long blocksWritten, long cowCopies, long freeBlocks,
                         long heights) {
        commits.add(new Commit(icount, timeNs, gen, blocksWritten, cowCopies, freeBlocks, heights));
    }

    @Override
    public void fsExtentWrite(long icount, long timeNs, long ino, long fileBlock, long diskStart, long nblocks) {
        extentWrites++;
        extentBlocks += nblocks;
    }

    @Override
    public void fsUnshare(long icount, long timeNs, long oldBlockno, long newBlockno, int level, long refs) {
        unshares++;
    }

    @Override
    public void end(long icount, long timeNs) {
        endNs = timeNs;
    }

    // ---- results ----

    public List<Commit> commits() {
        return commits;
    }

    /** Calls per file-system call name. */
    public long calls(String name) {
        CallStats s = calls.get(name);
        return s == null ? 0 : s.latencyUs.size();
    }

    public long programBytes() {
        return programBytes;
    }

    public long deviceBytes() {
        return deviceBytes;
    }

    /** Device bytes written over program bytes written; NaN if programs wrote nothing. */
    public double writeAmplification() {
        return programBytes == 0 ? Double.NaN : (double) deviceBytes / programBytes;
    }

    // ---- files ----

    @Override
    public List<Path> write(Path dir) throws IOException {
        return OutputFiles.in(dir)
                .write("fs-commits.csv", this::writeCommits)
                .write("fs-syscalls.csv", this::writeCalls)
                .write("fs-summary.csv", this::writeSummary)
                .write("fs-commits.svg", this::writePlot)
                .files();
    }

    private void writeCommits(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "icount", "time_ns", "gen", "blocks_written", "cow_copies",
                "free_blocks", "free_tree_levels", "root_tree_levels", "extent_tree_levels", "csum_tree_levels",
                "fs_tree_levels")) {
            for (Commit c : commits) {
                w.cell(c.icount()).cell(c.timeNs()).cell(c.gen()).cell(c.blocksWritten()).cell(c.cowCopies())
                        .cell(c.freeBlocks());
                for (int i = 0; i < 5; i++) {
                    w.cell(c.height(i));
                }
                w.endRow();
            }
        }
    }

    private void writeCalls(Path f) throws IOException {
        try (CsvWriter w = CsvWriter.create(f, "syscall", "calls", "errors", "latency_mean_us", "latency_p50_us",
                "latency_p95_us", "latency_p99_us", "latency_max_us")) {
            for (var e : calls.entrySet()) {
                double[] l = e.getValue().latencyUs.stream().mapToDouble(Double::doubleValue).toArray();
                LatencySummary s = LatencySummary.of(l);
                w.cell(e.getKey()).cell(s.n()).cell(e.getValue().errors).cell(s.mean()).cell(s.p50()).cell(s.p95())
                        .cell(s.p99()).cell(s.max()).endRow();
            }
        }
    }

    private void writeSummary(Path f) throws IOException {
        long written = commits.stream().mapToLong(Commit::blocksWritten).sum();
        long cows = commits.stream().mapToLong(Commit::cowCopies).sum();
        try (CsvWriter w = CsvWriter.create(f, "metric", "value")) {
            w.cell("guest_time_ns").cell(endNs).endRow();
            w.cell("commits").cell(commits.size()).endRow();
            w.cell("commit_blocks_written").cell(written).endRow();
            w.cell("cow_copies").cell(cows).endRow();
            w.cell("extent_writes").cell(extentWrites).endRow();
            w.cell("extent_blocks").cell(extentBlocks).endRow();
            w.cell("shared_blocks_unshared").cell(unshares).endRow();
            w.cell("program_bytes_written").cell(programBytes).endRow();
            w.cell("device_bytes_written").cell(deviceBytes).endRow();
            w.cell("write_amplification").cell(writeAmplification()).endRow();
        }
    }

    private void writePlot(Path f) throws IOException {
        int n = commits.size();
        double[] t = new double[n], blocks = new double[n], cows = new double[n], height = new double[n];
        for (int i = 0; i < n; i++) {
            Commit c = commits.get(i);
            t[i] = c.timeNs() / 1e6;
            blocks[i] = c.blocksWritten();
            cows[i] = c.cowCopies();
            height[i] = c.height(4);
        }
        new Plot("file-system commits", "guest time (ms)", "blocks").series("blocks written", t, blocks)
                .series("tree blocks copied", t, cows).series("FS tree levels", t, height).write(f);
    }
}
