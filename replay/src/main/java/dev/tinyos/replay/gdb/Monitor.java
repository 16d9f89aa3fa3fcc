package dev.tinyos.replay.gdb;

import java.io.IOException;
import java.util.Locale;

/**
 * The stub's {@code monitor} commands: {@code icount}, {@code seek N}, {@code phys ADDR [LEN]}
 * (RAM by physical address) and {@code help}. Invariant: every command returns the text to
 * show, ending in a newline; a bad command says what was expected.
 */
final class Monitor {
    static final String HELP = """
            tinyos monitor commands:
              monitor icount           the instruction count here (and the trace's last)
              monitor seek N           move to instruction count N (forward or back)
              monitor checkpoint       the checkpoints kept to go back quickly (count, spacing, bytes, budget)
              monitor phys ADDR [LEN]  RAM bytes at physical address ADDR (hex; LEN decimal, default 16)
            """;

    private final DebugTarget target;

    Monitor(DebugTarget target) {
        this.target = target;
    }

    String run(String line) throws IOException {
        String[] w = line.split("\\s+");
        switch (w[0]) {
            case "icount":
                return String.format(Locale.ROOT, "icount %d (pc 0x%x, %s)%s%n", target.icount(), target.pc(),
                        target.symbolize(target.pc()),
                        target.endIcount() >= 0 ? "; the trace ends at icount " + target.endIcount() : "");
            case "seek":
                return seek(w);
            case "phys":
                return phys(w);
            case "checkpoint":
            case "checkpoints":
                return target.checkpointSummary() == null ? "tinyos: checkpoints need a replay (tinyos replay TRACE --gdb)\n"
                        : "tinyos: " + target.checkpointSummary() + "\n";
            case "help":
            case "":
                return HELP;
            default:
                return "tinyos: unknown monitor command '" + w[0] + "'\n" + HELP;
        }
    }

    private String seek(String[] w) throws IOException {
        if (w.length != 2 || !w[1].matches("\\d+")) {
            return "tinyos: usage: monitor seek N (an instruction count)\n";
        }
        if (!target.canReverse()) {
            return "tinyos: seek needs a replay (tinyos replay TRACE --gdb)\n";
        }
        target.seek(Long.parseLong(w[1]));
        return String.format(Locale.ROOT, "at icount %d, pc 0x%x (%s); 'maint flush register-cache' shows it%n",
                target.icount(), target.pc(), target.symbolize(target.pc()));
    }

    private String phys(String[] w) {
        try {
            long addr = Hex.parseLong(w[1].replaceFirst("^0x", ""));
            int len = w.length > 2 ? Integer.parseInt(w[2]) : 16;
            byte[] b = len < 1 || len > 4096 ? null : target.readPhysical(addr, len);
            if (b == null) {
                return String.format(Locale.ROOT, "tinyos: 0x%x..+%d is not RAM (or LEN is not 1..4096)%n", addr, len);
            }
            StringBuilder s = new StringBuilder();
            for (int i = 0; i < b.length; i += 16) {
                s.append(String.format(Locale.ROOT, "0x%x:", addr + i));
                for (int j = i; j < Math.min(b.length, i + 16); j++) {
                    s.append(String.format(Locale.ROOT, " %02x", b[j] & 0xff));
                }
                s.append('\n');
            }
            return s.toString();
        } catch (NumberFormatException | ArrayIndexOutOfBoundsException e) {
            return "tinyos: usage: monitor phys ADDR [LEN] (ADDR in hex)\n";
        }
    }
}
