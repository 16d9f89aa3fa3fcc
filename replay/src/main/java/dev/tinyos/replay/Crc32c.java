package dev.tinyos.replay;

/**
 * CRC-32C (Castagnoli, the value {@link java.util.zip.CRC32C} computes) whose running state can
 * be read and set, so a checkpoint can restore the console digest. Invariant: {@link #getValue}
 * equals {@code java.util.zip.CRC32C}'s value over the same bytes since the last
 * {@link #setValue} (or creation), continued from the value set.
 */
final class Crc32c {
    private static final int[] TABLE = new int[256];

    static {
        for (int n = 0; n < 256; n++) {
            int c = n;
            for (int k = 0; k < 8; k++) {
                c = (c & 1) != 0 ? (c >>> 1) ^ 0x82F63B78 : c >>> 1;
            }
            TABLE[n] = c;
        }
    }

    /** The register, not inverted. */
    private int crc = 0xFFFF_FFFF;

    void update(int b) {
        crc = (crc >>> 8) ^ TABLE[(crc ^ b) & 0xFF];
    }

    void update(byte[] b, int off, int len) {
        int c = crc;
        for (int i = off; i < off + len; i++) {
            c = (c >>> 8) ^ TABLE[(c ^ b[i]) & 0xFF];
        }
        crc = c;
    }

    long getValue() {
        return ~crc & 0xFFFF_FFFFL;
    }

    /** Continues from a value {@link #getValue} returned. */
    void setValue(long value) {
        crc = ~(int) value;
    }
}
