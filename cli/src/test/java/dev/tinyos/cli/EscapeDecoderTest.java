package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class EscapeDecoderTest {

    @Test
    void plainBytesPassThrough() {
        EscapeDecoder d = new EscapeDecoder();
        assertEquals('l', d.feed('l'));
        assertEquals(0x03, d.feed(0x03)); // Ctrl-C goes to the guest, as under QEMU
        assertEquals(0xff, d.feed(0xff));
    }

    @Test
    void ctrlAxQuitsAndCtrlAhHelps() {
        EscapeDecoder d = new EscapeDecoder();
        assertEquals(EscapeDecoder.NONE, d.feed(EscapeDecoder.CTRL_A));
        assertEquals(EscapeDecoder.QUIT, d.feed('x'));
        assertEquals(EscapeDecoder.NONE, d.feed(EscapeDecoder.CTRL_A));
        assertEquals(EscapeDecoder.HELP, d.feed('h'));
        assertEquals('x', d.feed('x'), "x alone is just a letter");
    }

    @Test
    void doubleCtrlASendsOneLiteralCtrlA() {
        EscapeDecoder d = new EscapeDecoder();
        assertEquals(EscapeDecoder.NONE, d.feed(EscapeDecoder.CTRL_A));
        assertEquals(EscapeDecoder.CTRL_A, d.feed(EscapeDecoder.CTRL_A));
        assertEquals('a', d.feed('a'), "the pair left no escape pending");
    }

    @Test
    void unknownCommandIsSwallowed() {
        EscapeDecoder d = new EscapeDecoder();
        d.feed(EscapeDecoder.CTRL_A);
        assertEquals(EscapeDecoder.NONE, d.feed('z'));
        assertEquals('z', d.feed('z'));
    }
}
