package dev.tinyos.replay;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * Initialises Chronicle Queue on a background thread while the command does its other start-up
 * work (argument parsing, loading the kernel, creating or checking the trace, building the
 * machine). In a cold JVM the first queue costs a few hundred milliseconds of class loading and
 * static initialisation, all of it otherwise between the command starting and the first guest
 * instruction (docs/RECORDING.md, "Start-up").
 *
 * <p>Invariant: it only initialises Chronicle's classes (the static set-up every queue needs);
 * it opens no queue and touches no file, and any failure just means no warm-up (the command
 * opens its queue itself and reports any problem there).
 */
public final class QueueWarmUp {
    private static Thread thread;

    private QueueWarmUp() {
    }

    /** Starts the warm-up once per JVM; later calls do nothing. */
    public static synchronized void start() {
        if (thread != null) {
            return;
        }
        thread = new Thread(QueueWarmUp::run, "tinyos-queue-warm-up");
        thread.setDaemon(true);
        thread.start();
    }

    private static void run() {
        try {
            Class.forName(SingleChronicleQueueBuilder.class.getName(), true, QueueWarmUp.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            // only an optimisation: the command opens its own queue and reports any problem
        }
    }
}
