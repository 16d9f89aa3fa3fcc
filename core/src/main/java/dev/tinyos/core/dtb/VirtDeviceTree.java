package dev.tinyos.core.dtb;

import dev.tinyos.core.BoardRevision;
import dev.tinyos.core.Machine;
import dev.tinyos.core.dev.TestFinisher;

/**
 * The device tree of our {@code virt} board with one hart, as QEMU 7.2 generates it for
 * {@code -machine virt -bios none -m N} minus the devices we do not emulate (PMU, fw-cfg,
 * flash, platform bus, goldfish RTC, PCIe) and minus /chosen's rng-seed (QEMU's is random;
 * a deterministic machine has no random seed to give). Nodes, properties, their order and
 * the phandles (cpu 1, cpu interrupt controller 2, PLIC 3, test device 4) are QEMU's, so a
 * kernel sees the same tree on both machines except for what describes our hart truthfully
 * (no F, D, H, Zba, Zbb, Zbc or Zbs, which QEMU lists; mmu-type riscv,sv39 where QEMU's
 * default hart has Sv48) and the model string. The hart's description depends on the
 * {@link BoardRevision}: from revision {@value BoardRevision#ISA_EXTENSIONS_IN_DEVICE_TREE}
 * riscv,isa is {@value #RISCV_ISA} and the newer binding's riscv,isa-base and
 * riscv,isa-extensions name the same set (as QEMU 8.2 and later add them); before it,
 * riscv,isa was {@value #RISCV_ISA_BEFORE_4}, which left out the Sstc the hart had since
 * revision 2, and those trees are still built bit for bit so older traces replay.
 *
 * <p>Invariant: the blob is a pure function of the RAM size; every node it lists is a device
 * that {@link Machine} maps at that address with that interrupt.
 */
public final class VirtDeviceTree {
    /** Every extension the hart implements, in the ISA manual's canonical order. */
    public static final String RISCV_ISA = "rv64imac_zicntr_zicsr_zifencei_zihintpause_zihpm_sstc";
    /** The base ISA of the riscv,isa-base property. */
    public static final String RISCV_ISA_BASE = "rv64i";
    /** riscv,isa-extensions: {@link #RISCV_ISA} as a list (the base's "i" included). */
    static final String[] RISCV_ISA_EXTENSIONS = {
        "i", "m", "a", "c", "zicntr", "zicsr", "zifencei", "zihintpause", "zihpm", "sstc"};
    /** riscv,isa of board revisions 1 to 3. */
    public static final String RISCV_ISA_BEFORE_4 = "rv64imac_zicsr_zifencei";
    public static final String MMU_TYPE = "riscv,sv39";
    public static final String MODEL = "riscv-virtio,tinyos";
    /** The CLINT's mtime frequency: 10 MHz, as on QEMU. */
    public static final int TIMEBASE_FREQUENCY = 10_000_000;
    /** The UART's input clock as QEMU declares it (1.8432 MHz * 2). */
    public static final int UART_CLOCK = 0x384000;
    /** Interrupt sources the PLIC declares (riscv,ndev), QEMU 7.2's VIRT_IRQCHIP_NUM_SOURCES. */
    public static final int PLIC_NDEV = 0x60;
    /** QEMU's PLIC window: priorities, pending, enables and contexts for its maximum hart count. */
    public static final long PLIC_REG_SIZE = 0x600000;
    public static final long CLINT_REG_SIZE = 0x10000;
    public static final long UART_REG_SIZE = 0x100;
    public static final long TEST_REG_SIZE = 0x1000;

    static final int PHANDLE_CPU = 1;
    static final int PHANDLE_CPU_INTC = 2;
    static final int PHANDLE_PLIC = 3;
    static final int PHANDLE_TEST = 4;

    /** Local interrupt numbers of the cpu interrupt controller (mip bit numbers). */
    private static final int IRQ_M_SOFT = 3;
    private static final int IRQ_M_TIMER = 7;
    private static final int IRQ_S_EXT = 9;
    private static final int IRQ_M_EXT = 11;

    private VirtDeviceTree() {
    }

    /**
     * What /chosen says besides stdout-path: the kernel command line (bootargs, null for none)
     * and the initrd's range [initrdStart, initrdEnd) (linux,initrd-start/end; -1 for none).
     */
    public record Chosen(String bootargs, long initrdStart, long initrdEnd) {
        public static final Chosen NONE = new Chosen(null, -1, -1);
    }

    /** The flattened device tree for a board with {@code ramSize} bytes of RAM at {@link Machine#RAM_BASE}. */
    public static byte[] build(long ramSize) {
        return build(ramSize, Chosen.NONE);
    }

    /** As {@link #build(long)}, with /chosen also holding {@code chosen}'s bootargs and initrd range. */
    public static byte[] build(long ramSize, Chosen chosen) {
        return build(ramSize, chosen, BoardRevision.CURRENT);
    }

