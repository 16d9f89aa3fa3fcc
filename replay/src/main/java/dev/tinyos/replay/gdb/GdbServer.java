package dev.tinyos.replay.gdb;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The gdb remote protocol over one connection, answering from a {@link DebugTarget}: queries,
 * register and memory reads, breakpoints (Z0/Z1) and watchpoints (Z2-Z4), continue and step in
 * both directions ({@code c s bc bs}), Ctrl-C while running, and {@code monitor} commands
 * ({@link Monitor}). Writes to registers or memory are refused: the target follows a trace.
 *
 * <p>Invariant: every packet gets exactly one reply, and the session ends when gdb detaches,
 * kills or closes the connection.
 */
public final class GdbServer {
    private final RspConnection conn;
    private final DebugTarget target;
    private final Monitor monitor;
    private Stop last = Stop.of(Stop.Kind.STEP);

    public GdbServer(RspConnection conn, DebugTarget target) {
        this.conn = conn;
        this.target = target;
        this.monitor = new Monitor(target);
    }

    /** Serves until gdb leaves. */
    public void serve() throws IOException {
        String p;
        while ((p = conn.receive()) != null) {
            if (p.equals(RspConnection.INTERRUPT)) {
                continue; // not running: nothing to interrupt
            }
            if (p.equals("k") || p.startsWith("vKill")) {
                send("OK");
                return;
            }
            if (p.startsWith("D")) {
                send("OK");
                return;
            }
            send(answer(p));
            if (p.equals("QStartNoAckMode")) {
                conn.noAcks();
            }
        }
    }

    private void send(String reply) throws IOException {
        conn.send(reply);
    }

    /** The reply to packet {@code p}. */
    String answer(String p) throws IOException {
        try {
            return dispatch(p);
        } catch (NumberFormatException | IndexOutOfBoundsException e) {
            return "E01"; // a malformed packet
        }
    }

    private String dispatch(String p) throws IOException {
        char c = p.isEmpty() ? ' ' : p.charAt(0);
        return switch (c) {
            case '?' -> last.reply();
            case 'g' -> allRegisters();
            case 'p' -> register(Integer.parseInt(p.substring(1), 16));
            case 'm' -> memory(p.substring(1));
            case 'G', 'P', 'M', 'X' -> "E.this is a replay: registers and memory follow the trace and cannot be written";
            case 'Z', 'z' -> point(p);
            case 'c' -> run(() -> target.resume(this::interrupted));
            case 's' -> run(target::step);
            case 'b' -> reverse(p);
            case 'H' -> "OK";
            case 'T' -> "OK";
            case 'q', 'Q', 'v' -> query(p);
            default -> "";
        };
    }

    private String query(String p) throws IOException {
        if (p.startsWith("qSupported")) {
            return "PacketSize=4000;qXfer:features:read+;swbreak+;hwbreak+;QStartNoAckMode+"
                    + (target.canReverse() ? ";ReverseStep+;ReverseContinue+" : "");
        }
        if (p.startsWith("qXfer:features:read:target.xml:")) {
            return xfer(TargetXml.document(), p.substring("qXfer:features:read:target.xml:".length()));
        }
        if (p.startsWith("qRcmd,")) {
            return monitorCommand(Hex.decodeText(p.substring(6)));
        }
        return switch (p) {
            case "QStartNoAckMode", "qSymbol::" -> "OK";
            case "qAttached" -> "1";
            case "qC" -> "QC1";
            case "qfThreadInfo" -> "m1";
            case "qsThreadInfo" -> "l";
            default -> "";
        };
    }

    /** A qXfer read: {@code off,len} of {@code doc}, 'm' if more follows, 'l' for the last part. */
    private static String xfer(String doc, String range) {
        int comma = range.indexOf(',');
        int off = (int) Hex.parseLong(range.substring(0, comma));
        int len = (int) Hex.parseLong(range.substring(comma + 1));
        if (off >= doc.length()) {
            return "l";
        }
        int endOff = Math.min(doc.length(), off + len);
        return (endOff < doc.length() ? "m" : "l") + doc.substring(off, endOff);
    }

    private String allRegisters() {
        StringBuilder b = new StringBuilder(33 * 16);
        for (int i = 0; i < 32; i++) {
            b.append(Hex.le64(target.x(i)));
        }
        return b.append(Hex.le64(target.pc())).toString();
    }

    private String register(int n) {
        if (n < 32) {
            return Hex.le64(target.x(n));
        }
        if (n == TargetXml.PC) {
            return Hex.le64(target.pc());
        }
        if (n >= TargetXml.FIRST_FPR && n < TargetXml.FIRST_FPR + 32
                || n >= TargetXml.FIRST_FCSR && n <= TargetXml.LAST_FCSR) {
            return "xxxxxxxxxxxxxxxx"; // described for gdb's sake, not implemented: unavailable
        }
        if (n == TargetXml.PRIV) {
            return Hex.le64(target.priv());
        }
        if (n >= TargetXml.FIRST_CSR && n < TargetXml.PRIV && TargetXml.CSRS.containsValue(n - TargetXml.FIRST_CSR)) {
            return Hex.le64(target.csr(n - TargetXml.FIRST_CSR));
        }
        return "E45";
    }

    private String memory(String args) {
        int comma = args.indexOf(',');
        long addr = Hex.parseLong(args.substring(0, comma));
        int len = (int) Math.min(Hex.parseLong(args.substring(comma + 1)), 0x1000);
        byte[] b = target.readVirtual(addr, len);
        return b == null ? "E14" : Hex.bytes(b, b.length);
    }

    /** Z/z TYPE,ADDR,KIND: insert or remove a breakpoint (0, 1) or a watchpoint (2 write, 3 read, 4 access). */
    private String point(String p) {
        boolean insert = p.charAt(0) == 'Z';
        String[] f = p.substring(1).split("[,;]");
        int type = Integer.parseInt(f[0]);
        long addr = Hex.parseLong(f[1]);
        int len = (int) Hex.parseLong(f[2]);
        if (type == 0 || type == 1) {
            if (insert) {
                target.addBreakpoint(addr);
            } else {
                target.removeBreakpoint(addr);
            }
            return "OK";
        }
        if (type >= DebugTarget.WATCH_WRITE && type <= DebugTarget.WATCH_ACCESS && target.canWatch()) {
            if (insert) {
                target.addWatchpoint(type, addr, len);
            } else {
                target.removeWatchpoint(type, addr, len);
            }
            return "OK";
        }
        return "";
    }

    private String reverse(String p) throws IOException {
        if (!target.canReverse()) {
            return "E.this target runs forward only: reverse execution needs a replay (tinyos replay TRACE --gdb)";
        }
        return switch (p) {
            case "bc" -> run(target::reverseResume);
            case "bs" -> run(target::reverseStep);
            default -> "";
        };
    }

    @FunctionalInterface
    private interface Motion {
        Stop go() throws IOException;
    }

    private String run(Motion m) throws IOException {
        try {
            last = m.go();
        } catch (IOException e) {
            conn.send("O" + Hex.text("tinyos: " + e.getMessage() + "\n"));
            last = Stop.of(Stop.Kind.INTERRUPTED);
        }
        return last.reply();
    }

    private boolean interrupted() {
        try {
            return conn.interruptPending();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs a {@code monitor} command; its output goes to gdb's console as O packets. */
    private String monitorCommand(String line) throws IOException {
        String out = monitor.run(line.trim());
        if (!out.isEmpty()) {
            conn.send("O" + Hex.text(out));
        }
        return "OK";
    }
}
