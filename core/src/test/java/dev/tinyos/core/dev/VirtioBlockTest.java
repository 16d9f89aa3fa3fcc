package dev.tinyos.core.dev;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.tinyos.core.cpu.Ram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Drives the virtio-mmio block device with a virtqueue built by hand in RAM. */
class VirtioBlockTest {
    private static final long BASE = 0x8000_0000L;
    private static final long DESC = BASE + 0x1000, AVAIL = BASE + 0x2000, USED = BASE + 0x3000;
    private static final long HDR = BASE + 0x4000, DATA = BASE + 0x5000, STATUS = BASE + 0x6000;
    private static final int SECTORS = 16;
    private static final int QN = 8;

    @TempDir
    Path dir;
    private Path image;
    private final Ram ram = new Ram(BASE, 1 << 20);
    private final List<Long> started = new ArrayList<>();
    private BlockBackend backend;
    private VirtioBlock blk;
    private VirtioMmio mmio;
    private int availIdx;

    static byte pattern(long offset) {
        return (byte) (31 * (offset >> 9) + offset);
    }

    @BeforeEach
    void setUp() throws IOException {
        byte[] img = new byte[SECTORS * 512];
        for (int i = 0; i < img.length; i++) {
            img[i] = pattern(i);
        }
        image = dir.resolve("disk.img");
        Files.write(image, img);
        open(false);
    }

    private void open(boolean readOnly) throws IOException {
        backend = BlockBackend.open(image, readOnly);
        blk = new VirtioBlock(backend, 3, (dev, tag) -> {
            assertEquals(3, dev);
            started.add(tag);
        });
        mmio = new VirtioMmio(ram, blk);
    }

    @AfterEach
    void tearDown() throws IOException {
        backend.close();
    }

    private long reg(int off) {
        return mmio.load(off, 4);
    }

    private void reg(int off, long v) {
        mmio.store(off, 4, v);
    }

    private void driverInit() {
        reg(0x070, 0);
        reg(0x070, 3);
        reg(0x024, 1);
        reg(0x020, 1);
        reg(0x070, 3 | 8);
        assertEquals(11, reg(0x070), "FEATURES_OK accepted");
        reg(0x030, 0);
        reg(0x038, QN);
        reg(0x080, DESC);
        reg(0x084, DESC >>> 32);
        reg(0x090, AVAIL);
        reg(0x094, 0);
        reg(0x0a0, USED);
        reg(0x0a4, 0);
        reg(0x044, 1);
        reg(0x070, 15);
    }

    private void desc(int i, long addr, int len, int flags, int next) {
        int o = (int) (DESC - BASE) + 16 * i;
        ram.store64(o, addr);
        ram.store32(o + 8, len);
        ram.store16(o + 12, flags);
        ram.store16(o + 14, next);
    }

    /** Queues header -> data(len) -> status as one chain and notifies. */
    private void submit(int type, long sector, int len, boolean deviceWrites) {
        ram.store32((int) (HDR - BASE), type);
        ram.store64((int) (HDR - BASE) + 8, sector);
        ram.store8((int) (STATUS - BASE), 0xEE);
        if (len > 0) {
            desc(0, HDR, 16, 1, 1);
            desc(1, DATA, len, 1 | (deviceWrites ? 2 : 0), 2);
        } else {
            desc(0, HDR, 16, 1, 2);
        }
        desc(2, STATUS, 1, 2, 0);
        int a = (int) (AVAIL - BASE);
        ram.store16(a + 4 + 2 * (availIdx % QN), 0);
        availIdx++;
        ram.store16(a + 2, availIdx);
        reg(0x050, 0);
    }

    private int status() {
        return ram.load8((int) (STATUS - BASE)) & 0xFF;
    }

    private int usedIdx() {
        return ram.load16((int) (USED - BASE) + 2) & 0xFFFF;
    }

    private long lastTag() {
        return started.get(started.size() - 1);
    }

