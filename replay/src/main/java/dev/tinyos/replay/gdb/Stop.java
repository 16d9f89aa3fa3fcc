package dev.tinyos.replay.gdb;

/**
 * Why the target stopped, as the remote protocol reports it: a stop reply {@code T05} with the
 * reason's key ({@code swbreak}, {@code watch}/{@code rwatch}/{@code awatch} with the address,
 * {@code replaylog:begin}/{@code end} at the edges of a replay), {@code T02} for an interrupt,
 * or {@code W} with the exit code when the machine has ended.
 */
public record Stop(Kind kind, long address, int exitCode) {
    public enum Kind { STEP, BREAKPOINT, WATCH_WRITE, WATCH_READ, WATCH_ACCESS, INTERRUPTED, LOG_BEGIN, LOG_END, EXITED }

    public static Stop of(Kind kind) {
        return new Stop(kind, 0, 0);
    }

    /** The stop reply packet. */
    String reply() {
        return switch (kind) {
            case STEP -> "T05thread:1;";
            case BREAKPOINT -> "T05swbreak:;thread:1;";
            case WATCH_WRITE -> "T05watch:" + Long.toHexString(address) + ";thread:1;";
            case WATCH_READ -> "T05rwatch:" + Long.toHexString(address) + ";thread:1;";
            case WATCH_ACCESS -> "T05awatch:" + Long.toHexString(address) + ";thread:1;";
            case INTERRUPTED -> "T02thread:1;";
            case LOG_BEGIN -> "T05replaylog:begin;thread:1;";
            case LOG_END -> "T05replaylog:end;thread:1;";
            case EXITED -> String.format("W%02x", exitCode & 0xff);
        };
    }
}
