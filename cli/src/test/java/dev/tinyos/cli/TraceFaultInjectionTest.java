package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The generated fault-injection suite of issue 11. A small trace with typed input and disk
 * traffic is recorded, then damaged in every way the generator knows, one copy at a time: its
 * event queue cut at every document boundary and inside documents, single bytes and runs of bits
 * flipped at offsets spread over every file of the trace, each file deleted or emptied, each
 * header field set to an impossible value. For each damaged copy {@code verify}, {@code replay}
 * and {@code info} must either refuse it (non-zero exit, one line on stderr that names the damage
 * and the trace, no stack trace) or, where the damage is harmless, exit 0 with exactly the
 * output of the undamaged trace; each must end within a deadline and write nothing into the
 * trace. The counts (tried / refused cleanly / harmless / wrong) are printed; wrong must be 0.
 *
 * <p>{@code -Dtinyos.faults.scale=N} multiplies the sampled offsets by N for a bigger sweep
 * (the default keeps the suite to about a minute).
 */
class TraceFaultInjectionTest {
    private static final String QUEUE = "queue/19700101F.cq4";
    private static final long DEADLINE_SECONDS = 60;
    /** Words of a sentence that names damage to a trace. */
    private static final Pattern NAMES_DAMAGE = Pattern.compile(
            "truncated|corrupt|does not match|lacks|no event|holds no events|not a trace|cannot be read"
            + "|format version|no trace|newer tinyos|checksum|is not a|not a positive|differs");
    /** info lines that describe the files as they are now (sizes), not the recorded run. */
    private static final Pattern FILE_FACTS = Pattern.compile("(?m)^(size on disk|final disk):.*\\R?");

    @TempDir
    Path dir;

    private int tried;
    private int refused;
    private int harmless;
    private final List<String> wrong = new ArrayList<>();
    private final TreeMap<String, Integer> perKind = new TreeMap<>();

    /** One way of damaging a trace: a name for the report and what it does to a fresh copy. */
    private record Fault(String kind, String what, Damage damage) {
    }

    private interface Damage {
        void apply(Path trace) throws Exception;
    }

    @Test
    void everyDamagedCopyIsRefusedInOneSentenceOrIsHarmless() throws Exception {
        Path original = SmallTrace.record(dir.resolve("rec"));
        Path t = dir.resolve("t"); // every copy lives at the same path, so outputs compare as they are
        copyTree(original, t);
        Cli.Result[] baseline = runAll(t);
        for (Cli.Result r : baseline) {
            assertEquals(0, r.status(), r.err());
        }
        int scale = Integer.getInteger("tinyos.faults.scale", 1);
        List<Fault> faults = generate(original, scale, new SplittableRandom(11));
        for (Fault f : faults) {
            deleteTree(t);
            copyTree(original, t);
            f.damage().apply(t);
            String before = snapshot(t);
            Cli.Result[] got = runAll(t);
            String after = snapshot(t);
            tried++;
            perKind.merge(f.kind(), 1, Integer::sum);
            judge(f, baseline, got, before.equals(after));
        }
        String report = String.format(Locale.ROOT, "fault injection: tried %d damaged traces x 3 commands "
                + "(%s): refused cleanly %d, harmless %d, wrong %d", tried, perKind, refused, harmless, wrong.size());
        System.out.println(report);
        wrong.stream().limit(20).forEach(System.out::println);
        assertTrue(tried > 300 * scale, report);
        assertEquals(List.of(), wrong.stream().limit(10).collect(Collectors.toList()), report);
    }

    private Cli.Result[] runAll(Path t) throws InterruptedException {
        return new Cli.Result[] {
            Cli.run(new byte[0], DEADLINE_SECONDS, "verify", t.toString()),
            Cli.run(new byte[0], DEADLINE_SECONDS, "replay", t.toString()),
            Cli.run(new byte[0], DEADLINE_SECONDS, "info", t.toString())};
    }

    /** Counts one damaged copy: refused or harmless for all three commands, else wrong. */
    private void judge(Fault f, Cli.Result[] base, Cli.Result[] got, boolean untouched) {
        String[] names = {"verify", "replay", "info"};
        boolean allHarmless = true;
        for (int i = 0; i < 3; i++) {
            Cli.Result g = got[i];
            String why = null;
            if (g.hung()) {
                why = "did not end within " + DEADLINE_SECONDS + " s";
            } else if (g.leaksInternals()) {
                why = "leaked internals";
            } else if (g.status() == 0) {
                boolean same = i == 2 ? FILE_FACTS.matcher(g.out()).replaceAll("")
                        .equals(FILE_FACTS.matcher(base[i].out()).replaceAll(""))
                        : g.out().equals(base[i].out()) && g.err().equals(base[i].err());
                if (!same) {
                    why = "exit 0 with other output";
                }
            } else {
                allHarmless = false;
                String line = g.err().strip();
                if (g.errLines() != 1 || !line.startsWith("tinyos: ") || !NAMES_DAMAGE.matcher(line).find()
                        || line.contains("diverged")) {
                    why = "exit " + g.status() + " without one sentence naming the damage";
                }
            }
            if (!untouched) {
                why = "wrote into the trace";
            }
            if (why != null) {
                wrong.add(f.kind() + " " + f.what() + ": " + names[i] + " " + why + ": " + g.err().strip()
                        .replace('\n', '|'));
                return;
            }
        }
        if (allHarmless) {
            harmless++;
        } else {
            refused++;
        }
    }

    // ---- the generator --------------------------------------------------------------------------

