package dev.tinyos.core.cpu;

import dev.tinyos.core.Bus;
import dev.tinyos.core.BusFault;
import dev.tinyos.core.probe.AccessProbe;

import java.util.Arrays;

/**
 * The hart's memory management: Sv39 translation ({@link Sv39}) and PMP checks, the software
 * TLBs the interpreter loop reads directly (fetch, load, store), and the slow paths of loads,
 * stores, atomics and fetches, with the dirty-page and code-page bookkeeping they share with
 * {@link Ram}.
 *
 * <p>TLB entry layout: tag = va &gt;&gt;&gt; 12 (or -1), delta = RAM offset - va, direct-mapped by
 * the low bits of the virtual page number. Invariants: every entry is valid for the hart's
 * current translation context (priv, mstatus.MPRV/MPP/SUM/MXR, satp) and PMP summary, and is
 * flushed whenever one of them changes; store entries exist only for pages whose PTE D bit is
 * set, which were marked dirty in {@link Ram} and whose stores Ram does not track
 * ({@link Ram#storesTracked} false: no decoded code, no PTE the walk read); {@link #filled}
 * lists every entry filled since the last flush.
 *
 * <p>Translations kept across address-space switches (kernels switch satp, or privilege, on
 * every trap and flush with SFENCE.VMA): every entry of the TLBs is what a walk made at
 * {@link #tlbEpoch}, a value of {@link Ram#tableEpoch}. While that epoch is current no
 * page-table page was written since, so every entry is exactly what a new walk would give
 * (the walk sets A/D only in PTEs whose translations it then caches) and SFENCE.VMA has
 * nothing to drop. A switch of satp or of the context saves the entries under the context
 * they were made for ({@link #SPACES} of them, the oldest replaced) and takes back those of the
 * new context if their epoch is still current; a saved store entry whose dirty mark may have
 * been dropped since comes back as a set-aside one. With an access probe attached nothing is
 * kept (every walk is reported, as without this). The result is the same as flushing at
 * every switch, but the walks are not repeated.
 */
final class Mmu {
    static final int TLB_SIZE = 256;
    static final int TLB_MASK = TLB_SIZE - 1;

    private final Hart h;
    private final Bus bus;
    private final Ram ram;
    private final long ramBase;
    private long translationKey = -1;

    Mmu(Hart h, Bus bus) {
        this.h = h;
        this.bus = bus;
        this.ram = bus.ram();
        this.ramBase = ram.base;
        for (long[] tags : tlbTags) Arrays.fill(tags, -1L);
    }

    /**
     * Sets the tags the loop reads: the real load and store TLBs, or (instrumented) tags that
     * never hit, so every load and store takes the slow path, which reports it.
     */
    void setInstrumented(boolean instrumented) {
        loopLoadTags = instrumented ? NEVER : lTag;
        loopStoreTags = instrumented ? NEVER : sTag;
    }

    // ---- TLBs (layout in the class comment); the interpreter loop reads the first four directly
    long fetchVpn = -1, fetchDelta;
    final long[] iTag = new long[TLB_SIZE], iDelta = new long[TLB_SIZE];
    final long[] lTag = new long[TLB_SIZE], lDelta = new long[TLB_SIZE];
    final long[] sTag = new long[TLB_SIZE], sDelta = new long[TLB_SIZE];
    /** Store translations of code pages: used by the slow path only (saves the page walk). */
    private final long[] cTag = new long[TLB_SIZE], cDelta = new long[TLB_SIZE];
    /**
     * Store translations set aside by {@link #dropStoreTranslations()}, with their deltas (a
     * refill of the same sTag slot for another page must not change them): the slow path
     * takes one back after marking its page dirty, instead of walking the page table again.
     */
    private final long[] sKept = new long[TLB_SIZE], sKeptDelta = new long[TLB_SIZE];
    /** The delta arrays by kind, as {@link #tlbTags}. */
    private final long[][] tlbDeltas = {iDelta, lDelta, sDelta, cDelta, sKeptDelta};
    /** satp and {@link Ram#tableEpoch} of the current entries (see the class comment). */
    private long tlbSatp;
    private int tlbEpoch;
    /** Incremented whenever store entries are dropped (a saved store entry then comes back set aside). */
    private int storeEpoch;
    /** Saved address spaces: at most this many. */
    static final int SPACES = 8;
    private final long[] spaceSatp = new long[SPACES], spaceKey = new long[SPACES], spaceAge = new long[SPACES];
    /** Per saved space: its epochs, and its entry count (-1: the slot is empty). */
    private final int[] spaceEpoch = new int[SPACES], spaceStoreEpoch = new int[SPACES], spaceCount = new int[SPACES];
    /** Per saved space: kind &lt;&lt; 8 | index, tag and delta of each entry. */
    private final int[][] spaceEntry = new int[SPACES][];
    private final long[][] spaceTag = new long[SPACES][], spaceDelta = new long[SPACES][];
    private long switches;
    /** The slot the current entries were taken from (-1: none), and whether any was filled since. */
    private int takenSlot = -1;
    private boolean filledSinceTake;
    /** A tag array no address matches (every tag -1): the loop's data TLBs on the instrumented path. */
    private static final long[] NEVER = new long[TLB_SIZE];
    static {
        Arrays.fill(NEVER, -1L);
    }
    /**
     * The load and store tags the interpreter loop reads: {@link #lTag} and {@link #sTag} on the
     * plain path, {@link #NEVER} on the instrumented path (every load and store then leaves the
     * loop for the slow path, which reports it). Set by {@link #setInstrumented}.
     */
    long[] loopLoadTags = lTag, loopStoreTags = sTag;
    /** The tag arrays by kind (index into it: 0 fetch, 1 load, 2 store, 3 code store, 4 kept store). */
    private final long[][] tlbTags = {iTag, lTag, sTag, cTag, sKept};
    /** kind &lt;&lt; 8 | index of each entry filled since the last flush (the others are -1). */
    private final int[] filled = new int[8 * TLB_SIZE];
    private int filledCount;

