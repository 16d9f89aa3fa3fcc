package dev.tinyos.replay.crash;

import dev.tinyos.core.Machine;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The recorded run's console as lines, each stamped with the icount at which its newline was
 * printed (the UART hands each byte to the console stream at once, on the machine thread), so
 * that the explorer can tell what the guest had reported before a crash point — e.g. the last
 * transaction it said was committed, for a content oracle ({@code {committed}}).
 *
 * <p>Invariant: lines are in print order with non-decreasing icounts; a last line without a
 * newline is not kept (nothing was fully reported).
 */
final class ConsoleLines extends OutputStream {
    /** One console line and the icount of its newline. */
    record Line(long icount, String text) {}

    private final List<Line> lines = new ArrayList<>();
    private final java.io.ByteArrayOutputStream cur = new java.io.ByteArrayOutputStream();
    private Machine machine;

    void attach(Machine m) {
        machine = m;
    }

    @Override
    public void write(int b) {
        if (b == '\n') {
            lines.add(new Line(machine == null ? 0 : machine.view().icount(),
                    cur.toString(StandardCharsets.ISO_8859_1).replace("\r", "")));
            cur.reset();
        } else {
            cur.write(b);
        }
    }

    List<Line> lines() {
        return lines;
    }

    /**
     * The first group (or the whole match, if the pattern has none) of the last line printed
     * before {@code icount} that {@code p} finds something in; null if none.
     */
    static String lastMatchBefore(List<Line> lines, Pattern p, long icount) {
        String found = null;
        for (Line l : lines) {
            if (l.icount() >= icount) {
                break;
            }
            Matcher m = p.matcher(l.text());
            if (m.find()) {
                found = m.groupCount() >= 1 && m.group(1) != null ? m.group(1) : m.group();
            }
        }
        return found;
    }
}
