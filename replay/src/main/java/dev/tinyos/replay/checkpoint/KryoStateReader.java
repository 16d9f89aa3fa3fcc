package dev.tinyos.replay.checkpoint;

import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import dev.tinyos.core.state.StateFormatException;
import dev.tinyos.core.state.StateReader;

/**
 * Core's {@link StateReader} over a Kryo {@link Input}, reading what {@link KryoStateWriter}
 * wrote. Invariant: a short or damaged stream throws {@link StateFormatException}, and no
 * length read from the stream allocates more than {@link #maxArray} elements.
 */
final class KryoStateReader implements StateReader {
    private final Input in;
    private final int maxArray;

    KryoStateReader(Input in, int maxArray) {
        this.in = in;
        this.maxArray = maxArray;
    }

    private static StateFormatException damaged(KryoException e) {
        return new StateFormatException("the saved state ends early or is damaged (" + e.getMessage() + ")");
    }

    private int length(boolean nullable) {
        int n = readInt();
        if (n < (nullable ? -1 : 0) || n > maxArray) {
            throw new StateFormatException("an array length of " + n + " is impossible here");
        }
        return n;
    }

    @Override
    public long readLong() {
        try {
            return in.readLong();
        } catch (KryoException e) {
            throw damaged(e);
        }
    }

    @Override
    public int readInt() {
        try {
            return in.readInt();
        } catch (KryoException e) {
            throw damaged(e);
        }
    }

    @Override
    public boolean readBoolean() {
        try {
            return in.readBoolean();
        } catch (KryoException e) {
            throw damaged(e);
        }
    }

    @Override
    public byte[] readBytes() {
        int n = length(true);
        try {
            return n < 0 ? null : in.readBytes(n);
        } catch (KryoException e) {
            throw damaged(e);
        }
    }

    @Override
    public long[] readLongs() {
        int n = length(false);
        try {
            return in.readLongs(n);
        } catch (KryoException e) {
            throw damaged(e);
        }
    }

    @Override
    public int[] readInts() {
        int n = length(false);
        try {
            return in.readInts(n);
        } catch (KryoException e) {
            throw damaged(e);
        }
    }

    @Override
    public String readString() {
        try {
            return in.readString();
        } catch (KryoException e) {
            throw damaged(e);
        }
    }
}
