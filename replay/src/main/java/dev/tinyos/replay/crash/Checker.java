package dev.tinyos.replay.crash;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.VirtualClock;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Boots a kernel on a crash image and judges it: a fresh machine on the deterministic virtual
 * clock, the checker's command lines typed on the console (then {@code poweroff}), at most
 * {@code maxInstructions}; the state passes iff the console matches {@code pass} and does not
 * match {@code fail}. Invariant: the verdict is a pure function of the kernel, the image and
 * the options (no host clock, no randomness), so a failing state fails again wherever it runs,
 * and a recording of the same boot ({@link Explorer#recordChecker}) shows the same console.
 */
public final class Checker {
    /** What to boot and how to judge it. */
    public static final class Options {
        public Path kernel;
        public int memoryMiB = 128;
        /**
         * Command lines typed at the prompt, before {@code poweroff}; the explorer replaces
         * {@code {committed}}, {@code {epoch}} and {@code {icount}} in them per state.
         */
        public List<String> commands = List.of();
        public Pattern pass = Pattern.compile("PASS");
        /** A match fails the state even if {@code pass} matched; null: none. */
        public Pattern fail = Pattern.compile("FAIL|panic");
        public long maxInstructions = 1_000_000_000L;

        /** The bytes typed on the console for {@code lines}. */
        public static byte[] script(List<String> lines) {
            StringBuilder b = new StringBuilder();
            for (String c : lines) {
                b.append(c).append('\n');
            }
            return b.append("poweroff\n").toString().getBytes(StandardCharsets.US_ASCII);
        }
    }

    /**
     * The checker's verdict on one image: pass or not, why (one line), how the run ended, how
     * many instructions it took, and the SHA-256 of its console output (first 16 hex digits).
     */
    public record Verdict(boolean pass, String reason, String exit, long icount, String consoleDigest, String console) {}

    /** Console bytes kept for the verdict; a checker that prints more is judged on the first part. */
    static final int CONSOLE_LIMIT = 1 << 20;

    private final Options o;

    public Checker(Options o) {
        this.o = o;
    }

    public Options options() {
        return o;
    }

    /**
     * Boots on {@code image} with {@code lines} typed (then poweroff); the image is used as a
     * scratch disk: the checker's own writes land on it, and {@code tapOut[0]}, if the array is
     * not null, receives the tap that saw them so the caller can undo them.
     */
    public Verdict check(Path image, List<String> lines, DiskRequestTap[] tapOut) throws IOException {
        Console console = new Console();
        DiskRequestTap tap = new DiskRequestTap(VirtualClock.withInput(Options.script(lines)));
        MachineConfig cfg = MachineConfig.builder().memoryMiB(o.memoryMiB).kernel(o.kernel).console(console)
                .input(tap).disk(image).diskScratch(true).build();
        RunResult r;
        try (Machine m = new Machine(cfg)) {
            tap.attach(m);
            r = m.run(o.maxInstructions);
            m.powerCut(); // nothing more reaches the image than the checker flushed itself
        } finally {
            if (tapOut != null) {
                tapOut[0] = tap;
            }
        }
        return judge(console.text(), r);
    }

    /** The verdict on a finished boot with console output {@code text}. */
    public Verdict judge(String text, RunResult r) {
        String exit = r.reason() + " exit " + r.exitCode();
        Matcher bad = o.fail == null ? null : o.fail.matcher(text);
        boolean failed = bad != null && bad.find();
        boolean passed = o.pass.matcher(text).find();
        String reason;
        if (failed) {
            reason = "matched --fail: " + lineAt(text, bad.start());
        } else if (passed) {
            reason = "pass";
        } else {
            reason = "no --pass match (" + exit + (r.reason().name().equals("INSTRUCTION_LIMIT")
                    ? ": the checker did not finish within --max-instructions" : "") + ")";
        }
        return new Verdict(passed && !failed, reason, exit, r.icount(), digest(text), text);
    }

    private static String lineAt(String text, int at) {
        int from = text.lastIndexOf('\n', at) + 1;
        int to = text.indexOf('\n', at);
        String line = text.substring(from, to < 0 ? text.length() : to).strip();
        return line.length() > 160 ? line.substring(0, 160) + "..." : line;
    }

    static String digest(String text) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.ISO_8859_1));
            return HexFormat.of().formatHex(d, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The guest console, kept up to {@link #CONSOLE_LIMIT} bytes. */
    static final class Console extends OutputStream {
        private final java.io.ByteArrayOutputStream buf = new java.io.ByteArrayOutputStream();

        @Override
        public void write(int b) {
            if (buf.size() < CONSOLE_LIMIT) {
                buf.write(b);
            }
        }

        @Override
        public void write(byte[] b, int off, int len) {
            int n = Math.min(len, CONSOLE_LIMIT - buf.size());
            if (n > 0) {
                buf.write(b, off, n);
            }
        }

        String text() {
            return buf.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
