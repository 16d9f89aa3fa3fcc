package dev.tinyos.replay;

import dev.tinyos.core.cpu.Ram;
import java.util.concurrent.atomic.AtomicIntegerArray;

/**
 * Computes the memory part of a digest ({@link Digest#memory}) while the machine runs on: the
 * pages written in a digest window are handed over at the digest point ({@link #start}) and
 * hashed by a worker thread on another core, and by the machine thread itself when it needs
 * the result ({@link #finish}) or is about to write one of them.
 *
 * <p>Each page of the window is PENDING until some thread claims it (compare-and-set to
 * CLAIMED), hashes it and sets it IDLE. The machine cannot change a PENDING page: the first
 * write to a page after the digest point reaches {@link #beforeFirstWrite} before any byte
 * changes (the {@link Ram} invariant), and that hashes the page first, or waits while the
 * worker finishes it. Invariant: a page's bytes when it is hashed are its bytes at the digest
 * point, so {@link #finish} returns exactly what hashing the window synchronously would have,
 * whichever thread hashed which page and in whatever order (the fold runs in page order).
 *
 * <p>Threads are allowed here (not in {@code core}): the result is a pure function of guest
 * memory, and the worker never writes guest memory.
 */
final class PageHasher implements Ram.WriteListener, AutoCloseable {
    private static final int IDLE = 0;
    private static final int PENDING = 1;
    private static final int CLAIMED = 2;
    /**
     * Smallest window worth waking the worker for when the machine runs on meanwhile (replay):
     * 32 pages, 128 KiB, about 15 us of hashing.
     */
    static final int ASYNC_MIN_PAGES = 32;
    /**
     * The same when the machine waits for the result (recording): 1024 pages, 4 MiB; below
     * that, waking the worker costs about what it saves.
     */
    static final int SYNC_MIN_PAGES = 1024;

    private final Ram ram;
    private final AtomicIntegerArray state;
    private final long[] sum;
    private final long[] xor;
    /** Windows of at least this many pages go to the worker; MAX_VALUE: no worker. */
    private final int minPagesForWorker;
    /** Where {@link #finish} hashes a page the worker is still inside. Machine thread only. */
    private final long[] ownSum = new long[1], ownXor = new long[1];
    /** The open window's pages, ascending; null when none is open. Machine thread only. */
    private int[] window;

    private final Object lock = new Object();
    /** Guarded by {@link #lock}: the newest window handed to the worker, and its number. */
    private int[] posted;
    private long postedSeq;
    private boolean closed;
    private Thread worker;
    /** CPU time the worker thread spent hashing (a statistic; written by the worker only). */
    private volatile long workerCpuNanos;

    /**
     * A hasher for {@code ram} that hands windows of at least {@code minPagesForWorker} pages
     * to a worker thread, if the host has two or more CPUs.
     */
    PageHasher(Ram ram, int minPagesForWorker) {
        this(ram, Runtime.getRuntime().availableProcessors() > 1, minPagesForWorker);
    }

    PageHasher(Ram ram, boolean useWorker, int minPagesForWorker) {
        this.ram = ram;
        int pages = ram.size >>> Ram.PAGE_SHIFT;
        this.state = new AtomicIntegerArray(pages);
        this.sum = new long[pages];
        this.xor = new long[pages];
        this.minPagesForWorker = useWorker ? minPagesForWorker : Integer.MAX_VALUE;
        ram.setWriteListener(this);
    }

    /**
     * Opens a window of {@code pages} (ascending, as from {@code Machine.takeDirtyPages()},
     * taken at this very point, before the machine writes again). The previous window must
     * have been finished. Smaller windows than the constructor's threshold are left to the
     * machine thread: handing them over would cost more than hashing them.
     */
    void start(int[] pages) {
        if (window != null) {
            throw new IllegalStateException("the previous digest window is still open");
        }
        for (int p : pages) {
            state.setRelease(p, PENDING); // the page's bytes as of now go with it
        }
        window = pages;
        if (pages.length >= minPagesForWorker) {
            post(pages);
        }
    }

    /**
     * Hashes whatever of the open window is left and returns the window's memory digest. It
     * never waits for the worker: a page the worker is still inside cannot change (its first
     * write would wait for the worker), so it is hashed again here, into locals.
     */
    long finish() {
        int[] pages = window;
        if (pages == null) {
            throw new IllegalStateException("no digest window is open");
        }
        for (int i = pages.length - 1; i >= 0; i--) { // from the top: the worker starts at the bottom
            claimAndHash(pages[i]);
        }
        window = null;
        long h = Digest.FOLD_SEED;
        for (int p : pages) {
            if (state.get(p) == IDLE) { // its claimer's sum and xor are visible now
                h = Digest.foldPage(h, p, sum[p], xor[p]);
            } else {
                ram.sumAndXorOfPage(p, ownSum, ownXor, 0);
                h = Digest.foldPage(h, p, ownSum[0], ownXor[0]);
            }
        }
        return Digest.foldEnd(h);
    }

    /** CPU time the worker thread has spent hashing pages, in nanoseconds. */
    long workerCpuNanos() {
        return workerCpuNanos;
    }

    @Override
    public void beforeFirstWrite(int page) {
        if (state.get(page) == IDLE) {
            return;
        }
        if (!claimAndHash(page)) {
            while (state.get(page) != IDLE) {
                Thread.onSpinWait();
            }
        }
    }

    private boolean claimAndHash(int page) {
        if (!state.compareAndSet(page, PENDING, CLAIMED)) {
            return false;
        }
        try {
            ram.sumAndXorOfPage(page, sum, xor, page);
        } finally {
            state.set(page, IDLE);
        }
        return true;
    }

    private void post(int[] pages) {
        synchronized (lock) {
            posted = pages;
            postedSeq++;
            if (worker == null) {
                worker = new Thread(this::work, "tinyos-page-hasher");
                worker.setDaemon(true);
                worker.start();
            }
            lock.notifyAll();
        }
    }

    private void work() {
        long seen = 0;
        while (true) {
            int[] pages;
            synchronized (lock) {
                while (postedSeq == seen && !closed) {
                    try {
                        lock.wait();
                    } catch (InterruptedException e) {
                        return;
                    }
                }
                if (closed) {
                    return;
                }
                seen = postedSeq;
                pages = posted;
            }
            long t0 = ThreadCpu.nanos();
            for (int p : pages) {
                claimAndHash(p);
            }
            workerCpuNanos += ThreadCpu.nanos() - t0;
        }
    }

    /** Stops the worker and detaches from RAM; an open window is abandoned. */
    @Override
    public void close() {
        ram.setWriteListener(null);
        synchronized (lock) {
            closed = true;
            lock.notifyAll();
        }
    }
}
