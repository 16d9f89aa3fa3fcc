package dev.tinyos.core.cpu;


/**
 * The Sv39 page-table walk of privileged spec 1.12 section 4.3.2/4.4: three levels of 512
 * eight-byte PTEs, permission checks for the effective privilege with SUM and MXR, superpage
 * alignment, and hardware A/D updates written back to the PTE in RAM.
 *
 * <p>Every page it reads a PTE from is marked in {@link Ram#markTable} (so a later write to it
 * ends the translations the hart keeps across address-space switches, {@link Mmu}).
 *
 * <p>Invariant: stateless; returns the physical address or throws {@link Trap} after setting
 * the hart's trap cause (page fault of the access type with tval = the virtual address, or
 * access fault when a PTE lies outside RAM or PMP denies reading it, or writing its A/D bits;
 * the walk's implicit accesses are checked as S-mode accesses).
 */
final class Sv39 {
    private Sv39() {}

    static final int FETCH = 0, LOAD = 1, STORE = 2;

    static final long PTE_V = 1, PTE_R = 2, PTE_W = 4, PTE_X = 8, PTE_U = 16, PTE_A = 64, PTE_D = 128;
    private static final long PPN_MASK = (1L << 44) - 1;

    static int pageFaultCause(int acc) {
        return acc == FETCH ? Cause.FETCH_PAGE_FAULT : acc == LOAD ? Cause.LOAD_PAGE_FAULT : Cause.STORE_PAGE_FAULT;
    }

    static int accessFaultCause(int acc) {
        return acc == FETCH ? Cause.FETCH_ACCESS : acc == LOAD ? Cause.LOAD_ACCESS : Cause.STORE_ACCESS;
    }

    /** Translates {@code va} for access type {@code acc} at effective privilege {@code ep} (U or S). */
    static long walk(Hart h, long va, int acc, int ep) {
        if (((va << 25) >> 25) != va) throw h.fault(pageFaultCause(acc), va);
        Ram ram = h.ram;
        long table = (h.satp & PPN_MASK) << 12;
        for (int level = 2; level >= 0; level--) {
            long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
            if (!ram.contains(pteAddr, 8)) throw h.fault(accessFaultCause(acc), va);
            if (!Pmp.allows(h, pteAddr, 8, Pmp.R, Hart.PRIV_S)) throw h.fault(accessFaultCause(acc), va);
            int off = (int) (pteAddr - ram.base);
            long pte = ram.load64(off);
            if (ram.markTable(off)) h.mmu.dropStoreTranslations(off >>> 12); // its writes must be seen
            h.reportWalk(va, pteAddr, ep);
            if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W || (pte >>> 54) != 0) {
                throw h.fault(pageFaultCause(acc), va);
            }
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) == 0) { // pointer to the next level
                table = ppn << 12;
                continue;
            }
            if (!permitted(h, pte, acc, ep)) throw h.fault(pageFaultCause(acc), va);
            long lowMask = (1L << (9 * level)) - 1;
            if ((ppn & lowMask) != 0) throw h.fault(pageFaultCause(acc), va); // misaligned superpage
            long want = acc == STORE ? PTE_A | PTE_D : PTE_A;
            if ((pte & want) != want) {
                if (!Pmp.allows(h, pteAddr, 8, Pmp.W, Hart.PRIV_S)) throw h.fault(accessFaultCause(acc), va);
                ram.storeTableEntry(off, pte | want);
            }
            long offMask = (1L << (12 + 9 * level)) - 1;
            return ((ppn << 12) & ~offMask) | (va & offMask);
        }
        throw h.fault(pageFaultCause(acc), va); // level 0 pointer PTE
    }

    /**
     * The physical address {@code va} maps to under root table {@code satp}, or -1 if no valid
     * leaf maps it: for observers and debuggers, so it checks no permission, updates no A/D
     * bit, reports nothing and never faults.
     */
    static long peek(Ram ram, long satp, long va) {
        if (((va << 25) >> 25) != va) return -1;
        long table = (satp & PPN_MASK) << 12;
        for (int level = 2; level >= 0; level--) {
            long pteAddr = table + (((va >>> (12 + 9 * level)) & 511) << 3);
            if (!ram.contains(pteAddr, 8)) return -1;
            long pte = ram.load64((int) (pteAddr - ram.base));
            if ((pte & PTE_V) == 0 || (pte & (PTE_R | PTE_W)) == PTE_W) return -1;
            long ppn = (pte >>> 10) & PPN_MASK;
            if ((pte & (PTE_R | PTE_X)) == 0) {
                table = ppn << 12;
                continue;
            }
            long offMask = (1L << (12 + 9 * level)) - 1;
            return ((ppn << 12) & ~offMask) | (va & offMask);
        }
        return -1;
    }

    private static boolean permitted(Hart h, long pte, int acc, int ep) {
        boolean user = (pte & PTE_U) != 0;
        if (ep == Hart.PRIV_U) {
            if (!user) return false;
        } else if (user && (acc == FETCH || (h.mstatus & Csr.MSTATUS_SUM) == 0)) {
            return false;
        }
        switch (acc) {
            case FETCH: return (pte & PTE_X) != 0;
            case LOAD: return (pte & PTE_R) != 0 || ((h.mstatus & Csr.MSTATUS_MXR) != 0 && (pte & PTE_X) != 0);
            default: return (pte & PTE_W) != 0;
        }
    }
}
