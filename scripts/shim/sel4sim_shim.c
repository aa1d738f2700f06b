/*
 * sel4sim's native shim for Unicorn: the one hook that runs for every
 * translated block of guest code.  A boot runs ~100M blocks, far too many for
 * an upcall into Java, so this hook counts instructions and decides, in C,
 * when the current slice of guest execution must end.
 *
 * Stopping from inside a block hook is the only clean stop Unicorn offers:
 * a stop requested from elsewhere is checked after guest loads and stores
 * and re-executes the instruction that was interrupted.
 *
 * Unicorn's headers are not needed: the few declarations used are below and
 * the register number of PSTATE is passed in by the caller, who owns the
 * binding to the library's register enumeration.
 */
#include <stdint.h>
#include <stddef.h>

typedef struct uc_struct uc_engine;
extern int uc_emu_stop(uc_engine *uc);
extern int uc_reg_read(uc_engine *uc, int regid, void *value);
extern int uc_vmem_read(uc_engine *uc, uint64_t address, int prot, void *bytes, size_t size);

/*
 * WFE and YIELD are hints that this VCPU waits for another (a lock, an IPI answer): Unicorn runs
 * them as no-ops, so without help the waiter spins to the end of its slice while the VCPU it
 * waits for cannot run.  Both end Unicorn's translated block, so the block after one starts right
 * past it: the hook remembers, per block address and size, whether the block ends in a hint
 * (one instruction read per newly seen block), and ends the slice at the next block.
 */
#define HINT_SLOTS 1024
#define INSN_WFE 0xd503205fu
#define INSN_YIELD 0xd503203fu
#define UC_PROT_EXEC 4

struct hint_entry {
    uint64_t address;
    uint64_t size_flag;              /* block size << 1 | 1 if it ends in WFE or YIELD; 0 = empty */
    int64_t generation;              /* ic + hint_epoch when it was filled */
};

/* Shared with Java (dev.sel4sim.vmm.cpu.unicorn.ShimState): keep the layout. */
struct sel4sim_slice {
    volatile int64_t stop_request;   /* set by any thread: end the slice at the next block */
    int64_t icount;                  /* guest instructions executed, summed per block */
    int64_t deadline;                /* end the slice once icount reaches this */
    volatile int64_t irq_window;     /* an interrupt waits for PSTATE.I to clear */
    int64_t pstate_reg;              /* Unicorn's register number of PSTATE */
    int64_t stop_reason;             /* why the shim stopped: see SHIM_* */
    int64_t blocks;                  /* blocks entered, for statistics */
    /* The VMM's handler for the system registers it emulates (an FFM upcall). */
    uint32_t (*java_sys)(uc_engine *uc, int reg, const void *cp_reg, int read);
    int64_t sys_filtered;            /* MRS/MSR passed through without an upcall */
    int64_t tlbi;                    /* TLB invalidations executed (TLBI) */
    int64_t ic;                      /* instruction cache invalidations executed (IC IALLU/IALLUIS/IVAU) */
    int64_t yield_on_hint;           /* end the slice after WFE/YIELD (only worth it with other VCPUs) */
    int64_t hint_pending;            /* the block just entered ends in a hint */
    int64_t hint_stops;              /* slices ended after a hint, for statistics */
    int64_t hint_epoch;              /* raised by the VMM when another VCPU changed code */
    struct hint_entry hint_cache[HINT_SLOTS];
};

/* Unicorn's uc_arm64_cp_reg. */
struct cp_reg {
    uint32_t crn, crm, op0, op1, op2;
    uint64_t val;
};

enum { SHIM_NONE = 0, SHIM_REQUEST = 1, SHIM_DEADLINE = 2, SHIM_IRQ_WINDOW = 3, SHIM_HINT = 4 };

static int ends_in_hint(uc_engine *uc, struct sel4sim_slice *s, uint64_t address, uint32_t size)
{
    struct hint_entry *e = &s->hint_cache[(address >> 2) & (HINT_SLOTS - 1)];
    /* Entries filled before the last IC invalidation may describe code that has changed since. */
    if (e->address != address || (e->size_flag >> 1) != size || e->generation != s->ic + s->hint_epoch) {
        uint32_t insn = 0;
        int hint = size >= 4 && uc_vmem_read(uc, address + size - 4, UC_PROT_EXEC, &insn, 4) == 0
                   && (insn == INSN_WFE || insn == INSN_YIELD);
        e->address = address;
        e->size_flag = ((uint64_t) size << 1) | (uint64_t) hint;
        e->generation = s->ic + s->hint_epoch;
    }
    return (int) (e->size_flag & 1);
}

void sel4sim_block_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sel4sim_slice *s = (struct sel4sim_slice *) user;
    s->blocks++;
    /* AArch64 instructions are 4 bytes; a block's size is known on entry.  */
    s->icount += size >> 2;
    if (s->stop_request) {
        s->stop_reason = SHIM_REQUEST;
        uc_emu_stop(uc);
        return;
    }
    if (s->icount >= s->deadline) {
        s->stop_reason = SHIM_DEADLINE;
        uc_emu_stop(uc);
        return;
    }
    if (s->irq_window) {
        uint64_t pstate = 0;
        if (uc_reg_read(uc, (int) s->pstate_reg, &pstate) == 0 && (pstate & (1u << 7)) == 0) {
            s->stop_reason = SHIM_IRQ_WINDOW;
            uc_emu_stop(uc);
            return;
        }
    }
    if (s->yield_on_hint) {
        if (s->hint_pending) {
            /* The previous block ended in WFE/YIELD: this one starts past it. */
            s->hint_pending = 0;
            s->hint_stops++;
            s->stop_reason = SHIM_HINT;
            uc_emu_stop(uc);
            return;
        }
        s->hint_pending = ends_in_hint(uc, s, address, size);
    }
}

