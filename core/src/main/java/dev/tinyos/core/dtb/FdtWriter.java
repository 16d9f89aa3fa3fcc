package dev.tinyos.core.dtb;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Writes a flattened device tree (devicetree specification v0.4, chapter 5): a 40-byte
 * header, an empty memory reservation block, the structure block (FDT_BEGIN_NODE, FDT_PROP,
 * FDT_END_NODE, FDT_END tokens, each 4-byte aligned) and the strings block of property
 * names, all big-endian; version 17, last compatible version 16.
 *
 * <p>Use: {@code beginNode("")} for the root, properties and child nodes in the order they
 * should appear, {@code endNode()} for every node, then {@link #finish()}. Property names
 * are stored once in the strings block and shared by offset.
 *
 * <p>Invariant: every node begun has been ended exactly once before {@link #finish()}
 * returns a blob; properties are only written inside a node, before its first child (the
 * specification's order); anything else throws IllegalStateException.
 */
public final class FdtWriter {
    public static final int FDT_MAGIC = 0xd00dfeed;
    public static final int FDT_BEGIN_NODE = 1;
    public static final int FDT_END_NODE = 2;
    public static final int FDT_PROP = 3;
    public static final int FDT_NOP = 4;
    public static final int FDT_END = 9;
    public static final int VERSION = 17;
    public static final int LAST_COMP_VERSION = 16;
    /** Size of the version-17 header in bytes. */
    public static final int HEADER_SIZE = 40;
    /** The memory reservation block: one terminating (address 0, size 0) entry. */
    private static final int RSVMAP_SIZE = 16;

    private final ByteArrayOutputStream struct = new ByteArrayOutputStream();
    private final ByteArrayOutputStream strings = new ByteArrayOutputStream();
    private final Map<String, Integer> stringOffsets = new HashMap<>();
    private int depth;
    private boolean childSeen;
    private boolean finished;

    /** Opens a node; the root's name is the empty string, others are "name@unit-address". */
    public FdtWriter beginNode(String name) {
        checkOpen();
        if (depth == 0 && struct.size() > 0) {
            throw new IllegalStateException("a device tree has exactly one root node");
        }
        if (depth == 0 && !name.isEmpty()) {
            throw new IllegalStateException("the root node's name must be empty, not '" + name + "'");
        }
        word(FDT_BEGIN_NODE);
        bytesPadded(zeroTerminated(name));
        depth++;
        childSeen = false;
        return this;
    }

    /** Closes the innermost open node. */
    public FdtWriter endNode() {
        checkOpen();
        if (depth == 0) {
            throw new IllegalStateException("endNode without an open node");
        }
        word(FDT_END_NODE);
        depth--;
        childSeen = true;
        return this;
    }

    /** A property with a raw value (may be empty: a boolean property). */
    public FdtWriter prop(String name, byte[] value) {
        checkOpen();
        if (depth == 0) {
            throw new IllegalStateException("property '" + name + "' outside any node");
        }
        if (childSeen) {
            throw new IllegalStateException("property '" + name + "' after a child node");
        }
        word(FDT_PROP);
        word(value.length);
        word(stringOffset(name));
        bytesPadded(value);
        return this;
    }

    /** A boolean property: present, with no value. */
    public FdtWriter propEmpty(String name) {
        return prop(name, new byte[0]);
    }

    /** A property of 32-bit cells ({@code <a b c>} in source form). */
    public FdtWriter propCells(String name, int... cells) {
        byte[] v = new byte[4 * cells.length];
        for (int i = 0; i < cells.length; i++) {
            putBe32(v, 4 * i, cells[i]);
        }
        return prop(name, v);
    }

    /** A property of 64-bit numbers, each written as two cells (addresses and sizes with 2 cells). */
    public FdtWriter propCells64(String name, long... values) {
        byte[] v = new byte[8 * values.length];
        for (int i = 0; i < values.length; i++) {
            putBe32(v, 8 * i, (int) (values[i] >>> 32));
            putBe32(v, 8 * i + 4, (int) values[i]);
        }
        return prop(name, v);
    }

    /** A string or string-list property: each string NUL-terminated, concatenated. */
    public FdtWriter propStrings(String name, String... values) {
        ByteArrayOutputStream v = new ByteArrayOutputStream();
        for (String s : values) {
            v.writeBytes(zeroTerminated(s));
        }
        return prop(name, v.toByteArray());
    }

    /** Ends the structure block and returns the whole blob; the writer cannot be used after. */
    public byte[] finish() {
        checkOpen();
        if (depth != 0 || struct.size() == 0) {
            throw new IllegalStateException(struct.size() == 0 ? "no root node" : depth + " node(s) still open");
        }
        word(FDT_END);
        finished = true;
        int offRsvmap = HEADER_SIZE;
        int offStruct = offRsvmap + RSVMAP_SIZE;
        int offStrings = offStruct + struct.size();
        int total = offStrings + strings.size();
        byte[] blob = new byte[total];
        int[] header = {FDT_MAGIC, total, offStruct, offStrings, offRsvmap, VERSION, LAST_COMP_VERSION,
            0 /* boot_cpuid_phys */, strings.size(), struct.size()};
        for (int i = 0; i < header.length; i++) {
            putBe32(blob, 4 * i, header[i]);
        }
        System.arraycopy(struct.toByteArray(), 0, blob, offStruct, struct.size());
        System.arraycopy(strings.toByteArray(), 0, blob, offStrings, strings.size());
        return blob;
    }

    private void checkOpen() {
        if (finished) {
            throw new IllegalStateException("the device tree is already finished");
        }
    }

    private int stringOffset(String name) {
        Integer off = stringOffsets.get(name);
        if (off == null) {
            off = strings.size();
            strings.writeBytes(zeroTerminated(name));
            stringOffsets.put(name, off);
        }
        return off;
    }

    private void word(int v) {
        byte[] b = new byte[4];
        putBe32(b, 0, v);
        struct.writeBytes(b);
    }

    private void bytesPadded(byte[] b) {
        struct.writeBytes(b);
        for (int pad = (4 - b.length % 4) % 4; pad > 0; pad--) {
            struct.write(0);
        }
    }

    private static byte[] zeroTerminated(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("device tree strings cannot contain NUL: " + s);
        }
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        byte[] z = new byte[b.length + 1];
        System.arraycopy(b, 0, z, 0, b.length);
        return z;
    }

    static void putBe32(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
