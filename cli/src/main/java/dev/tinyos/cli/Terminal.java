package dev.tinyos.cli;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * The controlling terminal in raw mode, set and restored with {@code stty} on {@code /dev/tty}.
 * Raw means: every key reaches the guest at once, no echo, no signals from Ctrl-C (the guest
 * gets the byte, as under QEMU); output post-processing stays on so the guest's {@code \n}
 * still starts a new line.
 *
 * <p>Invariant: after {@link #enterRaw} succeeds, the settings saved before it are written
 * back exactly once — by {@link #restore}, or by the shutdown hook if the JVM exits first
 * (Ctrl-C from another terminal, SIGTERM, an uncaught exception).
 */
public final class Terminal {
    private static final File TTY = new File("/dev/tty");

    private String saved;
    private Thread hook;

    /**
     * True if standard input is a terminal. The launcher tells us ({@code TINYOS_STDIN_TTY},
     * from {@code test -t 0}); without it we fall back to {@link System#console()}, which needs
     * standard output to be a terminal as well.
     */
    public static boolean stdinIsTerminal() {
        String env = System.getenv("TINYOS_STDIN_TTY");
        if (env != null && !env.isEmpty()) {
            return env.equals("1");
        }
        return System.console() != null;
    }

    /** Saves the current settings and switches to raw mode; false if stty is unavailable. */
    public synchronized boolean enterRaw() {
        try {
            String settings = stty("-g").trim();
            if (settings.isEmpty()) {
                return false;
            }
            saved = settings;
            hook = new Thread(this::restore, "tinyos-terminal-restore");
            Runtime.getRuntime().addShutdownHook(hook);
            stty("raw", "-echo", "opost");
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** Writes the saved settings back (stty sane if that fails). Idempotent. */
    public synchronized void restore() {
        if (saved == null) {
            return;
        }
        String settings = saved;
        saved = null;
        try {
            stty(settings);
        } catch (IOException e) {
            try {
                stty("sane");
            } catch (IOException ignored) {
                // nothing more we can do for the terminal
            }
        }
        if (hook != null && Thread.currentThread() != hook) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; restoring twice is harmless anyway
            }
        }
    }

    private static String stty(String... args) throws IOException {
        String[] cmd = new String[args.length + 1];
        cmd[0] = "stty";
        System.arraycopy(args, 0, cmd, 1, args.length);
        Process p = new ProcessBuilder(cmd)
                .redirectInput(TTY)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        try {
            if (p.waitFor() != 0) {
                throw new IOException("stty " + String.join(" ", args) + " failed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running stty", e);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }
}
