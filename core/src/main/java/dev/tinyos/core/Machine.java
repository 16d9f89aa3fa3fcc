package dev.tinyos.core;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.cpu.Csr;
import dev.tinyos.core.cpu.Hart;
import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.core.dev.Clint;
import dev.tinyos.core.dev.Plic;
import dev.tinyos.core.dev.PowerCut;
import dev.tinyos.core.dev.TestFinisher;
import dev.tinyos.core.dev.Uart16550;
import dev.tinyos.core.dev.VirtioBlock;
import dev.tinyos.core.dev.VirtioMmio;
import dev.tinyos.core.elf.ElfFile;
import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.probe.Probes;
import dev.tinyos.core.state.StateFormatException;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;
import dev.tinyos.core.view.MachineView;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.OptionalLong;

/**
 * The QEMU {@code virt} board with one hart: RAM, test finisher, CLINT, PLIC, UART and eight
 * virtio-mmio slots (a block device in slot 0 when a disk is configured), booted from an ELF
 * kernel in M-mode at its entry point with a0 = 0 (hart id) and a1 = the address of the board's
 * device tree, placed in RAM as QEMU places it ({@link dev.tinyos.core.dtb.FdtPlacement}).
 *
 * <p>The run loop is deterministic: inputs are applied only between slices, at the icount the
 * {@link InputSource} names, and a slice never runs past the next input, the next timer
 * deadline or the instruction budget. Interrupt lines are recomputed from device state after
 * every slice, and every device access ends a slice, so the hart sees a line change at the
 * next instruction boundary. Invariant: the console output, the final icount and the final
 * architectural state are a pure function of the configuration and the delivered inputs.
 * Devices numbers given to the input source are virtio slot numbers (0..7).
 */
public final class Machine implements AutoCloseable {
    public static final long RAM_BASE = 0x8000_0000L;
    /** Where a raw kernel image goes when a bios is given: fw_jump's payload address on RV64, as QEMU. */
    public static final long KERNEL_BASE = 0x8020_0000L;
    public static final long TEST_BASE = 0x0010_0000L;
    public static final long CLINT_BASE = 0x0200_0000L;
    public static final long PLIC_BASE = 0x0C00_0000L;
    public static final long UART_BASE = 0x1000_0000L;
    public static final long VIRTIO_BASE = 0x1000_1000L;
    public static final long VIRTIO_STRIDE = 0x1000L;
    public static final int VIRTIO_SLOTS = 8;
    public static final int UART_IRQ = 10;
    public static final int VIRTIO_IRQ = 1;
    /** Longest slice between two looks at halt requests, tohost and interrupt lines. */
    public static final long SLICE = 1L << 18;

    private final MachineConfig config;
    private final InputSource input;
    private final Ram ram;
    private final Bus bus;
    private final Hart hart;
    private final Clint clint;
    private final Plic plic;
    private final Uart16550 uart;
    private final TestFinisher finisher;
    private final VirtioMmio[] virtio = new VirtioMmio[VIRTIO_SLOTS];
    private final VirtioBlock block;
    private final BlockBackend backend;
    private final ElfFile elf;
    private final int tohost;
    private final InputSink sink = new Sink();
    private boolean stopRequested;
    private RunResult finished;
    private PowerCut powerCut;
    private final Probes probes;
    private final MachineView view;
    /** Line updates of the UART and of each virtio slot as last passed on to the PLIC. */
    private int uartUpdatesSeen;
    private final int[] virtioUpdatesSeen = new int[VIRTIO_SLOTS];

    /**
     * Builds the board, loads the kernel and resets the hart at its entry.
     *
     * @throws IOException if the kernel or disk cannot be read
     * @throws IllegalArgumentException with one sentence if the kernel is not a loadable
     *         RISC-V executable for this RAM size
     */
    public Machine(MachineConfig config) throws IOException {
        this.config = config;
        this.input = config.input();
        this.ram = new Ram(RAM_BASE, config.memoryMiB() << 20, config.ramStorage());
        this.bus = new Bus(ram);
        this.clint = new Clint(this::sourceMtime);
        this.hart = new Hart(bus, clint::mtime);
        this.plic = new Plic();
        this.uart = new Uart16550(config.console());
        this.finisher = new TestFinisher();
        BootImages images = BootImages.of(config, ram.size);
        images.load(ram);
        this.elf = images.kernel();
        this.tohost = tohostOffset(elf, ram);
        if (tohost >= 0) {
            ram.watchStores(tohost); // the run ends right after the store to tohost, as on QEMU
        }
        this.backend = config.disk() == null ? null : BlockBackend.open(config.disk(), config.diskReadOnly(),
                !config.diskScratch());
        this.block = backend == null ? null
                : new VirtioBlock(backend, 0, (dev, tag) -> input.requestStarted(dev, tag, hart.icount()));
        for (int n = 0; n < VIRTIO_SLOTS; n++) {
            virtio[n] = new VirtioMmio(ram, n == 0 ? block : null);
        }
        mapDevices();
        hart.reset(images.entry());
        this.view = new LiveMachineView(hart, ram, elf);
        this.probes = new Probes(hart, view, elf, String.valueOf(config.kernel().getFileName()));
        // a0 = 0 (hart id), a1 = the device tree, as QEMU's reset vector passes them
        hart.setX(11, dev.tinyos.core.dtb.FdtPlacement.install(ram, images.segments(), images.deviceTree()));
    }

