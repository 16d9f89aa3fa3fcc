package dev.tinyos.core.dev;

import java.io.IOException;

/**
 * A disk image is locked by another process or machine (a second writer, or a writer while
 * someone reads it): opening it anyway would let the two corrupt each other. Invariant: the
 * message is one sentence naming the image.
 */
public final class ImageInUseException extends IOException {
    private static final long serialVersionUID = 1L;

    public ImageInUseException(String message) {
        super(message);
    }
}
