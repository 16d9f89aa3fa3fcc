package dev.tinyos.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class BenchOutputTest {

    @Test
    void findsChecksumAndPass() {
        byte[] out = "bench: start\nbench: checksum 2014d7daa482cd46\nbench: PASS\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Optional.of("2014d7daa482cd46"), BenchOutput.checksum(out));
        assertTrue(BenchOutput.passed(out));
    }

    @Test
    void truncatedOutputHasNoChecksum() {
        byte[] out = "bench: start\nbench: checksum 2014d7".getBytes(StandardCharsets.US_ASCII);
        assertEquals(Optional.empty(), BenchOutput.checksum(out));
        assertFalse(BenchOutput.passed(out));
    }
}
