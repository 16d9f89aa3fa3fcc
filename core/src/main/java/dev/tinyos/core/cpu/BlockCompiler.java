package dev.tinyos.core.cpu;

import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;

/**
 * Compiles a decoded block of {@link BlockCache} to JVM bytecode (ASM), defined as a hidden
 * class in this package: a {@link CompiledBlock}. Guest registers live in JVM locals inside the
 * unit: loaded from {@code x} at entry, the ones written stored back at every exit. Compiled
 * ops: the inline ALU ops, loads and stores through the loop's TLB fast path (a miss leaves to
 * the interpreter at that entry), conditional branches (a taken one leaves the block) and the
 * jumps that end a block. The first op of any other kind ends the compiled prefix: the
 * interpreter goes on there. A block whose first op is not compilable is not compiled.
 *
 * <p>Invariant: the generated code computes what the matching {@code case} of
 * {@code Interpreter.loop} computes (the differential test {@code CompilerDifferentialTest}
 * checks it), and allocates nothing.
 */
final class BlockCompiler {
    private BlockCompiler() {}

    private static final MethodHandles.Lookup LOOKUP = MethodHandles.lookup();
    private static final String SUPER = "dev/tinyos/core/cpu/CompiledBlock";
    private static final String NAME = "dev/tinyos/core/cpu/CompiledBlock$Unit";
    private static final String HART = "dev/tinyos/core/cpu/Hart";
    private static final String VH = "java/lang/invoke/VarHandle";
    private static final String VH_DESC = "Ljava/lang/invoke/VarHandle;";
    private static final String OPS = "dev/tinyos/core/cpu/CompiledOps";

    // locals of run(): this, x, mem, lTag, lDelta, sTag, sDelta, pc (2 slots), out; then the
    // 32 guest registers (2 slots each), then temporaries
    private static final int X = 1, MEM = 2, LTAG = 3, LDELTA = 4, STAG = 5, SDELTA = 6, PC = 7, OUT = 9;
    private static final int REG0 = 10, VA = REG0 + 64, T = VA + 2, TMP = T + 1;

    /** True if the compiler handles {@code op}. */
    static boolean compilable(int op) {
        return op >= Op.NOP && op <= Op.MV || op == Op.J || op == Op.JR;
    }

    private static boolean endsControl(int op) {
        return op == Op.JAL || op == Op.JALR || op == Op.J || op == Op.JR;
    }

    /** Compiles block {@code blk} of {@code blocks}, or returns null if its first op is not compilable. */
    static CompiledBlock compile(BlockCache blocks, int blk) {
        final int first = blk << BlockCache.MAX_BLOCK_SHIFT, len = blocks.bLen[blk];
        int k = 0;
        while (k < len && compilable(Packed.op((int) blocks.bOps[first + k]))) k++;
        if (k == 0) return null;
        byte[] bytes = generate(blocks.bOps, first, k, len);
        try {
            Class<?> c = LOOKUP.defineHiddenClass(bytes, true).lookupClass();
            return (CompiledBlock) c.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("compiled block does not load", e);
        }
    }

    /** A pending exit: a label, the registers written before it, and what it returns. */
    private record Exit(Label label, boolean[] dirty, int ret, long targetOffset, boolean targetInTmp) {}

    /** The class file of a unit running entries [first, first + k) of a block of {@code len} entries. */
    static byte[] generate(long[] ops, int first, int k, int len) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_FRAMES | ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V17, Opcodes.ACC_FINAL | Opcodes.ACC_SUPER, NAME, null, SUPER, null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        pushInt(init, k);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, SUPER, "<init>", "(I)V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(0, 0);
        init.visitEnd();

        MethodVisitor mv = cw.visitMethod(0, "run", "([J[B[J[J[J[JJ[J)I", null, null);
        mv.visitCode();
        new Emitter(mv, ops, first, k, len).emit();
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Emits the body of run() for one block. */
    private static final class Emitter {
        private final MethodVisitor mv;
        private final long[] ops;
        private final int first, k, len;
        private final boolean[] dirty = new boolean[32];
        private final List<Exit> exits = new ArrayList<>();

        Emitter(MethodVisitor mv, long[] ops, int first, int k, int len) {
            this.mv = mv;
            this.ops = ops;
            this.first = first;
            this.k = k;
            this.len = len;
        }

