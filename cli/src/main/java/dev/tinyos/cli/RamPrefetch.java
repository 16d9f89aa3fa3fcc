package dev.tinyos.cli;

/**
 * Allocates the guest RAM of a {@code run} on a background thread while the command parses its
 * arguments, loads the kernel and opens the trace. A fresh 128 MiB Java array costs 0.15 s of
 * page faults and zeroing on the thread that makes it (docs/engine.md, "Start-up and warm-up of
 * a fresh process"); made ahead, that time overlaps the rest of start-up on the other core.
 *
 * <p>Invariant: {@link #take} returns a new all-zero array of exactly the size asked, used by
 * nothing else: the prefetched one once, if its size matches, else one it allocates then. So the
 * machine is the same with or without the prefetch ({@code MachineConfig.Builder#ramStorage}).
 */
final class RamPrefetch {
    private static Thread thread;
    private static byte[] ready;

    private RamPrefetch() {
    }

    /** Starts allocating {@code bytes} bytes, once per JVM; later calls do nothing. */
    static synchronized void start(int bytes) {
        if (thread != null) {
            return;
        }
        thread = new Thread(() -> allocate(bytes), "tinyos-ram-prefetch");
        thread.setDaemon(true);
        thread.start();
    }

    private static void allocate(int bytes) {
        try {
            byte[] a = new byte[bytes];
            synchronized (RamPrefetch.class) {
                ready = a;
            }
        } catch (OutOfMemoryError e) {
            // only an optimisation: take() allocates itself, and reports what the heap lacks
        }
    }

    /** A new all-zero array of {@code size} bytes: the prefetched one if it has that size. */
    static byte[] take(int size) {
        Thread t;
        synchronized (RamPrefetch.class) {
            t = thread;
        }
        if (t != null) {
            try {
                t.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (RamPrefetch.class) {
            byte[] a = ready;
            ready = null;
            if (a != null && a.length == size) {
                return a;
            }
        }
        return new byte[size];
    }

    /**
     * The RAM size in bytes a {@code run} with these arguments asks for ({@code --mem MiB}, or
     * {@code --mem=MiB}; default 128 MiB), or -1 if they do not say clearly (the prefetch is
     * then skipped; the command reports a bad value itself).
     */
    static int requestedBytes(String[] args, int defaultMiB) {
        int mib = defaultMiB;
        for (int i = 1; i < args.length; i++) {
            String v = args[i].startsWith("--mem=") ? args[i].substring(6)
                    : args[i].equals("--mem") && i + 1 < args.length ? args[i + 1] : null;
            if (v == null) {
                continue;
            }
            try {
                mib = Integer.parseInt(v.trim());
            } catch (NumberFormatException e) {
                return -1;
            }
        }
        return mib >= 1 && mib <= 2047 ? mib << 20 : -1;
    }
}
