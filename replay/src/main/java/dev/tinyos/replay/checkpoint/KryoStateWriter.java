package dev.tinyos.replay.checkpoint;

import com.esotericsoftware.kryo.io.Output;
import dev.tinyos.core.state.StateWriter;

/**
 * Core's {@link StateWriter} over a Kryo {@link Output}: primitives as Kryo writes them, arrays
 * and strings length-prefixed (-1 for null). Invariant: {@link KryoStateReader} reads back
 * exactly the calls made here, in order.
 */
final class KryoStateWriter implements StateWriter {
    private final Output out;

    KryoStateWriter(Output out) {
        this.out = out;
    }

    @Override
    public void writeLong(long v) {
        out.writeLong(v);
    }

    @Override
    public void writeInt(int v) {
        out.writeInt(v);
    }

    @Override
    public void writeBoolean(boolean v) {
        out.writeBoolean(v);
    }

    @Override
    public void writeBytes(byte[] b) {
        out.writeInt(b == null ? -1 : b.length);
        if (b != null) {
            out.writeBytes(b);
        }
    }

    @Override
    public void writeLongs(long[] a) {
        out.writeInt(a.length);
        out.writeLongs(a, 0, a.length);
    }

    @Override
    public void writeInts(int[] a) {
        out.writeInt(a.length);
        out.writeInts(a, 0, a.length);
    }

    @Override
    public void writeString(String s) {
        out.writeString(s);
    }
}
