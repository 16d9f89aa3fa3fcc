package dev.tinyos.replay.gdb;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * One GDB remote serial protocol connection: packet framing ({@code $data#cs}, two hex digits
 * of the modulo-256 sum), acknowledgements until {@code QStartNoAckMode}, the binary escape
 * ({@code 0x7d}, then the byte xor 0x20) and the out-of-band interrupt byte 0x03 (Ctrl-C).
 *
 * <p>Invariant: {@link #receive} returns whole packets with their escapes undone, or
 * {@link #INTERRUPT} for a Ctrl-C byte seen between packets; a packet with a bad checksum is
 * answered with {@code -} (gdb sends it again) and never returned.
 */
public final class RspConnection {
    /** What {@link #receive} returns for the interrupt byte. */
    public static final String INTERRUPT = "\u0003";

    private final InputStream in;
    private final OutputStream out;
    private boolean acks = true;

    public RspConnection(InputStream in, OutputStream out) {
        this.in = new BufferedInputStream(in);
        this.out = new BufferedOutputStream(out);
    }

    /** The next packet's payload, {@link #INTERRUPT}, or null when the peer has closed the connection. */
    public String receive() throws IOException {
        while (true) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            if (c == 0x03) {
                return INTERRUPT;
            }
            if (c != '$') {
                continue; // acks, and noise between packets
            }
            String p = packetBody();
            if (p != null) {
                return p;
            }
        }
    }

    /** The rest of a packet after '$': its payload, or null (nack sent) if the checksum is wrong or the peer left. */
    private String packetBody() throws IOException {
        StringBuilder b = new StringBuilder();
        int sum = 0;
        int c;
        while ((c = in.read()) >= 0 && c != '#') {
            sum += c;
            if (c == 0x7d) {
                int e = in.read();
                sum += e;
                c = e ^ 0x20;
            }
            b.append((char) c);
        }
        int hi = in.read();
        int lo = in.read();
        if (c < 0 || lo < 0) {
            return null;
        }
        boolean good = Character.digit(hi, 16) * 16 + Character.digit(lo, 16) == (sum & 0xff);
        if (acks) {
            out.write(good ? '+' : '-');
            out.flush();
        }
        return good ? b.toString() : null;
    }

    /** Sends {@code payload} as one packet (escaping what must be) and, in ack mode, waits for its '+'. */
    public void send(String payload) throws IOException {
        byte[] raw = payload.getBytes(StandardCharsets.ISO_8859_1);
        out.write('$');
        int sum = 0;
        for (byte r : raw) {
            int c = r & 0xff;
            if (c == '$' || c == '#' || c == 0x7d || c == '*') {
                out.write(0x7d);
                sum += 0x7d;
                c ^= 0x20;
            }
            out.write(c);
            sum += c;
        }
        out.write('#');
        out.write(Character.forDigit((sum >> 4) & 0xf, 16));
        out.write(Character.forDigit(sum & 0xf, 16));
        out.flush();
        if (acks) {
            awaitAck();
        }
    }

    private void awaitAck() throws IOException {
        int c;
        while ((c = in.read()) >= 0 && c != '+' && c != '-') {
            // gdb sends nothing else before acknowledging
        }
    }

    /** Turns acknowledgements off (after replying OK to QStartNoAckMode). */
    public void noAcks() {
        acks = false;
    }

    /** True if a byte is waiting (a Ctrl-C while the target runs). */
    public boolean interruptPending() throws IOException {
        if (in.available() == 0) {
            return false;
        }
        in.mark(1);
        int c = in.read();
        if (c == 0x03) {
            return true;
        }
        in.reset();
        return false;
    }
}
