/*
 * deos-like: a small multiboot guest shaped like a Deos partition host on x86 — a static memory
 * map (identity, RAM 0x0-0x40000000, no paging), the local APIC timer as its only time source
 * (no PIT, no HPET), and a virtio-net device over virtio-mmio at an address given on the command
 * line:
 *
 *   virtio=0xfeb00000 irq=5 ip=10.0.0.2 peer=10.0.0.1 port=5000 hz=100 every=100 udp=50
 *
 * It prints "deos-like: tick N" on COM1 every `every` ticks, answers ARP and ICMP echo for `ip`,
 * and sends a UDP datagram to `peer`:`port` every `udp` ticks (0: never).
 */
#include "deos.h"

#define MB_BOOTLOADER_MAGIC 0x2badb002
#define MB_INFO_CMDLINE (1u << 2)

struct multiboot_info { uint32_t flags, mem_lower, mem_upper, boot_device, cmdline; };

struct gate { uint16_t off_lo, sel; uint8_t zero, type; uint16_t off_hi; } __attribute__((packed));
struct idtr { uint16_t limit; uint32_t base; } __attribute__((packed));

extern char timer_isr[], net_isr[], unexpected_isr[], spurious_isr[];

static struct gate idt[256];
static volatile uint32_t ticks;
static volatile int net_pending;
static int net_irq = -1;            /* the 8259 line when the interrupt comes through the 8259 */

struct config {
    uint32_t virtio, irq, ip, peer, port, hz, every, udp;
};

void *memcpy(void *d, const void *s, size_t n)
{
    uint8_t *dp = d;
    const uint8_t *sp = s;
    while (n--)
        *dp++ = *sp++;
    return d;
}

void *memset(void *d, int c, size_t n)
{
    uint8_t *dp = d;
    while (n--)
        *dp++ = (uint8_t) c;
    return d;
}

int memcmp(const void *a, const void *b, size_t n)
{
    const uint8_t *x = a, *y = b;
    for (; n; n--, x++, y++)
        if (*x != *y)
            return *x - *y;
    return 0;
}

static void set_gate(int vector, const char *handler)
{
    uint32_t h = (uint32_t) (uintptr_t) handler;
    idt[vector] = (struct gate) {(uint16_t) h, 0x08, 0, 0x8e, (uint16_t) (h >> 16)};
}

void timer_interrupt(void)
{
    ticks++;
    lapic_eoi();
}

void net_interrupt(void)
{
    virtio_net_ack();               /* the level line falls */
    net_pending = 1;
    if (net_irq >= 0)
        pic_eoi(net_irq);
    else
        lapic_eoi();
}

void unexpected_interrupt(void)
{
    puts_serial("deos-like: unexpected interrupt or exception; stopping\n");
    for (;;)
        __asm__ volatile("cli; hlt");
}

/* A number in decimal or 0x-hex, or a dotted IPv4 address (host order); *s moves past it. */
static uint32_t parse_value(const char **s)
{
    uint32_t v = 0, part = 0;
    int dots = 0;
    const char *p = *s;
    if (p[0] == '0' && p[1] == 'x') {
        for (p += 2;; p++) {
            char c = *p;
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
                    : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
            if (d < 0)
                break;
            v = v << 4 | (uint32_t) d;
        }
        *s = p;
        return v;
    }
    for (;; p++) {
        if (*p >= '0' && *p <= '9') {
            part = part * 10 + (uint32_t) (*p - '0');
        } else if (*p == '.') {
            v = v << 8 | (part & 0xff);
            part = 0;
            dots++;
        } else {
            break;
        }
    }
    *s = p;
    return dots ? v << 8 | (part & 0xff) : part;
}

