package dev.tinyos.core.elf;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.cpu.Ram;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class ElfFileTest {
    private static final long RAM_BASE = 0x8000_0000L;

    /** A minimal ELF64 RISC-V executable: one PT_LOAD of {@code payload} plus {@code bss} zeros. */
    static byte[] elf(long paddr, byte[] payload, long bss) {
        ByteBuffer b = ByteBuffer.allocate(64 + 56 + payload.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {0x7F, 'E', 'L', 'F', 2, 1, 1, 0}).put(new byte[8]);
        b.putShort((short) 2).putShort((short) 243).putInt(1);
        b.putLong(paddr).putLong(64).putLong(0); // entry, phoff, shoff
        b.putInt(0).putShort((short) 64).putShort((short) 56).putShort((short) 1);
        b.putShort((short) 64).putShort((short) 0).putShort((short) 0);
        b.putInt(1).putInt(5).putLong(120).putLong(paddr).putLong(paddr);
        b.putLong(payload.length).putLong(payload.length + bss).putLong(4096);
        b.put(payload);
        return b.array();
    }

    private static String error(byte[] bytes) {
        return assertThrows(IllegalArgumentException.class, () -> ElfFile.parse("kernel.elf", bytes)).getMessage();
    }

    @Test
    void loadsSegmentAndZeroesBss() {
        Ram ram = new Ram(RAM_BASE, 1 << 16);
        byte[] fill = new byte[1 << 16];
        Arrays.fill(fill, (byte) 0x77);
        ram.write(0, fill, 0, fill.length);
        ram.clearDirty();
        byte[] code = {0x13, 0, 0, 0, 0x6F, 0, 0, 0};
        ElfFile f = ElfFile.parse("t.elf", elf(RAM_BASE + 0x100, code, 16));
        assertEquals(RAM_BASE + 0x100, f.entry());
        assertEquals(1, f.segments().size());
        f.load(ram);
        assertArrayEquals(code, bytes(ram, 0x100, 0x108));
        assertArrayEquals(new byte[16], bytes(ram, 0x108, 0x118));
        assertEquals(0x77, ram.load8(0x118), "bytes past memsz untouched");
        assertTrue(ram.isDirty(0x100));
    }

    @Test
    void refusesWhatIsNotAnElf() {
        assertEquals("kernel.elf: not an ELF file", error("hello world".getBytes()));
        assertEquals("kernel.elf: not an ELF file", error(new byte[0]));
        assertEquals("kernel.elf: truncated ELF header", error(Arrays.copyOf(elf(RAM_BASE, new byte[4], 0), 40)));
    }

    @Test
    void refusesOtherClassesMachinesAndTypes() {
        byte[] e = elf(RAM_BASE, new byte[4], 0);
        byte[] c32 = e.clone();
        c32[4] = 1;
        assertEquals("kernel.elf: not a 64-bit ELF file", error(c32));
        byte[] be = e.clone();
        be[5] = 2;
        assertEquals("kernel.elf: not a little-endian ELF file", error(be));
        byte[] x86 = e.clone();
        x86[18] = 62;
        assertEquals("kernel.elf: not a RISC-V ELF file (e_machine 62)", error(x86));
        byte[] dyn = e.clone();
        dyn[16] = 3;
        assertTrue(error(dyn).startsWith("kernel.elf: not an executable ELF file"));
    }

    @Test
    void refusesTruncatedTables() {
        byte[] e = elf(RAM_BASE, new byte[64], 0);
        assertEquals("kernel.elf: truncated program header table", error(Arrays.copyOf(e, 100)));
        assertEquals("kernel.elf: segment 0 extends past the end of the file", error(Arrays.copyOf(e, 150)));
    }

    @Test
    void segmentOutsideRamIsASentenceNotACrash() {
        Ram ram = new Ram(RAM_BASE, 1 << 16);
        ElfFile low = ElfFile.parse("k.elf", elf(0x1000, new byte[8], 0));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> low.load(ram));
        assertEquals("k.elf: segment 0 at 0x1000 (0x8 bytes) lies outside RAM 0x80000000-0x80010000", e.getMessage());
        ElfFile big = ElfFile.parse("k.elf", elf(RAM_BASE + 0xFFF0, new byte[8], 0x100));
        assertThrows(IllegalArgumentException.class, () -> big.load(ram));
        assertEquals(0, ram.load8(0xFFF0), "nothing written when refused");
    }

    private static byte[] bytes(Ram ram, int from, int to) {
        byte[] b = new byte[to - from];
        ram.read(from, b, 0, b.length);
        return b;
    }

    @Test
    void symbolsOfARealProgram() throws IOException {
        Path elf = Path.of(System.getProperty("tinyos.guest.build", "../guest/build"), "board", "timer.elf");
        assertTrue(Files.exists(elf), elf + " missing: build the guest (make -C guest board)");
        ElfFile f = ElfFile.read(elf);
        long main = f.symbol("main").orElseThrow();
        long trap = f.symbol("trap").orElseThrow();
        assertEquals(f.entry(), f.symbol("_start").orElseThrow());
        assertEquals("main", f.symbolize(main));
        assertEquals("main+0x1c", f.symbolize(main + 0x1c));
        assertEquals("trap+0x2", f.symbolize(trap + 2));
        assertTrue(f.symbol("no_such_symbol").isEmpty());
        assertEquals("0x10", f.symbolize(0x10));
    }
}
