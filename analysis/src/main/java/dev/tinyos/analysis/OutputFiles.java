package dev.tinyos.analysis;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The files a job writes into one directory ({@link Job#write}): each named and written by one
 * function, in the order given.
 *
 * <p>Invariant: {@link #files()} lists exactly the files written so far, in the order written;
 * a writer that fails stops the chain with its exception and its file is not listed.
 */
public final class OutputFiles {
    /** Writes one whole file. */
    @FunctionalInterface
    public interface Writer {
        void write(Path file) throws IOException;
    }

    private final Path dir;
    private final List<Path> written = new ArrayList<>();

    private OutputFiles(Path dir) {
        this.dir = dir;
    }

    /** An empty list of files in {@code dir}. */
    public static OutputFiles in(Path dir) {
        return new OutputFiles(dir);
    }

    /** Writes {@code dir/name} with {@code writer} and lists it. */
    public OutputFiles write(String name, Writer writer) throws IOException {
        Path f = dir.resolve(name);
        writer.write(f);
        written.add(f);
        return this;
    }

    /** The files written, in order. */
    public List<Path> files() {
        return List.copyOf(written);
    }
}
