package dev.tinyos.replay.gdb;

import dev.tinyos.core.cpu.Csr;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The target description gdb reads with {@code qXfer:features:read:target.xml}: riscv:rv64
 * with the 32 integer registers and pc (remote numbers 0-32, gdb's own), the main M- and
 * S-mode CSRs (number 65 + the CSR address, as gdb numbers them) and the privilege level
 * ({@code priv}, 65 + 4096). The floating-point registers (33-64, and fflags, frm, fcsr) are
 * described too, although the hart has no F or D (misa says so): gdb refuses to debug an ELF
 * built for the double-float ABI (xv6's) against a target without them, so they are listed and
 * always read as unavailable. Invariant: every register listed is one {@link GdbServer}
 * answers with {@code p}, and {@code g} carries exactly registers 0-32.
 */
final class TargetXml {
    static final int PC = 32;
    static final int FIRST_CSR = 65;
    static final int PRIV = FIRST_CSR + 4096;
    static final int FIRST_FPR = 33;
    /** fflags, frm and fcsr: CSRs 1-3. */
    static final int FIRST_FCSR = FIRST_CSR + 1, LAST_FCSR = FIRST_CSR + 3;

    static final String[] F_NAMES = {"ft0", "ft1", "ft2", "ft3", "ft4", "ft5", "ft6", "ft7", "fs0", "fs1", "fa0",
        "fa1", "fa2", "fa3", "fa4", "fa5", "fa6", "fa7", "fs2", "fs3", "fs4", "fs5", "fs6", "fs7", "fs8", "fs9",
        "fs10", "fs11", "ft8", "ft9", "ft10", "ft11"};

    static final String[] X_NAMES = {"zero", "ra", "sp", "gp", "tp", "t0", "t1", "t2", "fp", "s1", "a0", "a1", "a2",
        "a3", "a4", "a5", "a6", "a7", "s2", "s3", "s4", "s5", "s6", "s7", "s8", "s9", "s10", "s11", "t3", "t4", "t5",
        "t6"};

    /** The CSRs described, by name, in address order within each mode. */
    static final Map<String, Integer> CSRS = new LinkedHashMap<>();

    static {
        CSRS.put("sstatus", 0x100);
        CSRS.put("sie", 0x104);
        CSRS.put("stvec", 0x105);
        CSRS.put("scounteren", 0x106);
        CSRS.put("sscratch", 0x140);
        CSRS.put("sepc", 0x141);
        CSRS.put("scause", 0x142);
        CSRS.put("stval", 0x143);
        CSRS.put("sip", 0x144);
        CSRS.put("stimecmp", 0x14D);
        CSRS.put("satp", Csr.SATP);
        CSRS.put("mstatus", 0x300);
        CSRS.put("misa", 0x301);
        CSRS.put("medeleg", 0x302);
        CSRS.put("mideleg", 0x303);
        CSRS.put("mie", 0x304);
        CSRS.put("mtvec", 0x305);
        CSRS.put("mcounteren", 0x306);
        CSRS.put("menvcfg", 0x30A);
        CSRS.put("mscratch", 0x340);
        CSRS.put("mepc", 0x341);
        CSRS.put("mcause", 0x342);
        CSRS.put("mtval", 0x343);
        CSRS.put("mip", 0x344);
        CSRS.put("mhartid", 0xF14);
        CSRS.put("cycle", 0xC00);
        CSRS.put("time", 0xC01);
        CSRS.put("instret", 0xC02);
    }

    private TargetXml() {
    }

    static String document() {
        StringBuilder b = new StringBuilder();
        b.append("<?xml version=\"1.0\"?>\n<!DOCTYPE target SYSTEM \"gdb-target.dtd\">\n<target version=\"1.0\">\n")
                .append("<architecture>riscv:rv64</architecture>\n")
                .append("<feature name=\"org.gnu.gdb.riscv.cpu\">\n");
        for (int i = 0; i < 32; i++) {
            String type = i == 1 ? "code_ptr" : i == 2 || i == 8 ? "data_ptr" : "int";
            reg(b, X_NAMES[i], i, type);
        }
        reg(b, "pc", PC, "code_ptr");
        b.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.fpu\">\n");
        for (int i = 0; i < 32; i++) {
            reg(b, F_NAMES[i], FIRST_FPR + i, "ieee_double");
        }
        reg(b, "fflags", FIRST_FCSR, "int");
        reg(b, "frm", FIRST_FCSR + 1, "int");
        reg(b, "fcsr", LAST_FCSR, "int");
        b.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.csr\">\n");
        CSRS.forEach((name, csr) -> reg(b, name, FIRST_CSR + csr, "int"));
        b.append("</feature>\n<feature name=\"org.gnu.gdb.riscv.virtual\">\n");
        reg(b, "priv", PRIV, "int");
        return b.append("</feature>\n</target>\n").toString();
    }

    private static void reg(StringBuilder b, String name, int regnum, String type) {
        b.append("<reg name=\"").append(name).append("\" bitsize=\"64\" regnum=\"").append(regnum)
                .append("\" type=\"").append(type).append("\"/>\n");
    }
}
