package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@code --mem}: tiny-os reads the size of RAM from the device tree and works from its minimum
 * (8 MiB) up, with as many free frames as the RAM gives; below it, it panics saying so instead
 * of spinning; sizes no kernel fits in are refused by the CLI.
 */
class MemorySizeTest {
    private static final Pattern FREE = Pattern.compile("tiny-os: (\\d+) pages free");

    private static Cli.Result boot(int mib) throws Exception {
        assumeTrue(Files.isRegularFile(Home.guestBuild().resolve("kernel.elf")), "make -C guest first");
        return Cli.run("poweroff\n".getBytes(StandardCharsets.US_ASCII), 60, "run", "--no-record", "--clock", "virtual",
                "--mem", Integer.toString(mib));
    }

    private static long freePages(Cli.Result r) {
        Matcher m = FREE.matcher(r.out());
        assertTrue(m.find(), r.out());
        return Long.parseLong(m.group(1));
    }

    @Test
    void tinyOsUsesTheRamTheDeviceTreeGives() throws Exception {
        Cli.Result small = boot(8);
        assertEquals(0, small.status(), small.out() + small.err());
        Cli.Result big = boot(300);
        assertEquals(0, big.status(), big.out() + big.err());
        long extra = freePages(big) - freePages(small);
        assertTrue(Math.abs(extra - (292L << 8)) < 1024, "292 MiB more RAM is about 74,752 more free pages: " + extra);
    }

    @Test
    void belowItsMinimumTinyOsPanicsSayingSo() throws Exception {
        for (int mib : new int[] {1, 2, 4, 7}) {
            Cli.Result r = boot(mib);
            assertEquals(1, r.status(), mib + ": " + r.err());
            assertTrue(r.out().contains("KERNEL PANIC") && r.out().contains("needs at least 8 MiB"),
                    mib + " MiB: " + r.out());
        }
    }

    @Test
    void sizesNoGuestCanUseAreRefused() throws Exception {
        for (String bad : new String[] {"0", "-1", "4096"}) {
            Cli.Result r = Cli.run("run", "--no-record", "--mem", bad);
            assertEquals(BadInputException.EXIT_CODE, r.status(), r.err());
            assertEquals(1, r.errLines(), r.err());
            assertTrue(r.err().contains("--mem"), r.err());
        }
    }
}