    /** Times the current entries were dropped (a compiled region that ran a CSR write compares it). */
    int flushes;

    /** Drops every cached translation, saved ones too (after {@link Ram#clearDirty()}, {@link #dropStoreTranslations()} is enough). */
    public void flushTlb() {
        clearEntries();
        translationKey = translationKey();
        tlbSatp = h.satp;
        Arrays.fill(spaceCount, -1);
    }

    /** Drops the current entries (kernels switch often: clear only what was filled); they are now of the current epoch. */
    private void clearEntries() {
        flushes++;
        fetchVpn = -1;
        for (int k = 0; k < filledCount; k++) tlbTags[filled[k] >>> 8][filled[k] & TLB_MASK] = -1L;
        filledCount = 0;
        ram.codeEpoch++; // block links assumed the old translations
        tlbEpoch = ram.tableEpoch();
        takenSlot = -1;
    }

    /** True if translations may be kept (no access probe: it must see every walk). */
    private boolean keeping() {
        return h.accessProbe == null;
    }

    /** SFENCE.VMA: drops the cached translations, unless no page-table page was written since they were made. */
    void fence() {
        if (!keeping() || tlbEpoch != ram.tableEpoch()) clearEntries();
    }

    /**
     * satp was written or the translation context may have changed: saves the current entries
     * under their context and takes back those of the new one (class comment); a write of the
     * same satp in the same context acts as {@link #fence}.
     */
    void switchSpace() {
        long key = translationKey();
        if (key == translationKey && h.satp == tlbSatp) {
            fence();
            return;
        }
        boolean keep = keeping();
        if (keep) saveSpace();
        clearEntries();
        translationKey = key;
        tlbSatp = h.satp;
        if (keep) takeSpace();
    }

    /** Saves the current entries (if still exact) in the slot of their context, or the oldest slot. */
    private void saveSpace() {
        if (takenSlot >= 0 && !filledSinceTake && tlbEpoch == ram.tableEpoch()) { // its slot holds them all
            spaceAge[takenSlot] = ++switches;
            return;
        }
        int slot = slotOf(tlbSatp, translationKey);
        if (tlbEpoch != ram.tableEpoch() || filledCount == 0) { // nothing exact to keep
            if (slot >= 0) spaceCount[slot] = -1;
            return;
        }
        if (slot < 0) {
            slot = 0;
            for (int i = 1; i < SPACES; i++) {
                if (spaceCount[i] < 0 || spaceCount[slot] >= 0 && spaceAge[i] < spaceAge[slot]) slot = i;
            }
        }
        if (spaceEntry[slot] == null) {
            spaceEntry[slot] = new int[filled.length];
            spaceTag[slot] = new long[filled.length];
            spaceDelta[slot] = new long[filled.length];
        }
        int n = 0;
        for (int k = 0; k < filledCount; k++) {
            int e = filled[k], kind = e >>> 8, t = e & TLB_MASK;
            long tag = tlbTags[kind][t];
            if (tag == -1L) continue;
            spaceEntry[slot][n] = e;
            spaceTag[slot][n] = tag;
            spaceDelta[slot][n++] = tlbDeltas[kind][t];
        }
        spaceSatp[slot] = tlbSatp;
        spaceKey[slot] = translationKey;
        spaceEpoch[slot] = tlbEpoch;
        spaceStoreEpoch[slot] = storeEpoch;
        spaceAge[slot] = ++switches;
        spaceCount[slot] = n;
    }

