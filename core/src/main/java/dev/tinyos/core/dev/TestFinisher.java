package dev.tinyos.core.dev;

import dev.tinyos.core.Device;
import dev.tinyos.core.state.Saveable;
import dev.tinyos.core.state.StateReader;
import dev.tinyos.core.state.StateWriter;

/**
 * The QEMU {@code virt} test/syscon device ("sifive,test0") at 0x0010_0000: a guest store
 * ends the run. {@code 0x5555} requests a passing halt, {@code 0x3333 | code << 16} a failing
 * halt with exit code {@code code}, {@code 0x7777} a reset. Other values are ignored; loads
 * read 0.
 *
 * <p>Invariant: once a request is latched ({@link #request()} != {@link Request#NONE}) later
 * stores do not change it until {@link #clear()}; the machine polls it at slice boundaries
 * (every device store ends the hart's slice, so the poll happens right after the store).
 */
public final class TestFinisher implements Device, Saveable {
    /** What the guest asked for. */
    public enum Request { NONE, PASS, FAIL, RESET }

    public static final int FINISHER_FAIL = 0x3333;
    public static final int FINISHER_PASS = 0x5555;
    public static final int FINISHER_RESET = 0x7777;

    private Request request = Request.NONE;
    private int code;

    @Override
    public void save(StateWriter w) {
        w.writeInt(request.ordinal());
        w.writeInt(code);
    }

    @Override
    public void restore(StateReader r) {
        request = Request.values()[r.readInt(0, Request.values().length - 1, "the finisher request")];
        code = r.readInt();
    }

    @Override
    public long size() {
        return 0x1000;
    }

    @Override
    public long load(long offset, int size) {
        return 0;
    }

    @Override
    public void store(long offset, int size, long value) {
        if (offset != 0 || request != Request.NONE) {
            return;
        }
        int v = (int) value;
        switch (v & 0xFFFF) {
            case FINISHER_PASS:
                request = Request.PASS;
                code = 0;
                break;
            case FINISHER_FAIL:
                request = Request.FAIL;
                code = size >= 4 ? (v >>> 16) & 0xFFFF : 0;
                break;
            case FINISHER_RESET:
                request = Request.RESET;
                code = 0;
                break;
            default:
                break;
        }
    }

    /** The latched request, or {@link Request#NONE}. */
    public Request request() {
        return request;
    }

    /** The exit code of a {@link Request#FAIL} request (0 otherwise). */
    public int code() {
        return code;
    }

    /** Forgets the latched request (used when the board is reset). */
    public void clear() {
        request = Request.NONE;
        code = 0;
    }
}
