package dev.tinyos.core.dev;

/**
 * What a power cut cost the block device: the completed writes the guest had not flushed
 * (sectors dropped from the drive's write cache) and the requests still in flight (never
 * completed, never on the image).
 *
 * <p>Invariant: both counts are non-negative; {@link #NONE} is the cut of a machine without a
 * disk or with nothing at risk.
 */
public record PowerCut(int droppedSectors, int inFlightRequests) {
    public static final PowerCut NONE = new PowerCut(0, 0);

    public PowerCut {
        if (droppedSectors < 0 || inFlightRequests < 0) {
            throw new IllegalArgumentException("negative power-cut counts");
        }
    }

    /** e.g. {@code 3 unflushed sectors (1.5 KiB) dropped, 1 request in flight lost}. */
    public String describe() {
        return String.format(java.util.Locale.ROOT,
                "%d unflushed sector%s (%.1f KiB) dropped, %d request%s in flight lost",
                droppedSectors, droppedSectors == 1 ? "" : "s", droppedSectors / 2.0,
                inFlightRequests, inFlightRequests == 1 ? "" : "s");
    }
}