    /**
     * Takes back the saved entries of the current context, if their epoch is current (the slot
     * keeps them: until an entry is filled, switching away needs no copy).
     */
    private void takeSpace() {
        int i = slotOf(tlbSatp, translationKey);
        if (i < 0) return;
        if (spaceEpoch[i] != ram.tableEpoch()) {
            spaceCount[i] = -1;
            return;
        }
        boolean storesKept = spaceStoreEpoch[i] == storeEpoch;
        for (int k = 0; k < spaceCount[i]; k++) {
            int e = spaceEntry[i][k], kind = e >>> 8, t = e & TLB_MASK;
            if (kind == 2 && !storesKept) kind = 4; // its page's dirty mark may be gone: set aside
            filling(kind, t);
            tlbTags[kind][t] = spaceTag[i][k];
            tlbDeltas[kind][t] = spaceDelta[i][k];
        }
        takenSlot = i; // it stays: saving these entries again is then free
        filledSinceTake = false;
    }

    /** The slot holding the saved entries of context ({@code satp}, {@code key}), or -1. */
    private int slotOf(long satp, long key) {
        for (int i = 0; i < SPACES; i++) {
            if (spaceCount[i] >= 0 && spaceSatp[i] == satp && spaceKey[i] == key) return i;
        }
        return -1;
    }

    /**
     * Drops every fast store translation (after {@link Ram#takeDirtyPages()}: the next store to
     * any page goes through {@link Ram} and marks it again). Fetch and load translations and the
     * links between cached blocks stay.
     */
    public void dropStoreTranslations() {
        storeEpoch++;
        int kept = 0;
        for (int k = 0; k < filledCount; k++) {
            int e = filled[k], t = e & TLB_MASK;
            if (e >>> 8 == 2) { // set aside: the translation stays good, the dirty mark does not
                sKept[t] = sTag[t];
                sKeptDelta[t] = sDelta[t];
                sTag[t] = -1L;
                filled[kept++] = 4 << 8 | t;
            } else if (e >>> 8 != 4 || sKept[t] != -1L) {
                filled[kept++] = e;
            }
        }
        filledCount = kept;
    }

    /** Forgets every translation, set-aside ones included (after a restore). */
    void reset() {
        for (long[] tags : tlbTags) Arrays.fill(tags, -1L);
        filledCount = 0;
        flushTlb();
    }

    /** Records that TLB entry {@code t} of {@code tlbTags[kind]} is about to be filled. */
    private void filling(int kind, int t) {
        filledSinceTake = true;
        if (tlbTags[kind][t] != -1L) return; // already listed since the last flush
        if (filledCount == filled.length) { // only after many dropStoreTranslations: start over
            for (long[] tags : tlbTags) Arrays.fill(tags, -1L);
            filledCount = 0;
        }
        filled[filledCount++] = kind << 8 | t;
    }

    private long translationKey() {
        return (h.mstatus & (Csr.MSTATUS_MPRV | Csr.MSTATUS_MPP | Csr.MSTATUS_SUM | Csr.MSTATUS_MXR)) | h.priv;
    }

    /** Called after h.priv or h.mstatus may have changed: flushes the TLBs if the context did. */
    void translationContextChanged() {
        if (translationKey() != translationKey) switchSpace();
    }

    /** Privilege used for loads and stores (MPRV applies MPP in M-mode). */
    int dataPriv() {
        if (h.priv == Hart.PRIV_M && (h.mstatus & Csr.MSTATUS_MPRV) != 0) {
            return (int) ((h.mstatus & Csr.MSTATUS_MPP) >>> Csr.MSTATUS_MPP_SHIFT);
        }
        return h.priv;
    }

    /** Virtual to physical for an access of type {@code acc} (Sv39.FETCH/LOAD/STORE). */
    long translate(long va, int acc) {
        int ep = acc == Sv39.FETCH ? h.priv : dataPriv();
        if (ep == Hart.PRIV_M || (h.satp >>> Csr.SATP_MODE_SHIFT) != Csr.SATP_MODE_SV39) return va;
        return Sv39.walk(h, va, acc, ep);
    }

