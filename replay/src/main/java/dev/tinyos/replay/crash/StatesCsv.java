package dev.tinyos.replay.crash;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code states.csv}: one row per unique crash state of an exploration (tidy CSV, one header
 * row, {@code \n} line ends, UTF-8). Columns: {@code state} (number), {@code id} (the text form
 * {@code --state} accepts), {@code epoch}, {@code crash_icount}, {@code crash_point},
 * {@code family}, {@code writes_in_flight}, {@code writes_kept}, {@code torn} (write and sector
 * range, or empty), {@code duplicates} (generated states with the same image folded into it),
 * {@code fingerprint}, {@code verdict} (pass, fail, or not-checked beyond --max-states),
 * {@code reason}, {@code checker_exit}, {@code checker_icount}, {@code console_sha256_16}.
 */
public final class StatesCsv {
    private StatesCsv() {
    }

    public static void write(Explorer x, Explorer.Report r, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("state,id,epoch,crash_icount,crash_point,committed,family,writes_in_flight,writes_kept,torn,duplicates,"
                    + "fingerprint,verdict,reason,checker_exit,checker_icount,console_sha256_16\n");
            for (Explorer.StateResult s : r.unique) {
                CrashModel.Epoch e = r.model.epochs().get(s.state.epoch);
                Checker.Verdict v = s.verdict();
                String committed = x.committed(e.index);
                String torn = s.state.torn() ? "w" + s.state.tornWrite + " sectors " + s.state.tornFrom + "-"
                        + s.state.tornTo : "";
                String[] cells = {
                    Integer.toString(s.number), s.state.toString(), Integer.toString(e.index),
                    Long.toString(e.crashIcount), e.where(), committed == null ? "" : committed, s.state.family, Integer.toString(e.inFlightCount()),
                    Integer.toString(s.state.keptCount()), torn, Integer.toString(s.duplicates()), s.fingerprint(),
                    v == null ? "not-checked" : v.pass() ? "pass" : "fail", v == null ? "" : v.reason(),
                    v == null ? "" : v.exit(), v == null ? "" : Long.toString(v.icount()),
                    v == null ? "" : v.consoleDigest(),
                };
                for (int i = 0; i < cells.length; i++) {
                    w.write(i == 0 ? "" : ",");
                    w.write(quote(cells[i]));
                }
                w.write('\n');
            }
        }
    }

    static String quote(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) {
            return s;
        }
        return '"' + s.replace("\"", "\"\"").replace('\n', ' ') + '"';
    }
}
