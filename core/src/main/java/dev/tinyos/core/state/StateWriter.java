package dev.tinyos.core.state;

/**
 * Where a component writes the state that determines its future (a checkpoint): primitives and
 * arrays, in an order the component's own {@link StateReader} code reads back. Core does not
 * know the encoding (the replay module writes it with Kryo).
 *
 * <p>Invariant: a reader given the same sequence of calls in the same order reads back exactly
 * the values written; arrays carry their length.
 */
public interface StateWriter {
    void writeLong(long v);

    void writeInt(int v);

    void writeBoolean(boolean v);

    /** A byte array with its length; null allowed. */
    void writeBytes(byte[] b);

    /** A long array with its length. */
    void writeLongs(long[] a);

    /** An int array with its length. */
    void writeInts(int[] a);

    /** A string; null allowed. */
    void writeString(String s);
}
