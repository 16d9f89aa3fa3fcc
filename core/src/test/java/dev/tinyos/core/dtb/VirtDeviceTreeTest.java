package dev.tinyos.core.dtb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tinyos.core.Bus;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.testing.Qemu;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The board's device tree: its content, its agreement with QEMU's, and with the devices mapped. */
class VirtDeviceTreeTest {
    static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    static FdtReader.Node tree(long ramSize) {
        return new FdtReader(VirtDeviceTree.build(ramSize)).root;
    }

    @Test
    void rootChosenAndMemory() {
        FdtReader.Node root = tree(128 * MIB);
        assertEquals(2, root.u32("#address-cells"));
        assertEquals(2, root.u32("#size-cells"));
        assertEquals(List.of("riscv-virtio"), root.strings("compatible"));
        assertEquals(List.of("/soc/serial@10000000"), root.at("/chosen").strings("stdout-path"));
        assertTrue(root.at("/soc/serial@10000000") != null, "stdout-path names a node");
        assertEquals(List.of("memory"), root.at("/memory@80000000").strings("device_type"));
        assertArrayEquals(new long[] {0x8000_0000L, 128 * MIB}, root.at("/memory@80000000").u64s("reg"));
        assertArrayEquals(new long[] {0x8000_0000L, 7 * MIB}, tree(7 * MIB).at("/memory@80000000").u64s("reg"));
    }

    @Test
    void theHartIsDescribedTruthfully() {
        FdtReader.Node cpus = tree(128 * MIB).at("/cpus");
        assertEquals(10_000_000, cpus.u32("timebase-frequency"));
        FdtReader.Node cpu = cpus.at("cpu@0");
        assertEquals(List.of("rv64imac_zicntr_zicsr_zifencei_zihintpause_zihpm_sstc"), cpu.strings("riscv,isa"));
        assertEquals(List.of("rv64i"), cpu.strings("riscv,isa-base"));
        assertEquals(List.of("i", "m", "a", "c", "zicntr", "zicsr", "zifencei", "zihintpause", "zihpm", "sstc"),
                cpu.strings("riscv,isa-extensions"));
        assertEquals(List.of("riscv,sv39"), cpu.strings("mmu-type"));
        assertEquals(List.of("okay"), cpu.strings("status"));
        assertEquals(List.of("riscv"), cpu.strings("compatible"));
        assertEquals(0, cpu.u32("reg"));
        FdtReader.Node intc = cpu.at("interrupt-controller");
        assertEquals(1, intc.u32("#interrupt-cells"));
        assertEquals(0, intc.props().get("interrupt-controller").length);
        assertEquals(List.of("riscv,cpu-intc"), intc.strings("compatible"));
        assertEquals(cpu.u32("phandle"), cpus.at("cpu-map/cluster0/core0").u32("cpu"));
    }

    @Test
    void interruptsAreWiredAsOnTheBoard() {
        FdtReader.Node root = tree(128 * MIB);
        int intc = root.at("/cpus/cpu@0/interrupt-controller").u32("phandle");
        FdtReader.Node clint = root.at("/soc/clint@2000000");
        assertArrayEquals(new int[] {intc, 3, intc, 7}, clint.cells("interrupts-extended"), "MSIP, MTIP");
        FdtReader.Node plic = root.at("/soc/plic@c000000");
        assertArrayEquals(new int[] {intc, 11, intc, 9}, plic.cells("interrupts-extended"),
                "context 0 = M external, context 1 = S external");
        assertEquals(List.of("sifive,plic-1.0.0", "riscv,plic0"), plic.strings("compatible"));
        assertEquals(0x60, plic.u32("riscv,ndev"));
        int plicPh = plic.u32("phandle");
        FdtReader.Node uart = root.at("/soc/serial@10000000");
        assertEquals(Machine.UART_IRQ, uart.u32("interrupts"));
        assertEquals(plicPh, uart.u32("interrupt-parent"));
        assertEquals(0x384000, uart.u32("clock-frequency"));
        for (int n = 0; n < 8; n++) {
            FdtReader.Node v = root.at("/soc/virtio_mmio@" + Long.toHexString(0x1000_1000L + 0x1000L * n));
            assertEquals(List.of("virtio,mmio"), v.strings("compatible"));
            assertEquals(1 + n, v.u32("interrupts"));
            assertEquals(plicPh, v.u32("interrupt-parent"));
        }
    }

