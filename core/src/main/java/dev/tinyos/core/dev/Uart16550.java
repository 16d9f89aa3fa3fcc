package dev.tinyos.core.dev;

import dev.tinyos.core.Device;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;

/**
 * NS16550A UART as on QEMU {@code virt} (registers one byte apart, IRQ 10). Transmission is
 * instantaneous: a byte written to THR goes to the console stream at once, so THR and the
 * transmitter are always empty (LSR.THRE and LSR.TEMT read 1). Received bytes come only from
 * {@link #receive} (the machine's input sink) into a 16-byte FIFO (1 byte when FIFOs are off);
 * a byte arriving at a full FIFO is dropped and sets LSR.OE.
 *
 * <p>Interrupt causes, highest first: receiver line status (OE, IER.ELSI), received data
 * available (FIFO at or above its trigger level), character timeout (data below the trigger
 * level: reported at once, the deterministic stand-in for "no activity for four character
 * times"), THR empty (latched when THR becomes empty or IER.ETBEI is set; cleared by writing
 * THR or by reading IIR while it is the reported cause), modem status (only in loopback, when
 * the looped-back MCR lines change). Invariant: {@link #interruptPending()} is exactly
 * "IIR bit 0 reads 0".
 *
 * <p>{@link #lineUpdates()} counts the moments at which the UART updates its interrupt line
 * (where QEMU's 16550 does): a received byte, a THR, FCR or MCR write, an IER write that changes
 * its value (rewriting the value it holds updates nothing), an RBR read, and
 * the reads that clear a cause (IIR clearing THR empty, LSR clearing OE, MSR clearing its
 * deltas). Other reads, LSR polling above all, leave the line alone. The PLIC sees only these
 * updates ({@link Plic#signal}).
 */
public final class Uart16550 implements Device, Saveable {
    private static final int FIFO_SIZE = 16;

    private static final int IER_ERBFI = 0x01;
    private static final int IER_ETBEI = 0x02;
    private static final int IER_ELSI = 0x04;
    private static final int IER_EDSSI = 0x08;

    private static final int IIR_NONE = 0x01;
    private static final int IIR_MSI = 0x00;
    private static final int IIR_THRI = 0x02;
    private static final int IIR_RDI = 0x04;
    private static final int IIR_RLSI = 0x06;
    private static final int IIR_CTI = 0x0C;
    private static final int IIR_FIFO = 0xC0;

    private static final int FCR_ENABLE = 0x01;
    private static final int FCR_CLEAR_RX = 0x02;

    private static final int LCR_DLAB = 0x80;
    private static final int MCR_LOOP = 0x10;

    private static final int LSR_DR = 0x01;
    private static final int LSR_OE = 0x02;
    private static final int LSR_THRE = 0x20;
    private static final int LSR_TEMT = 0x40;

    private static final int MSR_DELTAS = 0x0F;
    private static final int MSR_IDLE_LINES = 0xB0; // DCD | DSR | CTS, as QEMU reports

    private static final int[] TRIGGER = {1, 4, 8, 14};

    private final OutputStream console;
    private final byte[] rx = new byte[FIFO_SIZE];
    private int rxHead;
    private int rxCount;

    private int ier;
    private int fcr;
    private int lcr;
    private int mcr;
    private int msr = MSR_IDLE_LINES;
    private int scr;
    private int dll = 12;
    private int dlm;
    private boolean overrun;
    private boolean thrEmptyLatched;
    private int lineUpdates;

    /** TX bytes go to {@code console}; {@code null} discards them. */
    public Uart16550(OutputStream console) {
        this.console = console;
    }

    @Override
    public void save(StateWriter w) {
        w.writeBytes(rx);
        w.writeInts(new int[] {rxHead, rxCount, ier, fcr, lcr, mcr, msr, scr, dll, dlm, lineUpdates});
        w.writeBoolean(overrun);
        w.writeBoolean(thrEmptyLatched);
    }

    @Override
    public void restore(StateReader r) {
        byte[] fifo = r.readBytes();
        if (fifo == null || fifo.length != FIFO_SIZE) {
            throw new dev.tinyos.core.state.StateFormatException("the UART receive FIFO is not " + FIFO_SIZE + " bytes");
        }
        System.arraycopy(fifo, 0, rx, 0, FIFO_SIZE);
        int[] v = new int[11];
        r.readIntsInto(v, "the UART registers");
        if (v[0] < 0 || v[0] >= FIFO_SIZE || v[1] < 0 || v[1] > FIFO_SIZE) {
            throw new dev.tinyos.core.state.StateFormatException("the UART FIFO indices are out of range");
        }
        rxHead = v[0]; rxCount = v[1]; ier = v[2]; fcr = v[3]; lcr = v[4]; mcr = v[5]; msr = v[6]; scr = v[7];
        dll = v[8]; dlm = v[9]; lineUpdates = v[10];
        overrun = r.readBoolean();
        thrEmptyLatched = r.readBoolean();
    }

    @Override
    public long size() {
        return 0x100;
    }

    private boolean fifoEnabled() {
        return (fcr & FCR_ENABLE) != 0;
    }

    private int capacity() {
        return fifoEnabled() ? FIFO_SIZE : 1;
    }

    /** True if another received byte fits into the receiver (flow control for input sources). */
    public boolean canReceive() {
        return rxCount < capacity();
    }

    /** A byte arrives on the serial line (from the input source). Dropped when full: LSR.OE. */
    public void receive(int b) {
        if ((mcr & MCR_LOOP) != 0) {
            return; // in loopback the receiver is disconnected from the line
        }
        push(b);
    }

