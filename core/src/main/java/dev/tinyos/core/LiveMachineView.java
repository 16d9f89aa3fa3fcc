package dev.tinyos.core;

import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.cpu.Hart;
import dev.tinyos.core.elf.ElfFile;
import dev.tinyos.core.view.MachineView;

import java.util.OptionalLong;

/**
 * The {@link MachineView} of one {@link Machine}: reads its hart, RAM and kernel ELF as they
 * are now. Invariant: holds no state of its own and calls nothing that changes the machine
 * (debug CSR reads, side-effect-free translation, plain RAM reads).
 */
final class LiveMachineView implements MachineView {
    private final Hart hart;
    private final Ram ram;
    private final ElfFile elf;

    LiveMachineView(Hart hart, Ram ram, ElfFile elf) {
        this.hart = hart;
        this.ram = ram;
        this.elf = elf;
    }

    @Override
    public long icount() {
        return hart.icount();
    }

    @Override
    public long pc() {
        return hart.pc();
    }

    @Override
    public long x(int reg) {
        return hart.x(reg);
    }

    @Override
    public int priv() {
        return hart.priv();
    }

    @Override
    public long csr(int csr) {
        return hart.readCsr(csr);
    }

    @Override
    public long ramBase() {
        return ram.base;
    }

    @Override
    public int ramSize() {
        return ram.size;
    }

    @Override
    public long readPhysical(long pa, int size) {
        if (!ram.contains(pa, size)) {
            throw new IllegalArgumentException(String.format("0x%x (%d bytes) is not in RAM", pa, size));
        }
        return ram.load((int) (pa - ram.base), size);
    }

    @Override
    public long translate(long va) {
        return hart.debugTranslate(va);
    }

    @Override
    public long readVirtual(long va, int size) {
        long pa = translate(va);
        if (pa == -1) {
            throw new IllegalArgumentException(String.format("virtual address 0x%x is not mapped", va));
        }
        return readPhysical(pa, size);
    }

    @Override
    public OptionalLong symbol(String name) {
        return elf == null ? OptionalLong.empty() : elf.symbol(name);
    }

    @Override
    public String symbolize(long addr) {
        return elf == null ? String.format("0x%x", addr) : elf.symbolize(addr);
    }
}
