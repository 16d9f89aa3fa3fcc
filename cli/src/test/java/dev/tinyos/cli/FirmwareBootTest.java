package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * QEMU's loading conventions with firmware we did not write: Debian's OpenSBI (fw_jump.bin, a
 * raw image at 0x80000000) starts U-Boot (a raw image at 0x80200000) in S-mode; typed
 * {@code version} and {@code poweroff} print the version and end the run with exit 0. The run
 * is recorded, and the replay prints the same console and verify passes. Skipped where the
 * packages {@code opensbi} and {@code u-boot-qemu} are not installed.
 */
class FirmwareBootTest {
    static final Path FW_JUMP = Path.of("/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_jump.bin");
    static final Path UBOOT = Path.of("/usr/lib/u-boot/qemu-riscv64_smode/u-boot.bin");

    @TempDir
    Path tmp;

    @Test
    void openSbiStartsUBootWhichPowersOffRecordedAndReplayed() throws Exception {
        assumeTrue(Files.isRegularFile(FW_JUMP) && Files.isRegularFile(UBOOT),
                "OpenSBI or U-Boot not installed (apt-get install opensbi u-boot-qemu): skipped");
        Path trace = tmp.resolve("trace");
        byte[] typed = "version\npoweroff\n".getBytes(StandardCharsets.US_ASCII);
        Cli.Result run = Cli.run(typed, 900, "run", "--trace", trace.toString(), "--bios", FW_JUMP.toString(),
                "--kernel", UBOOT.toString());
        assertFalse(run.hung(), "the firmware run did not end in 900 s; console:\n" + tail(run.out()));
        assertEquals(0, run.status(), run.err() + "\n" + tail(run.out()));
        String out = run.out();
        assertTrue(out.contains("OpenSBI"), "OpenSBI's banner:\n" + tail(out));
        assertTrue(out.contains("Domain0 Next Address      : 0x0000000080200000"), out);
        assertTrue(out.contains("=> version"), "U-Boot's prompt and the typed command:\n" + tail(out));
        assertTrue(out.contains("\nU-Boot 20"), "version's line:\n" + tail(out));
        assertTrue(out.contains("=> poweroff"), tail(out));
        assertTrue(run.err().contains("FINISHER_PASS"), run.err());

        Cli.Result replay = Cli.run(new byte[0], 900, "replay", trace.toString());
        assertEquals(0, replay.status(), replay.err());
        assertEquals(out, replay.out(), "the replay prints the recorded console");

        Cli.Result verify = Cli.run(new byte[0], 900, "verify", trace.toString());
        assertEquals(0, verify.status(), verify.err() + verify.out());
    }

    @Test
    void badFirmwareInputIsOneLineExitTwo() throws Exception {
        Path missing = tmp.resolve("no-such-bios.bin");
        Path empty = Files.createFile(tmp.resolve("empty.bin"));
        Path big = tmp.resolve("big.bin");
        Files.write(big, new byte[3 << 20]); // a raw image of 3 MiB does not fit 2 MiB of RAM
        Path kernel = Files.write(tmp.resolve("k.bin"), new byte[] {0x73, 0, 0x50, 0x10}); // wfi
        for (String[] args : new String[][] {
                {"run", "--no-record", "--bios", missing.toString(), "--kernel", kernel.toString()},
                {"run", "--no-record", "--bios", empty.toString(), "--kernel", kernel.toString()},
                {"run", "--no-record", "--mem", "2", "--bios", big.toString(), "--kernel", kernel.toString()},
                {"run", "--no-record", "--mem", "2", "--bios", kernel.toString(), "--kernel", big.toString()},
                {"run", "--no-record", "--mem", "4", "--bios", kernel.toString(), "--kernel", kernel.toString(),
                        "--initrd", big.toString()},
                {"run", "--no-record", "--kernel", kernel.toString()}, // no bios: the kernel must be an ELF
        }) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), String.join(" ", args) + ": " + r.err());
            assertEquals(1, r.errLines(), String.join(" ", args) + ": " + r.err());
            assertFalse(r.leaksInternals(), r.err());
        }
    }

    /** --initrd and --append change /chosen only; the trace keeps the initrd and the line, and checks both. */
    @Test
    void initrdAndBootargsAreRecordedAndChecked() throws Exception {
        Path kernel = Home.guestBuild().resolve("kernel.elf");
        assumeTrue(Files.isRegularFile(kernel), "guest/build/kernel.elf not built");
        Path initrd = Files.write(tmp.resolve("rd.img"), "an initrd".getBytes(StandardCharsets.US_ASCII));
        Path trace = tmp.resolve("t");
        Cli.Result run = Cli.run("poweroff\n".getBytes(StandardCharsets.US_ASCII), 300, "run", "--trace",
                trace.toString(), "--kernel", kernel.toString(), "--initrd", initrd.toString(), "--append", "a b=c");
        assertEquals(0, run.status(), run.err());
        assertTrue(Files.readString(trace.resolve("header.properties")).contains("append=a b\\=c"));
        Cli.Result verify = Cli.run(new byte[0], 300, "verify", trace.toString());
        assertEquals(0, verify.status(), verify.err() + verify.out());
        Files.write(trace.resolve("initrd.img"), "another".getBytes(StandardCharsets.US_ASCII));
        Cli.Result refused = Cli.run(new byte[0], 300, "verify", trace.toString());
        assertEquals(2, refused.status(), refused.err() + refused.out());
        assertTrue(refused.err().contains("initrd"), refused.err());
        assertFalse(refused.leaksInternals(), refused.err());
    }

    private static String tail(String s) {
        return s.length() <= 3000 ? s : s.substring(s.length() - 3000);
    }
}
