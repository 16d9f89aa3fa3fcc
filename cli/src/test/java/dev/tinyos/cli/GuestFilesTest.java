package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GuestFilesTest {
    @TempDir
    Path dir;

    private static byte[] elfHeader(int elfClass, int machine) {
        byte[] h = new byte[64];
        h[0] = 0x7f;
        h[1] = 'E';
        h[2] = 'L';
        h[3] = 'F';
        h[4] = (byte) elfClass;
        h[5] = 1;
        h[18] = (byte) machine;
        h[19] = (byte) (machine >> 8);
        return h;
    }

    @Test
    void acceptsRiscv64Elf() throws IOException {
        Path p = Files.write(dir.resolve("k.elf"), elfHeader(2, 0xF3));
        assertDoesNotThrow(() -> GuestFiles.requireElf(p, "kernel", null));
    }

    @Test
    void rejectsMissingFileWithHint() {
        BadInputException e = assertThrows(BadInputException.class,
                () -> GuestFiles.requireElf(dir.resolve("nope.elf"), "kernel", "build it"));
        assertTrue(e.getMessage().contains("does not exist (build it)"), e.getMessage());
    }

    @Test
    void rejectsNonElfAndWrongArchitecture() throws IOException {
        Path text = Files.writeString(dir.resolve("t.elf"), "hello, this is not an ELF file at all");
        assertThrows(BadInputException.class, () -> GuestFiles.requireElf(text, "kernel", null));
        Path x86 = Files.write(dir.resolve("x.elf"), elfHeader(2, 62));
        BadInputException e = assertThrows(BadInputException.class, () -> GuestFiles.requireElf(x86, "kernel", null));
        assertTrue(e.getMessage().contains("not RISC-V"), e.getMessage());
        Path rv32 = Files.write(dir.resolve("r.elf"), elfHeader(1, 0xF3));
        assertThrows(BadInputException.class, () -> GuestFiles.requireElf(rv32, "kernel", null));
        assertThrows(BadInputException.class, () -> GuestFiles.requireElf(dir, "kernel", null));
    }

    @Test
    void diskMustBeWholeSectors() throws IOException {
        Path good = Files.write(dir.resolve("good.img"), new byte[1024]);
        Path bad = Files.write(dir.resolve("bad.img"), new byte[1000]);
        assertDoesNotThrow(() -> GuestFiles.requireDisk(good));
        assertThrows(BadInputException.class, () -> GuestFiles.requireDisk(bad));
    }

    @Test
    void memoryRange() {
        assertDoesNotThrow(() -> GuestFiles.requireMemory(128));
        assertThrows(BadInputException.class, () -> GuestFiles.requireMemory(0));
        assertThrows(BadInputException.class, () -> GuestFiles.requireMemory(4096));
    }
}
