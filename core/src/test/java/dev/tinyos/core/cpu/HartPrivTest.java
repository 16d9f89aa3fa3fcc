package dev.tinyos.core.cpu;

import org.junit.jupiter.api.Test;

import static dev.tinyos.core.cpu.Asm.*;
import static dev.tinyos.core.cpu.HartFixture.RAM;
import static org.junit.jupiter.api.Assertions.*;

/** CSR access rules, WARL fields, traps, delegation, xRET, interrupts and WFI. */
class HartPrivTest {
    static final long HANDLER = RAM + 0x800;

    private HartFixture fixture(int priv, int... words) {
        HartFixture f = new HartFixture();
        f.hart.writeCsr(Csr.MTVEC, HANDLER);
        f.hart.writeCsr(Csr.STVEC, HANDLER + 0x100);
        f.put(RAM, words);
        f.hart.priv = priv;
        return f;
    }

    private static void assertTrap(HartFixture f, long cause, long tval, long epc) {
        assertEquals(cause, f.csr(Csr.MCAUSE), "mcause");
        assertEquals(tval, f.csr(Csr.MTVAL), "mtval");
        assertEquals(epc, f.csr(Csr.MEPC), "mepc");
        assertEquals(Hart.PRIV_M, f.hart.priv);
        assertEquals(HANDLER, f.hart.pc);
    }

    @Test
    void readOnlyCsrsReadWithSetX0ButTrapOnWrite() {
        HartFixture f = fixture(Hart.PRIV_M, csrrs(1, Csr.MHARTID, 0), csrrs(2, Csr.MISA, 0),
                csrrw(0, Csr.MVENDORID, 1));
        f.steps(3);
        assertEquals(0, f.x(1));
        assertEquals((2L << 62) | 0x14_1105L, f.x(2), "misa = RV64 IMACSU");
        assertTrap(f, Cause.ILLEGAL_INSTRUCTION, csrrw(0, Csr.MVENDORID, 1) & 0xFFFF_FFFFL, RAM + 8);
    }

    @Test
    void csrrsiWithZeroDoesNotWriteButCsrrwiDoes() {
        HartFixture f = fixture(Hart.PRIV_M, csrrsi(1, Csr.CYCLE, 0), csrrwi(2, Csr.MSCRATCH, 7),
                csrrci(3, Csr.MSCRATCH, 2), csrrsi(4, Csr.MSCRATCH, 8), csrrs(5, Csr.MSCRATCH, 0));
        f.steps(5);
        assertEquals(7, f.x(3));
        assertEquals(5, f.x(4));
        assertEquals(13, f.x(5));
        assertEquals(1, f.x(1) + 1, "cycle counts the steps before it (0)");
    }

    @Test
    void nonexistentAndOddPmpcfgAndPrivilegeViolationsAreIllegal() {
        for (int csr : new int[] {0x3A1, 0x7C0, 0xC80, 0x7A4, 0x5A8}) {
            HartFixture f = fixture(Hart.PRIV_M, csrrs(1, csr, 0));
            f.steps(1);
            assertEquals(Cause.ILLEGAL_INSTRUCTION, f.csr(Csr.MCAUSE), Integer.toHexString(csr));
        }
        HartFixture s = fixture(Hart.PRIV_S, csrrs(1, Csr.MSTATUS, 0));
        s.steps(1);
        assertTrap(s, Cause.ILLEGAL_INSTRUCTION, csrrs(1, Csr.MSTATUS, 0), RAM);
        assertEquals(Hart.PRIV_S, (s.csr(Csr.MSTATUS) >> 11) & 3, "MPP = S");
    }

