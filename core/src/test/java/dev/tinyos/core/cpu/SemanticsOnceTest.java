package dev.tinyos.core.cpu;

import org.junit.jupiter.api.Test;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.Label;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each instruction's semantics is written once, in {@link Semantics}, and every engine is
 * derived from it. For each op the compiler handles, the region compiled from a block holding
 * that op must compute nothing beyond what the same block with a NOP in its place computes,
 * except the call of the op's method of {@link Semantics} (and, stated per kind below, the
 * plumbing around it: an instruction's pc, a taken branch's exit, a load's or store's TLB
 * check). "Computes" means an arithmetic, shift, logic, conversion or compare opcode, a
 * conditional jump, or a call of any other static method (Math, Long, Integer). So a compiler
 * that restates an op as bytecode (ADD as LADD, BLTU as Long.compareUnsigned, LBU as IAND
 * 0xFF) fails here; so does one that computes an AMO's value itself. And {@code Interpreter.loop}
 * calls every method of {@link Semantics} (its slow path of loads {@link Semantics#loadResult};
 * the out-of-line path of AMOs {@link Semantics#amo}, which calls each AMO's method).
 *
 * <p>Invariant: reads class files only; runs nothing.
 */
class SemanticsOnceTest {
    private static final String SEMANTICS = "dev/tinyos/core/cpu/Semantics";
    /** Names of the JVM opcodes (from {@link Opcodes}). */
    private static final String[] OPCODE = new String[256];

    static {
        for (Field f : Opcodes.class.getFields()) {
            String n = f.getName();
            if (f.getType() != int.class || n.matches("(ACC|T|H|F)_.*|V[0-9_].*|ASM[0-9].*|SOURCE_.*")) continue;
            try {
                int v = f.getInt(null);
                if (v >= 0 && v < 256) OPCODE[v] = n;
            } catch (IllegalAccessException e) {
                throw new ExceptionInInitializerError(e);
            }
        }
    }

    /** What one method computes: a count per computing opcode or called method, and the Semantics calls in order. */
    private static final class Computes extends MethodVisitor {
        final Map<String, Integer> counts = new TreeMap<>();
        final List<String> semantics = new ArrayList<>();

        Computes() {
            super(Opcodes.ASM9);
        }

        private void count(String what) {
            counts.merge(what, 1, Integer::sum);
        }

        @Override
        public void visitInsn(int opcode) {
            // IADD .. LXOR (arithmetic, shifts, logic), I2L .. I2S (conversions), LCMP .. DCMPG
            if (opcode >= Opcodes.IADD && opcode <= Opcodes.LXOR || opcode >= Opcodes.I2L && opcode <= Opcodes.DCMPG) {
                count(OPCODE[opcode]);
            }
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            count("IINC");
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            if (opcode != Opcodes.GOTO) count(OPCODE[opcode]);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            count("TABLESWITCH");
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            count("LOOKUPSWITCH");
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (owner.equals(SEMANTICS)) semantics.add(name);
            else count(owner.substring(owner.lastIndexOf('/') + 1) + "." + name);
        }

        /** counts minus base's counts (only the non-zero differences). */
        Map<String, Integer> minus(Computes base) {
            Map<String, Integer> d = new TreeMap<>(counts);
            base.counts.forEach((k, v) -> d.merge(k, -v, Integer::sum));
            d.values().removeIf(v -> v == 0);
            return d;
        }
    }

    /** What method {@code method} of the class file {@code bytes} computes. */
    private static Computes computes(byte[] bytes, String method) {
        Computes c = new Computes();
        new ClassReader(bytes).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String desc, String sig, String[] exc) {
                return name.equals(method) ? c : null;
            }
        }, 0);
        return c;
    }

    /** The region compiled from the block [op x1, x2, x3, imm; JR x4] (the op at page offset 0). */
    private static Computes region(int op, long imm) {
        long[] ops = {
            Packed.entry(Packed.pack(op, 1, 2, 3, 4), imm),
            Packed.entry(Packed.withAt(Packed.pack(Op.JR, 0, 4, 0, 4), 4), 0),
        };
        return computes(RegionCompiler.classFileOfBlock(ops, ops.length), "run");
    }

    /** The ops of {@link Op} by name. */
    private static Map<String, Integer> opsByName() throws IllegalAccessException {
        Map<String, Integer> ops = new TreeMap<>();
        for (Field f : Op.class.getDeclaredFields()) {
            if (f.getType() == int.class && Modifier.isStatic(f.getModifiers())) ops.put(f.getName(), f.getInt(null));
        }
        return ops;
    }

    /** What compiling {@code op} may compute beyond its Semantics call (the plumbing around it). */
    private static Map<String, Integer> plumbing(int op) {
        if (op == Op.AUIPC) return Map.of("LADD", 1); // the pc of the instruction: page base + offset
        if (op >= Op.BEQ && op <= Op.BGEU) return Map.of("IFNE", 1, "LADD", 2); // taken: steps + target pc, then exit
        if (op >= Op.LB && op <= Op.SD) { // the TLB check: index, tag compare, RAM index; the exit if it misses
            Map<String, Integer> m = new TreeMap<>(Map.of("LUSHR", 2, "L2I", 2, "IAND", 1, "LCMP", 1, "IFNE", 1));
            m.put("LADD", 2 + (Op.accessSize(op) > 1 ? 1 : 0)); // RAM index, exit pc, last byte's page
            if (Op.accessSize(op) > 1) m.put("VarHandle." + (op <= Op.LWU ? "get" : "set"), 1);
            return m;
        }
        return Map.of();
    }

    @Test
    void compiledRegionsCallSemanticsInsteadOfRestatingIt() throws IllegalAccessException {
        Computes nop = region(Op.NOP, 0);
        int checked = 0;
        for (Map.Entry<String, Integer> o : opsByName().entrySet()) {
            int op = o.getValue();
            String name = op < Op.COUNT ? RegionCompiler.semanticsOf(op) : null;
            if (op >= Op.COUNT || !RegionCompiler.compilable(op) || name == null) continue;
            assertEquals(o.getKey().toLowerCase(Locale.ROOT), name, "the method is named after the op");
            Computes c = region(op, 5);
            List<String> expected = new ArrayList<>();
            if (op >= Op.LB && op <= Op.SD) expected.add("effectiveAddress");
            expected.add(name);
            expected.add("jalrTarget"); // the block's JR
            assertEquals(expected, c.semantics, o.getKey() + ": the calls of Semantics");
            assertEquals(plumbing(op), c.minus(nop), o.getKey() + ": computed by the region beyond a NOP's region and its Semantics call");
            checked++;
        }
        assertTrue(checked >= 60, "checked " + checked + " ops");
        assertEquals(List.of("jalrTarget"), nop.semantics, "JR's target comes from Semantics");
    }

    /** The region compiled from the one-entry block [op x1, x2, x3, imm] (an op that ends its block). */
    private static Computes lastOfBlock(int op, long imm) {
        long[] ops = {Packed.entry(Packed.pack(op, 1, 2, 3, 4), imm)};
        return computes(RegionCompiler.classFileOfBlock(ops, ops.length), "run");
    }

    /**
     * What an AMO's region computes beyond a NOP's: the alignment check, the store TLB check,
     * the RAM index, and the pc of the two exits (misaligned, TLB miss) to the driver.
     */
    private static final Map<String, Integer> AMO_PLUMBING = Map.of("LUSHR", 2, "L2I", 2, "IAND", 1, "LAND", 1,
            "LCMP", 2, "IFNE", 2, "LADD", 3, "VarHandle.get", 1, "VarHandle.set", 1);

    @Test
    void compiledAmosCallSemanticsInsteadOfRestatingIt() throws IllegalAccessException {
        Computes nop = lastOfBlock(Op.NOP, 0);
        int checked = 0;
        for (Map.Entry<String, Integer> o : opsByName().entrySet()) {
            int op = o.getValue();
            if (!o.getKey().startsWith("AMO") || op >= Op.COUNT) continue;
            assertTrue(RegionCompiler.inlinedAtEnd(op), o.getKey() + " is compiled");
            String name = RegionCompiler.semanticsOf(op), w = op <= Op.AMOMAXU_W ? "w" : "d";
            assertEquals(o.getKey().toLowerCase(Locale.ROOT), name, "the method is named after the op");
            Computes c = lastOfBlock(op, 0);
            assertEquals(List.of("effectiveAddress", "l" + w, name, "s" + w), c.semantics, o.getKey() + ": the calls of Semantics");
            assertEquals(AMO_PLUMBING, c.minus(nop), o.getKey() + ": computed by the region beyond a NOP's region and its Semantics calls");
            checked++;
        }
        assertEquals(18, checked);
    }

    @Test
    void everyCompiledOpThatComputesHasItsMethod() {
        for (int op = 0; op < Op.COUNT; op++) {
            if (!RegionCompiler.compilable(op)) continue;
            boolean computesNothing = op == Op.NOP || op == Op.MV || op == Op.JAL || op == Op.J || op == Op.JALR || op == Op.JR;
            if (!computesNothing) assertNotNull(RegionCompiler.semanticsOf(op), "op " + op + " has no method in Semantics");
        }
    }

    private static byte[] classFile(Class<?> c) throws IOException {
        try (InputStream in = c.getResourceAsStream(c.getSimpleName() + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void theInterpreterCallsEveryMethodOfSemantics() throws IOException {
        byte[] bytes;
        try (InputStream in = Interpreter.class.getResourceAsStream("Interpreter.class")) {
            bytes = in.readAllBytes();
        }
        Computes loop = computes(bytes, "loop"), slow = computes(bytes, "slowInstruction");
        Computes atomic = computes(classFile(RareOps.class), "atomic"), amo = computes(classFile(Semantics.class), "amo");
        for (Method m : Semantics.class.getDeclaredMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || m.isSynthetic()) continue;
            String n = m.getName();
            if (n.equals("loadResult")) assertTrue(slow.semantics.contains(n), "slowInstruction calls Semantics.loadResult");
            else if (n.equals("amo")) assertTrue(atomic.semantics.contains(n), "RareOps.atomic calls Semantics.amo");
            else if (n.startsWith("amo")) assertTrue(amo.semantics.contains(n), "Semantics.amo calls Semantics." + n);
            else assertTrue(loop.semantics.contains(n), "Interpreter.loop calls Semantics." + n);
        }
        // and computes none of the M extension or the unsigned compares itself
        for (String k : loop.counts.keySet()) {
            assertTrue(!k.matches("[IL](MUL|DIV|REM)|Math\\.multiply.*|(Long|Integer)\\.(compare|divide|remainder)Unsigned"), "Interpreter.loop computes " + k);
        }
    }
}