    /**
     * True if the page of {@code pa} may be cached in a TLB: it lies in RAM and PMP decides
     * the same for all of it (no PMP region boundary inside any page).
     */
    private boolean pageInRam(long pa) {
        return ram.contains(pa & ~0xFFFL, 4096) && !h.pmpFine;
    }

    private static final int[] PMP_NEED = {Pmp.X, Pmp.R, Pmp.W};

    /** Throws the access fault of {@code acc} at {@code va} unless PMP allows the physical access. */
    void pmpCheck(long va, long pa, int size, int acc, int ep) {
        if (ep == Hart.PRIV_M && !h.pmpLocked) return;
        if (!Pmp.allows(h, pa, size, PMP_NEED[acc], ep)) throw h.fault(Sv39.accessFaultCause(acc), va);
    }

    long loadSlow(long va, int size) {
        if ((va & 0xFFF) + size > 4096) return loadCrossing(va, size);
        int t = (int) (va >>> 12) & TLB_MASK;
        if (h.accessProbe != null && lTag[t] == (va >>> 12)) { // the instrumented path: a TLB hit
            long off = va + lDelta[t];
            h.reportAccess(AccessProbe.LOAD, va, ramBase + off, size);
            return ram.load((int) off, size);
        }
        long pa = translate(va, Sv39.LOAD);
        pmpCheck(va, pa, size, Sv39.LOAD, dataPriv());
        if (ram.contains(pa, size)) {
            if (pageInRam(pa)) {
                filling(1, t);
                lTag[t] = va >>> 12;
                lDelta[t] = (pa - ramBase) - va;
            }
            h.reportAccess(AccessProbe.LOAD, va, pa, size);
            return ram.load((int) (pa - ramBase), size);
        }
        try {
            long v = bus.load(pa, size);
            h.sliceEnd = true;
            h.reportAccess(AccessProbe.LOAD, va, pa, size);
            return v;
        } catch (BusFault f) {
            throw h.fault(Cause.LOAD_ACCESS, va);
        }
    }

    private long loadCrossing(long va, int size) {
        long va2 = (va | 0xFFF) + 1;
        int n1 = (int) (va2 - va);
        long pa1 = translate(va, Sv39.LOAD);
        long pa2 = translate(va2, Sv39.LOAD);
        pmpCheck(va, pa1, n1, Sv39.LOAD, dataPriv());
        pmpCheck(va, pa2, size - n1, Sv39.LOAD, dataPriv());
        long v = 0;
        try {
            for (int i = 0; i < size; i++) {
                long pa = i < n1 ? pa1 + i : pa2 + (i - n1);
                v |= bus.load(pa, 1) << (8 * i);
            }
        } catch (BusFault f) {
            throw h.fault(Cause.LOAD_ACCESS, va);
        }
        if (bus.deviceTouched()) h.sliceEnd = true;
        h.reportAccess(AccessProbe.LOAD, va, pa1, n1);
        h.reportAccess(AccessProbe.LOAD, va2, pa2, size - n1);
        return v;
    }

    void storeSlow(long va, int size, long value) {
        if ((va & 0xFFF) + size > 4096) {
            storeCrossing(va, size, value);
            return;
        }
        int t = (int) (va >>> 12) & TLB_MASK;
        if (h.accessProbe != null && sTag[t] == (va >>> 12)) { // the instrumented path: a TLB hit
            long off = va + sDelta[t];
            h.reportAccess(AccessProbe.STORE, va, ramBase + off, size);
            ram.store((int) off, size, value);
            return;
        }
        if (sKept[t] == (va >>> 12)) { // a translation set aside at a digest: mark, take it back
            long off = va + sKeptDelta[t];
            sKept[t] = -1L;
            ram.store((int) off, size, value); // marks the page dirty first
            cacheStore(t, va, (int) off);
            h.reportAccess(AccessProbe.STORE, va, ramBase + off, size);
            return;
        }
        long pa = cTag[t] == (va >>> 12) ? va + cDelta[t] + ramBase : translate(va, Sv39.STORE);
        pmpCheck(va, pa, size, Sv39.STORE, dataPriv());
        if (ram.contains(pa, size)) {
            int off = (int) (pa - ramBase);
            if (ram.isWatched(off)) {
                h.sliceEnd = true; // a watched page (HTIF tohost) is never cached for stores
            } else if (pageInRam(pa)) {
                cacheStore(t, va, off);
            }
            ram.store(off, size, value); // marks the page dirty first, as a store translation needs
            h.reportAccess(AccessProbe.STORE, va, pa, size);
            return;
        }
        try {
            bus.store(pa, size, value);
            h.sliceEnd = true;
            h.reportAccess(AccessProbe.STORE, va, pa, size);
        } catch (BusFault f) {
            throw h.fault(Cause.STORE_ACCESS, va);
        }
    }

