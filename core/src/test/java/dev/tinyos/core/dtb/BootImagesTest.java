package dev.tinyos.core.dtb;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.BootImages;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** QEMU's loading conventions: raw bios at 0x80000000, raw kernel at 0x80200000, initrd and bootargs in /chosen. */
class BootImagesTest {
    static final long MIB = 1L << 20;

    @TempDir
    Path dir;

    /** li a0..; a raw image whose first instructions we can recognise in RAM. */
    private Path raw(String name, int firstWord, int bytes) throws Exception {
        byte[] b = new byte[bytes];
        b[0] = (byte) firstWord;
        b[1] = (byte) (firstWord >>> 8);
        b[2] = (byte) (firstWord >>> 16);
        b[3] = (byte) (firstWord >>> 24);
        return Files.write(dir.resolve(name), b);
    }

    @Test
    void rawBiosAndKernelInitrdAndBootargsGoWhereQemuPutsThem() throws Exception {
        Path bios = raw("fw.bin", 0x10500073, 4096); // wfi
        Path kernel = raw("k.bin", 0x00000013, 8192); // nop
        Path initrd = raw("rd.img", 0x12345678, 5000);
        MachineConfig cfg = MachineConfig.builder().memoryMiB(128).bios(bios).kernel(kernel).initrd(initrd)
                .append("console=ttyS0 quiet").build();
        try (Machine m = new Machine(cfg)) {
            assertEquals(Machine.RAM_BASE, m.view().pc(), "the hart starts at the raw bios");
            assertEquals(0, m.view().x(10), "a0 = hart id");
            assertEquals(0x10500073, m.ram().load32(0));
            assertEquals(0x00000013, m.ram().load32((int) (Machine.KERNEL_BASE - Machine.RAM_BASE)));
            long rdStart = Machine.KERNEL_BASE + 64 * MIB; // kernel entry + min(RAM / 2, 128 MiB)
            assertEquals(0x12345678, m.ram().load32((int) (rdStart - Machine.RAM_BASE)));
            long fdt = m.view().x(11);
            assertEquals(0x87e0_0000L, fdt, "a1 = the tree, where QEMU puts it");
            byte[] blob = new byte[1 << 16];
            m.ram().read((int) (fdt - Machine.RAM_BASE), blob, 0, blob.length);
            FdtReader.Node chosen = new FdtReader(blob).root.at("/chosen");
            assertEquals(List.of("console=ttyS0 quiet"), chosen.strings("bootargs"));
            assertEquals((int) rdStart, chosen.u32("linux,initrd-start"));
            assertEquals((int) (rdStart + 5000), chosen.u32("linux,initrd-end"));
            assertEquals(List.of("linux,initrd-end", "linux,initrd-start", "bootargs", "stdout-path"),
                    List.copyOf(chosen.props().keySet()), "QEMU 7.2's order");
        }
    }

    @Test
    void withoutOptionsTheTreeIsUnchanged() throws Exception {
        assertArrayEquals(VirtDeviceTree.build(128 * MIB), VirtDeviceTree.build(128 * MIB, VirtDeviceTree.Chosen.NONE));
        assertNull(new FdtReader(VirtDeviceTree.build(128 * MIB)).root.at("/chosen").props().get("bootargs"));
    }

    @Test
    void imagesThatDoNotFitAreRefusedInOneSentence() throws Exception {
        Path small = raw("s.bin", 0x10500073, 16);
        Path big = raw("big.bin", 0, (int) (3 * MIB));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> BootImages.of(small, big, null, null, 2 * MIB));
        assertTrue(e.getMessage().contains("does not fit in RAM"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BootImages.of(small, small, big, null, 4 * MIB));
        assertTrue(e.getMessage().contains("initrd"), e.getMessage());
        Path bigBios = raw("bigbios.bin", 0, (int) (3 * MIB)); // reaches past 0x80200000
        e = assertThrows(IllegalArgumentException.class, () -> BootImages.of(bigBios, small, null, null, 8 * MIB));
        assertTrue(e.getMessage().contains("overlap"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> BootImages.of(null, small, null, null, 4 * MIB));
        assertTrue(e.getMessage().contains("not an ELF"), e.getMessage());
    }
}
