package dev.tinyos.replay;



import dev.tinyos.replay.checkpoint.Checkpoint;
import dev.tinyos.replay.checkpoint.CheckpointException;
import dev.tinyos.replay.checkpoint.CheckpointFile;
import java.nio.file.Path;

/**
 * The fresh JVM of CheckpointTest: opens trace args[0], restores checkpoint file args[1], replays
 * to icount args[2] and prints "OK " + the fingerprint there (or the refusal / outcome).
 */
public final class RestoreMain {
    private RestoreMain() {
    }

    public static void main(String[] args) throws Exception {
        try (Replay replay = Replay.open(Path.of(args[0]), null)) {
            Checkpoint c;
            try {
                c = CheckpointFile.read(Path.of(args[1]), replay);
            } catch (CheckpointException e) {
                System.out.println("REFUSED " + e.getMessage());
                return;
            }
            c.restore(replay);
            ReplayOutcome o = replay.runTo(Long.parseLong(args[2]));
            System.out.println(o.ok() ? "OK " + Fingerprint.of(replay) : "FAILED " + o.message());
        }
    }
}
