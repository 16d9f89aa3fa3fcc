package dev.tinyos.replay.crash;

import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.input.VirtualClock;
import dev.tinyos.replay.RecordSession;
import dev.tinyos.replay.SparseCopy;
import dev.tinyos.replay.TraceException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The crash-state explorer (docs/crash-explorer.md): from a recorded run's disk stream
 * ({@link DiskHistory}) it computes the epochs ({@link CrashModel}), generates the states of
 * each ({@link StateEnumerator}), folds identical images checked with identical input
 * (fingerprints, {@link SectorSpace}; the content oracle's value is part of the input),
 * keeps at most {@code maxStates} of them (a seeded sample beyond that), and checks each on a
 * pool of workers ({@link Checker}), each with its own scratch image ({@link WorkerImage}).
 *
 * <p>Every check is an independent task: its inputs are the trace, the state's description and
 * the checker options, and its verdict is a pure function of them (the order and the worker that
 * ran it do not matter), so the same list could be spread over many machines.
 */
public final class Explorer {
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** What to explore and how. */
    public static final class Options {
        public StateEnumerator.Options enumeration = new StateEnumerator.Options();
        public Checker.Options checker = new Checker.Options();
        public int jobs = 1;
        /** Most unique states checked; beyond it a seeded sample (enumeration seed). */
        public int maxStates = 10_000;
        /** Check exactly these states instead of enumerating (null: enumerate). */
        public List<CrashState> only;
        public Path scratchDir = Path.of(System.getProperty("java.io.tmpdir"));
        /**
         * The content oracle's source: in the recorded run's console, the last line printed
         * before the crash point that this finds something in gives {@code {committed}} (its
         * first group, or the match); "0" if no line matched yet. Null: no oracle.
         */
        public Pattern committed;
        /**
         * Fan-out: check only the unique states whose number is {@code shard} modulo
         * {@code shards} (the others stay not-checked); N runs with shards 0..N-1 of N check
         * each state exactly once, on as many machines.
         */
        public int shard = 0;
        public int shards = 1;
    }

    /** A unique state: its description, fingerprint, how many generated states it stands for, verdict. */
    public static final class StateResult {
        public final int number;
        public final CrashState state;
        public final long fp0;
        public final long fp1;
        int duplicates;
        Checker.Verdict verdict;
        long cpuNanos;

        StateResult(int number, CrashState state, long[] fp) {
            this.number = number;
            this.state = state;
            this.fp0 = fp[0];
            this.fp1 = fp[1];
        }

        /** Generated states folded into this one (same image). */
        public int duplicates() {
            return duplicates;
        }

        /** The verdict, or null if the state was not checked (over --max-states). */
        public Checker.Verdict verdict() {
            return verdict;
        }

        /** CPU time the worker thread spent on this state (image, boot, verdict), in nanoseconds. */
        public long cpuNanos() {
            return cpuNanos;
        }

        public String fingerprint() {
            return String.format("%016x%016x", fp0, fp1);
        }
    }

    /** Progress reports: states checked so far, of how many, and how many failed. */
    public interface Progress {
        void checked(int done, int total, int failed);
    }

    /** The outcome of an exploration. */
    public static final class Report {
        public final CrashModel model;
        public final List<StateResult> unique;
        public final long generated;
        public final int checked;
        public final int failed;
        public final long generateNanos;
        public final long checkNanos;

        Report(CrashModel model, List<StateResult> unique, long generated, int checked, int failed, long generateNanos,
               long checkNanos) {
            this.model = model;
            this.unique = unique;
            this.generated = generated;
            this.checked = checked;
            this.failed = failed;
            this.generateNanos = generateNanos;
            this.checkNanos = checkNanos;
        }

        /** CPU time of all checks (worker threads), in nanoseconds: a figure that other load does not skew. */
        public long checkCpuNanos() {
            return unique.stream().mapToLong(r -> r.cpuNanos).sum();
        }

        public List<StateResult> failures() {
            return unique.stream().filter(r -> r.verdict != null && !r.verdict.pass()).toList();
        }
    }

    private final DiskHistory history;
    private final Options o;
    private final CrashModel model;
    private final SectorSpace space;
    private final Checker checker;
    private final Map<Integer, List<String>> commandsByEpoch = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<Integer, String> committedByEpoch = new java.util.concurrent.ConcurrentHashMap<>();

    public Explorer(DiskHistory history, Options o) throws IOException {
        if (o.jobs < 1 || o.maxStates < 0 || o.shards < 1 || o.shard < 0 || o.shard >= o.shards) {
            throw new IllegalArgumentException("jobs and shards must be at least 1, the shard below shards, max states "
                    + "not negative");
        }
        this.history = history;
        this.o = o;
        this.model = new CrashModel(history.ops(), history.endIcount());
        this.space = new SectorSpace(model, history.initialImage());
        this.checker = new Checker(o.checker);
    }

    public CrashModel model() {
        return model;
    }

    /** Generates, folds, samples and checks; {@code progress} is called from worker threads. */
    public Report run(Progress progress) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        List<StateResult> unique = new ArrayList<>();
        long generated = generate(unique);
        List<StateResult> toCheck = sample(unique).stream().filter(r -> r.number % o.shards == o.shard).toList();
        long t1 = System.nanoTime();
        int failed = check(toCheck, progress);
        long t2 = System.nanoTime();
        return new Report(model, unique, generated, toCheck.size(), failed, t1 - t0, t2 - t1);
    }

    private long generate(List<StateResult> unique) {
        SectorSpace.Base base = space.base();
        Map<Fp, StateResult> seen = new HashMap<>();
        long generated = 0;
        List<CrashState> given = o.only;
        StateEnumerator en = new StateEnumerator(model, o.enumeration);
        int epochs = given != null ? 1 : model.epochs().size();
        for (int e = 0; e < epochs; e++) {
            for (CrashState s : given != null ? given : en.states(e)) {
                if (given != null) {
                    validate(s); // generated states are valid by construction
                }
                generated++;
                long[] fp = base.fingerprint(s);
                // the same image is checked once per checker input (the oracle's value may differ)
                Fp key = new Fp(fp[0], fp[1], String.join("\n", commands(s.epoch)));
                StateResult r = seen.get(key);
                if (r == null) {
                    r = new StateResult(unique.size(), s, fp);
                    seen.put(key, r);
                    unique.add(r);
                } else {
                    r.duplicates++;
                }
            }
        }
        return generated;
    }

    private record Fp(long a, long b, String input) {}

    /**
     * The state the run itself left on the disk: the last epoch with every write in flight
     * kept (what a clean shutdown writes back). Its verdict is the checker's control: a checker
     * that fails there fails on the recorded run's own result.
     */
    public CrashState finalState() {
        int last = model.epochs().size() - 1;
        int[] all = model.epochs().get(last).inFlight();
        java.util.Arrays.sort(all);
        return new CrashState(last, all, "final");
    }

    /** The unique state of {@code r} with the same image and checker input as {@code s}, or null. */
    public StateResult find(Report r, CrashState s) {
        long[] fp = space.base().fingerprint(s);
        List<String> in = commands(s.epoch);
        for (StateResult u : r.unique) {
            if (u.fp0 == fp[0] && u.fp1 == fp[1] && commands(u.state.epoch).equals(in)) {
                return u;
            }
        }
        return null;
    }

    /** Throws IllegalArgumentException with a sentence if {@code s} is not a state of this run. */
    public void validate(CrashState s) {
        if (s.epoch < 0 || s.epoch >= model.epochs().size()) {
            throw new IllegalArgumentException("state " + s + ": this run has epochs 0.." + (model.epochs().size() - 1));
        }
        int[] f = model.epochs().get(s.epoch).inFlight;
        int[] sorted = f.clone();
        Arrays.sort(sorted);
        for (int w : s.kept) {
            if (Arrays.binarySearch(sorted, w) < 0) {
                throw new IllegalArgumentException("state " + s + ": write " + w + " is not in flight in epoch " + s.epoch);
            }
        }
        if (s.torn()) {
            if (Arrays.binarySearch(sorted, s.tornWrite) < 0) {
                throw new IllegalArgumentException("state " + s + ": write " + s.tornWrite + " is not in flight in epoch "
                        + s.epoch);
            }
            if (s.tornTo > model.write(s.tornWrite).sectors()) {
                throw new IllegalArgumentException("state " + s + ": write " + s.tornWrite + " has only "
                        + model.write(s.tornWrite).sectors() + " sectors");
            }
        }
    }

    private List<StateResult> sample(List<StateResult> unique) {
        if (unique.size() <= o.maxStates) {
            return unique;
        }
        int[] idx = new int[unique.size()];
        for (int i = 0; i < idx.length; i++) {
            idx[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(o.enumeration.seed);
        for (int i = idx.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = idx[i];
            idx[i] = idx[j];
            idx[j] = t;
        }
        int[] keep = Arrays.copyOf(idx, o.maxStates);
        Arrays.sort(keep);
        List<StateResult> out = new ArrayList<>();
        for (int i : keep) {
            out.add(unique.get(i));
        }
        return out;
    }

    private int check(List<StateResult> list, Progress progress) throws IOException, InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        int workers = Math.max(1, Math.min(o.jobs, list.size()));
        ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, "crash-checker");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<Void>> fs = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                fs.add(pool.submit(() -> {
                    try (WorkerImage img = new WorkerImage(space, history.initialImage(), o.scratchDir)) {
                        SectorSpace.Base base = space.base();
                        for (int i = next.getAndIncrement(); i < list.size(); i = next.getAndIncrement()) {
                            StateResult r = list.get(i);
                            long c0 = THREADS.getCurrentThreadCpuTime();
                            r.verdict = checkOne(img, base, r.state);
                            r.cpuNanos = THREADS.getCurrentThreadCpuTime() - c0;
                            if (!r.verdict.pass()) {
                                failed.incrementAndGet();
                            }
                            progress.checked(done.incrementAndGet(), list.size(), failed.get());
                        }
                    }
                    return null;
                }));
            }
            for (Future<Void> f : fs) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new IllegalStateException(c);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        return failed.get();
    }

    /** The value of {@code {committed}} at epoch {@code e}'s crash point, or null without an oracle. */
    public String committed(int e) {
        if (o.committed == null) {
            return null;
        }
        return committedByEpoch.computeIfAbsent(e, k -> {
            String v = ConsoleLines.lastMatchBefore(history.console(), o.committed, model.epochs().get(k).crashIcount);
            return v == null ? "0" : v;
        });
    }

    /** The checker's command lines for a state of epoch {@code e}, placeholders replaced. */
    public List<String> commands(int e) {
        return commandsByEpoch.computeIfAbsent(e, this::commandsOf);
    }

    private List<String> commandsOf(int e) {
        String committed = committed(e);
        List<String> out = new ArrayList<>();
        for (String c : o.checker.commands) {
            out.add(c.replace("{committed}", committed == null ? "0" : committed).replace("{epoch}", Integer.toString(e))
                    .replace("{icount}", Long.toString(model.epochs().get(e).crashIcount)));
        }
        return List.copyOf(out);
    }

    private Checker.Verdict checkOne(WorkerImage img, SectorSpace.Base base, CrashState s) throws IOException {
        img.load(base.versions(s));
        DiskRequestTap[] tap = new DiskRequestTap[1];
        boolean done = false;
        try {
            Checker.Verdict v = checker.check(img.file(), commands(s.epoch), tap);
            done = true;
            return v;
        } finally {
            if (done && tap[0] != null && tap[0].error() == null) {
                img.undo(tap[0].ops());
            } else {
                img.reset(); // what the checker wrote is not known: start the image over
            }
        }
    }

    /** Writes state {@code s}'s image to {@code out} (a new sparse file), ready to boot. */
    public void writeImage(CrashState s, Path out) throws IOException {
        validate(s);
        SparseCopy.copy(history.initialImage(), out);
        int[] v = space.base().versions(s);
        byte[] b = new byte[SectorSpace.SECTOR];
        try (FileChannel ch = FileChannel.open(out, StandardOpenOption.WRITE)) {
            for (int i = 0; i < v.length; i++) {
                if (!space.sameContent(i, SectorSpace.INITIAL, v[i])) {
                    space.content(i, v[i], b);
                    ByteBuffer buf = ByteBuffer.wrap(b);
                    long pos = space.sector(i) * SectorSpace.SECTOR;
                    while (buf.hasRemaining()) {
                        pos += ch.write(buf, pos);
                    }
                }
            }
        }
    }

    /**
     * Records the checker's boot for state {@code s} on its image {@code image} as trace
     * {@code traceDir} (virtual clock, the same input and budget), so that the failure replays
     * exactly with {@code tinyos replay}; returns the verdict of that recorded boot (the same as
     * the exploration's, the boot being deterministic).
     */
    public Checker.Verdict recordChecker(CrashState s, Path image, Path traceDir) throws IOException, TraceException {
        Checker.Options c = o.checker;
        List<String> lines = commands(s.epoch);
        VirtualClock clock = VirtualClock.withInput(Checker.Options.script(lines));
        Checker.Console console = new Checker.Console();
        RecordSession.Options ro = RecordSession.Options.virtual(traceDir, MachineConfig.builder()
                .kernel(c.kernel).memoryMiB(c.memoryMiB).disk(image).console(console).input(clock).build(), clock);
        ro.command = "crash explorer checker of state " + s + ": " + String.join(" / ", lines);
        dev.tinyos.core.RunResult r;
        try (RecordSession session = RecordSession.start(ro)) {
            r = session.run(c.maxInstructions);
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        return checker.judge(console.text(), r);
    }
}
