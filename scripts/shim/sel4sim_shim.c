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
};

/* Unicorn's uc_arm64_cp_reg. */
struct cp_reg {
    uint32_t crn, crm, op0, op1, op2;
    uint64_t val;
};

enum { SHIM_NONE = 0, SHIM_REQUEST = 1, SHIM_DEADLINE = 2, SHIM_IRQ_WINDOW = 3 };

void sel4sim_block_hook(uc_engine *uc, uint64_t address, uint32_t size, void *user)
{
    struct sel4sim_slice *s = (struct sel4sim_slice *) user;
    (void) address;
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
        }
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
        s->ic++;
    return 0;
}

/* The layout check the Java side runs before trusting the struct. */
int64_t sel4sim_shim_layout(void)
{
    return (int64_t) sizeof(struct sel4sim_slice) * 1000 + (int64_t) offsetof(struct sel4sim_slice, java_sys);
}
