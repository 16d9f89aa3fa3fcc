package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code tinyos index} and {@code tinyos seekbench} from the command line: bad input is one
 * line; indexing twice adds nothing the second time and says so (what it keeps and adds:
 * TraceIndexTest).
 */
class IndexCommandTest {
    @TempDir
    Path dir;

    private static void assertOneLine(Cli.Result r, String fragment) {
        assertEquals(BadInputException.EXIT_CODE, r.status(), r.err());
        assertEquals(1, r.errLines(), r.err());
        assertTrue(r.err().startsWith("tinyos: ") && r.err().contains(fragment), r.err());
        assertFalse(r.leaksInternals(), r.err());
    }

    @Test
    void badInputIsOneLineAndASecondIndexAddsNothing() throws Exception {
        assertOneLine(Cli.run("index", dir.resolve("none").toString()), "there is no trace");
        assertOneLine(Cli.run("seekbench", dir.resolve("none").toString()), "there is no trace");
        Path trace = SmallTrace.record(dir);
        assertOneLine(Cli.run("index", trace.toString(), "--every", "0"), "--every must be positive");
        assertOneLine(Cli.run("seekbench", trace.toString(), "--seeks", "0"), "--seeks must be at least 1");

        Cli.Result first = Cli.run("index", trace.toString(), "--every", "1000000");
        assertEquals(0, first.status(), first.err());
        assertTrue(first.err().matches("(?s)tinyos: \\d+ checkpoints every 1,000,000 instructions saved in .*\\(0 kept.*"),
                first.err());
        Cli.Result again = Cli.run("index", trace.toString(), "--every", "1000000");
        assertEquals(0, again.status(), again.err());
        assertTrue(again.err().startsWith("tinyos: 0 checkpoints") && again.err().contains("nothing was missing"),
                again.err());

        Path index = trace.resolve("checkpoints");
        try (var files = Files.list(index)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Files.delete(p);
            }
        }
        Files.delete(index);
        Files.writeString(index, "a file where the index's directory goes");
        assertOneLine(Cli.run("index", trace.toString()), "cannot save checkpoints into");
    }
}
