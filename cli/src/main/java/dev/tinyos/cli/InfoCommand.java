package dev.tinyos.cli;

import dev.tinyos.replay.EventKind;
import dev.tinyos.replay.Trace;
import dev.tinyos.replay.TraceHeader;
import dev.tinyos.replay.TraceException;
import dev.tinyos.replay.TraceSummary;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos info TRACE}: the header, guest instructions and guest time, event counts by
 * kind and the size on disk. Invariant: reads the trace, never runs it.
 */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Show a trace's header, guest instructions and time, events by kind and size on disk.")
public final class InfoCommand implements Callable<Integer> {
    @Parameters(paramLabel = "TRACE", description = "trace directory")
    Path trace;

    @Override
    public Integer call() {
        try {
            Trace t = Trace.open(trace);
            TraceSummary s = TraceSummary.scan(t);
            t.checkDisk(); // what verify would refuse, info refuses too
            TraceHeader h = t.header();
            System.out.println("trace:        " + t.dir());
            System.out.println("format:       version " + h.formatVersion + ", created " + h.created);
            System.out.println("machine:      revision " + h.machineRevision() + ", " + h.machine().memoryMiB() + " MiB, kernel "
                    + h.kernelName + " (sha256 " + h.kernelSha256.substring(0, 16) + "...)");
            if (h.biosSha256 != null || h.initrdSha256 != null || h.machine().append() != null) {
                System.out.println("boot:         bios " + (h.biosSha256 == null ? "none" : h.biosName + " (sha256 "
                        + h.biosSha256.substring(0, 16) + "...)") + ", initrd " + (h.initrdSha256 == null ? "none"
                        : "sha256 " + h.initrdSha256.substring(0, 16) + "...") + (h.machine().append() == null ? ""
                        : ", append '" + h.machine().append() + "'"));
            }
            System.out.println("disk:         " + (h.hasDisk() ? String.format(Locale.ROOT, "%,d bytes%s (sha256 %s...)",
                    h.diskBytes, h.machine().diskReadOnly() ? ", read-only" : "", h.diskSha256.substring(0, 16)) : "none"));
            java.nio.file.Path fin = t.dir().resolve(dev.tinyos.replay.RecordSession.FINAL_DISK);
            if (java.nio.file.Files.isRegularFile(fin)) {
                System.out.println("final disk:   " + fin + " (the guest's disk after the run; replay does not need it)");
            }
            System.out.println("clock:        " + h.clock().kind().key() + ", " + h.clock().ipt() + " instructions per mtime tick, digest every "
                    + h.digestInterval + " instructions");
            long icount = s.endIcount();
            double seconds = (icount + s.lastSkew()) / (double) h.clock().ipt() / 10_000_000.0;
            System.out.println(String.format(Locale.ROOT, "guest:        %,d instructions, %.3f s of guest time", icount,
                    seconds));
            System.out.println("end:          " + (s.hasEnd() ? reason(s.end().reason) + ", exit " + s.end().exitCode
                    : "none (the recording stopped early: its recorder was killed or its host disk filled up; replays up to the last event)"));
            StringBuilder kinds = new StringBuilder();
            for (int k = 1; k < EventKind.MAX; k++) {
                kinds.append(kinds.length() == 0 ? "" : ", ").append(EventKind.name(k)).append(' ').append(s.count(k));
            }
            System.out.println("events:       " + s.events() + " (" + kinds + ")");
            System.out.println(String.format(Locale.ROOT, "size on disk: %,d bytes of files (apparent size; queue "
                    + "files are sparse), of which events %,d bytes", s.apparentBytes(), s.eventBytes()));
            return 0;
        } catch (TraceException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }

    private static String reason(int ordinal) {
        return dev.tinyos.replay.Replay.reasonName(ordinal);
    }
}
