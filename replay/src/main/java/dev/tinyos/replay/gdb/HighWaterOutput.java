package dev.tinyos.replay.gdb;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The guest console of a replay that may start over: bytes pass to the user's stream only
 * beyond the furthest position already written, so replaying a prefix again (going backward)
 * prints nothing twice. Invariant: what the user sees is a prefix of the recorded console.
 */
final class HighWaterOutput extends OutputStream {
    private final OutputStream out;
    private long position;
    private long highWater;

    HighWaterOutput(OutputStream out) {
        this.out = out;
    }

    /** The replay starts over: the next byte is the console's first again. */
    void rewind() {
        position = 0;
    }

    /** The replay went back to a checkpoint whose console had {@code bytes} bytes. */
    void rewindTo(long bytes) {
        position = bytes;
    }

    @Override
    public void write(int b) throws IOException {
        if (position++ >= highWater) {
            highWater = position;
            out.write(b);
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