    @Test
    void poweroffAndRebootGoThroughTheTestDevice() {
        FdtReader.Node root = tree(128 * MIB);
        FdtReader.Node test = root.at("/soc/test@100000");
        assertEquals(List.of("sifive,test1", "sifive,test0", "syscon"), test.strings("compatible"));
        assertEquals(0x5555, root.at("/poweroff").u32("value"));
        assertEquals(0x7777, root.at("/reboot").u32("value"));
        for (String n : List.of("/poweroff", "/reboot")) {
            assertEquals(test.u32("phandle"), root.at(n).u32("regmap"));
            assertEquals(0, root.at(n).u32("offset"));
        }
    }

    static void collect(FdtReader.Node n, String path, Map<String, FdtReader.Node> out) {
        out.put(path.isEmpty() ? "/" : path, n);
        for (FdtReader.Node c : n.children()) {
            collect(c, path + "/" + c.name(), out);
        }
    }

    @Test
    void phandlesAreUniqueAndEveryReferenceResolves() {
        Map<String, FdtReader.Node> nodes = new TreeMap<>();
        collect(tree(128 * MIB), "", nodes);
        Set<Integer> phandles = new HashSet<>();
        for (FdtReader.Node n : nodes.values()) {
            if (n.props().containsKey("phandle")) {
                assertTrue(phandles.add(n.u32("phandle")), "duplicate phandle in " + n.name());
            }
        }
        for (FdtReader.Node n : nodes.values()) {
            for (String p : List.of("interrupt-parent", "regmap", "cpu")) {
                if (n.props().containsKey(p)) {
                    assertTrue(phandles.contains(n.u32(p)), n.name() + "/" + p);
                }
            }
            if (n.props().containsKey("interrupts-extended")) {
                int[] c = n.cells("interrupts-extended");
                for (int i = 0; i < c.length; i += 2) {
                    assertTrue(phandles.contains(c[i]), n.name() + "/interrupts-extended");
                }
            }
        }
    }

    /** Every reg window under /soc is answered by a device the machine maps (no bus fault). */
    @Test
    void everyDeviceNodeIsMapped() throws IOException {
        Machine m = new Machine(MachineConfig.builder().kernel(DtbBootTest.program("hello")).build());
        Bus bus = m.bus();
        for (FdtReader.Node n : tree(128 * MIB).at("/soc").children()) {
            long[] reg = n.u64s("reg");
            bus.load(reg[0], 4);
            bus.load(reg[0] + reg[1] - 4, 4);
        }
        m.close();
    }

