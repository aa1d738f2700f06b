/*
 * deos-like: the local APIC timer (the guest's only clock) and the network interrupt's route,
 * through the IOAPIC when there is one, else through the 8259 (which reaches the processor via
 * LINT0 in ExtINT mode, as the firmware leaves it).
 */
#include "deos.h"

#define LAPIC 0xfee00000u
#define LAPIC_EOI (LAPIC + 0x0b0)
#define LAPIC_SVR (LAPIC + 0x0f0)
#define LAPIC_LVT_TIMER (LAPIC + 0x320)
#define LAPIC_LINT0 (LAPIC + 0x350)
#define LAPIC_TIMER_INITIAL (LAPIC + 0x380)
#define LAPIC_TIMER_DIVIDE (LAPIC + 0x3e0)
#define IOAPIC 0xfec00000u
/*
 * No calibration: the platform's APIC timer input is a fixed 100 MHz, divided by 16.
 * A static configuration, as a Deos platform's is.
 */
#define APIC_TIMER_HZ (100000000u / 16)

void pic_init(void)
{
    outb(0x20, 0x11); outb(0xa0, 0x11);         /* ICW1: edge, cascade, ICW4 */
    outb(0x21, PIC_BASE); outb(0xa1, PIC_BASE + 8);
    outb(0x21, 0x04); outb(0xa1, 0x02);         /* slave on IRQ 2 */
    outb(0x21, 0x01); outb(0xa1, 0x01);         /* 8086 mode */
    outb(0x21, 0xff); outb(0xa1, 0xff);         /* all masked */
}

void lapic_init(void)
{
    mmio_write32(LAPIC_SVR, 0x100 | 0xff);      /* enabled, spurious vector 0xff */
}

void lapic_timer_start(uint32_t hz)
{
    mmio_write32(LAPIC_TIMER_DIVIDE, 0x3);      /* divide by 16 */
    mmio_write32(LAPIC_LVT_TIMER, (1u << 17) | TIMER_VECTOR); /* periodic */
    mmio_write32(LAPIC_TIMER_INITIAL, APIC_TIMER_HZ / hz);
}

void lapic_eoi(void)
{
    mmio_write32(LAPIC_EOI, 0);
}

/* An absent IOAPIC's window reads as all ones. */
int ioapic_present(void)
{
    mmio_write32(IOAPIC, 0x01);
    return mmio_read32(IOAPIC + 0x10) != 0xffffffffu;
}

void ioapic_route_level(int pin, int vector)
{
    mmio_write32(LAPIC_LINT0, 0x10000 | 0x700); /* the 8259 stays out of the way */
    mmio_write32(IOAPIC, 0x11 + 2 * pin);
    mmio_write32(IOAPIC + 0x10, 0);             /* destination: APIC 0 */
    mmio_write32(IOAPIC, 0x10 + 2 * pin);
    mmio_write32(IOAPIC + 0x10, (1u << 15) | (uint32_t) vector); /* level, fixed, unmasked */
}

void pic_unmask_level(int irq)
{
    uint16_t elcr = (uint16_t) (irq < 8 ? 0x4d0 : 0x4d1);
    outb(elcr, (uint8_t) (inb(elcr) | 1u << (irq & 7)));
    if (irq < 8) {
        outb(0x21, (uint8_t) (inb(0x21) & ~(1u << irq)));
    } else {
        outb(0xa1, (uint8_t) (inb(0xa1) & ~(1u << (irq - 8))));
        outb(0x21, (uint8_t) (inb(0x21) & ~(1u << 2)));
    }
}

void pic_eoi(int irq)
{
    if (irq >= 8)
        outb(0xa0, 0x20);
    outb(0x20, 0x20);
}