        void emit() {
            boolean[] used = new boolean[32];
            for (int e = 0; e < k; e++) {
                int p = (int) ops[first + e];
                used[Packed.rd(p)] = used[Packed.rs1(p)] = used[Packed.rs2(p)] = true;
            }
            for (int r = 1; r < 32; r++) {
                if (!used[r]) continue;
                mv.visitVarInsn(Opcodes.ALOAD, X);
                pushInt(mv, r);
                mv.visitInsn(Opcodes.LALOAD);
                mv.visitVarInsn(Opcodes.LSTORE, REG0 + 2 * r);
            }
            boolean leftByJump = false;
            for (int e = 0; e < k; e++) {
                int op = Packed.op((int) ops[first + e]);
                instruction(e);
                if (endsControl(op)) {
                    leftByJump = true;
                    break;
                }
            }
            if (!leftByJump) {
                if (k < len) { // the interpreter goes on at entry k
                    storeDirty(dirty);
                    pushInt(mv, -1 - k);
                    mv.visitInsn(Opcodes.IRETURN);
                } else { // fell off the block's end
                    int q = (int) ops[first + len - 1];
                    storeDirty(dirty);
                    setOut(Packed.at(q) + Packed.len(q), false);
                    pushInt(mv, CompiledBlock.FELL | len);
                    mv.visitInsn(Opcodes.IRETURN);
                }
            }
            for (Exit x : exits) {
                mv.visitLabel(x.label());
                storeDirty(x.dirty());
                if (x.ret() >= 0) setOut(x.targetOffset(), x.targetInTmp());
                pushInt(mv, x.ret());
                mv.visitInsn(Opcodes.IRETURN);
            }
        }

        private void storeDirty(boolean[] d) {
            for (int r = 1; r < 32; r++) {
                if (!d[r]) continue;
                mv.visitVarInsn(Opcodes.ALOAD, X);
                pushInt(mv, r);
                mv.visitVarInsn(Opcodes.LLOAD, REG0 + 2 * r);
                mv.visitInsn(Opcodes.LASTORE);
            }
        }

        /** out[0] = TMP (inTmp) or pc + offset. */
        private void setOut(long offset, boolean inTmp) {
            mv.visitVarInsn(Opcodes.ALOAD, OUT);
            mv.visitInsn(Opcodes.ICONST_0);
            if (inTmp) {
                mv.visitVarInsn(Opcodes.LLOAD, TMP);
            } else {
                mv.visitVarInsn(Opcodes.LLOAD, PC);
                pushLong(mv, offset);
                mv.visitInsn(Opcodes.LADD);
            }
            mv.visitInsn(Opcodes.LASTORE);
        }

        /** A jump to a new exit returning {@code ret}, taken by {@code jumpOpcode} (or GOTO). */
        private void exitVia(int jumpOpcode, int ret, long targetOffset, boolean inTmp) {
            Label l = new Label();
            exits.add(new Exit(l, dirty.clone(), ret, targetOffset, inTmp));
            mv.visitJumpInsn(jumpOpcode, l);
        }

        private void read(int r) {
            if (r == 0) mv.visitInsn(Opcodes.LCONST_0);
            else mv.visitVarInsn(Opcodes.LLOAD, REG0 + 2 * r);
        }

        /** Stores the long on the stack into rd (dropped for x0). */
        private void write(int rd) {
            if (rd == 0) {
                mv.visitInsn(Opcodes.POP2);
            } else {
                mv.visitVarInsn(Opcodes.LSTORE, REG0 + 2 * rd);
                dirty[rd] = true;
            }
        }

