package dev.tinyos.replay;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

/**
 * The JUnit 5 facility for regression tests from recorded traces: every trace in a folder
 * becomes one dynamic test that replays it silently and fails with the divergence report.
 * A trace is a directory holding {@code header.properties}; a {@code .zip} in the folder is
 * unpacked first (each top-level directory in it is a trace), which keeps committed traces
 * small. Invariant: the folder itself is never written; archives unpack into {@code scratch}.
 */
public final class TraceRegressionSuite {
    private TraceRegressionSuite() {
    }

    /** One test per trace in {@code folder} (archives unpacked under {@code scratch}). */
    public static Stream<DynamicTest> replayAll(Path folder, Path scratch) throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path trace : traces(folder, scratch)) {
            tests.add(DynamicTest.dynamicTest(trace.getFileName().toString(), () -> verify(trace)));
        }
        Assertions.assertFalse(tests.isEmpty(), "no traces in " + folder);
        return tests.stream();
    }

    /** Replays {@code trace}; fails with the divergence report. */
    public static void verify(Path trace) throws TraceException {
        try (Replay r = Replay.open(trace, null)) {
            ReplayOutcome o = r.run();
            if (!o.ok()) {
                Assertions.fail(o.message() + (o.differences().isEmpty() ? "" : "\n  "
                        + String.join("\n  ", o.differences())));
            }
        }
    }

    static List<Path> traces(Path folder, Path scratch) throws IOException {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : (Iterable<Path>) s.sorted()::iterator) {
                if (Files.isRegularFile(p.resolve(TraceHeader.FILE))) {
                    out.add(p);
                } else if (p.toString().endsWith(".zip")) {
                    Path dest = scratch.resolve(p.getFileName().toString().replace(".zip", ""));
                    unzip(p, dest);
                    try (Stream<Path> inner = Files.list(dest)) {
                        inner.filter(d -> Files.isRegularFile(d.resolve(TraceHeader.FILE))).sorted().forEach(out::add);
                    }
                }
            }
        }
        return out;
    }

    private static void unzip(Path zip, Path dest) throws IOException {
        try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
            ZipEntry e;
            while ((e = in.getNextEntry()) != null) {
                Path target = dest.resolve(e.getName()).normalize();
                if (!target.startsWith(dest)) {
                    throw new IOException("zip entry outside its folder: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                    continue;
                }
                Files.createDirectories(target.getParent());
                copy(in, target);
            }
        }
    }

    private static void copy(InputStream in, Path target) throws IOException {
        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
    }
}
