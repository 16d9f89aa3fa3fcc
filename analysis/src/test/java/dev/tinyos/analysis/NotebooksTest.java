package dev.tinyos.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Executes every notebook in notebooks/ as checked in ({@code jupyter nbconvert --to notebook
 * --execute}, which fails if a cell raises) against the committed CSV in notebooks/data/.
 * Skipped with a message when jupyter is not installed (CI installs Debian's
 * jupyter-nbconvert, python3-pandas, python3-matplotlib and python3-ipykernel).
 */
class NotebooksTest {
    @TempDir
    Path out;

    @TestFactory
    Stream<DynamicTest> notebooksRunAsCheckedIn() throws IOException {
        Path dir = Path.of(System.getProperty("tinyos.home", ".."), "notebooks");
        List<Path> books;
        try (Stream<Path> s = Files.list(dir)) {
            books = s.filter(p -> p.toString().endsWith(".ipynb")).sorted().toList();
        }
        assertFalse(books.isEmpty(), "no notebooks in " + dir);
        return books.stream().map(b -> DynamicTest.dynamicTest(b.getFileName().toString(), () -> execute(b)));
    }

    private void execute(Path book) throws Exception {
        Assumptions.assumeTrue(onPath("jupyter"),
                "jupyter is not installed (apt-get install jupyter-nbconvert python3-pandas python3-matplotlib "
                + "python3-ipykernel): notebook " + book.getFileName() + " not executed");
        Path log = out.resolve(book.getFileName() + ".log");
        Process p = new ProcessBuilder("jupyter", "nbconvert", "--to", "notebook", "--execute",
                "--ExecutePreprocessor.timeout=300", "--output-dir", out.toString(), book.getFileName().toString())
                .directory(book.getParent().toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), () -> book.getFileName() + " failed:\n" + tail(log));
    }

    private static boolean onPath(String cmd) {
        String path = System.getenv("PATH");
        return path != null && Stream.of(path.split(java.io.File.pathSeparator))
                .anyMatch(d -> Files.isExecutable(Path.of(d, cmd)));
    }

    private static String tail(Path log) {
        try {
            List<String> l = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", l.subList(Math.max(0, l.size() - 40), l.size()));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