    private void storeCrossing(long va, int size, long value) {
        long va2 = (va | 0xFFF) + 1;
        int n1 = (int) (va2 - va);
        long pa1 = translate(va, Sv39.STORE);
        long pa2 = translate(va2, Sv39.STORE);
        pmpCheck(va, pa1, n1, Sv39.STORE, dataPriv());
        pmpCheck(va, pa2, size - n1, Sv39.STORE, dataPriv());
        try {
            for (int i = 0; i < size; i++) {
                long pa = i < n1 ? pa1 + i : pa2 + (i - n1);
                bus.store(pa, 1, value >>> (8 * i));
            }
        } catch (BusFault f) {
            throw h.fault(Cause.STORE_ACCESS, va);
        }
        if (bus.deviceTouched()) h.sliceEnd = true;
        h.reportAccess(AccessProbe.STORE, va, pa1, n1);
        h.reportAccess(AccessProbe.STORE, va2, pa2, size - n1);
    }

    /**
     * Translates an atomic's address; faults (access type store unless {@code lr}) if not in RAM.
     * A hit in the load TLB (LR) or the store TLB (SC, AMO) needs no walk; a walk for SC or an
     * AMO fills the store TLB as a store would (spinlocks take an AMO on every acquire and release).
     */
    int atomicOffset(long va, int size, boolean lr) {
        if ((va & (size - 1)) != 0) {
            throw h.fault(lr ? Cause.MISALIGNED_LOAD : Cause.MISALIGNED_STORE, va);
        }
        int t = (int) (va >>> 12) & TLB_MASK;
        if (lr ? lTag[t] == va >>> 12 : sTag[t] == va >>> 12) { // the data TLB: no walk (spinlocks)
            return (int) (va + (lr ? lDelta[t] : sDelta[t]));
        }
        long pa = translate(va, lr ? Sv39.LOAD : Sv39.STORE);
        pmpCheck(va, pa, size, lr ? Sv39.LOAD : Sv39.STORE, dataPriv());
        if (!ram.contains(pa, size)) throw h.fault(lr ? Cause.LOAD_ACCESS : Cause.STORE_ACCESS, va);
        int off = (int) (pa - ramBase);
        if (!lr && pageInRam(pa) && !ram.isWatched(off)) {
            ram.markDirty(off); // a store translation needs its page marked first (an SC may not store)
            cacheStore(t, va, off);
        }
        return off;
    }

    /**
     * Caches the store translation of {@code va} (RAM offset {@code off}, a page PMP treats as
     * a whole, already marked dirty or about to be by the store that asked) in entry {@code t}:
     * in the store TLB, or, for a page whose stores {@link Ram} tracks, in the slow path's own.
     */
    private void cacheStore(int t, long va, int off) {
        if (ram.storesTracked(off)) {
            filling(3, t);
            cTag[t] = va >>> 12;
            cDelta[t] = off - va;
        } else {
            filling(2, t);
            sTag[t] = va >>> 12;
            sDelta[t] = off - va;
        }
    }

    /** Fetch when the fetch TLB misses: translates pc, fills the TLB and the current fetch page. */
    void fetchSlow(long pc) {
        long vpn = pc >>> 12;
        int t = (int) vpn & TLB_MASK;
        if (iTag[t] != vpn) {
            long pa = translate(pc, Sv39.FETCH);
            pmpCheck(pc, pa, 2, Sv39.FETCH, h.priv);
            if (!ram.contains(pa, 2)) throw h.fault(Cause.FETCH_ACCESS, pc);
            filling(0, t);
            iTag[t] = vpn;
            iDelta[t] = (pa - ramBase) - pc;
        }
        fetchVpn = vpn;
        fetchDelta = iDelta[t];
    }

    /** A RAM page just became a code page or a page-table page: no fast store translation may map it any more. */
    void dropStoreTranslations(int page) {
        storeEpoch++;
        for (int t = 0; t < TLB_SIZE; t++) {
            if (sTag[t] != -1 && ((sTag[t] << 12) + sDelta[t]) >>> 12 == page) sTag[t] = -1;
            if (sKept[t] != -1 && ((sKept[t] << 12) + sKeptDelta[t]) >>> 12 == page) sKept[t] = -1;
        }
    }
}
