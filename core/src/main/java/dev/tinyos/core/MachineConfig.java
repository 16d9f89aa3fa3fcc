package dev.tinyos.core;

import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.input.VirtualClock;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.IntFunction;

/**
 * Everything that defines a machine besides the inputs delivered while it runs: memory size,
 * kernel ELF, optional disk image, console stream and the input source.
 *
 * <p>Invariant: immutable once built; {@code kernel} is set and {@code memoryMiB} is in
 * 1..2047. The run is a pure function of this configuration (file contents included) and of
 * the inputs its source delivers.
 */
public final class MachineConfig {
    private final int memoryMiB;
    private final Path kernel;
    private final Path disk;
    private final Path bios;
    private final Path initrd;
    private final String append;
    private final boolean diskReadOnly;
    private final boolean diskScratch;
    private final OutputStream console;
    private final InputSource input;
    private final int boardRevision;
    private final IntFunction<byte[]> ramStorage;

    private MachineConfig(Builder b) {
        this.memoryMiB = b.memoryMiB;
        this.kernel = b.kernel;
        this.disk = b.disk;
        this.bios = b.bios;
        this.initrd = b.initrd;
        this.append = b.append;
        this.diskReadOnly = b.diskReadOnly;
        this.diskScratch = b.diskScratch;
        this.console = b.console;
        this.input = b.input != null ? b.input : new VirtualClock();
        this.boardRevision = b.boardRevision;
        this.ramStorage = b.ramStorage;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration, to derive another from it (the recorder's, a replay's). */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.memoryMiB = memoryMiB;
        b.kernel = kernel;
        b.disk = disk;
        b.bios = bios;
        b.initrd = initrd;
        b.append = append;
        b.diskReadOnly = diskReadOnly;
        b.diskScratch = diskScratch;
        b.console = console;
        b.input = input;
        b.boardRevision = boardRevision;
        b.ramStorage = ramStorage;
        return b;
    }

    public int memoryMiB() {
        return memoryMiB;
    }

    public Path kernel() {
        return kernel;
    }

    /** The raw disk image for virtio-blk slot 0, or null. */
    public Path disk() {
        return disk;
    }

    /**
     * The firmware (an ELF, or a raw image loaded at {@link Machine#RAM_BASE}), or null for none:
     * the hart then starts at the kernel ELF's entry. With a bios the hart starts at the bios
     * entry and the kernel may also be a raw image, loaded at {@link Machine#KERNEL_BASE}.
     */
    public Path bios() {
        return bios;
    }

    /** The initial ramdisk, placed as QEMU places it and named in /chosen; or null. */
    public Path initrd() {
        return initrd;
    }

    /** The kernel command line for /chosen bootargs, or null. */
    public String append() {
        return append;
    }

    public boolean diskReadOnly() {
        return diskReadOnly;
    }

    /** True if the disk image is a scratch copy nobody keeps (a guest FLUSH need not reach storage). */
    public boolean diskScratch() {
        return diskScratch;
    }

    /** Where UART output goes; null discards it. */
    public OutputStream console() {
        return console;
    }

    /** The {@link BoardRevision} to build: {@link BoardRevision#CURRENT} unless replaying an older trace. */
    public int boardRevision() {
        return boardRevision;
    }

    public InputSource input() {
        return input;
    }

    /**
     * Where the guest RAM's bytes come from: given a size in bytes, a new array of exactly that
     * size, all zero ({@link Builder#ramStorage}).
     */
    public IntFunction<byte[]> ramStorage() {
        return ramStorage;
    }

    /** Builder with defaults: 128 MiB, no disk, console discarded, a fresh {@link VirtualClock}. */
    public static final class Builder {
        private int memoryMiB = 128;
        private Path kernel;
        private Path disk;
        private Path bios;
        private Path initrd;
        private String append;
        private boolean diskReadOnly;
        private boolean diskScratch;
        private OutputStream console;
        private InputSource input;
        private int boardRevision = BoardRevision.CURRENT;
        private IntFunction<byte[]> ramStorage = byte[]::new;

        private Builder() {
        }

        public Builder memoryMiB(int mib) {
            if (mib < 1 || mib > 2047) {
                throw new IllegalArgumentException("memory size must be 1..2047 MiB, not " + mib);
            }
            this.memoryMiB = mib;
            return this;
        }

        public Builder kernel(Path elf) {
            this.kernel = Objects.requireNonNull(elf, "kernel");
            return this;
        }

        public Builder disk(Path image) {
            this.disk = image;
            return this;
        }

        /** Firmware to start at (null: none, the kernel ELF's entry). */
        public Builder bios(Path firmware) {
            this.bios = firmware;
            return this;
        }

        public Builder initrd(Path ramdisk) {
            this.initrd = ramdisk;
            return this;
        }

        /** The kernel command line (/chosen bootargs); null or empty for none. */
        public Builder append(String cmdline) {
            this.append = cmdline == null || cmdline.isEmpty() ? null : cmdline;
            return this;
        }

        /** Offer the disk read-only (VIRTIO_BLK_F_RO; writes fail with IOERR). */
        public Builder diskReadOnly(boolean ro) {
            this.diskReadOnly = ro;
            return this;
        }

        /**
         * The disk image is a scratch copy deleted after the run (replay's): a guest FLUSH
         * still writes the drive's cache to the file but does not force it to storage.
         * Nothing the guest can observe changes.
         */
        public Builder diskScratch(boolean scratch) {
            this.diskScratch = scratch;
            return this;
        }

        public Builder console(OutputStream out) {
            this.console = out;
            return this;
        }

        public Builder input(InputSource src) {
            this.input = src;
            return this;
        }

        /** Builds the board of an older {@link BoardRevision} (a replay of a trace recorded on it). */
        public Builder boardRevision(int revision) {
            this.boardRevision = BoardRevision.require(revision);
            return this;
        }

        /**
         * Where the guest RAM's bytes come from (default: {@code byte[]::new}). The function must
         * return a new array of exactly the size asked, all zero, used by nothing else: the
         * machine is the same whatever gives it. A launcher may allocate the array ahead, on
         * another thread while it parses its arguments, since touching a fresh 128 MiB array
         * costs the JVM a tenth of a second or more of page faults and zeroing.
         */
        public Builder ramStorage(IntFunction<byte[]> storage) {
            this.ramStorage = Objects.requireNonNull(storage, "ramStorage");
            return this;
        }

        public MachineConfig build() {
            if (kernel == null) {
                throw new IllegalArgumentException("no kernel ELF given");
            }
            return new MachineConfig(this);
        }
    }
}
