package dev.tinyos.cli;

import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGINT and SIGTERM during {@code tinyos run} stop the machine as Ctrl-A x does: at the next
 * instruction boundary, with the stop and the end recorded and the summary printed; the run then
 * exits with the shell's status for that signal (130, 143). A second signal while the first is
 * being handled ends the process at once (the trace then ends like a killed recorder's).
 * Invariant: the JVM's own handlers are back in place after {@link #uninstall}.
 *
 * <p>A signal the process started with ignored stays ignored: the JVM takes no Java handler for
 * SIGINT or SIGTERM then ({@link Signal#handle} answers {@link SignalHandler#SIG_IGN} and changes
 * nothing). A non-interactive shell starts its background jobs so with SIGINT, which is why the
 * {@code ./tinyos} launcher starts the JVM with both at their default actions.
 */
final class StopSignals {
    private static final String[] NAMES = {"INT", "TERM"};
    private final ConsoleInput input;
    private final SignalHandler[] previous = new SignalHandler[NAMES.length];
    private volatile String received;
    private volatile int number;

    private StopSignals(ConsoleInput input) {
        this.input = input;
    }

    /** Routes SIGINT and SIGTERM to {@code input}'s stop until {@link #uninstall}. */
    static StopSignals install(ConsoleInput input) {
        StopSignals s = new StopSignals(input);
        for (int i = 0; i < NAMES.length; i++) {
            try {
                s.previous[i] = Signal.handle(new Signal(NAMES[i]), s::handle);
            } catch (IllegalArgumentException e) {
                // the JVM reserves this signal (-Xrs): its default action stays
            }
        }
        return s;
    }

    private void handle(Signal sig) {
        if (received != null) {
            Runtime.getRuntime().halt(128 + sig.getNumber());
        }
        number = sig.getNumber();
        received = "SIG" + sig.getName();
        input.requestStop();
    }

    /** "SIGINT" or "SIGTERM" if one arrived, else null. */
    String received() {
        return received;
    }

    /** The shell's exit status for the signal received: 128 + its number. */
    int exitStatus() {
        return 128 + number;
    }

    void uninstall() {
        for (int i = 0; i < NAMES.length; i++) {
            if (previous[i] != null) {
                Signal.handle(new Signal(NAMES[i]), previous[i]);
            }
        }
    }
}
