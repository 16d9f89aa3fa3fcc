package dev.tinyos.replay.checkpoint;

import dev.tinyos.replay.Replay;
import dev.tinyos.replay.TraceHeader;

/**
 * What makes a checkpoint belong to one trace: the trace's creation stamp, kernel and disk
 * hashes, RAM size and its last icount. Invariant: two traces with the same identity replay the
 * same run (copies of one trace directory have the same identity).
 */
final class TraceIdentity {
    private TraceIdentity() {
    }

    static String of(Replay replay) {
        TraceHeader h = replay.trace().header();
        var s = replay.summary();
        return "created " + h.created + ", kernel " + h.kernelSha256 + ", disk " + h.diskSha256 + ", "
                + h.machine().memoryMiB() + " MiB, ends at icount " + (s.hasEnd() ? s.endIcount() : s.lastIcount());
    }
}