    /** As {@link #build(long, Chosen)} for board revision {@code revision} ({@link BoardRevision}). */
    public static byte[] build(long ramSize, Chosen chosen, int revision) {
        BoardRevision.require(revision);
        FdtWriter w = new FdtWriter();
        w.beginNode("")
                .propCells("#address-cells", 2)
                .propCells("#size-cells", 2)
                .propStrings("compatible", "riscv-virtio")
                .propStrings("model", MODEL);
        // QEMU 7.2's /chosen order (checked with dumpdtb): initrd end and start (one cell each:
        // RAM lies below 4 GiB), rng-seed (we have none), bootargs, stdout-path
        w.beginNode("chosen");
        if (chosen.initrdStart() >= 0) {
            w.propCells("linux,initrd-end", (int) chosen.initrdEnd());
            w.propCells("linux,initrd-start", (int) chosen.initrdStart());
        }
        if (chosen.bootargs() != null) {
            w.propStrings("bootargs", chosen.bootargs());
        }
        w.propStrings("stdout-path", "/soc/" + unit("serial", Machine.UART_BASE)).endNode();
        syscon(w, "poweroff", TestFinisher.FINISHER_PASS);
        syscon(w, "reboot", TestFinisher.FINISHER_RESET);
        w.beginNode(unit("memory", Machine.RAM_BASE))
                .propStrings("device_type", "memory")
                .propCells64("reg", Machine.RAM_BASE, ramSize)
                .endNode();
        cpus(w, revision);
        soc(w);
        return w.endNode().finish();
    }

    private static void syscon(FdtWriter w, String name, int value) {
        w.beginNode(name)
                .propCells("value", value)
                .propCells("offset", 0)
                .propCells("regmap", PHANDLE_TEST)
                .propStrings("compatible", "syscon-" + name)
                .endNode();
    }

    private static void cpus(FdtWriter w, int revision) {
        w.beginNode("cpus")
                .propCells("#address-cells", 1)
                .propCells("#size-cells", 0)
                .propCells("timebase-frequency", TIMEBASE_FREQUENCY);
        w.beginNode("cpu@0")
                .propCells("phandle", PHANDLE_CPU)
                .propStrings("device_type", "cpu")
                .propCells("reg", 0)
                .propStrings("status", "okay")
                .propStrings("compatible", "riscv");
        if (revision >= BoardRevision.ISA_EXTENSIONS_IN_DEVICE_TREE) {
            w.propStrings("riscv,isa", RISCV_ISA)
                    .propStrings("riscv,isa-base", RISCV_ISA_BASE)
                    .propStrings("riscv,isa-extensions", RISCV_ISA_EXTENSIONS);
        } else {
            w.propStrings("riscv,isa", RISCV_ISA_BEFORE_4);
        }
        w.propStrings("mmu-type", MMU_TYPE);
        w.beginNode("interrupt-controller")
                .propCells("#interrupt-cells", 1)
                .propEmpty("interrupt-controller")
                .propStrings("compatible", "riscv,cpu-intc")
                .propCells("phandle", PHANDLE_CPU_INTC)
                .endNode();
        w.endNode();
        w.beginNode("cpu-map").beginNode("cluster0").beginNode("core0")
                .propCells("cpu", PHANDLE_CPU)
                .endNode().endNode().endNode();
        w.endNode();
    }

    private static void soc(FdtWriter w) {
        w.beginNode("soc")
                .propCells("#address-cells", 2)
                .propCells("#size-cells", 2)
                .propStrings("compatible", "simple-bus")
                .propEmpty("ranges");
        w.beginNode(unit("serial", Machine.UART_BASE))
                .propCells("interrupts", Machine.UART_IRQ)
                .propCells("interrupt-parent", PHANDLE_PLIC)
                .propCells("clock-frequency", UART_CLOCK)
                .propCells64("reg", Machine.UART_BASE, UART_REG_SIZE)
                .propStrings("compatible", "ns16550a")
                .endNode();
        w.beginNode(unit("test", Machine.TEST_BASE))
                .propCells("phandle", PHANDLE_TEST)
                .propCells64("reg", Machine.TEST_BASE, TEST_REG_SIZE)
                .propStrings("compatible", "sifive,test1", "sifive,test0", "syscon")
                .endNode();
        for (int n = Machine.VIRTIO_SLOTS - 1; n >= 0; n--) {
            long base = Machine.VIRTIO_BASE + n * Machine.VIRTIO_STRIDE;
            w.beginNode(unit("virtio_mmio", base))
                    .propCells("interrupts", Machine.VIRTIO_IRQ + n)
                    .propCells("interrupt-parent", PHANDLE_PLIC)
                    .propCells64("reg", base, Machine.VIRTIO_STRIDE)
                    .propStrings("compatible", "virtio,mmio")
                    .endNode();
        }
        plic(w);
        w.beginNode(unit("clint", Machine.CLINT_BASE))
                .propCells("interrupts-extended", PHANDLE_CPU_INTC, IRQ_M_SOFT, PHANDLE_CPU_INTC, IRQ_M_TIMER)
                .propCells64("reg", Machine.CLINT_BASE, CLINT_REG_SIZE)
                .propStrings("compatible", "sifive,clint0", "riscv,clint0")
                .endNode();
        w.endNode();
    }

    /** The PLIC: context 0 is the hart's M-mode external interrupt, context 1 its S-mode one. */
    private static void plic(FdtWriter w) {
        w.beginNode(unit("plic", Machine.PLIC_BASE))
                .propCells("phandle", PHANDLE_PLIC)
                .propCells("riscv,ndev", PLIC_NDEV)
                .propCells64("reg", Machine.PLIC_BASE, PLIC_REG_SIZE)
                .propCells("interrupts-extended", PHANDLE_CPU_INTC, IRQ_M_EXT, PHANDLE_CPU_INTC, IRQ_S_EXT)
                .propEmpty("interrupt-controller")
                .propStrings("compatible", "sifive,plic-1.0.0", "riscv,plic0")
                .propCells("#address-cells", 0)
                .propCells("#interrupt-cells", 1)
                .endNode();
    }

    /** "name@unit-address" with the address in lower-case hex, no leading zeros. */
    static String unit(String name, long address) {
        return name + "@" + Long.toHexString(address);
    }
}
