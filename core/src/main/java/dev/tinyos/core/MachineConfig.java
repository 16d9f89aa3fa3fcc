package dev.tinyos.core;

import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.input.VirtualClock;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Objects;

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
    private final boolean diskReadOnly;
    private final boolean diskScratch;
    private final OutputStream console;
    private final InputSource input;

    private MachineConfig(Builder b) {
        this.memoryMiB = b.memoryMiB;
        this.kernel = b.kernel;
        this.disk = b.disk;
        this.diskReadOnly = b.diskReadOnly;
        this.diskScratch = b.diskScratch;
        this.console = b.console;
        this.input = b.input != null ? b.input : new VirtualClock();
    }

    public static Builder builder() {
        return new Builder();
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

    public InputSource input() {
        return input;
    }

    /** Builder with defaults: 128 MiB, no disk, console discarded, a fresh {@link VirtualClock}. */
    public static final class Builder {
        private int memoryMiB = 128;
        private Path kernel;
        private Path disk;
        private boolean diskReadOnly;
        private boolean diskScratch;
        private OutputStream console;
        private InputSource input;

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

        public MachineConfig build() {
            if (kernel == null) {
                throw new IllegalArgumentException("no kernel ELF given");
            }
            return new MachineConfig(this);
        }
    }
}
