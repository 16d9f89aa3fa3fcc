package dev.tinyos.replay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** The console's restorable CRC-32C computes what java.util.zip.CRC32C does, and continues from a set value. */
class Crc32cTest {
    @Test
    void sameValuesAsTheJdkAndContinuesFromARestoredValue() {
        SplittableRandom r = new SplittableRandom(16);
        byte[] b = new byte[5000];
        r.nextBytes(b);
        CRC32C jdk = new CRC32C();
        Crc32c mine = new Crc32c();
        assertEquals(jdk.getValue(), mine.getValue());
        for (int i = 0; i < 3000; i++) {
            jdk.update(b[i]);
            mine.update(b[i]);
        }
        jdk.update(b, 3000, 2000);
        Crc32c restored = new Crc32c();
        restored.setValue(mine.getValue());
        mine.update(b, 3000, 2000);
        restored.update(b, 3000, 2000);
        assertEquals(jdk.getValue(), mine.getValue());
        assertEquals(jdk.getValue(), restored.getValue());
    }
}