    @Test
    void identityAndConfig() {
        assertEquals(0x74726976L, reg(0));
        assertEquals(2, reg(4));
        assertEquals(2, reg(8));
        assertEquals(0x554D4551L, reg(0x00c));
        reg(0x014, 0);
        assertEquals(VirtioBlock.F_FLUSH | VirtioBlock.F_BLK_SIZE, reg(0x010));
        reg(0x014, 1);
        assertEquals(1, reg(0x010));
        assertEquals(SECTORS, mmio.load(0x100, 8));
        assertEquals(512, mmio.load(0x100 + 20, 4));
        assertEquals(256, reg(0x034));
        reg(0x030, 1);
        assertEquals(0, reg(0x034), "only one queue");
    }

    @Test
    void emptySlotLooksLikeQemu() {
        VirtioMmio empty = new VirtioMmio(ram, null);
        assertEquals(0x74726976L, empty.load(0, 4));
        assertEquals(2, empty.load(4, 4));
        assertEquals(0, empty.load(8, 4));
        assertEquals(0x554D4551L, empty.load(0xc, 4));
        assertEquals(0, empty.load(0x34, 4));
    }

    @Test
    void featuresOkWithoutVersion1AsOnQemu() {
        reg(0x070, 3);
        reg(0x024, 0);
        reg(0x020, VirtioBlock.F_FLUSH);
        reg(0x070, 3 | 8);
        assertEquals(11, reg(0x070), "FEATURES_OK sticks without VIRTIO_F_VERSION_1 (QEMU accepts such drivers)");
    }

    @Test
    void featuresOkRefusedForFeaturesNotOffered() {
        reg(0x070, 3);
        reg(0x024, 1);
        reg(0x020, 1 | 2);
        reg(0x070, 3 | 8);
        assertEquals(3, reg(0x070), "nor with a feature the device did not offer");
    }

    @Test
    void readCompletesOnlyWhenTheSourceSaysSo() {
        driverInit();
        submit(VirtioBlock.T_IN, 2, 1024, true);
        assertEquals(1, started.size());
        assertEquals(0xEE, status(), "nothing visible before completion");
        assertEquals(0, ram.load8((int) (DATA - BASE)));
        assertEquals(0, usedIdx());
        assertFalse(mmio.interruptPending());
        ram.clearDirty();
        blk.complete(lastTag());
        assertEquals(0, status());
        assertEquals(1, usedIdx());
        assertEquals(1025, ram.load32((int) (USED - BASE) + 8), "used len = data + status byte");
        for (int i = 0; i < 1024; i++) {
            assertEquals(pattern(1024 + i), (byte) ram.load8((int) (DATA - BASE) + i));
        }
        assertTrue(ram.isDirty((int) (DATA - BASE)), "DMA marks pages dirty");
        assertTrue(mmio.interruptPending());
        assertEquals(1, reg(0x060));
        reg(0x064, 1);
        assertFalse(mmio.interruptPending());
        blk.complete(lastTag());
        assertEquals(1, usedIdx(), "a tag completes once");
    }

    @Test
    void writeDataIsTakenAtNotify() throws IOException {
        driverInit();
        byte[] data = new byte[512];
        for (int i = 0; i < 512; i++) {
            data[i] = (byte) (0xA5 ^ i);
        }
        ram.write((int) (DATA - BASE), data, 0, 512);
        submit(VirtioBlock.T_OUT, 3, 512, false);
        ram.zero((int) (DATA - BASE), 512);
        submit(VirtioBlock.T_FLUSH, 0, 0, false);
        blk.complete(started.get(0));
        blk.complete(started.get(1));
        assertEquals(2, usedIdx());
        assertEquals(0, status());
        byte[] img = Files.readAllBytes(image);
        assertArrayEquals(data, java.util.Arrays.copyOfRange(img, 3 * 512, 4 * 512));
        assertEquals(pattern(4 * 512), img[4 * 512], "neighbours untouched");
    }

    private byte[] sectorData(int seed) {
        byte[] d = new byte[512];
        for (int i = 0; i < 512; i++) {
            d[i] = (byte) (seed * 7 + i);
        }
        return d;
    }

    /** Submits a one-sector OUT of {@code data} to {@code sector}; returns its tag. */
    private long write(long sector, byte[] data) {
        ram.write((int) (DATA - BASE), data, 0, data.length);
        submit(VirtioBlock.T_OUT, sector, data.length, false);
        return lastTag();
    }

