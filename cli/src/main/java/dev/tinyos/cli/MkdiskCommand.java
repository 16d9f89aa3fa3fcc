package dev.tinyos.cli;

import dev.tinyos.core.dev.BlockBackend;
import dev.tinyos.replay.IoMessages;
import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code tinyos mkdisk IMG --size 64M}: creates a blank raw disk image (zeros, sparse) for
 * {@code tinyos run --disk IMG}. Invariant: never destroys an existing file unless --force is
 * given, and then only a regular file; every mistake is one line on stderr and exit status 2.
 */
@Command(name = "mkdisk", mixinStandardHelpOptions = true,
        description = {"Create a blank raw disk image (all zeros, sparse) to attach with: tinyos run --disk IMG.",
                "The size takes a K, M or G suffix (powers of 1024) and must be a multiple of 512 bytes.",
                "On QEMU 7.2 attach it with -global virtio-mmio.force-legacy=false -drive file=IMG,if=none,"
                + "format=raw,id=d -device virtio-blk-device,drive=d,bus=virtio-mmio-bus.0"})
public final class MkdiskCommand implements Callable<Integer> {
    private static final Pattern SIZE =
            Pattern.compile("([0-9]{1,19})\\s*(?:([KMG])(?:i?B)?|B)?", Pattern.CASE_INSENSITIVE);

    @Parameters(index = "0", paramLabel = "IMG", description = "the image file to create")
    Path image;

    @Option(names = "--size", paramLabel = "SIZE", required = true,
            description = "image size, e.g. 64M, 1G, 32768K or 512 (bytes)")
    String size;

    @Option(names = "--force", description = "replace IMG if it exists (its contents are lost)")
    boolean force;

    @Override
    public Integer call() {
        try {
            long bytes = parseSize(size);
            create(bytes);
            System.out.println(String.format(Locale.ROOT, "tinyos: created %s: %s bytes (%s sectors of 512)",
                    image, RunSummary.grouped(bytes), RunSummary.grouped(bytes / 512)));
            return 0;
        } catch (BadInputException e) {
            System.err.println("tinyos: " + e.getMessage());
            return BadInputException.EXIT_CODE;
        }
    }

    private void create(long bytes) throws BadInputException {
        if (Files.isDirectory(image)) {
            throw new BadInputException(image + " is a directory, not an image file");
        }
        if (Files.exists(image) && !force) {
            throw alreadyExists();
        }
        boolean existed = Files.exists(image);
        try {
            BlockBackend.create(image, bytes, force);
        } catch (FileAlreadyExistsException e) {
            throw alreadyExists(); // created between the check and the open
        } catch (IOException e) {
            if (!existed) {
                try {
                    Files.deleteIfExists(image); // no half-made image left behind
                } catch (IOException ignored) {
                    // the message below still says what failed
                }
            }
            throw new BadInputException("cannot create " + image + ": " + IoMessages.reason(e));
        }
    }

    private BadInputException alreadyExists() {
        return new BadInputException(image + " already exists; give --force to replace it "
                + "(its contents are lost)");
    }

    /** Bytes named by {@code text}: digits with an optional K, M or G (binary) suffix. */
    static long parseSize(String text) throws BadInputException {
        Matcher m = SIZE.matcher(text.trim());
        if (!m.matches()) {
            throw new BadInputException("--size " + text + " is not a size: give a whole number with an "
                    + "optional K, M or G suffix, e.g. 64M");
        }
        int shift = m.group(2) == null ? 0 : "KMG".indexOf(m.group(2).toUpperCase(Locale.ROOT)) * 10 + 10;
        long n;
        try {
            n = Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            throw new BadInputException("--size " + text + " is too large");
        }
        if (n > (Long.MAX_VALUE >> shift)) {
            throw new BadInputException("--size " + text + " is too large");
        }
        long bytes = n << shift;
        if (bytes <= 0) {
            throw new BadInputException("--size must be positive, not " + text);
        }
        if (bytes % 512 != 0) {
            throw new BadInputException("--size " + text + " is " + bytes
                    + " bytes, not a multiple of the 512-byte sector");
        }
        return bytes;
    }
}