    private void mapDevices() {
        bus.map("test", TEST_BASE, finisher);
        bus.map("clint", CLINT_BASE, clint);
        bus.map("plic", PLIC_BASE, plic);
        bus.map("uart", UART_BASE, uart);
        for (int n = 0; n < VIRTIO_SLOTS; n++) {
            bus.map("virtio" + n, VIRTIO_BASE + n * VIRTIO_STRIDE, virtio[n]);
        }
    }

    /** RAM offset of the ELF's {@code tohost} word, or -1 if it has none in RAM. */
    private static int tohostOffset(ElfFile elf, Ram ram) {
        OptionalLong t = elf.symbol("tohost");
        if (t.isEmpty() || !ram.contains(t.getAsLong(), 8)) {
            return -1;
        }
        return (int) (t.getAsLong() - ram.base);
    }

    private long sourceMtime() {
        return input.mtime(hart.icount());
    }

    /**
     * Runs for at most {@code maxInstructions} more instructions, until the guest halts
     * (finisher, HTIF), the source asks to stop, or the hart idles with nothing left to wake
     * it. A halted machine keeps answering the same result.
     */
    public RunResult run(long maxInstructions) {
        if (finished != null) {
            return finished;
        }
        long start = hart.icount();
        long budgetEnd = maxInstructions > Long.MAX_VALUE - start ? Long.MAX_VALUE : start + maxInstructions;
        try {
            RunResult r;
            do {
                r = slice(budgetEnd);
            } while (r == null);
            return r;
        } finally {
            flushConsole();
        }
    }

    /**
     * One turn of the run loop: deliver due inputs, drive the interrupt lines, then either end
     * the run (the result), idle, or run the hart up to the next input, timer deadline, budget
     * end or {@link #SLICE}; null to go on. A method of its own so that the JIT compiles it
     * after a few hundred slices (a disk-heavy run has over 100,000), rather than waiting for
     * the loop's back-edge counter to get the whole loop compiled late into a short run.
     */
    private RunResult slice(long budgetEnd) {
        long now = hart.icount();
        if (input.nextInputAt(now) <= now) {
            input.deliver(now, sink);
        }
        updateLines();
        hart.takeInterrupt();
        RunResult r = checkHalt(budgetEnd);
        if (r != null) {
            return r;
        }
        if (hart.isWaiting()) {
            return idle(now) ? result(ExitReason.IDLE_FOREVER, 1) : null;
        }
        long limit = Math.min(Math.min(timerDeadline(now), input.nextInputAt(now)),
                Math.min(budgetEnd, now + SLICE));
        bus.clearDeviceTouched();
        hart.run(Math.max(1, limit - now));
        return probes.takeBreakpointHit() ? result(ExitReason.BREAKPOINT, 0) : null;
    }

    /**
     * Drives the hart's interrupt lines from the CLINT and the PLIC, after passing each device's
     * line updates since the last call on to the PLIC (every device access ends a slice, so
     * there is at most one per call).
     */
    private void updateLines() {
        hart.setInterruptLine(Csr.MIP_MTIP, clint.timerPending());
        hart.setInterruptLine(Csr.MIP_MSIP, clint.softwarePending());
        if (uart.lineUpdates() != uartUpdatesSeen) {
            uartUpdatesSeen = uart.lineUpdates();
            plic.signal(UART_IRQ, uart.interruptPending());
        }
        for (int n = 0; n < VIRTIO_SLOTS; n++) {
            if (virtio[n].lineUpdates() != virtioUpdatesSeen[n]) {
                virtioUpdatesSeen[n] = virtio[n].lineUpdates();
                plic.signal(VIRTIO_IRQ + n, virtio[n].interruptPending());
            }
        }
        hart.setInterruptLine(Csr.MIP_MEIP, plic.interruptPending(0));
        hart.setInterruptLine(Csr.MIP_SEIP, plic.interruptPending(1));
    }

