package dev.tinyos.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks on the files and sizes a user passes to the CLI, made before the machine is built so
 * that a mistake becomes one line of explanation ({@link BadInputException}) instead of an
 * exception from deep inside the loader. Invariant: a path that passes {@link #requireElf} is a
 * readable regular file that starts with a 64-bit little-endian RISC-V ELF header.
 */
public final class GuestFiles {
    /** Largest RAM the board accepts: the RAM array is indexed by an int. */
    public static final int MAX_MEMORY_MIB = 2047;

    private static final int EM_RISCV = 0xF3;

    private GuestFiles() {
    }

    /** {@code what} names the file in messages ("kernel"); {@code hint} may be null. */
    public static void requireElf(Path elf, String what, String hint) throws BadInputException {
        requireReadable(elf, what, hint);
        byte[] h = new byte[20];
        int n;
        try (InputStream in = Files.newInputStream(elf)) {
            n = in.readNBytes(h, 0, h.length);
        } catch (IOException e) {
            throw new BadInputException("cannot read " + what + " " + elf + ": " + e.getMessage());
        }
        if (n < h.length || h[0] != 0x7f || h[1] != 'E' || h[2] != 'L' || h[3] != 'F') {
            throw new BadInputException(what + " " + elf + " is not an ELF file");
        }
        if (h[4] != 2 || h[5] != 1) {
            throw new BadInputException(what + " " + elf + " is not a 64-bit little-endian ELF (RV64 needs one)");
        }
        int machine = (h[18] & 0xff) | (h[19] & 0xff) << 8;
        if (machine != EM_RISCV) {
            throw new BadInputException(what + " " + elf + " is an ELF for another architecture (e_machine "
                    + machine + "), not RISC-V");
        }
    }

    /** A disk image: any readable regular file whose size is a whole number of 512-byte sectors. */
    /** A readable, non-empty file: an ELF or a raw image (loaders decide which). */
    public static void requireImage(Path file, String what) throws BadInputException {
        requireReadable(file, what, null);
        try {
            if (Files.size(file) == 0) {
                throw new BadInputException(what + " " + file + " is empty");
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read " + what + " " + file + ": " + e.getMessage());
        }
    }

    public static void requireDisk(Path img) throws BadInputException {
        requireReadable(img, "disk image", null);
        try {
            long size = Files.size(img);
            if (size % 512 != 0) {
                throw new BadInputException("disk image " + img + " is " + size
                        + " bytes, not a multiple of the 512-byte sector");
            }
        } catch (IOException e) {
            throw new BadInputException("cannot read disk image " + img + ": " + e.getMessage());
        }
    }

    /** Guest RAM in MiB: 1 .. {@link #MAX_MEMORY_MIB}. */
    public static void requireMemory(int mib) throws BadInputException {
        if (mib < 1 || mib > MAX_MEMORY_MIB) {
            throw new BadInputException("--mem " + mib + " is out of range: give 1 to " + MAX_MEMORY_MIB + " MiB");
        }
    }

    /**
     * Refuses a RAM size the kernel ELF does not fit in: its loadable segments must lie inside
     * [0x8000_0000, 0x8000_0000 + mib MiB), or no guest could even be loaded.
     */
    public static void requireKernelFits(Path kernel, int mib) throws BadInputException {
        long end = 0;
        try {
            for (dev.tinyos.core.elf.ElfFile.Segment s : dev.tinyos.core.elf.ElfFile.read(kernel).segments()) {
                if (s.memsz() > 0) {
                    end = Math.max(end, s.paddr() + s.memsz());
                }
            }
        } catch (java.io.IOException | RuntimeException e) {
            return; // requireElf reports an unreadable kernel
        }
        long ramEnd = RAM_BASE + ((long) mib << 20);
        if (end > ramEnd) {
            long need = (end - RAM_BASE + (1 << 20) - 1) >> 20;
            throw new BadInputException("--mem " + mib + " is too small for " + kernel.getFileName() + ": it occupies "
                    + need + " MiB of RAM from 0x80000000; give at least --mem " + need
                    + (kernel.getFileName().toString().equals("kernel.elf") ? " (tiny-os itself needs 8)" : ""));
        }
    }

    /** Where RAM starts on the virt board. */
    private static final long RAM_BASE = 0x8000_0000L;

    private static void requireReadable(Path p, String what, String hint) throws BadInputException {
        String tail = hint == null ? "" : " (" + hint + ")";
        if (!Files.exists(p)) {
            throw new BadInputException(what + " " + p + " does not exist" + tail);
        }
        if (!Files.isRegularFile(p)) {
            throw new BadInputException(what + " " + p + " is not a regular file");
        }
        if (!Files.isReadable(p)) {
            throw new BadInputException(what + " " + p + " is not readable");
        }
    }
}
