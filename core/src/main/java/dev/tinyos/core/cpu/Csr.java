package dev.tinyos.core.cpu;

/**
 * CSR numbers and the bit layouts of the CSRs the hart implements (names from the RISC-V
 * privileged spec 1.12).
 *
 * <p>Invariant: constants only; the numbers are the 12-bit CSR addresses of the spec, so
 * bits [9:8] of a number give the lowest privilege that may access it and bits [11:10] == 0b11
 * mark it read-only.
 */
public final class Csr {
    private Csr() {}

    // Unprivileged counters
    public static final int CYCLE = 0xC00;
    public static final int TIME = 0xC01;
    public static final int INSTRET = 0xC02;
    public static final int HPMCOUNTER3 = 0xC03;
    public static final int HPMCOUNTER31 = 0xC1F;

    // Supervisor
    public static final int SSTATUS = 0x100;
    public static final int SIE = 0x104;
    public static final int STVEC = 0x105;
    public static final int SCOUNTEREN = 0x106;
    public static final int SENVCFG = 0x10A;
    public static final int SSCRATCH = 0x140;
    public static final int SEPC = 0x141;
    public static final int SCAUSE = 0x142;
    public static final int STVAL = 0x143;
    public static final int SIP = 0x144;
    /** Sstc: the supervisor timer compare register. */
    public static final int STIMECMP = 0x14D;
    public static final int SATP = 0x180;

    // Machine information
    public static final int MVENDORID = 0xF11;
    public static final int MARCHID = 0xF12;
    public static final int MIMPID = 0xF13;
    public static final int MHARTID = 0xF14;
    public static final int MCONFIGPTR = 0xF15;

    // Machine trap setup and handling
    public static final int MSTATUS = 0x300;
    public static final int MISA = 0x301;
    public static final int MEDELEG = 0x302;
    public static final int MIDELEG = 0x303;
    public static final int MIE = 0x304;
    public static final int MTVEC = 0x305;
    public static final int MCOUNTEREN = 0x306;
    public static final int MENVCFG = 0x30A;
    /** menvcfg.FIOM (fence of I/O implies memory). */
    public static final long MENVCFG_FIOM = 1L;
    /** menvcfg.STCE: Sstc enabled (stimecmp drives mip.STIP). */
    public static final long MENVCFG_STCE = 1L << 63;
    public static final int MCOUNTINHIBIT = 0x320;
    public static final int MHPMEVENT3 = 0x323;
    public static final int MHPMEVENT31 = 0x33F;
    public static final int MSCRATCH = 0x340;
    public static final int MEPC = 0x341;
    public static final int MCAUSE = 0x342;
    public static final int MTVAL = 0x343;
    public static final int MIP = 0x344;
    public static final int PMPCFG0 = 0x3A0;
    public static final int PMPCFG15 = 0x3AF;
    public static final int PMPADDR0 = 0x3B0;
    public static final int PMPADDR63 = 0x3EF;
    public static final int MSECCFG = 0x747;
    public static final int MCYCLE = 0xB00;
    public static final int MINSTRET = 0xB02;
    public static final int MHPMCOUNTER3 = 0xB03;
    public static final int MHPMCOUNTER31 = 0xB1F;

    // Debug/trigger
    public static final int TSELECT = 0x7A0;
    public static final int TDATA1 = 0x7A1;
    public static final int TDATA2 = 0x7A2;
    public static final int TDATA3 = 0x7A3;

    // mstatus fields
    public static final long MSTATUS_SIE = 1L << 1;
    public static final long MSTATUS_MIE = 1L << 3;
    public static final long MSTATUS_SPIE = 1L << 5;
    public static final long MSTATUS_UBE = 1L << 6;
    public static final long MSTATUS_MPIE = 1L << 7;
    public static final long MSTATUS_SPP = 1L << 8;
    public static final long MSTATUS_MPP = 3L << 11;
    public static final int MSTATUS_MPP_SHIFT = 11;
    public static final long MSTATUS_FS = 3L << 13;
    public static final long MSTATUS_XS = 3L << 15;
    public static final long MSTATUS_MPRV = 1L << 17;
    public static final long MSTATUS_SUM = 1L << 18;
    public static final long MSTATUS_MXR = 1L << 19;
    public static final long MSTATUS_TVM = 1L << 20;
    public static final long MSTATUS_TW = 1L << 21;
    public static final long MSTATUS_TSR = 1L << 22;
    public static final long MSTATUS_UXL = 3L << 32;
    public static final long MSTATUS_SXL = 3L << 34;
    public static final long MSTATUS_SD = 1L << 63;

    // mip / mie bits
    public static final long MIP_SSIP = 1L << 1;
    public static final long MIP_MSIP = 1L << 3;
    public static final long MIP_STIP = 1L << 5;
    public static final long MIP_MTIP = 1L << 7;
    public static final long MIP_SEIP = 1L << 9;
    public static final long MIP_MEIP = 1L << 11;

    // satp
    public static final long SATP_MODE_SV39 = 8L;
    public static final int SATP_MODE_SHIFT = 60;
    public static final long SATP_PPN_MASK = (1L << 44) - 1;
    public static final long SATP_ASID_MASK = 0xFFFFL << 44;
}