        private void instruction(int e) {
            final long entry = ops[first + e];
            final int p = (int) entry;
            final long imm = Packed.imm(entry);
            final int op = Packed.op(p), rd = Packed.rd(p), rs1 = Packed.rs1(p), rs2 = Packed.rs2(p);
            final long at = Packed.at(p), next = at + Packed.len(p);
            switch (op) {
                case Op.NOP: return;
                case Op.LI: pushLong(mv, imm); write(rd); return;
                case Op.MV: read(rs2); write(rd); return;
                case Op.AUIPC: mv.visitVarInsn(Opcodes.LLOAD, PC); pushLong(mv, at + imm); mv.visitInsn(Opcodes.LADD); write(rd); return;
                case Op.JAL: case Op.J:
                    if (op == Op.JAL) { mv.visitVarInsn(Opcodes.LLOAD, PC); pushLong(mv, next); mv.visitInsn(Opcodes.LADD); write(rd); }
                    exitVia(Opcodes.GOTO, e + 1, at + imm, false);
                    return;
                case Op.JALR: case Op.JR:
                    read(rs1); pushLong(mv, imm); mv.visitInsn(Opcodes.LADD); pushLong(mv, ~1L); mv.visitInsn(Opcodes.LAND);
                    mv.visitVarInsn(Opcodes.LSTORE, TMP); // the target before rd is written (rd may be rs1)
                    if (op == Op.JALR) { mv.visitVarInsn(Opcodes.LLOAD, PC); pushLong(mv, next); mv.visitInsn(Opcodes.LADD); write(rd); }
                    exitVia(Opcodes.GOTO, e + 1, 0, true);
                    return;
                case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
                    read(rs1); read(rs2);
                    if (op == Op.BLTU || op == Op.BGEU) mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
                    else mv.visitInsn(Opcodes.LCMP);
                    int jump = switch (op) {
                        case Op.BEQ -> Opcodes.IFEQ;
                        case Op.BNE -> Opcodes.IFNE;
                        case Op.BLT, Op.BLTU -> Opcodes.IFLT;
                        default -> Opcodes.IFGE;
                    };
                    exitVia(jump, e + 1, at + imm, false);
                    return;
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

        /** VA = x[rs1] + imm; T = TLB index; jumps to a miss exit unless tags[T] covers the access. */
        private void translate(int e, int tags, int rs1, long imm, int size) {
            read(rs1); pushLong(mv, imm); mv.visitInsn(Opcodes.LADD); mv.visitVarInsn(Opcodes.LSTORE, VA);
            mv.visitVarInsn(Opcodes.LLOAD, VA); pushInt(mv, 12); mv.visitInsn(Opcodes.LUSHR); mv.visitInsn(Opcodes.L2I);
            pushInt(mv, Mmu.TLB_MASK); mv.visitInsn(Opcodes.IAND); mv.visitVarInsn(Opcodes.ISTORE, T);
            mv.visitVarInsn(Opcodes.ALOAD, tags); mv.visitVarInsn(Opcodes.ILOAD, T); mv.visitInsn(Opcodes.LALOAD);
            mv.visitVarInsn(Opcodes.LLOAD, VA);
            if (size > 1) { pushLong(mv, size - 1); mv.visitInsn(Opcodes.LADD); }
            pushInt(mv, 12); mv.visitInsn(Opcodes.LUSHR);
            mv.visitInsn(Opcodes.LCMP);
            exitVia(Opcodes.IFNE, -1 - e, 0, false);
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
            switch (op) {
                case Op.LB: mv.visitInsn(Opcodes.BALOAD); mv.visitInsn(Opcodes.I2L); break;
                case Op.LBU: mv.visitInsn(Opcodes.BALOAD); pushInt(mv, 0xFF); mv.visitInsn(Opcodes.IAND); mv.visitInsn(Opcodes.I2L); break;
                case Op.LH: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)S", false); mv.visitInsn(Opcodes.I2L); break;
                case Op.LHU: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)S", false); pushInt(mv, 0xFFFF); mv.visitInsn(Opcodes.IAND); mv.visitInsn(Opcodes.I2L); break;
                case Op.LW: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)I", false); mv.visitInsn(Opcodes.I2L); break;
                case Op.LWU: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)I", false); mv.visitInsn(Opcodes.I2L); pushLong(mv, 0xFFFF_FFFFL); mv.visitInsn(Opcodes.LAND); break;
                default: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "get", "([BI)J", false); break; // LD
            }
            write(rd);
        }

        private void store(int e, int op, int rs1, int rs2, long imm) {
            int size = Op.accessSize(op);
            translate(e, STAG, rs1, imm, size);
            if (size > 1) mv.visitFieldInsn(Opcodes.GETSTATIC, HART, size == 2 ? "I16" : size == 4 ? "I32" : "I64", VH_DESC);
            ramIndex(SDELTA);
            read(rs2);
            switch (op) {
                case Op.SB: mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.I2B); mv.visitInsn(Opcodes.BASTORE); break;
                case Op.SH: mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.I2S); mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BIS)V", false); break;
                case Op.SW: mv.visitInsn(Opcodes.L2I); mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BII)V", false); break;
                default: mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, VH, "set", "([BIJ)V", false); break; // SD
            }
        }

        /** The register-register and register-immediate ops (ADDI..REMUW). */
        private void alu(int op, int rd, int rs1, int rs2, long imm) {
            read(rs1);
            switch (op) {
                case Op.ADDI: pushLong(mv, imm); mv.visitInsn(Opcodes.LADD); break;
                case Op.SLTI: pushLong(mv, imm); mv.visitInsn(Opcodes.LCMP); lessThanZero(); break;
                case Op.SLTIU: pushLong(mv, imm); unsignedCompare(); lessThanZero(); break;
                case Op.XORI: pushLong(mv, imm); mv.visitInsn(Opcodes.LXOR); break;
                case Op.ORI: pushLong(mv, imm); mv.visitInsn(Opcodes.LOR); break;
                case Op.ANDI: pushLong(mv, imm); mv.visitInsn(Opcodes.LAND); break;
                case Op.SLLI: pushInt(mv, (int) imm); mv.visitInsn(Opcodes.LSHL); break;
                case Op.SRLI: pushInt(mv, (int) imm); mv.visitInsn(Opcodes.LUSHR); break;
                case Op.SRAI: pushInt(mv, (int) imm); mv.visitInsn(Opcodes.LSHR); break;
                case Op.ADD: read(rs2); mv.visitInsn(Opcodes.LADD); break;
                case Op.SUB: read(rs2); mv.visitInsn(Opcodes.LSUB); break;
                case Op.SLL: read(rs2); mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.LSHL); break;
                case Op.SLT: read(rs2); mv.visitInsn(Opcodes.LCMP); lessThanZero(); break;
                case Op.SLTU: read(rs2); unsignedCompare(); lessThanZero(); break;
                case Op.XOR: read(rs2); mv.visitInsn(Opcodes.LXOR); break;
                case Op.SRL: read(rs2); mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.LUSHR); break;
                case Op.SRA: read(rs2); mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.LSHR); break;
                case Op.OR: read(rs2); mv.visitInsn(Opcodes.LOR); break;
                case Op.AND: read(rs2); mv.visitInsn(Opcodes.LAND); break;
                case Op.ADDIW: pushLong(mv, imm); mv.visitInsn(Opcodes.LADD); mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.I2L); break;
                case Op.SLLIW: mv.visitInsn(Opcodes.L2I); pushInt(mv, (int) imm); mv.visitInsn(Opcodes.ISHL); mv.visitInsn(Opcodes.I2L); break;
                case Op.SRLIW: mv.visitInsn(Opcodes.L2I); pushInt(mv, (int) imm); mv.visitInsn(Opcodes.IUSHR); mv.visitInsn(Opcodes.I2L); break;
                case Op.SRAIW: mv.visitInsn(Opcodes.L2I); pushInt(mv, (int) imm); mv.visitInsn(Opcodes.ISHR); mv.visitInsn(Opcodes.I2L); break;
                case Op.ADDW: read(rs2); mv.visitInsn(Opcodes.LADD); mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.I2L); break;
                case Op.SUBW: read(rs2); mv.visitInsn(Opcodes.LSUB); mv.visitInsn(Opcodes.L2I); mv.visitInsn(Opcodes.I2L); break;
                case Op.SLLW: intOp(rs2, Opcodes.ISHL); break;
                case Op.SRLW: intOp(rs2, Opcodes.IUSHR); break;
                case Op.SRAW: intOp(rs2, Opcodes.ISHR); break;
                case Op.MUL: read(rs2); mv.visitInsn(Opcodes.LMUL); break;
                case Op.MULW: intOp(rs2, Opcodes.IMUL); break;
                case Op.MULH: read(rs2); mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Math", "multiplyHigh", "(JJ)J", false); break;
                case Op.MULHSU: case Op.MULHU: case Op.DIV: case Op.DIVU: case Op.REM: case Op.REMU:
                case Op.DIVW: case Op.DIVUW: case Op.REMW: case Op.REMUW:
                    read(rs2);
                    mv.visitMethodInsn(Opcodes.INVOKESTATIC, OPS, CompiledOps.name(op), "(JJ)J", false);
                    break;
                default: throw new IllegalArgumentException("not an ALU op: " + op);
            }
            write(rd);
        }

        /** (int) a OP (int) b, sign-extended: a is on the stack. */
        private void intOp(int rs2, int opcode) {
            mv.visitInsn(Opcodes.L2I);
            read(rs2);
            mv.visitInsn(Opcodes.L2I);
            mv.visitInsn(opcode);
            mv.visitInsn(Opcodes.I2L);
        }

        private void unsignedCompare() {
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Long", "compareUnsigned", "(JJ)I", false);
        }

        /** int c on the stack -> (long) (c &lt; 0 ? 1 : 0). */
        private void lessThanZero() {
            pushInt(mv, 31);
            mv.visitInsn(Opcodes.IUSHR);
            mv.visitInsn(Opcodes.I2L);
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
