package dev.tinyos.core;

/**
 * How the hart reads the platform timer for the {@code time} CSR: the machine answers with
 * the CLINT's {@code mtime} at the hart's current icount. Implemented by the machine only.
 */
public interface TimeSource {
    long mtime();
}
