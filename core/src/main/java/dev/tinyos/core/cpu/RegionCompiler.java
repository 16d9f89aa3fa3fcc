package dev.tinyos.core.cpu;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

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
 * (so a loop in the page is a loop in the method); any other target, an indirect jump, a
 * load or store that misses its TLB, and an op the compiler does not handle (system, CSR,
 * atomics, FENCE, ILLEGAL, a load into x0: they all end their block) leave the region.
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

    /** True if the compiler handles {@code op}. */
    static boolean compilable(int op) {
        return op >= Op.NOP && op <= Op.MV || op == Op.J || op == Op.JR;
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
        if (op >= Op.LB && op <= Op.SD) return 60;
        if (isBranch(op) || isJump(op)) return 30;
        return 12;
    }

    /** One block of a region: RAM offset, length, compiled prefix, first index in the ops array, end offset. */
    private record Block(int off, int len, int k, int first, int end) {}

    /**
     * Compiles the region entered at block {@code blk} (RAM offset {@code off}) of
     * {@code blocks}; null if the block's first op is not compilable.
     */
    static Region compile(BlockCache blocks, int blk, int off, int minHeat) {
        long[] ops = new long[MAX_BLOCKS * BlockCache.MAX_BLOCK];
        long[] imms = new long[ops.length];
        List<Block> list = new ArrayList<>();
        Map<Integer, Integer> index = new HashMap<>();
        ArrayDeque<Integer> work = new ArrayDeque<>();
        work.add(off);
        int cost = 0;
        while (!work.isEmpty() && list.size() < MAX_BLOCKS) {
            int o = work.poll();
            if (index.containsKey(o) || !list.isEmpty() && blocks.heatAt(o) < minHeat) continue; // cold: an exit
            int first = list.size() * BlockCache.MAX_BLOCK;
            int len = blocks.decodeBlock(o, ops, imms, first);
            if (len == 0) continue; // its first instruction straddles the page: an exit
            int end = blocks.decodedEnd;
            int k = 0, c = 40;
            while (k < len && compilable(Packed.op((int) ops[first + k]))) c += cost(Packed.op((int) ops[first + k++]));
            if (k == 0) {
                if (list.isEmpty()) return null;
                continue;
            }
            if (!list.isEmpty() && cost + c > MAX_COST) continue;
            cost += c;
            index.put(o, list.size());
            list.add(new Block(o, len, k, first, end));
            blocks.markCode(o, end - o);
            for (int e = 0; e < k; e++) {
                int p = (int) ops[first + e], op = Packed.op(p);
                if (isBranch(op) || op == Op.JAL || op == Op.J) {
                    long t = o + Packed.at(p) + Packed.imm(ops[first + e]);
                    if (t >= 0 && (t >>> 12) == (o >>> 12)) work.add((int) t);
                }
            }
            int last = Packed.op((int) ops[first + k - 1]);
            if (k == len && !isJump(last) && (end >>> 12) == (o >>> 12)) work.add(end);
        }
        return define(generate(ops, list, index), list.get(0).len());
    }

    /**
     * Regions already defined in this JVM, by class file: a region's code is a function of its
     * decoded instructions and their page offsets only (no address, no hart), so machines
     * share it, and the JVM compiles it once (a fresh machine does not warm up its regions
     * again). Bounded: cleared when it holds {@link #MAX_SHARED} classes (those still in use
     * stay alive through their block caches).
     */
    private static final Map<ByteBuffer, Region> SHARED = new HashMap<>();
    /** Bound: classes kept in {@link #SHARED}. */
    static final int MAX_SHARED = 16_384;
    /** Statistics: regions found in {@link #SHARED} instead of defined. */
    static long sharedHits;

    private static synchronized Region define(byte[] bytes, int firstLen) {
        ByteBuffer key = ByteBuffer.wrap(bytes);
        Region r = SHARED.get(key);
        if (r != null) {
            sharedHits++;
            return r;
        }
        try {
            Class<?> c = LOOKUP.defineHiddenClass(bytes, true).lookupClass();
            r = (Region) c.getDeclaredConstructor(int.class, int.class).newInstance(firstLen, bytes.length);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("compiled region does not load", e);
        }
        if (SHARED.size() >= MAX_SHARED) SHARED.clear();
        SHARED.put(key, r);
        return r;
    }

    /**
     * The class file of a region of one block at page offset 0, whose decoded entries (with
     * their offsets) are {@code ops[0..len)}: what the compiler emits for them (for tests).
     */
    static byte[] classFileOfBlock(long[] ops, int len) {
        int k = 0, end = 0;
        while (k < len && compilable(Packed.op((int) ops[k]))) k++;
        for (int e = 0; e < len; e++) end = Math.max(end, Packed.at((int) ops[e]) + Packed.len((int) ops[e]));
        return generate(ops, List.of(new Block(0, len, k, 0, end)), Map.of(0, 0));
    }

    /** The class file of a region made of {@code list} (entry first). */
    static byte[] generate(long[] ops, List<Block> list, Map<Integer, Integer> index) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, NAME, null, SUPER, null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "(II)V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitVarInsn(Opcodes.ILOAD, 1);
        init.visitVarInsn(Opcodes.ILOAD, 2);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, "<init>", "(II)V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(0, "run", "(L" + CTX + ";JJJ)J", null, null);
        mv.visitCode();
        new Emitter(mv, ops, list, index).emit();
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
        private final Map<Integer, Integer> index;
        private final Label[] starts;
        private final Label common = new Label();
        private final List<Runnable> stubs = new ArrayList<>();
        private final boolean[] written = new boolean[32];
        private Block b; // the block being emitted

        Emitter(MethodVisitor mv, long[] ops, List<Block> list, Map<Integer, Integer> index) {
            this.mv = mv;
            this.ops = ops;
            this.list = list;
            this.index = index;
            this.starts = new Label[list.size()];
            for (int i = 0; i < starts.length; i++) starts[i] = new Label();
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
            field(X, "x", "[J");
            field(MEM, "mem", "[B");
            field(LTAG, "lTag", "[J");
            field(LDELTA, "lDelta", "[J");
            field(STAG, "sTag", "[J");
            field(SDELTA, "sDelta", "[J");
            mv.visitVarInsn(Opcodes.LLOAD, PC);
            pushLong(mv, list.get(0).off() & 0xFFF);
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
            for (Runnable s : stubs) s.run();
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
            final int startOff = b.off() & 0xFFF;
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
            goTo(b.len(), b.end()); // fell off the block's end
        }

        /** n += steps; goes to the block at RAM offset {@code target} if the region has it, else exits there. */
        private void goTo(int steps, long target) {
            Integer to = (target >>> 12) == (b.off() >>> 12) ? index.get((int) target) : null;
            addSteps(steps);
            if (to != null) mv.visitJumpInsn(Opcodes.GOTO, starts[to]);
            else exitAt(0, target - (b.off() & ~0xFFF), -1);
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
            pushLong(mv, (b.off() & 0xFFF) + delta);
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
                    goTo(e + 1, b.off() + at + imm);
                    return;
                case Op.JALR: case Op.JR:
                    read(rs1); pushLong(mv, imm); call("jalrTarget");
                    mv.visitVarInsn(Opcodes.LSTORE, EXITPC); // the target before rd is written (rd may be rs1)
                    if (op == Op.JALR) { pcPlus(next); write(rd); }
                    addSteps(e + 1);
                    pushInt(mv, -1);
                    mv.visitVarInsn(Opcodes.ISTORE, EXITE);
                    mv.visitJumpInsn(Opcodes.GOTO, common);
                    return;
                case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU: {
                    read(rs1); read(rs2); semantics(op); // true: taken
                    final long target = b.off() + at + imm;
                    stub(Opcodes.IFNE, () -> goTo(e + 1, target));
                    return;
                }
                case Op.LB: case Op.LH: case Op.LW: case Op.LD: case Op.LBU: case Op.LHU: case Op.LWU:
                    load(e, op, rd, rs1, imm);
                    return;
                case Op.SB: case Op.SH: case Op.SW: case Op.SD:
                    store(e, op, rs1, rs2, imm);
                    return;
                default:
                    alu(op, rd, rs1, rs2, imm);
            }
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
            final int startOff = b.off() & 0xFFF;
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
