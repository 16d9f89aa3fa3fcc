package dev.tinyos.core.dtb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The FDT writer against the specification, read back by an independent strict reader. */
class FdtWriterTest {
    static byte[] small() {
        return new FdtWriter().beginNode("")
                .propCells("#address-cells", 2)
                .propStrings("compatible", "a,b", "c")
                .beginNode("node@10")
                .propCells64("reg", 0x1_2345_6789L, 0x10)
                .propEmpty("flag")
                .propStrings("compatible", "x")
                .endNode()
                .beginNode("empty").endNode()
                .endNode().finish();
    }

    @Test
    void headerFollowsTheSpecification() {
        byte[] blob = small();
        FdtReader.Header h = new FdtReader(blob).header;
        assertEquals(0xd00dfeed, h.magic());
        assertEquals(blob.length, h.totalsize());
        assertEquals(17, h.version());
        assertEquals(16, h.lastCompVersion());
        assertEquals(0, h.bootCpuid());
        assertEquals(40, h.offRsvmap(), "reservation map right after the 40-byte header, 8-aligned");
        assertEquals(56, h.offStruct());
        assertEquals(h.offStruct() + h.sizeStruct(), h.offStrings());
        assertEquals(h.offStrings() + h.sizeStrings(), h.totalsize());
        assertEquals(0xd0, blob[0] & 0xff, "big-endian magic");
    }

    @Test
    void treeRoundTrips() {
        FdtReader.Node root = new FdtReader(small()).root;
        assertEquals("", root.name());
        assertEquals(2, root.u32("#address-cells"));
        assertEquals(List.of("a,b", "c"), root.strings("compatible"));
        assertEquals(List.of("node@10", "empty"), root.children().stream().map(FdtReader.Node::name).toList());
        FdtReader.Node n = root.at("/node@10");
        assertArrayEquals(new long[] {0x1_2345_6789L, 0x10}, n.u64s("reg"));
        assertArrayEquals(new int[] {1, 0x2345_6789, 0, 0x10}, n.cells("reg"), "high cell first");
        assertEquals(0, n.props().get("flag").length);
        assertEquals(List.of("reg", "flag", "compatible"), List.copyOf(n.props().keySet()));
        assertTrue(root.at("/empty").props().isEmpty());
    }

    @Test
    void propertyNamesAreStoredOnce() {
        byte[] blob = small();
        FdtReader.Header h = new FdtReader(blob).header;
        String strings = new String(blob, h.offStrings(), h.sizeStrings(), StandardCharsets.US_ASCII);
        assertEquals("#address-cells\0compatible\0reg\0flag\0", strings);
    }

    @Test
    void valuesAndNamesOfEveryLengthArePaddedToFourBytes() {
        for (int len = 0; len <= 9; len++) {
            byte[] v = new byte[len];
            for (int i = 0; i < len; i++) {
                v[i] = (byte) (len * 16 + i + 1);
            }
            String child = "c" + "x".repeat(len);
            byte[] blob = new FdtWriter().beginNode("").prop("p", v).beginNode(child).propCells("q", 7)
                    .endNode().endNode().finish();
            FdtReader.Node root = new FdtReader(blob).root;
            assertArrayEquals(v, root.props().get("p"));
            assertEquals(child, root.children().get(0).name());
            assertEquals(7, root.at("/" + child).u32("q"), "the token after the padding is found");
        }
    }

    @Test
    void misuseIsRefused() {
        assertThrows(IllegalStateException.class, () -> new FdtWriter().finish(), "no root");
        assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("").finish(), "open node");
        assertThrows(IllegalStateException.class, () -> new FdtWriter().endNode());
        assertThrows(IllegalStateException.class, () -> new FdtWriter().propCells("x", 1), "outside a node");
        assertThrows(IllegalStateException.class, () -> new FdtWriter().beginNode("named"), "root has a name");
        assertThrows(IllegalStateException.class,
                () -> new FdtWriter().beginNode("").endNode().beginNode(""), "second root");
        assertThrows(IllegalStateException.class,
                () -> new FdtWriter().beginNode("").beginNode("c").endNode().propCells("late", 1));
        assertThrows(IllegalArgumentException.class,
                () -> new FdtWriter().beginNode("").propStrings("s", "a\0b"));
        FdtWriter done = new FdtWriter().beginNode("").endNode();
        done.finish();
        assertThrows(IllegalStateException.class, done::finish, "finished writers stay finished");
    }
}
