package dev.tinyos.replay;

import java.io.IOException;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replays the committed golden traces (replay/src/test/resources/traces: an interactive
 * session with typed input, a host-clock stress run, a disk-heavy host-clock run, a run that
 * panics) — one test each. How to add one: docs/RECORDING.md.
 */
class GoldenTracesTest {
    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> goldenTracesReplay() throws IOException {
        return TraceRegressionSuite.replayAll(Path.of("src/test/resources/traces"), scratch);
    }
}
