package dev.tinyos.replay.checkpoint;

import com.esotericsoftware.kryo.Kryo;
import com.esotericsoftware.kryo.KryoException;
import com.esotericsoftware.kryo.io.Input;
import com.esotericsoftware.kryo.io.Output;
import dev.tinyos.core.cpu.Ram;
import dev.tinyos.core.state.StateFormatException;
import dev.tinyos.replay.Replay;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;

/**
 * A checkpoint on disk, one file, always a full one (an increment is folded into its base):
 *
 * <pre>
 *   "TINYOS-CKPT\n"   12 bytes, the magic
 *   int               format version ({@link #VERSION}), big-endian
 *   LZ4 frame (block and content checksums) of a Kryo stream:
 *     Header          registered class: trace identity, icount
 *     bytes           the machine's and the replay's state ({@code Replay.saveState})
 *     int[] + bytes   RAM: the nonzero pages, then their 4 KiB each
 *     long[] + bytes  disk: every sector written since the replay began, then 512 bytes each
 * </pre>
 *
 * <p>Invariant: {@link #read} returns a checkpoint only if the file is whole, of this format
 * version and of the replay's trace; otherwise it throws {@link CheckpointException} with one
 * sentence. Kryo runs with registration required: only the classes registered here are read.
 */
public final class CheckpointFile {
    static final byte[] MAGIC = "TINYOS-CKPT\n".getBytes(StandardCharsets.US_ASCII);
    /** Bumped on every change of the layout above or of any component's saved state. */
    public static final int VERSION = 1;

    private CheckpointFile() {
    }

    /** The first object of the stream. */
    public static final class Header {
        public String trace;
        public long icount;

        public Header() {
        }
    }

    private static Kryo kryo() {
        Kryo k = new Kryo();
        k.setRegistrationRequired(true);
        k.register(Header.class, 10);
        return k;
    }

    /**
     * Writes {@code c}, a checkpoint of {@code replay}, to {@code file}, atomically: into a
     * temporary file beside it ({@link #TEMP_PREFIX}), forced to the device, then renamed over
     * {@code file} and the directory forced; a write killed on the way leaves at most the
     * temporary file, never a partial {@code file}.
     */
    public static void write(Path file, Checkpoint c, Replay replay) throws IOException {
        Checkpoint full = c.flattened(replay.machine().ram().size >>> Ram.PAGE_SHIFT);
        write(file, TraceIdentity.of(replay), full);
    }

    /** Names of temporary files {@link #write} leaves only if it is killed: never read as checkpoints. */
    public static final String TEMP_PREFIX = ".partial-";

    /** Writes the full checkpoint {@code full} of the trace {@code identity} atomically to {@code file}. */
    static void write(Path file, String identity, Checkpoint full) throws IOException {
        write(file, identity, new Checkpoint.Capture(full.icount, full.state, full.pages, full.rawPages(), full.sectors,
                full.sectorData));
    }

    /** Writes the captured full checkpoint {@code full} of the trace {@code identity} atomically to {@code file}. */
    static void write(Path file, String identity, Checkpoint.Capture full) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path temp = dir.resolve(TEMP_PREFIX + ProcessHandle.current().pid() + "-" + file.getFileName());
        try {
            try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(temp,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING,
                    java.nio.file.StandardOpenOption.WRITE)) {
                OutputStream toChannel = java.nio.channels.Channels.newOutputStream(ch);
                writeStream(new java.io.FilterOutputStream(toChannel) { // closing it leaves the channel open
                    @Override
                    public void write(byte[] b, int off, int len) throws IOException {
                        toChannel.write(b, off, len);
                    }

                    @Override
                    public void close() {
                    }
                }, identity, full);
                ch.force(true);
            }
            Files.move(temp, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
        try (java.nio.channels.FileChannel d = java.nio.channels.FileChannel.open(dir)) {
            d.force(true); // the rename itself reaches the device
        } catch (IOException e) {
            // some file systems cannot open a directory for forcing: the rename is still atomic
        }
    }

    private static void writeStream(OutputStream target, String identity, Checkpoint.Capture full) throws IOException {
        try (OutputStream raw = target) {
            DataOutputStream d = new DataOutputStream(raw);
            d.write(MAGIC);
            d.writeInt(VERSION);
            d.flush();
            LZ4FrameOutputStream lz = new LZ4FrameOutputStream(raw, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM,
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_CHECKSUM);
            try (Output out = new Output(lz, 1 << 16)) {
                Header h = new Header();
                h.trace = identity;
                h.icount = full.icount();
                kryo().writeObject(out, h);
                KryoStateWriter w = new KryoStateWriter(out);
                w.writeBytes(full.state());
                w.writeInts(full.pages());
                out.writeBytes(full.rawPages());
                w.writeLongs(full.sectors());
                out.writeBytes(full.sectorData());
            } catch (KryoException e) {
                throw new IOException(e.getMessage(), e);
            }
        }
    }

    /**
     * Reads the checkpoint in {@code file} for {@code replay}'s trace (restore it with
     * {@link Checkpoint#restore}).
     *
     * @throws CheckpointException if the file is not a checkpoint, of another version or trace, or damaged
     */
    public static Checkpoint read(Path file, Replay replay) throws CheckpointException {
        int ramPages = replay.machine().ram().size >>> Ram.PAGE_SHIFT;
        try (InputStream raw = Files.newInputStream(file)) {
            DataInputStream d = new DataInputStream(raw);
            byte[] magic = d.readNBytes(MAGIC.length);
            if (!Arrays.equals(magic, MAGIC)) {
                throw new CheckpointException(file + " is not a tiny-os checkpoint.");
            }
            int version = d.readInt();
            if (version != VERSION) {
                throw new CheckpointException("checkpoint " + file + " has format version " + version
                        + ", this tinyos reads version " + VERSION + ": take it again.");
            }
            try (Input in = new Input(new LZ4FrameInputStream(raw), 1 << 16)) {
                Header h = kryo().readObject(in, Header.class);
                String mine = TraceIdentity.of(replay);
                if (!mine.equals(h.trace)) {
                    throw new CheckpointException("checkpoint " + file + " belongs to another trace (" + h.trace
                            + "), not to this one (" + mine + ").");
                }
                KryoStateReader r = new KryoStateReader(in, Integer.MAX_VALUE - 8);
                byte[] state = r.readBytes();
                int[] pages = r.readInts();
                if (state == null || pages.length > ramPages) {
                    throw new StateFormatException("it holds more pages than RAM has");
                }
                for (int p : pages) {
                    if (p < 0 || p >= ramPages) {
                        throw new StateFormatException("it names page " + p + " outside RAM");
                    }
                }
                byte[] pageBytes = in.readBytes(pages.length * Checkpoint.PAGE);
                long[] sectors = r.readLongs();
                if (sectors.length > (1 << 22)) {
                    throw new StateFormatException("it holds more disk sectors than a disk here can have");
                }
                byte[] sectorData = in.readBytes(sectors.length * 512);
                return Checkpoint.fromRaw(h.icount, state, pages, pageBytes, sectors, sectorData);
            }
        } catch (CheckpointException e) {
            throw e;
        } catch (StateFormatException e) {
            throw new CheckpointException("checkpoint " + file + " is damaged: " + e.getMessage() + ".");
        } catch (IOException | RuntimeException e) {
            throw new CheckpointException("checkpoint " + file + " is damaged or truncated (" + e.getMessage() + ").");
        }
    }
}
