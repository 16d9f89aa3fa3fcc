package dev.tinyos.core.dev;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * The host file system holding a disk image is full, so a write the guest's drive completed
 * cannot reach the image. It is not the guest's disk that is full: answering the guest with an
 * I/O error would make the run depend on the host (and a recording unreplayable), so the run
 * stops instead. Unchecked on purpose: it must leave the device model (which turns I/O errors
 * into guest-visible errors) and end {@code Machine.run}. Invariant: the message names the
 * image file and the host's reason.
 */
public final class HostDiskFullException extends UncheckedIOException {
    private static final long serialVersionUID = 1L;

    public HostDiskFullException(String message, IOException cause) {
        super(message, cause);
    }
}