    private byte[] imageSector(long sector) throws IOException {
        return java.util.Arrays.copyOfRange(Files.readAllBytes(image), (int) sector * 512, (int) sector * 512 + 512);
    }

    private byte[] original(long sector) {
        byte[] d = new byte[512];
        for (int i = 0; i < 512; i++) {
            d[i] = pattern(sector * 512 + i);
        }
        return d;
    }

    @Test
    void notifyNeverCompletesSynchronously() throws IOException {
        driverInit();
        long tag = write(4, sectorData(1));
        submit(VirtioBlock.T_FLUSH, 0, 0, false);
        assertEquals(2, blk.inFlight());
        assertEquals(0, usedIdx(), "nothing completes inside the MMIO write");
        assertEquals(0xEE, status());
        assertArrayEquals(original(4), imageSector(4), "the image is untouched at submission");
        assertEquals(0, blk.cache().dirtySectors(), "not even the cache holds the data yet");
        blk.complete(tag);
        assertEquals(1, blk.cache().dirtySectors());
        assertArrayEquals(original(4), imageSector(4), "a completed write sits in the cache");
    }

    @Test
    void completedAndFlushedWritesAreOnTheImage() throws IOException {
        driverInit();
        blk.complete(write(2, sectorData(2)));
        submit(VirtioBlock.T_FLUSH, 0, 0, false);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_OK, status());
        assertArrayEquals(sectorData(2), imageSector(2));
        assertEquals(0, blk.cache().dirtySectors());
        blk.complete(write(5, sectorData(5)));
        PowerCut cut = blk.powerCut();
        assertEquals(new PowerCut(1, 0), cut);
        assertArrayEquals(sectorData(2), imageSector(2), "flushed data survives the cut");
        assertArrayEquals(original(5), imageSector(5), "the unflushed write is lost");
    }

    @Test
    void powerCutDropsUnflushedAndInFlightWrites() throws IOException {
        driverInit();
        blk.complete(write(1, sectorData(1)));
        long pending = write(3, sectorData(3));
        submit(VirtioBlock.T_FLUSH, 0, 0, false);
        long flush = lastTag();
        assertEquals(new PowerCut(1, 2), blk.powerCut());
        blk.complete(pending);
        blk.complete(flush);
        assertEquals(1, usedIdx(), "nothing completes after the cut");
        assertEquals(0, blk.shutdown(), "nothing left to write back");
        assertArrayEquals(original(1), imageSector(1));
        assertArrayEquals(original(3), imageSector(3), "an in-flight write never reaches the image");
        byte[] img = Files.readAllBytes(image);
        for (int i = 0; i < img.length; i++) {
            assertEquals(pattern(i), img[i], "image unchanged at byte " + i);
        }
    }

    @Test
    void cleanShutdownWritesCompletedWritesBack() throws IOException {
        driverInit();
        blk.complete(write(6, sectorData(6)));
        long pending = write(7, sectorData(7));
        assertEquals(1, blk.shutdown());
        assertArrayEquals(sectorData(6), imageSector(6));
        assertArrayEquals(original(7), imageSector(7), "never completed, never written");
        blk.complete(pending);
        assertEquals(1, usedIdx());
    }

    @Test
    void readsSeeTheirOwnCachedWritesAtCompletionTime() throws IOException {
        driverInit();
        blk.complete(write(8, sectorData(8)));
        submit(VirtioBlock.T_IN, 7, 1536, true); // sectors 7, 8 (cached), 9
        long read = lastTag();
        blk.complete(write(9, sectorData(9))); // completes before the read: the read sees it
        ram.zero((int) (DATA - BASE), 1536);
        blk.complete(read);
        assertEquals(VirtioBlock.S_OK, status());
        byte[] got = new byte[1536];
        ram.read((int) (DATA - BASE), got, 0, got.length);
        assertArrayEquals(original(7), java.util.Arrays.copyOfRange(got, 0, 512));
        assertArrayEquals(sectorData(8), java.util.Arrays.copyOfRange(got, 512, 1024));
        assertArrayEquals(sectorData(9), java.util.Arrays.copyOfRange(got, 1024, 1536));
        assertArrayEquals(original(8), imageSector(8), "reading does not write back");
    }

    @Test
    void fullCacheWritesTheOldestSectorsBackEarly() throws IOException {
        backend.close();
        backend = BlockBackend.open(image, false);
        blk = new VirtioBlock(new WriteCache(backend, 2), 3, (dev, tag) -> started.add(tag));
        mmio = new VirtioMmio(ram, blk);
        driverInit();
        blk.complete(write(1, sectorData(1)));
        blk.complete(write(2, sectorData(2)));
        blk.complete(write(1, sectorData(11))); // rewriting sector 1 makes sector 2 the oldest
        assertArrayEquals(original(2), imageSector(2));
        blk.complete(write(3, sectorData(3)));
        assertEquals(2, blk.cache().dirtySectors());
        assertEquals(1, blk.cache().evictedSectors());
        assertArrayEquals(sectorData(2), imageSector(2), "the oldest write went to the image");
        assertEquals(new PowerCut(2, 0), blk.powerCut());
        assertArrayEquals(original(1), imageSector(1));
        assertArrayEquals(original(3), imageSector(3));
    }

    @Test
    void partialSectorTransfersAreIoErrors() {
        driverInit();
        submit(VirtioBlock.T_IN, 0, 100, true);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_IOERR, status());
        submit(VirtioBlock.T_OUT, 0, 700, false);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_IOERR, status());
        assertEquals(0, blk.cache().dirtySectors());
    }

    @Test
    void errorsAndGetId() {
        driverInit();
        submit(VirtioBlock.T_IN, SECTORS - 1, 1024, true);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_IOERR, status());
        submit(42, 0, 0, false);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_UNSUPP, status());
        submit(VirtioBlock.T_GET_ID, 0, 20, true);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_OK, status());
        byte[] id = new byte[VirtioBlock.ID.length()];
        ram.read((int) (DATA - BASE), id, 0, id.length);
        assertEquals(VirtioBlock.ID, new String(id));
    }

    @Test
    void readOnlyImageRefusesWrites() throws IOException {
        backend.close();
        open(true);
        reg(0x014, 0);
        assertTrue((reg(0x010) & VirtioBlock.F_RO) != 0);
        driverInit();
        submit(VirtioBlock.T_OUT, 0, 512, false);
        blk.complete(lastTag());
        assertEquals(VirtioBlock.S_IOERR, status());
    }

    @Test
    void noInterruptFlagIsHonoured() {
        driverInit();
        ram.store16((int) (AVAIL - BASE), Virtqueue.AVAIL_F_NO_INTERRUPT);
        submit(VirtioBlock.T_IN, 0, 512, true);
        blk.complete(lastTag());
        assertEquals(1, usedIdx());
        assertFalse(mmio.interruptPending());
    }

    @Test
    void resetDropsInFlightRequests() {
        driverInit();
        submit(VirtioBlock.T_IN, 0, 512, true);
        assertEquals(1, blk.inFlight());
        reg(0x070, 0);
        assertEquals(0, blk.inFlight());
        assertEquals(0, reg(0x070));
        assertEquals(0, reg(0x044), "queue no longer ready");
        blk.complete(lastTag());
        assertEquals(0xEE, status(), "a dropped request never completes");
    }

    @Test
    void badRingAddressNeedsReset() {
        driverInit();
        reg(0x070, 0);
        driverInit();
        reg(0x044, 0);
        reg(0x080, 0x1000); // outside RAM
        reg(0x084, 0);
        reg(0x044, 1);
        submit(VirtioBlock.T_IN, 0, 512, true);
        assertTrue((reg(0x070) & VirtioMmio.STATUS_NEEDS_RESET) != 0);
        assertEquals(2, reg(0x060), "configuration-change interrupt");
        assertTrue(started.isEmpty());
    }

    @Test
    void notifyBeforeDriverOkIsIgnored() {
        reg(0x070, 3);
        submit(VirtioBlock.T_IN, 0, 512, true);
        assertTrue(started.isEmpty());
    }
}