    private void push(int b) {
        lineUpdates++;
        if (rxCount >= capacity()) {
            overrun = true;
            return;
        }
        rx[(rxHead + rxCount) % FIFO_SIZE] = (byte) b;
        rxCount++;
    }

    private int pop() {
        if (rxCount == 0) {
            return 0;
        }
        int b = rx[rxHead] & 0xFF;
        rxHead = (rxHead + 1) % FIFO_SIZE;
        rxCount--;
        return b;
    }

    /** How many times the UART has updated its interrupt line (wraps; compare for change). */
    public int lineUpdates() {
        return lineUpdates;
    }

    /** True when the UART drives its interrupt line. */
    public boolean interruptPending() {
        return cause() != IIR_NONE;
    }

    /** The highest-priority pending cause as IIR bits 0..3. */
    private int cause() {
        if ((ier & IER_ELSI) != 0 && overrun) {
            return IIR_RLSI;
        }
        if ((ier & IER_ERBFI) != 0 && rxCount > 0) {
            int trigger = fifoEnabled() ? TRIGGER[(fcr >>> 6) & 3] : 1;
            return rxCount >= trigger ? IIR_RDI : IIR_CTI;
        }
        if ((ier & IER_ETBEI) != 0 && thrEmptyLatched) {
            return IIR_THRI;
        }
        if ((ier & IER_EDSSI) != 0 && (msr & MSR_DELTAS) != 0) {
            return IIR_MSI;
        }
        return IIR_NONE;
    }

    @Override
    public long load(long offset, int size) {
        switch ((int) offset) {
            case 0:
                return (lcr & LCR_DLAB) != 0 ? dll : readRbr();
            case 1:
                return (lcr & LCR_DLAB) != 0 ? dlm : ier;
            case 2:
                return readIir();
            case 3:
                return lcr;
            case 4:
                return mcr;
            case 5:
                return readLsr();
            case 6:
                return readMsr();
            case 7:
                return scr;
            default:
                return 0;
        }
    }

    private int readRbr() {
        lineUpdates++;
        return pop();
    }

    private int readIir() {
        int c = cause();
        if (c == IIR_THRI) {
            thrEmptyLatched = false;
            lineUpdates++;
        }
        return c | (fifoEnabled() ? IIR_FIFO : 0);
    }

    private int readLsr() {
        int v = LSR_THRE | LSR_TEMT | (rxCount > 0 ? LSR_DR : 0) | (overrun ? LSR_OE : 0);
        if (overrun) {
            overrun = false;
            lineUpdates++;
        }
        return v;
    }

    private int readMsr() {
        int v = msr;
        if ((msr & MSR_DELTAS) != 0) {
            msr &= ~MSR_DELTAS;
            lineUpdates++;
        }
        return v;
    }

    @Override
    public void store(long offset, int size, long value) {
        int v = (int) value & 0xFF;
        switch ((int) offset) {
            case 0:
                if ((lcr & LCR_DLAB) != 0) {
                    dll = v;
                } else {
                    transmit(v);
                }
                break;
            case 1:
                if ((lcr & LCR_DLAB) != 0) {
                    dlm = v;
                } else {
                    writeIer(v);
                }
                break;
            case 2:
                writeFcr(v);
                break;
            case 3:
                lcr = v;
                break;
            case 4:
                writeMcr(v);
                break;
            case 7:
                scr = v;
                break;
            default:
                break; // LSR and MSR are read-only
        }
    }

    private void transmit(int b) {
        lineUpdates++;
        if ((mcr & MCR_LOOP) != 0) {
            push(b);
        } else if (console != null) {
            try {
                console.write(b);
            } catch (IOException e) {
                throw new UncheckedIOException("console output failed", e);
            }
        }
        thrEmptyLatched = true; // the byte left THR at once
    }

    /** Only a write that changes IER updates the line (QEMU's 16550; board test plicgate). */
    private void writeIer(int v) {
        boolean thriTurnedOn = (v & IER_ETBEI) != 0 && (ier & IER_ETBEI) == 0;
        boolean changed = (v & 0x0F) != ier;
        ier = v & 0x0F;
        if (!changed) {
            return;
        }
        lineUpdates++;
        if (thriTurnedOn) {
            thrEmptyLatched = true;
        }
    }

    private void writeFcr(int v) {
        boolean wasEnabled = fifoEnabled();
        lineUpdates++;
        if ((v & FCR_CLEAR_RX) != 0 || ((v & FCR_ENABLE) != 0) != wasEnabled) {
            rxHead = 0;
            rxCount = 0;
        }
        fcr = v & (FCR_ENABLE | 0xC0);
    }

    private void writeMcr(int v) {
        int old = mcr;
        mcr = v & 0x1F;
        lineUpdates++;
        if ((mcr & MCR_LOOP) == 0) {
            msr = (msr & MSR_DELTAS) | MSR_IDLE_LINES;
            return;
        }
        // Loopback: DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD; record deltas.
        int lines = ((mcr & 0x01) << 5) | ((mcr & 0x02) << 3) | ((mcr & 0x04) << 4) | ((mcr & 0x08) << 4);
        int oldLines = (old & MCR_LOOP) != 0 ? msr & 0xF0 : MSR_IDLE_LINES;
        int delta = ((lines ^ oldLines) >>> 4) & 0x0B;
        if ((oldLines & 0x40) != 0 && (lines & 0x40) == 0) {
            delta |= 0x04; // trailing edge of RI
        }
        msr = lines | (msr & MSR_DELTAS) | delta;
    }
}
