package dev.tinyos.core;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.dtb.VirtDeviceTree;
import dev.tinyos.core.elf.ElfFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What a configuration puts in RAM before the first instruction, following QEMU's loading
 * conventions for {@code -bios}, {@code -kernel}, {@code -initrd} and {@code -append}
 * (docs/firmware.md):
 *
 * <ul>
 * <li>no bios: the kernel must be an ELF; the hart starts at its entry (QEMU's {@code -bios none}).</li>
 * <li>a bios: an ELF, or a raw binary at {@link Machine#RAM_BASE}; the hart starts at its entry.
 *     The kernel is then an ELF or a raw image at {@link Machine#KERNEL_BASE} (0x80200000,
 *     fw_jump's payload address, where QEMU puts a raw -kernel on RV64).</li>
 * <li>an initrd: at kernel entry + min(RAM / 2, 128 MiB), as QEMU; /chosen names its range
 *     in linux,initrd-start and linux,initrd-end.</li>
 * <li>a command line: /chosen bootargs.</li>
 * </ul>
 *
 * <p>Invariant: a pure function of the configuration's files and RAM size; every image lies in
 * RAM, else the constructor refuses with one sentence (IllegalArgumentException).
 */
public final class BootImages {
    private final ElfFile bios;
    private final ElfFile kernel;
    private final byte[] initrd;
    private final long initrdStart;
    private final byte[] deviceTree;
    private final List<ElfFile.Segment> segments;

    private BootImages(ElfFile bios, ElfFile kernel, byte[] initrd, long initrdStart, byte[] deviceTree,
                       List<ElfFile.Segment> segments) {
        this.bios = bios;
        this.kernel = kernel;
        this.initrd = initrd;
        this.initrdStart = initrdStart;
        this.deviceTree = deviceTree;
        this.segments = segments;
    }

    /** Reads and lays out the images of {@code config} for {@code ramBytes} of RAM at {@link Machine#RAM_BASE}. */
    public static BootImages of(MachineConfig config, long ramBytes) throws IOException {
        return of(config.bios(), config.kernel(), config.initrd(), config.append(), ramBytes,
                config.boardRevision());
    }

    /** As {@link #of(MachineConfig, long)} for the current {@link BoardRevision}. */
    public static BootImages of(Path biosFile, Path kernelFile, Path initrdFile, String append, long ramBytes)
            throws IOException {
        return of(biosFile, kernelFile, initrdFile, append, ramBytes, BoardRevision.CURRENT);
    }

    /** The images and the device tree of board revision {@code revision}. */
    public static BootImages of(Path biosFile, Path kernelFile, Path initrdFile, String append, long ramBytes,
            int revision) throws IOException {
        long ramEnd = Machine.RAM_BASE + ramBytes;
        ElfFile bios = biosFile == null ? null : image(biosFile, Machine.RAM_BASE, ramEnd);
        ElfFile kernel = biosFile == null ? ElfFile.read(kernelFile) : image(kernelFile, Machine.KERNEL_BASE, ramEnd);
        List<ElfFile.Segment> segs = new ArrayList<>();
        if (bios != null) {
            segs.addAll(bios.segments());
            requireApart(bios, kernel);
        }
        segs.addAll(kernel.segments());
        byte[] rd = null;
        long rdStart = 0;
        if (initrdFile != null) {
            rd = Files.readAllBytes(initrdFile);
            rdStart = kernel.entry() + Math.min(ramBytes / 2, 128L << 20);
            if (rdStart < Machine.RAM_BASE || rdStart + rd.length > ramEnd) {
                throw new IllegalArgumentException(String.format("initrd %s (%,d bytes) does not fit in RAM at 0x%x "
                        + "(RAM ends at 0x%x): give more --mem", initrdFile.getFileName(), rd.length, rdStart, ramEnd));
            }
            segs.add(new ElfFile.Segment(rdStart, rdStart, 0, rd.length, rd.length, 4));
        }
        VirtDeviceTree.Chosen chosen = new VirtDeviceTree.Chosen(append == null || append.isEmpty() ? null : append,
                rd == null ? -1 : rdStart, rd == null ? -1 : rdStart + rd.length);
        byte[] dtb = VirtDeviceTree.build(ramBytes, chosen, revision);
        return new BootImages(bios, kernel, rd, rdStart, dtb, Collections.unmodifiableList(segs));
    }

    /** Refuses images whose bytes would overwrite each other, as QEMU refuses overlapping ROM regions. */
    private static void requireApart(ElfFile a, ElfFile b) {
        for (ElfFile.Segment x : a.segments()) {
            for (ElfFile.Segment y : b.segments()) {
                if (x.memsz() > 0 && y.memsz() > 0 && x.paddr() < y.paddr() + y.memsz()
                        && y.paddr() < x.paddr() + x.memsz()) {
                    throw new IllegalArgumentException(String.format("%s (0x%x-0x%x) and %s (0x%x-0x%x) overlap in RAM",
                            a.name(), x.paddr(), x.paddr() + x.memsz(), b.name(), y.paddr(), y.paddr() + y.memsz()));
                }
            }
        }
    }

    /** An ELF file, or a raw binary placed at {@code address}; refused if it does not fit in RAM. */
    private static ElfFile image(Path file, long address, long ramEnd) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (ElfFile.isElf(bytes)) {
            return ElfFile.parse(file.getFileName().toString(), bytes);
        }
        if (bytes.length == 0) {
            throw new IllegalArgumentException(file.getFileName() + " is empty: neither an ELF file nor a raw image");
        }
        if (address + bytes.length > ramEnd) {
            throw new IllegalArgumentException(String.format("%s is not an ELF file and, as a raw image of %,d bytes "
                    + "at 0x%x, does not fit in RAM (which ends at 0x%x): give more --mem", file.getFileName(),
                    bytes.length, address, ramEnd));
        }
        return ElfFile.raw(file.getFileName().toString(), bytes, address);
    }

    /** Copies every image into RAM (the device tree is placed by the machine). */
    public void load(Ram ram) {
        if (bios != null) {
            bios.load(ram);
        }
        kernel.load(ram);
        if (initrd != null) {
            ram.write((int) (initrdStart - ram.base), initrd, 0, initrd.length);
        }
    }

    /** Where the hart starts: the bios entry, or the kernel's without a bios. */
    public long entry() {
        return bios != null ? bios.entry() : kernel.entry();
    }

    /** The bios image, or null. */
    public ElfFile bios() {
        return bios;
    }

    /** The kernel image (a raw one has a single segment and no symbols). */
    public ElfFile kernel() {
        return kernel;
    }

    /** Everything loaded: bios, kernel and initrd, as segments (the tree must not overlap them). */
    public List<ElfFile.Segment> segments() {
        return segments;
    }

    /** The flattened device tree for this configuration. */
    public byte[] deviceTree() {
        return deviceTree.clone();
    }
}