/*
 * MRS/MSR hooks.  Unicorn calls them for every MRS and MSR once any such hook exists:
 * millions per boot (DAIF, TPIDR_EL1, SP_EL0 ...).  Only the registers the VMM emulates go
 * up to Java: the generic timer (op0 3, CRn 14) and MPIDR_EL1.
 */
static int wanted(const struct cp_reg *cp)
{
    if (cp->op0 == 3 && cp->crn == 14)
        return 1;
    if (cp->op0 == 3 && cp->op1 == 0 && cp->crn == 0 && cp->crm == 0 && cp->op2 == 5)
        return 1;
    return 0;
}

uint32_t sel4sim_mrs_hook(uc_engine *uc, int reg, const struct cp_reg *cp, void *user)
{
    struct sel4sim_slice *s = (struct sel4sim_slice *) user;
    if (!wanted(cp)) {
        s->sys_filtered++;
        return 0;
    }
    return s->java_sys(uc, reg, cp, 1);
}

uint32_t sel4sim_msr_hook(uc_engine *uc, int reg, const struct cp_reg *cp, void *user)
{
    struct sel4sim_slice *s = (struct sel4sim_slice *) user;
    if (!wanted(cp)) {
        s->sys_filtered++;
        return 0;
    }
    return s->java_sys(uc, reg, cp, 0);
}

/*
 * SYS instructions: TLBI and IC on one VCPU must reach the others' caches (each VCPU is its
 * own Unicorn instance with its own TLB and translated code).  Counting them here costs no
 * upcall; the VMM compares the counters after each slice and flushes the other VCPUs.
 */
uint32_t sel4sim_sys_hook(uc_engine *uc, int reg, const struct cp_reg *cp, void *user)
{
    struct sel4sim_slice *s = (struct sel4sim_slice *) user;
    (void) uc;
    (void) reg;
    if (cp->op0 == 1 && cp->crn == 8)
        s->tlbi++;
    else if (cp->op0 == 1 && cp->crn == 7 && (cp->crm == 5 || cp->crm == 1))
        s->ic++;                     /* also ages the hint cache */
    return 0;
}

/* The layout check the Java side runs before trusting the struct. */
int64_t sel4sim_shim_layout(void)
{
    return (int64_t) sizeof(struct sel4sim_slice) * 1000 + (int64_t) offsetof(struct sel4sim_slice, java_sys);
}

/*
 * Whether the x86 block may hold CMPXCHG8B (0F C7 /1, memory operand).  The engine's translator calls
 * CMPXCHG8B's helper without storing the block's lazy flag state first, so the helper computes the
 * flags CF..OF must keep from the state stored when the block was entered.  Inside a run that is the
 * previous block's, right; but the first block of a run starts from "flags as a word" (the engine's
 * entry sets it), and the helper then takes whatever the block has left in the flag source since
 * (an operand of an ADD: a register value) as the flags word.  Leaving the run, the engine folds
 * that word into EFLAGS: IF, NT, IOPL, VM ... come out of a kernel pointer.  A slice therefore never
 * ends just before such a block; the scan may also match bytes inside other instructions, which
 * only costs one more block.
 */
static int x86_may_hold_cmpxchg8b(uc_engine *uc, uint64_t address, uint32_t size)
{
    uint8_t code[512];
    uint32_t n = size < sizeof code ? size : (uint32_t) sizeof code;
    uint32_t i;
    if (n < 3 || uc_vmem_read(uc, address, UC_PROT_EXEC, code, n) != 0)
        return 0;
    for (i = 0; i + 2 < n; i++) {
        if (code[i] == 0x0f && code[i + 1] == 0xc7 && ((code[i + 2] >> 3) & 7) == 1 && (code[i + 2] >> 6) != 3)
            return 1;
    }
    return 0;
}

/* Blocks one slice may run past its end to avoid starting the next one in such a block. */
#define X86_MAX_OVERRUN 16

/*
 * x86: the same slice control as sel4sim_block_hook, for an x86 engine.  Instructions there have
 * no fixed length, so the clock counts an estimate: a block of N bytes as ceil(N / 3) instructions
 * (32-bit code averages about three bytes per instruction).  Any fixed rule keeps time
 * deterministic; this one keeps simulated time near real instruction counts.  The interrupt
 * window waits for EFLAGS.IF (bit 9) to be set; pstate_reg holds the EFLAGS register number.
 */
void sel4sim_x86_block_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sel4sim_slice *s = (struct sel4sim_slice *) user;
    int64_t reason = SHIM_NONE;
    s->blocks++;
    s->icount += (size + 2) / 3;
    if (s->stop_request) {
        reason = SHIM_REQUEST;
    } else if (s->icount >= s->deadline) {
        reason = SHIM_DEADLINE;
    } else if (s->irq_window) {
        uint64_t eflags = 0;
        if (uc_reg_read(uc, (int) s->pstate_reg, &eflags) == 0 && (eflags & (1u << 9)) != 0)
            reason = SHIM_IRQ_WINDOW;
    }
    if (reason == SHIM_NONE)
        return;
    /* hint_pending is not used on x86: it counts the blocks run past a stop.  A waiting interrupt is
     * taken after the block just as well. */
    if (s->hint_pending < X86_MAX_OVERRUN && x86_may_hold_cmpxchg8b(uc, address, size)) {
        s->hint_pending++;
        s->hint_stops++;
        return;
    }
    s->hint_pending = 0;
    s->stop_reason = reason;
    uc_emu_stop(uc);
}
