package dev.tinyos.core.input;

/**
 * How a run's guest time advances, as a trace records it beside the machine configuration: the
 * kind of clock (computed from the instruction count, or sampled from the host) and its rate,
 * {@code ipt} instructions per mtime tick.
 *
 * <p>Invariant: {@code kind} is set and {@code ipt} is positive. A replay needs exactly these two
 * to turn logged skews back into mtime; which host clock produced them is not part of it.
 */
public record TimeBase(Kind kind, long ipt) {
    /** The kinds of clock, with the names the trace header and {@code --clock} use. */
    public enum Kind {
        /** Time from the instruction count alone: the run is a pure function of its inputs. */
        VIRTUAL("virtual"),
        /** Time sampled from the host's wall clock (the samples are inputs, logged). */
        HOST("host");

        private final String key;

        Kind(String key) {
            this.key = key;
        }

        /** The name written in trace headers and accepted by {@code --clock}. */
        public String key() {
            return key;
        }

        /** The kind named {@code key}, or null if none is. */
        public static Kind of(String key) {
            for (Kind k : values()) {
                if (k.key.equals(key)) {
                    return k;
                }
            }
            return null;
        }
    }

    public TimeBase {
        if (kind == null || ipt <= 0) {
            throw new IllegalArgumentException("a time base needs a kind and a positive ipt, not " + kind + " " + ipt);
        }
    }

    /** The default virtual clock's time base ({@link VirtualClock#DEFAULT_IPT}). */
    public static TimeBase virtual() {
        return new TimeBase(Kind.VIRTUAL, VirtualClock.DEFAULT_IPT);
    }
}