    @Test
    void countersAreGatedByCounteren() {
        HartFixture f = fixture(Hart.PRIV_U, csrrs(1, Csr.TIME, 0));
        f.steps(1);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, f.csr(Csr.MCAUSE));
        f = fixture(Hart.PRIV_U, csrrs(1, Csr.TIME, 0));
        f.hart.writeCsr(Csr.MCOUNTEREN, 2);
        f.steps(1);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, f.csr(Csr.MCAUSE), "U also needs scounteren");
        f = fixture(Hart.PRIV_U, csrrs(1, Csr.TIME, 0), csrrs(2, Csr.HPMCOUNTER3 + 1, 0));
        f.hart.writeCsr(Csr.MCOUNTEREN, 0x12);
        f.hart.writeCsr(Csr.SCOUNTEREN, 0x12);
        f.steps(2);
        assertEquals(1234, f.x(1));
        assertEquals(0, f.x(2));
        assertEquals(RAM + 8, f.hart.pc);
    }

    @Test
    void warlFields() {
        Hart h = new HartFixture().hart;
        h.writeCsr(Csr.MSTATUS, -1L);
        long ms = h.readCsr(Csr.MSTATUS);
        assertEquals(2, (ms >>> 32) & 3, "UXL");
        assertEquals(2, (ms >>> 34) & 3, "SXL");
        assertEquals(0, ms & Csr.MSTATUS_FS, "no FS");
        assertEquals(Csr.MSTATUS_MPP, ms & Csr.MSTATUS_MPP);
        h.writeCsr(Csr.MSTATUS, 2L << 11);
        assertNotEquals(2L << 11, h.readCsr(Csr.MSTATUS) & Csr.MSTATUS_MPP, "MPP=H is not legal");
        h.writeCsr(Csr.MTVEC, RAM + 1);
        h.writeCsr(Csr.MTVEC, RAM + 0x102);
        assertEquals(RAM + 0x101, h.readCsr(Csr.MTVEC), "reserved mode keeps the old mode");
        h.writeCsr(Csr.MEPC, 0x1235);
        assertEquals(0x1234, h.readCsr(Csr.MEPC));
        h.writeCsr(Csr.MEDELEG, -1L);
        assertEquals(0xB3FF, h.readCsr(Csr.MEDELEG));
        h.writeCsr(Csr.MIDELEG, -1L);
        assertEquals(0x222, h.readCsr(Csr.MIDELEG));
        h.writeCsr(Csr.MIE, -1L);
        assertEquals(0xAAA, h.readCsr(Csr.MIE));
        assertEquals(0x222, h.readCsr(Csr.SIE));
        h.writeCsr(Csr.SATP, (8L << 60) | 0x123);
        h.writeCsr(Csr.SATP, (9L << 60) | 0x456);
        assertEquals((8L << 60) | 0x123, h.readCsr(Csr.SATP), "Sv48 is not supported: write ignored");
        h.writeCsr(Csr.MHPMCOUNTER3, 5);
        assertEquals(0, h.readCsr(Csr.MHPMCOUNTER3));
        h.writeCsr(Csr.PMPADDR0 + 5, -1L);
        assertEquals((1L << 54) - 1, h.readCsr(Csr.PMPADDR0 + 5));
        h.writeCsr(Csr.MCYCLE, 1000);
        assertEquals(1000, h.readCsr(Csr.MCYCLE));
    }

    @Test
    void sipAndSieAreViewsThroughMideleg() {
        Hart h = new HartFixture().hart;
        h.writeCsr(Csr.MIP, Csr.MIP_SSIP | Csr.MIP_STIP);
        assertEquals(0, h.readCsr(Csr.SIP), "nothing delegated");
        h.writeCsr(Csr.MIDELEG, Csr.MIP_SSIP | Csr.MIP_STIP);
        assertEquals(Csr.MIP_SSIP | Csr.MIP_STIP, h.readCsr(Csr.SIP));
        h.writeCsr(Csr.SIP, 0);
        assertEquals(Csr.MIP_STIP, h.readCsr(Csr.MIP), "only SSIP is writable through sip");
        h.setInterruptLine(Csr.MIP_SEIP, true);
        assertEquals(Csr.MIP_STIP | Csr.MIP_SEIP, h.readCsr(Csr.MIP));
    }

    @Test
    void ecallCausesAndDelegation() {
        HartFixture m = fixture(Hart.PRIV_M, ECALL);
        m.steps(1);
        assertTrap(m, Cause.MACHINE_ECALL, 0, RAM);
        HartFixture u = fixture(Hart.PRIV_U, ECALL);
        u.hart.writeCsr(Csr.MEDELEG, 1L << Cause.USER_ECALL);
        u.steps(1);
        assertEquals(Hart.PRIV_S, u.hart.priv);
        assertEquals(HANDLER + 0x100, u.hart.pc);
        assertEquals(Cause.USER_ECALL, u.csr(Csr.SCAUSE));
        assertEquals(RAM, u.csr(Csr.SEPC));
        assertEquals(0, u.csr(Csr.MSTATUS) & Csr.MSTATUS_SPP);
        HartFixture s = fixture(Hart.PRIV_S, ECALL);
        s.hart.writeCsr(Csr.MEDELEG, 1L << Cause.USER_ECALL);
        s.steps(1);
        assertTrap(s, Cause.SUPERVISOR_ECALL, 0, RAM);
    }

    @Test
    void ebreakTrapsWithZeroTvalAsQemuDoes() {
        HartFixture f = fixture(Hart.PRIV_M);
        f.put16(RAM, 0x0001, 0x9002); // c.nop, c.ebreak
        f.steps(2);
        assertTrap(f, Cause.BREAKPOINT, 0, RAM + 2);
    }

    @Test
    void mretRestoresStackAndClearsMprv() {
        HartFixture f = fixture(Hart.PRIV_M, MRET);
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_MPIE | (1L << 11) | Csr.MSTATUS_MPRV);
        f.hart.writeCsr(Csr.MEPC, RAM + 0x40);
        f.steps(1);
        assertEquals(Hart.PRIV_S, f.hart.priv);
        assertEquals(RAM + 0x40, f.hart.pc);
        long ms = f.csr(Csr.MSTATUS);
        assertEquals(Csr.MSTATUS_MIE | Csr.MSTATUS_MPIE, ms & (Csr.MSTATUS_MIE | Csr.MSTATUS_MPIE | Csr.MSTATUS_MPP | Csr.MSTATUS_MPRV));
    }

    @Test
    void sretRules() {
        HartFixture f = fixture(Hart.PRIV_S, SRET);
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_SPIE | Csr.MSTATUS_SPP);
        f.hart.writeCsr(Csr.SEPC, RAM + 0x40);
        f.steps(1);
        assertEquals(Hart.PRIV_S, f.hart.priv);
        assertEquals(RAM + 0x40, f.hart.pc);
        assertEquals(Csr.MSTATUS_SIE | Csr.MSTATUS_SPIE, f.csr(Csr.MSTATUS) & 0x1FF);
        HartFixture tsr = fixture(Hart.PRIV_S, SRET);
        tsr.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_TSR);
        tsr.steps(1);
        assertTrap(tsr, Cause.ILLEGAL_INSTRUCTION, SRET, RAM);
        HartFixture u = fixture(Hart.PRIV_U, SRET);
        u.steps(1);
        assertTrap(u, Cause.ILLEGAL_INSTRUCTION, SRET, RAM);
        HartFixture mret = fixture(Hart.PRIV_S, MRET);
        mret.steps(1);
        assertTrap(mret, Cause.ILLEGAL_INSTRUCTION, MRET, RAM);
    }

    @Test
    void wfiAndSfenceRules() {
        HartFixture u = fixture(Hart.PRIV_U, WFI);
        u.steps(1);
        assertTrap(u, Cause.ILLEGAL_INSTRUCTION, WFI, RAM);
        HartFixture tw = fixture(Hart.PRIV_S, WFI);
        tw.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_TW);
        tw.steps(1);
        assertTrap(tw, Cause.ILLEGAL_INSTRUCTION, WFI, RAM);
        HartFixture tvm = fixture(Hart.PRIV_S, sfenceVma(0, 0), csrrs(1, Csr.SATP, 0));
        tvm.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_TVM);
        tvm.steps(1);
        assertTrap(tvm, Cause.ILLEGAL_INSTRUCTION, sfenceVma(0, 0), RAM);
        HartFixture satp = fixture(Hart.PRIV_S, csrrs(1, Csr.SATP, 0));
        satp.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_TVM);
        satp.steps(1);
        assertEquals(Cause.ILLEGAL_INSTRUCTION, satp.csr(Csr.MCAUSE));
    }

    @Test
    void wfiSleepsUntilAnInterruptIsPending() {
        HartFixture f = fixture(Hart.PRIV_M, WFI, addi(1, 0, 1));
        f.hart.writeCsr(Csr.MIE, Csr.MIP_MTIP);
        assertEquals(1, f.hart.run(100));
        assertTrue(f.hart.isWaiting());
        assertEquals(0, f.hart.run(100), "a sleeping hart does nothing");
        f.hart.setInterruptLine(Csr.MIP_MTIP, true);
        assertFalse(f.hart.isWaiting());
        assertFalse(f.hart.takeInterrupt(), "MIE=0 in M-mode: no trap, but WFI ends");
        assertEquals(1, f.hart.run(1));
        assertEquals(1, f.x(1));
    }

    @Test
    void interruptPriorityEnablesAndVectoring() {
        HartFixture f = fixture(Hart.PRIV_M, addi(1, 0, 1));
        f.hart.writeCsr(Csr.MTVEC, HANDLER | 1);
        f.hart.writeCsr(Csr.MIE, Csr.MIP_MTIP | Csr.MIP_MEIP);
        f.hart.setInterruptLine(Csr.MIP_MTIP, true);
        f.hart.setInterruptLine(Csr.MIP_MEIP, true);
        assertFalse(f.hart.takeInterrupt(), "M-mode with MIE=0");
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_MIE);
        assertTrue(f.hart.takeInterrupt());
        assertEquals(Cause.INTERRUPT | Cause.IRQ_M_EXT, f.csr(Csr.MCAUSE), "MEI before MTI");
        assertEquals(HANDLER + 4 * 11, f.hart.pc);
        assertEquals(RAM, f.csr(Csr.MEPC));
        assertEquals(Csr.MSTATUS_MPIE, f.csr(Csr.MSTATUS) & (Csr.MSTATUS_MIE | Csr.MSTATUS_MPIE));
    }

    @Test
    void delegatedInterruptsGoToSAndNeverInterruptM() {
        HartFixture f = fixture(Hart.PRIV_M, addi(1, 0, 1));
        f.hart.writeCsr(Csr.MIDELEG, Csr.MIP_STIP);
        f.hart.writeCsr(Csr.MIE, Csr.MIP_STIP);
        f.hart.writeCsr(Csr.MIP, Csr.MIP_STIP);
        f.hart.writeCsr(Csr.MSTATUS, Csr.MSTATUS_MIE | Csr.MSTATUS_SIE);
        assertFalse(f.hart.takeInterrupt(), "delegated interrupts are masked in M-mode");
        f.hart.priv = Hart.PRIV_U; // from U: taken regardless of SIE
        f.hart.writeCsr(Csr.MSTATUS, 0);
        assertTrue(f.hart.takeInterrupt());
        assertEquals(Hart.PRIV_S, f.hart.priv);
        assertEquals(Cause.INTERRUPT | Cause.IRQ_S_TIMER, f.csr(Csr.SCAUSE));
        assertEquals(HANDLER + 0x100, f.hart.pc);
        assertFalse(f.hart.takeInterrupt(), "now in S with SIE=0");
    }

    @Test
    void runTakesPendingInterruptAtItsStartAndAfterEnablingWrite() {
        HartFixture f = fixture(Hart.PRIV_M, csrrsi(0, Csr.MSTATUS, 8), addi(1, 0, 1));
        f.hart.writeCsr(Csr.MIE, Csr.MIP_MSIP);
        f.hart.setInterruptLine(Csr.MIP_MSIP, true);
        assertEquals(1, f.hart.run(100), "enabling interrupts ends the slice");
        assertEquals(0, f.x(1));
        assertEquals(0, f.hart.run(0), "run takes the interrupt before its first step");
        assertEquals(Cause.INTERRUPT | Cause.IRQ_M_SOFT, f.csr(Csr.MCAUSE));
        assertEquals(RAM + 4, f.csr(Csr.MEPC));
    }

    @Test
    void illegalCompressedParcelsReportTheParcel() {
        HartFixture f = fixture(Hart.PRIV_M);
        f.put(RAM, 0xFFFF_0000); // all-zero parcel, then garbage
        f.steps(1);
        assertTrap(f, Cause.ILLEGAL_INSTRUCTION, 0, RAM);
        f = fixture(Hart.PRIV_M);
        f.put16(RAM, 0x6101); // c.addi16sp with imm 0: reserved
        f.steps(1);
        assertTrap(f, Cause.ILLEGAL_INSTRUCTION, 0x6101, RAM);
    }

    @Test
    void minstretExcludesTrappingInstructionsAndWritesTakeEffect() {
        HartFixture f = fixture(Hart.PRIV_M, addi(1, 0, 1), ECALL);
        f.put(HANDLER, csrrs(2, Csr.MINSTRET, 0), csrrs(3, Csr.MCYCLE, 0), csrrw(0, Csr.MINSTRET, 0),
                csrrs(4, Csr.MINSTRET, 0));
        f.steps(6);
        assertEquals(1, f.x(2));
        assertEquals(3, f.x(3));
        assertEquals(0, f.x(4), "the next instruction sees the written value (before it retires)");
    }

    @Test
    void machineInterruptsPreemptLowerModesRegardlessOfMie() {
        HartFixture f = fixture(Hart.PRIV_U, addi(1, 0, 1));
        f.hart.writeCsr(Csr.MIE, Csr.MIP_MTIP);
        f.hart.setInterruptLine(Csr.MIP_MTIP, true);
        assertTrue(f.hart.takeInterrupt());
        assertEquals(Cause.INTERRUPT | Cause.IRQ_M_TIMER, f.csr(Csr.MCAUSE));
        assertEquals(Hart.PRIV_U, (f.csr(Csr.MSTATUS) >> 11) & 3, "MPP = U");
        assertEquals(Hart.PRIV_M, f.hart.priv);
    }

    @Test
    void trapListenerSeesEveryTrap() {
        HartFixture f = fixture(Hart.PRIV_U, ECALL);
        f.hart.writeCsr(Csr.MEDELEG, 1L << Cause.USER_ECALL);
        StringBuilder seen = new StringBuilder();
        f.hart.setTrapListener((cause, tval, epc, from, to) ->
                seen.append(cause).append(' ').append(Long.toHexString(epc)).append(' ').append(from).append("->").append(to));
        f.steps(1);
        assertEquals("8 80000000 0->1", seen.toString());
    }

    @Test
    void reservationIsClearedByATrap() {
        HartFixture f = fixture(Hart.PRIV_M, lrd(5, 1), ECALL);
        f.put(HANDLER, scd(6, 1, 2));
        f.hart.x[1] = RAM + 0x3000;
        f.hart.x[2] = 9;
        f.steps(3);
        assertEquals(1, f.x(6), "sc after a trap fails");
        assertEquals(0, f.load64(RAM + 0x3000));
    }
}
