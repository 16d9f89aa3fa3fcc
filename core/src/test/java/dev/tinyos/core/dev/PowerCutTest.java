package dev.tinyos.core.dev;

import dev.tinyos.core.testing.GuestBuild;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.ExitReason;
import dev.tinyos.core.Machine;
import dev.tinyos.core.MachineConfig;
import dev.tinyos.core.RunResult;
import dev.tinyos.core.input.InputSink;
import dev.tinyos.core.input.InputSource;
import dev.tinyos.core.input.VirtualClock;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The write model end to end: guest/tests/board/blkcut.c writes sector 1 and flushes, writes
 * sector 2 without a flush, then writes sector 3; the machine's power is cut at its markers or
 * it shuts down cleanly, and the image is compared with what the model promises.
 */
class PowerCutTest {
    static final long LIMIT = 50_000_000L;
    static final int SECTORS = 64;

    @TempDir
    Path dir;
    private Path disk;
    private final ByteArrayOutputStream console = new ByteArrayOutputStream();
    private Machine machine;

    static Path program(String name) {
        return GuestBuild.board(name);
    }

    @BeforeEach
    void boot() throws IOException {
        disk = dir.resolve("cut.img");
        Files.write(disk, new byte[SECTORS * 512]);
        machine = new Machine(MachineConfig.builder().kernel(program("blkcut")).disk(disk)
                .console(console).input(new VirtualClock()).build());
    }

    private String console() {
        return console.toString(StandardCharsets.ISO_8859_1);
    }

    /** Runs in small steps until the console shows {@code marker}; fails if the run ends first. */
    private void runUntil(String marker) {
        while (!console().contains(marker)) {
            RunResult r = machine.run(50);
            assertEquals(ExitReason.INSTRUCTION_LIMIT, r.reason(), console());
        }
    }

    private void assertSector(int sector, int fill) throws IOException {
        byte[] img = Files.readAllBytes(disk);
        byte[] want = new byte[512];
        Arrays.fill(want, (byte) fill);
        assertArrayEquals(want, Arrays.copyOfRange(img, sector * 512, sector * 512 + 512),
                "sector " + sector + " should be all 0x" + Integer.toHexString(fill));
    }

    @Test
    void cutWhileAWriteIsInFlight() throws IOException {
        runUntil("blkcut: in flight");
        assertEquals(1, machine.block().inFlight(), "the completion lies a fixed latency ahead");
        assertEquals(1, machine.block().cache().dirtySectors(), "sector 2 completed, unflushed");
        PowerCut cut = machine.powerCut();
        assertEquals(new PowerCut(1, 1), cut);
        assertEquals(ExitReason.STOPPED, machine.run(LIMIT).reason(), "no power, no progress");
        machine.close();
        assertSector(1, 0x11);
        assertSector(2, 0);
        assertSector(3, 0);
    }

    @Test
    void cutAfterCompletedButUnflushedWrites() throws IOException {
        runUntil("blkcut: unflushed");
        assertEquals(0, machine.block().inFlight());
        assertEquals(new PowerCut(2, 0), machine.powerCut());
        machine.close();
        assertSector(1, 0x11);
        assertSector(2, 0);
        assertSector(3, 0);
        assertTrue(!console().contains("FAIL"), console());
    }

    @Test
    void cleanShutdownWritesEverythingCompleted() throws IOException {
        RunResult r = machine.run(LIMIT);
        assertEquals(ExitReason.FINISHER_PASS, r.reason(), console());
        assertTrue(!console().contains("FAIL"), console());
        assertSector(1, 0x11);
        assertSector(2, 0x22);
        assertSector(3, 0x33);
        assertEquals(PowerCut.NONE, machine.powerCut(), "after a halt there is nothing to lose");
        machine.close();
        assertSector(3, 0x33);
    }

    @Test
    void closeAfterAnInstructionLimitIsACleanShutdown() throws IOException {
        runUntil("blkcut: unflushed");
        machine.close();
        assertSector(2, 0x22);
        assertSector(3, 0x33);
    }

    /** Watches the clock: the virtual time at which each request started and completed. */
    static final class Watch implements InputSource {
        final VirtualClock clock = new VirtualClock();
        final Map<Long, Long> startedAt = new HashMap<>();
        final Map<Long, Long> completedAt = new HashMap<>();

        public long mtime(long icount) { return clock.mtime(icount); }
        public long icountForMtime(long icount, long target) { return clock.icountForMtime(icount, target); }
        public long nextInputAt(long icount) { return clock.nextInputAt(icount); }
        public void idle(long icount, long wakeMtime) { clock.idle(icount, wakeMtime); }
        public boolean exhausted() { return clock.exhausted(); }

        public void requestStarted(int device, long tag, long icount) {
            startedAt.put(tag, icount + clock.skew());
            clock.requestStarted(device, tag, icount);
        }

        public void deliver(long icount, InputSink sink) {
            clock.deliver(icount, new InputSink() {
                public boolean uartCanReceive() { return sink.uartCanReceive(); }
                public void uartByte(int b) { sink.uartByte(b); }
                public void stop() { sink.stop(); }
                public void requestCompleted(int device, long tag) {
                    assertTrue(startedAt.containsKey(tag), "completion of a request never started");
                    completedAt.put(tag, icount + clock.skew());
                    sink.requestCompleted(device, tag);
                }
            });
        }
    }

    @Test
    void everyRequestCompletesExactlyOneLatencyAfterItStarted() throws IOException {
        machine.close();
        Watch watch = new Watch();
        machine = new Machine(MachineConfig.builder().kernel(program("blkcut")).disk(disk)
                .console(console).input(watch).build());
        assertEquals(ExitReason.FINISHER_PASS, machine.run(LIMIT).reason(), console());
        assertEquals(5, watch.startedAt.size(), "write, flush, write, read back, write");
        assertEquals(watch.startedAt.keySet(), watch.completedAt.keySet());
        for (long tag : watch.startedAt.keySet()) {
            assertEquals(VirtualClock.DEFAULT_LATENCY, watch.completedAt.get(tag) - watch.startedAt.get(tag),
                    "request " + tag + " completes a fixed latency (in virtual instructions) after it started");
        }
    }
}
