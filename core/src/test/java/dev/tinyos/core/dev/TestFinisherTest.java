package dev.tinyos.core.dev;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TestFinisherTest {
    @Test
    void passFailResetAndIgnoredValues() {
        TestFinisher f = new TestFinisher();
        f.store(0, 4, 0x1234);
        assertEquals(TestFinisher.Request.NONE, f.request());
        f.store(0, 4, 0x3333 | (42 << 16));
        assertEquals(TestFinisher.Request.FAIL, f.request());
        assertEquals(42, f.code());
        f.store(0, 4, 0x5555);
        assertEquals(TestFinisher.Request.FAIL, f.request(), "the first request sticks");
        f.clear();
        f.store(0, 4, 0x5555);
        assertEquals(TestFinisher.Request.PASS, f.request());
        f.clear();
        f.store(0, 4, 0x7777);
        assertEquals(TestFinisher.Request.RESET, f.request());
        assertEquals(0, f.load(0, 4));
    }
}
