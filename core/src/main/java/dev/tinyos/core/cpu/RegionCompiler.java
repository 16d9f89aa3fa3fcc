package dev.tinyos.core.cpu;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles a {@link Region} (ASM, one hidden class in this package): starting at a hot block,
 * the decoded blocks of the same 4 KiB physical page reachable through conditional branches,
 * direct jumps (JAL, J) and fall-through, breadth first, up to {@link #MAX_BLOCKS} blocks and
 * an estimated {@link #MAX_COST} bytes of bytecode (C2 compiles methods under 8,000 bytes, and
 * small ones fast). Blocks are decoded by {@link BlockCache#decodeBlock}, the interpreter's own
 * rules, so a region's blocks are exactly the blocks the interpreter would run; their lines
 * are marked as code, so a write to any of them bumps the page's generation and invalidates
 * the region with its entry block.
 *
 * <p>The method: guest registers used anywhere in the region are loaded into JVM locals at
 * entry; every register the region writes is stored back at its one common exit. Each block
 * starts with the budget check {@code max - n >= length of the block} (else the region exits
 * to the interpreter at that block); a branch or jump to a block of the region is a JVM jump
 * (so a loop in the page is a loop in the method), and so is an indirect jump (a return, a
 * switch) whose target is the start of one of its blocks (the block after a call is in the
 * region if it is hot); any other target, a load or store that misses its TLB, and an op the
 * compiler does not handle leave the region. Of the out-of-line ops (they end their block) it
 * handles FENCE, the Zicsr instructions and the AMOs ({@link #inlinedAtEnd}); the others
 * (LR/SC, xRET, ECALL, WFI, SFENCE.VMA, FENCE.I, ILLEGAL, a load into x0) leave the region.
 *
 * <p>What an op computes is not written here: the code of each op is an {@code INVOKESTATIC} of
 * its method in {@link Semantics} (found by the op's name), the very method the matching
 * {@code case} of {@code Interpreter.loop} calls; this class writes only the plumbing (guest
 * registers in locals, the TLB check of loads and stores, pc, step counts, exits).
 * SemanticsOnceTest fails if a generated region computes an op's result itself.
 *
 * <p>Invariant: the generated code counts exactly the steps the interpreter counts and
 * allocates nothing (CompilerDifferentialTest and CompiledBlockFuzzTest compare it with the
 * interpreter).
 */
final class RegionCompiler {
    private RegionCompiler() {}

    /** Bound: blocks in one region. */
    static final int MAX_BLOCKS = 32;
    /** Bound: estimated bytecode bytes of one region's method (blocks past it are exits). */
    static final int MAX_COST = 1000;

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String SUPER = "dev/tinyos/core/cpu/Region";
    private static final String NAME = "dev/tinyos/core/cpu/Region$Unit";
    private static final String CTX = "dev/tinyos/core/cpu/JitContext";
    private static final String HART = "dev/tinyos/core/cpu/Hart";
    private static final String VH = "java/lang/invoke/VarHandle";
    private static final String VH_DESC = "Ljava/lang/invoke/VarHandle;";
    private static final String SEMANTICS = "dev/tinyos/core/cpu/Semantics";
    private static final String RARE = "dev/tinyos/core/cpu/RareOps";

    /** Descriptors of the methods of {@link Semantics}, by name. */
    private static final Map<String, String> SEMANTICS_DESC = new HashMap<>();
    /** For each op, the method of {@link Semantics} named after it (the op's name in lower case), or null. */
    private static final String[] SEMANTICS_OF = new String[Op.COUNT];

    static {
        for (Method m : Semantics.class.getDeclaredMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && !m.isSynthetic()) SEMANTICS_DESC.put(m.getName(), Type.getMethodDescriptor(m));
        }
        try {
            for (Field f : Op.class.getDeclaredFields()) {
                if (f.getType() != int.class || !Modifier.isStatic(f.getModifiers())) continue;
                String name = f.getName().toLowerCase(Locale.ROOT);
                if (SEMANTICS_DESC.containsKey(name)) SEMANTICS_OF[f.getInt(null)] = name;
            }
        } catch (IllegalAccessException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The name of the method of {@link Semantics} that defines {@code op}, or null. */
    static String semanticsOf(int op) {
        return SEMANTICS_OF[op];
    }

    // locals of run(ctx, pc, n, max): this, ctx, pc (2 slots), n (2), max (2); then the
    // context's arrays, the page's virtual base, temporaries, the exit's pc and entry, and
    // the 32 guest registers (2 slots each)
    private static final int CTXL = 1, PC = 2, N = 4, MAX = 6, X = 8, MEM = 9, LTAG = 10, LDELTA = 11,
            STAG = 12, SDELTA = 13, PAGE = 14, VA = 16, T = 18, TMP = 19, EXITPC = 21, EXITE = 23, REG0 = 24;

    /** True if the compiler handles {@code op} anywhere in a block. */
    static boolean compilable(int op) {
        return op >= Op.NOP && op <= Op.MV || op == Op.J || op == Op.JR;
    }

    /**
     * True if the compiler handles the out-of-line op {@code op} as the last entry of a block
     * (where out-of-line ops are): FENCE, the Zicsr instructions and the AMOs. A region runs
     * them as the driver would (a CSR instruction after syncing icount, an AMO through the
     * store TLB) and leaves for the driver instead where that could trap (a CSR not accessible,
     * an AMO misaligned or missing its TLB) or where a CSR write ended the slice or flushed the
     * TLBs. LR/SC, FENCE.I, SFENCE.VMA, xRET, ECALL, EBREAK and WFI stay out of line.
     */
    static boolean inlinedAtEnd(int op) {
        return op == Op.FENCE || op >= Op.CSRRW && op <= Op.CSRRCI
                || op >= Op.AMOSWAP_W && op <= Op.AMOMAXU_W || op >= Op.AMOSWAP_D && op <= Op.AMOMAXU_D;
    }

    private static boolean isCsr(int op) {
        return op >= Op.CSRRW && op <= Op.CSRRCI;
    }

    private static boolean isAmo(int op) {
        return op >= Op.AMOSWAP_W && op <= Op.AMOMAXU_D;
    }

    /** How many entries from {@code first} of a block of {@code len} the compiler handles: the compilable ones, and an out-of-line op it inlines after them if that ends the block. */
    private static int compiledPrefix(long[] ops, int first, int len) {
        int k = 0;
        while (k < len && compilable(Packed.op((int) ops[first + k]))) k++;
        if (k == len - 1 && inlinedAtEnd(Packed.op((int) ops[first + k]))) k++;
        return k;
    }

    private static boolean isJump(int op) {
        return op == Op.JAL || op == Op.JALR || op == Op.J || op == Op.JR;
    }

    /** The register-immediate ALU ops (their second operand is the immediate). */
    private static boolean isImmediate(int op) {
        return op >= Op.ADDI && op <= Op.SRAI || op >= Op.ADDIW && op <= Op.SRAIW;
    }

    private static boolean isBranch(int op) {
        return op >= Op.BEQ && op <= Op.BGEU;
    }

    /** Estimated bytecode bytes of one compiled op (with its exit stub). */
    private static int cost(int op) {
        if (op >= Op.LB && op <= Op.SD || isCsr(op)) return 60;
        if (isAmo(op)) return 90;
        if (isBranch(op) || isJump(op)) return 30;
        return 12;
    }

    /**
     * One block of a region: RAM offset, length, compiled prefix, first index in the ops array,
     * RAM end offset, the region's page it lies in, and its virtual address relative to the
     * virtual base of the entry block's page ({@code rel}: the page offset, for page 0).
     */
    private record Block(int off, int len, int k, int first, int end, int page, long rel) {}

    /** Bound: pages one region may span (the entry block's page first), whatever {@link BlockCache#maxPages} asks. */
    static final int MAX_PAGES = 4;

    /**
     * The pages of a region being compiled: for each, its virtual base relative to the entry
     * page's ({@code vrel}, a multiple of 4096) and the RAM offset of its first byte, found
     * through the fetch TLB when the region is compiled.
     */
    private static final class Pages {
        final long[] vrel = new long[MAX_PAGES];
        final int[] ram = new int[MAX_PAGES];
        final int max;
        int count;

        Pages(int max) {
            this.max = Math.max(1, Math.min(max, MAX_PAGES));
        }

        /** The page holding {@code rel}: its index, or -1 if it is not translated (or one too many). */
        int of(long rel, long entryVa, Mmu mmu) {
            long base = rel & ~0xFFFL;
            for (int j = 0; j < count; j++) if (vrel[j] == base) return j;
            if (count == max) return -1;
            long vpn = (entryVa & ~0xFFFL) + base >>> 12;
            int t = (int) vpn & Mmu.TLB_MASK;
            if (mmu.iTag[t] != vpn) return -1; // not fetched in this context yet: an exit
            vrel[count] = base;
            ram[count] = (int) ((vpn << 12) + mmu.iDelta[t]);
            return count++;
        }
    }

    /**
     * Compiles the region entered at block {@code blk} (RAM offset {@code off}, virtual address
     * {@code pc}) of {@code blocks}; null if the block's first op is not compilable. Blocks on
     * other pages join it through the fetch TLB (code reached by a call or a jump there), up to
     * {@link BlockCache#maxPages} pages; the region checks, whenever it goes to another of its pages than
     * the entry page, that the page is still the RAM page it was compiled from, with the same
     * code generation ({@link Region#entered}).
     */
    static Region compile(BlockCache blocks, int blk, int off, long pc, int minHeat) {
        long[] ops = new long[MAX_BLOCKS * BlockCache.MAX_BLOCK];
        long[] imms = new long[ops.length];
        List<Block> list = new ArrayList<>();
        Map<Long, Integer> index = new HashMap<>();
        ArrayDeque<Long> work = new ArrayDeque<>();
        Pages pages = new Pages(blocks.maxPages);
        pages.ram[0] = off & ~0xFFF; // page 0 is the entry's, as the caller found it
        pages.count = 1;
        work.add((long) (off & 0xFFF));
        int cost = 0;
        while (!work.isEmpty() && list.size() < MAX_BLOCKS) {
            long rel = work.poll();
            if (index.containsKey(rel)) continue;
            int j = pages.of(rel, pc, blocks.mmu);
            if (j < 0) continue; // an exit
            int o = pages.ram[j] + (int) (rel & 0xFFF);
            if (!list.isEmpty() && blocks.heatAt(o) < minHeat) continue; // cold: an exit
            int first = list.size() * BlockCache.MAX_BLOCK;
            int len = blocks.decodeBlock(o, ops, imms, first);
            if (len == 0) continue; // its first instruction straddles the page: an exit
            int end = blocks.decodedEnd;
            int k = compiledPrefix(ops, first, len), c = 40;
            for (int e = 0; e < k; e++) c += cost(Packed.op((int) ops[first + e]));
            if (k == 0) {
                if (list.isEmpty()) return null;
                continue;
            }
            if (!list.isEmpty() && cost + c > MAX_COST) continue;
            cost += c;
            index.put(rel, list.size());
            list.add(new Block(o, len, k, first, end, j, rel));
            blocks.markCode(o, end - o);
            for (int e = 0; e < k; e++) {
                int p = (int) ops[first + e], op = Packed.op(p);
                if (isBranch(op) || op == Op.JAL || op == Op.J) work.add(rel + Packed.at(p) + Packed.imm(ops[first + e]));
                if ((op == Op.JALR || op == Op.JR) && e > 0) { // AUIPC r; JALR rd, imm(r): a known target
                    int q = (int) ops[first + e - 1];
                    if (Packed.op(q) == Op.AUIPC && Packed.rd(q) == Packed.rs1(p) && Packed.rd(q) != 0) {
                        work.add(rel + Packed.at(q) + Packed.imm(ops[first + e - 1]) + Packed.imm(ops[first + e]) & ~1L);
                    }
                }
            }
            int last = (int) ops[first + k - 1];
            boolean call = isJump(Packed.op(last)) && Packed.rd(last) != 0; // its return lands at the end
            if (k == len && (!isJump(Packed.op(last)) || call)) work.add(rel + (end - o));
        }
        int[] pageOff = Arrays.copyOf(pages.ram, pages.count), pageGen = new int[pages.count];
        for (int j = 0; j < pages.count; j++) pageGen[j] = blocks.codeGen[pageOff[j] >>> 12];
        return define(generate(ops, list, index, Arrays.copyOf(pages.vrel, pages.count)), list.get(0).len(), pageOff, pageGen);
    }

    /**
     * Region classes already defined in this JVM, by class file: a region's code is a function
     * of its decoded instructions and their virtual offsets from the entry page only (no
     * address, no hart; the RAM pages it checks are fields of each instance), so machines
     * share it, and the JVM compiles it once (a fresh machine does not warm up its regions
     * again). Bounded: cleared when it holds {@link #MAX_SHARED} classes (those still in use
     * stay alive through their block caches).
     */
    private static final Map<ByteBuffer, Constructor<?>> SHARED = new HashMap<>();
    /** Bound: classes kept in {@link #SHARED}. */
    static final int MAX_SHARED = 16_384;
    /** Statistics: regions whose class was found in {@link #SHARED} instead of defined. */
    static long sharedHits;

    private static synchronized Region define(byte[] bytes, int firstLen, int[] pageOff, int[] pageGen) {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        try {
            Constructor<?> k = SHARED.get(key);
            final boolean defined = k == null;
            if (k != null) {
                sharedHits++;
            } else {
                k = LOOKUP.defineHiddenClass(bytes, true).lookupClass().getDeclaredConstructor(int.class, int.class, int[].class, int[].class);
                if (SHARED.size() >= MAX_SHARED) SHARED.clear();
                SHARED.put(key, k);
            }
            Region r = (Region) k.newInstance(firstLen, bytes.length, pageOff, pageGen);
            if (defined) r.primeJvmCompiler();
            return r;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("compiled region does not load", e);
        }
    }

    /**
     * The class file of a region of one block at page offset 0, whose decoded entries (with
     * their offsets) are {@code ops[0..len)}: what the compiler emits for them (for tests).
     */
    static byte[] classFileOfBlock(long[] ops, int len) {
        int k = compiledPrefix(ops, 0, len), end = 0;
        for (int e = 0; e < len; e++) end = Math.max(end, Packed.at((int) ops[e]) + Packed.len((int) ops[e]));
        return generate(ops, List.of(new Block(0, len, k, 0, end, 0, 0)), Map.of(0L, 0), new long[] {0});
    }

    /** The class file of a region made of {@code list} (entry first) on pages at {@code vrel}. */
    static byte[] generate(long[] ops, List<Block> list, Map<Long, Integer> index, long[] vrel) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, NAME, null, SUPER, null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(II[I[I)V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ILOAD, 1);
        init.visitVarInsn(Opcodes.ILOAD, 2);
        init.visitVarInsn(Opcodes.ALOAD, 3);
        init.visitVarInsn(Opcodes.ALOAD, 4);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, "<init>", "(II[I[I)V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(0, "run", "(L" + CTX + ";JJJ)J", null, null);
        mv.visitCode();
        new Emitter(mv, ops, list, index, vrel).emit();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Emits the body of run() for one region. */
    private static final class Emitter {
        private final MethodVisitor mv;
        private final long[] ops;
        private final List<Block> list;
        private final Map<Long, Integer> index;
        private final long[] vrel;
        private final Label[] starts;
        private final Label common = new Label();
        private final List<Runnable> stubs = new ArrayList<>();
        private final boolean[] written = new boolean[32];
        private Block b; // the block being emitted

        Emitter(MethodVisitor mv, long[] ops, List<Block> list, Map<Long, Integer> index, long[] vrel) {
            this.mv = mv;
            this.ops = ops;
            this.list = list;
            this.index = index;
            this.vrel = vrel;
            this.starts = new Label[list.size()];
            for (int i = 0; i < starts.length; i++) starts[i] = new Label();
        }

        /** {@code if (max < 0) return n;}: the calls of {@link Region#primeJvmCompiler}, before anything is read. */
        private void primeExit() {
            Label go = new Label();
            mv.visitVarInsn(Opcodes.LLOAD, MAX);
            mv.visitInsn(Opcodes.LCONST_0);
            mv.visitInsn(Opcodes.LCMP);
            mv.visitJumpInsn(Opcodes.IFGE, go);
            mv.visitVarInsn(Opcodes.LLOAD, N);
            mv.visitInsn(Opcodes.LRETURN);
            mv.visitLabel(go);
        }

        void emit() {
            boolean[] used = new boolean[32];
            for (Block blk : list) {
                for (int e = 0; e < blk.k(); e++) {
                    int p = (int) ops[blk.first() + e];
                    used[Packed.rd(p)] = used[Packed.rs1(p)] = used[Packed.rs2(p)] = true;
                    int op = Packed.op(p);
                    if (!(op >= Op.SB && op <= Op.SD) && !isBranch(op) && op != Op.J && op != Op.JR && op != Op.NOP) {
                        written[Packed.rd(p)] = true;
                    }
                }
            }
            written[0] = false;
            primeExit();
            field(X, "x", "[J");
            field(MEM, "mem", "[B");
            field(LTAG, "lTag", "[J");
            field(LDELTA, "lDelta", "[J");
            field(STAG, "sTag", "[J");
            field(SDELTA, "sDelta", "[J");
            mv.visitVarInsn(Opcodes.LLOAD, PC);
            pushLong(mv, list.get(0).rel());
            mv.visitInsn(Opcodes.LSUB);
            mv.visitVarInsn(Opcodes.LSTORE, PAGE);
            for (int local : new int[] {VA, TMP, EXITPC}) {
                mv.visitInsn(Opcodes.LCONST_0);
                mv.visitVarInsn(Opcodes.LSTORE, local);
            }
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitVarInsn(Opcodes.ISTORE, T);
            mv.visitInsn(Opcodes.ICONST_0);
            mv.visitVarInsn(Opcodes.ISTORE, EXITE);
            for (int r = 1; r < 32; r++) {
                if (!used[r]) continue;
                mv.visitVarInsn(Opcodes.ALOAD, X);
                pushInt(mv, r);
                mv.visitInsn(Opcodes.LALOAD);
                mv.visitVarInsn(Opcodes.LSTORE, REG0 + 2 * r);
            }
            for (int i = 0; i < list.size(); i++) block(i);
            for (int i = 0; i < stubs.size(); i++) stubs.get(i).run(); // a stub may add stubs
            mv.visitLabel(common);
            for (int r = 1; r < 32; r++) {
                if (!written[r]) continue;
                mv.visitVarInsn(Opcodes.ALOAD, X);
                pushInt(mv, r);
                mv.visitVarInsn(Opcodes.LLOAD, REG0 + 2 * r);
                mv.visitInsn(Opcodes.LASTORE);
            }
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitVarInsn(Opcodes.LLOAD, EXITPC);
            mv.visitFieldInsn(Opcodes.PUTFIELD, CTX, "pc", "J");
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitVarInsn(Opcodes.ILOAD, EXITE);
            mv.visitFieldInsn(Opcodes.PUTFIELD, CTX, "exit", "I");
            mv.visitVarInsn(Opcodes.LLOAD, N);
            mv.visitInsn(Opcodes.LRETURN);
        }

        private void field(int local, String name, String desc) {
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitFieldInsn(Opcodes.GETFIELD, CTX, name, desc);
            mv.visitVarInsn(Opcodes.ASTORE, local);
        }

        private void block(int i) {
            b = list.get(i);
            mv.visitLabel(starts[i]);
            // budget: the whole block must fit, or the interpreter runs it
            mv.visitVarInsn(Opcodes.LLOAD, MAX);
            mv.visitVarInsn(Opcodes.LLOAD, N);
            mv.visitInsn(Opcodes.LSUB);
            pushLong(mv, b.len());
            mv.visitInsn(Opcodes.LCMP);
            final long startOff = b.rel();
            stub(Opcodes.IFLT, () -> exitAt(0, startOff, -1));
            for (int e = 0; e < b.k(); e++) {
                int op = Packed.op((int) ops[b.first() + e]);
                instruction(e);
                if (isJump(op)) return;
            }
            if (b.k() < b.len()) { // the interpreter goes on at entry k
                exitAt(b.k(), startOff, b.k());
                return;
            }
            goTo(b.len(), b.rel() + (b.end() - b.off())); // fell off the block's end
        }

        /**
         * n += steps; goes to the block at {@code target} (relative to the entry page's virtual
         * base) if the region has it (checking its page if that is another page than the
         * entry's and the current block's), else exits there.
         */
        private void goTo(int steps, long target) {
            Integer to = index.get(target);
            addSteps(steps);
            if (to == null) {
                exitAt(0, target, -1);
                return;
            }
            int j = list.get(to).page();
            if (j != 0 && j != b.page()) {
                entered(j);
                stub(Opcodes.IFEQ, () -> exitAt(0, target, -1));
            }
            mv.visitJumpInsn(Opcodes.GOTO, starts[to]);
        }

        /** Pushes whether page j of the region is still what it was compiled from ({@link Region#entered}). */
        private void entered(int j) {
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitVarInsn(Opcodes.LLOAD, PAGE);
            pushLong(mv, vrel[j]);
            mv.visitInsn(Opcodes.LADD);
            pushInt(mv, j);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, SUPER, "entered", "(L" + CTX + ";JI)Z", false);
        }

        /** n += steps; EXITPC = PAGE + pageOffset; EXITE = entry; goes to the common exit. */
        private void exitAt(int steps, long pageOffset, int entry) {
            addSteps(steps);
            mv.visitVarInsn(Opcodes.LLOAD, PAGE);
            pushLong(mv, pageOffset);
            mv.visitInsn(Opcodes.LADD);
            mv.visitVarInsn(Opcodes.LSTORE, EXITPC);
            pushInt(mv, entry);
            mv.visitVarInsn(Opcodes.ISTORE, EXITE);
            mv.visitJumpInsn(Opcodes.GOTO, common);
        }

        private void addSteps(int steps) {
            if (steps == 0) return;
            mv.visitVarInsn(Opcodes.LLOAD, N);
            pushLong(mv, steps);
            mv.visitInsn(Opcodes.LADD);
            mv.visitVarInsn(Opcodes.LSTORE, N);
        }

        /** A conditional jump ({@code jumpOpcode}) to out-of-line code emitted later by {@code body}. */
        private void stub(int jumpOpcode, Runnable body) {
            Label l = new Label();
            final Block at = b;
            mv.visitJumpInsn(jumpOpcode, l);
            stubs.add(() -> {
                b = at;
                mv.visitLabel(l);
                body.run();
            });
        }

        private void read(int r) {
            if (r == 0) mv.visitInsn(Opcodes.LCONST_0);
            else mv.visitVarInsn(Opcodes.LLOAD, REG0 + 2 * r);
        }

        /** Stores the long on the stack into rd (dropped for x0). */
        private void write(int rd) {
            if (rd == 0) mv.visitInsn(Opcodes.POP2);
            else mv.visitVarInsn(Opcodes.LSTORE, REG0 + 2 * rd);
        }

        /** Pushes the virtual address of the instruction at page offset + {@code delta}. */
        private void pcPlus(long delta) {
            mv.visitVarInsn(Opcodes.LLOAD, PAGE);
            pushLong(mv, b.rel() + delta);
            mv.visitInsn(Opcodes.LADD);
        }

        private void instruction(int e) {
            final long entry = ops[b.first() + e];
            final int p = (int) entry;
            final long imm = Packed.imm(entry);
            final int op = Packed.op(p), rd = Packed.rd(p), rs1 = Packed.rs1(p), rs2 = Packed.rs2(p);
            final long at = Packed.at(p), next = at + Packed.len(p);
            switch (op) {
                case Op.NOP: return;
                case Op.LI: pushLong(mv, imm); semantics(op); write(rd); return;
                case Op.MV: read(rs2); write(rd); return;
                case Op.AUIPC: pcPlus(at); pushLong(mv, imm); semantics(op); write(rd); return;
                case Op.JAL: case Op.J:
                    if (op == Op.JAL) { pcPlus(next); write(rd); }
                    goTo(e + 1, b.rel() + at + imm);
                    return;
                case Op.JALR: case Op.JR:
                    read(rs1); pushLong(mv, imm); call("jalrTarget");
                    mv.visitVarInsn(Opcodes.LSTORE, EXITPC); // the target before rd is written (rd may be rs1)
                    if (op == Op.JALR) { pcPlus(next); write(rd); }
                    addSteps(e + 1);
                    pushInt(mv, -1);
                    mv.visitVarInsn(Opcodes.ISTORE, EXITE);
                    dispatch();
                    return;
                case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU: {
                    read(rs1); read(rs2); semantics(op); // true: taken
                    final long target = b.rel() + at + imm;
                    stub(Opcodes.IFNE, () -> goTo(e + 1, target));
                    return;
                }
                case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.LBU: case Op.LHU: case Op.LWU:
                    load(e, op, rd, rs1, imm);
                    return;
                case Op.FENCE: return; // orders nothing on one hart (FENCE.I stays out of line)
                case Op.CSRRW: case Op.CSRRS: case Op.CSRRC: case Op.CSRRWI: case Op.CSRRSI: case Op.CSRRCI:
                    csr(e, op, rd, rs1, (int) (imm & 0xFFF), next);
                    return;
                case Op.SB: case Op.SH: case Op.SW: case Op.SD:
                    store(e, op, rs1, rs2, imm);
                    return;
                default:
                    if (isAmo(op)) amo(e, op, rd, rs1, rs2);
                    else alu(op, rd, rs1, rs2, imm);
            }
        }

        /**
         * The indirect jump to EXITPC (steps and EXITE already set): a jump to the start of the
         * region's block there if the target lies in the region's page and one starts there (a
         * return to the block after a call, a switch), else the region's exit.
         */
        private void dispatch() {
            mv.visitVarInsn(Opcodes.LLOAD, EXITPC);
            mv.visitVarInsn(Opcodes.LLOAD, PAGE);
            mv.visitInsn(Opcodes.LSUB);
            mv.visitVarInsn(Opcodes.LSTORE, TMP); // the target relative to the entry page
            for (int j = 0; j < vrel.length; j++) {
                Map<Integer, Label> byOffset = new TreeMap<>();
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i).page() == j) byOffset.put((int) (list.get(i).rel() - vrel[j]), starts[i]);
                }
                if (byOffset.isEmpty()) continue;
                Label other = new Label();
                mv.visitVarInsn(Opcodes.LLOAD, TMP);
                pushLong(mv, vrel[j]);
                mv.visitInsn(Opcodes.LSUB);
                mv.visitVarInsn(Opcodes.LSTORE, VA); // the page offset, if it is on page j
                mv.visitVarInsn(Opcodes.LLOAD, VA);
                pushInt(mv, 12);
                mv.visitInsn(Opcodes.LUSHR);
                mv.visitInsn(Opcodes.LCONST_0);
                mv.visitInsn(Opcodes.LCMP);
                mv.visitJumpInsn(Opcodes.IFNE, other);
                if (j != 0 && j != b.page()) {
                    entered(j);
                    mv.visitJumpInsn(Opcodes.IFEQ, common);
                }
                int[] keys = byOffset.keySet().stream().mapToInt(Integer::intValue).toArray();
                mv.visitVarInsn(Opcodes.LLOAD, VA);
                mv.visitInsn(Opcodes.L2I);
                mv.visitLookupSwitchInsn(common, keys, byOffset.values().toArray(new Label[0]));
                mv.visitLabel(other);
            }
            mv.visitJumpInsn(Opcodes.GOTO, common);
        }

        /**
         * A Zicsr instruction (entry e, the block's last): icount synced, then the access check
         * (fails: the driver runs it, and traps), the update through {@link RareOps#csrInRegion},
         * and the exit at the next instruction if the slice must end or the TLBs were flushed.
         */
        private void csr(int e, int op, int rd, int rs1, int csr, long next) {
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitFieldInsn(Opcodes.GETFIELD, CTX, "hart", "L" + HART + ";");
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitFieldInsn(Opcodes.GETFIELD, CTX, "base", "J");
            mv.visitVarInsn(Opcodes.LLOAD, N);
            mv.visitInsn(Opcodes.LADD);
            pushLong(mv, e);
            mv.visitInsn(Opcodes.LADD);
            mv.visitFieldInsn(Opcodes.PUTFIELD, HART, "icount", "J");
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitFieldInsn(Opcodes.GETFIELD, CTX, "hart", "L" + HART + ";");
            pushInt(mv, op); pushInt(mv, rs1); pushInt(mv, csr);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RARE, "csrAccessible", "(L" + HART + ";III)Z", false);
            final long startOff = b.rel();
            stub(Opcodes.IFEQ, () -> exitAt(e, startOff, e));
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            pushInt(mv, op); pushInt(mv, rd); pushInt(mv, rs1); pushInt(mv, csr);
            if (op >= Op.CSRRWI) pushLong(mv, rs1); else read(rs1);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, RARE, "csrInRegion", "(L" + CTX + ";IIIIJ)J", false);
            write(rd);
            mv.visitVarInsn(Opcodes.ALOAD, CTXL);
            mv.visitFieldInsn(Opcodes.GETFIELD, CTX, "leave", "Z");
            stub(Opcodes.IFNE, () -> exitAt(e + 1, startOff + next, -1));
        }

        /**
         * An AMO (entry e, the block's last) on a naturally aligned address whose store
         * translation is cached: old = the value loaded, the value {@link Semantics} computes
         * from it and rs2 stored, rd = old. Misaligned or missing the store TLB: the driver runs
         * it (and traps, or walks).
         */
        private void amo(int e, int op, int rd, int rs1, int rs2) {
            boolean word = op <= Op.AMOMAXU_W;
            final long startOff = b.rel();
            translate(e, STAG, rs1, 0, 1); // VA = x[rs1]
            mv.visitVarInsn(Opcodes.LLOAD, VA); pushLong(mv, word ? 3 : 7); mv.visitInsn(Opcodes.LAND);
            mv.visitInsn(Opcodes.LCONST_0); mv.visitInsn(Opcodes.LCMP);
            stub(Opcodes.IFNE, () -> exitAt(e, startOff, e));
            mv.visitVarInsn(Opcodes.LLOAD, VA);
            mv.visitVarInsn(Opcodes.ALOAD, SDELTA); mv.visitVarInsn(Opcodes.ILOAD, T); mv.visitInsn(Opcodes.LALOAD);
            mv.visitInsn(Opcodes.LADD); mv.visitInsn(Opcodes.L2I); mv.visitVarInsn(Opcodes.ISTORE, T); // T: the RAM index now
            String vh = word ? "I32" : "I64", bits = word ? "I" : "J";
            mv.visitFieldInsn(Opcodes.GETSTATIC, HART, vh, VH_DESC);
            mv.visitVarInsn(Opcodes.ALOAD, MEM); mv.visitVarInsn(Opcodes.ILOAD, T);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)" + bits, false);
            semantics(word ? Op.LW : Op.LD);
            mv.visitVarInsn(Opcodes.LSTORE, TMP); // old
            mv.visitFieldInsn(Opcodes.GETSTATIC, HART, vh, VH_DESC);
            mv.visitVarInsn(Opcodes.ALOAD, MEM); mv.visitVarInsn(Opcodes.ILOAD, T);
            mv.visitVarInsn(Opcodes.LLOAD, TMP); read(rs2); semantics(op);
            semantics(word ? Op.SW : Op.SD);
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BI" + bits + ")V", false);
            mv.visitVarInsn(Opcodes.LLOAD, TMP);
            write(rd);
        }

        /** VA = x[rs1] + imm; T = TLB index; leaves for the interpreter at entry e unless tags[T] covers the access. */
        private void translate(int e, int tags, int rs1, long imm, int size) {
            read(rs1); pushLong(mv, imm); call("effectiveAddress"); mv.visitVarInsn(Opcodes.LSTORE, VA);
            mv.visitVarInsn(Opcodes.LLOAD, VA); pushInt(mv, 12); mv.visitInsn(Opcodes.LUSHR); mv.visitInsn(Opcodes.L2I);
            pushInt(mv, Mmu.TLB_MASK); mv.visitInsn(Opcodes.IAND); mv.visitVarInsn(Opcodes.ISTORE, T);
            mv.visitVarInsn(Opcodes.ALOAD, tags); mv.visitVarInsn(Opcodes.ILOAD, T); mv.visitInsn(Opcodes.LALOAD);
            mv.visitVarInsn(Opcodes.LLOAD, VA);
            if (size > 1) { pushLong(mv, size - 1); mv.visitInsn(Opcodes.LADD); }
            pushInt(mv, 12); mv.visitInsn(Opcodes.LUSHR);
            mv.visitInsn(Opcodes.LCMP);
            final long startOff = b.rel();
            stub(Opcodes.IFNE, () -> exitAt(e, startOff, e));
        }

        /** Pushes mem and the RAM index (int) of VA through deltas[T]. */
        private void ramIndex(int deltas) {
            mv.visitVarInsn(Opcodes.ALOAD, MEM);
            mv.visitVarInsn(Opcodes.LLOAD, VA);
            mv.visitVarInsn(Opcodes.ALOAD, deltas); mv.visitVarInsn(Opcodes.ILOAD, T); mv.visitInsn(Opcodes.LALOAD);
            mv.visitInsn(Opcodes.LADD); mv.visitInsn(Opcodes.L2I);
        }

        private void load(int e, int op, int rd, int rs1, long imm) {
            int size = Op.accessSize(op);
            translate(e, LTAG, rs1, imm, size);
            if (size > 1) mv.visitFieldInsn(Opcodes.GETSTATIC, HART, size == 2 ? "I16" : size == 4 ? "I32" : "I64", VH_DESC);
            ramIndex(LDELTA);
            switch (size) { // the bits read, in the Java type of the width
                case 1: mv.visitInsn(Opcodes.BALOAD); break;
                case 2: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)S", false); break;
                case 4: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)I", false); break;
                default: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)J", false); break;
            }
            semantics(op); // sign or zero extension
            write(rd);
        }

        private void store(int e, int op, int rs1, int rs2, long imm) {
            int size = Op.accessSize(op);
            translate(e, STAG, rs1, imm, size);
            if (size > 1) mv.visitFieldInsn(Opcodes.GETSTATIC, HART, size == 2 ? "I16" : size == 4 ? "I32" : "I64", VH_DESC);
            ramIndex(SDELTA);
            read(rs2);
            semantics(op); // the low bits of rs2, in the Java type of the width
            switch (size) {
                case 1: mv.visitInsn(Opcodes.BASTORE); break;
                case 2: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BIS)V", false); break;
                case 4: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BII)V", false); break;
                default: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BIJ)V", false); break;
            }
        }

        /** The register-register and register-immediate ops (ADDI..REMUW): rd = op(rs1, rs2 or imm). */
        private void alu(int op, int rd, int rs1, int rs2, long imm) {
            read(rs1);
            if (isImmediate(op)) pushLong(mv, imm);
            else read(rs2);
            semantics(op);
            write(rd);
        }

        /** Calls the method of {@link Semantics} that defines {@code op} (its operands are on the stack). */
        private void semantics(int op) {
            String name = SEMANTICS_OF[op];
            if (name == null) throw new IllegalArgumentException("no method of Semantics defines op " + op);
            call(name);
        }

        /** Calls the method {@code name} of {@link Semantics} (its operands are on the stack). */
        private void call(String name) {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, SEMANTICS, name, SEMANTICS_DESC.get(name), false);
        }
    }

    private static void pushInt(MethodVisitor mv, int v) {
        if (v >= -1 && v <= 5) mv.visitInsn(Opcodes.ICONST_0 + v);
        else if (v >= Byte.MIN_VALUE && v <= Byte.MAX_VALUE) mv.visitIntInsn(Opcodes.BIPUSH, v);
        else if (v >= Short.MIN_VALUE && v <= Short.MAX_VALUE) mv.visitIntInsn(Opcodes.SIPUSH, v);
        else mv.visitLdcInsn(v);
    }

    private static void pushLong(MethodVisitor mv, long v) {
        if (v == 0) mv.visitInsn(Opcodes.LCONST_0);
        else if (v == 1) mv.visitInsn(Opcodes.LCONST_1);
        else mv.visitLdcInsn(v);
    }
}
