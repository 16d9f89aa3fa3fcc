package dev.tinyos.replay.crash;

import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One possible on-disk state after a power cut, as a pure description: the epoch (crash
 * point), which of its in-flight writes reached the medium whole ({@link #kept}, write ids in
 * apply order), and at most one torn write of which only sectors {@code [tornFrom, tornTo)}
 * (relative to its first sector) reached it. The image is a pure function of the trace and this
 * description ({@link SectorSpace}), so a state can be checked anywhere, by anyone.
 *
 * <p>Text form (what the CSV prints and {@code --state} accepts):
 * {@code e<epoch>:<ids>[:t<id>@<from>-<to>]}, the kept ids as a comma-separated list of ids
 * and ranges, e.g. {@code e3:5,7:t6@0-4} or {@code e0:0-254,256} ({@code e3:} keeps nothing but
 * the durable writes).
 *
 * <p>Invariant: {@code kept} is strictly ascending; the torn write is not in {@code kept} and
 * {@code 0 <= tornFrom < tornTo}.
 */
public final class CrashState {
    private static final Pattern TEXT = Pattern.compile("e(\\d+):([0-9,-]*)(?::t(\\d+)@(\\d+)-(\\d+))?");

    public final int epoch;
    final int[] kept;
    public final int tornWrite;
    public final int tornFrom;
    public final int tornTo;
    /** How the enumeration found it: subset, prefix, omit, random, torn (not part of its identity). */
    public final String family;

    public CrashState(int epoch, int[] kept, int tornWrite, int tornFrom, int tornTo, String family) {
        for (int i = 1; i < kept.length; i++) {
            if (kept[i] <= kept[i - 1]) {
                throw new IllegalArgumentException("kept writes must be ascending");
            }
        }
        if (tornWrite >= 0 && (tornFrom < 0 || tornTo <= tornFrom || Arrays.binarySearch(kept, tornWrite) >= 0)) {
            throw new IllegalArgumentException("bad torn write");
        }
        this.epoch = epoch;
        this.kept = kept;
        this.tornWrite = tornWrite;
        this.tornFrom = tornFrom;
        this.tornTo = tornTo;
        this.family = family;
    }

    /** A state with whole writes only. */
    public CrashState(int epoch, int[] kept, String family) {
        this(epoch, kept, -1, 0, 0, family);
    }

    /** Parses the text form; throws IllegalArgumentException with a sentence if it is not one. */
    public static CrashState parse(String s) {
        Matcher m = TEXT.matcher(s.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException("'" + s + "' is not a crash state (expected e.g. e3:5,7 or e3:5,7:t6@0-4)");
        }
        int[] kept = ids(m.group(2), s);
        int torn = m.group(3) == null ? -1 : Integer.parseInt(m.group(3));
        int from = torn < 0 ? 0 : Integer.parseInt(m.group(4));
        int to = torn < 0 ? 0 : Integer.parseInt(m.group(5));
        return new CrashState(Integer.parseInt(m.group(1)), kept, torn, from, to, "given");
    }

    private static int[] ids(String list, String s) {
        if (list.isEmpty()) {
            return new int[0];
        }
        java.util.List<Integer> out = new java.util.ArrayList<>();
        for (String part : list.split(",", -1)) {
            String[] r = part.split("-", -1);
            if (r.length > 2 || r[0].isEmpty() || r.length == 2 && r[1].isEmpty()) {
                throw new IllegalArgumentException("'" + s + "' is not a crash state (bad id list '" + list + "')");
            }
            int from = Integer.parseInt(r[0]);
            int to = r.length == 2 ? Integer.parseInt(r[1]) : from;
            for (int i = from; i <= to; i++) {
                out.add(i);
            }
        }
        int[] a = out.stream().mapToInt(Integer::intValue).sorted().distinct().toArray();
        if (a.length != out.size()) {
            throw new IllegalArgumentException("'" + s + "' is not a crash state (an id is listed twice)");
        }
        return a;
    }

    public int[] kept() {
        return kept.clone();
    }

    public int keptCount() {
        return kept.length;
    }

    public boolean torn() {
        return tornWrite >= 0;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("e").append(epoch).append(':');
        for (int i = 0; i < kept.length; ) {
            int j = i;
            while (j + 1 < kept.length && kept[j + 1] == kept[j] + 1) {
                j++;
            }
            b.append(i == 0 ? "" : ",").append(kept[i]);
            if (j > i + 1) {
                b.append('-').append(kept[j]);
            } else if (j == i + 1) {
                b.append(',').append(kept[j]);
            }
            i = j + 1;
        }
        if (tornWrite >= 0) {
            b.append(String.format(Locale.ROOT, ":t%d@%d-%d", tornWrite, tornFrom, tornTo));
        }
        return b.toString();
    }
}
