package dev.tinyos.replay.gdb;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The remote protocol's edges, byte for byte: framing, checksums, escapes, the interrupt
 * byte, and a reply (never an exception) for every malformed or unsupported packet. The
 * target is a live machine on the board program hello.elf.
 */
class GdbProtocolTest {
    private LiveTarget target;
    private GdbServer server;

    @BeforeEach
    void boot() throws Exception {
        Path elf = Path.of(System.getProperty("tinyos.guest.build", "../guest/build"), "board", "hello.elf");
        assumeTrue(Files.isRegularFile(elf), "guest not built: " + elf);
        target = new LiveTarget(new Machine(MachineConfig.builder().kernel(elf).console(new ByteArrayOutputStream())
                .build()));
        server = new GdbServer(new RspConnection(new ByteArrayInputStream(new byte[0]), new ByteArrayOutputStream()),
                target);
    }

    @AfterEach
    void close() {
        if (target != null) {
            target.close();
        }
    }

    static String frame(String payload) {
        int sum = 0;
        for (byte b : payload.getBytes(StandardCharsets.ISO_8859_1)) {
            sum += b & 0xff;
        }
        return "$" + payload + "#" + String.format("%02x", sum & 0xff);
    }

    @Test
    void framingChecksumsAcksAndEscapes() throws Exception {
        String in = "+" + frame("qC") + "$qC#00" + "\u0003" + "$}\u0003#" + String.format("%02x", (0x7d + 0x03) & 0xff);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RspConnection c = new RspConnection(new ByteArrayInputStream(in.getBytes(StandardCharsets.ISO_8859_1)), out);
        assertEquals("qC", c.receive());
        assertEquals(RspConnection.INTERRUPT, c.receive(), "the bad checksum is nacked and skipped");
        assertEquals("#", c.receive(), "0x7d escapes the next byte xor 0x20");
        assertEquals(null, c.receive(), "the peer left");
        assertEquals("+-+", out.toString(StandardCharsets.ISO_8859_1));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        RspConnection s = new RspConnection(new ByteArrayInputStream("+".getBytes()), sent);
        s.send("a$b#c}d*");
        assertEquals("$a}\u0004b}\u0003c}]d}\n#" + String.format("%02x",
                ('a' + 0x7d + 0x04 + 'b' + 0x7d + 0x03 + 'c' + 0x7d + ']' + 'd' + 0x7d + '\n') & 0xff),
                sent.toString(StandardCharsets.ISO_8859_1));
    }

    @Test
    void registersMemoryAndTheTargetDescription() throws Exception {
        assertEquals(33 * 16, server.answer("g").length());
        assertEquals("0000008000000000", server.answer("p20"), "pc at the entry, 0x80000000, little-endian");
        assertEquals("0300000000000000", server.answer("p" + Integer.toHexString(TargetXml.PRIV)), "M-mode");
        assertEquals("xxxxxxxxxxxxxxxx", server.answer("p21"), "f0: described, unavailable");
        String first = server.answer("m80000000,4");
        assertEquals(8, first.length());
        assertEquals("E14", server.answer("m10000000,4"), "a device register is never read");
        String xml = TargetXml.document();
        String part = server.answer("qXfer:features:read:target.xml:0,40");
        assertEquals("m" + xml.substring(0, 0x40), part);
        assertEquals("l", server.answer("qXfer:features:read:target.xml:" + Integer.toHexString(xml.length()) + ",40"));
        assertTrue(server.answer("qSupported:multiprocess+").contains("qXfer:features:read+"));
        assertTrue(!server.answer("qSupported").contains("ReverseContinue"), "a live run goes forward only");
    }

    @Test
    void everyBadPacketGetsAReply() throws Exception {
        assertEquals("E01", server.answer("mzz,4"));
        assertEquals("E01", server.answer("m80000000"));
        assertEquals("E01", server.answer("p"));
        assertEquals("E45", server.answer("p9999"));
        assertEquals("", server.answer("Z9,0,0"));
        assertEquals("", server.answer("Z2,80000000,4"), "no hardware watchpoints live: gdb uses software ones");
        assertEquals("E01", server.answer("Z0"));
        assertTrue(server.answer("M80000000,1:00").startsWith("E."), "writes are refused with a message");
        assertTrue(server.answer("bc").startsWith("E."), "no reverse on a live run");
        assertEquals("", server.answer("vCont?"));
        assertEquals("", server.answer("qFrobnicate"));
        assertEquals("", server.answer(""));
        assertEquals("OK", server.answer("qRcmd," + Hex.text("frobnicate")));
        assertEquals("E01", server.answer("qRcmd,zz"), "not hex");
    }

    @Test
    void stepAndMonitor() throws Exception {
        assertEquals("T05thread:1;", server.answer("s"));
        assertEquals(1, target.icount());
        assertEquals("OK", server.answer("qRcmd," + Hex.text("icount")));
    }
}
