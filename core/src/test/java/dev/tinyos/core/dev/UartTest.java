package dev.tinyos.core.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import org.junit.jupiter.api.Test;

class UartTest {
    private static final int RBR = 0, IER = 1, IIR = 2, FCR = 2, LCR = 3, MCR = 4, LSR = 5, MSR = 6, SCR = 7;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final Uart16550 uart = new Uart16550(out);

    private int read(int reg) {
        return (int) uart.load(reg, 1);
    }

    private void write(int reg, int v) {
        uart.store(reg, 1, v);
    }

    @Test
    void resetStateAndTransmit() {
        assertEquals(0x60, read(LSR));
        assertEquals(0x01, read(IIR));
        assertFalse(uart.interruptPending());
        write(RBR, 'h');
        write(RBR, 'i');
        assertArrayEquals("hi".getBytes(), out.toByteArray());
        write(SCR, 0x5A);
        assertEquals(0x5A, read(SCR));
    }

    @Test
    void divisorLatchHidesThrAndIer() {
        write(LCR, 0x83);
        write(0, 0x01);
        write(1, 0x00);
        assertEquals(0, out.size(), "DLL write is not a transmission");
        assertEquals(1, read(0));
        write(LCR, 0x03);
        assertEquals(0, read(IER));
    }

    @Test
    void withoutFifoOneByteHoldsAndOverrunSetsOe() {
        assertTrue(uart.canReceive());
        uart.receive('a');
        assertFalse(uart.canReceive());
        uart.receive('b');
        assertEquals(0x60 | 0x01 | 0x02, read(LSR));
        assertEquals(0x61, read(LSR), "reading LSR clears OE");
        assertEquals('a', read(RBR));
        assertEquals(0x60, read(LSR));
    }

    @Test
    void fifoTriggerLevelsAndTimeoutCause() {
        write(FCR, 0x41); // FIFO on, trigger 4
        write(IER, 0x01);
        assertEquals(0xC1, read(IIR));
        uart.receive('1');
        assertEquals(0xCC, read(IIR), "below the trigger level: character timeout");
        uart.receive('2');
        uart.receive('3');
        uart.receive('4');
        assertEquals(0xC4, read(IIR), "at the trigger level: received data available");
        assertTrue(uart.interruptPending());
        for (char c : "1234".toCharArray()) {
            assertEquals(c, read(RBR));
        }
        assertFalse(uart.interruptPending());
    }

    @Test
    void fifoHoldsSixteenThenDrops() {
        write(FCR, 0x07);
        for (int i = 0; i < 20; i++) {
            uart.receive('A' + i);
        }
        assertFalse(uart.canReceive());
        assertEquals(0x63, read(LSR));
        write(IER, 0x04);
        assertEquals(0xC1, read(IIR), "OE was cleared by the LSR read");
        for (int i = 0; i < 16; i++) {
            assertEquals('A' + i, read(RBR));
        }
        assertEquals(0x60, read(LSR));
        write(FCR, 0x03);
        uart.receive('x');
        write(FCR, 0x03);
        assertEquals(0x60, read(LSR), "FCR bit 1 clears the RX FIFO");
    }

    @Test
    void lineStatusInterruptOnOverrun() {
        write(IER, 0x05);
        uart.receive('a');
        uart.receive('b');
        assertEquals(0x06, read(IIR), "receiver line status outranks data");
        read(LSR);
        assertEquals(0x04, read(IIR));
    }

    @Test
    void thrEmptyInterruptLatchesAndClears() {
        write(IER, 0x02);
        assertTrue(uart.interruptPending(), "enabling ETBEI with THR empty raises it");
        assertEquals(0x02, read(IIR));
        assertFalse(uart.interruptPending(), "reading IIR cleared it");
        write(RBR, 'x');
        assertTrue(uart.interruptPending(), "the byte left THR at once: empty again");
        write(IER, 0x03);
        uart.receive('r');
        assertEquals(0x04, read(IIR), "data outranks THR empty");
        assertTrue(uart.interruptPending(), "THR empty still latched behind it");
        read(RBR);
        assertEquals(0x02, read(IIR));
        assertFalse(uart.interruptPending());
    }

    @Test
    void loopbackRoutesTxToRxAndModemLines() {
        write(MCR, 0x10);
        assertEquals(0, read(MSR) & 0xF0);
        write(RBR, 'L');
        assertEquals(0, out.size());
        assertEquals('L', read(RBR));
        uart.receive('z');
        assertEquals(0x60, read(LSR), "line input is disconnected in loopback");
        write(MCR, 0x13); // DTR, RTS
        assertEquals(0x30 | 0x03, read(MSR));
        assertEquals(0x30, read(MSR), "deltas clear on read");
        write(MCR, 0);
        assertEquals(0xB0, read(MSR) & 0xF0);
    }

    @Test
    void lineUpdatesWhereQemuUpdatesTheLineNotOnPolling() {
        write(IER, 0x03); // THR empty and received data
        int u = uart.lineUpdates();
        read(LSR);
        read(LSR);
        read(LCR);
        read(SCR);
        assertEquals(u, uart.lineUpdates(), "polling LSR (and reading plain registers) leaves the line alone");
        assertTrue(uart.interruptPending(), "THR empty stays latched: a driver that never reads IIR keeps it");
        write(RBR, 'x');
        assertEquals(u + 1, uart.lineUpdates(), "a THR write updates the line");
        uart.receive('y');
        assertEquals(u + 2, uart.lineUpdates(), "a received byte updates it");
        read(RBR);
        assertEquals(u + 3, uart.lineUpdates(), "so does reading it");
        read(IIR);
        assertEquals(u + 4, uart.lineUpdates(), "an IIR read that clears THR empty updates it");
        assertFalse(uart.interruptPending());
        read(IIR);
        assertEquals(u + 4, uart.lineUpdates(), "an IIR read that clears nothing does not");
        write(IER, 0x03);
        assertEquals(u + 4, uart.lineUpdates(), "rewriting IER with the value it holds does not");
        write(IER, 0x01);
        assertEquals(u + 5, uart.lineUpdates(), "changing IER does");
    }
}
