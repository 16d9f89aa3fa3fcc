package dev.tinyos.replay.gdb;

import java.nio.charset.StandardCharsets;

/**
 * The remote protocol's hex spellings: register values as little-endian byte strings (RISC-V
 * is little-endian), memory as bytes, and text (monitor output, qRcmd commands) as hex pairs.
 * Invariant: pure functions; {@link #parseLong} accepts only hex digits.
 */
final class Hex {
    private Hex() {
    }

    /** {@code v} as 8 little-endian bytes, 16 hex digits. */
    static String le64(long v) {
        StringBuilder b = new StringBuilder(16);
        for (int i = 0; i < 8; i++) {
            int byteVal = (int) (v >>> (8 * i)) & 0xff;
            b.append(Character.forDigit(byteVal >> 4, 16)).append(Character.forDigit(byteVal & 0xf, 16));
        }
        return b.toString();
    }

    static String bytes(byte[] data, int len) {
        StringBuilder b = new StringBuilder(2 * len);
        for (int i = 0; i < len; i++) {
            b.append(Character.forDigit((data[i] >> 4) & 0xf, 16)).append(Character.forDigit(data[i] & 0xf, 16));
        }
        return b.toString();
    }

    static String text(String s) {
        byte[] raw = s.getBytes(StandardCharsets.UTF_8);
        return bytes(raw, raw.length);
    }

    /** The text spelled by hex pairs {@code hex}; throws NumberFormatException for other input. */
    static String decodeText(String hex) {
        if (hex.length() % 2 != 0) {
            throw new NumberFormatException("odd hex length");
        }
        byte[] raw = new byte[hex.length() / 2];
        for (int i = 0; i < raw.length; i++) {
            raw[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return new String(raw, StandardCharsets.UTF_8);
    }

    /** An unsigned hex number of up to 16 digits. */
    static long parseLong(String s) {
        if (s.isEmpty() || s.length() > 16) {
            throw new NumberFormatException("not a 64-bit hex number: " + s);
        }
        return Long.parseUnsignedLong(s, 16);
    }
}