    static boolean onPath(String exe) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, exe))) {
                return true;
            }
        }
        return false;
    }

    static FdtReader.Node qemuTree(Path dtb, String mem) throws Exception {
        Process p = new ProcessBuilder(Qemu.EXE, "-machine", "virt,dumpdtb=" + dtb, "-bios", "none", "-m", mem,
                "-display", "none", "-monitor", "none", "-serial", "none")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "qemu dumpdtb finished");
        return new FdtReader(Files.readAllBytes(dtb)).root;
    }

    /** Nodes QEMU 7.2 has for devices we do not emulate. */
    static final Set<String> NOT_EMULATED = Set.of("/pmu", "/fw-cfg@10100000", "/flash@20000000",
            "/platform-bus@4000000", "/soc/rtc@101000", "/soc/pci@30000000");

    /**
     * Ours equals QEMU 7.2's tree node for node and property for property (order included),
     * except for the devices we do not have, the random seed, and what describes our hart.
     */
    /** riscv,isa and the newer binding's base + extensions name exactly the same set. */
    @Test
    void theIsaStringAndTheExtensionListAgree() {
        FdtReader.Node cpu = tree(128 * MIB).at("/cpus/cpu@0");
        String isa = cpu.strings("riscv,isa").get(0);
        String[] parts = isa.split("_");
        List<String> fromString = new ArrayList<>();
        assertTrue(parts[0].startsWith("rv64"), isa);
        for (char c : parts[0].substring(4).toCharArray()) {
            fromString.add(String.valueOf(c));
        }
        fromString.addAll(List.of(parts).subList(1, parts.length));
        assertEquals(fromString, cpu.strings("riscv,isa-extensions"));
        assertEquals("rv64" + fromString.get(0), cpu.strings("riscv,isa-base").get(0));
    }

    /** Trees of earlier board revisions are still built as they were, so their traces replay. */
    @Test
    void olderRevisionsKeepTheirTree() {
        byte[] rev3 = VirtDeviceTree.build(128 * MIB, VirtDeviceTree.Chosen.NONE, 3);
        FdtReader.Node cpu = new FdtReader(rev3).root.at("/cpus/cpu@0");
        assertEquals(List.of("rv64imac_zicsr_zifencei"), cpu.strings("riscv,isa"));
        assertEquals(List.of("phandle", "device_type", "reg", "status", "compatible", "riscv,isa", "mmu-type"),
                new ArrayList<>(cpu.props().keySet()));
        for (int rev = 1; rev <= 2; rev++) {
            assertArrayEquals(rev3, VirtDeviceTree.build(128 * MIB, VirtDeviceTree.Chosen.NONE, rev), "revision " + rev);
        }
        assertFalse(java.util.Arrays.equals(rev3, VirtDeviceTree.build(128 * MIB)), "revision 4 differs");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> VirtDeviceTree.build(128 * MIB, VirtDeviceTree.Chosen.NONE, dev.tinyos.core.BoardRevision.CURRENT + 1));
        assertEquals("board revision 5 is not one this tinyos builds (1..4)", e.getMessage());
    }

    @Test
    void matchesQemu() throws Exception {
        assumeTrue(Qemu.available(), "qemu-system-riscv64 not installed");
        for (String mem : List.of("128M", "16M")) {
            Map<String, FdtReader.Node> qemu = new TreeMap<>();
            collect(qemuTree(dir.resolve("virt-" + mem + ".dtb"), mem), "", qemu);
            Map<String, FdtReader.Node> ours = new TreeMap<>();
            collect(tree(Long.parseLong(mem.replace("M", "")) * MIB), "", ours);
            qemu.keySet().removeIf(p -> NOT_EMULATED.stream().anyMatch(x -> p.equals(x) || p.startsWith(x + "/")));
            assertEquals(qemu.keySet(), ours.keySet(), "same nodes");
            for (String path : ours.keySet()) {
                Map<String, byte[]> q = new TreeMap<>(qemu.get(path).props());
                Map<String, byte[]> o = new TreeMap<>(ours.get(path).props());
                assertEquals(childNames(qemu.get(path)), childNames(ours.get(path)), path + " child order");
                List<String> qOrder = new ArrayList<>(qemu.get(path).props().keySet());
                qOrder.remove("rng-seed");
                List<String> oOrder = new ArrayList<>(ours.get(path).props().keySet());
                oOrder.removeAll(NEWER_THAN_QEMU_7_2);
                assertEquals(qOrder, oOrder, path + " property order");
                o.keySet().removeAll(NEWER_THAN_QEMU_7_2);
                for (String prop : o.keySet()) {
                    if (Set.of("/:model", "/cpus/cpu@0:riscv,isa", "/cpus/cpu@0:mmu-type").contains(path + ":" + prop)) {
                        continue;
                    }
                    assertArrayEquals(q.get(prop), o.get(prop), path + ":" + prop);
                }
            }
        }
    }

    /** Properties of the newer ISA binding, which QEMU 7.2 does not write yet (8.2 does). */
    static final List<String> NEWER_THAN_QEMU_7_2 = List.of("riscv,isa-base", "riscv,isa-extensions");

    static List<String> childNames(FdtReader.Node n) {
        return n.children().stream().map(FdtReader.Node::name)
                .filter(c -> !NOT_EMULATED.contains("/" + c) && !NOT_EMULATED.contains("/soc/" + c)).toList();
    }

    /**
     * The device tree compiler decodes our blob; its only warning is the one it also gives for
     * QEMU's tree (QEMU's cpu interrupt controller has no #address-cells, and neither has ours).
     */
    @Test
    void dtcAcceptsTheBlob() throws Exception {
        assumeTrue(onPath("dtc"), "dtc (device-tree-compiler) not installed");
        Path blob = dir.resolve("ours.dtb");
        Files.write(blob, VirtDeviceTree.build(128 * MIB));
        Process p = new ProcessBuilder("dtc", "-I", "dtb", "-O", "dts", blob.toString())
                .redirectError(dir.resolve("err").toFile()).start();
        String dts = new String(p.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
        assertEquals(0, p.waitFor());
        String err = Files.readString(dir.resolve("err"));
        assertEquals("<stdout>: Warning (interrupt_provider): /cpus/cpu@0/interrupt-controller: "
                + "Missing #address-cells in interrupt provider\n", err, "dtc warnings");
        assertTrue(dts.contains("riscv,isa = \"" + VirtDeviceTree.RISCV_ISA + "\";"), dts);
        assertTrue(dts.contains("riscv,isa-extensions = \"i\\0m\\0a\\0c\\0zicntr"), dts); // dtc's form for 1-letter strings
        assertTrue(dts.contains("reg = <0x00 0x80000000 0x00 0x8000000>;"), dts);
    }
}
