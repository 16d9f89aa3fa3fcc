package dev.tinyos.core.dtb;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A strict test-side reader of flattened device trees, written independently of
 * {@link FdtWriter} from the specification: checks the header and block bounds, every
 * token's alignment, that names come from the strings block, and that nodes nest.
 *
 * <p>Invariant: a returned tree is exactly what the blob encodes; any structural error is an
 * IllegalArgumentException naming the byte offset.
 */
final class FdtReader {
    /** One node: its name, its properties in blob order, its children in blob order. */
    record Node(String name, Map<String, byte[]> props, List<Node> children) {
        Node child(String childName) {
            for (Node c : children) {
                if (c.name.equals(childName)) {
                    return c;
                }
            }
            return null;
        }

        /** The node at a path like "/soc/serial@10000000", or null. */
        Node at(String path) {
            Node n = this;
            for (String part : path.split("/")) {
                if (!part.isEmpty() && n != null) {
                    n = n.child(part);
                }
            }
            return n;
        }

        int u32(String prop) {
            byte[] v = props.get(prop);
            if (v == null || v.length != 4) {
                throw new IllegalArgumentException(name + "/" + prop + " is not one cell");
            }
            return ByteBuffer.wrap(v).getInt();
        }

        long[] u64s(String prop) {
            ByteBuffer b = ByteBuffer.wrap(props.get(prop));
            long[] out = new long[b.remaining() / 8];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getLong();
            }
            return out;
        }

        int[] cells(String prop) {
            ByteBuffer b = ByteBuffer.wrap(props.get(prop));
            int[] out = new int[b.remaining() / 4];
            for (int i = 0; i < out.length; i++) {
                out[i] = b.getInt();
            }
            return out;
        }

        List<String> strings(String prop) {
            byte[] v = props.get(prop);
            if (v == null || v.length == 0 || v[v.length - 1] != 0) {
                throw new IllegalArgumentException(name + "/" + prop + " is not a string list");
            }
            return Arrays.asList(new String(v, 0, v.length - 1, StandardCharsets.US_ASCII).split("\0", -1));
        }
    }

    record Header(int magic, int totalsize, int offStruct, int offStrings, int offRsvmap, int version,
                  int lastCompVersion, int bootCpuid, int sizeStrings, int sizeStruct) {}

    private final ByteBuffer b;
    final Header header;
    final Node root;

    FdtReader(byte[] blob) {
        b = ByteBuffer.wrap(blob).order(ByteOrder.BIG_ENDIAN);
        header = new Header(b.getInt(0), b.getInt(4), b.getInt(8), b.getInt(12), b.getInt(16), b.getInt(20),
                b.getInt(24), b.getInt(28), b.getInt(32), b.getInt(36));
        checkHeader(blob.length);
        root = parseStructure();
    }

    private void checkHeader(int length) {
        Header h = header;
        require(h.magic == 0xd00dfeed, 0, "bad magic");
        require(h.totalsize <= length, 4, "totalsize past the end of the blob");
        require(h.offRsvmap % 8 == 0 && h.offStruct % 4 == 0, 8, "misaligned block");
        require(h.offStruct + h.sizeStruct <= h.totalsize && h.offStrings + h.sizeStrings <= h.totalsize,
                8, "block past totalsize");
        long address = b.getLong(h.offRsvmap);
        long size = b.getLong(h.offRsvmap + 8);
        require(address == 0 && size == 0, h.offRsvmap, "memory reservation map is not empty");
    }

    private Node parseStructure() {
        int p = header.offStruct;
        int end = header.offStruct + header.sizeStruct;
        List<Node> stack = new ArrayList<>();
        Node root = null;
        while (true) {
            require(p + 4 <= end, p, "structure block ends without FDT_END");
            int token = b.getInt(p);
            p += 4;
            if (token == FdtWriter.FDT_BEGIN_NODE) {
                int nul = indexOfNul(p, end);
                Node n = new Node(ascii(p, nul), new LinkedHashMap<>(), new ArrayList<>());
                p = align4(nul + 1);
                if (stack.isEmpty()) {
                    require(root == null, p, "second root node");
                    root = n;
                } else {
                    stack.get(stack.size() - 1).children.add(n);
                }
                stack.add(n);
            } else if (token == FdtWriter.FDT_PROP) {
                require(!stack.isEmpty(), p, "property outside a node");
                int len = b.getInt(p);
                int nameoff = b.getInt(p + 4);
                require(nameoff >= 0 && nameoff < header.sizeStrings, p, "name offset outside strings");
                int s = header.offStrings + nameoff;
                String name = ascii(s, indexOfNul(s, header.offStrings + header.sizeStrings));
                byte[] v = new byte[len];
                b.get(p + 8, v);
                Node n = stack.get(stack.size() - 1);
                require(n.props.put(name, v) == null, p, "duplicate property " + name);
                require(n.children.isEmpty(), p, "property after a child node");
                p = align4(p + 8 + len);
            } else if (token == FdtWriter.FDT_END_NODE) {
                require(!stack.isEmpty(), p, "FDT_END_NODE without a node");
                stack.remove(stack.size() - 1);
            } else if (token == FdtWriter.FDT_END) {
                require(stack.isEmpty() && root != null, p, "FDT_END with open nodes");
                require(p == end, p, "FDT_END before the end of the structure block");
                return root;
            } else {
                require(token == FdtWriter.FDT_NOP, p, "unknown token " + token);
            }
        }
    }

    private int indexOfNul(int from, int end) {
        for (int i = from; i < end; i++) {
            if (b.get(i) == 0) {
                return i;
            }
        }
        throw new IllegalArgumentException("unterminated string at offset " + from);
    }

    private String ascii(int from, int to) {
        byte[] s = new byte[to - from];
        b.get(from, s);
        return new String(s, StandardCharsets.US_ASCII);
    }

    private static int align4(int n) {
        return (n + 3) & ~3;
    }

    private static void require(boolean ok, int offset, String what) {
        if (!ok) {
            throw new IllegalArgumentException(what + " (offset " + offset + ")");
        }
    }
}
