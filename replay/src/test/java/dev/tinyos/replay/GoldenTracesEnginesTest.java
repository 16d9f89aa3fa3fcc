package dev.tinyos.replay;

import dev.tinyos.core.Engine;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The golden traces (recorded with the interpreter) replayed under each engine explicitly: the
 * interpreter, and the compiler compiling every region at its entry block's first entry
 * (threshold 1, the most compiled code). Every DIGEST must match under both: the engine is no
 * part of a trace. Invariant: restores the engine properties it sets.
 */
class GoldenTracesEnginesTest {
    @TempDir
    Path scratch;

    @TestFactory
    Stream<DynamicTest> goldenTracesReplayUnderBothEngines() throws IOException {
        List<DynamicTest> tests = new ArrayList<>();
        for (Path trace : TraceRegressionSuite.traces(Path.of("src/test/resources/traces"), scratch)) {
            for (Engine e : Engine.values()) {
                tests.add(DynamicTest.dynamicTest(trace.getFileName() + " under " + e.cliName(), () -> {
                    String was = System.getProperty(Engine.PROPERTY);
                    Engine.select(e);
                    System.setProperty(Engine.PROPERTY + ".threshold", "1");
                    try {
                        TraceRegressionSuite.verify(trace);
                    } finally {
                        if (was == null) System.clearProperty(Engine.PROPERTY);
                        else System.setProperty(Engine.PROPERTY, was);
                        System.clearProperty(Engine.PROPERTY + ".threshold");
                    }
                }));
            }
        }
        return tests.stream();
    }
}