    /** The nearest timer deadline (CLINT or Sstc) in the source's units, or MAX_VALUE if none. */
    private long timerTarget() {
        return Math.min(clintTarget(), sstcTarget());
    }

    /** The mtimecmp deadline in the source's units, or MAX_VALUE if it cannot fire any more. */
    private long clintTarget() {
        if (clint.timerPending()) {
            return Long.MAX_VALUE;
        }
        return sourceTime(clint.mtimecmp());
    }

    /** The Sstc stimecmp deadline in the source's units, or MAX_VALUE if it cannot fire any more. */
    private long sstcTarget() {
        if (!hart.sstcEnabled() || Long.compareUnsigned(clint.mtime(), hart.stimecmp()) >= 0) {
            return Long.MAX_VALUE;
        }
        return sourceTime(hart.stimecmp());
    }

    /** A guest mtime value as the input source's time (without the CLINT's offset). */
    private long sourceTime(long guestMtime) {
        long target = guestMtime - clint.mtimeOffset();
        return target < 0 ? Long.MAX_VALUE : target;
    }

    private long timerDeadline(long now) {
        long target = timerTarget();
        return target == Long.MAX_VALUE ? Long.MAX_VALUE : input.icountForMtime(now, target);
    }

    /** Lets the source advance time while the hart waits; true if nothing can ever wake it. */
    private boolean idle(long now) {
        long mie = hart.readCsr(Csr.MIE);
        long wake = Math.min((mie & Csr.MIP_MTIP) != 0 ? clintTarget() : Long.MAX_VALUE,
                (mie & Csr.MIP_STIP) != 0 ? sstcTarget() : Long.MAX_VALUE);
        input.idle(now, wake);
        boolean inputDue = input.nextInputAt(now) <= now;
        boolean timerDue = wake != Long.MAX_VALUE && input.mtime(now) >= wake;
        return !inputDue && !timerDue && !stopRequested && input.exhausted();
    }

    private RunResult checkHalt(long budgetEnd) {
        switch (finisher.request()) {
            case PASS: return halt(ExitReason.FINISHER_PASS, 0);
            case FAIL: return halt(ExitReason.FINISHER_FAIL, finisher.code());
            case RESET: return halt(ExitReason.FINISHER_RESET, 0);
            default: break;
        }
        if (tohost >= 0) {
            long v = ram.load64(tohost);
            if ((v & 1) != 0) {
                return halt(ExitReason.HTIF, (int) (v >>> 1));
            }
        }
        if (stopRequested) {
            stopRequested = false;
            return result(ExitReason.STOPPED, 0);
        }
        if (hart.icount() >= budgetEnd) {
            return result(ExitReason.INSTRUCTION_LIMIT, 1);
        }
        return null;
    }

    private RunResult halt(ExitReason reason, int code) {
        finished = result(reason, code);
        shutdownDisk(); // a clean shutdown: everything the drive completed goes to the image
        return finished;
    }

    private void shutdownDisk() {
        if (block != null && powerCut == null) {
            try {
                block.shutdown();
            } catch (IOException e) {
                throw new UncheckedIOException("writing the disk cache back to " + config.disk() + " failed", e);
            }
        }
    }

    /**
     * Cuts the power now, at an instruction boundary: the block device drops the writes it
     * completed but the guest never flushed, requests in flight never complete, and the image
     * keeps exactly what reached it before (docs/disk-model.md). Afterwards {@link #run}
     * answers {@link ExitReason#STOPPED} and {@link #close} writes nothing to the image.
     * Idempotent: a second call returns the first call's account; after a halt the disk was
     * already written back, so nothing is lost.
     */
    public PowerCut powerCut() {
        if (powerCut == null) {
            powerCut = block == null || finished != null ? PowerCut.NONE : block.powerCut();
            if (finished == null) {
                finished = result(ExitReason.STOPPED, 0);
            }
        }
        return powerCut;
    }

    private RunResult result(ExitReason reason, int code) {
        return new RunResult(reason, code, hart.icount());
    }

    private void flushConsole() {
        OutputStream out = config.console();
        if (out != null) {
            try {
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException("console flush failed", e);
            }
        }
    }

    /** The input sink the source delivers through: UART bytes, completions, stop. */
    private final class Sink implements InputSink {
        @Override
        public boolean uartCanReceive() {
            return uart.canReceive();
        }

        @Override
        public void uartByte(int b) {
            uart.receive(b);
        }

