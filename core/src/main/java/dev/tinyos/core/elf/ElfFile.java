package dev.tinyos.core.elf;

import dev.tinyos.core.cpu.Ram;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * An ELF64 little-endian RISC-V executable: its entry point, its PT_LOAD segments and its
 * symbol table (.symtab with its string table), as the machine needs them to boot a kernel
 * and to name addresses.
 *
 * <p>Invariant: a constructed ElfFile passed every structural check (magic, class 64, little
 * endian, EM_RISCV, ET_EXEC, headers and segments inside the file); anything else was refused
 * with an {@link IllegalArgumentException} whose message is one sentence starting with the
 * file's name. Segments are loaded at their physical address ({@code p_paddr}), as QEMU does.
 */
public final class ElfFile {
    public static final int EM_RISCV = 243;
    public static final int ET_EXEC = 2;
    public static final int PT_LOAD = 1;
    private static final int SHT_SYMTAB = 2;
    private static final int STT_OBJECT = 1;
    private static final int STT_FUNC = 2;
    private static final int STT_SECTION = 3;
    private static final int STT_FILE = 4;
    private static final int STB_GLOBAL = 1;

    /** One PT_LOAD segment. Invariant: {@code offset + filesz} lies inside the file. */
    public record Segment(long paddr, long vaddr, long offset, long filesz, long memsz, int flags) {}

    private final String name;
    private final byte[] image;
    private final long entry;
    private final List<Segment> segments;
    private final Map<String, Long> symbols = new HashMap<>();
    private long[] symStart = new long[0];
    private long[] symEnd = new long[0];
    private String[] symName = new String[0];

    private ElfFile(String name, byte[] image) {
        this.name = name;
        this.image = image;
        checkHeader();
        this.entry = u64(24, "ELF header");
        this.segments = Collections.unmodifiableList(readSegments());
        readSymbols();
    }

    /** A raw image: its bytes form one segment at {@code address}, which is also its entry; no symbols. */
    private ElfFile(String name, byte[] image, long address) {
        this.name = name;
        this.image = image;
        this.entry = address;
        this.segments = List.of(new Segment(address, address, 0, image.length, image.length, 7));
    }

    /**
     * A raw binary loaded at {@code address} (QEMU's convention for -bios and -kernel images that
     * are not ELF): one segment holding the whole file, entry at its first byte, no symbols.
     */
    public static ElfFile raw(String name, byte[] bytes, long address) {
        return new ElfFile(name, bytes, address);
    }

    /** True if {@code bytes} start with the ELF magic. */
    public static boolean isElf(byte[] bytes) {
        return bytes.length >= 4 && bytes[0] == 0x7F && bytes[1] == 'E' && bytes[2] == 'L' && bytes[3] == 'F';
    }

    /** Reads and checks {@code file}; format errors are IllegalArgumentExceptions. */
    public static ElfFile read(Path file) throws IOException {
        return parse(file.getFileName().toString(), Files.readAllBytes(file));
    }

    /** Checks {@code bytes} as an ELF file called {@code name} (used in error messages). */
    public static ElfFile parse(String name, byte[] bytes) {
        return new ElfFile(name, bytes);
    }

    public String name() {
        return name;
    }

    /** The entry point (e_entry). */
    public long entry() {
        return entry;
    }

    /** The PT_LOAD segments in file order. */
    public List<Segment> segments() {
        return segments;
    }

    private IllegalArgumentException error(String sentence) {
        return new IllegalArgumentException(name + ": " + sentence);
    }

    private void checkHeader() {
        if (image.length < 4 || image[0] != 0x7F || image[1] != 'E' || image[2] != 'L' || image[3] != 'F') {
            throw error("not an ELF file");
        }
        if (image.length < 64) {
            throw error("truncated ELF header");
        }
        if (image[4] != 2) {
            throw error("not a 64-bit ELF file");
        }
        if (image[5] != 1) {
            throw error("not a little-endian ELF file");
        }
        int machine = u16(18, "ELF header");
        if (machine != EM_RISCV) {
            throw error("not a RISC-V ELF file (e_machine " + machine + ")");
        }
        int type = u16(16, "ELF header");
        if (type != ET_EXEC) {
            throw error("not an executable ELF file (e_type " + type + ", expected ET_EXEC)");
        }
    }

