package dev.tinyos.core.state;

/**
 * Reads what a {@link StateWriter} wrote, in the same order. Invariant: a value that cannot be
 * what was written (a short stream, an array of the wrong length) throws
 * {@link StateFormatException}, never a host exception.
 */
public interface StateReader {
    long readLong();

    int readInt();

    boolean readBoolean();

    /** A byte array written by {@link StateWriter#writeBytes}, or null. */
    byte[] readBytes();

    /** A long array written by {@link StateWriter#writeLongs}. */
    long[] readLongs();

    /** An int array written by {@link StateWriter#writeInts}. */
    int[] readInts();

    /** A string written by {@link StateWriter#writeString}, or null. */
    String readString();

    /** Reads a long array into {@code into}; its length must be {@code into.length}. */
    default void readLongsInto(long[] into, String what) {
        long[] a = readLongs();
        if (a == null || a.length != into.length) {
            throw new StateFormatException(what + " has " + (a == null ? "no" : a.length) + " entries, not "
                    + into.length);
        }
        System.arraycopy(a, 0, into, 0, a.length);
    }

    /** Reads an int array into {@code into}; its length must be {@code into.length}. */
    default void readIntsInto(int[] into, String what) {
        int[] a = readInts();
        if (a == null || a.length != into.length) {
            throw new StateFormatException(what + " has " + (a == null ? "no" : a.length) + " entries, not "
                    + into.length);
        }
        System.arraycopy(a, 0, into, 0, a.length);
    }

    /** Reads an int that must lie in {@code [lo, hi]}. */
    default int readInt(int lo, int hi, String what) {
        int v = readInt();
        if (v < lo || v > hi) {
            throw new StateFormatException(what + " is " + v + ", outside " + lo + ".." + hi);
        }
        return v;
    }
}