        @Override
        public void requestCompleted(int device, long tag) {
            if (device == 0 && block != null) {
                block.complete(tag);
            }
        }

        @Override
        public void stop() {
            stopRequested = true;
        }
    }

    /**
     * Writes everything but RAM's bytes and the disk image that determines this machine's future
     * (a checkpoint, docs/checkpoints.md): the hart, every device, the RAM dirty bits and the
     * machine's own bookkeeping. RAM pages and disk sectors are the caller's (they are saved
     * incrementally). Refused after a power cut.
     */
    public void save(StateWriter w) {
        if (powerCut != null) {
            throw new IllegalStateException("a machine whose power was cut cannot be checkpointed");
        }
        w.writeInt(ram.size);
        w.writeBoolean(block != null);
        hart.save(w);
        clint.save(w);
        plic.save(w);
        uart.save(w);
        finisher.save(w);
        for (VirtioMmio v : virtio) {
            v.save(w);
        }
        w.writeBoolean(stopRequested);
        w.writeInt(finished == null ? -1 : finished.reason().ordinal());
        w.writeInt(finished == null ? 0 : finished.exitCode());
        w.writeLong(finished == null ? 0 : finished.icount());
        w.writeInt(uartUpdatesSeen);
        w.writeInts(virtioUpdatesSeen);
        w.writeLongs(ram.dirtyBits());
    }

    /**
     * Restores what {@link #save} wrote into this machine, built from the same configuration;
     * drops every cache derived from RAM (decoded blocks, TLBs).
     *
     * @throws StateFormatException if the state is damaged or of another configuration
     */
    public void restore(StateReader r) {
        int size = r.readInt();
        boolean disk = r.readBoolean();
        if (size != ram.size || disk != (block != null)) {
            throw new StateFormatException("the checkpoint is of a machine with " + (size >> 20) + " MiB of RAM "
                    + (disk ? "and" : "without") + " a disk, this one has " + (ram.size >> 20) + " MiB "
                    + (block != null ? "and" : "without") + " a disk");
        }
        hart.restore(r);
        clint.restore(r);
        plic.restore(r);
        uart.restore(r);
        finisher.restore(r);
        for (VirtioMmio v : virtio) {
            v.restore(r);
        }
        stopRequested = r.readBoolean();
        int reason = r.readInt(-1, ExitReason.values().length - 1, "the machine's exit reason");
        int code = r.readInt();
        long at = r.readLong();
        finished = reason < 0 ? null : new RunResult(ExitReason.values()[reason], code, at);
        uartUpdatesSeen = r.readInt();
        r.readIntsInto(virtioUpdatesSeen, "the virtio line counters");
        long[] dirty = r.readLongs();
        if (dirty == null) {
            throw new StateFormatException("the RAM dirty map is missing");
        }
        ram.restoreDirty(dirty);
        hart.dropStoreTranslations();
    }

    public MachineConfig config() { return config; }
    public Hart hart() { return hart; }
    /** The read-only observers of this machine's hart (none attached at first). */
    public Probes probes() { return probes; }
    /** What observers (probes, digests, reports, analysis) see of this machine: read-only. */
    public MachineView view() { return view; }
    /** mtime (10 MHz ticks) as the guest would read it at the current icount. */
    public long mtime() { return clint.mtime(); }
    public Ram ram() { return ram; }

    /**
     * The RAM pages written since the previous call (or since power-on), ascending; clears the
     * dirty bits and drops the hart's fast store translations so the next write to any page
     * marks it again.
     */
    public int[] takeDirtyPages() {
        int[] pages = ram.takeDirtyPages();
        hart.dropStoreTranslations();
        return pages;
    }
    public Bus bus() { return bus; }
    public ElfFile elf() { return elf; }
    public InputSource input() { return input; }
    public Clint clint() { return clint; }
    public Plic plic() { return plic; }
    public Uart16550 uart() { return uart; }
    public TestFinisher finisher() { return finisher; }
    /** The virtio-mmio transport in slot {@code n} (0..7). */
    public VirtioMmio virtio(int n) { return virtio[n]; }
    /** The block device in virtio slot 0, or null without a disk. */
    public VirtioBlock block() { return block; }

    /**
     * A clean shutdown unless {@link #powerCut} was called: writes the disk's cache back to the
     * image, then closes the image and the input source. Idempotent.
     */
    @Override
    public void close() throws IOException {
        try {
            input.close();
            if (block != null && powerCut == null) {
                block.shutdown();
            }
        } finally {
            if (backend != null) {
                backend.close();
            }
        }
    }
}