/* key=value words separated by spaces; unknown words are skipped. */
static void parse_cmdline(const char *s, struct config *c)
{
    static const char *const keys[] = {"virtio=", "irq=", "ip=", "peer=", "port=", "hz=", "every=", "udp="};
    uint32_t *fields[] = {&c->virtio, &c->irq, &c->ip, &c->peer, &c->port, &c->hz, &c->every, &c->udp};
    while (*s) {
        while (*s == ' ')
            s++;
        for (unsigned k = 0; k < sizeof(keys) / sizeof(keys[0]); k++) {
            const char *key = keys[k], *p = s;
            while (*key && *p == *key) {
                key++;
                p++;
            }
            if (!*key) {
                *fields[k] = parse_value(&p);
                s = p;
                break;
            }
        }
        while (*s && *s != ' ')
            s++;
    }
}

static void work(const struct config *c, uint32_t *handled)
{
    while (*handled != ticks) {
        uint32_t t = ++*handled;
        if (c->every && t % c->every == 0) {
            puts_serial("deos-like: tick ");
            put_dec(t);
            putc_serial('\n');
        }
        if (c->udp && t % c->udp == 0 && c->virtio) {
            static char msg[] = "deos-like tick 0000000000";
            char *d = msg + 15;
            for (uint32_t v = t, div = 1000000000u; div; div /= 10)
                *d++ = (char) ('0' + v / div % 10);
            net_send_udp(msg, sizeof(msg) - 1);
        }
    }
    if (net_pending) {
        net_pending = 0;
        virtio_net_poll();
    }
}

void kmain(uint32_t magic, const struct multiboot_info *mb)
{
    struct config c = {0, 5, 0x0a000002, 0x0a000001, 5000, 100, 100, 50};
    serial_init();
    if (magic != MB_BOOTLOADER_MAGIC) {
        puts_serial("deos-like: not started by a Multiboot loader\n");
        return;
    }
    if ((mb->flags & MB_INFO_CMDLINE) && mb->cmdline)
        parse_cmdline((const char *) (uintptr_t) mb->cmdline, &c);
    if (c.hz == 0 || c.hz > 10000)
        c.hz = 100;

    for (int v = 0; v < 256; v++)
        set_gate(v, unexpected_isr);
    set_gate(TIMER_VECTOR, timer_isr);
    set_gate(0xff, spurious_isr);
    set_gate(PIC_BASE + 7, spurious_isr);
    set_gate(PIC_BASE + 15, spurious_isr);
    struct idtr idtr = {sizeof(idt) - 1, (uint32_t) (uintptr_t) idt};
    __asm__ volatile("lidt %0" :: "m"(idtr));

    pic_init();
    lapic_init();
    puts_serial("deos-like: up, local APIC timer at ");
    put_dec(c.hz);
    puts_serial(" Hz\n");

    if (c.virtio) {
        int err = virtio_net_init(c.virtio);
        if (err) {
            puts_serial("deos-like: no virtio-net at ");
            put_hex(c.virtio);
            puts_serial(" (step ");
            put_dec((uint32_t) -err);
            puts_serial(")\n");
            c.virtio = 0;
        } else {
            uint8_t mac[6];
            virtio_net_mac(mac);
            net_init(mac, c.ip, c.peer, (uint16_t) c.port);
            if (ioapic_present()) {
                set_gate(NET_VECTOR, net_isr);
                ioapic_route_level((int) c.irq, NET_VECTOR);
            } else {
                net_irq = (int) c.irq;
                set_gate(PIC_BASE + net_irq, net_isr);
                pic_unmask_level(net_irq);
            }
            puts_serial("deos-like: virtio-net v");
            put_dec((uint32_t) virtio_net_version());
            puts_serial(" at ");
            put_hex(c.virtio);
            puts_serial(net_irq >= 0 ? " via 8259 irq " : " via IOAPIC pin ");
            put_dec(c.irq);
            puts_serial(", ip ");
            put_ip(c.ip);
            puts_serial("\n");
        }
    }
    lapic_timer_start(c.hz);

    uint32_t handled = 0;
    for (;;) {
        cli();
        if (handled == ticks && !net_pending) {
            sti_hlt();
            continue;
        }
        sti();
        work(&c, &handled);
    }
}
