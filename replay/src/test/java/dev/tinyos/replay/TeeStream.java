package dev.tinyos.replay;

import java.io.IOException;
import java.io.OutputStream;

/** Writes every byte to two streams, in order: the first, then the second. */
final class TeeStream extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    TeeStream(OutputStream a, OutputStream b) {
        this.a = a;
        this.b = b;
    }

    @Override
    public void write(int x) throws IOException {
        a.write(x);
        b.write(x);
    }

    @Override
    public void flush() throws IOException {
        a.flush();
        b.flush();
    }
}