    private List<Segment> readSegments() {
        long phoff = u64(32, "ELF header");
        int phentsize = u16(54, "ELF header");
        int phnum = u16(56, "ELF header");
        if (phnum > 0 && phentsize < 56) {
            throw error("program header entries are too small (" + phentsize + " bytes)");
        }
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i < phnum; i++) {
            long ph = phoff + (long) i * phentsize;
            if (ph < 0 || ph + 56 > image.length) {
                throw error("truncated program header table");
            }
            if (u32(ph, "program header") != PT_LOAD) {
                continue;
            }
            Segment s = new Segment(u64(ph + 24, ""), u64(ph + 16, ""), u64(ph + 8, ""),
                    u64(ph + 32, ""), u64(ph + 40, ""), (int) u32(ph + 4, ""));
            if (s.offset() < 0 || s.filesz() < 0 || s.offset() + s.filesz() > image.length
                    || s.offset() + s.filesz() < 0) {
                throw error("segment " + i + " extends past the end of the file");
            }
            if (Long.compareUnsigned(s.filesz(), s.memsz()) > 0) {
                throw error("segment " + i + " has a file size larger than its memory size");
            }
            out.add(s);
        }
        return out;
    }

    /**
     * Copies every segment into {@code ram} (file bytes, then zeros up to the memory size) and
     * marks the pages dirty. A segment not entirely inside RAM is refused before anything is
     * written.
     */
    public void load(Ram ram) {
        for (int i = 0; i < segments.size(); i++) {
            Segment s = segments.get(i);
            if (s.memsz() == 0) {
                continue;
            }
            if (s.memsz() < 0 || s.memsz() > ram.size || !ram.contains(s.paddr(), (int) s.memsz())) {
                throw error(String.format(
                        "segment %d at 0x%x (0x%x bytes) lies outside RAM 0x%x-0x%x", i, s.paddr(),
                        s.memsz(), ram.base, ram.base + ram.size));
            }
        }
        for (Segment s : segments) {
            if (s.memsz() == 0) {
                continue;
            }
            int off = (int) (s.paddr() - ram.base);
            ram.write(off, image, (int) s.offset(), (int) s.filesz());
            ram.zero(off + (int) s.filesz(), (int) (s.memsz() - s.filesz()));
        }
    }

    /** The value of symbol {@code name} (a global one if there are several), if defined. */
    public OptionalLong symbol(String sym) {
        Long v = symbols.get(sym);
        return v == null ? OptionalLong.empty() : OptionalLong.of(v);
    }

    /**
     * Names {@code addr} as {@code "func+0x1c"} (or {@code "func"} at offset 0) using the FUNC
     * and OBJECT symbols that have a size; {@code "0x..."} when no symbol covers it.
     */
    public String symbolize(long addr) {
        int lo = 0;
        int hi = symStart.length - 1;
        int last = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (Long.compareUnsigned(symStart[mid], addr) <= 0) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = last; i >= 0 && i > last - 64; i--) {
            if (Long.compareUnsigned(addr, symEnd[i]) < 0) {
                long off = addr - symStart[i];
                return off == 0 ? symName[i] : symName[i] + "+0x" + Long.toHexString(off);
            }
        }
        return "0x" + Long.toHexString(addr);
    }

    private void readSymbols() {
        long shoff = u64(40, "ELF header");
        int shentsize = u16(58, "ELF header");
        int shnum = u16(60, "ELF header");
        if (shoff == 0 || shnum == 0) {
            return;
        }
        if (shentsize < 64) {
            throw error("section header entries are too small (" + shentsize + " bytes)");
        }
        for (int i = 0; i < shnum; i++) {
            long sh = shoff + (long) i * shentsize;
            if (sh < 0 || sh + 64 > image.length) {
                throw error("truncated section header table");
            }
            if (u32(sh, "") == 0 && i == 0) {
                continue;
            }
            if ((int) u32(sh + 4, "") == SHT_SYMTAB) {
                int link = (int) u32(sh + 40, "");
                long strSh = shoff + (long) link * shentsize;
                if (link >= shnum || strSh + 64 > image.length) {
                    throw error("symbol table links to a missing string table");
                }
                readSymtab(u64(sh + 24, ""), u64(sh + 32, ""), u64(strSh + 24, ""), u64(strSh + 32, ""));
                return;
            }
        }
    }

    private void readSymtab(long off, long size, long strOff, long strSize) {
        if (off < 0 || size < 0 || off + size > image.length || strOff < 0 || strSize < 0
                || strOff + strSize > image.length) {
            throw error("symbol table extends past the end of the file");
        }
        List<long[]> ranges = new ArrayList<>();
        List<String> names = new ArrayList<>();
        for (long p = off + 24; p + 24 <= off + size; p += 24) {
            String sym = string(strOff, strSize, u32(p, ""));
            int info = image[(int) p + 4] & 0xFF;
            int type = info & 0xF;
            int shndx = u16(p + 6, "");
            long value = u64(p + 8, "");
            long symSize = u64(p + 16, "");
            if (sym.isEmpty() || type == STT_SECTION || type == STT_FILE || shndx == 0) {
                continue;
            }
            if ((info >>> 4) == STB_GLOBAL || !symbols.containsKey(sym)) {
                symbols.put(sym, value);
            }
            if ((type == STT_FUNC || type == STT_OBJECT) && symSize != 0) {
                ranges.add(new long[] {value, value + symSize, names.size()});
                names.add(sym);
            }
        }
        ranges.sort((a, b) -> Long.compareUnsigned(a[0], b[0]));
        symStart = new long[ranges.size()];
        symEnd = new long[ranges.size()];
        symName = new String[ranges.size()];
        for (int i = 0; i < ranges.size(); i++) {
            symStart[i] = ranges.get(i)[0];
            symEnd[i] = ranges.get(i)[1];
            symName[i] = names.get((int) ranges.get(i)[2]);
        }
    }

    private String string(long strOff, long strSize, long index) {
        if (index < 0 || index >= strSize) {
            throw error("symbol name outside the string table");
        }
        int start = (int) (strOff + index);
        int end = start;
        int limit = (int) (strOff + strSize);
        while (end < limit && image[end] != 0) {
            end++;
        }
        return new String(image, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
    }

    private int u16(long off, String what) {
        check(off, 2, what);
        return (image[(int) off] & 0xFF) | (image[(int) off + 1] & 0xFF) << 8;
    }

    private long u32(long off, String what) {
        check(off, 4, what);
        return (u16(off, what) | (long) u16(off + 2, what) << 16) & 0xFFFF_FFFFL;
    }

    private long u64(long off, String what) {
        check(off, 8, what);
        return u32(off, what) | u32(off + 4, what) << 32;
    }

    private void check(long off, int n, String what) {
        if (off < 0 || off + n > image.length) {
            throw error("truncated " + (what.isEmpty() ? "file" : what));
        }
    }
}
