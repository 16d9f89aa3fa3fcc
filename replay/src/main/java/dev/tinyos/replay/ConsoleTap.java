package dev.tinyos.replay;

import java.io.IOException;
import java.io.OutputStream;

/**
 * The guest's console stream seen on its way out: counts the UART TX bytes and keeps a CRC-32C
 * of all of them, forwarding each to {@code out} (null: discard). Invariant: {@link #bytes} and
 * {@link #crc} cover exactly the bytes written so far, so they are a pure function of the run.
 */
public final class ConsoleTap extends OutputStream {
    private final OutputStream out;
    private final Crc32c crc = new Crc32c();
    private long bytes;

    public ConsoleTap(OutputStream out) {
        this.out = out;
    }

    @Override
    public void write(int b) throws IOException {
        crc.update(b);
        bytes++;
        if (out != null) {
            out.write(b);
        }
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        crc.update(b, off, len);
        bytes += len;
        if (out != null) {
            out.write(b, off, len);
        }
    }

    @Override
    public void flush() throws IOException {
        if (out != null) {
            out.flush();
        }
    }

    /** Bytes written so far. */
    public long bytes() {
        return bytes;
    }

    /** Continues counting from a checkpoint's {@link #bytes} and {@link #crc}. */
    public void restore(long bytes, long crc) {
        this.bytes = bytes;
        this.crc.setValue(crc);
    }

    /** CRC-32C of every byte written so far. */
    public long crc() {
        return crc.getValue();
    }
}