    private static List<Fault> generate(Path original, int scale, SplittableRandom rnd) throws IOException {
        List<Fault> out = new ArrayList<>();
        byte[] queue = Files.readAllBytes(original.resolve(QUEUE));
        List<long[]> docs = documents(queue);
        long used = docs.get(docs.size() - 1)[1];
        // the queue cut at every document boundary, and inside documents
        for (long[] d : docs) {
            long at = d[1];
            out.add(new Fault("cut-at-boundary", "at byte " + at, t -> TraceDamageTest.truncate(t.resolve(QUEUE), at)));
        }
        for (int i = 0; i < 30 * scale; i++) {
            long[] d = docs.get(1 + rnd.nextInt(docs.size() - 1));
            long at = d[0] + 1 + rnd.nextLong(Math.max(1, d[1] - d[0] - 1));
            out.add(new Fault("cut-inside", "at byte " + at, t -> TraceDamageTest.truncate(t.resolve(QUEUE), at)));
        }
        // single bytes and runs of bits flipped across every file
        try (Stream<Path> s = Files.walk(original)) {
            for (Path p : (Iterable<Path>) s.filter(Files::isRegularFile).sorted()::iterator) {
                String rel = original.relativize(p).toString();
                long size = Files.size(p);
                long span = rel.equals(QUEUE) ? Math.min(size, used + 4096) : size; // past that: zeros, sampled below
                int n = (rel.equals(QUEUE) ? 120 : rel.endsWith(".img") || rel.endsWith(".cq4t") ? 6 : 25) * scale;
                for (int i = 0; i < n; i++) {
                    long off = span * i / n + rnd.nextLong(Math.max(1, span / n));
                    out.add(new Fault("flip-byte", rel + " @" + off, t -> xor(t.resolve(rel), off, 0xFF)));
                }
                for (int i = 0; i < n / 3; i++) {
                    long off = rnd.nextLong(Math.max(1, span - 1));
                    int bits = 1 + rnd.nextInt(16);
                    int shift = rnd.nextInt(8);
                    int mask = ((1 << bits) - 1) << shift;
                    out.add(new Fault("flip-bits", rel + " @" + off + " mask " + Integer.toHexString(mask),
                            t -> {
                                xor(t.resolve(rel), off, mask & 0xFF);
                                xor(t.resolve(rel), off + 1, (mask >>> 8) & 0xFF);
                                xor(t.resolve(rel), off + 2, (mask >>> 16) & 0xFF);
                            }));
                }
                out.add(new Fault("delete", rel, t -> Files.delete(t.resolve(rel))));
                out.add(new Fault("empty", rel, t -> Files.write(t.resolve(rel), new byte[0])));
            }
        }
        if (queue.length > used + 8) { // a stray byte in the zeros after the last event
            long off = used + 4 + rnd.nextLong(queue.length - used - 4);
            out.add(new Fault("flip-byte", QUEUE + " tail @" + off, t -> xor(t.resolve(QUEUE), off, 0x01)));
        }
        out.add(new Fault("delete", "queue/", t -> deleteTree(t.resolve("queue"))));
        // each header field set to impossible values, the checksum resealed so the field's own check must act
        String[][] impossible = {
            {"format.version", "0"}, {"format.version", "99"}, {"format.version", "x"},
            {"machine.memoryMiB", "0"}, {"machine.memoryMiB", "-128"}, {"machine.memoryMiB", "999999"},
            {"clock.mode", "hots"}, {"clock.mode", ""}, {"clock.ipt", "0"}, {"clock.ipt", "-100"},
            {"digest.interval", "3"}, {"digest.interval", "0"}, {"digest.interval", "-4194304"},
            {"kernel.sha256", "0"}, {"kernel.sha256", "0".repeat(64)}, {"kernel.name", ""},
            {"disk.sha256", "zz"}, {"disk.sha256", "0".repeat(64)}, {"disk.bytes", "512"}, {"disk.bytes", "513"},
            {"disk.bytes", "-1"}, {"disk.readOnly", "maybe"}, {"machine.dtb.sha256", "1".repeat(64)},
            {"machine.revision", "-1"}, {"machine.revision", "99"}, {"machine.revision", "two"}};
        for (String[] kv : impossible) {
            out.add(new Fault("header-field", kv[0] + "=" + kv[1], t -> HeaderFields.set(t, kv[0], kv[1], true)));
        }
        out.add(new Fault("header-field", "clock.mode=host without resealing",
                t -> HeaderFields.set(t, "clock.mode", "host", false)));
        return out;
    }

    /** [start, end) of every document of a queue file, end aligned as the next header is. */
    private static List<long[]> documents(byte[] q) {
        ByteBuffer b = ByteBuffer.wrap(q).order(ByteOrder.LITTLE_ENDIAN);
        List<long[]> docs = new ArrayList<>();
        int p = 0;
        while (p + 4 <= q.length && b.getInt(p) != 0) {
            int next = (p + 4 + (b.getInt(p) & 0x3FFF_FFFF) + 3) & ~3;
            docs.add(new long[] {p, next});
            p = next;
        }
        return docs;
    }

    private static void xor(Path f, long off, int mask) throws IOException {
        byte[] b = Files.readAllBytes(f);
        if (off < b.length && mask != 0) {
            b[(int) off] ^= (byte) mask;
            Files.write(f, b);
        }
    }

    /** Names, sizes and modification times of everything in {@code t}: any write shows. */
    private static String snapshot(Path t) throws IOException {
        if (!Files.exists(t)) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> s = Files.walk(t)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                sb.append(t.relativize(p)).append(' ').append(Files.isRegularFile(p) ? Files.size(p) : -1).append(' ')
                        .append(Files.getLastModifiedTime(p).toMillis()).append('\n');
            }
        }
        return sb.toString();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t);
                }
            }
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) s.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
